import crypto from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import { GENESIS_HASH } from '../../core/audit.ts';

/**
 * The points ledger (积分, P3): append-only and hash-chained like the audit log (server/core/audit.ts),
 * one chain per district (the territorial key). Each entry's hash covers its content and the
 * previous entry's hash; `points_head` remembers the last entry, so removing entries from the end
 * is noticed too. Appends serialise on the district's head row. Balances are sums of the ledger.
 */

export interface PointsEntry {
  personId: string;
  communityCode: string;
  delta: number;
  reason: string;
  refType?: string | null;
  refId?: string | null;
  actorName: string;
}

export interface LedgerRow {
  district_code: string;
  seq: number;
  at: Date;
  person_id: string;
  community_code: string;
  delta: number;
  reason: string;
  ref_type: string | null;
  ref_id: string | null;
  actor_name: string;
}

/**
 * sha256(prev ‖ '\n' ‖ canonical JSON of the entry's fields). The fields are primitives, so
 * JSON.stringify of the array is already canonical (identical to canonicalJson of it): the
 * one-call form matters when a bulk append or a verify hashes a million entries.
 */
export function ledgerHash(prevHash: string, r: LedgerRow): string {
  return chainHash(prevHash, r.at.toISOString(), r);
}

/** ledgerHash with the timestamp already in ISO form (a bulk append formats it once), in one update. */
function chainHash(prevHash: string, isoAt: string, r: LedgerRow): string {
  const body = JSON.stringify([
    r.district_code,
    r.seq,
    isoAt,
    r.person_id,
    r.community_code,
    r.delta,
    r.reason,
    r.ref_type ?? null,
    r.ref_id ?? null,
    r.actor_name,
  ]);
  return crypto.createHash('sha256').update(`${prevHash}\n${body}`).digest('hex');
}

/** Locks the district's chain head (the serialisation point of appends and of balance-checked spends). */
export async function lockHead(tx: Transaction<DB>, districtCode: string): Promise<{ lastSeq: number; lastHash: string }> {
  await sql`insert into points_head (district_code, last_seq, last_hash) values (${districtCode}, 0, ${GENESIS_HASH})
            on conflict (district_code) do nothing`.execute(tx);
  const head = await sql<{ last_seq: string | number; last_hash: string }>`
    select last_seq, last_hash from points_head where district_code = ${districtCode} for update`.execute(tx);
  return { lastSeq: Number(head.rows[0].last_seq), lastHash: head.rows[0].last_hash };
}

/** Rows per INSERT statement: one array parameter per column, so the size is bounded by memory, not by parameters. */
const INSERT_CHUNK = 10_000;

/**
 * Appends entries to one district's chain inside the caller's transaction (all or nothing).
 * The head row lock makes concurrent appenders queue, so seq and the links stay exact. Rows go in
 * as `unnest` of column arrays, 10,000 per statement (a million entries is 100 round trips, not a
 * million), and the next chunk is hashed while the database writes the current one.
 */
export async function appendPoints(tx: Transaction<DB>, districtCode: string, entries: PointsEntry[], at = new Date()): Promise<number[]> {
  if (!entries.length) return [];
  for (const e of entries) {
    if (!Number.isInteger(e.delta) || e.delta === 0) throw new Error(`points delta must be a non-zero integer, got ${e.delta}`);
  }
  const head = await lockHead(tx, districtCode);
  const chain = { prev: head.lastHash };
  const firstSeq = head.lastSeq + 1;
  const isoAt = at.toISOString();
  let pending: Promise<unknown> = Promise.resolve();
  for (let i = 0; i < entries.length; i += INSERT_CHUNK) {
    const cols = sealChunk(districtCode, firstSeq + i, at, isoAt, entries.slice(i, i + INSERT_CHUNK), chain);
    await pending;
    pending = sql`
      insert into points_ledger (district_code, seq, at, person_id, community_code, delta, reason, ref_type, ref_id, actor_name, prev_hash, hash)
      select ${districtCode}, ${firstSeq + i}::bigint + u.n - 1, ${at}::timestamptz, u.p, u.c, u.d, u.r, u.rt, u.ri, u.a, u.ph, u.h
      from unnest(${cols.person}::uuid[], ${cols.community}::text[], ${cols.delta}::int[], ${cols.reason}::text[],
                  ${cols.refType}::text[], ${cols.refId}::text[], ${cols.actor}::text[], ${cols.prevHash}::text[], ${cols.hash}::text[])
           with ordinality as u(p, c, d, r, rt, ri, a, ph, h, n)`.execute(tx);
    // Handled here so a failing insert is not an unhandled rejection while the next chunk is hashed;
    // the `await pending` above still throws it.
    pending.catch(() => undefined);
    // Let the statement reach the socket before the next chunk's hashing takes the thread.
    await new Promise((r) => setImmediate(r));
  }
  await pending;
  await tx
    .updateTable('points_head')
    .set({ last_seq: head.lastSeq + entries.length, last_hash: chain.prev })
    .where('district_code', '=', districtCode)
    .execute();
  return entries.map((_, i) => firstSeq + i);
}

/** Hashes one chunk onto the chain (advancing chain.prev) and lays it out as column arrays. */
function sealChunk(districtCode: string, firstSeq: number, at: Date, isoAt: string, chunk: PointsEntry[], chain: { prev: string }) {
  const cols = {
    person: [] as string[],
    community: [] as string[],
    delta: [] as number[],
    reason: [] as string[],
    refType: [] as (string | null)[],
    refId: [] as (string | null)[],
    actor: [] as string[],
    prevHash: [] as string[],
    hash: [] as string[],
  };
  chunk.forEach((e, j) => {
    const row: LedgerRow = {
      district_code: districtCode,
      seq: firstSeq + j,
      at,
      person_id: e.personId,
      community_code: e.communityCode,
      delta: e.delta,
      reason: e.reason,
      ref_type: e.refType ?? null,
      ref_id: e.refId ?? null,
      actor_name: e.actorName,
    };
    const h = chainHash(chain.prev, isoAt, row);
    cols.person.push(row.person_id);
    cols.community.push(row.community_code);
    cols.delta.push(row.delta);
    cols.reason.push(row.reason);
    cols.refType.push(row.ref_type);
    cols.refId.push(row.ref_id);
    cols.actor.push(row.actor_name);
    cols.prevHash.push(chain.prev);
    cols.hash.push(h);
    chain.prev = h;
  });
  return cols;
}

export async function balanceOf(db: Kysely<DB>, districtCode: string, personId: string): Promise<number> {
  const r = await db
    .selectFrom('points_ledger')
    .select(sql<string>`coalesce(sum(delta), 0)`.as('balance'))
    .where('district_code', '=', districtCode)
    .where('person_id', '=', personId)
    .executeTakeFirstOrThrow();
  return Number(r.balance);
}

export interface LedgerReport {
  ok: boolean;
  districts: { districtCode: string; checked: number; ok: boolean; brokenAt: number | null; reason: string | null }[];
  checked: number;
}

/** Walks every district's chain (or one) in seq order and checks each link, each hash and the head. */
export async function verifyPointsLedger(db: Kysely<DB>, districtCode?: string): Promise<LedgerReport> {
  let districts: string[];
  if (districtCode) districts = [districtCode];
  else {
    const heads = await db.selectFrom('points_head').select('district_code').execute();
    const inLedger = await sql<{ d: string }>`select distinct district_code as d from points_ledger`.execute(db);
    districts = [...new Set([...heads.map((h) => h.district_code), ...inLedger.rows.map((r) => r.d)])].sort();
  }
  const out: LedgerReport['districts'] = [];
  for (const d of districts) out.push({ districtCode: d, ...(await verifyDistrict(db, d)) });
  return { ok: out.every((d) => d.ok), districts: out, checked: out.reduce((s, d) => s + d.checked, 0) };
}

/** Rows per verify page: keyset pages on the primary key, the next one fetched while this one is hashed. */
export const VERIFY_PAGE = 20_000;

interface StoredRow extends LedgerRow {
  prev_hash: string;
  hash: string;
}

/** One keyset page of the chain after `afterSeq` (exported so the benchmark's bare read reads exactly what verify reads). */
export function pageAfter(db: Kysely<DB>, districtCode: string, afterSeq: number): Promise<StoredRow[]> {
  return db
    .selectFrom('points_ledger')
    .select([
      'district_code',
      'seq',
      'at',
      'person_id',
      'community_code',
      'delta',
      'reason',
      'ref_type',
      'ref_id',
      'actor_name',
      'prev_hash',
      'hash',
    ])
    .where('district_code', '=', districtCode)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(VERIFY_PAGE)
    .execute() as Promise<StoredRow[]>;
}

/**
 * Streams one chain in seq order and checks every link, every hash and the head. Seq must run
 * 1, 2, 3… without a gap, so a removed entry is found even when its neighbours were re-linked.
 */
async function verifyDistrict(db: Kysely<DB>, districtCode: string) {
  let prev = GENESIS_HASH;
  let expected = 1;
  let checked = 0;
  const broken = (at: number, reason: string) => ({ checked, ok: false, brokenAt: at, reason });
  let next = pageAfter(db, districtCode, 0);
  for (;;) {
    const rows = await next;
    // Prefetch: PostgreSQL reads the next page while this process hashes the current one.
    if (rows.length === VERIFY_PAGE) next = pageAfter(db, districtCode, Number(rows[rows.length - 1].seq));
    for (const r of rows) {
      const seq = Number(r.seq);
      if (seq !== expected) {
        await next.catch(() => undefined);
        return broken(expected, `entry ${expected} is missing`);
      }
      if (r.prev_hash !== prev) {
        await next.catch(() => undefined);
        return broken(seq, 'previous-hash link does not match (entries removed or reordered)');
      }
      if (ledgerHash(prev, { ...r, seq }) !== r.hash) {
        await next.catch(() => undefined);
        return broken(seq, 'entry content does not match its hash (changed)');
      }
      prev = r.hash;
      expected++;
      checked++;
    }
    if (rows.length < VERIFY_PAGE) break;
  }
  const head = await db.selectFrom('points_head').selectAll().where('district_code', '=', districtCode).executeTakeFirst();
  const headSeq = head ? Number(head.last_seq) : 0;
  if (headSeq !== checked || (head && checked > 0 && head.last_hash !== prev)) {
    return broken(checked + 1, `the head records ${headSeq} entries but the chain has ${checked}`);
  }
  return { checked, ok: true, brokenAt: null, reason: null };
}
