import fs from 'node:fs';
import type { Transaction } from 'kysely';
import type { Actor, AppContext } from '../../core/context.ts';
import type { DB } from '../../db/types.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../../core/audit.ts';
import { pathInScope } from '../../core/permissions.ts';
import * as territoryStore from '../territory/store.ts';
import type { ImportKind } from './import-columns.ts';
import { readHeader } from './import-preview.ts';
import type { RowProblem } from './import-rows.ts';
import { scanFile, withoutOutsiders, type ScanInput, type ScanResult } from './import-scan.ts';
import * as batchStore from './import-batch-store.ts';
import type { MergeJob } from './import-batch-store.ts';
import * as store from './import-store.ts';
import { openBulkConnection } from './import-copy.ts';
import { mergeRecords, scanRecords } from './import-records-service.ts';

/**
 * Importing people from a spreadsheet (R2). The web wizard works in two phases:
 *  1. validate: stream the file, check every row, seal the good ones into `import_staging`
 *     (encrypted, in batches) and record every bad row's problems; the file is then deleted;
 *  2. commit: with the user's choice — "all" (only when no row is bad) or "valid" (the good rows)
 *     — merge the staging rows into the registry in ONE transaction.
 * When the mode is given up front (the CLI) there is nothing to wait for: the file is read,
 * checked and written in one transaction (`importDirect`), each row written once.
 * A crash in either path leaves the registry exactly as it was; the job row says what happened.
 */

export type ImportMode = 'all' | 'valid';

export interface ImportRequest {
  /** What the file holds (default: people). */
  kind?: ImportKind;
  filePath: string;
  fileName: string;
  communityCode: string;
  /** Given up front (CLI): commit right after validation. Absent (web wizard): wait for the user. */
  mode?: ImportMode;
  /**
   * The field each column of the file feeds (null: left out), as the user chose in the wizard's
   * column-mapping step. Absent: headers are matched by name and alias, and must all be known.
   */
  columns?: (string | null)[];
  /** Remove the file once read (uploads); the CLI leaves the operator's file alone. */
  deleteFile?: boolean;
  /** Tests only: fail in the middle of the merge transaction. */
  failDuringMerge?: boolean;
}

const running = new Map<string, Promise<void>>();

async function community(ctx: AppContext, actor: Actor, code: string) {
  if (!/^\d{12}$/.test(code)) throw new AppError('INVALID_CODE', { communityCode: code });
  const node = await territoryStore.findNode(ctx.db, code, 'community', null);
  if (!node) throw new AppError('TERRITORY_NOT_FOUND', { communityCode: code });
  if (!pathInScope(actor.scope('registry.import'), node.path)) throw new AppError('OUT_OF_SCOPE', { communityCode: code });
  return node;
}

/** Starts an import in the background and returns its job id (the web wizard polls it). */
export async function startImport(ctx: AppContext, actor: Actor, req: ImportRequest): Promise<string> {
  try {
    const node = await community(ctx, actor, req.communityCode);
    const head = await readHeader(req);
    const jobId = await store.insertJob(ctx.db, {
      kind: req.kind ?? 'persons',
      districtCode: node.code.slice(0, 6),
      communityCode: node.code,
      fileName: req.fileName.slice(0, 200),
      mode: req.mode ?? null,
      actorId: actor.userId,
      actorName: actor.username,
    });
    const input: ScanInput = {
      jobId,
      communityCode: node.code,
      filePath: req.filePath,
      kind: head.kind,
      mapping: head.mapping,
      progressDb: ctx.db,
    };
    const kind = req.kind ?? 'persons';
    const work = (
      kind !== 'persons'
        ? validateRecords(ctx, actor, kind, input).then(() =>
            req.mode ? commit(ctx, actor, jobId, req.mode, req.failDuringMerge) : undefined,
          )
        : req.mode
          ? importDirect(ctx, actor, node, input, req.mode, req.failDuringMerge)
          : validate(ctx, actor, input)
    )
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

/** The web wizard's first phase: check every row, seal the good ones into `import_staging`, wait. */
async function validate(ctx: AppContext, actor: Actor, input: ScanInput) {
  const district = input.communityCode.slice(0, 6);
  const scope = actor.scope('registry.import');
  const result = await scanFile(ctx, input, async (rows, res) => {
    await store.stageRows(ctx.db, district, input.jobId, await withoutOutsiders(ctx.db, district, scope, rows, res));
  });
  result.problems.sort((a, b) => a.row - b.row);
  await store.updateJob(ctx.db, district, input.jobId, {
    status: 'validated',
    ...scanFigures(result),
    columns: JSON.stringify(input.mapping.fields),
  });
}

/** The first phase for units and vehicles (import-records-service.ts); the CLI commits right after it. */
async function validateRecords(ctx: AppContext, actor: Actor, kind: 'units' | 'vehicles', input: ScanInput) {
  const result = await scanRecords(ctx, actor, kind, input);
  await store.updateJob(ctx.db, input.communityCode.slice(0, 6), input.jobId, {
    status: 'validated',
    ...scanFigures(result),
    columns: JSON.stringify(input.mapping.fields),
  });
}

function scanFigures(result: ScanResult) {
  return {
    total: result.total,
    processed: result.total,
    progress: 100,
    rejected: result.rejected,
    problems: JSON.stringify(result.problems),
  };
}

class RejectedWhole extends Error {}

/**
 * Mode chosen up front (the CLI): read, check and write in ONE transaction, batch by batch, each
 * row written once (through the batch table straight into `person`). "all" stops writing at the
 * first bad row and rolls everything back; a crash anywhere rolls back too.
 */
async function importDirect(
  ctx: AppContext,
  actor: Actor,
  node: { code: string; path: string },
  input: ScanInput,
  mode: ImportMode,
  failDuringMerge = false,
) {
  const district = node.code.slice(0, 6);
  const scope = actor.scope('registry.import');
  const job: MergeJob = {
    districtCode: district,
    communityCode: node.code,
    communityPath: node.path,
    actorId: actor.userId === SYSTEM_USER ? null : actor.userId,
    actorName: actor.username,
  };
  let result: ScanResult | null = null;
  // PostgreSQL: a dedicated connection, so the batches can be sent with COPY.
  const bulk = ctx.dbKind === 'postgres' && ctx.config.databaseUrl ? await openBulkConnection(ctx.config.databaseUrl) : null;
  try {
    await (bulk?.db ?? ctx.db).transaction().execute(async (tx) => {
      await batchStore.openBatch(tx);
      // PGlite has one connection, held by this transaction: progress goes through it too.
      const other = ctx.dbKind === 'postgres' ? ctx.db : undefined;
      const scan: ScanInput = { ...input, progressDb: other ?? tx, lookupDb: other };
      const counts = { created: 0, updated: 0 };
      result = await scanFile(ctx, scan, async (rows, res, existing) => {
        const good = await withoutOutsiders(tx, district, scope, rows, res, existing);
        if (mode === 'all' && res.rejected > 0) return; // nothing of this file will be kept
        if (bulk) await batchStore.loadCopied(bulk.copy, good);
        else await batchStore.loadRows(tx, good);
        const c = await batchStore.mergeBatch(tx, job, batchStore.batchShape(good));
        await batchStore.clearBatch(tx);
        counts.created += c.created;
        counts.updated += c.updated;
        if (failDuringMerge) throw new Error('injected failure during merge');
      });
      if (mode === 'all' && result.rejected > 0) throw new RejectedWhole();
      await store.updateJob(tx, district, input.jobId, {
        status: 'done',
        mode,
        ...scanFigures(result),
        imported: counts.created,
        updated: counts.updated,
        finished_at: new Date(),
      });
      await auditImport(tx, actor, input.jobId, node.code, 'success', {
        mode,
        total: result.total,
        created: counts.created,
        updated: counts.updated,
        rejected: result.rejected,
      });
    });
  } catch (err) {
    if (!(err instanceof RejectedWhole) || !result) throw err;
    const r: ScanResult = result;
    await ctx.db.transaction().execute(async (tx) => {
      await store.updateJob(tx, district, input.jobId, {
        status: 'rejected',
        mode,
        ...scanFigures(r),
        finished_at: new Date(),
        message: 'rows_with_errors',
      });
      await auditImport(tx, actor, input.jobId, node.code, 'failure', { mode, total: r.total, rejected: r.rejected });
    });
  } finally {
    await bulk?.close();
  }
}

const SYSTEM_USER = '00000000-0000-0000-0000-000000000000';

async function auditImport(
  tx: Transaction<DB>,
  actor: Actor,
  jobId: string,
  placeCode: string,
  outcome: 'success' | 'failure',
  details: Record<string, unknown>,
) {
  await appendAudit(tx, {
    actorId: actor.userId,
    actorName: actor.username,
    action: 'registry.import',
    ...(outcome === 'failure' ? { outcome } : {}),
    targetType: 'import_job',
    targetId: jobId,
    placeCode,
    ip: actor.ip,
    details,
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
      await auditImport(tx, actor, jobId, job.community_code, 'failure', { mode, total: job.total, rejected: job.rejected });
    });
    return;
  }
  const claimed = await store.updateJob(ctx.db, district, jobId, { status: 'writing', mode }, 'validated');
  if (!claimed) throw new AppError('CONFLICT', { reason: 'job_not_waiting', status: job.status });
  await ctx.db.transaction().execute(async (tx) => {
    const merge: MergeJob = {
      districtCode: district,
      communityCode: node.code,
      communityPath: node.path,
      actorId: actor.userId === SYSTEM_USER ? null : actor.userId,
      actorName: actor.username,
    };
    let counts: { created: number; updated: number };
    if (job.kind === 'units' || job.kind === 'vehicles') {
      counts = await mergeRecords(ctx, tx, job.kind, jobId, { ...merge, scope: actor.scope('registry.import') });
    } else {
      await batchStore.openBatch(tx);
      await batchStore.loadStaged(tx, district, jobId);
      counts = await batchStore.mergeBatch(tx, merge);
    }
    if (failDuringMerge) throw new Error('injected failure during merge');
    await store.clearStaging(tx, district, jobId);
    await store.updateJob(tx, district, jobId, {
      status: 'done',
      imported: counts.created,
      updated: counts.updated,
      finished_at: new Date(),
    });
    await auditImport(tx, actor, jobId, job.community_code, 'success', {
      kind: job.kind,
      mode,
      total: job.total,
      created: counts.created,
      updated: counts.updated,
      rejected: job.rejected,
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
    kind: j.kind,
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
