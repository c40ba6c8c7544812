import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/types.ts';
import { readRollup, ROLLUP_MAX_SCOPE_LEVEL } from './rollup.ts';

/**
 * Measures of the closed loop (E4) for a territory node and a period. The cohort is the events
 * reported in the period under the node (duplicates merged away are left out). Rates are shares
 * 0–1 with null when there is nothing to divide by.
 *
 * - split721: of the closed events, the share closed at grid / community / street (target 70/20/10)
 * - closureRate: closed ÷ reported; onTimeRate: closed without ever running overdue ÷ closed
 * - responseRate: accepted ÷ reported (响应率); resolutionRate: closed and not rated unsatisfied
 *   (satisfaction ≥ 3 or not rated) ÷ reported (解决率); satisfactionRate: rated 4–5 ÷ rated (满意率)
 *
 * `eventStats` answers from the rollup (rollup.ts, D41) for nodes down to the community and from
 * the rows for a grid; `eventStatsRaw` is the reference computation over the rows, kept so the
 * rollup is tested against it (rollup.test.ts) and as the fallback.
 */
export interface StatsQuery {
  scopePath: string;
  scopeLevelDepth: number;
  from: Date;
  to: Date;
}

/** Sums over a set of events; `*_s` are exact sums of seconds as decimal text. */
export interface Totals {
  total: number;
  closed: number;
  on_time: number;
  accepted: number;
  resolved: number;
  rated: number;
  satisfied: number;
  sat_sum: number;
  grid: number;
  community: number;
  street: number;
  open_overdue: number;
  supervised: number;
  whistled: number;
  accept_s: string;
  close_s: string;
}

export interface StatsParts {
  totals: Totals;
  byState: { state: string; n: number }[];
  byCategory: { code: string; name: string; n: number; closed: number }[];
  byArea: {
    code: string;
    name: string | null;
    n: number;
    closed: number;
    on_time: number;
    open: number;
    overdue: number;
    satisfied: number;
    rated: number;
  }[];
  departments: { id: string; name: string; whistled: number; responded: number; closed: number; resp_s: string }[];
  bucket: 'day' | 'week' | 'month';
  trend: { period: string; reported: number; closed: number }[];
}

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 10000) / 10000 : null);
const hours = (seconds: string, n: number) => (n > 0 ? Math.round((Number(seconds) / n / 3600) * 10) / 10 : null);
const byCountThen =
  <T>(count: (x: T) => number, key: (x: T) => string) =>
  (a: T, b: T) =>
    count(b) - count(a) || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

export function trendBucket(from: Date, to: Date): 'day' | 'week' | 'month' {
  const days = (to.getTime() - from.getTime()) / 86_400_000;
  return days > 120 ? 'month' : days > 31 ? 'week' : 'day';
}

/** The measures from their parts; one function for both computations, ties ordered by key. */
export function shapeStats(q: StatsQuery, p: StatsParts) {
  const t = p.totals;
  const closed = t.closed;
  return {
    scope: q.scopePath.split('.').at(-1)!,
    from: q.from.toISOString(),
    to: q.to.toISOString(),
    total: t.total,
    closed,
    open: t.total - closed,
    openOverdue: t.open_overdue,
    supervised: t.supervised,
    whistled: t.whistled,
    split721: {
      grid: ratio(t.grid, closed),
      community: ratio(t.community, closed),
      street: ratio(t.street, closed),
      counts: { grid: t.grid, community: t.community, street: t.street },
    },
    closureRate: ratio(closed, t.total),
    onTimeRate: ratio(t.on_time, closed),
    responseRate: ratio(t.accepted, t.total),
    resolutionRate: ratio(t.resolved, t.total),
    satisfactionRate: ratio(t.satisfied, t.rated),
    averageSatisfaction: t.rated ? Math.round((t.sat_sum / t.rated) * 100) / 100 : null,
    averageAcceptHours: hours(t.accept_s, t.accepted),
    averageCloseHours: hours(t.close_s, closed),
    byState: [...p.byState]
      .sort(
        byCountThen(
          (r) => r.n,
          (r) => r.state,
        ),
      )
      .map((r) => ({ state: r.state, count: r.n })),
    byCategory: [...p.byCategory]
      .sort(
        byCountThen(
          (r) => r.n,
          (r) => r.code,
        ),
      )
      .map((r) => ({ code: r.code, name: r.name, count: r.n, closed: r.closed })),
    byArea: [...p.byArea]
      .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
      .map((r) => ({
        code: r.code,
        name: r.name ?? r.code,
        count: r.n,
        open: r.open,
        overdue: r.overdue,
        closureRate: ratio(r.closed, r.n),
        onTimeRate: ratio(r.on_time, r.closed),
        satisfactionRate: ratio(r.satisfied, r.rated),
      })),
    departments: [...p.departments]
      .sort(
        byCountThen(
          (r) => r.whistled,
          (r) => r.id,
        ),
      )
      .map((r) => ({
        id: r.id,
        name: r.name,
        whistled: r.whistled,
        responded: r.responded,
        closed: r.closed,
        averageResponseHours: hours(r.resp_s, r.responded),
      })),
    trend: { bucket: p.bucket, points: p.trend.map((r) => ({ period: r.period, reported: r.reported, closed: r.closed })) },
  };
}

export type EventStats = ReturnType<typeof shapeStats>;

/** The measures: from the rollup down to the community, from the rows below it. */
export async function eventStats(db: Kysely<DB>, q: StatsQuery): Promise<EventStats> {
  if (q.scopeLevelDepth > ROLLUP_MAX_SCOPE_LEVEL) return eventStatsRaw(db, q);
  return shapeStats(q, await readRollup(db, q, trendBucket(q.from, q.to)));
}

/** The reference computation: plain SQL over `event`, one scan per measure. */
export async function eventStatsRaw(db: Kysely<DB>, q: StatsQuery): Promise<EventStats> {
  const base = sql`e.place_path <@ ${q.scopePath}::ltree and e.reported_at >= ${q.from} and e.reported_at < ${q.to} and e.state <> 'merged'`;

  const totals = (
    await sql<Totals>`
    select count(*)::int as total,
      count(*) filter (where e.closed_at is not null)::int as closed,
      count(*) filter (where e.closed_at is not null and e.closed_on_time)::int as on_time,
      count(*) filter (where e.accepted_at is not null)::int as accepted,
      count(*) filter (where e.closed_at is not null and (e.satisfaction is null or e.satisfaction >= 3))::int as resolved,
      count(*) filter (where e.satisfaction is not null)::int as rated,
      count(*) filter (where e.satisfaction >= 4)::int as satisfied,
      coalesce(sum(e.satisfaction), 0)::int as sat_sum,
      count(*) filter (where e.closed_level = 'grid')::int as grid,
      count(*) filter (where e.closed_level = 'community')::int as community,
      count(*) filter (where e.closed_level = 'street')::int as street,
      count(*) filter (where e.overdue and e.closed_at is null)::int as open_overdue,
      count(*) filter (where e.supervised_count > 0)::int as supervised,
      count(*) filter (where e.whistled_at is not null)::int as whistled,
      coalesce(sum(extract(epoch from e.accepted_at - e.reported_at)), 0)::text as accept_s,
      coalesce(sum(extract(epoch from e.closed_at - e.reported_at)), 0)::text as close_s
    from event e where ${base}`.execute(db)
  ).rows[0];

  const byState = (
    await sql<{ state: string; n: number }>`select e.state, count(*)::int as n from event e where ${base} group by e.state`.execute(db)
  ).rows;

  const byCategory = (
    await sql<{ code: string; name: string; n: number; closed: number }>`
    select coalesce(c.parent_code, c.code) as code, coalesce(p.name, c.name) as name, count(*)::int as n,
      count(*) filter (where e.closed_at is not null)::int as closed
    from event e join event_category c on c.code = e.category_code left join event_category p on p.code = c.parent_code
    where ${base} group by 1, 2`.execute(db)
  ).rows;

  // One row per child of the node (streets of a district, communities of a street, grids of a community).
  const depth = q.scopeLevelDepth + 1;
  const byArea = (
    await sql<StatsParts['byArea'][number]>`
    with a as (
      select subltree(e.place_path, ${depth - 1}, ${depth})::text as code, e.*
      from event e where ${base} and nlevel(e.place_path) >= ${depth}
    )
    select a.code, ${areaName(sql`a.code`)} as name,
      count(*)::int as n,
      count(*) filter (where a.closed_at is not null)::int as closed,
      count(*) filter (where a.closed_at is not null and a.closed_on_time)::int as on_time,
      count(*) filter (where a.closed_at is null)::int as open,
      count(*) filter (where a.overdue and a.closed_at is null)::int as overdue,
      count(*) filter (where a.satisfaction >= 4)::int as satisfied,
      count(*) filter (where a.satisfaction is not null)::int as rated
    from a group by a.code`.execute(db)
  ).rows;

  const departments = (
    await sql<StatsParts['departments'][number]>`
    select o.id, o.name, count(*)::int as whistled,
      count(*) filter (where e.responded_at is not null)::int as responded,
      count(*) filter (where e.closed_at is not null)::int as closed,
      coalesce(sum(extract(epoch from e.responded_at - e.whistled_at)), 0)::text as resp_s
    from event e join org o on o.district_code = e.district_code and o.id = e.lead_org_id
    where ${base} and e.whistled_at is not null group by o.id, o.name`.execute(db)
  ).rows;

  const bucket = trendBucket(q.from, q.to);
  const trend = (
    await sql<{ period: string; reported: number; closed: number }>`
    select to_char(date_trunc(${bucket}, e.reported_at at time zone 'Asia/Shanghai'), 'YYYY-MM-DD') as period,
      count(*)::int as reported, count(*) filter (where e.closed_at is not null)::int as closed
    from event e where ${base} group by 1 order by 1`.execute(db)
  ).rows;

  return shapeStats(q, { totals, byState, byCategory, byArea, departments, bucket, trend });
}

/** The name of a territory node by its code (division, grid or building). */
export const areaName = (code: ReturnType<typeof sql>) =>
  sql`coalesce((select d.name from division d where d.code = ${code}), (select g.name from grid g where g.code = ${code}),
               (select b.name from building b where b.code = ${code}))`;
