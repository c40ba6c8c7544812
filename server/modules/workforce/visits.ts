import { sql } from 'kysely';
import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../../core/audit.ts';
import { pathInScope } from '../../core/permissions.ts';
import type { VisitKind } from '../../db/types-workforce.ts';
import { todayInShanghai } from '../registry/person-rules.ts';
import { auditOf, loadWorker } from './archive.ts';
import * as store from './store.ts';

/**
 * Grid workers' visit log (走访, 民情日志, W7). A grid worker logs their own visits; HR with
 * workforce.manage over the worker's community may log one for them. The month's count is a part
 * of the grid score (grid-score.ts), so a visit of a month whose pay is confirmed is refused.
 */

export const VISIT_KIND_ZH: Record<VisitKind, string> = {
  household: '入户走访',
  business: '商户走访',
  follow_up: '重点人员回访',
  other: '其他走访',
};

/** The active worker record of the signed-in user, if they are one. */
async function ownWorkerId(ctx: AppContext, actor: Actor): Promise<string> {
  const r = await ctx.db
    .selectFrom('worker as w')
    .innerJoin('person as p', (j) => j.onRef('p.district_code', '=', 'w.district_code').onRef('p.id', '=', 'w.person_id'))
    .select('w.id')
    .where('p.user_id', '=', actor.userId)
    .where('w.status', '=', 'active')
    .executeTakeFirst();
  if (!r) throw new AppError('NOT_FOUND', { worker: 'self' });
  return r.id;
}

/** The worker a visit is for: oneself, or one under the caller's manage scope. */
async function visitWorker(ctx: AppContext, actor: Actor, workerId: string | undefined) {
  const w = await loadWorker(ctx, actor, workerId ?? (await ownWorkerId(ctx, actor)));
  if (w.user_id !== actor.userId && !pathInScope(actor.scope('workforce.manage'), w.path))
    throw new AppError('FORBIDDEN', { permission: 'workforce.manage' });
  return w;
}

export interface VisitInput {
  workerId?: string;
  visitedOn: string;
  kind: VisitKind;
  place: string;
  note?: string;
}

export async function logVisit(ctx: AppContext, actor: Actor, input: VisitInput) {
  const w = await visitWorker(ctx, actor, input.workerId);
  const problems: { field: string; reason: string }[] = [];
  if (input.visitedOn > todayInShanghai()) problems.push({ field: 'visitedOn', reason: '走访日期不能晚于今天' });
  if (input.visitedOn < w.work_start) problems.push({ field: 'visitedOn', reason: '走访日期不能早于参加社区工作的日期' });
  if (problems.length) throw new AppError('VALIDATION_FAILED', { problems });
  const paid = await ctx.db
    .selectFrom('pay_run')
    .select('id')
    .where('district_code', '=', w.district_code)
    .where('month', '=', input.visitedOn.slice(0, 7))
    .where('status', '=', 'confirmed')
    .executeTakeFirst();
  if (paid) throw new AppError('PAY_RUN_CONFIRMED', { runId: paid.id });
  const id = await ctx.db.transaction().execute(async (tx) => {
    const r = await tx
      .insertInto('worker_visit')
      .values({
        district_code: w.district_code,
        worker_id: w.id,
        path: w.path,
        visited_on: input.visitedOn,
        kind: input.kind,
        place: input.place,
        note: input.note ?? '',
        logged_by: actor.username,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendAudit(tx, auditOf(actor, 'workforce.visit', 'worker_visit', r.id, w.community_code, { workerId: w.id }));
    return r.id;
  });
  return { id, workerId: w.id };
}

/** A worker's visits in a month (oneself, or under the caller's manage scope). */
export async function listVisits(ctx: AppContext, actor: Actor, input: { workerId?: string; month: string }) {
  const w = await visitWorker(ctx, actor, input.workerId);
  const rows = await ctx.db
    .selectFrom('worker_visit')
    .select(['id', store.ymd('visited_on').as('visited_on'), 'kind', 'place', 'note', 'logged_by'])
    .where('district_code', '=', w.district_code)
    .where('worker_id', '=', w.id)
    .where(sql<string>`to_char(visited_on, 'YYYY-MM')`, '=', input.month)
    .orderBy('visited_on', 'desc')
    .orderBy('created_at', 'desc')
    .execute();
  return {
    workerId: w.id,
    name: w.name,
    month: input.month,
    items: rows.map((r) => ({ id: r.id, visitedOn: r.visited_on, kind: r.kind, place: r.place, note: r.note, loggedBy: r.logged_by })),
  };
}
