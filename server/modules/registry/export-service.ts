import type { Writable } from 'node:stream';
import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../../core/audit.ts';
import { RESIDENCY_ZH } from './person-rules.ts';
import { searchPersons, type PersonView, type SearchInput } from './service.ts';
import { writeExport, type ExportColumn } from './spreadsheets.ts';
import { ID_TYPE_ZH } from './validators.ts';
import { KIND_COLUMNS, UNIT_TYPE_BY_TEXT, VEHICLE_TYPE_BY_TEXT } from './import-columns.ts';
import { listUnits, listVehicles } from './units-service.ts';

/** Export of any filtered person list to .xlsx (R2): masked, or in clear with reveal + reason. */

const MAX_ROWS = 200_000;
type Row = PersonView & { secret?: { idNumber: string; phone: string | null } };

export async function exportPersons(
  ctx: AppContext,
  actor: Actor,
  filter: SearchInput,
  reveal: { reason: string } | null,
  stream: Writable,
) {
  if (reveal) {
    if (!actor.can('registry.reveal')) throw new AppError('FORBIDDEN', { permission: 'registry.reveal' });
    if (reveal.reason.trim().length < 2)
      throw new AppError('VALIDATION_FAILED', { problems: [{ field: 'reason', reason: '请填写导出明文的原因' }] });
  }
  let count = 0;
  const permission = reveal ? 'registry.reveal' : 'registry.read';
  async function* pages(): AsyncGenerator<Row[]> {
    let cursor: string | undefined;
    do {
      const page = await searchPersons(ctx, actor, { ...filter, cursor, limit: 1000 }, { permission, secrets: reveal !== null });
      count += page.items.length;
      yield page.items as Row[];
      cursor = page.nextCursor ?? undefined;
    } while (cursor && count < MAX_ROWS);
  }
  const columns: ExportColumn<Row>[] = [
    { header: '姓名', width: 12, value: (r) => r.name },
    { header: '性别', width: 6, value: (r) => (r.gender === 'M' ? '男' : r.gender === 'F' ? '女' : '') },
    { header: '年龄', width: 6, value: (r) => r.age },
    { header: '证件类型', width: 12, value: (r) => ID_TYPE_ZH[r.idType] },
    { header: '证件号码', width: 22, value: (r) => r.secret?.idNumber ?? r.idMasked },
    { header: '联系电话', width: 14, value: (r) => r.secret?.phone ?? r.phoneMasked ?? '' },
    { header: '民族', width: 8, value: (r) => r.ethnicity },
    { header: '人口类型', width: 8, value: (r) => RESIDENCY_ZH[r.residency] },
    { header: '户籍地', width: 20, value: (r) => r.householdPlace },
    { header: '住址', width: 40, value: (r) => r.address ?? '' },
    { header: '房屋编码', width: 26, value: (r) => r.houseCode ?? '' },
    { header: '标签', width: 24, value: (r) => [...r.ageTags, ...r.tags].join('、') },
  ];
  await writeExport(stream, '人口信息', columns, pages());
  await appendAudit(ctx.db, {
    actorId: actor.userId,
    actorName: actor.username,
    action: reveal ? 'registry.person.export_clear' : 'registry.person.export',
    targetType: 'person',
    ip: actor.ip,
    details: { rows: count, filter: { ...filter, q: filter.q ? '(query)' : undefined }, ...(reveal ? { reason: reveal.reason } : {}) },
  });
  return count;
}

/** The first Chinese name of each code in a text → code table (企业 for enterprise, 轿车 for car). */
function zhOf<T extends string>(table: Record<string, T>): Record<T, string> {
  const out = {} as Record<T, string>;
  for (const [zh, code] of Object.entries(table)) out[code] ??= zh;
  return out;
}
const UNIT_TYPE_ZH = zhOf(UNIT_TYPE_BY_TEXT);
const VEHICLE_TYPE_ZH = zhOf(VEHICLE_TYPE_BY_TEXT);

/** Offset pages of a list, up to MAX_ROWS rows. */
async function* offsetPages<T>(list: (limit: number, offset: number) => Promise<T[]>, counter: { n: number }): AsyncGenerator<T[]> {
  for (;;) {
    const page = await list(500, counter.n);
    counter.n += page.length;
    yield page;
    if (page.length < 500 || counter.n >= MAX_ROWS) return;
  }
}

const header = (kind: 'units' | 'vehicles', key: string) => KIND_COLUMNS[kind].find((c) => c.key === key)!.header;

/**
 * Export of a filtered list of units or vehicles, phones masked, under the import template's
 * headers (so an export, corrected, can be imported again; a masked phone is then reported).
 */
export async function exportRecords(
  ctx: AppContext,
  actor: Actor,
  kind: 'units' | 'vehicles',
  filter: {
    q?: string;
    unitType?: Parameters<typeof listUnits>[2]['unitType'];
    plateKind?: 'ordinary' | 'new_energy';
    territoryCode?: string;
  },
  stream: Writable,
) {
  const counter = { n: 0 };
  if (kind === 'units') {
    type U = Awaited<ReturnType<typeof listUnits>>[number];
    const h = (key: string) => header('units', key);
    const columns: ExportColumn<U>[] = [
      { header: h('name'), width: 28, value: (r) => r.name },
      { header: h('creditCode'), width: 22, value: (r) => r.creditCode ?? '' },
      { header: h('unitType'), width: 12, value: (r) => UNIT_TYPE_ZH[r.unitType] },
      { header: h('industry'), width: 12, value: (r) => r.industry },
      { header: h('address'), width: 30, value: (r) => r.address },
      { header: h('houseCode'), width: 26, value: (r) => r.houseCode ?? '' },
      { header: h('contactName'), width: 10, value: (r) => r.contactName },
      { header: h('contactPhone'), width: 14, value: (r) => r.contactPhoneMasked ?? '' },
      { header: h('employees'), width: 8, value: (r) => r.employees },
      { header: h('note'), width: 20, value: (r) => r.note },
    ];
    const f = { q: filter.q, unitType: filter.unitType, territoryCode: filter.territoryCode };
    await writeExport(
      stream,
      '单位信息',
      columns,
      offsetPages((limit, offset) => listUnits(ctx, actor, { ...f, limit, offset }), counter),
    );
  } else {
    type V = Awaited<ReturnType<typeof listVehicles>>[number];
    const h = (key: string) => header('vehicles', key);
    const columns: ExportColumn<V>[] = [
      { header: h('plate'), width: 12, value: (r) => r.plate },
      { header: '号牌种类', width: 8, value: (r) => (r.plateKind === 'new_energy' ? '新能源' : '普通') },
      { header: h('vehicleType'), width: 10, value: (r) => VEHICLE_TYPE_ZH[r.vehicleType] },
      { header: h('brand'), width: 12, value: (r) => r.brand },
      { header: h('color'), width: 8, value: (r) => r.color },
      { header: '车主', width: 24, value: (r) => r.ownerName ?? '' },
      { header: h('parking'), width: 14, value: (r) => r.parking },
    ];
    const f = { q: filter.q, plateKind: filter.plateKind, territoryCode: filter.territoryCode };
    await writeExport(
      stream,
      '车辆信息',
      columns,
      offsetPages((limit, offset) => listVehicles(ctx, actor, { ...f, limit, offset }), counter),
    );
  }
  await appendAudit(ctx.db, {
    actorId: actor.userId,
    actorName: actor.username,
    action: kind === 'units' ? 'registry.unit.export' : 'registry.vehicle.export',
    targetType: kind === 'units' ? 'org_unit' : 'vehicle',
    ip: actor.ip,
    details: { rows: counter.n, filter: { ...filter, q: filter.q ? '(query)' : undefined } },
  });
  return counter.n;
}
