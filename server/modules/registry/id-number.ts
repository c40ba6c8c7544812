/**
 * Resident identity card numbers (居民身份证号码, GB 11643-1999): 18 characters =
 * 6-digit region code (where the number was first issued) + 8-digit birth date (YYYYMMDD)
 * + 3-digit sequence (odd = male, even = female) + 1 check character (ISO 7064 MOD 11-2, 0–9 or X).
 *
 * Pure functions: the region prefix is checked against the shipped national division list
 * (province, city or district code), through a lookup that tests may replace.
 */
import { getDivision } from '../territory/divisions.ts';

/** Weights of positions 1–17: 2^(18-i) mod 11. */
export const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
/** Check character for (weighted sum mod 11). */
export const ID_CHECK_CHARS = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'] as const;

export type Gender = 'M' | 'F';

export type IdNumberProblem = 'format' | 'region' | 'birth_date' | 'future_birth' | 'checksum';

export interface ParsedIdNumber {
  /** Canonical form: upper-case X. */
  number: string;
  regionCode: string;
  /** ISO date YYYY-MM-DD. */
  birthDate: string;
  gender: Gender;
}

export type IdNumberResult = { ok: true; value: ParsedIdNumber } | { ok: false; problem: IdNumberProblem };

/** The check character for the first 17 digits. */
export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * ID_WEIGHTS[i];
  return ID_CHECK_CHARS[sum % 11];
}

/** A region prefix is real when it is a province, city or district code in the division list. */
export function isKnownRegion(code: string): boolean {
  const d = getDivision(code);
  return d !== undefined && d.code === code && (d.level === 'province' || d.level === 'city' || d.level === 'district');
}

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= days[m - 1];
}

/**
 * Validates an 18-digit resident ID number. `today` (YYYY-MM-DD) bounds the birth date;
 * births before 1900 are refused as typing errors.
 */
export function parseIdNumber(input: string, opts: { today?: string; regionKnown?: (code: string) => boolean } = {}): IdNumberResult {
  const s = input.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(s)) return { ok: false, problem: 'format' };
  const region = s.slice(0, 6);
  if (!(opts.regionKnown ?? isKnownRegion)(region)) return { ok: false, problem: 'region' };
  const y = Number(s.slice(6, 10));
  const m = Number(s.slice(10, 12));
  const d = Number(s.slice(12, 14));
  if (y < 1900 || !validDate(y, m, d)) return { ok: false, problem: 'birth_date' };
  const birthDate = `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`;
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  if (birthDate > today) return { ok: false, problem: 'future_birth' };
  if (idCheckChar(s.slice(0, 17)) !== s[17]) return { ok: false, problem: 'checksum' };
  return { ok: true, value: { number: s, regionCode: region, birthDate, gender: Number(s[16]) % 2 === 1 ? 'M' : 'F' } };
}

/** Builds a valid number (demo data and tests): region + YYYYMMDD + 3-digit sequence + check. */
export function makeIdNumber(regionCode: string, birthDate: string, sequence: number): string {
  const body = `${regionCode}${birthDate.replace(/-/g, '')}${String(sequence).padStart(3, '0')}`;
  if (!/^\d{17}$/.test(body)) throw new Error(`cannot build an ID number from ${regionCode} ${birthDate} ${sequence}`);
  return body + idCheckChar(body);
}

/** Whole years between a birth date and a day (both YYYY-MM-DD). */
export function ageOn(birthDate: string, today: string): number {
  const years = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return today.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/** `330212********1234`: region and the last four stay; the birth date and sequence are hidden. */
export function maskIdNumber(number: string): string {
  if (number.length <= 8) return '*'.repeat(number.length);
  if (number.length === 18) return `${number.slice(0, 6)}********${number.slice(14)}`;
  return `${number.slice(0, 2)}${'*'.repeat(number.length - 4)}${number.slice(-2)}`;
}

/** Chinese wording of each problem, for import reports and form errors. */
export const ID_PROBLEM_ZH: Record<IdNumberProblem, string> = {
  format: '身份证号应为18位，前17位为数字，最后一位为数字或X',
  region: '身份证号前6位不是有效的行政区划代码',
  birth_date: '身份证号中的出生日期无效',
  future_birth: '身份证号中的出生日期晚于今天',
  checksum: '身份证号校验位错误',
};
