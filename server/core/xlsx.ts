import ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';

/** An .xlsx of any list (W1: "an .xlsx export of any list"): a header row, frozen, with widths. */
export interface Column<T> {
  header: string;
  width?: number;
  value: (row: T) => string | number | null | undefined;
}

export async function toXlsx<T>(sheetName: string, columns: Column<T>[], rows: readonly T[], title?: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Gongzhi 共治';
  const ws = wb.addWorksheet(sheetName.slice(0, 31));
  let first = 1;
  if (title) {
    ws.addRow([title]).font = { bold: true, size: 13 };
    ws.mergeCells(1, 1, 1, Math.max(1, columns.length));
    first = 2;
  }
  const header = ws.addRow(columns.map((c) => c.header));
  header.font = { bold: true };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
  for (const r of rows) ws.addRow(columns.map((c) => c.value(r) ?? ''));
  columns.forEach((c, i) => (ws.getColumn(i + 1).width = c.width ?? Math.max(10, c.header.length * 2 + 2)));
  ws.views = [{ state: 'frozen', ySplit: first }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export const fenToYuan = (fen: number | null | undefined) => (fen === null || fen === undefined ? '' : Number((fen / 100).toFixed(2)));

/** RFC 5987 filename for Chinese names in Content-Disposition. */
export function attachment(name: string): string {
  return `attachment; filename*=UTF-8''${encodeURIComponent(name)}; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"`;
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Answers a workbook as a download named `fileName`. */
export function sendXlsx(reply: FastifyReply, fileName: string, workbook: Buffer) {
  return reply.header('content-type', XLSX_TYPE).header('content-disposition', attachment(fileName)).send(workbook);
}

/** A built workbook and the file name it is downloaded under. */
export interface XlsxFile {
  name: string;
  buffer: Buffer;
}

/** Answers a built workbook as a download. */
export function sendXlsxFile(reply: FastifyReply, file: XlsxFile) {
  return sendXlsx(reply, file.name, file.buffer);
}
