import { api } from '../../app/api';

// The volunteering API (server/modules/volunteering/routes.ts): volunteers, 一帮一 pairs, projects, party posts.
export interface Volunteer {
  id: string;
  personId: string;
  name: string;
  communityCode: string;
  skills: string[];
  status: string;
  hours: number;
}
export interface Pair {
  id: string;
  communityCode: string;
  volunteerName: string;
  personName: string;
  personTags: string[];
  startedOn: string;
  lastVisit: string | null;
  visits: number;
  needsVisit: boolean;
}
export interface Project {
  id: string;
  communityCode: string;
  title: string;
  description: string;
  startsAt: string;
  endsAt: string;
  slots: number;
  signedUp: number;
  checkinCode: string | null;
}
export interface Post {
  id: string;
  communityCode: string;
  title: string;
  description: string;
  targetHouses: string[];
  plan: string | null;
  claimedAt: string | null;
  memberName: string | null;
  logs: number;
  version: number;
}
export interface PersonHit {
  id: string;
  name: string;
  address: string | null;
  age: number | null;
  communityCode: string;
}

export type PartyMemberKind = 'self_managed' | 'in_service';
export interface PartyMember {
  id: string;
  personId: string;
  name: string;
  kind: PartyMemberKind;
  communityCode: string;
  orgId: string | null;
  orgName: string | null;
  workplace: string;
  reportedAt: string | null;
  registeredAt: string;
  hasAccount: boolean;
  ordersTaken: number;
}
export interface PartyOrg {
  id: string;
  name: string;
  level: string | null;
}

type Items<T> = { items: T[] };

/** Points (积分): what earns how many, per community; and the community's shop. */
export type PointsReason = 'help_order' | 'volunteer_hour' | 'participation';
export type PointsRules = Record<PointsReason, number>;
export interface ShopItem {
  id: string;
  communityCode: string;
  name: string;
  cost: number;
  stock: number;
  active: boolean;
  version: number;
}
export interface LedgerReport {
  ok: boolean;
  checked: number;
  districts: { districtCode: string; checked: number; ok: boolean; brokenAt: number | null; reason: string | null }[];
}

export const pointsApi = {
  rules: (communityCode: string) => api.get<{ communityCode: string; rules: PointsRules }>(`/api/points/rules/${communityCode}`),
  setRules: (communityCode: string, rules: Partial<PointsRules>) =>
    api.put<{ communityCode: string; rules: PointsRules }>(`/api/points/rules/${communityCode}`, rules),
  shop: (communityCode: string) => api.get<Items<ShopItem>>('/api/points/shop', { communityCode }),
  addItem: (body: { communityCode: string; name: string; cost: number; stock: number }) => api.post<ShopItem>('/api/points/shop', body),
  updateItem: (id: string, body: { version: number; stock?: number; active?: boolean }) => api.patch<ShopItem>(`/api/points/shop/${id}`, body),
  award: (body: { personId: string; activity: string; times: number }) =>
    api.post<{ personId: string; delta: number; balance: number }>('/api/points/awards', body),
  verify: (districtCode: string) => api.get<LedgerReport>('/api/points/verify', { districtCode }),
};

export const volunteeringApi = {
  volunteers: () => api.get<Items<Volunteer>>('/api/volunteers'),
  register: (personId: string, skills: string[]) => api.post<Volunteer>('/api/volunteers', { personId, skills }),
  pairs: () => api.get<Items<Pair>>('/api/volunteers/pairs'),
  pair: (volunteerId: string, personId: string) => api.post<{ id: string }>('/api/volunteers/pairs', { volunteerId, personId }),
  visit: (pairId: string, visitedOn: string, note: string) => api.post(`/api/volunteers/pairs/${pairId}/visits`, { visitedOn, note }),
  projects: () => api.get<Items<Project>>('/api/volunteer-projects'),
  createProject: (body: { communityCode: string; title: string; description?: string; startsAt: string; endsAt: string; slots: number }) =>
    api.post<{ id: string; checkinCode: string }>('/api/volunteer-projects', body),
  signUp: (id: string) => api.post(`/api/volunteer-projects/${id}/signup`),
  check: (id: string, kind: 'in' | 'out', code: string) => api.post(`/api/volunteer-projects/${id}/check-${kind}`, { code }),
  confirmHours: (id: string) => api.post<{ confirmed: number; hours: number }>(`/api/volunteer-projects/${id}/confirm-hours`),
  posts: () => api.get<Items<Post>>('/api/party/posts'),
  createPost: (body: { communityCode: string; title: string; description?: string; targetHouses?: string[] }) =>
    api.post<{ id: string }>('/api/party/posts', body),
  claim: (id: string, plan: string, version: number) => api.post(`/api/party/posts/${id}/claim`, { plan, version }),
  log: (id: string, doneOn: string, note: string) => api.post(`/api/party/posts/${id}/logs`, { doneOn, note }),
  partyMembers: () => api.get<Items<PartyMember>>('/api/party/members'),
  registerPartyMember: (body: { personId: string; kind: PartyMemberKind; orgId?: string; workplace?: string }) =>
    api.post<{ id: string; name: string }>('/api/party/members', body),
  partyOrgs: (territoryCode: string) => api.get<Items<PartyOrg>>('/api/orgs', { kind: 'party', territoryCode }),
  findPeople: (q: string) => api.get<Items<PersonHit>>('/api/registry/persons', { q, limit: 10 }),
};

/** Today in China (UTC+8), as YYYY-MM-DD. */
export const todayCn = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/** The server's message plus the reasons of a refused field (e.g. 签到码不正确), for a toast. */
export function errorText(e: unknown): string {
  const err = e as Error & { details?: { problems?: { reason?: string }[] } };
  const reasons = (err.details?.problems ?? []).map((p) => p.reason).filter(Boolean);
  return reasons.length ? `${err.message}：${reasons.join('；')}` : err.message;
}
