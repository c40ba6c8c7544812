import path from 'node:path';
import { freePort, login, request } from '../lib/http.ts';
import { runLoad, type LoadResult } from '../lib/load.ts';
import { gongzhiEnv, startServer, type ServerHandle } from '../lib/proc.ts';
import { median, megabytes } from '../lib/stats.ts';
import type { BenchEnv, DbTarget, Row, Scenario } from '../lib/types.ts';

/**
 * Territory reads (issue 2): a node, its children and a scoped subtree count, read through the
 * API by the district administrator `yinzhou` on the demo database. Baseline: a bare Fastify
 * route in a separate process on the same data doing the hand-written SQL. Load: autocannon in
 * its own process, the same settings for both, runs interleaved so drift hits both alike.
 */

const COMMUNITY = '330212014027'; // 江城社区
const DISTRICT = '330212'; // 鄞州区

/** The three reads: a community node, its grids, and a subtree count over the whole district. */
export function territoryEndpoints(community: string, district: string) {
  return [
    { key: 'node', label: `node ${community}`, path: `/api/territory/${community}` },
    { key: 'children', label: `children of ${community}`, path: `/api/territory/${community}/children` },
    { key: 'stats', label: `subtree count ${district}`, path: `/api/territory/${district}/stats` },
  ] as const;
}
const ENDPOINTS = territoryEndpoints(COMMUNITY, DISTRICT);
type Endpoint = (typeof ENDPOINTS)[number];

type Key = (typeof ENDPOINTS)[number]['key'];

async function startOurs(env: BenchEnv, target: DbTarget, tag: string): Promise<ServerHandle> {
  const port = await freePort();
  return startServer({
    name: 'gongzhi serve',
    args: ['bin/gongzhi.js', 'serve'],
    env: gongzhiEnv(target, { PORT: String(port) }),
    cwd: env.root,
    port,
    logFile: path.join(env.workDir, 'logs', `${tag}-gongzhi.log`),
  });
}

async function startBare(env: BenchEnv, target: DbTarget, tag: string): Promise<ServerHandle> {
  const port = await freePort();
  const dbEnv = target.databaseUrl ? { BENCH_DATABASE_URL: target.databaseUrl } : { BENCH_PGLITE_DIR: path.join(target.dataDir, 'pglite') };
  return startServer({
    name: 'bare territory server',
    args: ['--import', 'tsx', 'bench/baseline/territory-server.ts'],
    env: { ...process.env, PORT: String(port), ...dbEnv },
    cwd: env.root,
    port,
    logFile: path.join(env.workDir, 'logs', `${tag}-bare.log`),
  });
}

/** JSON with sorted keys, so two servers' answers compare regardless of key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/** The path of the first value that differs between two JSON documents, or null when equal. */
function firstDifference(a: unknown, b: unknown, at = '$'): string | null {
  if (canonical(a) === canonical(b)) return null;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`);
      if (d) return d;
    }
  }
  return `${at} (Gongzhi ${JSON.stringify(a)?.slice(0, 40)}, baseline ${JSON.stringify(b)?.slice(0, 40)})`;
}

/** Both servers must answer 200 with the same data before their speed means anything. */
async function checkAnswers(
  ours: ServerHandle,
  bare: ServerHandle,
  headers: Record<string, string>,
  list: readonly Endpoint[],
): Promise<string[]> {
  const problems: string[] = [];
  for (const e of list) {
    const a = await request(ours.url + e.path, { headers });
    const b = await request(bare.url + e.path);
    if (a.status !== 200) problems.push(`${e.key}: Gongzhi answered ${a.status} ${a.body.slice(0, 120)}`);
    if (b.status !== 200) problems.push(`${e.key}: baseline answered ${b.status} ${b.body.slice(0, 120)}`);
    if (a.status === 200 && b.status === 200) {
      const diff = firstDifference(a.json(), b.json());
      if (diff)
        problems.push(`${e.key}: the baseline's answer differs from Gongzhi's at ${diff}; update bench/baseline/territory-server.ts`);
    }
  }
  return problems;
}

function loadNote(results: LoadResult[]): string | undefined {
  const bad = results.reduce((n, r) => n + r.non2xx + r.errors + r.timeouts, 0);
  return bad ? `${bad} non-2xx/errored/timed-out responses (latencies count 2xx only)` : undefined;
}

export const scenario: Scenario = {
  name: 'territory-reads',
  description: 'GET a node, its children and a subtree count as yinzhou; baseline: bare Fastify + hand-written SQL',
  order: 20,
  async run(env) {
    return measureTerritoryReads(env, await env.demoTarget(), { scenario: 'territory-reads', idPrefix: 'territory', endpoints: ENDPOINTS });
  },
};

/**
 * The territory reads on a database, ours against the bare baseline, as `yinzhou`. The scenario
 * above runs them on the demo database; territory-at-scale on the district people-search generated.
 */
export async function measureTerritoryReads(
  env: BenchEnv,
  target: DbTarget,
  at: { scenario: string; idPrefix: string; endpoints: readonly Endpoint[]; labelSuffix?: string },
): Promise<Row[]> {
  {
    const ENDPOINTS = at.endpoints;
    const { runs, loadSeconds, warmupSeconds, connections, singleSeconds } = env.opts;
    // PGlite allows one process per directory: the baseline gets a copy taken before ours opens it.
    const bareTarget = await env.shareTarget(target, `${at.idPrefix}-bare`);
    const ours = await startOurs(env, target, at.idPrefix);
    const bare = await startBare(env, bareTarget, at.idPrefix);
    try {
      const password = process.env.GONGZHI_DEMO_PASSWORD || 'Gongzhi@2026';
      const headers = await login(ours.url, 'yinzhou', password);
      const problems = await checkAnswers(ours, bare, headers, ENDPOINTS);
      for (const p of problems) env.log(`${at.scenario}: ${p}`);

      env.log(`${at.scenario}: warm-up ${warmupSeconds} s per endpoint and server`);
      for (const e of ENDPOINTS) {
        await runLoad(ours.url + e.path, { connections, seconds: warmupSeconds, headers });
        await runLoad(bare.url + e.path, { connections, seconds: warmupSeconds });
      }

      type Series = { ours: LoadResult[]; bare: LoadResult[] };
      const fresh = (): Record<Key, Series> => ({
        node: { ours: [], bare: [] },
        children: { ours: [], bare: [] },
        stats: { ours: [], bare: [] },
      });
      const results = fresh();
      // One connection: the latency a single user sees, without queueing behind nine others.
      const single = fresh();
      for (let r = 0; r < runs; r++) {
        for (const e of ENDPOINTS) {
          env.log(
            `${at.scenario}: run ${r + 1}/${runs}, ${e.key}, ${connections} connections × ${loadSeconds} s, then 1 × ${singleSeconds} s`,
          );
          results[e.key].ours.push(await runLoad(ours.url + e.path, { connections, seconds: loadSeconds, headers }));
          results[e.key].bare.push(await runLoad(bare.url + e.path, { connections, seconds: loadSeconds }));
          single[e.key].ours.push(await runLoad(ours.url + e.path, { connections: 1, seconds: singleSeconds, headers }));
          single[e.key].bare.push(await runLoad(bare.url + e.path, { connections: 1, seconds: singleSeconds }));
        }
      }

      const baselineLabel = 'bare Fastify + hand-written SQL';
      const rows: Row[] = [];
      for (const e of ENDPOINTS) {
        const { ours: o, bare: b } = results[e.key];
        const { ours: o1, bare: b1 } = single[e.key];
        const note =
          [loadNote([...o, ...o1]), ...problems.filter((p) => p.startsWith(`${e.key}:`))].filter(Boolean).join('; ') || undefined;
        const metric = (id: string, label: string, unit: 'ms' | 'req/s', pick: (x: LoadResult) => number, withNote = false): Row => ({
          id: `${at.idPrefix}.${e.key}.${id}`,
          scenario: at.scenario,
          label: `${e.label}${at.labelSuffix ?? ''} ${label}`,
          unit,
          ours: median(o.map(pick)),
          baseline: median(b.map(pick)),
          baselineLabel,
          samples: { ours: o.map(pick), baseline: b.map(pick) },
          note: withNote ? note : undefined,
          details: withNote ? { ours: o, baseline: b } : undefined,
        });
        rows.push(
          metric('p50', 'p50', 'ms', (x) => x.p50),
          metric('p99', 'p99', 'ms', (x) => x.p99, true),
          metric('rps', 'throughput', 'req/s', (x) => x.rps),
          {
            id: `${at.idPrefix}.${e.key}.p99-1c`,
            scenario: at.scenario,
            label: `${e.label}${at.labelSuffix ?? ''} p99, 1 connection`,
            unit: 'ms',
            ours: median(o1.map((x) => x.p99)),
            baseline: median(b1.map((x) => x.p99)),
            baselineLabel,
            samples: { ours: o1.map((x) => x.p99), baseline: b1.map((x) => x.p99) },
            details: { ours: o1, baseline: b1 },
          },
        );
      }
      rows.push({
        id: `${at.idPrefix}.rss`,
        scenario: at.scenario,
        label: 'server peak RSS after the loads',
        unit: 'MB',
        ours: megabytes(ours.peakRssKb() ?? NaN),
        baseline: megabytes(bare.peakRssKb() ?? NaN),
        baselineLabel,
        details: { connections, loadSeconds, singleSeconds, runs, database: target.name },
      });
      return rows;
    } finally {
      await ours.stop();
      await bare.stop();
    }
  }
}
