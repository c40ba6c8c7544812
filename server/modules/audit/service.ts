import type { Actor, AppContext } from '../../core/context.ts';
import { appendAudit, verifyAuditChain } from '../../core/audit.ts';
import * as store from './store.ts';

/** The audit administrator's work (审计管理员): search, export and verify the log. Exports and verifications are themselves audited. */

type Row = Awaited<ReturnType<typeof store.searchAudit>>['items'][number];

function view(r: Row) {
  return {
    id: Number(r.id),
    at: r.at.toISOString(),
    actorId: r.actor_id,
    actorName: r.actor_name,
    action: r.action,
    outcome: r.outcome,
    targetType: r.target_type,
    targetId: r.target_id,
    placeCode: r.place_code,
    ip: r.ip,
    details: (r.details ?? {}) as Record<string, unknown>,
    seq: r.seq === null ? null : Number(r.seq),
    hash: r.hash,
  };
}

export async function search(ctx: AppContext, f: store.AuditFilter, page: number, pageSize: number) {
  const { items, total } = await store.searchAudit(ctx.db, f, page, pageSize);
  return { items: items.map(view), total };
}

const CSV_HEADER = [
  '序号 id',
  '时间 time',
  '操作人 actor',
  '操作 action',
  '结果 outcome',
  '对象类型 target type',
  '对象 target',
  '区域 place',
  'IP',
  '详情 details',
  '哈希 hash',
];

function csvCell(v: unknown): string {
  const s = v == null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  // Cells that a spreadsheet would run as a formula are prefixed with a quote (CSV injection).
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** CSV with a BOM so Excel opens the Chinese correctly. */
export async function* exportCsv(ctx: AppContext, actor: Actor, f: store.AuditFilter): AsyncGenerator<string> {
  await appendAudit(ctx.db, {
    actorId: actor.userId,
    actorName: actor.username,
    action: 'audit.export',
    ip: actor.ip,
    details: { filter: { ...f } },
  });
  yield '\uFEFF' + CSV_HEADER.join(',') + '\r\n';
  for await (const rows of store.iterateAudit(ctx.db, f)) {
    yield rows
      .map(view)
      .map(
        (r) =>
          [r.id, r.at, r.actorName, r.action, r.outcome, r.targetType, r.targetId, r.placeCode, r.ip, r.details, r.hash]
            .map(csvCell)
            .join(',') + '\r\n',
      )
      .join('');
  }
}

export async function verify(ctx: AppContext, actor: Actor) {
  const report = await verifyAuditChain(ctx.db);
  await appendAudit(ctx.db, {
    actorId: actor.userId,
    actorName: actor.username,
    action: 'audit.verify',
    outcome: report.ok ? 'success' : 'failure',
    ip: actor.ip,
    details: { ...report },
  });
  return report;
}
