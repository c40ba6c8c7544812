import fs from 'node:fs';
import { Readable } from 'node:stream';
import { readXlsxRows } from './xlsx-reader.ts';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';

/**
 * Streams the rows of an .xlsx (xlsx-reader.ts) or .csv file without loading it whole. CSV may be UTF-8 (with or without BOM) or GBK/GB18030, which Excel in China writes.
 * Every cell comes out as text; rows are numbered as Excel shows them (header = row 1).
 */
export interface SheetRow {
  rowNo: number;
  cells: string[];
}

export type FileKind = 'xlsx' | 'csv';

export function detectKind(fileName: string, head: Buffer): FileKind | null {
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'xlsx';
  if (/\.xlsx$/i.test(fileName)) return null; // named .xlsx but not a zip: unreadable
  if (/\.(xls)$/i.test(fileName)) return null; // the old binary format is not supported
  return 'csv';
}

/** UTF-8 when the sample decodes strictly (an incomplete last character is allowed); else GB18030. */
export function detectEncoding(sample: Buffer): 'utf8' | 'gb18030' {
  if (sample.length >= 3 && sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf8';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return 'utf8';
  } catch {
    return 'gb18030';
  }
}

/** Bytes of the file read so far: the progress of a stream whose row count is unknown. */
export interface ReadProgress {
  bytes: number;
}

function counted(file: string, progress: ReadProgress) {
  return fs.createReadStream(file).on('data', (chunk) => {
    progress.bytes += chunk.length;
  });
}

async function* xlsxRows(file: string, progress: ReadProgress): AsyncGenerator<SheetRow> {
  const size = (await fs.promises.stat(file)).size;
  yield* readXlsxRows(file, (fraction) => {
    progress.bytes = Math.round(fraction * size);
  });
}

async function* csvRows(file: string, progress: ReadProgress): AsyncGenerator<SheetRow> {
  const fd = await fs.promises.open(file, 'r');
  const sample = Buffer.alloc(64 * 1024);
  const { bytesRead } = await fd.read(sample, 0, sample.length, 0);
  await fd.close();
  const encoding = detectEncoding(sample.subarray(0, bytesRead));
  const source = counted(file, progress).pipe(iconv.decodeStream(encoding, { stripBOM: true })) as unknown as Readable;
  const parser = source.pipe(parse({ relax_column_count: true, skip_empty_lines: false, bom: true, trim: true }));
  let rowNo = 0;
  for await (const record of parser as AsyncIterable<string[]>) {
    rowNo++;
    yield { rowNo, cells: record };
  }
}

export async function* readRows(file: string, kind: FileKind, progress: ReadProgress = { bytes: 0 }): AsyncGenerator<SheetRow> {
  yield* kind === 'xlsx' ? xlsxRows(file, progress) : csvRows(file, progress);
}

export async function fileHead(file: string): Promise<Buffer> {
  const fd = await fs.promises.open(file, 'r');
  const head = Buffer.alloc(8);
  const { bytesRead } = await fd.read(head, 0, 8, 0);
  await fd.close();
  return head.subarray(0, bytesRead);
}
