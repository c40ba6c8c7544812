import { api, download } from '../../app/api';

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
  /** Who handles it (the item's handling role), e.g. 街道工作人员. */
  handlerRoleName?: string;
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

export interface CertificateView extends Certificate {
  communityName: string;
  typeKey: string;
  purpose: string;
  validUntil: string;
  version: number;
}
// /api/certificates/types and /api/certificates/lists/{community} (server/modules/services/certificate-routes.ts).
export interface CertType {
  key: string;
  name: string;
  communityMayIssue: boolean;
  legalBasis: string | null;
  verifiedBy: string | null;
  reason: string | null;
}
export interface CertListEntry {
  id: string;
  typeKey: string;
  name: string;
  legalBasis: string;
  validityDays: number;
}
export interface CertList {
  community: { code: string; name: string };
  entries: CertListEntry[];
}
export type CertState = 'valid' | 'revoked' | 'expired';
/** One line of the register of issued certificates (GET /api/certificates/issued). */
export interface IssuedCertificate {
  id: string;
  number: string;
  communityName: string;
  personMasked: string;
  idMasked: string;
  typeName: string;
  purpose: string;
  issuedAt: string;
  issuedByName: string;
  validUntil: string;
  fromApplication: boolean;
  state: CertState;
  revokedAt: string | null;
  revokeReason: string;
  version: number;
}
export interface FoundPerson {
  id: string;
  name: string;
  idMasked: string;
  phoneMasked: string | null;
  address: string | null;
}

export const servicesApi = {
  catalogue: () => api.get<Catalogue>('/api/services/catalogue'),
  apply: (itemId: string, note: string, personId?: string) =>
    api.post<Application>('/api/services/applications', { itemId, note, personId, idempotencyKey: crypto.randomUUID() }),
  list: (mine: boolean) => api.get<{ items: Application[] }>('/api/services/applications', { mine: mine ? 'true' : undefined }),
  get: (id: string) => api.get<Application>(`/api/services/applications/${id}`),
  act: (id: string, action: string, version: number, note: string) =>
    api.post<Application>(`/api/services/applications/${id}/actions`, { action, version, note }),
  lookup: (q: string) => api.get<{ items: { person: FoundPerson }[] }>('/api/services/window/lookup', { q }),
  certificates: () => api.get<{ items: Certificate[] }>('/api/certificates'),
  certificateTypes: () => api.get<{ items: CertType[] }>('/api/certificates/types'),
  certificateList: (communityCode: string) => api.get<CertList>(`/api/certificates/lists/${communityCode}`),
  issueCertificate: (body: { communityCode: string; personId: string; typeKey: string; purpose: string }) =>
    api.post<CertificateView>('/api/certificates', body),
  issued: (q: { communityCode: string; state?: CertState; limit: number; offset: number }) =>
    api.get<{ total: number; items: IssuedCertificate[] }>('/api/certificates/issued', q),
  exportIssued: (q: { communityCode: string; state?: CertState }) => download('/api/certificates/issued.xlsx', q, 'certificates.xlsx'),
  revokeCertificate: (id: string, reason: string, version: number) =>
    api.post<CertificateView>(`/api/certificates/${id}/revoke`, { reason, version }),
};

export const DEADLINE_COLORS: Record<Deadline, string> = {
  green: 'green',
  yellow: 'gold',
  red: 'red',
  paused: 'default',
  closed: 'default',
};
