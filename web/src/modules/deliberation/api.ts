import { api } from '../../app/api';
import type { Items } from '../../app/types';

// Shapes of /api/deliberation/* as server/modules/deliberation/*-service.ts returns them.

export type TopicStatus = 'open' | 'agenda' | 'event' | 'replied' | 'closed';

export interface Topic {
  id: string;
  communityCode: string;
  communityName: string;
  placeCode: string;
  title: string;
  body: string;
  raisedByName: string;
  status: TopicStatus;
  reply: string | null;
  eventRef: string | null;
  /** The events module's event the topic was filed as (link to /events/:id). */
  eventId: string | null;
  meeting: { id: string; title: string; scheduledAt: string | null; status: string | null } | null;
  supportCount: number;
  supportedByMe: boolean;
  photoCount: number;
  triagedByName: string | null;
  createdAt: string;
  version: number;
}

export interface Body {
  id: string;
  communityCode: string;
  communityName: string;
  kind: string;
  name: string;
  description: string;
  missingSeats: string[];
  memberCount: number;
  meetingCount: number;
  members?: { id: string; seat: string; name: string; title: string }[];
  meetings?: MeetingSummary[];
}

export interface MeetingSummary {
  id: string;
  bodyId: string;
  bodyName: string;
  bodyKind: string;
  title: string;
  scheduledAt: string;
  location: string;
  status: 'planned' | 'noticed' | 'held' | 'published';
  attendanceCount: number;
  version: number;
}

export interface Task {
  id: string;
  title: string;
  ownerName: string;
  dueDate: string;
  status: 'open' | 'done';
  doneNote: string | null;
  version: number;
}

export interface Meeting extends MeetingSummary {
  notice: string;
  minutes: string;
  outcome: string;
  checkinToken: string | null;
  canManage: boolean;
  agenda: { id: string; seq: number; title: string; topicId: string | null; supportCount: number | null }[];
  attendance: { id: string; memberId: string | null; name: string; seat: string; method: 'qr' | 'manual'; checkedInAt: string }[];
  resolutions: { id: string; agendaItemId: string | null; text: string; decision: 'adopted' | 'rejected' | 'deferred'; tasks: Task[] }[];
}

export interface Measure {
  area: number;
  headcount: number;
}

export interface OwnersResult {
  rule: 'three_quarters' | 'more_than_half';
  total: Measure & { houses: number };
  participating: Measure & { houses: number };
  agree: Measure;
  disagree: Measure;
  abstain: Measure;
  quorum: { area: boolean; headcount: boolean; met: boolean };
  approval: { area: boolean; headcount: boolean; met: boolean };
  passed: boolean;
  shares: { participationArea: number; participationHeadcount: number; approvalArea: number; approvalHeadcount: number };
}

export interface SelectionResult {
  counts: { optionId: string; votes: number; rank: number }[];
  winners: string[];
  tieAtCut: string[];
}

export interface Vote {
  id: string;
  communityName: string;
  placeCode: string;
  kind: 'selection' | 'owners';
  title: string;
  description: string;
  matter: number | null;
  matterName: string | null;
  rule: 'three_quarters' | 'more_than_half' | null;
  maxChoices: number;
  winners: number;
  secret: boolean;
  status: 'draft' | 'open' | 'closed';
  opensAt: string;
  closesAt: string;
  version: number;
  voted?: boolean;
  options: { id: string; label: string; detail: string }[];
  me: { eligible: boolean; reason: string | null; houses: string[]; voted: boolean; receipt: string | null; castAt: string | null };
  canManage: boolean;
  live: null | { ballots: number; participating?: OwnersResult['participating']; total?: OwnersResult['total']; quorum?: OwnersResult['quorum']; shares?: OwnersResult['shares'] };
  result: null | { kind: 'owners'; owners: OwnersResult; ballots: number } | { kind: 'selection'; selection: SelectionResult; ballots: number };
}

export interface Board {
  community: { code: string; name: string };
  conventions: { title: string; versionNo: number; text: string; adoptedOn: string | null; adoptedBy: string }[];
  meetings: {
    id: string;
    title: string;
    bodyName: string;
    bodyKind: string;
    heldAt: string;
    outcome: string;
    resolutions: { text: string; decision: string }[];
    tasks: { total: number; done: number };
  }[];
  votes: { id: string; kind: string; title: string; matter: number | null; closedAt: string | null; outcome: null | Record<string, unknown> }[];
  notices: { id: string; kind: string; title: string; body: string; publishedAt: string }[];
}

export const delibKeys = {
  topics: (f: object) => ['deliberation', 'topics', f] as const,
  topic: (id: string) => ['deliberation', 'topic', id] as const,
  bodies: ['deliberation', 'bodies'] as const,
  body: (id: string) => ['deliberation', 'body', id] as const,
  meetings: (status?: string) => ['deliberation', 'meetings', status ?? ''] as const,
  meeting: (id: string) => ['deliberation', 'meeting', id] as const,
  votes: ['deliberation', 'votes'] as const,
  vote: (id: string) => ['deliberation', 'vote', id] as const,
  board: (code: string) => ['deliberation', 'board', code] as const,
  conventions: ['deliberation', 'conventions'] as const,
};

export const delibApi = {
  topics: (f: { order?: string; mine?: boolean }) => api.get<Items<Topic>>('/api/deliberation/topics', f).then((r) => r.items),
  topic: (id: string) => api.get<Topic>(`/api/deliberation/topics/${id}`),
  raise: (body: { placeCode: string; title: string; body: string; photos?: { contentType: string; dataBase64: string }[]; clientKey: string }) =>
    api.post<Topic>('/api/deliberation/topics', body),
  support: (id: string, on: boolean) => (on ? api.post<Topic>(`/api/deliberation/topics/${id}/support`) : api.delete<Topic>(`/api/deliberation/topics/${id}/support`)),
  triage: (id: string, body: { version: number; action: string; reply?: string; meetingId?: string; eventRef?: string; categoryCode?: string }) =>
    api.post<Topic>(`/api/deliberation/topics/${id}/triage`, body),
  bodies: () => api.get<Items<Body>>('/api/deliberation/bodies').then((r) => r.items),
  body: (id: string) => api.get<Body>(`/api/deliberation/bodies/${id}`),
  meetings: () => api.get<Items<MeetingSummary>>('/api/deliberation/meetings').then((r) => r.items),
  meeting: (id: string) => api.get<Meeting>(`/api/deliberation/meetings/${id}`),
  createMeeting: (bodyId: string, body: { title: string; scheduledAt: string; location?: string; agenda?: string[] }) =>
    api.post<Meeting>(`/api/deliberation/bodies/${bodyId}/meetings`, body),
  move: (id: string, body: { version: number; to: string; notice?: string; outcome?: string }) => api.post<Meeting>(`/api/deliberation/meetings/${id}/transition`, body),
  addItem: (id: string, title: string) => api.post<Meeting>(`/api/deliberation/meetings/${id}/agenda`, { title }),
  minutes: (id: string, body: { version: number; minutes: string }) => api.put<Meeting>(`/api/deliberation/meetings/${id}/minutes`, body),
  attend: (id: string, memberId: string) => api.post<Meeting>(`/api/deliberation/meetings/${id}/attendance`, { memberId }),
  checkin: (id: string, token: string) => api.post<{ checkedIn: boolean; already: boolean; meeting: MeetingSummary }>(`/api/deliberation/meetings/${id}/checkin`, { token }),
  resolve: (id: string, body: { agendaItemId?: string; text: string; decision: string; tasks?: { title: string; ownerName: string; dueDate: string }[] }) =>
    api.post<Meeting>(`/api/deliberation/meetings/${id}/resolutions`, body),
  done: (taskId: string, body: { version: number; note: string }) => api.post<Meeting>(`/api/deliberation/tasks/${taskId}/done`, body),
  votes: () => api.get<Items<Vote>>('/api/deliberation/votes').then((r) => r.items),
  vote: (id: string) => api.get<Vote>(`/api/deliberation/votes/${id}`),
  cast: (id: string, body: { choice?: string; optionIds?: string[] }) => api.post<{ receipt: string; houses: string[] }>(`/api/deliberation/votes/${id}/ballots`, body),
  paper: (id: string, body: { houseCode: string; choice: string }) => api.post<{ receipt: string }>(`/api/deliberation/votes/${id}/paper-ballots`, body),
  openVote: (id: string, version: number) => api.post<Vote>(`/api/deliberation/votes/${id}/open`, { version }),
  closeVote: (id: string, version: number) => api.post<Vote>(`/api/deliberation/votes/${id}/close`, { version }),
  board: (code: string) => api.get<Board>(`/api/public/board/${code}`),
  createVote: (body: CreateVote) => api.post<Vote>('/api/deliberation/votes', body),
  createBody: (body: { placeCode: string; kind: string; name: string; description?: string }) => api.post<Body>('/api/deliberation/bodies', body),
  addMember: (bodyId: string, body: { seat: string; name: string; title?: string }) => api.post<Body>(`/api/deliberation/bodies/${bodyId}/members`, body),
  removeMember: (bodyId: string, memberId: string) => api.delete<Body>(`/api/deliberation/bodies/${bodyId}/members/${memberId}`),
  conventions: () => api.get<Items<Convention>>('/api/deliberation/conventions').then((r) => r.items),
  createConvention: (body: { placeCode: string; title: string } & Adoption) => api.post<Convention>('/api/deliberation/conventions', body),
  reviseConvention: (id: string, body: { version: number } & Adoption) => api.post<Convention>(`/api/deliberation/conventions/${id}/versions`, body),
  publishNotice: (body: { communityCode: string; kind: string; title: string; body: string }) => api.post<{ id: string }>('/api/deliberation/notices', body),
};

export interface CreateVote {
  placeCode: string;
  kind: 'selection' | 'owners';
  title: string;
  description?: string;
  matter?: number;
  options?: { label: string; detail?: string }[];
  maxChoices?: number;
  winners?: number;
  secret?: boolean;
  opensAt: string;
  closesAt: string;
}

export interface Adoption {
  text: string;
  adoptedOn: string;
  adoptedBy: string;
}

export interface Convention extends Adoption {
  id: string;
  communityCode: string;
  title: string;
  currentVersion: number;
  version: number;
}

/** The place a worker manages by default: the first community-or-below code of their roles. */
export function defaultPlace(roles: { scopeCode: string | null }[] | undefined): string {
  return roles?.map((r) => r.scopeCode ?? '').find((c) => c.length >= 12) ?? '';
}

/** Shrinks a phone photo to at most 1280 px and ~250 KB as JPEG, returning base64 without the data: prefix. */
export async function shrinkPhoto(file: File): Promise<{ contentType: string; dataBase64: string }> {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, 1280 / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  for (const q of [0.8, 0.6, 0.45]) {
    const url = canvas.toDataURL('image/jpeg', q);
    const data = url.slice(url.indexOf(',') + 1);
    if (data.length * 0.75 < 290 * 1024) return { contentType: 'image/jpeg', dataBase64: data };
  }
  throw new Error('too big');
}

export const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
