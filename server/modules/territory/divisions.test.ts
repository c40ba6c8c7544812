import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DIVISION_LEVELS,
  SEED_DISTRICT_CODES,
  divisionLevelOf,
  getDivision,
  loadDivisions,
  normalizeDivisionCode,
  parentCodeOf,
  parseDivisionsTsv,
  type Division,
} from './divisions.ts';

const all = loadDivisions();
const byCode = new Map<string, Division>(all.map((d) => [d.code, d]));
const ofLevel = (level: Division['level']): Division[] => all.filter((d) => d.level === level);

describe('division extract', () => {
  it('is shipped small and loads once', () => {
    const size = statSync(new URL('./data/divisions.tsv.gz', import.meta.url)).size;
    expect(size).toBeLessThan(1024 * 1024);
    expect(loadDivisions()).toBe(all);
  });

  it('holds the whole country down to streets', () => {
    const provinces = ofLevel('province');
    expect(provinces.length).toBeGreaterThanOrEqual(31);
    expect(provinces.length).toBeLessThanOrEqual(35);
    expect(ofLevel('city').length).toBeGreaterThan(330);
    expect(ofLevel('district').length).toBeGreaterThan(2800);
    expect(ofLevel('street').length).toBeGreaterThan(38000);
    for (const [code, name] of [
      ['110000', '北京市'],
      ['330000', '浙江省'],
      ['650000', '新疆维吾尔自治区'],
      ['710000', '台湾省'],
      ['810000', '香港特别行政区'],
      ['820000', '澳门特别行政区'],
    ]) {
      expect(byCode.get(code)).toEqual({
        code,
        name,
        level: 'province',
        parentCode: null,
      });
    }
  });

  it('has the seed territory with real codes and names', () => {
    expect(byCode.get('330200')).toMatchObject({
      name: '宁波市',
      level: 'city',
      parentCode: '330000',
    });
    expect(byCode.get('330212')).toEqual({
      code: '330212',
      name: '鄞州区',
      level: 'district',
      parentCode: '330200',
    });
    expect(byCode.get('330212014')).toEqual({
      code: '330212014',
      name: '福明街道',
      level: 'street',
      parentCode: '330212',
    });
    expect(byCode.get('330212014027')).toEqual({
      code: '330212014027',
      name: '江城社区',
      level: 'community',
      parentCode: '330212014',
    });
    expect(byCode.get('530102001')?.name).toBe('华山街道');
    expect(byCode.get('320412100')?.name).toBe('湖塘镇');
  });

  it('has unique codes', () => {
    expect(byCode.size).toBe(all.length);
  });

  it('gives every non-province a parent one level or more above it, consistent with the code', () => {
    const rank = (l: Division['level']): number => DIVISION_LEVELS.indexOf(l);
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const d of all) {
      if (divisionLevelOf(d.code) !== d.level) problems.push(`${d.code}: level ${d.level}`);
      if (d.level === 'province') {
        if (d.parentCode !== null) problems.push(`${d.code}: province with a parent`);
      } else {
        const parent = d.parentCode ? byCode.get(d.parentCode) : undefined;
        if (!parent) problems.push(`${d.code} ${d.name}: parent ${d.parentCode} missing`);
        else if (rank(parent.level) >= rank(d.level)) problems.push(`${d.code}: parent not above`);
        else if (!seen.has(parent.code)) problems.push(`${d.code}: listed before its parent`);
        if (d.parentCode !== parentCodeOf(d.code)) problems.push(`${d.code}: parent differs from code`);
      }
      seen.add(d.code);
    }
    expect(problems).toEqual([]);
  });

  it('has communities for the seed districts only, and for each of them', () => {
    const seed = new Set<string>(SEED_DISTRICT_CODES);
    const communities = ofLevel('community');
    expect(communities.length).toBeGreaterThan(1000);
    const outside = communities.filter((c) => !/^\d{12}$/.test(c.code) || !seed.has(c.code.slice(0, 6)));
    expect(outside).toEqual([]);
    for (const d of SEED_DISTRICT_CODES) {
      expect(
        communities.some((c) => c.code.startsWith(d)),
        d,
      ).toBe(true);
    }
  });

  it('has readable names: no committee suffixes, no tabs, no empty names', () => {
    const bad = all.filter(
      (d) => d.name.length === 0 || /[\t\n]/.test(d.name) || (d.level === 'community' && /(居委会|村委会|委员会$|村委)/.test(d.name)),
    );
    expect(bad).toEqual([]);
    // 村委会 → 村, 居委会 → 社区, bracketed notes kept without the committee.
    expect(byCode.get('230102019200')?.name).toBe('松江村');
    expect(byCode.get('320412103001')?.name).toBe('洛阳社区（含洛阳村）');
    expect(byCode.get('330212103002')?.name).toBe('钱湖新村社区');
    expect(byCode.get('530102001001')?.name).toBe('翠湖西路社区');
  });

  it("keeps the data's oddities coherent", () => {
    // Pseudo-cities of municipalities keep their name with a GB/T 2260 code.
    expect(byCode.get('110100')).toMatchObject({
      name: '市辖区',
      level: 'city',
      parentCode: '110000',
    });
    expect(byCode.get('500200')).toMatchObject({
      name: '县',
      level: 'city',
      parentCode: '500000',
    });
    // Cities without districts: one row, streets hang under the city.
    expect(byCode.get('441900')).toMatchObject({
      name: '东莞市',
      level: 'city',
      parentCode: '440000',
    });
    const dongguanStreets = all.filter((d) => d.parentCode === '441900');
    expect(dongguanStreets.length).toBeGreaterThan(20);
    expect(dongguanStreets.every((d) => d.level === 'street')).toBe(true);
    // The 金门县 placeholder street (sequence 000) is not a street.
    expect(byCode.get('350527000')).toBeUndefined();
    expect(byCode.get('350527')?.name).toBe('金门县');
  });

  it('looks divisions up by any accepted code form', () => {
    expect(getDivision('33')?.name).toBe('浙江省');
    expect(getDivision('3302')?.name).toBe('宁波市');
    expect(getDivision('330212000000')?.name).toBe('鄞州区');
    expect(getDivision('330212014027')?.name).toBe('江城社区');
    expect(getDivision('999999')).toBeUndefined();
    expect(getDivision('abc')).toBeUndefined();
  });
});

describe('parseDivisionsTsv', () => {
  it('parses lines and rejects malformed ones', () => {
    expect(parseDivisionsTsv('330000\t浙江省\tprovince\t\n330200\t宁波市\tcity\t330000\n')).toEqual([
      { code: '330000', name: '浙江省', level: 'province', parentCode: null },
      { code: '330200', name: '宁波市', level: 'city', parentCode: '330000' },
    ]);
    expect(() => parseDivisionsTsv('330000\t浙江省\tcountry\t\n')).toThrow();
    expect(() => parseDivisionsTsv('330000\t浙江省\n')).toThrow();
  });
});

describe('normalizeDivisionCode', () => {
  it.each([
    ['33', '330000'],
    ['3302', '330200'],
    ['330000', '330000'],
    ['330200', '330200'],
    ['330212', '330212'],
    ['330212014', '330212014'],
    ['330212014027', '330212014027'],
    [' 330212 ', '330212'],
    ['330212014000', '330212014'],
    ['330212000000', '330212'],
    ['330200000000', '330200'],
    ['330000000000', '330000'],
    ['441900003', '441900003'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeDivisionCode(input)).toBe(expected);
  });

  it.each([
    '',
    ' ',
    'abc',
    '3',
    '330',
    '33021',
    '3302120',
    '3302120140',
    '33021201402',
    '3302120140271',
    '330212014027001',
    '00',
    '03',
    '3300',
    '330012',
    '330000014',
    '330212000',
    '33021201402a',
    '-33021',
    '33.021',
    '３３',
  ])('%j is malformed', (input) => {
    expect(normalizeDivisionCode(input)).toBeNull();
  });
});

describe('divisionLevelOf and parentCodeOf', () => {
  it.each([
    ['33', 'province', null],
    ['330000', 'province', null],
    ['3302', 'city', '330000'],
    ['330200', 'city', '330000'],
    ['330212', 'district', '330200'],
    ['330212014', 'street', '330212'],
    ['330212014027', 'community', '330212014'],
    ['441900003', 'street', '441900'],
    ['33021', null, null],
    ['', null, null],
  ] as const)('%s is a %s under %s', (code, level, parent) => {
    expect(divisionLevelOf(code)).toBe(level);
    expect(parentCodeOf(code)).toBe(parent);
  });
});
