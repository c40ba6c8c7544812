/**
 * Experiment for docs/SCALING.md: the person table as it is, against a copy partitioned by LIST
 * (district_code), on a PostgreSQL database where `gongzhi bench generate` filled several
 * districts. Not a scenario (it needs a multi-district database and a few minutes); run by hand:
 *
 *   createdb gz_part; for d in 330212 320412 320411 320402; do  # districts whose communities the division list ships
 *     DATABASE_URL=postgres://postgres@127.0.0.1:5432/gz_part node bin/gongzhi.js bench generate --residents 250000 --district $d --seed 1
 *   done
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/gz_part node --import tsx bench/experiments/partitioning.ts
 *
 * Prints, per query shape, the median and p95 of 200 executions on each table (same parameters,
 * interleaved) and the partitions each plan touches. Leaves person_part behind (drop the database).
 */
import pg from 'pg';
import { percentile } from '../lib/stats.ts';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('set DATABASE_URL to the generated database');
const db = new pg.Client({ connectionString: url });
await db.connect();

const districts = (
  await db.query<{ d: string; n: string }>(`select district_code as d, count(*)::text as n from person group by 1 order by 1`)
).rows;
console.log(`person: ${districts.map((r) => `${r.d} ${r.n}`).join(', ')}`);
if (districts.length < 2) throw new Error('generate at least two districts first');

const exists = (await db.query(`select 1 from pg_class where relname = 'person_part'`)).rowCount;
if (!exists) {
  const t0 = performance.now();
  await db.query(`create table person_part (like person including defaults including constraints) partition by list (district_code)`);
  for (const { d } of districts) await db.query(`create table person_part_${d} partition of person_part for values in ('${d}')`);
  await db.query(`insert into person_part select * from person`);
  await db.query(`alter table person_part add primary key (district_code, id)`);
  // The registry's search indexes (0002_registry.ts), on the partitioned parent.
  await db.query(`create index on person_part (district_code, id_bidx)`);
  await db.query(`create index on person_part (id_bidx)`);
  await db.query(`create index on person_part (name text_pattern_ops)`);
  await db.query(`create index on person_part (name_pinyin, id)`);
  await db.query(`create index on person_part (name_initials, id)`);
  await db.query(`create index on person_part using gist (path)`);
  await db.query(`analyze person_part`);
  console.log(`person_part built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

const d0 = districts[0].d;
const [scope] = (await db.query<{ path: string }>(`select path::text as path from division where code = $1`, [d0])).rows;
const samples = (
  await db.query<{ bidx: string; name: string; py: string; ini: string }>(
    `select id_bidx as bidx, name, name_pinyin as py, name_initials as ini from person where district_code = $1 order by id_bidx limit 200`,
    [d0],
  )
).rows;

type Shape = { label: string; sql: (t: string) => string; params: (s: (typeof samples)[number]) => unknown[] };
const SHAPES: Shape[] = [
  {
    label: 'ID lookup by blind index, no district (as the registry searches today)',
    sql: (t) => `select id from ${t} where id_bidx = $1`,
    params: (s) => [s.bidx],
  },
  {
    label: 'ID lookup by blind index with district_code = the scope district',
    sql: (t) => `select id from ${t} where district_code = $2 and id_bidx = $1`,
    params: (s) => [s.bidx, d0],
  },
  {
    label: 'name prefix within the scope path, first page (as today: no district predicate)',
    sql: (t) =>
      `select id from ${t} p where p.name like $1 and p.name_pinyin like $2 and p.status = 'active' and p.path <@ $3::ltree order by p.name_pinyin, p.id limit 21`,
    params: (s) => [`${s.name}%`, `${s.py}%`, scope.path],
  },
  {
    label: 'name prefix within the scope path, with district_code = the scope district',
    sql: (t) =>
      `select id from ${t} p where p.district_code = $4 and p.name like $1 and p.name_pinyin like $2 and p.status = 'active' and p.path <@ $3::ltree order by p.name_pinyin, p.id limit 21`,
    params: (s) => [`${s.name}%`, `${s.py}%`, scope.path, d0],
  },
  {
    label: 'initials within the scope path, first page (as today)',
    sql: (t) =>
      `select id from ${t} p where p.name_initials like $1 and p.status = 'active' and p.path <@ $2::ltree order by p.name_initials, p.id limit 21`,
    params: (s) => [`${s.ini}%`, scope.path],
  },
  {
    label: "count of a district's residents by path (a dashboard figure)",
    sql: (t) => `select count(*) from ${t} p where p.path <@ $1::ltree and p.status = 'active'`,
    params: () => [scope.path],
  },
  {
    label: "count of a district's residents by district_code",
    sql: (t) => `select count(*) from ${t} p where p.district_code = $1 and p.status = 'active'`,
    params: () => [d0],
  },
];

for (const shape of SHAPES) {
  const times: Record<string, number[]> = { person: [], person_part: [] };
  const reps = shape.label.startsWith('count') ? 20 : samples.length;
  for (let i = 0; i < reps; i++) {
    for (const t of ['person', 'person_part']) {
      const t0 = performance.now();
      await db.query(shape.sql(t), shape.params(samples[i]));
      times[t].push(performance.now() - t0);
    }
  }
  const plan = (await db.query<{ 'QUERY PLAN': string }>(`explain ${shape.sql('person_part')}`, shape.params(samples[0]))).rows.map(
    (r) => r['QUERY PLAN'],
  );
  const touched = new Set(plan.join('\n').match(/person_part_\d{6}/g) ?? []);
  const f = (xs: number[]) => `p50 ${percentile(xs, 50)!.toFixed(2)} ms, p95 ${percentile(xs, 95)!.toFixed(2)} ms`;
  console.log(
    `\n${shape.label}\n  person:      ${f(times.person)}\n  person_part: ${f(times.person_part)} (plan touches ${touched.size} of ${districts.length} partitions)`,
  );
}
await db.end();
