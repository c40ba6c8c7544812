import { api } from '../../app/api';

// The services API (server/modules/services/routes.ts).
export interface Item {
  id: string;
  name: string;
  categoryName: string;
  description: string;
  eligibility: string;
  materials: { name: string; required: boolean }[];
  timeLimitDays: number;
  feeFen: number;
  givesCertificate: boolean;
  homeVisit: boolean;
}
export interface Catalogue {
  community: { code: string; name: string };
  categories: { id: string; name: string; items: Item[] }[];
}
export type Deadline = 'green' | 'yellow' | 'red' | 'paused' | 'closed';
export interface Application {
  id: string;
  number: string;
  itemName: string;
  personName: string;
  communityName: string;
  state: string;
  stateName: string;
  dueAt: string;
  deadline: Deadline;
  actions: string[];
  certificateId: string | null;
  refusalReason: string;
  materialsNote: string;
  version: number;
  steps?: { at: string; action: string; toState: string; actorName: string; note: string }[];
}
export interface Certificate {
  id: string;
  number: string;
  typeName: string;
  personName: string;
  verifyCode: string;
  issuedAt: string;
  revokedAt: string | null;
}

export const servicesApi = {
  catalogue: () => api.get<Catalogue>('/api/services/catalogue'),
  apply: (itemId: string, note: string, personId?: string) =>
    api.post<Application>('/api/services/applications', { itemId, note, personId, idempotencyKey: crypto.randomUUID() }),
  list: (mine: boolean) => api.get<{ items: Application[] }>('/api/services/applications', { mine: mine ? 'true' : undefined }),
  get: (id: string) => api.get<Application>(`/api/services/applications/${id}`),
  act: (id: string, action: string, version: number, note: string) =>
    api.post<Application>(`/api/services/applications/${id}/actions`, { action, version, note }),
  lookup: (q: string) =>
    api.get<{ items: { person: { id: string; name: string; idMasked: string; phoneMasked: string | null; address: string | null } }[] }>(
      '/api/services/window/lookup',
      { q },
    ),
  certificates: () => api.get<{ items: Certificate[] }>('/api/certificates'),
};

export const DEADLINE_COLORS: Record<Deadline, string> = {
  green: 'green',
  yellow: 'gold',
  red: 'red',
  paused: 'default',
  closed: 'default',
};
