import { api } from '../../app/api';
import type { Items } from '../../app/types';

export type EventState =
  | 'reported'
  | 'escalated'
  | 'handling'
  | 'whistled'
  | 'responded'
  | 'suspend_requested'
  | 'suspended'
  | 'handled'
  | 'verified'
  | 'closed'
  | 'evaluated'
  | 'merged';

export type EventAction =
  | 'accept'
  | 'escalate'
  | 'whistle'
  | 'respond'
  | 'handle'
  | 'verify'
  | 'reject'
  | 'close'
  | 'evaluate'
  | 'return'
  | 'suspend'
  | 'approve_suspend'
  | 'deny_suspend'
  | 'resume'
  | 'merge'
  | 'reopen'
  | 'supervise'
  | 'note';

export interface EventItem {
  id: string;
  number: string;
  districtCode: string;
  categoryCode: string;
  categoryName: string;
  title: string;
  description: string;
  source: string;
  state: EventState;
  level: 'grid' | 'community' | 'street';
  whistled: boolean;
  placeCode: string;
  placeName: string;
  address: string;
  anonymous: boolean;
  reporterName: string | null;
  reporterPhone: string | null;
  leadOrg: { id: string; name: string } | null;
  assistOrgs: { id: string; name: string }[];
  stage: string | null;
  dueAt: string | null;
  deadline: 'green' | 'yellow' | 'red' | 'none';
  overdue: boolean;
  supervisedCount: number;
  satisfaction: number | null;
  photoRequired: boolean;
  reportedAt: string;
  closedAt: string | null;
  version: number;
  allowedActions: EventAction[];
}

export interface Step {
  id: number;
  at: string;
  actorName: string;
  action: string;
  fromState: string | null;
  toState: string;
  level: string;
  note: string;
  details: Record<string, unknown>;
  attachments: string[];
}

export interface EventDetail extends EventItem {
  timeline: Step[];
}

export interface Category {
  code: string;
  parentCode: string | null;
  name: string;
  nameEn: string;
  closingLevel: string;
  acceptHours: number;
  handleDays: number;
  departments: string[];
  photoRequired: boolean;
  anonymousAllowed: boolean;
}

export interface Duplicate {
  id: string;
  number: string;
  title: string;
  distance: number;
}

export interface NewEvent {
  categoryCode: string;
  title: string;
  description?: string;
  placeCode: string;
  address?: string;
  lng?: number;
  lat?: number;
  source?: 'grid' | 'hotline' | 'web';
  reporterName?: string;
  reporterPhone?: string;
  anonymous?: boolean;
  photos?: string[];
  escalate?: boolean;
  idempotencyKey?: string;
}

export interface ActionBody {
  version: number;
  note?: string;
  photos?: string[];
  satisfaction?: number;
  targetId?: string;
  leadOrgId?: string;
  assistOrgIds?: string[];
  dueDays?: number;
}

export interface Notification {
  id: number;
  eventId: string | null;
  eventNumber: string | null;
  kind: string;
  title: string;
  createdAt: string;
  read: boolean;
}

export type Rate = number | null;
export interface Stats {
  scope: string;
  total: number;
  closed: number;
  open: number;
  openOverdue: number;
  supervised: number;
  whistled: number;
  split721: { grid: Rate; community: Rate; street: Rate; counts: { grid: number; community: number; street: number } };
  closureRate: Rate;
  onTimeRate: Rate;
  responseRate: Rate;
  resolutionRate: Rate;
  satisfactionRate: Rate;
  averageSatisfaction: number | null;
  byCategory: { code: string; name: string; count: number; closed: number }[];
  byArea: { code: string; name: string; count: number; open: number; overdue: number; closureRate: Rate; satisfactionRate: Rate }[];
  departments: { id: string; name: string; whistled: number; responded: number; closed: number; averageResponseHours: number | null }[];
  trend: { bucket: string; points: { period: string; reported: number; closed: number }[] };
}

export const eventKeys = {
  all: ['events'] as const,
  list: (box: string, q: string) => ['events', 'list', box, q] as const,
  one: (id: string) => ['events', 'one', id] as const,
  categories: ['events', 'categories'] as const,
  stats: (scope: string, days: number) => ['events', 'stats', scope, days] as const,
  notifications: ['notifications'] as const,
};

export const eventApi = {
  list: (box: string, q?: string) => api.get<Items<EventItem>>('/api/events', { box, q, limit: 100 }).then((r) => r.items),
  get: (id: string) => api.get<EventDetail>(`/api/events/${id}`),
  track: (number: string) => api.get<EventDetail>(`/api/events/track/${encodeURIComponent(number)}`),
  categories: () => api.get<Items<Category>>('/api/events/categories').then((r) => r.items),
  report: (body: NewEvent) => api.post<{ event: EventDetail; duplicates: Duplicate[] }>('/api/events', body),
  act: (id: string, action: EventAction, body: ActionBody) => api.post<EventDetail>(`/api/events/${id}/actions/${action}`, body),
  departments: (district: string) =>
    api.get<Items<{ id: string; name: string; key: string }>>(`/api/events/departments/${district}`).then((r) => r.items),
  stats: (scope: string, from: string) => api.get<Stats>('/api/events/stats', { scope, from }),
  map: (scope: string) =>
    api.get<{ type: 'FeatureCollection'; features: { properties: { name: string; code: string; open: number; overdue: number } }[] }>(
      '/api/events/map',
      { scope },
    ),
  notifications: () => api.get<{ unread: number; items: Notification[] }>('/api/notifications', { limit: 20 }),
  markRead: () => api.post<{ unread: number }>('/api/notifications/read', {}),
};

/** Reads a picked image file as a data: URL for upload. */
export function fileToDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

export const STATE_COLORS: Record<string, string> = {
  reported: 'orange',
  escalated: 'gold',
  handling: 'blue',
  whistled: 'magenta',
  responded: 'purple',
  suspend_requested: 'default',
  suspended: 'default',
  handled: 'cyan',
  verified: 'geekblue',
  closed: 'green',
  evaluated: 'green',
  merged: 'default',
};

export const DEADLINE_COLORS: Record<string, string> = { green: 'green', yellow: 'gold', red: 'red' };
