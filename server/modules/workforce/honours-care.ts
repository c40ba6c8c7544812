import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../../core/audit.ts';
import { pathInScope } from '../../core/permissions.ts';
import { inTerritoryScope } from '../../core/scope-sql.ts';
import { sql } from 'kysely';
import type { HonourKind } from '../../db/types-workforce.ts';
import { todayInShanghai } from '../registry/person-rules.ts';
import { auditOf, loadForManage } from './archive.ts';
import { awardProblem, careProblems, decisionProblems, honourCandidates, HONOUR_ZH, type CareRequest } from './honours.ts';
import { settingsOf } from './staffing.ts';
import * as store from './store.ts';

/** Honours and care (W6): candidate lists from years of service, award records, care fund, health checks. */

export async function candidates(ctx: AppContext, actor: Actor, code: string, year: number) {
  const node = await store.findDivision(ctx.db, code);
  if (!node) throw new AppError('TERRITORY_NOT_FOUND', { code });
  if (!pathInScope(actor.scope('workforce.manage'), node.path)) throw new AppError('OUT_OF_SCOPE', { code });
  const s = await settingsOf(ctx, code.slice(0, 6));
  const rows = await ctx.db
    .selectFrom('worker as w')
    .innerJoin('person as p', (j) => j.onRef('p.district_code', '=', 'w.district_code').onRef('p.id', '=', 'w.person_id'))
    .innerJoin('division as c', 'c.code', 'w.community_code')
    .select(['w.id', 'p.name', 'c.name as community_name', store.ymd('w.work_start').as('work_start')])
    .select(
      sql<
        HonourKind[]
      >`coalesce((select array_agg(distinct h.kind) from worker_honour h where h.district_code = w.district_code and h.worker_id = w.id), '{}')`.as(
        'awarded',
      ),
    )
    .where('w.status', '=', 'active')
    .where(inTerritoryScope(actor.scope('workforce.manage'), 'w.path'))
    .where(sql<boolean>`w.path <@ ${node.path}::ltree`)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const list = honourCandidates(
    rows.map((r) => ({ id: r.id, workStart: r.work_start, awarded: r.awarded })),
    year,
    { certificateYears: s.certificateYears, medalYears: s.medalYears, gengyunYears: s.gengyunYears },
  );
  return {
    place: node.name,
    year,
    thresholds: { certificateYears: s.certificateYears, medalYears: s.medalYears, gengyunYears: s.gengyunYears },
    items: list.map((c) => ({
      workerId: c.workerId,
      name: byId.get(c.workerId)!.name,
      communityName: byId.get(c.workerId)!.community_name,
      workStart: byId.get(c.workerId)!.work_start,
      kind: c.kind,
      kindName: HONOUR_ZH[c.kind],
      years: c.years,
    })),
  };
}

export interface HonourInput {
  workerId?: string;
  communityCode?: string;
  kind: HonourKind;
  title?: string;
  year: number;
  amountFen: number;
  awardedOn?: string;
  /** Who conferred it (授予单位). */
  awardedBy?: string;
}

export async function award(ctx: AppContext, actor: Actor, input: HonourInput) {
  const collective = !input.workerId;
  const problem = awardProblem(input.amountFen, collective);
  if (problem) throw new AppError('AWARD_TOO_LARGE', { reason: problem, amountFen: input.amountFen });
  let districtCode: string;
  let place: string;
  if (input.workerId) {
    const w = await loadForManage(ctx, actor, input.workerId);
    districtCode = w.district_code;
    place = w.community_code;
  } else {
    const c = input.communityCode ? await store.findCommunity(ctx.db, input.communityCode) : undefined;
    if (!c) throw new AppError('TERRITORY_NOT_FOUND', { communityCode: input.communityCode });
    if (!pathInScope(actor.scope('workforce.manage'), c.path)) throw new AppError('OUT_OF_SCOPE', { communityCode: c.code });
    districtCode = c.code.slice(0, 6);
    place = c.code;
  }
  const id = await ctx.db.transaction().execute(async (tx) => {
    if (input.workerId && input.kind !== 'award') {
      const dup = await tx
        .selectFrom('worker_honour')
        .select('id')
        .where('district_code', '=', districtCode)
        .where('worker_id', '=', input.workerId)
        .where('kind', '=', input.kind)
        .executeTakeFirst();
      if (dup) throw new AppError('CONFLICT', { reason: 'already_awarded', honourId: dup.id });
    }
    const r = await tx
      .insertInto('worker_honour')
      .values({
        district_code: districtCode,
        worker_id: input.workerId ?? null,
        community_code: input.workerId ? null : place,
        kind: input.kind,
        title: input.title?.trim() || HONOUR_ZH[input.kind],
        year: input.year,
        amount_fen: input.amountFen,
        awarded_on: input.awardedOn ?? todayInShanghai(),
        awarded_by: input.awardedBy?.trim() ?? '',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendAudit(
      tx,
      auditOf(actor, 'workforce.honour.award', 'worker_honour', r.id, place, { kind: input.kind, amountFen: input.amountFen }),
    );
    return r.id;
  });
  return { id };
}

/** A care-fund application (street or district HR on the worker's behalf) or a health check done. */
export async function applyCare(ctx: AppContext, actor: Actor, workerId: string, input: CareRequest) {
  const w = await loadForManage(ctx, actor, workerId);
  const today = todayInShanghai();
  const problems = careProblems(input, today);
  if (problems.length) throw new AppError('VALIDATION_FAILED', { problems });
  const id = await ctx.db.transaction().execute(async (tx) => {
    const r = await tx
      .insertInto('worker_care')
      .values({
        district_code: w.district_code,
        worker_id: w.id,
        kind: input.kind,
        year: input.year,
        amount_fen: input.amountFen ?? 0,
        reason: input.reason?.trim() ?? '',
        status: input.kind === 'health_check' ? 'done' : 'applied',
        checked_on: input.kind === 'health_check' ? (input.checkedOn ?? today) : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendAudit(tx, auditOf(actor, 'workforce.care.apply', 'worker_care', r.id, w.community_code, { kind: input.kind }));
    return r.id;
  });
  return { id };
}

/** Care-fund decisions are the district's (workforce.pay holds the money); a refusal says why. */
export async function decideCare(
  ctx: AppContext,
  actor: Actor,
  careId: string,
  input: { version: number; approve: boolean; note?: string },
) {
  const problems = decisionProblems(input.approve, input.note);
  if (problems.length) throw new AppError('VALIDATION_FAILED', { problems });
  const c = await ctx.db.selectFrom('worker_care').selectAll().where('id', '=', careId).executeTakeFirst();
  if (!c) throw new AppError('NOT_FOUND', { careId });
  const w = await loadForManage(ctx, actor, c.worker_id);
  if (!pathInScope(actor.scope('workforce.pay'), w.path)) throw new AppError('FORBIDDEN', { permission: 'workforce.pay' });
  if (c.kind !== 'care_fund' || c.status !== 'applied') throw new AppError('CONFLICT', { reason: 'not_pending' });
  await ctx.db.transaction().execute(async (tx) => {
    const r = await tx
      .updateTable('worker_care')
      .set({
        status: input.approve ? 'approved' : 'rejected',
        decided_by: actor.username,
        decided_at: new Date(),
        decision_note: input.note?.trim() ?? '',
        updated_at: new Date(),
        version: c.version + 1,
      })
      .where('district_code', '=', c.district_code)
      .where('id', '=', careId)
      .where('version', '=', input.version)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new AppError('VERSION_CONFLICT', { currentVersion: c.version });
    await appendAudit(
      tx,
      auditOf(actor, 'workforce.care.decide', 'worker_care', careId, w.community_code, {
        approve: input.approve,
        note: input.note?.trim() ?? '',
      }),
    );
  });
  return { id: careId, status: input.approve ? 'approved' : 'rejected' };
}
