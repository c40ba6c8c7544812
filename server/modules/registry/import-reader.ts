import fs from 'node:fs';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';

/**
 * Streams the rows of an .xlsx or .csv file without loading it whole (100,000 rows stay in a few
 * MB). CSV may be UTF-8 (with or without BOM) or GBK/GB18030, which Excel in China writes.
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

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') {
    // An 18-digit number has lost its last digits in Excel: keep it recognisable for the report.
    return Number.isInteger(v) && Math.abs(v) < Number.MAX_SAFE_INTEGER ? String(v) : `#NUMBER:${v}`;
  }
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) {
    // Excel dates carry no zone; ExcelJS reads them as UTC.
    return v.toISOString().slice(0, 10);
  }
  if (typeof v === 'object') {
    if ('richText' in v && Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
    if ('text' in v && typeof v.text === 'string') return v.text;
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if ('error' in v) return '';
  }
  return String(v);
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
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(counted(file, progress), {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  });
  for await (const sheet of reader) {
    for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
      const values = row.values as ExcelJS.CellValue[];
      const cells: string[] = [];
      for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]).trim());
      yield { rowNo: row.number, cells };
    }
    return; // the first sheet only
  }
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
