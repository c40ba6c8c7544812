import { api } from '../../app/api';
import type { Items } from '../../app/types';

export const ORG_KINDS = ['party', 'department', 'property_company', 'owners_committee', 'resident_unit', 'social_org'] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

export interface Org {
  id: string | number;
  kind: OrgKind;
  level: string | number | null;
  name: string;
  parentId: string | number | null;
  territoryCode: string | null;
  territoryName: string | null;
  contactName?: string | null;
  version: number;
}

/** Party organisations nest one level at a time: 街道党工委 › 社区大党委 › 小区党支部 › 楼栋党小组. */
export const PARTY_LEVELS = ['street_committee', 'community_committee', 'estate_branch', 'building_group'] as const;
export type PartyLevel = (typeof PARTY_LEVELS)[number];

export interface NewOrg {
  kind: OrgKind;
  level?: PartyLevel;
  name: string;
  parentId?: string;
  territoryCode: string;
  contactName?: string;
}

export interface OrgPatch {
  version: number;
  name?: string;
  contactName?: string | null;
}

export interface OrgFilter {
  kind?: string;
  territoryCode?: string;
}

export const orgKeys = {
  all: ['orgs'] as const,
  list: (f: OrgFilter) => ['orgs', f.kind ?? '', f.territoryCode ?? ''] as const,
};

export const orgApi = {
  list: (f: OrgFilter) => api.get<Items<Org>>('/api/orgs', { kind: f.kind, territoryCode: f.territoryCode }).then((r) => r.items),
  create: (body: NewOrg) => api.post<Org>('/api/orgs', body),
  patch: (id: string | number, body: OrgPatch) => api.patch<Org>(`/api/orgs/${encodeURIComponent(String(id))}`, body),
};

export interface OrgTreeRow extends Org {
  key: string;
  children?: OrgTreeRow[];
}

/** Nest organisations under their parents; a parent outside the filtered list leaves the child at the top. */
export function toOrgTree(items: Org[]): OrgTreeRow[] {
  const rows = new Map<string, OrgTreeRow>();
  for (const o of items) rows.set(String(o.id), { ...o, key: String(o.id) });
  const top: OrgTreeRow[] = [];
  for (const row of rows.values()) {
    const parent = row.parentId != null ? rows.get(String(row.parentId)) : undefined;
    if (parent) (parent.children ??= []).push(row);
    else top.push(row);
  }
  return top;
}

export const ORG_KIND_COLORS: Record<string, string> = {
  party: 'red',
  department: 'blue',
  property_company: 'gold',
  owners_committee: 'cyan',
  resident_unit: 'purple',
  social_org: 'green',
};
