/**
 * Rules for a person record, pure: checking the fields a clerk types or a spreadsheet row holds,
 * deriving age tags, and the tag vocabulary. Used by the form API and by the importer alike, so a
 * row is refused for the same reason in both (原因 in Chinese, per column).
 */
import type { IdType, Residency, HouseRelation } from '../../db/types.ts';
import { ageOn, ID_PROBLEM_ZH, parseIdNumber, type Gender } from './id-number.ts';
import { checkOtherDocument, checkPhone, ID_TYPE_ZH } from './validators.ts';

/** Tags set by people (with who and when); age tags are derived and never stored. */
export const PERSON_TAGS = [
  '独居',
  '空巢',
  '失独',
  '残疾',
  '低保',
  '特困',
  '退役军人',
  '党员',
  '志愿者',
  '重点关注',
  '孕产妇',
  '留守儿童',
] as const;
export type PersonTag = (typeof PERSON_TAGS)[number];
export const DISABILITY_LEVELS = ['一级', '二级', '三级', '四级'] as const;

export const AGE_TAGS = ['未成年', '60岁以上', '80岁以上'] as const;
export type AgeTag = (typeof AGE_TAGS)[number];

export function ageTags(birthDate: string | null, today: string): AgeTag[] {
  if (!birthDate) return [];
  const age = ageOn(birthDate, today);
  if (age < 18) return ['未成年'];
  if (age >= 80) return ['60岁以上', '80岁以上'];
  if (age >= 60) return ['60岁以上'];
  return [];
}

export const RESIDENCY_ZH: Record<Residency, string> = { registered: '户籍', migrant: '流动', foreign: '境外' };
export const RELATION_ZH: Record<HouseRelation, string> = { owner: '业主', tenant: '租户', family: '家庭成员', other: '其他' };
export const HEAD_RELATIONS = [
  '户主',
  '配偶',
  '子女',
  '父母',
  '祖父母',
  '孙子女',
  '兄弟姐妹',
  '儿媳',
  '女婿',
  '其他亲属',
  '非亲属',
] as const;

export interface PersonFields {
  name: string;
  idType: IdType;
  idNumber: string;
  gender: Gender | null;
  birthDate: string | null;
  phone: string | null;
  ethnicity: string;
  householdPlace: string;
  residency: Residency;
  tags: { tag: PersonTag; level: string | null }[];
}

/** What a person form or spreadsheet row says, as text. */
export interface PersonRaw {
  name?: string;
  idType?: string;
  idNumber?: string;
  phone?: string;
  ethnicity?: string;
  householdPlace?: string;
  residency?: string;
  tags?: string | string[];
  gender?: string;
  birthDate?: string;
}

export interface FieldProblem {
  field: keyof PersonRaw | 'houseCode' | 'relation' | 'moveIn' | 'headRelation';
  reason: string;
}

const ID_TYPE_BY_TEXT: Record<string, IdType> = {
  resident: 'resident',
  身份证: 'resident',
  居民身份证: 'resident',
  passport: 'passport',
  护照: 'passport',
  hk_macao: 'hk_macao',
  港澳通行证: 'hk_macao',
  回乡证: 'hk_macao',
  港澳居民来往内地通行证: 'hk_macao',
  taiwan: 'taiwan',
  台胞证: 'taiwan',
  台湾居民来往大陆通行证: 'taiwan',
};
const RESIDENCY_BY_TEXT: Record<string, Residency> = {
  registered: 'registered',
  户籍: 'registered',
  户籍人口: 'registered',
  migrant: 'migrant',
  流动: 'migrant',
  流动人口: 'migrant',
  foreign: 'foreign',
  境外: 'foreign',
  境外人员: 'foreign',
};

/** Splits 独居,残疾:二级；低保 into tags; unknown tags are a problem, not silently dropped. */
export function parseTags(input: string | string[] | undefined): { tags: PersonFields['tags']; unknown: string[] } {
  const parts = (Array.isArray(input) ? input : (input ?? '').split(/[,，;；、\s]+/)).map((s) => s.trim()).filter(Boolean);
  const tags: PersonFields['tags'] = [];
  const unknown: string[] = [];
  for (const part of parts) {
    const [name, level] = part.split(/[:：]/).map((s) => s.trim());
    if (!(PERSON_TAGS as readonly string[]).includes(name)) {
      // Age tags are derived from the birth date; typing them is harmless and ignored.
      if (!(AGE_TAGS as readonly string[]).includes(name)) unknown.push(part);
      continue;
    }
    if (level && name === '残疾' && !(DISABILITY_LEVELS as readonly string[]).includes(level)) {
      unknown.push(part);
      continue;
    }
    if (!tags.some((t) => t.tag === name)) tags.push({ tag: name as PersonTag, level: level || null });
  }
  return { tags, unknown };
}

/** Checks every field and reports all problems at once (the import lists each bad cell). */
export function checkPerson(raw: PersonRaw, today: string): { ok: true; value: PersonFields } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const name = (raw.name ?? '').trim().replace(/\s+/g, ' ');
  if (!name) problems.push({ field: 'name', reason: '姓名不能为空' });
  else if (name.length > 40) problems.push({ field: 'name', reason: '姓名过长（最多40个字）' });
  else if (/[0-9<>{}]/.test(name)) problems.push({ field: 'name', reason: '姓名含有无效字符' });

  const typeText = (raw.idType ?? '').trim();
  const idType: IdType | undefined = typeText === '' ? 'resident' : ID_TYPE_BY_TEXT[typeText];
  if (!idType) problems.push({ field: 'idType', reason: `证件类型“${typeText}”无效，应为：${Object.values(ID_TYPE_ZH).join('、')}` });

  let idNumber = '';
  let gender: Gender | null = null;
  let birthDate: string | null = null;
  const idText = (raw.idNumber ?? '').trim();
  if (!idText) problems.push({ field: 'idNumber', reason: '证件号码不能为空' });
  else if (idType === 'resident') {
    const parsed = parseIdNumber(idText, { today });
    if (parsed.ok) {
      idNumber = parsed.value.number;
      gender = parsed.value.gender;
      birthDate = parsed.value.birthDate;
    } else problems.push({ field: 'idNumber', reason: ID_PROBLEM_ZH[parsed.problem] });
  } else if (idType) {
    const doc = checkOtherDocument(idType, idText);
    if (doc.ok) idNumber = doc.number;
    else problems.push({ field: 'idNumber', reason: `${ID_TYPE_ZH[idType]}号码格式不正确` });
    // Documents other than the resident ID do not encode these; the clerk types them.
    if (raw.gender) {
      const g = raw.gender.trim();
      gender = g === '男' || g === 'M' ? 'M' : g === '女' || g === 'F' ? 'F' : null;
      if (!gender) problems.push({ field: 'gender', reason: '性别应为“男”或“女”' });
    }
    if (raw.birthDate) {
      const d = raw.birthDate
        .trim()
        .replace(/[./年月]/g, '-')
        .replace(/日$/, '');
      const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(d);
      const iso = m ? `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}` : '';
      if (!m || Number.isNaN(Date.parse(iso)) || iso > today) problems.push({ field: 'birthDate', reason: '出生日期无效' });
      else birthDate = iso;
    }
  }

  let phone: string | null = null;
  if (raw.phone && raw.phone.trim()) {
    const p = checkPhone(raw.phone);
    if (p.ok) phone = p.phone;
    else problems.push({ field: 'phone', reason: '联系电话格式不正确（手机号11位，固话需带区号）' });
  }

  const resText = (raw.residency ?? '').trim();
  let residency: Residency | undefined = resText === '' ? undefined : RESIDENCY_BY_TEXT[resText];
  if (resText && !residency) problems.push({ field: 'residency', reason: '人口类型应为：户籍、流动、境外' });
  residency ??= idType && idType !== 'resident' ? 'foreign' : 'registered';

  const { tags, unknown } = parseTags(raw.tags);
  if (unknown.length) problems.push({ field: 'tags', reason: `无法识别的标签：${unknown.join('、')}` });

  const ethnicity = (raw.ethnicity ?? '').trim();
  if (ethnicity.length > 20) problems.push({ field: 'ethnicity', reason: '民族过长' });
  const householdPlace = (raw.householdPlace ?? '').trim();
  if (householdPlace.length > 100) problems.push({ field: 'householdPlace', reason: '户籍地过长（最多100字）' });

  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    value: { name, idType: idType!, idNumber, gender, birthDate, phone, ethnicity, householdPlace, residency, tags },
  };
}

/** Age bounds → birth-date bounds for search: age ≥ min ⇔ born on or before today − min years. */
export function birthBounds(today: string, minAge?: number, maxAge?: number): { bornOnOrBefore?: string; bornAfter?: string } {
  const shift = (years: number) => {
    const y = Number(today.slice(0, 4)) - years;
    const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    // 29 February of a common year does not exist; the day before keeps the bound right.
    const md = today.slice(5) === '02-29' && !leap ? '02-28' : today.slice(5);
    return `${String(y).padStart(4, '0')}-${md}`;
  };
  return {
    ...(minAge !== undefined ? { bornOnOrBefore: shift(minAge) } : {}),
    ...(maxAge !== undefined ? { bornAfter: shift(maxAge + 1) } : {}),
  };
}

export function todayInShanghai(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
