import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/types.ts';

/**
 * Measures of services for residents (issue 5, item 9; M1 services part) for a territory node and a
 * period, as SQL over the rows themselves — nothing is counted twice or stored on the side.
 *
 * Every services row carries its community, so the figures are grouped by community and rolled up
 * to the children of the node: streets of a district, communities of a street; a community node
 * has one row, itself. Cohorts by period:
 * - applications received in the period (accepted_at); done, refused, withdrawn, open, overdue
 *   (open and past due now) are states of that cohort; on time = done no later than due ÷ done
 * - help orders posted in the period (created_at); taken, completed (completed or confirmed),
 *   escalated to the community worker
 * - volunteer hours confirmed by the organiser in the period (volunteer_signup.confirmed_at)
 * - points issued (positive ledger entries) and spent (negative) in the period
 */
export interface ServiceStatsQuery {
  /** ltree path of the node (district, street or community). */
  scopePath: string;
  from: Date;
  to: Date;
  now?: Date;
}

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 10000) / 10000 : null);

interface AreaRow {
  code: string;
  name: string | null;
  received: number;
  done: number;
  done_on_time: number;
  refused: number;
  withdrawn: number;
  open: number;
  overdue: number;
  orders_posted: number;
  orders_taken: number;
  orders_completed: number;
  orders_escalated: number;
  volunteer_hours: number;
  points_issued: number;
  points_spent: number;
}

const FIGURES = [
  'received',
  'done',
  'done_on_time',
  'refused',
  'withdrawn',
  'open',
  'overdue',
  'orders_posted',
  'orders_taken',
  'orders_completed',
  'orders_escalated',
  'volunteer_hours',
  'points_issued',
  'points_spent',
] as const;

export async function serviceStats(db: Kysely<DB>, q: ServiceStatsQuery) {
  const now = q.now ?? new Date();
  const depth = q.scopePath.split('.').length;
  // Communities under the node, each mapped to the child of the node it lies in.
  const rows = (
    await sql<AreaRow>`
    with c as (
      select d.code as community_code,
        case when nlevel(d.path) > ${depth} then subltree(d.path, ${depth}, ${depth + 1})::text else d.code end as area
      from division d where d.level = 'community' and d.path <@ ${q.scopePath}::ltree
    ),
    apps as (
      select c.area, count(*)::int as received,
        count(*) filter (where a.state = 'done')::int as done,
        count(*) filter (where a.state = 'done' and a.finished_at <= a.due_at)::int as done_on_time,
        count(*) filter (where a.state = 'refused')::int as refused,
        count(*) filter (where a.state = 'withdrawn')::int as withdrawn,
        count(*) filter (where a.state not in ('done','refused','withdrawn'))::int as open,
        count(*) filter (where a.state not in ('done','refused','withdrawn') and a.due_at < ${now})::int as overdue
      from service_application a join c on c.community_code = a.community_code
      where a.accepted_at >= ${q.from} and a.accepted_at < ${q.to}
      group by c.area
    ),
    orders as (
      select c.area, count(*)::int as orders_posted,
        count(*) filter (where o.taken_at is not null)::int as orders_taken,
        count(*) filter (where o.state in ('completed','confirmed'))::int as orders_completed,
        count(*) filter (where o.escalated_at is not null)::int as orders_escalated
      from help_order o join c on c.community_code = o.community_code
      where o.created_at >= ${q.from} and o.created_at < ${q.to}
      group by c.area
    ),
    hours as (
      select c.area, coalesce(sum(s.hours), 0)::float as volunteer_hours
      from volunteer_signup s
      join volunteer_project p on p.district_code = s.district_code and p.id = s.project_id
      join c on c.community_code = p.community_code
      where s.confirmed_at >= ${q.from} and s.confirmed_at < ${q.to}
      group by c.area
    ),
    points as (
      select c.area,
        coalesce(sum(l.delta) filter (where l.delta > 0), 0)::int as points_issued,
        coalesce(-sum(l.delta) filter (where l.delta < 0), 0)::int as points_spent
      from points_ledger l join c on c.community_code = l.community_code
      where l.at >= ${q.from} and l.at < ${q.to}
      group by c.area
    ),
    areas as (select distinct area from c)
    select areas.area as code, (select d.name from division d where d.code = areas.area) as name,
      coalesce(apps.received, 0) as received, coalesce(apps.done, 0) as done, coalesce(apps.done_on_time, 0) as done_on_time,
      coalesce(apps.refused, 0) as refused, coalesce(apps.withdrawn, 0) as withdrawn, coalesce(apps.open, 0) as open,
      coalesce(apps.overdue, 0) as overdue,
      coalesce(orders.orders_posted, 0) as orders_posted, coalesce(orders.orders_taken, 0) as orders_taken,
      coalesce(orders.orders_completed, 0) as orders_completed, coalesce(orders.orders_escalated, 0) as orders_escalated,
      coalesce(hours.volunteer_hours, 0) as volunteer_hours,
      coalesce(points.points_issued, 0) as points_issued, coalesce(points.points_spent, 0) as points_spent
    from areas
      left join apps on apps.area = areas.area
      left join orders on orders.area = areas.area
      left join hours on hours.area = areas.area
      left join points on points.area = areas.area
    order by areas.area`.execute(db)
  ).rows;

  const total = Object.fromEntries(FIGURES.map((k) => [k, 0])) as Record<(typeof FIGURES)[number], number>;
  for (const r of rows) for (const k of FIGURES) total[k] += Number(r[k]);
  const figures = (r: Record<(typeof FIGURES)[number], number>) => ({
    applications: {
      received: r.received,
      done: r.done,
      refused: r.refused,
      withdrawn: r.withdrawn,
      open: r.open,
      overdue: r.overdue,
      onTimeRate: ratio(r.done_on_time, r.done),
    },
    orders: { posted: r.orders_posted, taken: r.orders_taken, completed: r.orders_completed, escalated: r.orders_escalated },
    volunteerHours: Math.round(Number(r.volunteer_hours) * 100) / 100,
    points: { issued: r.points_issued, spent: r.points_spent },
  });
  // Areas with nothing at all in the period are left out, so a district's chart shows where services happen.
  const active = rows.filter((r) => FIGURES.some((k) => Number(r[k]) !== 0));
  return {
    scope: q.scopePath.split('.').at(-1)!,
    from: q.from.toISOString(),
    to: q.to.toISOString(),
    ...figures(total),
    byArea: active.map((r) => ({ code: r.code, name: r.name ?? r.code, ...figures(r) })),
  };
}

export type ServiceStats = Awaited<ReturnType<typeof serviceStats>>;
