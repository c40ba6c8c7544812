import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../../db/types.ts';
import { FACT_COLUMNS, factSelect } from '../../db/migrations/0008_events_rollup.ts';
import { areaName, type StatsParts, type StatsQuery, type Totals } from './measures.ts';

/**
 * The event measures rollup (E4, DECISIONS D41). Triggers on `event` (migration
 * 0008_events_rollup) write what each change does to the measures into `event_rollup_delta` in
 * the same transaction; `foldRollup` moves deltas into `event_rollup` (counters per territory
 * node, Shanghai day, dimension, key) in one transaction; `readRollup` adds the rollup rows of
 * the whole days of the period, the pending deltas of those days and the raw rows of the partial
 * days at either end, in one statement (one snapshot). So a measure equals the raw computation at
 * any moment, folded or not.
 */

/** Deepest node (nlevel of its path) the rollup answers for: the community; a grid reads rows. */
export const ROLLUP_MAX_SCOPE_LEVEL = 5;
/** 't' rows go one level deeper (the grids), for a community's "by area". */
const T_LEVEL = ROLLUP_MAX_SCOPE_LEVEL + 1;
const FOLD_LOCK = 4_040_401;
const DAY_MS = 86_400_000;
const SHANGHAI_MS = 8 * 3_600_000;

const COUNTERS = FACT_COLUMNS.slice(6);
const sumCols = COUNTERS.map((c) => `sum(${c}) as ${c}`).join(', ');
const setCols = ['n', ...COUNTERS].map((c) => `${c} = event_rollup.${c} + excluded.${c}`).join(', ');

/**
 * Adds a relation of facts `src` (columns n, place_path, day, category_code, state, org and the
 * counters, already multiplied by their sign) to event_rollup at every level and dimension.
 */
async function addFacts(db: Kysely<DB>, src: string) {
  await sql
    .raw(
      `insert into event_rollup (node, parent, grain, day, dim, key, n, ${COUNTERS.join(', ')})
      select node, parent, grain, day, dim, key, sum(n), ${sumCols}
      from (
        select subpath(s.place_path, 0, k)::text as node,
          case when k > 1 then subpath(s.place_path, 0, k - 1)::text end as parent,
          g.grain, case when g.grain = 'm' then date_trunc('month', s.day)::date else s.day end as day,
          d.dim, d.key, s.n, ${COUNTERS.map((c) => `s.${c}`).join(', ')}
        from (${src}) s
        cross join lateral generate_series(1, least(nlevel(s.place_path), ${T_LEVEL})) k
        cross join lateral (values ('t', ''), ('s', s.state), ('c', s.category_code), ('o', s.org::text)) d(dim, key)
        cross join (values ('d'), ('m')) g(grain)
        where (d.dim = 't' or k <= ${ROLLUP_MAX_SCOPE_LEVEL}) and d.key is not null
      ) x
      group by node, parent, grain, day, dim, key
      order by node, grain, day, dim, key
      on conflict (node, grain, day, dim, key) do update set ${setCols}`,
    )
    .execute(db);
}

const signed = (d: string) =>
  `select ${d}.sign as n, ${d}.place_path, ${d}.day, ${d}.category_code, ${d}.state, ${d}.org, ` +
  COUNTERS.map((c) => `${d}.${c} * ${d}.sign as ${c}`).join(', ');

/**
 * Folds up to `limit` pending deltas into the rollup, oldest first. One folder at a time (an
 * advisory lock; another instance skips); the deltas leave and the counters change in one
 * transaction. Returns how many deltas were folded.
 */
export async function foldRollup(db: Kysely<DB>, limit = 50_000): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const got = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(${FOLD_LOCK}) as ok`.execute(tx);
    if (!got.rows[0].ok) return 0;
    await sql`create temp table if not exists rollup_fold (like event_rollup_delta) on commit delete rows`.execute(tx);
    await sql`
      with d as (
        delete from event_rollup_delta where id in (select id from event_rollup_delta order by id limit ${limit}) returning *
      )
      insert into rollup_fold select * from d`.execute(tx);
    const n = (await sql<{ n: number }>`select count(*)::int as n from rollup_fold`.execute(tx)).rows[0].n;
    if (n > 0) await addFacts(tx, signed('f') + ' from rollup_fold f');
    await sql`delete from rollup_fold`.execute(tx);
    return n;
  });
}

/**
 * Folds every delta committed before the call: pages of `limit` while a page comes back full.
 * It does not chase deltas that arrive meanwhile — under a burst of filings that chase never
 * ended, a fold and a commit every few milliseconds (a quarter of PostgreSQL's CPU in the
 * two-instances bench); the next run of the folder takes them.
 */
export async function foldAll(db: Kysely<DB>, limit = 50_000): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await foldRollup(db, limit);
    total += n;
    if (n < limit) return total;
  }
}

/**
 * Recomputes the rollup from `event` (backfill, repair, after a bulk load): writes to `event`
 * wait while it runs. The facts are first summed per grid, day and key, then spread over levels.
 */
export async function rebuildRollup(db: Kysely<DB>): Promise<{ events: number; rows: number }> {
  return db.transaction().execute(async (tx) => {
    await sql`lock table event in share mode`.execute(tx);
    await sql`select pg_advisory_xact_lock(${FOLD_LOCK})`.execute(tx);
    await sql`truncate event_rollup, event_rollup_delta`.execute(tx);
    const leaf = `subpath(f.place_path, 0, least(nlevel(f.place_path), ${T_LEVEL}))`;
    await sql
      .raw(
        `create temp table rollup_leaf on commit drop as
        select count(*)::bigint as n, ${leaf} as place_path, f.day, f.category_code, f.state, f.org, ${sumCols}
        from (select ${factSelect('e')} from event e where e.state <> 'merged') f
        group by ${leaf}, f.day, f.category_code, f.state, f.org`,
      )
      .execute(tx);
    await addFacts(tx, `select * from rollup_leaf`);
    const events = (await sql<{ n: number }>`select coalesce(sum(n), 0)::int as n from rollup_leaf`.execute(tx)).rows[0].n;
    const rows = (await sql<{ n: number }>`select count(*)::int as n from event_rollup`.execute(tx)).rows[0].n;
    await sql`analyze event_rollup`.execute(tx);
    return { events, rows };
  });
}

/** Runs the folder every `intervalMs` in the background; returns a stop function. */
export function startRollupFolder(db: Kysely<DB>, intervalMs = 5_000, log: (err: unknown) => void = () => {}): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    foldAll(db)
      .catch(log)
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** Shanghai midnight at or after (`up`) or at or before `ms`. */
function midnight(ms: number, up: boolean): number {
  const local = ms + SHANGHAI_MS;
  const day = up ? Math.ceil(local / DAY_MS) : Math.floor(local / DAY_MS);
  return day * DAY_MS - SHANGHAI_MS;
}
const dateOf = (midnightMs: number) => new Date(midnightMs + SHANGHAI_MS).toISOString().slice(0, 10);

const list = (xs: RawBuilder<unknown>[]) => sql.join(xs, sql`, `);

/** The parts of the measures of a node (level ≤ ROLLUP_MAX_SCOPE_LEVEL) from the rollup. */
export async function readRollup(db: Kysely<DB>, q: StatsQuery, bucket: StatsParts['bucket']): Promise<StatsParts> {
  const L = q.scopeLevelDepth;
  const S = q.scopePath;
  const from = q.from.getTime();
  const to = q.to.getTime();
  let fullFrom = midnight(from, true);
  let fullTo = midnight(to, false);
  // Whole days [fullFrom, fullTo) from the rollup; the partial days at either end from the rows.
  const edges: [Date, Date][] = [];
  if (fullFrom >= fullTo) {
    fullFrom = fullTo = from;
    edges.push([q.from, q.to]);
  } else {
    if (from < fullFrom) edges.push([q.from, new Date(fullFrom)]);
    if (fullTo < to) edges.push([new Date(fullTo), q.to]);
  }
  const d1 = dateOf(midnight(fullFrom, false));
  const d2 = fullFrom === fullTo ? d1 : dateOf(fullTo);
  // Whole months by month rows when the trend is monthly; the other whole days by day rows.
  const monthStart = (d: string) => `${d.slice(0, 8)}01`;
  const nextMonth = (d: string) => {
    const [y, m] = [Number(d.slice(0, 4)), Number(d.slice(5, 7))];
    return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  };
  const m1 = d1 === monthStart(d1) ? d1 : nextMonth(d1);
  const m2 = monthStart(d2);
  const ranges: ['d' | 'm', string, string][] =
    bucket === 'month' && m1 < m2
      ? [
          ['d', d1, m1],
          ['m', m1, m2],
          ['d', m2, d2],
        ]
      : [['d', d1, d2]];
  const rollupRows = (where: RawBuilder<unknown>) =>
    sql.join(
      ranges
        .filter(([, a, b]) => a < b)
        .map(
          ([g, a, b]) =>
            sql`select r.dim, r.node, r.key, r.day, r.n, ${c('r')} from event_rollup r
              where ${where} and r.grain = ${g} and r.day >= ${a}::date and r.day < ${b}::date`,
        ),
      sql` union all `,
    );
  const edgeCond = edges.length
    ? sql.join(
        edges.map(([a, b]) => sql`(e.reported_at >= ${a} and e.reported_at < ${b})`),
        sql` or `,
      )
    : sql`false`;
  // The districts under (or above) the node, so the partial days are read by (district, reported_at).
  const districts = sql`(select d.code from division d where nlevel(d.path) = 3 and (d.path <@ ${S}::ltree or ${S}::ltree <@ d.path))`;
  const c = (p: string) => list(COUNTERS.map((k) => sql.raw(`${p}.${k}`)));
  const sums = list(
    COUNTERS.map((k) =>
      sql.raw(k === 'accept_s' || k === 'close_s' || k === 'resp_s' ? `sum(${k})::text as ${k}` : `sum(${k})::int as ${k}`),
    ),
  );

  const rows = (
    await sql<
      { dim: string; node: string; key: string | null; period: string | null; n: number } & Record<
        (typeof COUNTERS)[number],
        number | string
      >
    >`
    with x as (
      select d.sign as n, d.place_path, d.day, d.category_code, d.state, d.org, ${list(COUNTERS.map((k) => sql.raw(`d.${k} * d.sign as ${k}`)))}
      from event_rollup_delta d where d.place_path <@ ${S}::ltree and d.day >= ${d1}::date and d.day < ${d2}::date
      union all
      select 1, f.place_path, f.day, f.category_code, f.state, f.org, ${c('f')}
      from event e cross join lateral (select ${sql.raw(factSelect('e'))}) f
      where e.district_code in ${districts} and (${edgeCond}) and e.place_path <@ ${S}::ltree and e.state <> 'merged'
    ),
    f as (
      ${d1 < d2 ? sql`${rollupRows(sql`r.node = ${S}`)} union all ${rollupRows(sql`r.parent = ${S} and r.dim = 't'`)} union all` : sql``}
      select v.dim, v.node, v.key, x.day, x.n, ${c('x')}
      from x cross join lateral (values ('t', ${S}, ''), ('s', ${S}, x.state), ('c', ${S}, x.category_code), ('o', ${S}, x.org::text),
        ('t', case when nlevel(x.place_path) > ${L} then subpath(x.place_path, 0, ${L + 1})::text end, '')) v(dim, node, key)
      where v.node is not null and v.key is not null
    )
    select dim, node, key, period, sum(n)::int as n, ${sums}
    from (select f.*, to_char(date_trunc(${bucket}, f.day::timestamp), 'YYYY-MM-DD') as period from f) f
    group by grouping sets ((dim, node, key), (dim, node, period))
    having sum(n) <> 0`.execute(db)
  ).rows;

  const num = (v: number | string) => Number(v);
  const str = (v: number | string) => String(v);
  const zero: Totals = {
    total: 0,
    closed: 0,
    on_time: 0,
    accepted: 0,
    resolved: 0,
    rated: 0,
    satisfied: 0,
    sat_sum: 0,
    grid: 0,
    community: 0,
    street: 0,
    open_overdue: 0,
    supervised: 0,
    whistled: 0,
    accept_s: '0',
    close_s: '0',
  };
  let totals = zero;
  const byState: StatsParts['byState'] = [];
  const leafCats: { code: string; n: number; closed: number }[] = [];
  const areas: typeof rows = [];
  const depts: typeof rows = [];
  const trend: StatsParts['trend'] = [];
  for (const r of rows) {
    if (r.period !== null) {
      if (r.dim === 't' && r.node === S) trend.push({ period: r.period, reported: r.n, closed: num(r.closed) });
    } else if (r.dim === 't' && r.node === S) {
      totals = {
        total: r.n,
        closed: num(r.closed),
        on_time: num(r.on_time),
        accepted: num(r.accepted),
        resolved: num(r.resolved),
        rated: num(r.rated),
        satisfied: num(r.satisfied),
        sat_sum: num(r.sat),
        grid: num(r.grid),
        community: num(r.community),
        street: num(r.street),
        open_overdue: num(r.open_overdue),
        supervised: num(r.supervised),
        whistled: num(r.whistled),
        accept_s: str(r.accept_s),
        close_s: str(r.close_s),
      };
    } else if (r.dim === 't') areas.push(r);
    else if (r.dim === 's') byState.push({ state: r.key!, n: r.n });
    else if (r.dim === 'c') leafCats.push({ code: r.key!, n: r.n, closed: num(r.closed) });
    else if (r.dim === 'o') depts.push(r);
  }
  trend.sort((a, b) => (a.period < b.period ? -1 : 1));

  const byCategory = new Map<string, StatsParts['byCategory'][number]>();
  if (leafCats.length) {
    const cats = await sql<{ code: string; top: string; name: string }>`
      select c.code, coalesce(c.parent_code, c.code) as top, coalesce(p.name, c.name) as name
      from event_category c left join event_category p on p.code = c.parent_code
      where c.code in (${list(leafCats.map((x) => sql`${x.code}`))})`.execute(db);
    const info = new Map(cats.rows.map((r) => [r.code, r]));
    for (const x of leafCats) {
      const i = info.get(x.code)!;
      const g = byCategory.get(i.top) ?? { code: i.top, name: i.name, n: 0, closed: 0 };
      g.n += x.n;
      g.closed += x.closed;
      byCategory.set(i.top, g);
    }
  }

  const codes = areas.map((a) => a.node.split('.').at(-1)!);
  const names = codes.length
    ? new Map(
        (
          await sql<{ code: string; name: string | null }>`
          select v.code, ${areaName(sql`v.code`)} as name from (values ${list(codes.map((k) => sql`(${k}::text)`))}) v(code)`.execute(db)
        ).rows.map((r) => [r.code, r.name]),
      )
    : new Map<string, string | null>();
  const byArea = areas.map((a, i) => ({
    code: codes[i],
    name: names.get(codes[i]) ?? null,
    n: a.n,
    closed: num(a.closed),
    on_time: num(a.on_time),
    open: a.n - num(a.closed),
    overdue: num(a.open_overdue),
    satisfied: num(a.satisfied),
    rated: num(a.rated),
  }));

  const orgNames = depts.length
    ? new Map(
        (
          await sql<{
            id: string;
            name: string;
          }>`select id::text as id, name from org where id in (${list(depts.map((d) => sql`${d.key}::uuid`))})`.execute(db)
        ).rows.map((r) => [r.id, r.name]),
      )
    : new Map<string, string>();
  const departments = depts.map((d) => ({
    id: d.key!,
    name: orgNames.get(d.key!) ?? '',
    whistled: d.n,
    responded: num(d.responded),
    closed: num(d.closed),
    resp_s: str(d.resp_s),
  }));

  return { totals, byState, byCategory: [...byCategory.values()], byArea, departments, bucket, trend };
}
