import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { pathInScope } from '../../core/permissions.ts';
import type { HonourKind } from '../../db/types-workforce.ts';
import { todayInShanghai } from '../registry/person-rules.ts';
import * as careStore from './care-store.ts';
import { healthCheckState, HONOUR_ZH, MAX_AWARD_FEN, type HealthCheckStatus } from './honours.ts';
import { settingsOf } from './staffing.ts';
import * as store from './store.ts';

/**
 * The lists of honours and care (W6) for street and district HR: award records, care-fund
 * applications with who may decide them, and who has had this year's health check.
 */

/** A place the caller manages workers under (district, street or community). */
async function managedPlace(ctx: AppContext, actor: Actor, code: string) {
  const node = await store.findDivision(ctx.db, code);
  if (!node) throw new AppError('TERRITORY_NOT_FOUND', { code });
  if (!pathInScope(actor.scope('workforce.manage'), node.path)) throw new AppError('OUT_OF_SCOPE', { code });
  return node;
}

export async function listAwards(ctx: AppContext, actor: Actor, code: string, f: { year?: number; kind?: HonourKind }) {
  const node = await managedPlace(ctx, actor, code);
  const rows = await careStore.listHonours(ctx.db, actor.scope('workforce.manage'), code.slice(0, 6), node.path, f);
  const items = rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    kindName: HONOUR_ZH[r.kind],
    title: r.title,
    year: r.year,
    amountFen: Number(r.amount_fen),
    awardedOn: r.awarded_on,
    awardedBy: r.awarded_by,
    collective: r.worker_id === null,
    workerId: r.worker_id,
    workerName: r.worker_name,
    communityCode: r.community_code,
    communityName: r.community_name,
  }));
  return {
    place: node.name,
    capsFen: MAX_AWARD_FEN,
    totalFen: items.reduce((s, i) => s + i.amountFen, 0),
    items,
  };
}

export async function listCareFund(
  ctx: AppContext,
  actor: Actor,
  code: string,
  f: { year?: number; status?: 'applied' | 'approved' | 'rejected' },
) {
  const node = await managedPlace(ctx, actor, code);
  const rows = await careStore.listCareFund(ctx.db, actor.scope('workforce.manage'), code.slice(0, 6), node.path, f);
  const pay = actor.scope('workforce.pay');
  return {
    place: node.name,
    items: rows.map((r) => ({
      id: r.id,
      workerId: r.worker_id,
      name: r.name,
      communityName: r.community_name,
      year: r.year,
      amountFen: Number(r.amount_fen),
      reason: r.reason,
      status: r.status as 'applied' | 'approved' | 'rejected',
      appliedAt: r.created_at,
      decidedBy: r.decided_by,
      decidedAt: r.decided_at,
      decisionNote: r.decision_note,
      /** The district decides (workforce.pay over the worker's place), only while pending. */
      canDecide: r.status === 'applied' && pathInScope(pay, r.path),
      version: r.version,
    })),
  };
}

/**
 * Yearly health checks (年度体检) of the active workers under a place: each one's last check and
 * whether this year's is done, due or overdue (the rule: healthCheckState), with the counts.
 */
export async function healthChecks(ctx: AppContext, actor: Actor, code: string, year: number) {
  const node = await managedPlace(ctx, actor, code);
  const { healthCheckByMonth } = await settingsOf(ctx, code.slice(0, 6));
  const today = todayInShanghai();
  const rows = await careStore.healthCheckRows(ctx.db, actor.scope('workforce.manage'), code.slice(0, 6), node.path, year);
  const counts: Record<HealthCheckStatus, number> = { done: 0, due: 0, overdue: 0 };
  const items = rows.map((r) => {
    const s = healthCheckState(
      [r.in_year, r.before].filter((d): d is string => d !== null),
      year,
      today,
      healthCheckByMonth,
    );
    counts[s.status]++;
    return { workerId: r.id, name: r.name, communityName: r.community_name, ...s };
  });
  return { place: node.name, year, today, byMonth: healthCheckByMonth, total: items.length, counts, items };
}
