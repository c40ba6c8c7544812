import http from 'node:http';
import path from 'node:path';
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { freePort } from '../lib/http.ts';
import { gongzhiEnv, startServer } from '../lib/proc.ts';
import { median, percentile, round } from '../lib/stats.ts';
import type { BenchEnv, DbTarget, Row, Scenario } from '../lib/types.ts';
import { counterGroups, tallyOwnersVote, type Choice, type HouseBallot, type RollHouse } from '../../server/modules/deliberation/tally.ts';

/**
 * Votes (issue 7).
 * - votes.tally-100k: the Art. 278 count of an estate-wide vote with 100,000 ballots (co-owners,
 *   owners of two flats), in process, median of the runs. Baseline: a bare loop that only sums
 *   area and houses by choice, without the SPC headcount — the least any count must do.
 * - votes.cast.p99: owners casting ballots through the API at a fixed 500 per second (open
 *   loop, each request a different owner with an API token) against `gongzhi serve`, on a demo
 *   database where every house of 江城社区 has an owner. p99 of the 2xx responses.
 */

function estate(n: number) {
  const roll: RollHouse[] = [];
  for (let i = 0; i < n; i++) {
    const owner = i % 50 === 1 ? `o${i - 1}` : `o${i}`;
    roll.push({ houseCode: `h${i}`, area: (60 + (i % 90)).toFixed(2), ownerIds: i % 20 === 0 ? [owner, `s${i}`] : [owner] });
  }
  const g = counterGroups(roll);
  const choices: Choice[] = ['agree', 'agree', 'agree', 'agree', 'disagree', 'abstain'];
  const ballots: HouseBallot[] = roll.map((h, i) => ({ houseCode: h.houseCode, choice: choices[g[i] % choices.length] }));
  return { roll, ballots };
}

function bareSum(roll: RollHouse[], ballots: HouseBallot[]) {
  const area = new Map(roll.map((h) => [h.houseCode, Math.round(Number(h.area) * 100)]));
  const sums = { agree: 0, disagree: 0, abstain: 0 };
  for (const b of ballots) sums[b.choice] += area.get(b.houseCode) ?? 0;
  return sums;
}

function timeIt(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return (performance.now() - t0) / 1000;
}

/** Seeds the demo, gives every ownerless house of 江城社区 an owner with an account and an API token, and opens a vote. */
async function prepare(target: DbTarget): Promise<{ tokens: string[]; voteId: string }> {
  const { loadConfig } = await import('../../server/core/config.ts');
  const { openContext } = await import('../../server/core/boot.ts');
  const { seedDemo } = await import('../../server/modules/demo/seed.ts');
  const { systemActor } = await import('../../server/core/context.ts');
  const votes = await import('../../server/modules/deliberation/votes-service.ts');
  const { API_TOKEN_PREFIX } = await import('../../server/core/auth/service.ts');
  const config = loadConfig({ ...process.env, GONGZHI_DATA_DIR: target.dataDir, DATABASE_URL: target.databaseUrl ?? '' });
  const { ctx, database } = await openContext(config);
  try {
    await seedDemo(ctx, config.demoPassword);
    const tokens: string[] = [];
    await ctx.db.transaction().execute(async (tx) => {
      const houses = await sql<{ code: string; path: string }>`
        select h.code, h.path::text as path from house h
        where h.code like '330212014027%'
          and not exists (select 1 from person_house l where l.district_code = h.district_code and l.house_code = h.code and l.relation = 'owner')
        order by h.code`.execute(tx);
      for (const [i, h] of houses.rows.entries()) {
        const user = await tx
          .insertInto('app_user')
          .values({ username: `bench-owner-${i}`, display_name: `业主${i}`, password_hash: 'scrypt$disabled' })
          .returning('id')
          .executeTakeFirstOrThrow();
        await tx
          .insertInto('role_binding')
          .values({ user_id: user.id, role: 'resident', scope_type: 'territory', scope_code: h.code, scope_path: h.path, org_path: null })
          .execute();
        const person = await tx
          .insertInto('person')
          .values({
            district_code: '330212',
            community_code: '330212014027',
            house_code: h.code,
            path: h.path,
            name: `业主${i}`,
            id_type: 'resident',
            id_enc: 'bench',
            id_bidx: `bench-${i}`,
            user_id: user.id,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await tx
          .insertInto('person_house')
          .values({ district_code: '330212', person_id: person.id, house_code: h.code, relation: 'owner', resides: true })
          .execute();
        const token = `${API_TOKEN_PREFIX}${crypto.randomBytes(24).toString('base64url')}`;
        await tx
          .insertInto('api_token')
          .values({ user_id: user.id, name: 'bench', token_hash: crypto.createHash('sha256').update(token).digest('hex') })
          .execute();
        tokens.push(token);
      }
    });
    const actor = systemActor('bench');
    const now = Date.now();
    const v = await votes.createVote(ctx, actor, {
      placeCode: '330212014027',
      kind: 'owners',
      title: '江城社区选聘物业服务企业（压测）',
      matter: 4,
      opensAt: new Date(now - 3600_000).toISOString(),
      closesAt: new Date(now + 24 * 3600_000).toISOString(),
    });
    await votes.openVote(ctx, actor, v.id, v.version);
    return { tokens, voteId: v.id };
  } finally {
    await database.close();
  }
}

/** Fires one request every 1000/rate ms regardless of answers (open loop) and records latencies. */
async function openLoop(url: string, tokens: string[], rate: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const latencies: number[] = [];
  let non2xx = 0;
  let firstError: string | null = null;
  const body = JSON.stringify({ choice: 'agree' });
  const started = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const t0 = performance.now();
    pending.push(
      new Promise<void>((resolve) => {
        const req = http.request(
          url,
          { method: 'POST', agent, headers: { authorization: `Bearer ${tokens[i]}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              if (res.statusCode === 201) latencies.push(performance.now() - t0);
              else {
                non2xx++;
                firstError ??= `${res.statusCode} ${Buffer.concat(chunks).toString('utf8').slice(0, 200)}`;
              }
              resolve();
            });
          },
        );
        req.on('error', () => (non2xx++, resolve()));
        req.end(body);
      }),
    );
  }
  await Promise.all(pending);
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { latencies, non2xx, seconds, firstError };
}

export const scenario: Scenario = {
  name: 'votes',
  description: "Art. 278 tally of 100,000 ballots (baseline: bare sums); casting owners' ballots through the API at 500/s",
  order: 70,
  async run(env: BenchEnv): Promise<Row[]> {
    const runs = Math.max(3, env.opts.runs);
    const { roll, ballots } = estate(100_000);
    const ours: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < runs; i++) {
      ours.push(timeIt(() => tallyOwnersVote(7, roll, ballots)));
      bare.push(timeIt(() => bareSum(roll, ballots)));
    }
    const rows: Row[] = [
      {
        id: 'votes.tally-100k',
        scenario: 'votes',
        label: 'tally 100,000 ballots (Art. 278, SPC headcount)',
        unit: 's',
        ours: median(ours),
        baseline: median(bare),
        baselineLabel: 'bare sums by choice',
        samples: { ours: ours.map(round), baseline: bare.map(round) },
      },
    ];

    env.log('votes: seeding a database with an owner and a token for every house of 江城社区');
    const target = await env.newTarget('votes');
    const { tokens, voteId } = await prepare(target);
    const port = await freePort();
    const server = await startServer({
      name: 'gongzhi serve',
      args: ['bin/gongzhi.js', 'serve'],
      env: gongzhiEnv(target, { PORT: String(port) }),
      cwd: env.root,
      port,
      logFile: path.join(env.workDir, 'logs', 'votes-gongzhi.log'),
    });
    try {
      env.log(`votes: ${tokens.length} owners cast at 500/s`);
      const r = await openLoop(`${server.url}/api/deliberation/votes/${voteId}/ballots`, tokens, 500);
      rows.push({
        id: 'votes.cast.p99',
        scenario: 'votes',
        label: `cast ballots at 500/s (${tokens.length} owners, open loop)`,
        unit: 'ms',
        ours: percentile(r.latencies, 99),
        baseline: null,
        note: r.non2xx ? `${r.non2xx} non-201 responses, first: ${r.firstError}` : undefined,
        details: { p50: percentile(r.latencies, 50), achievedRate: round(tokens.length / r.seconds), ballots: r.latencies.length },
      });
    } finally {
      await server.stop();
    }
    return rows;
  },
};
