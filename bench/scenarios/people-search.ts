import http from 'node:http';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../server/core/config.ts';
import { openContext } from '../../server/core/boot.ts';
import { idBlindIndex } from '../../server/modules/registry/pii.ts';
import { searchPersons } from '../../server/modules/registry/service.ts';
import { actorOf } from '../lib/actor.ts';
import { directorySizeMb } from '../lib/db.ts';
import {
  describeSizes,
  districtSizes,
  generatedDistrict,
  peopleSize,
  SEED,
  type GenerateJson,
  type GeneratedDistrict,
} from '../lib/district.ts';
import { freePort, login, request } from '../lib/http.ts';
import { gongzhiEnv, startServer, type ServerHandle } from '../lib/proc.ts';
import { median, percentile } from '../lib/stats.ts';
import type { BenchEnv, DbTarget, Row, Scenario } from '../lib/types.ts';

/**
 * People search (issue 3, budgets search.*.p95 < 50 ms): by name, by pinyin initials and by
 * exact ID number among 1,000,000 generated residents (--quick: 20,000, in the district event-measures uses; BENCH_PEOPLE overrides),
 * as the district administrator `yinzhou` (scope 鄞州区, so the scope filter is part of the cost).
 *
 * "Ours" is the API: `GET /api/registry/persons?q=…` on a real `gongzhi serve` (session cookie,
 * scope, query classification, Kysely, decrypting and masking the page, response schema), one
 * request at a time over one kept-alive connection. The same query through the registry service
 * in-process (no HTTP) is reported beside it, so the HTTP share is visible. Baseline: the
 * hand-written SQL for the same first page (same filters, scope and order; the page of ids first,
 * then the address joins for those rows, as the store does since migration 0007) on the raw
 * driver. The three are interleaved, each query a different person.
 *
 * BENCH_PEOPLE_REUSE=<data dir> with DATABASE_URL set measures an already generated database
 * (its GONGZHI_DATA_DIR holds the key) instead of generating one: generation takes minutes.
 */

const PAGE = 20;
// The same first page as store.searchPersons: the page of ids (scope, status, order by the sort
// key and id), then the people of that page with their houses' addresses.
const page = (where: string, sortCol: string) => `with page as (
    select p.district_code, p.id, p.${sortCol} as sort_key from person p
    where ${where} and p.status = 'active' order by p.${sortCol}, p.id limit ${PAGE + 1})
  select p.id, p.name, p.gender, p.birth_date, p.id_enc, p.phone_enc, p.tags,
    b.address || u.name || h.room_label || '室' as address
  from page join person p on p.district_code = page.district_code and p.id = page.id
  left join house h on h.district_code = p.district_code and h.code = p.house_code
  left join building_unit u on u.district_code = h.district_code and u.code = h.unit_code
  left join building b on b.district_code = h.district_code and b.code = h.building_code
  order by page.sort_key, p.id`;
const BASELINE = {
  name: page(`p.name_pinyin like $2 and left(p.name, char_length($1)) = $1 and p.path <@ $3::ltree`, 'name_pinyin'),
  pinyin: page(`p.name_initials like $1 and p.path <@ $2::ltree`, 'name_initials'),
  id: page(`p.id_bidx = $1 and p.path <@ $2::ltree`, 'name_pinyin'),
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

export { peopleSize };

export interface PeopleDb extends Omit<GeneratedDistrict, 'cached' | 'builtAt' | 'copyMs'> {
  cached?: boolean;
  builtAt?: string;
  copyMs?: number;
  /** Measured on a database generated before this run (BENCH_PEOPLE_REUSE). */
  reused?: boolean;
}

const generated = new WeakMap<BenchEnv, Promise<PeopleDb>>();

/** A database generated earlier (BENCH_PEOPLE_REUSE): its communities are read back from it. */
async function reuseDb(dataDir: string): Promise<PeopleDb> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('BENCH_PEOPLE_REUSE needs DATABASE_URL (the generated database)');
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  try {
    const communities = (await pool.query<{ c: string }>('select distinct community_code as c from person')).rows.map((r) => r.c);
    const residents = Number((await pool.query<{ n: string }>('select count(*) as n from person')).rows[0].n);
    const report: GenerateJson = {
      rows: { person: residents },
      ms: { total: 0, load: 0, copy: 0, indexes: 0, analyze: 0 },
      residentsPerSecond: 0,
      communities,
    };
    return {
      target: { kind: 'postgres', dataDir, databaseUrl, name: new URL(databaseUrl).pathname.slice(1) },
      report,
      processMs: 0,
      rebuildMs: null,
      reused: true,
    };
  } finally {
    await pool.end();
  }
}

/** The generated district of this run (generated once, shared with territory-at-scale). */
export function peopleDb(env: BenchEnv): Promise<PeopleDb> {
  let p = generated.get(env);
  if (!p) {
    const reuse = process.env.BENCH_PEOPLE_REUSE;
    p = reuse ? reuseDb(reuse) : generatedDistrict(env, districtSizes(env.opts.quick, 'people'));
    generated.set(env, p);
  }
  return p;
}

async function startOurs(env: BenchEnv, target: DbTarget): Promise<ServerHandle> {
  const port = await freePort();
  return startServer({
    name: 'gongzhi serve',
    args: ['bin/gongzhi.js', 'serve'],
    env: gongzhiEnv(target, { PORT: String(port) }),
    cwd: env.root,
    port,
    logFile: path.join(env.workDir, 'logs', 'people-search-gongzhi.log'),
  });
}

export const scenario: Scenario = {
  name: 'people-search',
  description:
    'search people by name, pinyin initials and exact ID among 1,000,000 generated residents, through GET /api/registry/persons (and the service in-process); baseline: hand-written SQL',
  order: 30,
  async run(env) {
    const { target, report, processMs, reused, cached, builtAt, copyMs } = await peopleDb(env);
    const residents = reused ? report.rows.person : peopleSize(env.opts.quick);
    // PGlite allows one process per directory: the server opens a copy, taken before we open ours.
    const server = await startOurs(env, target.databaseUrl ? target : await env.shareTarget(target, 'people-search-api'));
    const { ctx, database } = await openContext(loadConfig(gongzhiEnv(target)));
    const pool = target.databaseUrl ? new pg.Pool({ connectionString: target.databaseUrl, max: 2 }) : null;
    const raw = async (text: string, params: unknown[]) =>
      pool ? (await pool.query<{ id: string }>(text, params)).rows : (await database.pglite!.query<{ id: string }>(text, params)).rows;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const password = process.env.GONGZHI_DEMO_PASSWORD || 'Gongzhi@2026';
      const headers = { ...(await login(server.url, 'yinzhou', password)), 'accept-language': 'zh-CN' };
      const actor = await actorOf(ctx, 'yinzhou');
      const scope = actor.scope('registry.read');
      if (scope.all || scope.territoryPaths.length !== 1) throw new Error('yinzhou should have exactly one territory scope');
      const scopePath = scope.territoryPaths[0];
      const queries = env.opts.quick ? 100 : 400;
      const warmup = env.opts.quick ? 15 : 30;
      // Different people for every query, spread over the district (ordered by the blind index, which is random).
      const samples = (await raw(
        `select name, name_pinyin, name_initials, id_enc from person where community_code = any($1) and status = 'active' order by id_bidx limit ${queries + warmup}`,
        [report.communities],
      )) as unknown as Sample[];
      const inputs = (s: Sample): Record<Kind, { q: string; params: unknown[] }> => {
        const number = ctx.keyring.decrypt(s.id_enc);
        return {
          name: { q: s.name, params: [s.name, `${s.name_pinyin}%`, scopePath] },
          pinyin: { q: s.name_initials, params: [`${s.name_initials}%`, scopePath] },
          id: { q: number, params: [idBlindIndex(ctx.keyring, 'resident', number), scopePath] },
        };
      };
      const viaApi = async (q: string) => {
        const res = await request(`${server.url}/api/registry/persons?limit=${PAGE}&q=${encodeURIComponent(q)}`, { headers, agent });
        if (res.status !== 200) throw new Error(`search answered ${res.status}: ${res.body.slice(0, 200)}`);
        return res.json<{ items: { id: string }[] }>().items;
      };

      const rows: Row[] = [];
      for (const { kind, label } of KINDS) {
        const api: number[] = [];
        const svc: number[] = [];
        const base: number[] = [];
        let mismatches = 0;
        let empty = 0;
        // Initials with a vowel ("ya") are read as the start of full pinyin by the search box; initials
        // proper have none, so those people are the ones searched by initials.
        const people = kind === 'pinyin' ? samples.filter((s) => !/[aeiouv]/.test(s.name_initials)) : samples;
        for (let i = 0; i < people.length; i++) {
          const input = inputs(people[i])[kind];
          const t0 = performance.now();
          const a = await viaApi(input.q);
          const t1 = performance.now();
          const c = await searchPersons(ctx, actor, { q: input.q, limit: PAGE });
          const t2 = performance.now();
          const b = await raw(BASELINE[kind], input.params);
          const t3 = performance.now();
          if (i < warmup) continue;
          api.push(t1 - t0);
          svc.push(t2 - t1);
          base.push(t3 - t2);
          if (!a.length) empty++;
          const expected = b
            .slice(0, PAGE)
            .map((r) => r.id)
            .join();
          if (a.map((p) => p.id).join() !== expected || c.items.map((p) => p.id).join() !== expected) mismatches++;
        }
        const example = inputs(samples[0])[kind];
        const plan = (await raw(`explain (analyze, buffers) ${BASELINE[kind]}`, example.params)) as unknown as Record<string, string>[];
        env.log(
          `people-search: ${kind}: API p95 ${percentile(api, 95)?.toFixed(2)} ms, service p95 ${percentile(svc, 95)?.toFixed(2)} ms, baseline p95 ${percentile(base, 95)?.toFixed(2)} ms`,
        );
        const problems = [
          mismatches ? `${mismatches}/${api.length} first pages differ from the baseline's` : '',
          empty ? `${empty}/${api.length} searches found nobody` : '',
        ].filter(Boolean);
        const common = { scenario: 'people-search', unit: 'ms' as const, baselineLabel: 'hand-written SQL, raw driver' };
        const lbl = `${label}, ${residents.toLocaleString('en')} people,`;
        rows.push(
          { ...common, id: `search.${kind}.p50`, label: `${lbl} API p50`, ours: percentile(api, 50), baseline: percentile(base, 50) },
          {
            ...common,
            id: `search.${kind}.p95`,
            label: `${lbl} API p95`,
            ours: percentile(api, 95),
            baseline: percentile(base, 95),
            note: problems.join('; ') || undefined,
            details: {
              queries: api.length,
              p99: { api: percentile(api, 99), service: percentile(svc, 99), baseline: percentile(base, 99) },
              median: { api: median(api), service: median(svc), baseline: median(base) },
              plan: plan.map((r) => Object.values(r)[0]).join('\n'),
            },
          },
          {
            ...common,
            id: `search.${kind}.service.p95`,
            label: `${lbl} service in-process p95`,
            ours: percentile(svc, 95),
            baseline: percentile(base, 95),
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
          label: `bench generate ${describeSizes(districtSizes(env.opts.quick, 'people'))}, whole process (seed ${SEED})`,
          unit: 's',
          ours: processMs / 1000,
          baseline: null,
          note: [
            `${report.residentsPerSecond} residents/s inside the generator; COPY ${(report.ms.copy / 1000).toFixed(1)} s, index rebuild ${(report.ms.indexes / 1000).toFixed(1)} s, vacuum analyze ${(report.ms.analyze / 1000).toFixed(1)} s`,
            cached ? `generated by an earlier run (${builtAt}); this run copied it in ${((copyMs ?? 0) / 1000).toFixed(1)} s` : '',
          ]
            .filter(Boolean)
            .join('; '),
          details: { report, cached: !!cached, builtAt, copyMs },
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
      return reused ? rows.filter((r) => r.id !== 'people-search.generate') : rows;
    } finally {
      agent.destroy();
      await server.stop();
      await pool?.end();
      await database.close();
    }
  },
};
