import fs from 'node:fs';
import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../../core/audit.ts';
import { pathInScope } from '../../core/permissions.ts';
import * as territoryStore from '../territory/store.ts';
import { mapHeaders, headerOf, PERSON_COLUMNS } from './import-columns.ts';
import { detectKind, fileHead, readRows, type ReadProgress } from './import-reader.ts';
import { prepareRow, type RowProblem, type StagedPerson } from './import-rows.ts';
import { todayInShanghai } from './person-rules.ts';
import * as store from './import-store.ts';

/**
 * Importing people from a spreadsheet (R2), in two phases:
 *  1. validate: stream the file, check every row, seal the good ones into `import_staging`
 *     (encrypted, in batches) and record every bad row's problems; the file is then deleted;
 *  2. commit: with the user's choice — "all" (only when no row is bad) or "valid" (the good rows)
 *     — merge the staging rows into the registry in ONE transaction.
 * A crash in either phase leaves the registry exactly as it was; the job row says what happened.
 */

export type ImportMode = 'all' | 'valid';

export interface ImportRequest {
  filePath: string;
  fileName: string;
  communityCode: string;
  /** Given up front (CLI): commit right after validation. Absent (web wizard): wait for the user. */
  mode?: ImportMode;
  /** Remove the file once read (uploads); the CLI leaves the operator's file alone. */
  deleteFile?: boolean;
  /** Tests only: fail in the middle of the merge transaction. */
  failDuringMerge?: boolean;
}

const BATCH = 1000;
/** Problems kept per job (the report lists them all up to this many). */
const MAX_PROBLEMS = 100_000;
const running = new Map<string, Promise<void>>();

async function community(ctx: AppContext, actor: Actor, code: string) {
  if (!/^\d{12}$/.test(code)) throw new AppError('INVALID_CODE', { communityCode: code });
  const node = await territoryStore.findNode(ctx.db, code, 'community', null);
  if (!node) throw new AppError('TERRITORY_NOT_FOUND', { communityCode: code });
  if (!pathInScope(actor.scope('registry.import'), node.path)) throw new AppError('OUT_OF_SCOPE', { communityCode: code });
  return node;
}

/** Checks the header row at once, so a wrong file is refused before any job starts. */
async function readHeader(req: ImportRequest) {
  const kind = detectKind(req.fileName, await fileHead(req.filePath));
  if (!kind) throw new AppError('IMPORT_UNREADABLE', { fileName: req.fileName });
  let header: string[] | null = null;
  try {
    for await (const row of readRows(req.filePath, kind)) {
      header = row.cells;
      break;
    }
  } catch {
    throw new AppError('IMPORT_UNREADABLE', { fileName: req.fileName });
  }
  if (!header) throw new AppError('IMPORT_UNREADABLE', { fileName: req.fileName, reason: 'empty' });
  const mapping = mapHeaders(header);
  if (mapping.missing.length || mapping.unknown.length || mapping.duplicate.length) {
    throw new AppError('IMPORT_BAD_HEADERS', {
      missing: mapping.missing,
      unknown: mapping.unknown,
      duplicate: mapping.duplicate,
      expected: PERSON_COLUMNS.map((c) => c.header),
    });
  }
  return { kind, mapping };
}

/** Starts an import in the background and returns its job id (the web wizard polls it). */
export async function startImport(ctx: AppContext, actor: Actor, req: ImportRequest): Promise<string> {
  try {
    const node = await community(ctx, actor, req.communityCode);
    const head = await readHeader(req);
    const jobId = await store.insertJob(ctx.db, {
      districtCode: node.code.slice(0, 6),
      communityCode: node.code,
      fileName: req.fileName.slice(0, 200),
      mode: req.mode ?? null,
      actorId: actor.userId,
      actorName: actor.username,
    });
    const work = (async () => {
      await validate(ctx, actor, jobId, node.code, node.path, req, head);
      if (req.mode) await commit(ctx, actor, jobId, req.mode, req.failDuringMerge);
    })()
      .catch(async (err: unknown) => {
        const message = err instanceof AppError ? err.code : 'INTERNAL';
        await store.updateJob(ctx.db, node.code.slice(0, 6), jobId, { status: 'failed', message, finished_at: new Date() }).catch(() => {});
        await store.clearStaging(ctx.db, node.code.slice(0, 6), jobId).catch(() => {});
      })
      .finally(async () => {
        if (req.deleteFile) await fs.promises.rm(req.filePath, { force: true });
        running.delete(jobId);
      });
    running.set(jobId, work);
    return jobId;
  } catch (err) {
    if (req.deleteFile) await fs.promises.rm(req.filePath, { force: true });
    throw err;
  }
}

/** Resolves when a job started in this process has finished its current phase(s). */
export async function waitForJob(jobId: string) {
  await running.get(jobId);
}

async function validate(
  ctx: AppContext,
  actor: Actor,
  jobId: string,
  communityCode: string,
  communityPath: string,
  req: ImportRequest,
  head: Awaited<ReturnType<typeof readHeader>>,
) {
  const district = communityCode.slice(0, 6);
  const today = todayInShanghai();
  const houses = await store.housesOfCommunity(ctx.db, communityCode);
  const importScope = actor.scope('registry.import');
  const size = (await fs.promises.stat(req.filePath)).size || 1;
  const progress: ReadProgress = { bytes: 0 };
  const problems: RowProblem[] = [];
  const seen = new Map<string, number>();
  let batch: { rowNo: number; data: StagedPerson }[] = [];
  let total = 0;
  let rejectedRows = 0;
  let lastTick = Date.now();

  const write = async (rows: typeof batch) => {
    // Someone registered in another community of the district: only that community may change them.
    const existing = await store.existingByBidx(
      ctx.db,
      district,
      rows.map((b) => b.data.idBidx),
    );
    const outside = new Set(existing.filter((e) => !pathInScope(importScope, e.path)).map((e) => e.id_bidx));
    const good = rows.filter((b) => {
      if (!outside.has(b.data.idBidx)) return true;
      problems.push({ row: b.rowNo, column: headerOf('idNumber'), reason: '该人员已在其他社区登记，请由所在社区办理迁出后再导入' });
      rejectedRows++;
      return false;
    });
    await store.stageRows(ctx.db, district, jobId, good);
  };
  // One batch is written while the next is read and checked, so the database and this process
  // work at the same time (the import spent half its time waiting for the database). A failed
  // write is kept, not left as an unhandled rejection, and thrown at the next wait.
  let inFlight: Promise<unknown> = Promise.resolve(null);
  const settle = async () => {
    const err = await inFlight;
    if (err) throw err;
  };
  const flush = async () => {
    await settle();
    const rows = batch;
    batch = [];
    inFlight = write(rows).then(
      () => null,
      (e: unknown) => e ?? new Error('staging write failed'),
    );
  };

  for await (const row of readRows(req.filePath, head.kind, progress)) {
    if (row.rowNo === 1) continue;
    if (row.cells.every((c) => c === '')) continue;
    total++;
    const raw: Record<string, string> = {};
    head.mapping.fields.forEach((f, i) => {
      if (f) raw[f] = row.cells[i] ?? '';
    });
    const prepared = prepareRow(ctx.keyring, row.rowNo, raw, houses, today);
    if (!prepared.ok) {
      rejectedRows++;
      if (problems.length < MAX_PROBLEMS) problems.push(...prepared.problems);
    } else {
      const first = seen.get(prepared.value.idBidx);
      if (first !== undefined) {
        rejectedRows++;
        problems.push({ row: row.rowNo, column: headerOf('idNumber'), reason: `身份证号在文件中重复（与第${first}行相同）` });
      } else {
        seen.set(prepared.value.idBidx, row.rowNo);
        batch.push({ rowNo: row.rowNo, data: prepared.value });
      }
    }
    if (batch.length >= BATCH) await flush();
    if (Date.now() - lastTick > 500) {
      lastTick = Date.now();
      await store.updateJob(ctx.db, district, jobId, {
        processed: total,
        progress: Math.min(99, Math.floor((progress.bytes / size) * 100)),
      });
    }
  }
  await flush();
  await settle();
  problems.sort((a, b) => a.row - b.row);
  await store.updateJob(ctx.db, district, jobId, {
    status: 'validated',
    total,
    processed: total,
    progress: 100,
    rejected: rejectedRows,
    problems: JSON.stringify(problems.slice(0, MAX_PROBLEMS)),
    columns: JSON.stringify(head.mapping.fields),
  });
}

/** Merges a validated job in one transaction with the chosen mode. */
export async function commit(ctx: AppContext, actor: Actor, jobId: string, mode: ImportMode, failDuringMerge = false) {
  const job = await store.findJob(ctx.db, jobId);
  if (!job) throw new AppError('NOT_FOUND', { id: jobId });
  const node = await community(ctx, actor, job.community_code);
  const district = job.district_code;
  if (mode === 'all' && job.rejected > 0) {
    await ctx.db.transaction().execute(async (tx) => {
      await store.clearStaging(tx, district, jobId);
      await store.updateJob(tx, district, jobId, { status: 'rejected', mode, finished_at: new Date(), message: 'rows_with_errors' });
      await appendAudit(tx, {
        actorId: actor.userId,
        actorName: actor.username,
        action: 'registry.import',
        outcome: 'failure',
        targetType: 'import_job',
        targetId: jobId,
        placeCode: job.community_code,
        ip: actor.ip,
        details: { mode, total: job.total, rejected: job.rejected },
      });
    });
    return;
  }
  const claimed = await store.updateJob(ctx.db, district, jobId, { status: 'writing', mode }, 'validated');
  if (!claimed) throw new AppError('CONFLICT', { reason: 'job_not_waiting', status: job.status });
  await ctx.db.transaction().execute(async (tx) => {
    const counts = await store.mergePersons(tx, {
      districtCode: district,
      id: jobId,
      communityCode: node.code,
      communityPath: node.path,
      actorId: actor.userId === '00000000-0000-0000-0000-000000000000' ? null : actor.userId,
      actorName: actor.username,
    });
    if (failDuringMerge) throw new Error('injected failure during merge');
    await store.mergeTagsAndLinks(tx, { districtCode: district, id: jobId, actorName: actor.username });
    await store.clearStaging(tx, district, jobId);
    await store.updateJob(tx, district, jobId, {
      status: 'done',
      imported: counts.created,
      updated: counts.updated,
      finished_at: new Date(),
    });
    await appendAudit(tx, {
      actorId: actor.userId,
      actorName: actor.username,
      action: 'registry.import',
      targetType: 'import_job',
      targetId: jobId,
      placeCode: job.community_code,
      ip: actor.ip,
      details: { mode, total: job.total, created: counts.created, updated: counts.updated, rejected: job.rejected },
    });
  });
}

/** The web wizard's "import" button, after it has shown the errors. */
export async function commitInBackground(ctx: AppContext, actor: Actor, jobId: string, mode: ImportMode) {
  const job = await getJob(ctx, actor, jobId);
  if (job.status !== 'validated') throw new AppError('CONFLICT', { reason: 'job_not_waiting', status: job.status });
  const work = commit(ctx, actor, jobId, mode)
    .catch(async () => {
      await store
        .updateJob(ctx.db, job.districtCode, jobId, { status: 'failed', message: 'INTERNAL', finished_at: new Date() })
        .catch(() => {});
    })
    .finally(() => running.delete(jobId));
  running.set(jobId, work);
  return getJob(ctx, actor, jobId);
}

export async function cancel(ctx: AppContext, actor: Actor, jobId: string) {
  const job = await getJob(ctx, actor, jobId);
  const done = await store.updateJob(ctx.db, job.districtCode, jobId, { status: 'cancelled', finished_at: new Date() }, 'validated');
  if (!done) throw new AppError('CONFLICT', { reason: 'job_not_waiting', status: job.status });
  await store.clearStaging(ctx.db, job.districtCode, jobId);
  return getJob(ctx, actor, jobId);
}

export function jobView(j: store.JobRow, problemLimit = 200) {
  const problems = (j.problems as RowProblem[]) ?? [];
  return {
    id: j.id,
    districtCode: j.district_code,
    communityCode: j.community_code,
    fileName: j.file_name,
    mode: j.mode,
    status: j.status,
    total: j.total,
    processed: j.processed,
    progress: j.progress,
    imported: j.imported,
    updated: j.updated,
    rejected: j.rejected,
    valid: Math.max(0, j.total - j.rejected),
    problemCount: problems.length,
    problems: problems.slice(0, problemLimit),
    message: j.message,
    createdBy: j.created_by_name,
    createdAt: j.created_at.toISOString(),
    finishedAt: j.finished_at ? j.finished_at.toISOString() : null,
  };
}

export async function getJob(ctx: AppContext, actor: Actor, jobId: string) {
  const job = await store.findJob(ctx.db, jobId);
  if (!job) throw new AppError('NOT_FOUND', { id: jobId });
  const node = await territoryStore.findNode(ctx.db, job.community_code, 'community', null);
  if (!node || !pathInScope(actor.scope('registry.import'), node.path)) throw new AppError('NOT_FOUND', { id: jobId });
  return jobView(job);
}

export async function jobProblems(ctx: AppContext, actor: Actor, jobId: string): Promise<RowProblem[]> {
  await getJob(ctx, actor, jobId);
  const job = await store.findJob(ctx.db, jobId);
  return (job!.problems as RowProblem[]) ?? [];
}

/** Jobs left half-way by a stopped process are marked failed at start-up; their staging goes. */
export async function recoverInterruptedImports(ctx: AppContext) {
  const stale = await ctx.db
    .selectFrom('import_job')
    .select(['district_code', 'id'])
    .where('status', 'in', ['validating', 'writing'])
    .execute();
  for (const j of stale) {
    if (running.has(j.id)) continue;
    await store.updateJob(ctx.db, j.district_code, j.id, { status: 'failed', message: 'interrupted', finished_at: new Date() });
    await store.clearStaging(ctx.db, j.district_code, j.id);
  }
  return stale.length;
}
