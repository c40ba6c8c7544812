import { api, download } from '../../app/api';
import type { Page } from '../../app/types';

export interface AuditEntry {
  id: string | number;
  at: string;
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  /** the territory the action concerns (the server calls it placeCode; older drafts said districtCode) */
  placeCode?: string | null;
  districtCode?: string | null;
  ip: string | null;
  outcome: string;
  details: unknown;
}

export interface AuditFilter {
  from?: string;
  to?: string;
  actor?: string;
  action?: string;
  outcome?: string;
  q?: string;
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  brokenAt: string | number | null;
  reason?: string | null;
}

export const auditKeys = {
  list: (f: AuditFilter, page: number, pageSize: number) => ['audit', 'list', f, page, pageSize] as const,
};

export const auditApi = {
  list: (f: AuditFilter, page: number, pageSize: number) => api.get<Page<AuditEntry>>('/api/audit', { ...f, page, pageSize }),
  exportCsv: (f: AuditFilter) => download('/api/audit/export', { ...f }, `audit-${new Date().toISOString().slice(0, 10)}.csv`),
  verify: () => api.get<VerifyResult>('/api/audit/verify'),
};
