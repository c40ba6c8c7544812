import { api } from '../../app/api';
import type { Page, RoleBinding } from '../../app/types';

export interface AdminUser {
  id: string | number;
  username: string;
  displayName: string;
  disabled: boolean;
  lockedUntil: string | null;
  totpEnabled: boolean;
  totpRequired: boolean;
  mustChangePassword?: boolean;
  roles: RoleBinding[];
  version: number;
  createdAt: string;
}

/** Where a role may be bound, from the server's role catalogue. */
export interface RoleDef {
  key: string;
  zh: string;
  en: string;
  binds: ('global' | 'territory' | 'org')[];
  /** territory levels a binding may sit at */
  levels: string[];
}

export interface UserQuery {
  q?: string;
  page: number;
  pageSize: number;
}

export interface NewUser {
  username: string;
  displayName: string;
  password: string;
  totpRequired?: boolean;
}

export interface UserPatch {
  displayName?: string;
  disabled?: boolean;
  totpRequired?: boolean;
  version: number;
}

export const userKeys = {
  all: ['users'] as const,
  list: (q: UserQuery) => ['users', 'list', q.q ?? '', q.page, q.pageSize] as const,
  roles: ['users', 'role-catalogue'] as const,
};

const base = (id: string | number) => `/api/users/${encodeURIComponent(String(id))}`;

export const userApi = {
  list: (q: UserQuery) => api.get<Page<AdminUser>>('/api/users', { q: q.q, page: q.page, pageSize: q.pageSize }),
  create: (body: NewUser) => api.post<AdminUser>('/api/users', body),
  patch: (id: string | number, body: UserPatch) => api.patch<AdminUser>(base(id), body),
  addRole: (id: string | number, role: string, scopeCode: string) => api.post(`${base(id)}/roles`, { role, scopeCode }),
  removeRole: (id: string | number, roleId: string | number) =>
    api.delete(`${base(id)}/roles/${encodeURIComponent(String(roleId))}`),
  unlock: (id: string | number) => api.post(`${base(id)}/unlock`),
  roleCatalogue: () => api.get<{ items: RoleDef[] }>('/api/roles').then((r) => r.items),
  resetPassword: (id: string | number, password: string) => api.post(`${base(id)}/reset-password`, { password }),
};
