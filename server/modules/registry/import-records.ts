/**
 * One spreadsheet row of units (实有单位) or vehicles (实有车辆) → a checked record ready for
 * staging, or the row's problems (row, column, reason in Chinese). Pure apart from the keyring
 * (a unit's contact phone and a vehicle owner's ID number are sealed at once).
 */
import type { Keyring } from '../../core/crypto.ts';
import type { UnitType, VehicleType } from '../../db/types.ts';
import { headerOf, UNIT_COLUMNS, UNIT_TYPE_BY_TEXT, VEHICLE_COLUMNS, VEHICLE_TYPE_BY_TEXT } from './import-columns.ts';
import { houseOf, type RowProblem } from './import-rows.ts';
import { ID_PROBLEM_ZH, parseIdNumber } from './id-number.ts';
import { idBlindIndex, sealPhone } from './pii.ts';
import { checkCreditCode, checkPhone, checkPlate, CREDIT_PROBLEM_ZH, ID_TYPES } from './validators.ts';

export interface StagedUnit {
  name: string;
  creditCode: string | null;
  /** null: not given (a new unit is an enterprise; a known one keeps its type). Likewise below. */
  unitType: UnitType | null;
  industry: string;
  address: string;
  houseCode: string | null;
  housePath: string | null;
  contactName: string;
  phoneEnc: string | null;
  phoneBidx: string | null;
  employees: number | null;
  note: string;
}

export interface StagedVehicle {
  plate: string;
  plateKind: 'ordinary' | 'new_energy';
  vehicleType: VehicleType | null;
  brand: string;
  color: string;
  /** Blind indexes the owner's document number may be registered under, and the owner's credit code; resolved to ids per batch. */
  ownerBidx: string[];
  ownerCreditCode: string | null;
  ownerPersonId: string | null;
  ownerUnitId: string | null;
  parking: string;
}

export type Prepared<T> = { ok: true; value: T; key: string } | { ok: false; problems: RowProblem[] };

function problemsOf(rowNo: number, columns: typeof UNIT_COLUMNS) {
  const problems: RowProblem[] = [];
  const push = (field: string, reason: string) => problems.push({ row: rowNo, column: headerOf(field, columns), reason });
  return { problems, push };
}

function text(raw: Record<string, string>, key: string, max: number, label: string, push: (f: string, r: string) => void) {
  const v = (raw[key] ?? '').trim();
  if (v.length > max) push(key, `${label}过长（最多${max}字）`);
  return v.slice(0, max);
}

export function prepareUnitRow(
  keyring: Keyring,
  rowNo: number,
  raw: Record<string, string>,
  houses: Map<string, string>,
): Prepared<StagedUnit> {
  const { problems, push } = problemsOf(rowNo, UNIT_COLUMNS);
  const name = (raw.name ?? '').trim();
  if (name.length < 2) push('name', name ? '单位名称至少2个字' : '单位名称不能为空');
  else if (name.length > 100) push('name', '单位名称过长（最多100字）');

  let creditCode: string | null = null;
  const creditText = (raw.creditCode ?? '').trim();
  if (creditText) {
    const c = checkCreditCode(creditText.toUpperCase());
    if (c.ok) creditCode = c.code;
    else push('creditCode', CREDIT_PROBLEM_ZH[c.problem]);
  }
  const typeText = (raw.unitType ?? '').trim();
  const unitType = typeText ? (UNIT_TYPE_BY_TEXT[typeText] ?? null) : null;
  if (typeText && !unitType) push('unitType', '单位类型应为：企业、个体工商户、机关、事业单位、社会组织、其他');

  const houseText = (raw.houseCode ?? '').trim();
  const housePath = houseOf(houseText, houses, (reason) => push('houseCode', reason));
  let phone: string | null = null;
  const phoneText = (raw.contactPhone ?? '').trim();
  // A masked phone (139****0001) comes from an export edited and imported again: kept as it is.
  if (phoneText && !phoneText.includes('*')) {
    const p = checkPhone(phoneText);
    if (p.ok) phone = p.phone;
    else push('contactPhone', '联系电话格式不正确（手机号11位，固话需带区号）');
  }
  let employees: number | null = null;
  const empText = (raw.employees ?? '').trim();
  if (empText) {
    if (!/^\d{1,7}$/.test(empText)) push('employees', '从业人数应为不小于0的整数');
    else employees = Number(empText);
  }
  const industry = text(raw, 'industry', 50, '行业', push);
  const address = text(raw, 'address', 200, '地址', push);
  const contactName = text(raw, 'contactName', 40, '联系人', push);
  const note = text(raw, 'note', 500, '备注', push);
  if (problems.length) return { ok: false, problems };
  const sealed = phone ? sealPhone(keyring, phone) : null;
  return {
    ok: true,
    key: creditCode ?? `name:${name}`,
    value: {
      name,
      creditCode,
      unitType,
      industry,
      address,
      houseCode: housePath ? houseText : null,
      housePath,
      contactName,
      phoneEnc: sealed?.enc ?? null,
      phoneBidx: sealed?.bidx ?? null,
      employees,
      note,
    },
  };
}

/**
 * The blind indexes an owner's document number may be registered under: a resident ID number
 * (checked), else a passport or permit number under each of those types.
 */
function ownerBidx(keyring: Keyring, text: string): string[] | string {
  const s = text.replace(/\s/g, '').toUpperCase();
  if (/^\d{17}[\dX]$/.test(s)) {
    const parsed = parseIdNumber(s);
    return parsed.ok ? [idBlindIndex(keyring, 'resident', s)] : ID_PROBLEM_ZH[parsed.problem];
  }
  if (/^[A-Z0-9]{5,20}$/.test(s) && !/^\d+$/.test(s))
    return ID_TYPES.filter((t) => t !== 'resident').map((t) => idBlindIndex(keyring, t, s));
  return '车主证件号码格式不正确';
}

export function prepareVehicleRow(keyring: Keyring, rowNo: number, raw: Record<string, string>): Prepared<StagedVehicle> {
  const { problems, push } = problemsOf(rowNo, VEHICLE_COLUMNS);
  const plateText = (raw.plate ?? '').trim();
  const plate = checkPlate(plateText);
  if (!plateText) push('plate', '车牌号码不能为空');
  else if (!plate.ok) push('plate', '车牌号格式不正确（如 浙B12345，新能源 浙BD12345）');
  const typeText = (raw.vehicleType ?? '').trim();
  const vehicleType = typeText ? (VEHICLE_TYPE_BY_TEXT[typeText] ?? VEHICLE_TYPE_BY_TEXT[typeText.toUpperCase()] ?? null) : null;
  if (typeText && !vehicleType) push('vehicleType', '车辆类型应为：轿车、SUV、面包车、货车、摩托车、电动自行车、其他');

  let bidx: string[] = [];
  const ownerText = (raw.ownerIdNumber ?? '').trim();
  if (ownerText.startsWith('#NUMBER:')) push('ownerIdNumber', '证件号码被 Excel 存成了数字，末几位已丢失；请把该列设为文本格式后重新填写');
  else if (ownerText) {
    const b = ownerBidx(keyring, ownerText);
    if (typeof b === 'string') push('ownerIdNumber', b);
    else bidx = b;
  }
  let ownerCreditCode: string | null = null;
  const creditText = (raw.ownerCreditCode ?? '').trim();
  if (creditText) {
    const c = checkCreditCode(creditText.toUpperCase());
    if (c.ok) ownerCreditCode = c.code;
    else push('ownerCreditCode', CREDIT_PROBLEM_ZH[c.problem]);
  }
  if (ownerText && creditText) push('ownerCreditCode', '车主只能是个人或单位之一，请只填写一项');
  const brand = text(raw, 'brand', 40, '品牌', push);
  const color = text(raw, 'color', 20, '颜色', push);
  const parking = text(raw, 'parking', 60, '停车位', push);
  if (problems.length || !plate.ok) return { ok: false, problems };
  return {
    ok: true,
    key: plate.plate,
    value: {
      plate: plate.plate,
      plateKind: plate.kind,
      vehicleType,
      brand,
      color,
      ownerBidx: bidx,
      ownerCreditCode,
      ownerPersonId: null,
      ownerUnitId: null,
      parking,
    },
  };
}
