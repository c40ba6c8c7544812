import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.ts';
import { noteAudited, type AuditEntry } from '../../core/audit.ts';

/**
 * Group commit for filings (事件上报). A transaction per filing pays a commit (with its WAL flush)
 * and a handful of round trips per filing. Instead, filings that arrive while a batch is being
 * written wait for the next batch, and each batch is one statement carrying every filing's rows,
 * their audit entries and the live announcements — committed on its own, or inside a transaction
 * when a filing has more to write (photos, a self-accept).
 *
 * Nothing is delayed when the system is idle: a filing that finds no batch running starts one at
 * once. If a batch fails (a bad row, a refusal inside the loop), it is rolled back and each of its
 * filings is retried alone, so one filing's error never becomes another's.
 */

/**
 * One filing: a row that is written with the batch's other rows of the same writer in one
 * statement — together with the batch's audit entries and the live announcements the writer
 * makes — then (optionally) more work of its own in the same transaction. A batch whose filings
 * all have nothing more to write is that one statement, committed on its own (one round trip);
 * otherwise it is begin, the statement, each filing's further writes, commit.
 */
export interface Filing<R, W, T> {
  row: R;
  /**
   * Writes many rows and the given audit entries in one statement, announcing on the live bus
   * whatever it changes; answers one result per row, in order.
   */
  writeAll: (db: Kysely<DB>, rows: R[], audit: AuditEntry[]) => Promise<W[]>;
  /** Whether `next` writes; when false, `next` gets no transaction and must not write. */
  transactional: boolean;
  /** What this filing does next (in the batch's transaction when transactional), given its row's result. */
  next: (db: Kysely<DB>, written: W) => Promise<T>;
  audit: AuditEntry[];
}

type AnyFiling = Filing<unknown, unknown, unknown>;

interface Pending {
  filing: AnyFiling;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/** Writes a batch: each writer's rows and audit entries in one statement, then every filing's own step. */
async function writeBatch(tx: Kysely<DB>, filings: AnyFiling[]): Promise<unknown[]> {
  const written = new Array<unknown>(filings.length);
  const byWriter = new Map<AnyFiling['writeAll'], number[]>();
  filings.forEach((f, i) => byWriter.set(f.writeAll, [...(byWriter.get(f.writeAll) ?? []), i]));
  for (const [writeAll, idx] of byWriter) {
    const out = await writeAll(
      tx,
      idx.map((i) => filings[i].row),
      idx.flatMap((i) => filings[i].audit),
    );
    idx.forEach((i, k) => (written[i] = out[k]));
  }
  const results: unknown[] = [];
  for (let i = 0; i < filings.length; i++) results.push(await filings[i].next(tx, written[i]));
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
      const filings = batch.map((p) => p.filing);
      const alone = filings.every((f) => !f.transactional && f.writeAll === filings[0].writeAll);
      const results = alone ? await writeBatch(this.db, filings) : await this.db.transaction().execute((tx) => writeBatch(tx, filings));
      noteAudited(batch.reduce((n, p) => n + p.filing.audit.length, 0));
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
  if (db.isTransaction) {
    const [result] = await writeBatch(db, [filing as unknown as AnyFiling]);
    noteAudited(filing.audit.length);
    return result as T;
  }
  let q = queues.get(db);
  if (!q) queues.set(db, (q = new GroupCommit(db)));
  return q.submit(filing);
}
