import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import { appendAuditBatch, type AuditEntry } from '../../core/audit.ts';
import { announce } from '../../core/live.ts';

/**
 * Group commit for filings (事件上报). A transaction per filing pays a commit (with its WAL flush)
 * and a handful of round trips per filing. Instead, filings that arrive while a batch is being
 * written wait for the next batch, and each batch is one transaction: every filing's rows in one
 * statement per kind of row, one live announcement per topic, all their audit entries in one
 * INSERT, then one commit.
 *
 * Nothing is delayed when the system is idle: a filing that finds no batch running starts one at
 * once. If a batch fails (a bad row, a refusal inside the loop), it is rolled back and each of its
 * filings is retried alone, so one filing's error never becomes another's.
 */

/**
 * One filing: a row that is written with the batch's other rows of the same writer in one
 * statement, then (optionally) more work of its own in the same transaction, and audit entries
 * appended once every write of the batch is done.
 */
export interface Filing<R, W, T> {
  row: R;
  /** Writes many rows in one statement; answers one result per row, in order. */
  writeAll: (tx: Transaction<DB>, rows: R[]) => Promise<W[]>;
  /** What this filing does next in the batch's transaction, given its row's result. */
  next: (tx: Transaction<DB>, written: W) => Promise<T>;
  /** Whose screens should re-read once this commits (server/core/live.ts), announced once per batch. */
  announce?: (written: W) => { topic: string; keys: string[] } | null;
  audit: AuditEntry[];
}

type AnyFiling = Filing<unknown, unknown, unknown>;

interface Pending {
  filing: AnyFiling;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/** Writes a batch: each writer's rows in one statement, then every filing's own step, then the audit. */
async function writeBatch(tx: Transaction<DB>, filings: AnyFiling[]): Promise<unknown[]> {
  const written = new Array<unknown>(filings.length);
  const byWriter = new Map<AnyFiling['writeAll'], number[]>();
  filings.forEach((f, i) => byWriter.set(f.writeAll, [...(byWriter.get(f.writeAll) ?? []), i]));
  for (const [writeAll, idx] of byWriter) {
    const out = await writeAll(
      tx,
      idx.map((i) => filings[i].row),
    );
    idx.forEach((i, k) => (written[i] = out[k]));
  }
  const results: unknown[] = [];
  for (let i = 0; i < filings.length; i++) results.push(await filings[i].next(tx, written[i]));
  const keysByTopic = new Map<string, string[]>();
  filings.forEach((f, i) => {
    const a = f.announce?.(written[i]);
    if (a?.keys.length) keysByTopic.set(a.topic, [...(keysByTopic.get(a.topic) ?? []), ...a.keys]);
  });
  for (const [topic, keys] of keysByTopic) await announce(tx, topic, keys);
  await appendAuditBatch(
    tx,
    filings.flatMap((f) => f.audit),
  );
  return results;
}

const MAX_BATCH = 64;

class GroupCommit {
  private queue: Pending[] = [];
  private running = false;
  constructor(private readonly db: Kysely<DB>) {}

  submit<R, W, T>(filing: Filing<R, W, T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ filing: filing as unknown as AnyFiling, resolve: resolve as (v: unknown) => void, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, MAX_BATCH);
        await this.commit(batch);
      }
    } finally {
      this.running = false;
    }
  }

  private async commit(batch: Pending[]): Promise<void> {
    try {
      const results = await this.db.transaction().execute((tx) =>
        writeBatch(
          tx,
          batch.map((p) => p.filing),
        ),
      );
      batch.forEach((p, i) => p.resolve(results[i]));
    } catch (err) {
      if (batch.length === 1) {
        batch[0].reject(err);
        return;
      }
      for (const p of batch) await this.commit([p]);
    }
  }
}

const queues = new WeakMap<object, GroupCommit>();

/**
 * Files through the database's group commit; inside a caller's transaction (an import commits
 * all its rows together) the filing is written there directly.
 */
export async function fileTogether<R, W, T>(db: Kysely<DB>, filing: Filing<R, W, T>): Promise<T> {
  if (db.isTransaction) return (await writeBatch(db as Transaction<DB>, [filing as unknown as AnyFiling]))[0] as T;
  let q = queues.get(db);
  if (!q) queues.set(db, (q = new GroupCommit(db)));
  return q.submit(filing);
}
