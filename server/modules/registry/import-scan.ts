import fs from 'node:fs';
import type { Kysely } from 'kysely';
import type { AppContext } from '../../core/context.ts';
import type { DB } from '../../db/types.ts';
import { pathInScope, type Scope } from '../../core/permissions.ts';
import { headerOf } from './import-columns.ts';
import type { mapHeaders } from './import-columns.ts';
import { readRows, type FileKind, type ReadProgress } from './import-reader.ts';
import { prepareRow, type RowProblem, type StagedPerson } from './import-rows.ts';
import { todayInShanghai } from './person-rules.ts';
import * as store from './import-store.ts';

/**
 * One pass over an import file: every row checked and sealed (import-rows.ts), bad rows recorded
 * with their reasons, good rows handed to `write` in batches. One batch is written while the next
 * is read and checked, so the database and this process work at the same time.
 */

/** `fresh`: not registered when the batch was checked (written with a plain INSERT). */
export type GoodRow = { rowNo: number; data: StagedPerson; fresh?: boolean };

/** Problems kept per job (the report lists them all up to this many). */
export const MAX_PROBLEMS = 100_000;
const BATCH = 2000;
/** The reader lets pending I/O run after this much work in a row (ms). */
const YIELD_MS = 4;

export interface ScanResult {
  total: number;
  rejected: number;
  problems: RowProblem[];
}

export interface ScanInput {
  jobId: string;
  communityCode: string;
  filePath: string;
  kind: FileKind;
  mapping: ReturnType<typeof mapHeaders>;
  /** Where progress is written (a connection other than the import's where there is one). */
  progressDb: Kysely<DB>;
  /**
   * A connection other than the import's, where there is one: who of a batch is registered
   * already is asked there as soon as the batch is read, while the import's own connection is
   * still writing the batch before. (Its snapshot cannot see this import's uncommitted rows, and
   * need not: a person appears once in a file, later repeats are refused as duplicates.)
   */
  lookupDb?: Kysely<DB>;
}

type Existing = Awaited<ReturnType<typeof store.existingByBidx>>;

/**
 * Someone registered in another community of the district: only that community may change them.
 * Returns the rows the importer may write; the others become problems.
 */
export async function withoutOutsiders(
  db: Kysely<DB>,
  districtCode: string,
  scope: Scope,
  rows: GoodRow[],
  result: ScanResult,
  asked?: Promise<Existing>,
) {
  const existing =
    (await asked) ??
    (await store.existingByBidx(
      db,
      districtCode,
      rows.map((b) => b.data.idBidx),
    ));
  const outside = new Set(existing.filter((e) => !pathInScope(scope, e.path)).map((e) => e.id_bidx));
  const known = new Set(existing.map((e) => e.id_bidx));
  for (const r of rows) r.fresh = !known.has(r.data.idBidx);
  if (!outside.size) return rows;
  return rows.filter((b) => {
    if (!outside.has(b.data.idBidx)) return true;
    result.problems.push({ row: b.rowNo, column: headerOf('idNumber'), reason: '该人员已在其他社区登记，请由所在社区办理迁出后再导入' });
    result.rejected++;
    return false;
  });
}

export async function scanFile(
  ctx: AppContext,
  input: ScanInput,
  write: (rows: GoodRow[], result: ScanResult, existing?: Promise<Existing>) => Promise<void>,
): Promise<ScanResult> {
  const district = input.communityCode.slice(0, 6);
  const today = todayInShanghai();
  const houses = await store.housesOfCommunity(input.progressDb, input.communityCode);
  const size = (await fs.promises.stat(input.filePath)).size || 1;
  const progress: ReadProgress = { bytes: 0 };
  const result: ScanResult = { total: 0, rejected: 0, problems: [] };
  const seen = new Map<string, number>();
  let batch: GoodRow[] = [];
  let lastTick = Date.now();
  let lastYield = performance.now();

  // A failed write is kept, not left as an unhandled rejection, and thrown at the next wait.
  let inFlight: Promise<unknown> = Promise.resolve(null);
  const settle = async () => {
    const err = await inFlight;
    if (err) throw err;
  };
  const flush = async () => {
    const rows = batch;
    batch = [];
    const asked =
      rows.length && input.lookupDb
        ? store.existingByBidx(
            input.lookupDb,
            district,
            rows.map((r) => r.data.idBidx),
          )
        : undefined;
    asked?.catch(() => undefined); // awaited by the write; a failure surfaces there
    await settle();
    if (!rows.length) return;
    inFlight = write(rows, result, asked).then(
      () => null,
      (e: unknown) => e ?? new Error('import write failed'),
    );
  };

  for await (const row of readRows(input.filePath, input.kind, progress)) {
    if (row.rowNo === 1) continue;
    if (row.cells.every((c) => c === '')) continue;
    result.total++;
    const raw: Record<string, string> = {};
    input.mapping.fields.forEach((f, i) => {
      if (f) raw[f] = row.cells[i] ?? '';
    });
    const prepared = prepareRow(ctx.keyring, row.rowNo, raw, houses, today);
    if (!prepared.ok) {
      result.rejected++;
      if (result.problems.length < MAX_PROBLEMS) result.problems.push(...prepared.problems);
    } else {
      const first = seen.get(prepared.value.idBidx);
      if (first !== undefined) {
        result.rejected++;
        if (result.problems.length < MAX_PROBLEMS)
          result.problems.push({ row: row.rowNo, column: headerOf('idNumber'), reason: `身份证号在文件中重复（与第${first}行相同）` });
      } else {
        seen.set(prepared.value.idBidx, row.rowNo);
        batch.push({ rowNo: row.rowNo, data: prepared.value });
      }
    }
    if (batch.length >= BATCH) await flush();
    // Rows already read come through promises, which never let I/O in: without a pause now and
    // then, the batch being written waits for the reader (its COPY and statements answered only
    // when the reader next waited on the file) — 3.5 s of a 100,000-row CSV import, 1 s with it.
    if (performance.now() - lastYield > YIELD_MS) {
      await new Promise((r) => setImmediate(r));
      lastYield = performance.now();
    }
    if (Date.now() - lastTick > 500) {
      lastTick = Date.now();
      await store.updateJob(input.progressDb, district, input.jobId, {
        processed: result.total,
        progress: Math.min(99, Math.floor((progress.bytes / size) * 100)),
      });
    }
  }
  await flush();
  await settle();
  result.problems.sort((a, b) => a.row - b.row);
  result.problems = result.problems.slice(0, MAX_PROBLEMS);
  return result;
}
