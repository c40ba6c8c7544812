import ExcelJS from 'exceljs';
import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../../core/audit.ts';
import { parseTerritoryCode } from '../territory/codes.ts';
import * as territoryStore from '../territory/store.ts';
import { pathInScope } from '../../core/permissions.ts';
import * as store from './store.ts';
import { report } from './service.ts';

/**
 * Import of 12345 hotline work orders from a spreadsheet (E1). Every row is checked first; the
 * caller chooses to commit nothing when any row is bad, or exactly the good rows. The rows go in
 * one transaction, so a crash never leaves half a file. A work order already imported (same
 * 工单编号) is reported as a bad row, so importing a file twice does not duplicate.
 */

/** Column headings as the 12345 platform exports them, and their English names. */
export const IMPORT_COLUMNS = {
  number: ['工单编号', 'order number'],
  category: ['诉求类别', 'category'],
  title: ['诉求标题', 'title'],
  content: ['诉求内容', 'content'],
  place: ['地点编码', 'place code'],
  address: ['事发地址', 'address'],
  caller: ['来电人', 'caller'],
  phone: ['联系电话', 'phone'],
} as const;

type Field = keyof typeof IMPORT_COLUMNS;

export interface RowProblem {
  row: number;
  problems: string[];
}

export interface ImportResult {
  rows: number;
  imported: number;
  problems: RowProblem[];
  committed: boolean;
  numbers: string[];
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') {
    if ('text' in v && typeof v.text === 'string') return v.text.trim();
    if ('richText' in v)
      return v.richText
        .map((r) => r.text)
        .join('')
        .trim();
    if ('result' in v) return String(v.result ?? '').trim();
    if (v instanceof Date) return v.toISOString();
  }
  return String(v).trim();
}

export async function import12345(
  ctx: AppContext,
  actor: Actor,
  file: Buffer,
  mode: 'all_or_nothing' | 'good_rows',
): Promise<ImportResult> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(file as unknown as ArrayBuffer);
  } catch {
    throw new AppError('VALIDATION_FAILED', { reason: 'not_an_xlsx_file' });
  }
  const sheet = wb.worksheets[0];
  if (!sheet) throw new AppError('VALIDATION_FAILED', { reason: 'empty_workbook' });
  const header = Array.from(sheet.getRow(1).values as ExcelJS.CellValue[], cellText);
  const col: Partial<Record<Field, number>> = {};
  for (const [field, names] of Object.entries(IMPORT_COLUMNS) as [Field, readonly string[]][]) {
    const i = header.findIndex((h) => names.some((n) => h.toLowerCase() === n.toLowerCase()));
    if (i > 0) col[field] = i;
  }
  const missing = (['number', 'category', 'content', 'place'] as Field[]).filter((f) => !col[f]);
  if (missing.length)
    throw new AppError('VALIDATION_FAILED', { reason: 'missing_columns', missing: missing.map((f) => IMPORT_COLUMNS[f][0]) });

  const categories = await store.listCategories(ctx.db);
  const byName = new Map<string, string>();
  for (const c of categories) {
    byName.set(c.code, c.code);
    byName.set(c.name, c.code);
  }
  const scope = actor.scope('event.report');
  type Good = {
    row: number;
    number: string;
    category: string;
    title: string;
    content: string;
    place: string;
    address: string;
    caller: string;
    phone: string;
  };
  const good: Good[] = [];
  const problems: RowProblem[] = [];
  const seen = new Set<string>();
  let rows = 0;
  for (let r = 2; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const get = (f: Field) => (col[f] ? cellText(row.getCell(col[f]!).value) : '');
    if (Object.keys(col).every((f) => !get(f as Field))) continue; // blank line
    rows++;
    const p: string[] = [];
    const number = get('number');
    const category = byName.get(get('category'));
    const content = get('content');
    const place = get('place');
    const rawPhone = get('phone');
    const phone = rawPhone.replace(/[\s()-]/g, '');
    if (!number) p.push('工单编号为空');
    else if (seen.has(number)) p.push(`工单编号 ${number} 在文件中重复`);
    seen.add(number);
    if (!category) p.push(`诉求类别“${get('category')}”不存在`);
    else if (categories.some((c) => c.parent_code === category)) p.push(`诉求类别“${get('category')}”是大类，请填写具体小类`);
    if (content.length < 2) p.push('诉求内容为空');
    const parsed = parseTerritoryCode(place);
    const node = parsed && parsed.code.length >= 9 ? await territoryStore.findNode(ctx.db, parsed.code, parsed.level, null) : undefined;
    if (!node) p.push(`地点编码“${place}”不存在`);
    else if (!pathInScope(scope, node.path)) p.push(`地点编码 ${place} 不在您的管辖范围内`);
    if (rawPhone && !/^\+?[0-9]{5,20}$/.test(phone)) p.push(`联系电话“${rawPhone}”格式不正确`);
    if (number) {
      const prior = await ctx.db
        .selectFrom('event')
        .select('number')
        .where('source', '=', 'import')
        .where('external_ref', '=', number)
        .executeTakeFirst();
      if (prior) p.push(`工单 ${number} 已导入（${prior.number}）`);
    }
    if (p.length) problems.push({ row: r, problems: p });
    else
      good.push({
        row: r,
        number,
        category: category!,
        title: get('title') || content.slice(0, 40),
        content,
        place,
        address: get('address'),
        caller: get('caller'),
        phone,
      });
  }

  const commit = good.length > 0 && (mode === 'good_rows' || problems.length === 0);
  const numbers: string[] = [];
  if (commit) {
    await ctx.db.transaction().execute(async (tx) => {
      const inTx = { ...ctx, db: tx };
      for (const g of good) {
        try {
          const r = await report(inTx, actor, {
            categoryCode: g.category,
            title: g.title.slice(0, 100),
            description: g.content,
            placeCode: g.place,
            address: g.address,
            source: 'import',
            reporterName: g.caller || undefined,
            reporterPhone: g.phone || undefined,
            externalRef: g.number,
          });
          numbers.push(r.event.number);
        } catch (e) {
          // A row the checks passed but filing refused (a place that does not exist): the whole
          // import rolls back and the row is named, so nothing half-done remains.
          const msg = e instanceof AppError ? `${e.code}` : String(e);
          throw new AppError('VALIDATION_FAILED', { reason: 'row_refused', row: g.row, problem: msg, problems });
        }
      }
      await appendAudit(tx, {
        actorId: actor.userId,
        actorName: actor.username,
        action: 'event.import_12345',
        ip: actor.ip,
        details: { rows, imported: good.length, bad: problems.length, mode },
      });
    });
  }
  return { rows, imported: commit ? good.length : 0, problems, committed: commit, numbers };
}

/** An empty workbook with the expected headings and one example row. */
export async function importTemplate(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('12345工单');
  ws.columns = Object.values(IMPORT_COLUMNS).map(([zh]) => ({ header: zh, key: zh, width: zh === '诉求内容' ? 40 : 18 }));
  ws.addRow([
    '12345-2026-000001',
    '噪声扰民',
    '夜间施工噪声',
    '反映某工地夜间施工噪声扰民',
    '330212014027001',
    '江城路1号',
    '王先生',
    '13800000000',
  ]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
