import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { checkMapping, KIND_COLUMNS, mapHeaders, suggestMapping, type ImportKind } from './import-columns.ts';
import { detectKind, fileHead, readRows } from './import-reader.ts';

/**
 * The first rows of an import file: the header checked (or the user's mapping of it) before any
 * job starts, and the wizard's column-mapping preview. Nothing here stores what it reads.
 */

interface FileRef {
  filePath: string;
  fileName: string;
  kind?: ImportKind;
}

async function firstRows(req: FileRef, count: number) {
  const kind = detectKind(req.fileName, await fileHead(req.filePath));
  if (!kind) throw new AppError('IMPORT_UNREADABLE', { fileName: req.fileName });
  const rows: string[][] = [];
  try {
    for await (const row of readRows(req.filePath, kind)) {
      if (rows.length && row.cells.every((c) => c === '')) continue;
      rows.push(row.cells);
      if (rows.length >= count) break;
    }
  } catch {
    throw new AppError('IMPORT_UNREADABLE', { fileName: req.fileName });
  }
  if (!rows.length || rows[0].every((c) => c.trim() === ''))
    throw new AppError('IMPORT_UNREADABLE', { fileName: req.fileName, reason: 'empty' });
  return { kind, header: rows[0], samples: rows.slice(1) };
}

/** Checks the header row (or the user's mapping of it) at once, so a wrong file is refused before any job starts. */
export async function readHeader(req: FileRef & { columns?: (string | null)[] }) {
  const columns = KIND_COLUMNS[req.kind ?? 'persons'];
  const { kind, header } = await firstRows(req, 1);
  const mapping = req.columns ? checkMapping(header, req.columns, columns) : { ...mapHeaders(header, columns), invalid: [] };
  if (mapping.missing.length || mapping.unknown.length || mapping.duplicate.length || mapping.invalid.length) {
    throw new AppError('IMPORT_BAD_HEADERS', {
      missing: mapping.missing,
      unknown: mapping.unknown,
      duplicate: mapping.duplicate,
      ...(mapping.invalid.length ? { invalid: mapping.invalid } : {}),
      expected: columns.map((c) => c.header),
    });
  }
  return { kind, mapping };
}

/** Keeps a sample cell's shape but not a number that could be an ID document or a phone. */
export function maskSample(cell: string): string {
  const c = cell.length > 40 ? `${cell.slice(0, 40)}…` : cell;
  if ((c.match(/\d/g) ?? []).length < 6) return c;
  return c.length <= 6 ? '*'.repeat(c.length) : `${c.slice(0, 3)}${'*'.repeat(c.length - 5)}${c.slice(-2)}`;
}

/**
 * The wizard's column-mapping step: the file's headers, the field each one would feed (matched
 * by name or alias, else by a name it contains), the fields of this kind, and a few sample rows
 * with every long number masked. Nothing is stored; the file is read up to its fifth row.
 */
export async function previewFile(ctx: AppContext, actor: Actor, req: FileRef) {
  if (!actor.can('registry.import')) throw new AppError('FORBIDDEN', { permission: 'registry.import' });
  const columns = KIND_COLUMNS[req.kind ?? 'persons'];
  const { header, samples } = await firstRows(req, 6);
  const suggested = suggestMapping(header, columns);
  const exact = mapHeaders(header, columns);
  return {
    kind: req.kind ?? 'persons',
    headers: header.map((h) => h.trim()),
    suggested,
    matchedByName: !exact.missing.length && !exact.unknown.length && !exact.duplicate.length,
    fields: columns.map((c) => ({ key: c.key, header: c.header, required: c.required, note: c.note })),
    samples: samples.map((r) => header.map((_h, i) => maskSample((r[i] ?? '').trim()))),
  };
}
