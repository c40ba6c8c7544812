import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/types.ts';

/**
 * Measures of the closed loop (E4) for a territory node and a period, as SQL over `event`.
 * The cohort is the events reported in the period under the node (duplicates merged away are left
 * out). Rates are shares 0–1 with null when there is nothing to divide by.
 *
 * - split721: of the closed events, the share closed at grid / community / street (target 70/20/10)
 * - closureRate: closed ÷ reported; onTimeRate: closed without ever running overdue ÷ closed
 * - responseRate: accepted ÷ reported (响应率); resolutionRate: closed and not rated unsatisfied
 *   (satisfaction ≥ 3 or not rated) ÷ reported (解决率); satisfactionRate: rated 4–5 ÷ rated (满意率)
 */
export interface StatsQuery {
  scopePath: string;
  scopeLevelDepth: number;
  from: Date;
  to: Date;
}

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 10000) / 10000 : null);

export async function eventStats(db: Kysely<DB>, q: StatsQuery) {
  const base = sql`e.place_path <@ ${q.scopePath}::ltree and e.reported_at >= ${q.from} and e.reported_at < ${q.to} and e.state <> 'merged'`;

  const totals = (
    await sql<{
      total: number;
      closed: number;
      on_time: number;
      accepted: number;
      resolved: number;
      rated: number;
      satisfied: number;
      sat_sum: number | null;
      grid: number;
      community: number;
      street: number;
      open_overdue: number;
      supervised: number;
      whistled: number;
      avg_accept_hours: number | null;
      avg_close_hours: number | null;
    }>`
    select count(*)::int as total,
      count(*) filter (where e.closed_at is not null)::int as closed,
      count(*) filter (where e.closed_at is not null and e.closed_on_time)::int as on_time,
      count(*) filter (where e.accepted_at is not null)::int as accepted,
      count(*) filter (where e.closed_at is not null and (e.satisfaction is null or e.satisfaction >= 3))::int as resolved,
      count(*) filter (where e.satisfaction is not null)::int as rated,
      count(*) filter (where e.satisfaction >= 4)::int as satisfied,
      sum(e.satisfaction)::float as sat_sum,
      count(*) filter (where e.closed_level = 'grid')::int as grid,
      count(*) filter (where e.closed_level = 'community')::int as community,
      count(*) filter (where e.closed_level = 'street')::int as street,
      count(*) filter (where e.overdue and e.closed_at is null)::int as open_overdue,
      count(*) filter (where e.supervised_count > 0)::int as supervised,
      count(*) filter (where e.whistled_at is not null)::int as whistled,
      avg(extract(epoch from e.accepted_at - e.reported_at) / 3600)::float as avg_accept_hours,
      avg(extract(epoch from e.closed_at - e.reported_at) / 3600)::float as avg_close_hours
    from event e where ${base}`.execute(db)
  ).rows[0];

  const byState = (
    await sql<{
      state: string;
      n: number;
    }>`select e.state, count(*)::int as n from event e where ${base} group by e.state order by n desc`.execute(db)
  ).rows;

  const byCategory = (
    await sql<{ code: string; name: string; n: number; closed: number }>`
    select coalesce(c.parent_code, c.code) as code, coalesce(p.name, c.name) as name, count(*)::int as n,
      count(*) filter (where e.closed_at is not null)::int as closed
    from event e join event_category c on c.code = e.category_code left join event_category p on p.code = c.parent_code
    where ${base} group by 1, 2 order by n desc`.execute(db)
  ).rows;

  // One row per child of the node (streets of a district, communities of a street, grids of a community).
  const depth = q.scopeLevelDepth + 1;
  const byArea = (
    await sql<{
      code: string;
      name: string | null;
      n: number;
      closed: number;
      on_time: number;
      open: number;
      overdue: number;
      satisfied: number;
      rated: number;
    }>`
    with a as (
      select subltree(e.place_path, ${depth - 1}, ${depth})::text as code, e.*
      from event e where ${base} and nlevel(e.place_path) >= ${depth}
    )
    select a.code,
      coalesce((select d.name from division d where d.code = a.code), (select g.name from grid g where g.code = a.code),
               (select b.name from building b where b.code = a.code)) as name,
      count(*)::int as n,
      count(*) filter (where a.closed_at is not null)::int as closed,
      count(*) filter (where a.closed_at is not null and a.closed_on_time)::int as on_time,
      count(*) filter (where a.closed_at is null)::int as open,
      count(*) filter (where a.overdue and a.closed_at is null)::int as overdue,
      count(*) filter (where a.satisfaction >= 4)::int as satisfied,
      count(*) filter (where a.satisfaction is not null)::int as rated
    from a group by a.code order by a.code`.execute(db)
  ).rows;

  const departments = (
    await sql<{ id: string; name: string; whistled: number; responded: number; closed: number; avg_response_hours: number | null }>`
    select o.id, o.name, count(*)::int as whistled,
      count(*) filter (where e.responded_at is not null)::int as responded,
      count(*) filter (where e.closed_at is not null)::int as closed,
      avg(extract(epoch from e.responded_at - e.whistled_at) / 3600)::float as avg_response_hours
    from event e join org o on o.district_code = e.district_code and o.id = e.lead_org_id
    where ${base} and e.whistled_at is not null group by o.id, o.name order by whistled desc`.execute(db)
  ).rows;

  const days = (q.to.getTime() - q.from.getTime()) / 86_400_000;
  const bucket = days > 120 ? 'month' : days > 31 ? 'week' : 'day';
  const trend = (
    await sql<{ period: string; reported: number; closed: number }>`
    select to_char(date_trunc(${bucket}, e.reported_at at time zone 'Asia/Shanghai'), 'YYYY-MM-DD') as period,
      count(*)::int as reported, count(*) filter (where e.closed_at is not null)::int as closed
    from event e where ${base} group by 1 order by 1`.execute(db)
  ).rows;

  const closed = totals.closed;
  return {
    scope: q.scopePath.split('.').at(-1)!,
    from: q.from.toISOString(),
    to: q.to.toISOString(),
    total: totals.total,
    closed,
    open: totals.total - closed,
    openOverdue: totals.open_overdue,
    supervised: totals.supervised,
    whistled: totals.whistled,
    split721: {
      grid: ratio(totals.grid, closed),
      community: ratio(totals.community, closed),
      street: ratio(totals.street, closed),
      counts: { grid: totals.grid, community: totals.community, street: totals.street },
    },
    closureRate: ratio(closed, totals.total),
    onTimeRate: ratio(totals.on_time, closed),
    responseRate: ratio(totals.accepted, totals.total),
    resolutionRate: ratio(totals.resolved, totals.total),
    satisfactionRate: ratio(totals.satisfied, totals.rated),
    averageSatisfaction: totals.rated ? Math.round(((totals.sat_sum ?? 0) / totals.rated) * 100) / 100 : null,
    averageAcceptHours: totals.avg_accept_hours === null ? null : Math.round(totals.avg_accept_hours * 10) / 10,
    averageCloseHours: totals.avg_close_hours === null ? null : Math.round(totals.avg_close_hours * 10) / 10,
    byState: byState.map((r) => ({ state: r.state, count: r.n })),
    byCategory: byCategory.map((r) => ({ code: r.code, name: r.name, count: r.n, closed: r.closed })),
    byArea: byArea.map((r) => ({
      code: r.code,
      name: r.name ?? r.code,
      count: r.n,
      open: r.open,
      overdue: r.overdue,
      closureRate: ratio(r.closed, r.n),
      onTimeRate: ratio(r.on_time, r.closed),
      satisfactionRate: ratio(r.satisfied, r.rated),
    })),
    departments: departments.map((r) => ({
      id: r.id,
      name: r.name,
      whistled: r.whistled,
      responded: r.responded,
      closed: r.closed,
      averageResponseHours: r.avg_response_hours === null ? null : Math.round(r.avg_response_hours * 10) / 10,
    })),
    trend: { bucket, points: trend.map((r) => ({ period: r.period, reported: r.reported, closed: r.closed })) },
  };
}

export type EventStats = Awaited<ReturnType<typeof eventStats>>;
