import crypto from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import { canonicalJson, GENESIS_HASH } from '../../core/audit.ts';

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

export function ledgerHash(prevHash: string, r: LedgerRow): string {
  const body = canonicalJson([
    r.district_code,
    r.seq,
    r.at.toISOString(),
    r.person_id,
    r.community_code,
    r.delta,
    r.reason,
    r.ref_type,
    r.ref_id,
    r.actor_name,
  ]);
  return crypto.createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/** Locks the district's chain head (the serialisation point of appends and of balance-checked spends). */
export async function lockHead(tx: Transaction<DB>, districtCode: string): Promise<{ lastSeq: number; lastHash: string }> {
  await sql`insert into points_head (district_code, last_seq, last_hash) values (${districtCode}, 0, ${GENESIS_HASH})
            on conflict (district_code) do nothing`.execute(tx);
  const head = await sql<{ last_seq: string | number; last_hash: string }>`
    select last_seq, last_hash from points_head where district_code = ${districtCode} for update`.execute(tx);
  return { lastSeq: Number(head.rows[0].last_seq), lastHash: head.rows[0].last_hash };
}

/**
 * Appends entries to one district's chain inside the caller's transaction (all or nothing).
 * Batches are inserted in chunks, so a bulk import of a million entries is a few hundred statements.
 */
export async function appendPoints(tx: Transaction<DB>, districtCode: string, entries: PointsEntry[], at = new Date()): Promise<number[]> {
  if (!entries.length) return [];
  const head = await lockHead(tx, districtCode);
  let prev = head.lastHash;
  let seq = head.lastSeq;
  const rows = entries.map((e) => {
    if (!Number.isInteger(e.delta) || e.delta === 0) throw new Error(`points delta must be a non-zero integer, got ${e.delta}`);
    const row: LedgerRow = {
      district_code: districtCode,
      seq: ++seq,
      at,
      person_id: e.personId,
      community_code: e.communityCode,
      delta: e.delta,
      reason: e.reason,
      ref_type: e.refType ?? null,
      ref_id: e.refId ?? null,
      actor_name: e.actorName,
    };
    const hash = ledgerHash(prev, row);
    const out = { ...row, prev_hash: prev, hash };
    prev = hash;
    return out;
  });
  for (let i = 0; i < rows.length; i += 2000) {
    await tx
      .insertInto('points_ledger')
      .values(rows.slice(i, i + 2000))
      .execute();
  }
  await tx.updateTable('points_head').set({ last_seq: seq, last_hash: prev }).where('district_code', '=', districtCode).execute();
  return rows.map((r) => r.seq);
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

async function verifyDistrict(db: Kysely<DB>, districtCode: string) {
  let prev = GENESIS_HASH;
  let expected = 1;
  let checked = 0;
  const pageSize = 20_000;
  const broken = (at: number, reason: string) => ({ checked, ok: false, brokenAt: at, reason });
  for (;;) {
    const rows = await db
      .selectFrom('points_ledger')
      .selectAll()
      .where('district_code', '=', districtCode)
      .where('seq', '>=', expected)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    for (const r of rows) {
      const seq = Number(r.seq);
      if (seq !== expected) return broken(expected, `entry ${expected} is missing`);
      if (r.prev_hash !== prev) return broken(seq, 'previous-hash link does not match (entries removed or reordered)');
      const hash = ledgerHash(prev, { ...r, seq });
      if (hash !== r.hash) return broken(seq, 'entry content does not match its hash (changed)');
      prev = r.hash;
      expected++;
      checked++;
    }
    if (rows.length < pageSize) break;
  }
  const head = await db.selectFrom('points_head').selectAll().where('district_code', '=', districtCode).executeTakeFirst();
  const headSeq = head ? Number(head.last_seq) : 0;
  if (headSeq !== checked || (head && checked > 0 && head.last_hash !== prev)) {
    return broken(checked + 1, `the head records ${headSeq} entries but the chain has ${checked}`);
  }
  return { checked, ok: true, brokenAt: null, reason: null };
}
