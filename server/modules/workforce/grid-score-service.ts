import { sql, type Kysely } from 'kysely';
import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../../core/audit.ts';
import { pathInScope } from '../../core/permissions.ts';
import type { DB } from '../../db/types.ts';
import { auditOf } from './archive.ts';
import { gridScore, type GridMonth } from './grid-score.ts';
import * as store from './store.ts';

/**
 * Grid workers' monthly scores (W7) from the events module: a grid worker is a worker whose
 * registry person signs in with a 网格员 role. Counted in Asia/Shanghai months: events they
 * reported, visits they logged (走访, worker_visit), events they closed (and of those, on time),
 * and residents' ratings given that month to events they reported or closed. The scores land in worker_month_score, which the month's
 * pay run reads for the 网格绩效 line; a confirmed month is never recomputed.
 */

interface CountRow {
  worker_id: string;
  reported: number;
  visits: number;
  closed: number;
  on_time: number;
  ratings: number;
  rating_sum: number;
}

function monthBounds(month: string) {
  const [y, m] = month.split('-').map(Number);
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return { from: `${month}-01T00:00:00+08:00`, to: `${next}-01T00:00:00+08:00` };
}

/** One query per district and month: every grid worker with their counts (zero when idle). */
export async function countGridMonth(db: Kysely<DB>, districtCode: string, month: string): Promise<CountRow[]> {
  const { from, to } = monthBounds(month);
  const r = await sql<CountRow>`
    with gw as (
      select w.id as worker_id, p.user_id
      from worker w join person p on p.district_code = w.district_code and p.id = w.person_id
      where w.district_code = ${districtCode} and w.status = 'active' and p.user_id is not null
        and exists (select 1 from role_binding rb where rb.user_id = p.user_id and rb.role = 'grid_worker')
    ),
    rep as (
      select e.reporter_id as user_id, count(*)::int as n from event e
      where e.district_code = ${districtCode} and e.reported_at >= ${from}::timestamptz and e.reported_at < ${to}::timestamptz
        and e.reporter_id in (select user_id from gw)
      group by e.reporter_id
    ),
    vis as (
      select v.worker_id, count(*)::int as n from worker_visit v
      where v.district_code = ${districtCode} and v.visited_on >= ${`${month}-01`}::date
        and v.visited_on < (${`${month}-01`}::date + interval '1 month') and v.worker_id in (select worker_id from gw)
      group by v.worker_id
    ),
    clo as (
      select s.actor_id as user_id, count(distinct e.id)::int as n,
        count(distinct e.id) filter (where e.closed_on_time)::int as on_time
      from event_step s join event e on e.district_code = s.district_code and e.id = s.event_id
      where s.district_code = ${districtCode} and s.action = 'close'
        and s.at >= ${from}::timestamptz and s.at < ${to}::timestamptz
        and e.closed_at is not null and s.actor_id in (select user_id from gw)
      group by s.actor_id
    ),
    rat as (
      select gw.user_id, count(*)::int as n, coalesce(sum(e.satisfaction), 0)::int as total
      from gw join event e on e.district_code = ${districtCode}
      where e.satisfaction is not null and e.evaluated_at >= ${from}::timestamptz and e.evaluated_at < ${to}::timestamptz
        and (e.reporter_id = gw.user_id or exists (select 1 from event_step s where s.district_code = e.district_code
             and s.event_id = e.id and s.action = 'close' and s.actor_id = gw.user_id))
      group by gw.user_id
    )
    select gw.worker_id, coalesce(rep.n, 0) as reported, coalesce(vis.n, 0) as visits, coalesce(clo.n, 0) as closed, coalesce(clo.on_time, 0) as on_time,
      coalesce(rat.n, 0) as ratings, coalesce(rat.total, 0) as rating_sum
    from gw left join rep on rep.user_id = gw.user_id left join clo on clo.user_id = gw.user_id
      left join rat on rat.user_id = gw.user_id left join vis on vis.worker_id = gw.worker_id`.execute(db);
  return r.rows;
}

/**
 * Computes and stores the month's scores; called by the pay run before it loads its facts, and
 * on its own so HR can look at the scores first.
 */
export async function refreshGridScores(db: Kysely<DB>, districtCode: string, month: string) {
  const rows = await countGridMonth(db, districtCode, month);
  const scored = rows.map((r) => {
    const m: GridMonth = {
      reported: r.reported,
      visits: r.visits,
      closed: r.closed,
      closedOnTime: r.on_time,
      ratings: r.ratings,
      ratingSum: r.rating_sum,
    };
    return { workerId: r.worker_id, month: m, ...gridScore(m) };
  });
  if (scored.length) {
    const doc = JSON.stringify(scored.map((s) => ({ w: s.workerId, s: s.score, b: { counts: s.month, parts: s.parts } })));
    await sql`
      insert into worker_month_score (district_code, worker_id, month, score, basis)
      select ${districtCode}, x.w, ${month}, x.s, x.b from json_to_recordset(${doc}::json) as x(w uuid, s numeric, b jsonb)
      on conflict (district_code, worker_id, month)
      do update set score = excluded.score, basis = excluded.basis, updated_at = now(), version = worker_month_score.version + 1`.execute(
      db,
    );
  }
  return scored;
}

async function payDistrict(ctx: AppContext, actor: Actor, districtCode: string) {
  const d = await store.findDivision(ctx.db, districtCode);
  if (!d || d.level !== 'district') throw new AppError('TERRITORY_NOT_FOUND', { districtCode });
  if (!pathInScope(actor.scope('workforce.pay'), d.path)) throw new AppError('OUT_OF_SCOPE', { districtCode });
  return d;
}

async function monthConfirmed(db: Kysely<DB>, districtCode: string, month: string) {
  const run = await db
    .selectFrom('pay_run')
    .select(['id', 'status'])
    .where('district_code', '=', districtCode)
    .where('month', '=', month)
    .executeTakeFirst();
  return run?.status === 'confirmed' ? run.id : null;
}

export async function computeGridScores(ctx: AppContext, actor: Actor, input: { districtCode: string; month: string }) {
  await payDistrict(ctx, actor, input.districtCode);
  const confirmed = await monthConfirmed(ctx.db, input.districtCode, input.month);
  if (confirmed) throw new AppError('PAY_RUN_CONFIRMED', { runId: confirmed });
  await ctx.db.transaction().execute(async (tx) => {
    const scored = await refreshGridScores(tx, input.districtCode, input.month);
    await appendAudit(
      tx,
      auditOf(actor, 'workforce.pay.grid_scores', 'worker_month_score', input.month, input.districtCode, { workers: scored.length }),
    );
  });
  return listGridScores(ctx, actor, input);
}

export async function listGridScores(ctx: AppContext, actor: Actor, input: { districtCode: string; month: string }) {
  await payDistrict(ctx, actor, input.districtCode);
  const rows = await ctx.db
    .selectFrom('worker_month_score as s')
    .innerJoin('worker as w', (j) => j.onRef('w.district_code', '=', 's.district_code').onRef('w.id', '=', 's.worker_id'))
    .innerJoin('person as p', (j) => j.onRef('p.district_code', '=', 'w.district_code').onRef('p.id', '=', 'w.person_id'))
    .innerJoin('division as c', 'c.code', 'w.community_code')
    .select(['s.worker_id', 'p.name', 'c.name as community_name', 's.score', 's.basis'])
    .where('s.district_code', '=', input.districtCode)
    .where('s.month', '=', input.month)
    .orderBy('w.community_code')
    .orderBy('p.name')
    .execute();
  return {
    month: input.month,
    items: rows.map((r) => {
      const basis = r.basis as { counts?: GridMonth; parts?: unknown[] };
      return {
        workerId: r.worker_id,
        name: r.name,
        communityName: r.community_name,
        score: Number(r.score),
        counts: basis.counts ?? null,
        parts: basis.parts ?? [],
      };
    }),
  };
}
