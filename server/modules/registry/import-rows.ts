/**
 * One spreadsheet row → a checked, sealed person ready for staging, or the row's problems
 * (row, column, reason in Chinese). Pure apart from the keyring.
 */
import type { Keyring } from '../../core/crypto.ts';
import type { HouseRelation } from '../../db/types.ts';
import { headerOf, RELATION_BY_TEXT } from './import-columns.ts';
import { namePinyin } from './names.ts';
import { checkPerson, type PersonRaw } from './person-rules.ts';
import { sealIdNumber, sealPhone } from './pii.ts';

export interface RowProblem {
  row: number;
  column: string;
  reason: string;
}

export interface StagedPerson {
  name: string;
  py: string;
  ini: string;
  idType: string;
  idEnc: string;
  idBidx: string;
  gender: string | null;
  birth: string | null;
  phoneEnc: string | null;
  phoneBidx: string | null;
  ethnicity: string;
  householdPlace: string;
  residency: string;
  tags: string[];
  tagItems: { tag: string; level: string | null }[];
  houseCode: string | null;
  housePath: string | null;
  relation: HouseRelation;
  headRelation: string;
  moveIn: string | null;
  note: string;
}

function isoDate(text: string, today: string): string | null | 'bad' {
  const t = text.trim();
  if (!t) return null;
  // A date cell read from .xlsx without its format is Excel's serial day number.
  if (/^\d{5}(\.\d+)?$/.test(t)) {
    const iso = new Date(Date.UTC(1899, 11, 30) + Math.floor(Number(t)) * 86_400_000).toISOString().slice(0, 10);
    return iso > today || iso < '1900-01-01' ? 'bad' : iso;
  }
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(t) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (!m) return 'bad';
  const iso = `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
  const d = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso || iso > today || iso < '1900-01-01') return 'bad';
  return iso;
}

/** The path of a 24-digit house code of the community, or null (with the reason pushed when the text is not one). */
export function houseOf(text: string, houses: Map<string, string>, problem: (reason: string) => void): string | null {
  if (!text) return null;
  if (!/^\d{24}$/.test(text)) {
    problem('房屋编码应为24位数字');
    return null;
  }
  const path = houses.get(text) ?? null;
  if (!path) problem('房屋编码不存在或不属于本社区');
  return path;
}

export function prepareRow(
  keyring: Keyring,
  rowNo: number,
  raw: Record<string, string>,
  houses: Map<string, string>,
  today: string,
): { ok: true; value: StagedPerson } | { ok: false; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const push = (field: string, reason: string) => problems.push({ row: rowNo, column: headerOf(field), reason });
  if (raw.idNumber?.startsWith('#NUMBER:')) {
    push('idNumber', '证件号码被 Excel 存成了数字，末几位已丢失；请把该列设为文本格式后重新填写');
    raw = { ...raw, idNumber: '' };
  }
  const checked = checkPerson(raw as PersonRaw, today);
  if (!checked.ok) for (const p of checked.problems) if (!(p.field === 'idNumber' && problems.length)) push(p.field, p.reason);

  const houseText = (raw.houseCode ?? '').trim();
  const housePath = houseOf(houseText, houses, (reason) => push('houseCode', reason));
  const relText = (raw.relation ?? '').trim();
  const relation = relText ? RELATION_BY_TEXT[relText] : 'family';
  if (!relation) push('relation', '居住关系应为：业主、租户、家庭成员、其他');
  if (relText && !houseText) push('houseCode', '填写了居住关系，但没有房屋编码');
  const moveIn = isoDate(raw.moveIn ?? '', today);
  if (moveIn === 'bad') push('moveIn', '入住日期无效，应为 2015-06-01 这样的日期，且不晚于今天');
  const headRelation = (raw.headRelation ?? '').trim();
  if (headRelation.length > 10) push('headRelation', '与户主关系过长');
  const note = (raw.note ?? '').trim();
  if (note.length > 500) push('note', '备注过长（最多500字）');

  if (problems.length || !checked.ok) return { ok: false, problems };
  const v = checked.value;
  const id = sealIdNumber(keyring, v.idType, v.idNumber);
  const phone = v.phone ? sealPhone(keyring, v.phone) : null;
  const py = namePinyin(v.name);
  return {
    ok: true,
    value: {
      name: v.name,
      py: py.full,
      ini: py.initials,
      idType: v.idType,
      idEnc: id.enc,
      idBidx: id.bidx,
      gender: v.gender,
      birth: v.birthDate,
      phoneEnc: phone?.enc ?? null,
      phoneBidx: phone?.bidx ?? null,
      ethnicity: v.ethnicity,
      householdPlace: v.householdPlace,
      residency: v.residency,
      tags: v.tags.map((t) => t.tag),
      tagItems: v.tags,
      houseCode: houseText && housePath ? houseText : null,
      housePath,
      relation: relation ?? 'family',
      headRelation,
      moveIn: moveIn === 'bad' ? null : moveIn,
      note,
    },
  };
}
