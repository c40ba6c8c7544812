import { sql } from 'kysely';
import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../../core/audit.ts';
import { pathInScope, type Scope } from '../../core/permissions.ts';
import type { Shift } from '../../db/types-workforce.ts';
import { auditOf, loadForManage, reachOf } from './archive.ts';
import { workCalendar } from './recruitment.ts';
import { planRota, shiftOf, type DutyCounts } from './rota.ts';
import { lastDayOfMonth } from './pay-rules.ts';
import * as store from './store.ts';

/** The rota of a community (W7): generated fairly for a month, adjusted by hand, visible to its workers. */

async function communityFor(ctx: AppContext, code: string) {
  const c = await store.findCommunity(ctx.db, code);
  if (!c) throw new AppError('TERRITORY_NOT_FOUND', { code });
  return c;
}

/** The community lies in the caller's reach, or the caller works inside it (a grid worker's grid). */
function reachesCommunity(scope: Scope, path: string): boolean {
  return pathInScope(scope, path) || (!scope.all && scope.territoryPaths.some((p) => p.startsWith(`${path}.`)));
}

export async function getRota(ctx: AppContext, actor: Actor, communityCode: string, month: string) {
  const c = await communityFor(ctx, communityCode);
  if (!reachesCommunity(actor.scope('workforce.read'), c.path)) throw new AppError('OUT_OF_SCOPE', { communityCode });
  // Anyone who can see a worker of the community sees its rota (their own duties at least).
  const rows = await ctx.db
    .selectFrom('rota_duty as d')
    .innerJoin('worker as w', (j) => j.onRef('w.district_code', '=', 'd.district_code').onRef('w.id', '=', 'd.worker_id'))
    .innerJoin('person as p', (j) => j.onRef('p.district_code', '=', 'w.district_code').onRef('p.id', '=', 'w.person_id'))
    .select(['d.id', store.ymd('d.day').as('day'), 'd.shift', 'd.worker_id', 'p.name', 'd.version'])
    .where('d.district_code', '=', c.code.slice(0, 6))
    .where('d.community_code', '=', c.code)
    .where(sql<boolean>`to_char(d.day, 'YYYY-MM') = ${month}`)
    .where(store.workerVisible(reachOf(actor)))
    .orderBy('d.day')
    .execute();
  return {
    communityCode: c.code,
    communityName: c.name,
    month,
    duties: rows.map((r) => ({ id: r.id, day: r.day, shift: r.shift, workerId: r.worker_id, name: r.name, version: r.version })),
  };
}

export async function generateRota(ctx: AppContext, actor: Actor, communityCode: string, month: string) {
  const c = await communityFor(ctx, communityCode);
  if (!pathInScope(actor.scope('workforce.manage'), c.path)) throw new AppError('OUT_OF_SCOPE', { communityCode });
  const d = c.code.slice(0, 6);
  const workers = await ctx.db
    .selectFrom('worker')
    .select(['id', store.ymdOrNull('onboarded_on').as('onboarded_on')])
    .where('district_code', '=', d)
    .where('community_code', '=', c.code)
    .where('status', '=', 'active')
    .orderBy('work_start')
    .orderBy('id')
    .execute();
  const year = month.slice(0, 4);
  const prior = await ctx.db
    .selectFrom('rota_duty')
    .select(['worker_id', 'shift', sql<number>`count(*)::int`.as('n')])
    .where('district_code', '=', d)
    .where('community_code', '=', c.code)
    .where(sql<boolean>`to_char(day, 'YYYY') = ${year} and to_char(day, 'YYYY-MM') < ${month}`)
    .groupBy(['worker_id', 'shift'])
    .execute();
  const counts = new Map<string, DutyCounts>();
  for (const p of prior) {
    const cur = counts.get(p.worker_id) ?? { late: 0, weekend: 0, holiday: 0 };
    cur[p.shift] = p.n;
    counts.set(p.worker_id, cur);
  }
  const monthEnd = lastDayOfMonth(month);
  const plan = planRota(
    workCalendar(),
    month,
    workers.map((w) => ({ id: w.id, onboarded: w.onboarded_on !== null && w.onboarded_on <= monthEnd, onboardedOn: w.onboarded_on })),
    counts,
  );
  await ctx.db.transaction().execute(async (tx) => {
    await tx
      .deleteFrom('rota_duty')
      .where('district_code', '=', d)
      .where('community_code', '=', c.code)
      .where(sql<boolean>`to_char(day, 'YYYY-MM') = ${month}`)
      .execute();
    if (plan.duties.length)
      await tx
        .insertInto('rota_duty')
        .values(plan.duties.map((x) => ({ district_code: d, community_code: c.code, worker_id: x.workerId, day: x.day, shift: x.shift })))
        .execute();
    await appendAudit(
      tx,
      auditOf(actor, 'workforce.rota.generate', 'rota', `${c.code}:${month}`, c.code, {
        duties: plan.duties.length,
        excluded: plan.excluded.length,
      }),
    );
  });
  return { ...(await getRota(ctx, actor, c.code, month)), excluded: plan.excluded };
}

/** Puts one worker on duty for a day (swaps, extra cover); refused before onboarding. */
export async function assignDuty(ctx: AppContext, actor: Actor, input: { workerId: string; day: string }) {
  const w = await loadForManage(ctx, actor, input.workerId);
  if (!w.onboarded_on || w.onboarded_on > input.day)
    throw new AppError('TRAINING_REQUIRED', { workerId: w.id, onboardedOn: w.onboarded_on });
  const shift: Shift = shiftOf(workCalendar(), input.day);
  const id = await ctx.db.transaction().execute(async (tx) => {
    const r = await tx
      .insertInto('rota_duty')
      .values({ district_code: w.district_code, community_code: w.community_code, worker_id: w.id, day: input.day, shift })
      .onConflict((oc) => oc.columns(['district_code', 'worker_id', 'day']).doUpdateSet({ shift, updated_at: new Date() }))
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendAudit(tx, auditOf(actor, 'workforce.rota.assign', 'rota_duty', r.id, w.community_code, { day: input.day, shift }));
    return r.id;
  });
  return { id, day: input.day, shift, workerId: w.id };
}
