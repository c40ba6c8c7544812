import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { freePort } from '../lib/http.ts';
import { gongzhiEnv, startServer } from '../lib/proc.ts';
import { median, round } from '../lib/stats.ts';
import { runAtRate, type RateRequest } from '../lib/rate.ts';
import { SESSION_CACHE_TTL_MS } from '../../server/core/auth/session-cache.ts';
import type { BenchEnv, DbTarget, Row, Scenario } from '../lib/types.ts';
import type { AppContext } from '../../server/core/context.ts';
import { counterGroups, tallyOwnersVote, type Choice, type HouseBallot, type RollHouse } from '../../server/modules/deliberation/tally.ts';

/**
 * Votes (issue 7).
 * - votes.tally-100k: the Art. 278 count of an estate-wide vote with 100,000 ballots (co-owners,
 *   owners of two flats), in process, median of the runs. Baseline: a bare loop that only sums
 *   area and houses by choice, without the SPC headcount — the least any count must do.
 * - votes.cast.p99: owners casting ballots through the API at a fixed 500 per second (open
 *   loop, bench/lib/rate.ts; each request a different owner signed in with a session) against
 *   `gongzhi serve`, on a demo database where every owner of 江城社区 has an account. Each server
 *   is first warmed by the same owners casting, at the same rate, in a vote of its own (a freshly
 *   started Node process runs its code unoptimised for its first thousand requests; a server
 *   taking a real vote has been up for days), then left idle past the session cache's lifetime
 *   so that every measured cast reads its session from the database. p99 of the 201 answers.
 *   The demo's 江城社区 has about 600 owners; a full run first adds new high-rises to a grid of its
 *   own until the estate has 5,000 owners (BENCH_VOTE_OWNERS overrides; --quick keeps the demo's),
 *   so the measured phase lasts 10 s and its p99 is the 50th-slowest answer, not the 6th.
 *   Baseline, run just before on the same database at the same rate: a bare Fastify route doing
 *   one INSERT into delib_ballot (bench/baseline/ballot-insert-server.ts).
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

interface Prepared {
  /** One cast per owner: the session cookie and CSRF header of their account. */
  casts: RateRequest[];
  /** The same number of bare inserts, one house each, into a second vote. */
  bare: RateRequest[];
  voteId: string;
  bareVoteId: string;
  /** Votes of their own for warming each server up. */
  warmVoteId: string;
  bareWarmVoteId: string;
}

/** Owners the cast phase measures: 5,000 on a full run, the demo's ~600 with --quick. */
export function voteOwners(quick: boolean): number {
  const override = Number(process.env.BENCH_VOTE_OWNERS);
  if (Number.isInteger(override) && override > 0) return override;
  return quick ? 0 : 5_000;
}

const ESTATE = '330212014027';
/** Rows per multi-row INSERT: 2,000 rows of up to 9 columns stay under PostgreSQL's 65,535 parameters. */
const CHUNK = 2_000;

function chunked<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}
/** 30 floors, 2 units, 4 flats a floor: 240 houses a building. */
const TOWER = { floors: 30, unitsCount: 2, roomsPerFloor: 4, hasLift: true, builtYear: 2019 };

/**
 * Adds high-rises to a new grid of 江城社区 until the estate has `owners` houses, through the
 * territory service an administrator uses, and gives the new flats areas of 60–149 m².
 */
async function enlargeEstate(ctx: AppContext, owners: number) {
  const { createGrid, createBuilding } = await import('../../server/modules/territory/places-service.ts');
  const { systemActor } = await import('../../server/core/context.ts');
  const have = await sql<{
    n: number;
  }>`select count(*)::int as n from house where district_code = '330212' and code like ${ESTATE + '%'}`.execute(ctx.db);
  const missing = owners - have.rows[0].n;
  if (missing <= 0) return;
  const actor = systemActor('bench');
  const grid = await createGrid(ctx, actor, ESTATE, { name: '江城社区新城网格（压测）' });
  const towers = Math.ceil(missing / (TOWER.floors * TOWER.unitsCount * TOWER.roomsPerFloor));
  for (let i = 1; i <= towers; i++) await createBuilding(ctx, actor, grid.code, { name: `江城新苑${i}幢`, ...TOWER });
  await sql`update house set area = (60 + (('x' || substr(md5(code), 1, 4))::bit(16)::int % 90))::numeric(8,2)
            where district_code = '330212' and building_code like ${grid.code + '%'}`.execute(ctx.db);
}

/**
 * Seeds the demo; gives every ownerless house of 江城社区 an owner; gives every owner without an
 * account one (a resident bound to their house) and a signed-in session, as a resident who has
 * the vote page open on their phone; opens an owners' vote (which freezes the roll and its
 * electors) and a second one for the baseline's inserts.
 */
export async function prepare(target: DbTarget, owners = 0): Promise<Prepared> {
  const { loadConfig } = await import('../../server/core/config.ts');
  const { openContext } = await import('../../server/core/boot.ts');
  const { seedDemo } = await import('../../server/modules/demo/seed.ts');
  const { systemActor } = await import('../../server/core/context.ts');
  const votes = await import('../../server/modules/deliberation/votes-service.ts');
  const config = loadConfig({ ...process.env, GONGZHI_DATA_DIR: target.dataDir, DATABASE_URL: target.databaseUrl ?? '' });
  const { ctx, database } = await openContext(config);
  const sha = (t: string) => crypto.createHash('sha256').update(t).digest('hex');
  try {
    await seedDemo(ctx, config.demoPassword);
    await enlargeEstate(ctx, owners);
    const casts: RateRequest[] = [];
    const houses: string[] = [];
    await ctx.db.transaction().execute(async (tx) => {
      const ownerless = await sql<{ code: string; path: string }>`
        select h.code, h.path::text as path from house h
        where h.code like '330212014027%'
          and not exists (select 1 from person_house l where l.district_code = h.district_code and l.house_code = h.code and l.relation = 'owner')
        order by h.code`.execute(tx);
      for (const [n, chunk] of chunked(ownerless.rows).entries()) {
        const from = n * CHUNK;
        const people = await tx
          .insertInto('person')
          .values(
            chunk.map((h, k) => ({
              district_code: '330212',
              community_code: '330212014027',
              house_code: h.code,
              path: h.path,
              name: `业主${from + k}`,
              id_type: 'resident' as const,
              id_enc: 'bench',
              id_bidx: `bench-${from + k}`,
            })),
          )
          .returning(['id', 'house_code'])
          .execute();
        await tx
          .insertInto('person_house')
          .values(
            people.map((p) => ({
              district_code: '330212',
              person_id: p.id,
              house_code: p.house_code!,
              relation: 'owner' as const,
              resides: true,
            })),
          )
          .execute();
      }
      // Owners of houses of 江城社区 without an account, one per counted person: a co-owner
      // whose house another owner already votes for is left out (a second ballot is refused).
      const candidates = (
        await sql<{ id: string; name: string; houses: string[]; path: string }>`
          select p.id, p.name, array_agg(l.house_code order by l.house_code) as houses, (array_agg(h.path::text order by l.house_code))[1] as path
          from person_house l
          join person p on p.district_code = l.district_code and p.id = l.person_id
          join house h on h.district_code = l.district_code and h.code = l.house_code
          where l.relation = 'owner' and l.house_code like '330212014027%' and p.user_id is null and p.status = 'active'
          group by p.id, p.name order by p.id`.execute(tx)
      ).rows;
      const covered = new Set<string>();
      const owners: { id: string; name: string; house_code: string; path: string }[] = [];
      for (const c of candidates) {
        if (c.houses.some((h) => covered.has(h))) continue;
        for (const h of c.houses) covered.add(h);
        owners.push({ id: c.id, name: c.name, house_code: c.houses[0], path: c.path });
      }
      const users: { id: string; username: string }[] = [];
      for (const part of chunked(
        owners.map((o, i) => ({ username: `bench-owner-${i}`, display_name: o.name, password_hash: 'scrypt$disabled' })),
      ))
        users.push(...(await tx.insertInto('app_user').values(part).returning(['id', 'username']).execute()));
      const userOf = new Map(users.map((u) => [u.username, u.id]));
      const ids = owners.map((_, i) => userOf.get(`bench-owner-${i}`)!);
      await sql`update person p set user_id = x.user_id
                from unnest(${owners.map((o) => o.id)}::uuid[], ${ids}::uuid[]) as x(person_id, user_id)
                where p.district_code = '330212' and p.id = x.person_id`.execute(tx);
      const bindings = owners.map((o, i) => ({
        user_id: ids[i],
        role: 'resident',
        scope_type: 'territory' as const,
        scope_code: o.house_code,
        scope_path: o.path,
        org_path: null,
      }));
      for (const part of chunked(bindings)) await tx.insertInto('role_binding').values(part).execute();
      const sessions = owners.map(() => ({
        token: crypto.randomBytes(24).toString('base64url'),
        csrf: crypto.randomBytes(16).toString('hex'),
      }));
      const rows = sessions.map((s, i) => ({
        id: sha(s.token),
        user_id: ids[i],
        csrf_token: s.csrf,
        ip: '127.0.0.1',
        user_agent: 'bench',
        last_seen_at: new Date(),
      }));
      for (const part of chunked(rows)) await tx.insertInto('user_session').values(part).execute();
      const body = JSON.stringify({ choice: 'agree' });
      for (const [i, s] of sessions.entries()) {
        casts.push({ headers: { cookie: `gz_session=${s.token}`, 'x-csrf-token': s.csrf }, body });
        houses.push(owners[i].house_code);
      }
    });
    const actor = systemActor('bench');
    const now = Date.now();
    const open = async (title: string) => {
      const v = await votes.createVote(ctx, actor, {
        placeCode: '330212014027',
        kind: 'owners',
        title,
        matter: 4,
        opensAt: new Date(now - 3600_000).toISOString(),
        closesAt: new Date(now + 24 * 3600_000).toISOString(),
      });
      await votes.openVote(ctx, actor, v.id, v.version);
      return v.id;
    };
    const voteId = await open('江城社区选聘物业服务企业（压测）');
    const bareVoteId = await open('江城社区选聘物业服务企业（压测基线）');
    const warmVoteId = await open('江城社区选聘物业服务企业（预热）');
    const bareWarmVoteId = await open('江城社区选聘物业服务企业（基线预热）');
    const bare = houses.map((h) => ({ headers: casts[0].headers, body: JSON.stringify({ houseCode: h, choice: 'agree' }) }));
    return { casts, bare, voteId, bareVoteId, warmVoteId, bareWarmVoteId };
  } finally {
    await database.close();
  }
}

const RATE = 500;

function bareDbEnv(target: DbTarget): Record<string, string> {
  return target.databaseUrl ? { BENCH_DATABASE_URL: target.databaseUrl } : { BENCH_PGLITE_DIR: path.join(target.dataDir, 'pglite') };
}

/** Starts a server on the target, runs fn against it, and stops it (PGlite's files take one process at a time). */
async function withServer<T>(env: BenchEnv, name: string, args: string[], target: DbTarget, fn: (url: string) => Promise<T>): Promise<T> {
  const port = await freePort();
  const bare = args[0] !== 'bin/gongzhi.js';
  const server = await startServer({
    name,
    args,
    env: bare
      ? { ...process.env, PORT: String(port), ...bareDbEnv(target) }
      : gongzhiEnv(target, { PORT: String(port), LOG_LEVEL: 'warn' }),
    cwd: env.root,
    port,
    logFile: path.join(env.workDir, 'logs', `votes-${bare ? 'bare' : 'gongzhi'}.log`),
  });
  try {
    return await fn(server.url);
  } finally {
    await server.stop();
  }
}

export const scenario: Scenario = {
  name: 'votes',
  description: "Art. 278 tally of 100,000 ballots (baseline: bare sums); casting owners' ballots through the API at 500/s",
  order: 70,
  async run(env: BenchEnv): Promise<Row[]> {
    const runs = Math.max(3, env.opts.runs);
    const { roll, ballots } = estate(100_000);
    const tallyOurs: number[] = [];
    const tallyBare: number[] = [];
    for (let i = 0; i < runs; i++) {
      tallyOurs.push(timeIt(() => tallyOwnersVote(7, roll, ballots)));
      tallyBare.push(timeIt(() => bareSum(roll, ballots)));
    }
    const rows: Row[] = [
      {
        id: 'votes.tally-100k',
        scenario: 'votes',
        label: 'tally 100,000 ballots (Art. 278, SPC headcount)',
        unit: 's',
        ours: median(tallyOurs),
        baseline: median(tallyBare),
        baselineLabel: 'bare sums by choice',
        samples: { ours: tallyOurs.map(round), baseline: tallyBare.map(round) },
      },
    ];

    env.log(
      `votes: seeding a database with an account and a session for every owner of 江城社区${voteOwners(env.opts.quick) ? ` (enlarged to ${voteOwners(env.opts.quick)} houses)` : ''}`,
    );
    const target = await env.demoCopy('votes');
    const p = await prepare(target, voteOwners(env.opts.quick));
    const warmup = Math.min(100, Math.floor(p.casts.length / 5));
    const settings = { rate: RATE, warmup, ok: (status: number) => status === 201 };
    const load = `load average ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`;

    // The baseline first, then ours, one after the other on the same database.
    const warmThenMeasure = async (url: string, warmVote: string, vote: string, requests: RateRequest[]) => {
      const cold = await runAtRate(`${url}/api/deliberation/votes/${warmVote}/ballots`, requests, { ...settings, warmup: 0 });
      await new Promise((r) => setTimeout(r, SESSION_CACHE_TTL_MS + 1000));
      return { cold, warm: await runAtRate(`${url}/api/deliberation/votes/${vote}/ballots`, requests, settings) };
    };
    env.log(`votes: each server warmed by ${p.casts.length} casts in a vote of its own, then measured`);
    const { cold: bareCold, warm: bare } = await withServer(
      env,
      'bare ballot insert server',
      ['--import', 'tsx', 'bench/baseline/ballot-insert-server.ts'],
      target,
      (url) => warmThenMeasure(url, p.bareWarmVoteId, p.bareVoteId, p.bare),
    );
    const { cold: oursCold, warm: ours } = await withServer(env, 'gongzhi serve', ['bin/gongzhi.js', 'serve'], target, (url) =>
      warmThenMeasure(url, p.warmVoteId, p.voteId, p.casts),
    );
    const failures = [
      ours.failed ? `ours: ${ours.failed} refused, first: ${ours.firstError}` : '',
      bare.failed ? `baseline: ${bare.failed} failed, first: ${bare.firstError}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    rows.push({
      id: 'votes.cast.p99',
      scenario: 'votes',
      label: `cast ballots at ${RATE}/s (${ours.measured} owners, open loop)`,
      unit: 'ms',
      ours: ours.p99,
      baseline: bare.p99,
      baselineLabel: 'bare Fastify, one INSERT',
      note: [failures, load].filter(Boolean).join('; '),
      details: {
        p50: ours.p50,
        p90: ours.p90,
        max: ours.max,
        sentRate: ours.sentRate,
        answeredRate: ours.answeredRate,
        baselineP50: bare.p50,
        baselineP90: bare.p90,
        baselineMax: bare.max,
        baselineAnsweredRate: bare.answeredRate,
        warmup,
      },
    });
    rows.push({
      id: 'votes.cast-cold.p99',
      scenario: 'votes',
      label: `cast ballots at ${RATE}/s, the first ${oursCold.measured} on a freshly started server`,
      unit: 'ms',
      ours: oursCold.p99,
      baseline: bareCold.p99,
      baselineLabel: 'bare Fastify, one INSERT',
      details: { p50: oursCold.p50, answeredRate: oursCold.answeredRate, baselineP50: bareCold.p50 },
    });
    return rows;
  },
};
