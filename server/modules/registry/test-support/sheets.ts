import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { makeIdNumber } from '../id-number.ts';

/** Builders of import files for tests: real .xlsx (ExcelJS) and CSV in UTF-8 or GBK. */

export const HEADERS = ['姓名', '证件号码', '联系电话', '民族', '人口类型', '房屋编码', '居住关系', '与户主关系', '入住日期', '标签'];

export function tmpFile(name: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gz-import-test-'));
  return path.join(dir, name);
}

export async function writeXlsx(file: string, rows: (string | number)[][], headers = HEADERS) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('人口信息');
  ws.addRow(headers);
  for (const r of rows) ws.addRow(r);
  await wb.xlsx.writeFile(file);
  return file;
}

export function writeCsv(file: string, rows: string[][], encoding: 'utf8' | 'gbk', headers = HEADERS) {
  const text =
    [headers, ...rows].map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n') + '\r\n';
  fs.writeFileSync(file, encoding === 'utf8' ? Buffer.from(text, 'utf8') : iconv.encode(text, 'gbk'));
  return file;
}

/** A person row for HEADERS; `n` makes the ID number and phone unique. */
export function personRow(
  n: number,
  name: string,
  houseCode = '',
  extra: Partial<Record<'relation' | 'head' | 'tags' | 'phone', string>> = {},
) {
  const birth = `19${String(50 + (n % 45)).padStart(2, '0')}-0${1 + (n % 9)}-1${n % 9}`;
  return [
    name,
    makeIdNumber('330212', birth, n % 1000),
    extra.phone ?? `139${String(10_000_000 + n).padStart(8, '0')}`,
    '汉族',
    '户籍',
    houseCode,
    houseCode ? (extra.relation ?? '家庭成员') : '',
    extra.head ?? '',
    houseCode ? '2020-05-01' : '',
    extra.tags ?? '',
  ];
}

/** A multipart/form-data body with one file field, for app.inject. */
export function multipart(file: string, fileName = path.basename(file)) {
  const boundary = `----gz${Date.now().toString(16)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${encodeURIComponent(fileName)}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    payload: Buffer.concat([head, fs.readFileSync(file), tail]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}
