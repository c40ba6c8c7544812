import path from 'node:path';
import { freePort, request } from '../lib/http.ts';
import { runLoad, type LoadResult } from '../lib/load.ts';
import { gongzhiEnv, startServer, type ServerHandle } from '../lib/proc.ts';
import { median } from '../lib/stats.ts';
import type { BenchEnv, DbTarget, Row, Scenario } from '../lib/types.ts';

/**
 * Event filing (issue 4): residents' reports POSTed to /api/events as `jc-resident` (validation,
 * scope, category and place lookups, the event, its first timeline step, the audit chain and the
 * grid worker's notification, in one transaction). Baseline: a bare Fastify route in its own
 * process doing one INSERT into the same table. Budgets: ≥ 1,000 req/s, p99 < 50 ms, and at least
 * half the baseline's throughput (PostgreSQL).
 */

const BODY = JSON.stringify({
  categoryCode: 'livelihood.noise',
  title: '夜间施工噪声扰民',
  placeCode: '330212014027001',
  description: '压测',
});

async function startOurs(env: BenchEnv, target: DbTarget): Promise<ServerHandle> {
  const port = await freePort();
  return startServer({
    name: 'gongzhi serve',
    args: ['bin/gongzhi.js', 'serve'],
    env: gongzhiEnv(target, { PORT: String(port), LOG_LEVEL: 'warn' }),
    cwd: env.root,
    port,
    logFile: path.join(env.workDir, 'logs', 'event-filing-gongzhi.log'),
  });
}

async function startBare(env: BenchEnv, target: DbTarget): Promise<ServerHandle> {
  const port = await freePort();
  const dbEnv = target.databaseUrl ? { BENCH_DATABASE_URL: target.databaseUrl } : { BENCH_PGLITE_DIR: path.join(target.dataDir, 'pglite') };
  return startServer({
    name: 'bare event insert server',
    args: ['--import', 'tsx', 'bench/baseline/event-insert-server.ts'],
    env: { ...process.env, PORT: String(port), ...dbEnv },
    cwd: env.root,
    port,
    logFile: path.join(env.workDir, 'logs', 'event-filing-bare.log'),
  });
}

/** Signs in and returns the session cookie and the CSRF header a write needs. */
async function signIn(url: string, username: string, password: string): Promise<Record<string, string>> {
  const res = await request(`${url}/api/auth/login`, { method: 'POST', body: { username, password } });
  if (res.status !== 200) throw new Error(`login as ${username} failed: ${res.status}`);
  const cookie = (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).find((c) => c.startsWith('gz_session='))!;
  return { cookie, 'x-csrf-token': res.json<{ csrfToken: string }>().csrfToken, 'content-type': 'application/json' };
}

export const scenario: Scenario = {
  name: 'event-filing',
  description: 'POST /api/events as jc-resident; baseline: bare Fastify route doing one INSERT',
  order: 40,
  async run(env) {
    const { runs, loadSeconds, warmupSeconds, connections } = env.opts;
    const target = await env.demoTarget();
    const bareTarget = await env.shareTarget(target, 'event-filing-bare');
    const ours = await startOurs(env, target);
    const bare = await startBare(env, bareTarget);
    try {
      const headers = await signIn(ours.url, 'jc-resident', process.env.GONGZHI_DEMO_PASSWORD || 'Gongzhi@2026');
      const probe = await request(`${ours.url}/api/events`, { method: 'POST', headers, body: JSON.parse(BODY) });
      if (probe.status !== 201) throw new Error(`filing answered ${probe.status} ${probe.body.slice(0, 200)}`);
      const load = (url: string, h: Record<string, string>, seconds: number) =>
        runLoad(`${url}/api/events`, { connections, seconds, headers: h, method: 'POST', body: BODY });
      env.log(`event-filing: warm-up ${warmupSeconds} s per server`);
      await load(ours.url, headers, warmupSeconds);
      await load(bare.url, { 'content-type': 'application/json' }, warmupSeconds);
      const o: LoadResult[] = [];
      const b: LoadResult[] = [];
      for (let r = 0; r < runs; r++) {
        env.log(`event-filing: run ${r + 1}/${runs}, ${connections} connections × ${loadSeconds} s`);
        o.push(await load(ours.url, headers, loadSeconds));
        b.push(await load(bare.url, { 'content-type': 'application/json' }, loadSeconds));
      }
      const bad = [...o, ...b].reduce((n, x) => n + x.non2xx + x.errors + x.timeouts, 0);
      const note = bad ? `${bad} non-2xx/errored/timed-out responses` : undefined;
      const baselineLabel = 'bare Fastify, one INSERT';
      const row = (id: string, label: string, unit: 'ms' | 'req/s', pick: (x: LoadResult) => number): Row => ({
        id,
        scenario: 'event-filing',
        label,
        unit,
        ours: median(o.map(pick)),
        baseline: median(b.map(pick)),
        baselineLabel,
        samples: { ours: o.map(pick), baseline: b.map(pick) },
        note,
      });
      return [
        row('events.filing.rps', 'filing throughput', 'req/s', (x) => x.rps),
        row('events.filing.p50', 'filing p50', 'ms', (x) => x.p50),
        row('events.filing.p99', 'filing p99', 'ms', (x) => x.p99),
      ];
    } finally {
      await ours.stop();
      await bare.stop();
    }
  },
};
