import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { KIND_COLUMNS, KIND_TITLE, type ImportKind } from './import-columns.ts';
import type { RowProblem } from './import-rows.ts';

/** Spreadsheets the registry writes, streamed: templates, error reports and exports. */

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE6F0FF' } };

function writer(stream: Writable) {
  return new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
}

const WIDE = new Set(['houseCode', 'idNumber', 'ownerIdNumber', 'creditCode', 'ownerCreditCode', 'name', 'address']);

const MATCHED_BY: Record<ImportKind, string> = {
  persons: '同一证件号码再次导入时更新原有人员信息。',
  units: '同一统一社会信用代码（未填写时为本社区同名单位）再次导入时更新原有单位信息，空白单元格不覆盖原有内容。',
  vehicles: '同一车牌号码再次导入时更新原有车辆信息，空白单元格不覆盖原有内容。',
};

/** The import template of a kind: Chinese headers, an example row, and a sheet explaining each column. */
export async function writeTemplate(stream: Writable, kind: ImportKind) {
  const columns = KIND_COLUMNS[kind];
  const wb = writer(stream);
  const ws = wb.addWorksheet(`${KIND_TITLE[kind]}信息`);
  ws.columns = columns.map((c) => ({
    header: c.header,
    key: c.key,
    width: WIDE.has(c.key) ? 28 : 14,
    // Text format keeps 18-digit ID numbers and leading zeros intact in Excel.
    style: { numFmt: '@' },
  }));
  const header = ws.getRow(1);
  header.font = { bold: true };
  header.fill = HEADER_FILL;
  header.commit();
  ws.addRow(Object.fromEntries(columns.map((c) => [c.key, c.example]))).commit();
  ws.commit();
  const notes = wb.addWorksheet('填写说明');
  notes.columns = [
    { header: '列名', key: 'h', width: 14 },
    { header: '说明', key: 'n', width: 80 },
  ];
  notes.getRow(1).font = { bold: true };
  for (const c of columns) notes.addRow({ h: c.header, n: c.note || '—' }).commit();
  notes.addRow({ h: '', n: `第1行为表头；列名不同时可在导入时逐列对应。示例行可删除。${MATCHED_BY[kind]}` }).commit();
  notes.commit();
  await wb.commit();
}

export function templateCsv(kind: ImportKind): string {
  const columns = KIND_COLUMNS[kind];
  const line = (cells: string[]) => cells.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');
  // A BOM makes Excel open UTF-8 correctly.
  return `\uFEFF${line(columns.map((c) => c.header))}\r\n${line(columns.map((c) => c.example))}\r\n`;
}

export async function writeProblemReport(stream: Writable, fileName: string, problems: RowProblem[]) {
  const wb = writer(stream);
  const ws = wb.addWorksheet('错误报告');
  ws.columns = [
    { header: '行号', key: 'row', width: 8 },
    { header: '列', key: 'column', width: 14 },
    { header: '原因', key: 'reason', width: 70 },
  ];
  const h = ws.getRow(1);
  h.font = { bold: true };
  h.fill = HEADER_FILL;
  h.commit();
  for (const p of problems) ws.addRow(p).commit();
  ws.commit();
  const info = wb.addWorksheet('说明');
  info.addRow(['文件', fileName]).commit();
  info.addRow(['错误数', problems.length]).commit();
  info.addRow(['行号与 Excel 中显示的行号一致（表头为第1行）。报告不含证件号码等个人信息。']).commit();
  info.commit();
  await wb.commit();
}

export interface ExportColumn<T> {
  header: string;
  width: number;
  value: (row: T) => string | number | null;
}

/** Writes rows as they come (an async iterable of pages), so a 100,000-row export stays small in memory. */
export async function writeExport<T>(stream: Writable, sheet: string, columns: ExportColumn<T>[], pages: AsyncIterable<T[]>) {
  const wb = writer(stream);
  const ws = wb.addWorksheet(sheet);
  ws.columns = columns.map((c, i) => ({ header: c.header, key: `c${i}`, width: c.width }));
  const h = ws.getRow(1);
  h.font = { bold: true };
  h.fill = HEADER_FILL;
  h.commit();
  for await (const page of pages) {
    for (const row of page) ws.addRow(columns.map((c) => c.value(row))).commit();
  }
  ws.commit();
  await wb.commit();
}
