import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../server/core/config.ts';
import { openContext } from '../../server/core/boot.ts';
import { idBlindIndex } from '../../server/modules/registry/pii.ts';
import { searchPersons } from '../../server/modules/registry/service.ts';
import { actorOf } from '../lib/actor.ts';
import { directorySizeMb } from '../lib/db.ts';
import { gongzhiEnv, runNode } from '../lib/proc.ts';
import { median, percentile } from '../lib/stats.ts';
import type { BenchEnv, DbTarget, Row, Scenario } from '../lib/types.ts';

/**
 * People search (issue 3, budgets search.*.p95 < 50 ms): by name, by pinyin initials and by
 * exact ID number among 1,000,000 generated residents (--quick: 50,000; BENCH_PEOPLE overrides),
 * as the district administrator `yinzhou` (scope 鄞州区, so the scope filter is part of the cost).
 *
 * The registry has no HTTP route on main yet, so "ours" is the registry SERVICE called
 * in-process (server/modules/registry/service.ts searchPersons: classify the query, Kysely,
 * scope filter, decrypt and mask the page) — not the API. Baseline: the hand-written SQL for the
 * same first page (same filters, scope and order, same joins for the address) on the raw driver.
 * One query at a time, ours and the baseline interleaved, each query a different person.
 */

const SEARCH_ROUTE_NOTE = 'in-process registry service, no /api/registry route on main yet';
const SHORT_NOTE = 'service in-process, no API route yet';

const PAGE = 20;
// The same first page as store.searchPersons: scope filter, status, order by the sort key and id.
const SELECT = `select p.id, p.name, p.gender, p.birth_date, p.id_enc, p.phone_enc, p.tags,
    b.address || u.name || h.room_label || '室' as address
  from person p
  left join house h on h.district_code = p.district_code and h.code = p.house_code
  left join building_unit u on u.district_code = h.district_code and u.code = h.unit_code
  left join building b on b.district_code = h.district_code and b.code = h.building_code`;
const BASELINE = {
  name: `${SELECT} where p.name like $1 and p.name_pinyin like $2 and p.status = 'active' and p.path <@ $3::ltree order by p.name_pinyin, p.id limit ${PAGE + 1}`,
  pinyin: `${SELECT} where p.name_initials like $1 and p.status = 'active' and p.path <@ $2::ltree order by p.name_initials, p.id limit ${PAGE + 1}`,
  id: `${SELECT} where p.id_bidx = $1 and p.status = 'active' and p.path <@ $2::ltree order by p.name_pinyin, p.id limit ${PAGE + 1}`,
};
type Kind = keyof typeof BASELINE;
const KINDS: { kind: Kind; label: string }[] = [
  { kind: 'name', label: 'by name' },
  { kind: 'pinyin', label: 'by pinyin initials' },
  { kind: 'id', label: 'by exact ID number' },
];

interface Sample {
  name: string;
  name_pinyin: string;
  name_initials: string;
  id_enc: string;
}

export function peopleSize(quick: boolean): number {
  const override = Number(process.env.BENCH_PEOPLE);
  if (Number.isInteger(override) && override > 0) return override;
  return quick ? 50_000 : 1_000_000;
}

interface GenerateJson {
  rows: Record<string, number>;
  ms: { total: number; load: number; copy: number; indexes: number; analyze: number };
  residentsPerSecond: number;
  communities: string[];
}

async function generateInto(env: BenchEnv, residents: number): Promise<PeopleDb> {
  const target = await env.newTarget('people');
  const log = path.join(env.workDir, 'logs', 'people-generate.log');
  env.log(`people-search: seeding the demo (accounts) into ${target.name}`);
  await runNode(
    'gongzhi seed --demo',
    ['bin/gongzhi.js', 'seed', '--demo'],
    gongzhiEnv(target),
    env.root,
    path.join(env.workDir, 'logs', 'people-seed.log'),
  );
  env.log(`people-search: generating ${residents.toLocaleString('en')} residents (gongzhi bench generate --seed 1)`);
  const ms = await runNode(
    'gongzhi bench generate',
    ['bin/gongzhi.js', 'bench', 'generate', '--residents', String(residents), '--seed', '1', '--json'],
    gongzhiEnv(target),
    env.root,
    log,
  );
  const line = fs
    .readFileSync(log, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('{'));
  if (!line) throw new Error(`bench generate printed no report; see ${log}`);
  const report = JSON.parse(line) as GenerateJson;
  env.log(`people-search: generated in ${(ms / 1000).toFixed(1)} s (${report.residentsPerSecond}/s inside the generator)`);
  return { target, report, processMs: ms };
}

export interface PeopleDb {
  target: DbTarget;
  report: GenerateJson;
  processMs: number;
}

const generated = new WeakMap<BenchEnv, Promise<PeopleDb>>();

/** The generated district of this run (generated once, shared with territory-at-scale). */
export function peopleDb(env: BenchEnv): Promise<PeopleDb> {
  let p = generated.get(env);
  if (!p) {
    p = generateInto(env, peopleSize(env.opts.quick));
    generated.set(env, p);
  }
  return p;
}

export const scenario: Scenario = {
  name: 'people-search',
  description: `search people by name, pinyin initials and exact ID among 1,000,000 generated residents (${SEARCH_ROUTE_NOTE}); baseline: hand-written SQL`,
  order: 30,
  async run(env) {
    const residents = peopleSize(env.opts.quick);
    const { target, report, processMs } = await peopleDb(env);
    const { ctx, database } = await openContext(loadConfig(gongzhiEnv(target)));
    const pool = target.databaseUrl ? new pg.Pool({ connectionString: target.databaseUrl, max: 2 }) : null;
    const raw = async (text: string, params: unknown[]) =>
      pool ? (await pool.query<{ id: string }>(text, params)).rows : (await database.pglite!.query<{ id: string }>(text, params)).rows;
    try {
      const actor = await actorOf(ctx, 'yinzhou');
      const scope = actor.scope('registry.read');
      if (scope.all || scope.territoryPaths.length !== 1) throw new Error('yinzhou should have exactly one territory scope');
      const scopePath = scope.territoryPaths[0];
      const queries = env.opts.quick ? 200 : 400;
      const warmup = 30;
      // Different people for every query, spread over the district (ordered by the blind index, which is random).
      const samples = (await raw(
        `select name, name_pinyin, name_initials, id_enc from person where community_code = any($1) order by id_bidx limit ${queries + warmup}`,
        [report.communities],
      )) as unknown as Sample[];
      const inputs = (s: Sample): Record<Kind, { q: string; params: unknown[] }> => {
        const number = ctx.keyring.decrypt(s.id_enc);
        return {
          name: { q: s.name, params: [`${s.name}%`, `${s.name_pinyin}%`, scopePath] },
          pinyin: { q: s.name_initials, params: [`${s.name_initials}%`, scopePath] },
          id: { q: number, params: [idBlindIndex(ctx.keyring, 'resident', number), scopePath] },
        };
      };

      const rows: Row[] = [];
      const plans: Record<string, string> = {};
      for (const { kind, label } of KINDS) {
        const ours: number[] = [];
        const base: number[] = [];
        let mismatches = 0;
        let empty = 0;
        // Initials with a vowel ("ya") are read as the start of full pinyin by the search box; initials
        // proper have none, so those people are the ones searched by initials.
        const people = kind === 'pinyin' ? samples.filter((s) => !/[aeiouv]/.test(s.name_initials)) : samples;
        for (let i = 0; i < people.length; i++) {
          const input = inputs(people[i])[kind];
          const t0 = performance.now();
          const a = await searchPersons(ctx, actor, { q: input.q, limit: PAGE });
          const t1 = performance.now();
          const b = await raw(BASELINE[kind], input.params);
          const t2 = performance.now();
          if (i < warmup) continue;
          ours.push(t1 - t0);
          base.push(t2 - t1);
          if (!a.items.length) empty++;
          const ids = a.items.map((p) => p.id).join();
          if (
            ids !==
            b
              .slice(0, PAGE)
              .map((r) => r.id)
              .join()
          )
            mismatches++;
        }
        const example = inputs(samples[0])[kind];
        const plan = (await raw(`explain (analyze, buffers) ${BASELINE[kind]}`, example.params)) as unknown as Record<string, string>[];
        plans[kind] = plan.map((r) => Object.values(r)[0]).join('\n');
        env.log(
          `people-search: ${kind}: ours p95 ${percentile(ours, 95)?.toFixed(2)} ms, baseline p95 ${percentile(base, 95)?.toFixed(2)} ms`,
        );
        const problems = [
          mismatches ? `${mismatches}/${ours.length} first pages differ from the baseline's` : '',
          empty ? `${empty}/${ours.length} searches found nobody` : '',
        ].filter(Boolean);
        const common = { scenario: 'people-search', unit: 'ms' as const, baselineLabel: 'hand-written SQL, raw driver' };
        const lbl = `${label}, ${residents.toLocaleString('en')} people, ${SHORT_NOTE},`;
        rows.push(
          { ...common, id: `search.${kind}.p50`, label: `${lbl} p50`, ours: percentile(ours, 50), baseline: percentile(base, 50) },
          {
            ...common,
            id: `search.${kind}.p95`,
            label: `${lbl} p95`,
            ours: percentile(ours, 95),
            baseline: percentile(base, 95),
            note: problems.join('; ') || undefined,
            details: {
              queries: ours.length,
              p99: { ours: percentile(ours, 99), baseline: percentile(base, 99) },
              median: { ours: median(ours), baseline: median(base) },
              plan: plans[kind],
            },
          },
        );
      }

      const sizes = pool
        ? (
            await pool.query<{ t: string; table_mb: number; index_mb: number }>(
              `select c.relname as t, pg_table_size(c.oid) / 1048576.0 as table_mb, pg_indexes_size(c.oid) / 1048576.0 as index_mb
                 from pg_class c where c.relname = any($1) and c.relkind = 'r'`,
              [['person', 'person_house', 'person_tag', 'house', 'building', 'building_unit', 'grid']],
            )
          ).rows.map((r) => ({ ...r, table_mb: Number(r.table_mb), index_mb: Number(r.index_mb) }))
        : null;
      rows.push(
        {
          id: 'people-search.generate',
          scenario: 'people-search',
          label: `bench generate ${residents.toLocaleString('en')} residents, whole process (seed 1)`,
          unit: 's',
          ours: processMs / 1000,
          baseline: null,
          note: `${report.residentsPerSecond} residents/s inside the generator; COPY ${(report.ms.copy / 1000).toFixed(1)} s, index rebuild ${(report.ms.indexes / 1000).toFixed(1)} s, vacuum analyze ${(report.ms.analyze / 1000).toFixed(1)} s`,
          details: { report },
        },
        {
          id: 'people-search.db-size',
          scenario: 'people-search',
          label: `database size with ${residents.toLocaleString('en')} residents`,
          unit: 'MB',
          ours: pool
            ? Number((await pool.query<{ mb: string }>('select pg_database_size(current_database()) / 1048576.0 as mb')).rows[0].mb)
            : directorySizeMb(target.dataDir),
          baseline: null,
          details: { tables: sizes },
        },
      );
      return rows;
    } finally {
      await pool?.end();
      await database.close();
    }
  },
};
