import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import unzipper from 'unzipper';
import { SaxesParser } from 'saxes';

/**
 * A streaming reader of the first worksheet of an .xlsx file: the zip's central directory is read,
 * then the shared strings and the sheet are parsed as they inflate (saxes), so memory stays flat
 * however many rows the file holds.
 *
 * Why not ExcelJS's streaming reader: it decodes each inflated chunk to text on its own, so a
 * Chinese character split across two chunks comes out as "户���" (seen on 7 rows of 100,000),
 * and it is about twice as slow. ExcelJS still writes every spreadsheet.
 */
export interface XlsxRow {
  rowNo: number;
  cells: string[];
}

type Entry = unzipper.File;

const local = (name: string) => name.slice(name.indexOf(':') + 1);

/** A1 → 0-based column index. */
function columnIndex(ref: string): number {
  let n = 0;
  for (const ch of ref) {
    const c = ch.charCodeAt(0);
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return n - 1;
}

/** Feeds a zip entry into a sax parser with a UTF-8 decoder that keeps split characters whole. */
async function parseEntry(entry: Entry, parser: SaxesParser, onChunk: (bytes: number) => Promise<void> | void) {
  const decoder = new StringDecoder('utf8');
  const stream = entry.stream() as unknown as Readable;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    parser.write(decoder.write(chunk));
    await onChunk(chunk.length);
  }
  parser.write(decoder.end());
  parser.close();
}

async function sharedStrings(entry: Entry | undefined): Promise<string[]> {
  if (!entry) return [];
  const out: string[] = [];
  const parser = new SaxesParser();
  let inSi = false;
  let inT = false;
  let inPhonetic = false;
  let text = '';
  parser.on('opentag', (t) => {
    const n = local(t.name);
    if (n === 'si') {
      inSi = true;
      text = '';
    } else if (n === 'rPh') inPhonetic = true;
    else if (n === 't' && inSi && !inPhonetic) inT = true;
  });
  parser.on('text', (s) => {
    if (inT) text += s;
  });
  parser.on('cdata', (s) => {
    if (inT) text += s;
  });
  parser.on('closetag', (t) => {
    const n = local(t.name);
    if (n === 't') inT = false;
    else if (n === 'rPh') inPhonetic = false;
    else if (n === 'si') {
      out.push(text);
      inSi = false;
    }
  });
  await parseEntry(entry, parser, () => {});
  return out;
}

function firstSheet(files: Entry[]): Entry | undefined {
  const sheets = files
    .filter((f) => /^xl\/worksheets\/sheet\d+\.xml$/.test(f.path))
    .sort((a, b) => Number(/(\d+)\.xml$/.exec(a.path)![1]) - Number(/(\d+)\.xml$/.exec(b.path)![1]));
  return sheets[0];
}

/** Numbers as Excel stores them; a large integer that lost digits is flagged for the report. */
function numberText(v: string): string {
  if (!/[eE.]/.test(v)) return v;
  const n = Number(v);
  if (!Number.isFinite(n)) return v;
  if (Math.abs(n) >= 1e15) return `#NUMBER:${v}`;
  return Number.isInteger(n) ? String(n) : String(n);
}

export async function* readXlsxRows(file: string, onProgress: (fraction: number) => void = () => {}): AsyncGenerator<XlsxRow> {
  const dir = await unzipper.Open.file(file);
  const strings = await sharedStrings(dir.files.find((f) => f.path === 'xl/sharedStrings.xml'));
  const sheet = firstSheet(dir.files);
  if (!sheet) throw new Error('no worksheet');
  const total = sheet.compressedSize || 1;

  const parser = new SaxesParser();
  let ready: XlsxRow[] = [];
  let row: string[] = [];
  let rowNo = 0;
  let col = 0;
  let type = '';
  let inValue = false;
  let value = '';
  parser.on('opentag', (t) => {
    const n = local(t.name);
    if (n === 'row') {
      const r = Number(t.attributes.r);
      rowNo = Number.isFinite(r) && r > 0 ? r : rowNo + 1;
      row = [];
      col = 0;
    } else if (n === 'c') {
      const ref = t.attributes.r as string | undefined;
      col = ref ? columnIndex(ref) : row.length;
      type = (t.attributes.t as string | undefined) ?? 'n';
      value = '';
    } else if (n === 'v' || (n === 't' && type === 'inlineStr')) {
      inValue = true;
    }
  });
  parser.on('text', (s) => {
    if (inValue) value += s;
  });
  parser.on('closetag', (t) => {
    const n = local(t.name);
    if (n === 'v' || n === 't') inValue = false;
    else if (n === 'c') {
      let text: string;
      if (type === 's') text = strings[Number(value)] ?? '';
      else if (type === 'b') text = value === '1' ? 'TRUE' : 'FALSE';
      else if (type === 'e') text = '';
      else if (type === 'n') text = value === '' ? '' : numberText(value);
      else text = value; // str, inlineStr
      while (row.length < col) row.push('');
      row[col] = text.trim();
    } else if (n === 'row') {
      ready.push({ rowNo, cells: row });
    }
  });
  let consumed = 0;
  // Yield between chunks: the sax events of one chunk are collected, then handed out.
  const stream = sheet.stream() as unknown as Readable;
  const decoder = new StringDecoder('utf8');
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    parser.write(decoder.write(chunk));
    consumed += chunk.length;
    onProgress(Math.min(1, consumed / (sheet.uncompressedSize || total)));
    if (ready.length) {
      const out = ready;
      ready = [];
      yield* out;
    }
  }
  parser.write(decoder.end());
  parser.close();
  yield* ready;
}
