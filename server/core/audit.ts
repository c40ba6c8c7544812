import crypto from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/types.ts';

/**
 * The append-only, hash-chained audit log (审计日志). Each row's hash covers its own content and
 * the previous row's hash; `audit_head` remembers the last row so that a deletion from the end
 * is noticed too. Appends serialise on the head row, so the chain has no forks.
 */
export interface AuditEntry {
  actorId?: string | null;
  actorName?: string | null;
  action: string;
  outcome?: 'success' | 'failure' | 'denied';
  targetType?: string | null;
  targetId?: string | null;
  placeCode?: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
}

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every depth, so jsonb's key reordering cannot change a hash. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

interface HashedFields {
  id: number;
  at: Date;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  outcome: string;
  target_type: string | null;
  target_id: string | null;
  place_code: string | null;
  ip: string | null;
  details: unknown;
}

export function auditRowHash(prevHash: string, row: HashedFields): string {
  const body = canonicalJson([
    row.id,
    row.at.toISOString(),
    row.actor_id,
    row.actor_name,
    row.action,
    row.outcome,
    row.target_type,
    row.target_id,
    row.place_code,
    row.ip,
    row.details ?? {},
  ]);
  return crypto.createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/** Appends inside the caller's transaction when given one, so the write and its audit commit together. */
export async function appendAudit(db: Kysely<DB> | Transaction<DB>, entry: AuditEntry): Promise<void> {
  if (db.isTransaction) {
    await appendInTx(db as Transaction<DB>, entry);
  } else {
    await db.transaction().execute((tx) => appendInTx(tx, entry));
  }
}

/** The chain's head as read under its row lock. */
export interface AuditHead {
  last_id: number | string;
  last_hash: string;
}

/** Locks the chain's head (creating it on first use) for the rest of the transaction. */
async function lockHead(tx: Transaction<DB>): Promise<AuditHead> {
  const lock = () => sql<AuditHead>`select last_id, last_hash from audit_head where singleton for update`.execute(tx);
  let head = (await lock()).rows[0];
  if (!head) {
    await sql`insert into audit_head (singleton, last_id, last_hash) values (true, 0, ${GENESIS_HASH})
              on conflict (singleton) do nothing`.execute(tx);
    head = (await lock()).rows[0];
  }
  return head;
}

function hashedRow(id: number, entry: AuditEntry): HashedFields {
  return {
    id,
    at: new Date(),
    actor_id: entry.actorId ?? null,
    actor_name: entry.actorName ?? null,
    action: entry.action,
    outcome: entry.outcome ?? 'success',
    target_type: entry.targetType ?? null,
    target_id: entry.targetId ?? null,
    place_code: entry.placeCode ?? null,
    ip: entry.ip ?? null,
    details: entry.details ?? {},
  };
}

async function appendInTx(tx: Transaction<DB>, entry: AuditEntry): Promise<void> {
  await appendAuditLocked(tx, await lockHead(tx), entry);
}

/**
 * Writes the row and moves the head in one statement, for a caller that already holds the head's
 * row lock (taken last, e.g. at the end of its own statement, so the chain is held only for this
 * write and the commit).
 */
export async function appendAuditLocked(tx: Transaction<DB>, head: AuditHead, entry: AuditEntry): Promise<void> {
  const row = hashedRow(Number(head.last_id) + 1, entry);
  const hash = auditRowHash(head.last_hash, row);
  await sql`
    with l as (
      insert into audit_log (id, at, actor_id, actor_name, action, outcome, target_type, target_id, place_code, ip, details, prev_hash, hash)
      values (${row.id}, ${row.at}, ${row.actor_id}, ${row.actor_name}, ${row.action}, ${row.outcome}, ${row.target_type},
              ${row.target_id}, ${row.place_code}, ${row.ip}, ${JSON.stringify(row.details)}::jsonb, ${head.last_hash}, ${hash})
    )
    update audit_head set last_id = ${row.id}, last_hash = ${hash} where singleton`.execute(tx);
}

/**
 * Appends several entries in the caller's transaction under one lock of the chain's head, in one
 * INSERT: a batch of writes committed together pays the head's serialisation once, not per entry.
 */
export async function appendAuditBatch(tx: Transaction<DB>, entries: AuditEntry[]): Promise<void> {
  if (!entries.length) return;
  const head = await lockHead(tx);
  let lastId = Number(head.last_id);
  let lastHash = head.last_hash;
  const values: (Omit<HashedFields, 'details'> & { details: string; prev_hash: string; hash: string })[] = [];
  for (const entry of entries) {
    const row = hashedRow(lastId + 1, entry);
    const hash = auditRowHash(lastHash, row);
    values.push({ ...row, details: JSON.stringify(row.details), prev_hash: lastHash, hash });
    lastId = row.id;
    lastHash = hash;
  }
  // The rows and the new head in one statement: the head stays locked for one round trip less.
  await tx
    .with('appended', (db) => db.insertInto('audit_log').values(values).returning('id'))
    .updateTable('audit_head')
    .set({ last_id: lastId, last_hash: lastHash })
    .where('singleton', '=', true)
    .execute();
}

export interface ChainReport {
  ok: boolean;
  checked: number;
  /** id of the first row that does not fit the chain, or null. */
  brokenAt: number | null;
  reason: string | null;
}

/** Walks the whole chain in id order, in pages, and checks every link and the head. */
export async function verifyAuditChain(db: Kysely<DB>): Promise<ChainReport> {
  let prevHash = GENESIS_HASH;
  let expectedId = 1;
  let checked = 0;
  const pageSize = 5000;
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('id', '>=', expectedId).orderBy('id').limit(pageSize).execute();
    for (const r of rows) {
      const id = Number(r.id);
      if (id !== expectedId) return broken(checked, expectedId, `row ${expectedId} is missing`);
      if (r.prev_hash !== prevHash) return broken(checked, id, 'previous-hash link does not match');
      const hash = auditRowHash(prevHash, { ...r, id, details: r.details });
      if (hash !== r.hash) return broken(checked, id, 'row content does not match its hash');
      prevHash = r.hash;
      expectedId++;
      checked++;
    }
    if (rows.length < pageSize) break;
  }
  const head = await db.selectFrom('audit_head').selectAll().executeTakeFirst();
  const headId = head ? Number(head.last_id) : 0;
  if (headId !== checked || (head && head.last_hash !== prevHash && checked > 0)) {
    return broken(checked, checked + 1, `the head records ${headId} rows but the chain has ${checked}`);
  }
  return { ok: true, checked, brokenAt: null, reason: null };
}

function broken(checked: number, at: number, reason: string): ChainReport {
  return { ok: false, checked, brokenAt: at, reason };
}
