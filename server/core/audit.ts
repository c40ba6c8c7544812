import crypto from 'node:crypto';
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { DB } from '../db/types.ts';

/**
 * The append-only, hash-chained audit log (审计日志). Each row's hash covers its own content and
 * the previous row's hash; `audit_head` remembers the last row so that a deletion from the end
 * is noticed too. Writers insert rows unchained and never wait on the chain; one sealer at a
 * time (serialised on the head row) gives committed rows their place in the chain shortly
 * after (DECISIONS D40). An unsealed row is visible to every reader at once.
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

/** Audit rows this process has written; the sealer seals soon after it changes. */
let appended = 0;

/**
 * Writes the entry unchained, in the caller's transaction when given one, so the write and its
 * audit commit together. It takes no lock: the sealer chains it shortly after commit.
 */
export async function appendAudit(db: Kysely<DB> | Transaction<DB>, entry: AuditEntry): Promise<void> {
  await db.insertInto('audit_log').values(auditValues(entry)).execute();
  appended++;
}

/** Several entries in one INSERT, e.g. a batch of writes committed together. */
export async function appendAuditBatch(db: Kysely<DB> | Transaction<DB>, entries: AuditEntry[]): Promise<void> {
  if (!entries.length) return;
  await db.insertInto('audit_log').values(entries.map(auditValues)).execute();
  appended += entries.length;
}

/**
 * The audit rows of `entries` as an INSERT a caller puts in its own WITH, so a batch's writes and
 * their audit travel in one statement (one round trip); call `noteAudited` once it commits.
 */
export function auditInsertSql(entries: AuditEntry[]): RawBuilder<unknown> {
  const rows = entries.map((e) => ({ ...auditValues(e), details: e.details ?? {} }));
  return sql`insert into audit_log (at, actor_id, actor_name, action, outcome, target_type, target_id, place_code, ip, details)
    select at, actor_id, actor_name, action, outcome, target_type, target_id, place_code, ip, details
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(at timestamptz, actor_id uuid, actor_name text, action text,
      outcome text, target_type text, target_id text, place_code text, ip text, details jsonb)`;
}

/** Counts audit rows a caller inserted with its own statement (see `auditValues`), for the sealer. */
export function noteAudited(n: number): void {
  appended += n;
}

/** The columns of an unchained audit row, for a caller that inserts it within its own statement. */
export function auditValues(entry: AuditEntry) {
  return {
    at: new Date(),
    actor_id: entry.actorId ?? null,
    actor_name: entry.actorName ?? null,
    action: entry.action,
    outcome: entry.outcome ?? 'success',
    target_type: entry.targetType ?? null,
    target_id: entry.targetId ?? null,
    place_code: entry.placeCode ?? null,
    ip: entry.ip ?? null,
    details: JSON.stringify(entry.details ?? {}),
  };
}

/** The chain's head: the last sealed position and its hash. */
export interface AuditHead {
  last_id: number | string;
  last_hash: string;
}

const SEAL_BATCH = 5000;

/**
 * Chains the committed unsealed rows, oldest id first, in batches: each batch locks the head,
 * hashes in Node, fills seq/prev_hash/hash in one UPDATE and moves the head. One sealer at a
 * time: with `wait` false another instance's sealer holding the head makes this one skip.
 * Returns the number of rows sealed.
 */
export async function sealAudit(db: Kysely<DB>, opts: { wait?: boolean } = {}): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await db.transaction().execute(async (tx) => {
      const head = opts.wait
        ? (await sql<AuditHead>`select last_id, last_hash from audit_head where singleton for update`.execute(tx)).rows[0]
        : (await sql<AuditHead>`select last_id, last_hash from audit_head where singleton for update skip locked`.execute(tx)).rows[0];
      if (!head) return -1;
      // Sealing leaves a dead entry in the partial index of unsealed rows for every row it seals
      // (seq is indexed, so the update is never HOT) until vacuum. A plain index scan marks those
      // entries dead as it passes them and the next scan skips them; the bitmap scan the planner
      // prefers here does not, and re-reads every dead entry's heap page each time (5 ms per seal
      // after 20,000 filings instead of 0.06 ms).
      await sql`set local enable_bitmapscan = off`.execute(tx);
      const rows = await tx.selectFrom('audit_log').selectAll().where('seq', 'is', null).orderBy('id').limit(SEAL_BATCH).execute();
      if (!rows.length) return 0;
      let seq = Number(head.last_id);
      let prev = head.last_hash;
      const ids: string[] = [];
      const seqs: number[] = [];
      const prevs: string[] = [];
      const hashes: string[] = [];
      for (const r of rows) {
        seq++;
        const hash = auditRowHash(prev, { ...r, id: seq });
        ids.push(String(r.id));
        seqs.push(seq);
        prevs.push(prev);
        hashes.push(hash);
        prev = hash;
      }
      await sql`
        with sealed as (
          update audit_log a set seq = v.seq, prev_hash = v.prev_hash, hash = v.hash
          from unnest(${ids}::bigint[], ${seqs}::bigint[], ${prevs}::text[], ${hashes}::text[]) as v(id, seq, prev_hash, hash)
          where a.id = v.id
          returning 1
        )
        update audit_head set last_id = ${seq}, last_hash = ${prev} where singleton`.execute(tx);
      return rows.length;
    });
    if (n <= 0) return total;
    total += n;
    if (n < SEAL_BATCH) return total;
  }
}

/**
 * Seals in the background: soon after this process appended, and every `idleMs` for rows other
 * processes (a second instance, the CLI) wrote. Returns a stop function that seals what is left.
 */
export function startAuditSealer(
  db: Kysely<DB>,
  opts: { intervalMs?: number; idleMs?: number; log?: (err: unknown) => void } = {},
): () => Promise<void> {
  const intervalMs = opts.intervalMs ?? 100;
  const idleMs = opts.idleMs ?? 5000;
  let seen = -1;
  let lastRun = 0;
  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (running || (appended === seen && Date.now() - lastRun < idleMs)) return;
    seen = appended;
    lastRun = Date.now();
    running = sealAudit(db)
      .catch(opts.log ?? (() => {}))
      .finally(() => (running = null));
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
    await sealAudit(db, { wait: true }).catch(opts.log ?? (() => {}));
  };
}

export interface ChainReport {
  ok: boolean;
  checked: number;
  /** id of the first row that does not fit the chain, or null. */
  brokenAt: number | null;
  reason: string | null;
}

/**
 * Seals what is committed, then walks the whole chain in seq order, in pages, and checks every
 * link and the head.
 */
export async function verifyAuditChain(db: Kysely<DB>): Promise<ChainReport> {
  await sealAudit(db, { wait: true });
  let prevHash = GENESIS_HASH;
  let expectedId = 1;
  let checked = 0;
  const pageSize = 5000;
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>=', expectedId).orderBy('seq').limit(pageSize).execute();
    for (const r of rows) {
      const id = Number(r.seq);
      if (id !== expectedId) return broken(checked, expectedId, `row ${expectedId} is missing`);
      if (r.prev_hash !== prevHash) return broken(checked, id, 'previous-hash link does not match');
      const hash = auditRowHash(prevHash, { ...r, id, details: r.details });
      if (hash !== r.hash) return broken(checked, id, 'row content does not match its hash');
      prevHash = hash;
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
