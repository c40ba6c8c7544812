import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '../lib/http.ts';
import { gongzhiEnv, startServer, type ServerHandle } from '../lib/proc.ts';
import { median, megabytes, seconds } from '../lib/stats.ts';
import type { BenchEnv, DbTarget, Row, Scenario } from '../lib/types.ts';

/**
 * Startup (issue 2): `gongzhi serve` from an empty database to a healthy /api/health, demo seeded
 * on the way; then a restart on the same data. Baseline: an empty Node process that imports Fastify
 * and listens, so the ratio says what our startup costs over an empty Node server.
 */

const BARE_SERVER = [
  "const { default: Fastify } = await import('fastify');",
  'const app = Fastify();',
  "app.get('/api/health', async () => ({ status: 'ok' }));",
  "await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });",
].join('\n');

async function startGongzhi(env: BenchEnv, target: DbTarget, label: string, extra: Record<string, string> = {}): Promise<ServerHandle> {
  const port = await freePort();
  return startServer({
    name: `gongzhi serve (${label})`,
    args: ['bin/gongzhi.js', 'serve'],
    env: gongzhiEnv(target, { PORT: String(port), ...extra }),
    cwd: env.root,
    port,
    logFile: path.join(env.workDir, 'logs', `startup-${label}.log`),
    timeoutMs: 300_000,
  });
}

async function startBare(env: BenchEnv, i: number): Promise<ServerHandle> {
  const port = await freePort();
  return startServer({
    name: 'bare fastify',
    args: ['--input-type=module', '-e', BARE_SERVER],
    env: { ...process.env, PORT: String(port) },
    cwd: env.root,
    port,
    logFile: path.join(env.workDir, 'logs', `startup-bare-${i}.log`),
    timeoutMs: 30_000,
  });
}

/** The server's own "ready in X s" (from serve() entry to listening): the rest is Node and tsx loading code. */
function reportedReadySeconds(logFile: string): number {
  const m = /ready in ([0-9.]+) s/.exec(fs.readFileSync(logFile, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

export const scenario: Scenario = {
  name: 'startup',
  description: 'fresh start (migrations, reference data, demo seed) and restart to a healthy /api/health',
  order: 10,
  async run(env) {
    const { quick } = env.opts;
    const freshRuns = quick ? 1 : 3;
    const restartRuns = quick ? 1 : 3;
    const bareRuns = quick ? 3 : 5;
    const fresh: number[] = [];
    const freshRss: number[] = [];
    const restart: number[] = [];
    const restartRss: number[] = [];
    const freshServe: number[] = [];
    const restartServe: number[] = [];
    const notes: string[] = [];
    let fromImage = 0;

    for (let i = 0; i < freshRuns; i++) {
      const target = await env.newTarget('startup');
      env.log(`startup: fresh start ${i + 1}/${freshRuns} on ${target.name}`);
      const s = await startGongzhi(env, target, `fresh-${i + 1}`);
      fresh.push(seconds(s.readyMs));
      freshRss.push(megabytes(s.peakRssKb() ?? NaN));
      await s.stop();
      freshServe.push(reportedReadySeconds(s.logFile));
      const log = fs.readFileSync(s.logFile, 'utf8');
      if (!log.includes('seeded now')) notes.push(`fresh start ${i + 1} did not report seeding the demo`);
      if (log.includes('new from the base image')) fromImage++;
      // Restarts on the first fresh database; it then serves as the run's demo database.
      if (i > 0) continue;
      for (let j = 0; j < restartRuns; j++) {
        env.log(`startup: restart ${j + 1}/${restartRuns}`);
        const r = await startGongzhi(env, target, `restart-${j + 1}`);
        restart.push(seconds(r.readyMs));
        restartRss.push(megabytes(r.peakRssKb() ?? NaN));
        await r.stop();
        restartServe.push(reportedReadySeconds(r.logFile));
      }
      await env.offerDemoTarget(target, s.readyMs);
    }

    const bare: number[] = [];
    const bareRss: number[] = [];
    for (let i = 0; i < bareRuns; i++) {
      const b = await startBare(env, i);
      bare.push(seconds(b.readyMs));
      bareRss.push(megabytes(b.peakRssKb() ?? NaN));
      await b.stop();
    }

    // PGlite: the same fresh start without the base image (initdb, migrations and divisions in the start).
    let initdb: { s: number; serve: number } | null = null;
    if (env.opts.db === 'pglite') {
      const target = await env.newTarget('startup');
      env.log('startup: fresh start without the base image (GONGZHI_PGLITE_IMAGE=0)');
      const s = await startGongzhi(env, target, 'fresh-initdb', { GONGZHI_PGLITE_IMAGE: '0' });
      await s.stop();
      initdb = { s: seconds(s.readyMs), serve: reportedReadySeconds(s.logFile) };
      if (fromImage < freshRuns)
        notes.push(`${freshRuns - fromImage} of ${freshRuns} fresh starts found no base image (run \`npx gongzhi pglite-image\`)`);
      else notes.push('every fresh start began from the base image (npm install builds it)');
    }

    const baselineLabel = 'empty Node + Fastify listen';
    const inside = (xs: number[]) => {
      const m = median(xs);
      return m == null
        ? undefined
        : `${m.toFixed(1)} s of it inside serve() (database, migrations${xs === freshServe ? ', demo seed' : ''}); the rest is Node and tsx loading the sources`;
    };
    const note = [...notes, inside(freshServe)].filter(Boolean).join('; ') || undefined;
    const rows: Row[] = [
      {
        id: 'startup.fresh',
        scenario: 'startup',
        label: 'fresh start to healthy (demo seeded)',
        unit: 's',
        ours: median(fresh),
        baseline: median(bare),
        baselineLabel,
        samples: { ours: fresh, baseline: bare },
        note,
        details: { insideServeSeconds: freshServe },
      },
      ...(initdb
        ? [
            {
              id: 'startup.fresh-initdb',
              scenario: 'startup',
              label: 'fresh start without the base image (PGlite initdb, migrations, divisions in the start)',
              unit: 's' as const,
              ours: initdb.s,
              baseline: median(bare),
              baselineLabel,
              note: `${initdb.serve.toFixed(1)} s of it inside serve(); one run`,
            },
          ]
        : []),
      {
        id: 'startup.restart',
        scenario: 'startup',
        label: 'restart to healthy',
        unit: 's',
        ours: median(restart),
        baseline: median(bare),
        baselineLabel,
        samples: { ours: restart, baseline: bare },
        note: inside(restartServe),
        details: { insideServeSeconds: restartServe },
      },
      {
        id: 'startup.rss-fresh',
        scenario: 'startup',
        label: 'server peak RSS, fresh start',
        unit: 'MB',
        ours: median(freshRss),
        baseline: median(bareRss),
        baselineLabel,
        samples: { ours: freshRss, baseline: bareRss },
      },
      {
        id: 'startup.rss-restart',
        scenario: 'startup',
        label: 'server peak RSS, restart',
        unit: 'MB',
        ours: median(restartRss),
        baseline: median(bareRss),
        baselineLabel,
        samples: { ours: restartRss, baseline: bareRss },
      },
    ];
    return rows;
  },
};
