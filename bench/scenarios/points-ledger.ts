import path from 'node:path';
import crypto from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { sql, type Kysely } from 'kysely';
import { migrateToLatest, openDatabase, type Database } from '../../server/db/connection.ts';
import type { DB } from '../../server/db/types.ts';
import {
  appendPoints,
  balanceOf,
  pageAfter,
  verifyPointsLedger,
  VERIFY_PAGE,
  type PointsEntry,
} from '../../server/modules/volunteering/ledger.ts';
import { percentile, round } from '../lib/stats.ts';
import type { BenchEnv, Row, Scenario } from '../lib/types.ts';

/**
 * The points ledger (积分, issue 5), on a chain of 1,000,000 entries (--quick: 20,000;
 * BENCH_POINTS overrides) spread over 50,000 residents of one district.
 * - points.append-1m: the entries appended through `appendPoints` (the function every award and
 *   redemption uses) in transactions of 10,000, by two writers at once on the same chain (they
 *   queue on the head row lock). Baseline: the same rows, hashes and all, written with bare COPY
 *   (PostgreSQL) or one multi-row INSERT per 10,000 (PGlite) into an identical table, no chain.
 * - points.verify-1m: `verifyPointsLedger` over the whole chain. Baseline: reading the same rows
 *   in the same keyset pages without hashing — the least any verification must do.
 * - points.balance.p99: `balanceOf` (the sum over the person's entries, index-only) for random
 *   residents, one at a time. Baseline: fetching one ledger row by its primary key.
 */

const DISTRICT = '330212';
const PEOPLE = 50_000;
const BATCH = 10_000;

function size(quick: boolean): number {
  const env = Number(process.env.BENCH_POINTS);
  if (env > 0) return env;
  return quick ? 20_000 : 1_000_000;
}

function makePeople(): { ids: string[]; communities: string[] } {
  const ids: string[] = [];
  const communities: string[] = [];
  for (let i = 0; i < PEOPLE; i++) {
    ids.push(crypto.randomUUID());
    communities.push(`330212${String(1 + (i % 20)).padStart(3, '0')}${String(1 + (i % 37)).padStart(3, '0')}`);
  }
  return { ids, communities };
}

const REASONS = ['help_order', 'volunteer_hour', 'participation', 'redeem'] as const;

function batchOf(start: number, n: number, people: { ids: string[]; communities: string[] }): PointsEntry[] {
  const out: PointsEntry[] = [];
  for (let i = start; i < start + n; i++) {
    const p = (i * 7919) % PEOPLE;
    const reason = REASONS[i % 4];
    out.push({
      personId: people.ids[p],
      communityCode: people.communities[p],
      delta: reason === 'redeem' ? -((i % 5) + 1) : (i % 10) + 1,
      reason,
      refType: reason === 'help_order' ? 'help_order' : reason === 'volunteer_hour' ? 'volunteer_project' : null,
      refId: reason === 'participation' ? null : crypto.randomUUID(),
      actorName: '社区工作者',
    });
  }
  return out;
}

async function open(env: BenchEnv, label: string): Promise<Database> {
  const target = await env.migratedCopy(label);
  const database = await openDatabase(
    target.databaseUrl ? { databaseUrl: target.databaseUrl } : { pgliteDir: path.join(target.dataDir, 'pglite') },
  );
  await migrateToLatest(database.db);
  return database;
}

/** Two writers append the chain in transactions of BATCH entries, taking batches from one counter. */
async function appendAll(db: Kysely<DB>, total: number, people: ReturnType<typeof makePeople>): Promise<number> {
  let next = 0;
  const writer = async () => {
    for (;;) {
      const start = next;
      if (start >= total) return;
      next += BATCH;
      const entries = batchOf(start, Math.min(BATCH, total - start), people);
      await db.transaction().execute((tx) => appendPoints(tx, DISTRICT, entries));
    }
  };
  const t0 = performance.now();
  await Promise.all([writer(), writer()]);
  return (performance.now() - t0) / 1000;
}

function tsv(v: string | number | null): string {
  return v === null ? '\\N' : String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');
}

/** The same rows (hash-shaped filler in place of the chain) with bare COPY or bare multi-row INSERTs. */
async function bareWrite(database: Database, url: string | null, total: number, people: ReturnType<typeof makePeople>): Promise<number> {
  await sql`create table points_bare (like points_ledger including all)`.execute(database.db);
  const at = new Date();
  const filler = 'f'.repeat(64);
  const t0 = performance.now();
  if (url) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const stream = client.query(
        copyStreams.from(
          'copy points_bare (district_code, seq, at, person_id, community_code, delta, reason, ref_type, ref_id, actor_name, prev_hash, hash) from stdin',
        ),
      );
      async function* lines() {
        for (let start = 0; start < total; start += BATCH) {
          const rows = batchOf(start, Math.min(BATCH, total - start), people);
          let chunk = '';
          rows.forEach((e, j) => {
            chunk += `${DISTRICT}\t${start + j + 1}\t${at.toISOString()}\t${e.personId}\t${e.communityCode}\t${e.delta}\t${e.reason}\t${tsv(e.refType ?? null)}\t${tsv(e.refId ?? null)}\t${tsv(e.actorName)}\t${filler}\t${filler}\n`;
          });
          yield chunk;
        }
      }
      await pipeline(Readable.from(lines()), stream);
    } finally {
      await client.end();
    }
  } else {
    for (let start = 0; start < total; start += BATCH) {
      const rows = batchOf(start, Math.min(BATCH, total - start), people);
      await sql`
        insert into points_bare (district_code, seq, at, person_id, community_code, delta, reason, ref_type, ref_id, actor_name, prev_hash, hash)
        select ${DISTRICT}, ${start + 1}::bigint + u.n - 1, ${at}::timestamptz, u.p, u.c, u.d, u.r, u.rt, u.ri, u.a, ${filler}, ${filler}
        from unnest(${rows.map((e) => e.personId)}::uuid[], ${rows.map((e) => e.communityCode)}::text[], ${rows.map((e) => e.delta)}::int[],
                    ${rows.map((e) => e.reason)}::text[], ${rows.map((e) => e.refType ?? null)}::text[], ${rows.map((e) => e.refId ?? null)}::text[],
                    ${rows.map((e) => e.actorName)}::text[]) with ordinality as u(p, c, d, r, rt, ri, a, n)`.execute(database.db);
    }
  }
  return (performance.now() - t0) / 1000;
}

/** Reads the whole chain in the verifier's own keyset pages, no hashing. */
async function bareRead(db: Kysely<DB>): Promise<number> {
  const t0 = performance.now();
  let after = 0;
  for (;;) {
    const rows = await pageAfter(db, DISTRICT, after);
    if (!rows.length) break;
    after = Number(rows[rows.length - 1].seq);
    if (rows.length < VERIFY_PAGE) break;
  }
  return (performance.now() - t0) / 1000;
}

async function latencies(n: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn(i);
    out.push(performance.now() - t0);
  }
  return out;
}

export const scenario: Scenario = {
  name: 'points-ledger',
  description:
    'points ledger: append 1,000,000 chained entries, verify the chain, balance reads (baselines: bare COPY, bare read, PK lookup)',
  order: 55,
  async run(env: BenchEnv): Promise<Row[]> {
    const total = size(env.opts.quick);
    const people = makePeople();
    const n = total.toLocaleString('en');
    const database = await open(env, 'points');
    try {
      env.log(`points-ledger: appending ${n} entries through appendPoints (2 writers, ${BATCH} per transaction)`);
      const append = await appendAll(database.db, total, people);
      env.log(`points-ledger: appended in ${append.toFixed(1)} s; bare write of the same rows`);
      const url = database.kind === 'postgres' ? (await env.migratedCopy('points-bare')).databaseUrl : null;
      let bare: number;
      if (url) {
        const other = await openDatabase({ databaseUrl: url });
        try {
          await migrateToLatest(other.db);
          bare = await bareWrite(other, url, total, people);
        } finally {
          await other.close();
        }
      } else bare = await bareWrite(database, null, total, people);
      await sql`vacuum analyze points_ledger`.execute(database.db);

      env.log('points-ledger: verifying the whole chain');
      const t0 = performance.now();
      const report = await verifyPointsLedger(database.db, DISTRICT);
      const verify = (performance.now() - t0) / 1000;
      const read = await bareRead(database.db);

      env.log('points-ledger: balance reads');
      const reads = env.opts.quick ? 500 : 2000;
      const pick = (i: number) => people.ids[(i * 104729) % PEOPLE];
      await latencies(100, (i) => balanceOf(database.db, DISTRICT, pick(i + 7)));
      const ours = await latencies(reads, (i) => balanceOf(database.db, DISTRICT, pick(i)));
      const pk = await latencies(reads, (i) =>
        database.db
          .selectFrom('points_ledger')
          .select('delta')
          .where('district_code', '=', DISTRICT)
          .where('seq', '=', 1 + ((i * 7919) % total))
          .executeTakeFirst(),
      );
      const perPerson = Math.round(total / PEOPLE);
      return [
        {
          id: 'points.append-1m',
          scenario: 'points-ledger',
          label: `append ${n} chained entries (2 writers, ${BATCH.toLocaleString('en')}/transaction)`,
          unit: 's',
          ours: append,
          baseline: bare,
          baselineLabel: database.kind === 'postgres' ? 'bare COPY of the same rows, no chain' : 'bare multi-row INSERT, no chain',
          details: { rowsPerSecond: round(total / append) },
        },
        {
          id: 'points.verify-1m',
          scenario: 'points-ledger',
          label: `verify the whole chain (${report.checked.toLocaleString('en')} entries)`,
          unit: 's',
          ours: verify,
          baseline: read,
          baselineLabel: 'bare read of the same pages, no hashing',
          note: report.ok ? undefined : `chain reported broken: ${JSON.stringify(report.districts[0])}`,
        },
        {
          id: 'points.balance.p99',
          scenario: 'points-ledger',
          label: `balance read, ${reads} residents (~${perPerson} entries each)`,
          unit: 'ms',
          ours: percentile(ours, 99),
          baseline: percentile(pk, 99),
          baselineLabel: 'one ledger row by primary key',
          details: { p50: percentile(ours, 50), baselineP50: percentile(pk, 50) },
        },
      ];
    } finally {
      await database.close();
    }
  },
};
