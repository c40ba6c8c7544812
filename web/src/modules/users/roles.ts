import type { RoleDef } from './api';

// Role codes the server knows. 三员分立: the three administrator roles are global and never share a person.
export const ROLES = [
  'sysadmin',
  'secadmin',
  'auditor',
  'district_admin',
  'street_staff',
  'community_worker',
  'grid_worker',
  'department_staff',
  'resident',
  'volunteer',
  'party_member',
] as const;

export type RoleCode = (typeof ROLES)[number];

/**
 * Used only when the server's catalogue (GET /api/roles) cannot be read: the three administrators
 * are global, department staff belong to an organisation, everyone else to a place.
 */
export const FALLBACK_CATALOGUE: RoleDef[] = ROLES.map((key) => ({
  key,
  zh: key,
  en: key,
  binds: ['sysadmin', 'secadmin', 'auditor'].includes(key) ? ['global'] : key === 'department_staff' ? ['org'] : ['territory'],
  levels: [],
}));

export const ROLE_COLORS: Record<string, string> = {
  sysadmin: 'red',
  secadmin: 'volcano',
  auditor: 'purple',
  district_admin: 'geekblue',
  street_staff: 'blue',
  community_worker: 'cyan',
  grid_worker: 'green',
  department_staff: 'gold',
  resident: 'default',
  volunteer: 'lime',
  party_member: 'red',
};
