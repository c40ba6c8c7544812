import { sql, type SqlBool } from 'kysely';
import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { pathInScope, type Scope } from '../../core/permissions.ts';
import { createCalendar, isWorkingDay, type WorkCalendar } from '../../core/calendar.ts';
import { chineseDaysRows } from '../../core/calendar-data.ts';
import { type BonusTable, type Requirements } from './recruitment-rules.ts';
import * as store from './store.ts';

/** Recruitment (W3): the working-day calendar of the notice, and reading a plan within the caller's reach. */

let calendar: WorkCalendar | null = null;
export function workCalendar(): WorkCalendar {
  calendar ??= createCalendar(chineseDaysRows());
  return calendar;
}

/** The last day of a notice that starts on `start` and runs `days` working days. */
export function noticeEnd(cal: WorkCalendar, start: string, days = 5): string {
  let d = start;
  let count = 0;
  for (let guard = 0; guard < 60; guard++) {
    if (isWorkingDay(cal, d)) count++;
    if (count === days) return d;
    d = new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  }
  throw new Error('no five working days within sixty days');
}

/** Plans are district-wide: visible to anyone whose scope lies inside or above the plan's district. */
export function planVisible(scope: Scope) {
  if (scope.all) return sql<SqlBool>`true`;
  if (!scope.territoryPaths.length) return sql<SqlBool>`false`;
  const paths = sql`${sql.val(scope.territoryPaths)}::text[]::ltree[]`;
  return sql<SqlBool>`(pl.path <@ ${paths} or pl.path @> ${paths})`;
}

export async function loadPlan(ctx: AppContext, actor: Actor, id: string) {
  const r = await ctx.db
    .selectFrom('recruit_plan as pl')
    .selectAll('pl')
    .select([
      sql<string>`pl.path::text`.as('path'),
      store.ymdOrNull('pl.notice_start').as('notice_start'),
      store.ymdOrNull('pl.notice_end').as('notice_end'),
    ])
    .where('pl.id', '=', id)
    .where(planVisible(actor.scope('workforce.read')))
    .executeTakeFirst();
  if (!r) throw new AppError('NOT_FOUND', { id });
  return r;
}
export type PlanRow = Awaited<ReturnType<typeof loadPlan>>;

export function requireDistrictRecruiter(actor: Actor, plan: PlanRow) {
  if (!pathInScope(actor.scope('workforce.recruit'), plan.path)) throw new AppError('FORBIDDEN', { permission: 'workforce.recruit' });
}

export function planView(p: PlanRow) {
  return {
    id: p.id,
    districtCode: p.district_code,
    year: p.year,
    title: p.title,
    stage: p.stage,
    requirements: p.requirements as Requirements,
    bonus: p.bonus as BonusTable,
    writtenPass: Number(p.written_pass),
    interviewPass: Number(p.interview_pass),
    writtenWeight: Number(p.written_weight),
    noticeStart: p.notice_start,
    noticeEnd: p.notice_end,
    version: p.version,
  };
}

export async function getPlan(ctx: AppContext, actor: Actor, id: string) {
  const p = await loadPlan(ctx, actor, id);
  const posts = await ctx.db
    .selectFrom('recruit_post as rp')
    .innerJoin('division as s', 's.code', 'rp.street_code')
    .select(['rp.id', 'rp.street_code', 's.name as street_name', 'rp.name', 'rp.quota'])
    .select(
      sql<Record<string, number>>`(select coalesce(jsonb_object_agg(status, n), '{}'::jsonb) from (
        select a.status, count(*)::int as n from recruit_application a
        where a.district_code = rp.district_code and a.post_id = rp.id group by a.status) x)`.as('counts'),
    )
    .where('rp.district_code', '=', p.district_code)
    .where('rp.plan_id', '=', id)
    .orderBy('rp.street_code')
    .execute();
  return {
    ...planView(p),
    canRecruit: pathInScope(actor.scope('workforce.recruit'), p.path),
    posts: posts.map((x) => ({
      id: x.id,
      streetCode: x.street_code,
      streetName: x.street_name,
      name: x.name,
      quota: x.quota,
      counts: x.counts,
    })),
  };
}
