/**
 * Validators for the other identifiers the registry holds: unified social credit codes
 * (统一社会信用代码, GB 32100-2015), vehicle plates (GA 36 incl. new-energy plates), phone numbers,
 * and non-resident identity documents. Pure functions, tested exhaustively and with fast-check.
 */

// ---------------------------------------------------------------- credit code (GB 32100)

/** The 31 characters of GB 32100 (no I, O, S, V, Z), in value order. */
export const CREDIT_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** Weights of positions 1–17: 3^(i-1) mod 31. */
export const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

export type CreditCodeProblem = 'format' | 'checksum';

/** The check character of the first 17 characters, or null when one is outside the charset. */
export function creditCheckChar(first17: string): string | null {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CREDIT_CHARS.indexOf(first17[i]);
    if (v < 0) return null;
    sum += v * CREDIT_WEIGHTS[i];
  }
  return CREDIT_CHARS[(31 - (sum % 31)) % 31];
}

export function checkCreditCode(input: string): { ok: true; code: string } | { ok: false; problem: CreditCodeProblem } {
  const s = input.trim().toUpperCase();
  // registration authority (1 char) + type (1) + 6-digit region + 9-char organisation code + check.
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(s)) return { ok: false, problem: 'format' };
  if (creditCheckChar(s.slice(0, 17)) !== s[17]) return { ok: false, problem: 'checksum' };
  return { ok: true, code: s };
}

/** Completes 17 characters with their check character (demo data, tests). */
export function makeCreditCode(first17: string): string {
  const c = creditCheckChar(first17);
  if (c === null || first17.length !== 17) throw new Error(`not a credit code body: ${first17}`);
  return first17 + c;
}

export const CREDIT_PROBLEM_ZH: Record<CreditCodeProblem, string> = {
  format: '统一社会信用代码应为18位数字或大写字母（不含I、O、S、V、Z）',
  checksum: '统一社会信用代码校验位错误',
};

// ---------------------------------------------------------------- vehicle plates (GA 36)

/** The one-character province abbreviations on plates. */
export const PLATE_PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';
const P = `[${PLATE_PROVINCES}]`;
/** Issuing-office letter and serial letters: A–Z without I and O. */
const L = '[A-HJ-NP-Z]';
const LD = '[A-HJ-NP-Z0-9]';

export type PlateKind = 'ordinary' | 'new_energy';

const ORDINARY = new RegExp(`^${P}${L}${LD}{4}[A-HJ-NP-Z0-9挂学]$`);
/** Small new-energy: D/A/B/C/E pure electric, F/G/H/J/K other, then a letter or digit, then 4 digits. */
const NEW_ENERGY_SMALL = new RegExp(`^${P}${L}[A-HJK]${LD}\\d{4}$`);
/** Large new-energy: 5 digits then D (pure electric) or F. */
const NEW_ENERGY_LARGE = new RegExp(`^${P}${L}\\d{5}[DF]$`);

export function checkPlate(input: string): { ok: true; plate: string; kind: PlateKind } | { ok: false } {
  const s = input.replace(/[\s·•.-]/g, '').toUpperCase();
  if (s.length === 8 && (NEW_ENERGY_SMALL.test(s) || NEW_ENERGY_LARGE.test(s))) return { ok: true, plate: s, kind: 'new_energy' };
  if (s.length === 7 && ORDINARY.test(s)) return { ok: true, plate: s, kind: 'ordinary' };
  return { ok: false };
}

// ---------------------------------------------------------------- phones

export type PhoneKind = 'mobile' | 'landline';

/** Mainland mobile (11 digits from 13–19) or a landline with its area code; +86 and separators are dropped. */
export function checkPhone(input: string): { ok: true; phone: string; kind: PhoneKind } | { ok: false } {
  let s = input.replace(/[\s()-]/g, '');
  if (s.startsWith('+86')) s = s.slice(3);
  else if (s.startsWith('0086')) s = s.slice(4);
  if (/^1[3-9]\d{9}$/.test(s)) return { ok: true, phone: s, kind: 'mobile' };
  if (/^0[1-9]\d{1,2}\d{7,8}$/.test(s) && s.length >= 10 && s.length <= 12) return { ok: true, phone: s, kind: 'landline' };
  return { ok: false };
}

/** `138****5678`; a landline keeps its area code and last 2. */
export function maskPhone(phone: string): string {
  if (phone.length === 11 && phone.startsWith('1')) return `${phone.slice(0, 3)}****${phone.slice(7)}`;
  if (phone.length <= 4) return '*'.repeat(phone.length);
  return `${phone.slice(0, 4)}${'*'.repeat(phone.length - 6)}${phone.slice(-2)}`;
}

// ---------------------------------------------------------------- other identity documents

export const ID_TYPES = ['resident', 'passport', 'hk_macao', 'taiwan'] as const;
export type IdType = (typeof ID_TYPES)[number];

export const ID_TYPE_ZH: Record<IdType, string> = {
  resident: '居民身份证',
  passport: '护照',
  hk_macao: '港澳居民来往内地通行证',
  taiwan: '台湾居民来往大陆通行证',
};

/**
 * Passports: 5–17 letters/digits (Chinese ones are E/G + 8 characters; foreign formats vary).
 * 回乡证: H or M + 8 digits (+ 2-digit issue count). 台胞证: 8 digits (+ 2-digit issue count).
 */
export function checkOtherDocument(type: Exclude<IdType, 'resident'>, input: string): { ok: true; number: string } | { ok: false } {
  const s = input.replace(/\s/g, '').toUpperCase();
  const re = type === 'passport' ? /^[A-Z0-9]{5,17}$/ : type === 'hk_macao' ? /^[HM]\d{8}(\d{2})?$/ : /^\d{8}(\d{2})?$/;
  return re.test(s) ? { ok: true, number: s } : { ok: false };
}
