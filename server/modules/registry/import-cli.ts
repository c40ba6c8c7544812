import fs from 'node:fs';
import path from 'node:path';
import { systemActor, type AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import * as imports from './import-service.ts';
import * as store from './import-store.ts';
import { writeProblemReport } from './spreadsheets.ts';
import type { ImportKind } from './import-columns.ts';

/**
 * `gongzhi import people|units|vehicles <file> --community <code> --mode all|valid [--json]` and
 * `gongzhi import watch <job id>`: the same import as the web wizard, run by an operator, with
 * progress on stderr and a summary (or JSON) on stdout.
 */
export interface CliImportResult {
  imported: number;
  updated: number;
  rejected: number;
  report: string | null;
  status: string;
}

function progressLine(j: store.JobRow) {
  const phase = j.status === 'validating' ? '校验' : j.status === 'writing' ? '写入' : j.status;
  return `${phase} ${j.progress}%  ${j.processed} 行`;
}

async function watch(ctx: AppContext, jobId: string, quiet: boolean) {
  let last = '';
  for (;;) {
    const j = await store.findJob(ctx.db, jobId);
    if (!j) throw new AppError('NOT_FOUND', { id: jobId });
    const line = progressLine(j);
    if (!quiet && line !== last) {
      process.stderr.write(process.stderr.isTTY ? `\r${line}   ` : `${line}\n`);
      last = line;
    }
    if (['done', 'rejected', 'failed', 'cancelled', 'validated'].includes(j.status)) {
      if (!quiet && process.stderr.isTTY) process.stderr.write('\n');
      return j;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}

export async function importFile(
  ctx: AppContext,
  file: string,
  o: { kind?: ImportKind; community: string; mode: 'all' | 'valid'; json?: boolean; reportDir?: string },
): Promise<CliImportResult> {
  if (!fs.existsSync(file)) throw new AppError('NOT_FOUND', { file });
  const actor = systemActor();
  const jobId = await imports.startImport(ctx, actor, {
    kind: o.kind,
    filePath: file,
    fileName: path.basename(file),
    communityCode: o.community,
    mode: o.mode,
  });
  const watching = watch(ctx, jobId, o.json === true);
  await imports.waitForJob(jobId);
  await watching;
  const j = (await store.findJob(ctx.db, jobId))!;
  let report: string | null = null;
  const problems = (j.problems as { row: number; column: string; reason: string }[]) ?? [];
  if (problems.length) {
    report = path.resolve(o.reportDir ?? '.', `${path.basename(file).replace(/\.[^.]+$/, '')}.错误报告.xlsx`);
    const out = fs.createWriteStream(report, { mode: 0o600 });
    const done = new Promise<void>((resolve, reject) => out.on('finish', () => resolve()).on('error', reject));
    await writeProblemReport(out, j.file_name, problems);
    await done;
  }
  return { imported: j.imported, updated: j.updated, rejected: j.rejected, report, status: j.status };
}

export async function watchImport(ctx: AppContext, jobId: string) {
  const j = await watch(ctx, jobId, false);
  return { status: j.status, imported: j.imported, updated: j.updated, rejected: j.rejected };
}
