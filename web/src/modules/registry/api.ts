import { api, getApiLang, ApiError, buildUrl } from '../../app/api';
import type { Items } from '../../app/types';

export const PERSON_TAGS = ['独居', '空巢', '失独', '残疾', '低保', '特困', '退役军人', '党员', '志愿者', '重点关注', '孕产妇', '留守儿童'] as const;
export const TAG_COLORS: Record<string, string> = {
  独居: 'volcano',
  空巢: 'orange',
  失独: 'magenta',
  残疾: 'purple',
  低保: 'gold',
  特困: 'red',
  退役军人: 'geekblue',
  党员: 'red',
  志愿者: 'green',
  '60岁以上': 'cyan',
  '80岁以上': 'blue',
  未成年: 'lime',
};

export interface Person {
  id: string;
  districtCode: string;
  communityCode: string;
  houseCode: string | null;
  address: string | null;
  name: string;
  gender: 'M' | 'F' | null;
  age: number | null;
  ageTags: string[];
  idType: string;
  idMasked: string;
  phoneMasked: string | null;
  ethnicity: string;
  householdPlace: string;
  residency: 'registered' | 'migrant' | 'foreign';
  tags: string[];
  status: string;
  version: number;
}

export interface Link {
  id: string;
  houseCode: string;
  address: string;
  relation: string;
  headRelation: string;
  resides: boolean;
  share: number | null;
  moveIn: string | null;
  moveOut: string | null;
  version: number;
}

export interface PersonDetail extends Person {
  note: string;
  tagDetails: { tag: string; level: string | null; setBy: string; setAt: string }[];
  houses: Link[];
}

export interface HistoryItem {
  id: string;
  action: string;
  actorName: string;
  at: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export interface PersonFilter {
  q?: string;
  address?: string;
  tags?: string[];
  residency?: string;
  minAge?: number;
  maxAge?: number;
  territoryCode?: string;
}

export interface Household {
  house: { code: string; address: string; buildingCode: string; floor: number; room: number; roomLabel: string; area: number | null; use: string; version: number };
  members: {
    linkId: string;
    personId: string;
    name: string;
    gender: 'M' | 'F' | null;
    age: number | null;
    ageTags: string[];
    tags: string[];
    idMasked: string;
    phoneMasked: string | null;
    relation: string;
    headRelation: string;
    resides: boolean;
    moveIn: string | null;
    moveOut: string | null;
  }[];
  tenancies: { id: string; status: string; startDate: string; endDate: string; tenantName: string; tenantId: string; landlordName: string | null; hasPhoto: boolean }[];
  units: { id: string; name: string; unitType: string; creditCode: string | null; industry: string }[];
}

export interface OccupancyHouse {
  code: string;
  unitCode: string;
  floor: number;
  room: number;
  roomLabel: string;
  use: 'self' | 'rented' | 'vacant' | 'business';
  area: number | null;
  residents: number;
  owners: number;
  tenants: number;
  elderly: number;
  alone: number;
  headName: string | null;
  units: number;
}

export type ImportKind = 'persons' | 'units' | 'vehicles';

export interface ImportJob {
  id: string;
  kind: ImportKind;
  communityCode: string;
  fileName: string;
  mode: 'all' | 'valid' | null;
  status: 'validating' | 'validated' | 'writing' | 'done' | 'rejected' | 'failed' | 'cancelled';
  total: number;
  processed: number;
  progress: number;
  imported: number;
  updated: number;
  rejected: number;
  valid: number;
  problemCount: number;
  problems: { row: number; column: string; reason: string }[];
}

export interface Unit {
  id: string;
  name: string;
  creditCode: string | null;
  unitType: string;
  industry: string;
  address: string;
  contactName: string;
  contactPhoneMasked: string | null;
  employees: number | null;
  houseCode: string | null;
  communityCode: string;
  note: string;
  version: number;
}

export interface Vehicle {
  id: string;
  plate: string;
  plateKind: 'ordinary' | 'new_energy';
  vehicleType: string;
  brand: string;
  color: string;
  ownerPersonId: string | null;
  ownerName: string | null;
  parking: string;
  communityCode: string;
  version: number;
}

export interface Tenancy {
  id: string;
  houseCode: string;
  startDate: string;
  endDate: string;
  daysLeft: number;
  tenantName: string;
  tenantId: string;
  landlordName: string | null;
  hasPhoto: boolean;
}

export interface NewTenancy {
  houseCode: string;
  tenantPersonId: string;
  landlordPersonId?: string | null;
  startDate: string;
  endDate: string;
}

export interface NewVisitor {
  houseCode: string;
  name: string;
  idNumber?: string;
  phone?: string;
  purpose?: string;
  plate?: string;
}

export interface Visitor {
  id: string;
  houseCode: string;
  address: string;
  name: string;
  phoneMasked: string | null;
  purpose: string;
  plate: string | null;
  arrivedAt: string;
  leftAt: string | null;
}

export interface NewPerson {
  placeCode: string;
  name: string;
  idType?: string;
  idNumber: string;
  phone?: string;
  ethnicity?: string;
  householdPlace?: string;
  residency?: string;
  tags?: string[];
  relation?: string;
  headRelation?: string;
  moveIn?: string;
  note?: string;
}

export interface PersonPatch {
  version: number;
  name?: string;
  phone?: string | null;
  ethnicity?: string;
  householdPlace?: string;
  residency?: string;
  tags?: string[];
  status?: string;
  note?: string;
}

export interface NewLink {
  houseCode: string;
  relation: string;
  headRelation?: string;
  resides?: boolean;
  share?: number | null;
  moveIn?: string;
}

export interface LinkPatch {
  version: number;
  relation?: string;
  headRelation?: string;
  resides?: boolean;
  share?: number | null;
  moveOut?: string | null;
}

export interface UnitBody {
  name: string;
  creditCode?: string | null;
  unitType: string;
  industry?: string;
  address?: string;
  contactName?: string;
  contactPhone?: string | null;
  employees?: number | null;
  note?: string;
}

export interface VehicleBody {
  vehicleType?: string;
  brand?: string;
  color?: string;
  ownerPersonId?: string | null;
  parking?: string;
}

function filterQuery(f: PersonFilter) {
  return {
    q: f.q,
    address: f.address,
    residency: f.residency,
    minAge: f.minAge,
    maxAge: f.maxAge,
    territoryCode: f.territoryCode,
  };
}

/** Tags are a repeated query parameter (tags=独居&tags=低保). */
function withTags(url: string, tags?: string[]) {
  if (!tags?.length) return url;
  const extra = tags.map((t) => `tags=${encodeURIComponent(t)}`).join('&');
  return url + (url.includes('?') ? '&' : '?') + extra;
}

export const registryKeys = {
  all: ['registry'] as const,
  people: (f: PersonFilter) => ['registry', 'people', f] as const,
  person: (id: string) => ['registry', 'person', id] as const,
  history: (id: string) => ['registry', 'history', id] as const,
  household: (code: string, past: boolean) => ['registry', 'household', code, past] as const,
  occupancy: (code: string) => ['registry', 'occupancy', code] as const,
  job: (id: string) => ['registry', 'import', id] as const,
};

export const registryApi = {
  people: (f: PersonFilter, cursor?: string | null) =>
    api.get<{ items: Person[]; nextCursor: string | null }>(withTags(buildUrl('/api/registry/persons', { ...filterQuery(f), cursor, limit: 30 }), f.tags)),
  person: (id: string) => api.get<PersonDetail>(`/api/registry/persons/${id}`),
  history: (id: string) => api.get<Items<HistoryItem>>(`/api/registry/persons/${id}/history`),
  reveal: (id: string, reason: string) => api.post<{ idNumber: string; phone: string | null; birthDate: string | null }>(`/api/registry/persons/${id}/reveal`, { reason }),
  household: (code: string, past: boolean) => api.get<Household>(`/api/registry/houses/${code}`, { past: past || undefined }),
  occupancy: (code: string) => api.get<{ code: string; name: string; houses: OccupancyHouse[] }>(`/api/registry/buildings/${code}/occupancy`),
  job: (id: string) => api.get<ImportJob>(`/api/registry/imports/${id}`),
  commit: (id: string, mode: 'all' | 'valid') => api.post<ImportJob>(`/api/registry/imports/${id}/commit`, { mode }),
  cancel: (id: string) => api.post<ImportJob>(`/api/registry/imports/${id}/cancel`),
  units: (q: string) => api.get<Items<Unit>>('/api/registry/units', { q, limit: 100 }),
  vehicles: (q: string) => api.get<Items<Vehicle>>('/api/registry/vehicles', { q, limit: 100 }),
  expiring: (days: number) => api.get<Items<Tenancy>>('/api/registry/tenancies', { expiringWithinDays: days }),
  createTenancy: (body: NewTenancy) => api.post<Tenancy>('/api/registry/tenancies', body),
  registerVisitor: (body: NewVisitor) => api.post<Visitor>('/api/registry/visitors', body),
  noTenant: () => api.get<Items<{ code: string; address: string }>>('/api/registry/rented-without-tenant', { limit: 100 }),
  visitors: () => api.get<Items<Visitor>>('/api/registry/visitors', { limit: 50 }),
  visitorLeft: (id: string) => api.post<Visitor>(`/api/registry/visitors/${id}/leave`),
  createPerson: (body: NewPerson) => api.post<PersonDetail>('/api/registry/persons', body),
  updatePerson: (id: string, body: PersonPatch) => api.patch<PersonDetail>(`/api/registry/persons/${id}`, body),
  addLink: (personId: string, body: NewLink) => api.post<Link>(`/api/registry/persons/${personId}/houses`, body),
  updateLink: (personId: string, linkId: string, body: LinkPatch) => api.patch<Link>(`/api/registry/persons/${personId}/houses/${linkId}`, body),
  createUnit: (body: UnitBody & { placeCode: string }) => api.post<Unit>('/api/registry/units', body),
  updateUnit: (id: string, body: Partial<UnitBody> & { version: number }) => api.patch<Unit>(`/api/registry/units/${id}`, body),
  unitHistory: (id: string) => api.get<Items<HistoryItem>>(`/api/registry/units/${id}/history`),
  createVehicle: (body: VehicleBody & { placeCode: string; plate: string }) => api.post<Vehicle>('/api/registry/vehicles', body),
  updateVehicle: (id: string, body: VehicleBody & { version: number }) => api.patch<Vehicle>(`/api/registry/vehicles/${id}`, body),
  vehicleHistory: (id: string) => api.get<Items<HistoryItem>>(`/api/registry/vehicles/${id}/history`),
  exportUrl: (f: PersonFilter) => withTags(buildUrl('/api/registry/persons/export.xlsx', filterQuery(f)), f.tags),
};

/** The column-mapping step: what the server makes of a file's headers (nothing is kept). */
export interface ImportPreview {
  kind: ImportKind;
  headers: string[];
  suggested: (string | null)[];
  matchedByName: boolean;
  fields: { key: string; header: string; required: boolean; note: string }[];
  samples: string[][];
}

export async function previewImport(file: File, kind: ImportKind): Promise<ImportPreview> {
  return (await sendFile('POST', buildUrl('/api/registry/imports/preview', { kind }), file)) as ImportPreview;
}

/** Uploads a file as multipart (the JSON client does not do forms) with the columns as mapped; answers the new import job. */
export async function uploadImport(file: File, communityCode: string, kind: ImportKind = 'persons', columns?: (string | null)[]): Promise<ImportJob> {
  const query = { communityCode, kind, columns: columns?.map((c) => c ?? '').join(',') };
  return (await sendFile('POST', buildUrl('/api/registry/imports', query), file)) as ImportJob;
}

/** The contract photo of a tenancy (JPEG, PNG or WebP). */
export async function uploadContractPhoto(tenancyId: string, file: File): Promise<void> {
  await sendFile('PUT', `/api/registry/tenancies/${tenancyId}/photo`, file);
}

/** A multipart upload (field "file") with the session's CSRF token; the JSON answer, or null. */
async function sendFile(method: 'POST' | 'PUT', url: string, file: File): Promise<unknown> {
  const form = new FormData();
  form.append('file', file, file.name);
  let csrf: string | null;
  try {
    csrf = sessionStorage.getItem('gongzhi.csrf');
  } catch {
    csrf = null;
  }
  const res = await fetch(url, {
    method,
    body: form,
    credentials: 'same-origin',
    headers: { Accept: 'application/json', 'Accept-Language': getApiLang() === 'zh' ? 'zh-CN' : 'en', ...(csrf ? { 'x-csrf-token': csrf } : {}) },
  });
  const body = await res.json().catch(() => null);
  if (!res.ok) {
    const e = body?.error ?? {};
    throw new ApiError(res.status, e.code ?? `HTTP_${res.status}`, e.message ?? `HTTP ${res.status}`, e.details);
  }
  return body;
}
