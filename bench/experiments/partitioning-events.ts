/**
 * Experiment for docs/SCALING.md: the `event` table (the largest at scale: 10,000,000 rows per
 * district in issue 4's budget) unpartitioned against a copy partitioned by LIST (district_code),
 * with the same rows in both. A database with one generated district is enough: its events are
 * copied under K-1 further district codes (district_code and the place codes rewritten), so the
 * table holds K districts of the same shape. Not a scenario; run by hand on a generated database:
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/<a database with generated events> \
 *     EXP_DISTRICTS=4 node --import tsx bench/experiments/partitioning-events.ts
 *
 * Prints per query shape the median and p95 on each table (interleaved) and the partitions each
 * plan touches. Leaves event_flat and event_part behind (drop the database afterwards).
 */
import pg from 'pg';
import { percentile } from '../lib/stats.ts';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('set DATABASE_URL to a database with generated events');
const K = Number(process.env.EXP_DISTRICTS ?? 4);
const REPS = Number(process.env.EXP_REPS ?? 15);
const db = new pg.Client({ connectionString: url });
await db.connect();

const [{ d: home, n }] = (
  await db.query<{ d: string; n: string }>(`select district_code as d, count(*)::text as n from event group by 1 order by 2 desc limit 1`)
).rows;
// Stand-in district codes (990001…): only the rows' shape matters here, not the codes.
const codes = [home, ...Array.from({ length: K - 1 }, (_, i) => String(990001 + i))];
console.log(`event: ${n} rows in ${home}; the copies hold ${K} districts (${codes.join(', ')}), ${Number(n) * K} rows each`);

const cols = (
  await db.query<{ c: string }>(
    `select attname as c from pg_attribute where attrelid = 'event'::regclass and attnum > 0 and not attisdropped order by attnum`,
  )
).rows.map((r) => r.c);
const rewritten = (d: string) =>
  cols
    .map((c) =>
      c === 'district_code'
        ? `'${d}'::char(6)`
        : c === 'place_code'
          ? `'${d}' || substr(place_code, 7)`
          : c === 'number'
            ? `number || '-${d}'`
            : c === 'id'
              ? `md5(id::text || '${d}')::uuid`
              : c,
    )
    .join(', ');

const t0 = performance.now();
await db.query(`drop table if exists event_flat, event_part`);
await db.query(`create table event_flat (like event including defaults)`);
await db.query(`create table event_part (like event including defaults) partition by list (district_code)`);
for (const d of codes) await db.query(`create table event_part_${d} partition of event_part for values in ('${d}')`);
for (const t of ['event_flat', 'event_part'])
  for (const d of codes)
    await db.query(`insert into ${t} (${cols.join(', ')}) select ${rewritten(d)} from event where district_code = $1`, [home]);
// The indexes the measures and lists use (0003_events.ts), on both.
for (const t of ['event_flat', 'event_part']) {
  await db.query(`alter table ${t} add primary key (district_code, id)`);
  await db.query(`create index on ${t} (district_code, state)`);
  await db.query(`create index on ${t} (district_code, reported_at)`);
  await db.query(`create index on ${t} using gist (place_path)`);
  await db.query(`vacuum analyze ${t}`);
}
console.log(`built both copies in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const community = (await db.query<{ c: string }>(`select left(place_code, 12) as c from event where district_code = $1 limit 1`, [home]))
  .rows[0].c;
const from = new Date('2023-01-01T00:00:00+08:00');
const to = new Date('2026-01-01T00:00:00+08:00');
// The hand-written measures of bench/scenarios/event-measures.ts (every measure, one scan).
const measures = (t: string) => `
  select grouping(e.state) as g_state, e.state, cat, area, count(*) as n,
    count(*) filter (where e.closed_at is not null) as closed, count(*) filter (where e.closed_on_time) as on_time,
    avg(extract(epoch from e.closed_at - e.reported_at)) as close_s
  from (select e.*, split_part(e.category_code, '.', 1) as cat, substr(e.place_code, 1, $2::int) as area from ${t} e
        where e.district_code = $1 and e.place_code like $3 and e.reported_at >= $4 and e.reported_at < $5 and e.state <> 'merged') e
  group by grouping sets ((), (e.state), (cat), (area))`;
type Shape = { label: string; sql: (t: string) => string; params: unknown[] };
const SHAPES: Shape[] = [
  { label: 'every measure of a district (3 years)', sql: measures, params: [home, 9, `${home}%`, from, to] },
  { label: 'every measure of a community (3 years)', sql: measures, params: [home, 15, `${community}%`, from, to] },
  {
    label: "a district's open events by state (the command centre's counters)",
    sql: (t) => `select state, count(*) from ${t} where district_code = $1 and state not in ('closed', 'merged') group by state`,
    params: [home],
  },
  {
    label: 'open events by path only, no district_code (as a scope-by-path query would)',
    sql: (t) => `select count(*) from ${t} where place_path <@ (select path from division where code = $1) and state <> 'closed'`,
    params: [home],
  },
  {
    label: "the last 20 reported events of a district (a list's first page)",
    sql: (t) => `select id from ${t} where district_code = $1 order by reported_at desc limit 20`,
    params: [home],
  },
];

for (const shape of SHAPES) {
  const times: Record<string, number[]> = { event_flat: [], event_part: [] };
  for (let i = 0; i < REPS + 1; i++) {
    for (const t of ['event_flat', 'event_part']) {
      const s = performance.now();
      await db.query(shape.sql(t), shape.params);
      if (i > 0) times[t].push(performance.now() - s);
    }
  }
  const plan = (await db.query<{ 'QUERY PLAN': string }>(`explain ${shape.sql('event_part')}`, shape.params)).rows.map(
    (r) => r['QUERY PLAN'],
  );
  const touched = new Set(plan.join('\n').match(/event_part_\d{6}/g) ?? []);
  const f = (xs: number[]) => `p50 ${percentile(xs, 50)!.toFixed(1)} ms, p95 ${percentile(xs, 95)!.toFixed(1)} ms`;
  console.log(
    `\n${shape.label}\n  event (flat):        ${f(times.event_flat)}\n  event (partitioned): ${f(times.event_part)} (plan touches ${touched.size} of ${K} partitions)`,
  );
}
const size = async (t: string) =>
  (await db.query<{ mb: string }>(`select (pg_total_relation_size('${t}') / 1048576.0)::numeric(10,1)::text as mb`)).rows[0].mb;
const partSize = (
  await db.query<{ mb: string }>(
    `select (sum(pg_total_relation_size(inhrelid)) / 1048576.0)::numeric(10,1)::text as mb from pg_inherits where inhparent = 'event_part'::regclass`,
  )
).rows[0].mb;
console.log(`\nsize: event_flat ${await size('event_flat')} MB, event_part ${partSize} MB (partitions and their indexes)`);
await db.end();
