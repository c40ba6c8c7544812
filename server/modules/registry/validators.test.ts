import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  checkCreditCode,
  checkOtherDocument,
  checkPhone,
  checkPlate,
  CREDIT_CHARS,
  CREDIT_WEIGHTS,
  creditCheckChar,
  makeCreditCode,
  maskPhone,
  PLATE_PROVINCES,
} from './validators.ts';
import { checkPerson, parseTags, ageTags, birthBounds } from './person-rules.ts';
import { makeIdNumber } from './id-number.ts';
import { mapHeaders } from './import-columns.ts';
import { namePinyin } from './names.ts';

/** Published unified social credit codes (company registers), used as fixed points. */
const REAL_CREDIT_CODES = ['91110000802100433B', '91440300708461136T', '91330000MA27U0B83N'];

describe('unified social credit code (GB 32100)', () => {
  it('weights are 3^(i-1) mod 31 and the charset has 31 characters without I O S V Z', () => {
    CREDIT_WEIGHTS.forEach((w, i) => expect(w).toBe(3 ** i % 31));
    expect(CREDIT_CHARS).toHaveLength(31);
    for (const c of 'IOSVZ') expect(CREDIT_CHARS).not.toContain(c);
  });

  it('accepts published codes and refuses every other check character for them', () => {
    for (const code of REAL_CREDIT_CODES) {
      expect(checkCreditCode(code)).toEqual({ ok: true, code });
      expect(checkCreditCode(code.toLowerCase())).toEqual({ ok: true, code });
      for (const c of CREDIT_CHARS) {
        if (c === code[17]) continue;
        expect(checkCreditCode(code.slice(0, 17) + c)).toEqual({ ok: false, problem: 'checksum' });
      }
    }
  });

  it('refuses bad formats', () => {
    for (const bad of ['', '9111000080210043', '91110000802100433BB', '9111000080210043IB', 'S1110000802100433B', '91AB0000802100433B']) {
      expect(checkCreditCode(bad), bad).toEqual({ ok: false, problem: 'format' });
    }
  });

  it('property: any single changed character in any of the 17 positions is caught', () => {
    const charset = [...CREDIT_CHARS];
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...charset), { minLength: 10, maxLength: 10 }),
        fc.integer({ min: 0, max: 999999 }),
        fc.integer({ min: 0, max: 16 }),
        fc.constantFrom(...charset),
        (org, region, pos, replacement) => {
          const code = makeCreditCode(`91${String(region).padStart(6, '0')}${org.join('').slice(0, 9)}`);
          expect(checkCreditCode(code).ok).toBe(true);
          fc.pre(code[pos] !== replacement);
          const mutated = code.slice(0, pos) + replacement + code.slice(pos + 1);
          // Either the format breaks (a letter in the region part) or the checksum does.
          expect(checkCreditCode(mutated).ok).toBe(false);
        },
      ),
    );
  });

  it('check character of a body equals the value that makes the weighted sum 0 mod 31', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...CREDIT_CHARS), { minLength: 17, maxLength: 17 }), (chars) => {
        const body = chars.join('');
        const c = creditCheckChar(body)!;
        const sum = chars.reduce((s, ch, i) => s + CREDIT_CHARS.indexOf(ch) * CREDIT_WEIGHTS[i], 0) + CREDIT_CHARS.indexOf(c);
        expect(sum % 31).toBe(0);
      }),
    );
  });
});

describe('vehicle plates (GA 36)', () => {
  it('ordinary and new-energy plates', () => {
    expect(checkPlate('浙B12345')).toEqual({ ok: true, plate: '浙B12345', kind: 'ordinary' });
    expect(checkPlate('浙b·1a234')).toEqual({ ok: true, plate: '浙B1A234', kind: 'ordinary' });
    expect(checkPlate('苏D12345学')).toMatchObject({ ok: false });
    expect(checkPlate('苏D1234学')).toEqual({ ok: true, plate: '苏D1234学', kind: 'ordinary' });
    expect(checkPlate('浙BD12345')).toEqual({ ok: true, plate: '浙BD12345', kind: 'new_energy' });
    expect(checkPlate('云AFA1234')).toEqual({ ok: true, plate: '云AFA1234', kind: 'new_energy' });
    expect(checkPlate('云AF1A234').ok).toBe(false);
    expect(checkPlate('京A12345D')).toEqual({ ok: true, plate: '京A12345D', kind: 'new_energy' });
    for (const bad of ['', '浙12345', '浙I12345', '浙BO2345', 'AB12345', '浙B1234', '浙BZ12345', '浙B12345X', '港B12345']) {
      expect(checkPlate(bad).ok, bad).toBe(false);
    }
  });

  it('property: every province prefix with a valid serial passes; any other first character fails', () => {
    const serial = fc.array(fc.constantFrom(...'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789'), { minLength: 5, maxLength: 5 });
    fc.assert(
      fc.property(fc.constantFrom(...PLATE_PROVINCES), fc.constantFrom(...'ABCDEFGHJKLMNPQRSTUVWXYZ'), serial, (p, l, s) => {
        expect(checkPlate(`${p}${l}${s.join('')}`).ok).toBe(true);
      }),
    );
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 1 }), (c) => {
        fc.pre(!PLATE_PROVINCES.includes(c));
        expect(checkPlate(`${c}B12345`).ok).toBe(false);
      }),
    );
  });
});

describe('phones', () => {
  it('mobiles and landlines, with separators and +86', () => {
    expect(checkPhone('138 0574 1234')).toEqual({ ok: true, phone: '13805741234', kind: 'mobile' });
    expect(checkPhone('+86 13805741234')).toEqual({ ok: true, phone: '13805741234', kind: 'mobile' });
    expect(checkPhone('0574-87654321')).toEqual({ ok: true, phone: '057487654321', kind: 'landline' });
    expect(checkPhone('010-12345678')).toEqual({ ok: true, phone: '01012345678', kind: 'landline' });
    for (const bad of ['', '12345678901', '1380574123', '138057412345', 'abc', '0574-123']) expect(checkPhone(bad).ok, bad).toBe(false);
    expect(maskPhone('13805741234')).toBe('138****1234');
    expect(maskPhone('057487654321')).toBe('0574******21');
  });

  it('property: every 11-digit number starting 13–19 is a mobile, nothing starting 10–12 is', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 999_999_999 }), (second, rest) => {
        const n = `1${second}${String(rest).padStart(9, '0')}`;
        expect(checkPhone(n).ok).toBe(second >= 3);
      }),
    );
  });
});

describe('other documents, person rules, headers and pinyin', () => {
  it('passports and permits', () => {
    expect(checkOtherDocument('passport', 'e12345678')).toEqual({ ok: true, number: 'E12345678' });
    expect(checkOtherDocument('hk_macao', 'H12345678')).toEqual({ ok: true, number: 'H12345678' });
    expect(checkOtherDocument('hk_macao', 'H1234567801')).toEqual({ ok: true, number: 'H1234567801' });
    expect(checkOtherDocument('hk_macao', 'X12345678').ok).toBe(false);
    expect(checkOtherDocument('taiwan', '12345678').ok).toBe(true);
    expect(checkOtherDocument('taiwan', '1234567').ok).toBe(false);
  });

  it('checkPerson reports every bad field at once and derives gender and birth date', () => {
    const r = checkPerson({ name: '', idNumber: '123', phone: 'x', residency: '外星', tags: '富豪' }, '2026-11-23');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.field)).toEqual(['name', 'idNumber', 'phone', 'residency', 'tags']);
    const ok = checkPerson({ name: ' 张  三 ', idNumber: makeIdNumber('330212', '1950-01-02', 2), tags: '独居，残疾:一级' }, '2026-11-23');
    expect(ok).toMatchObject({ ok: true, value: { name: '张 三', gender: 'F', birthDate: '1950-01-02', residency: 'registered' } });
    const foreign = checkPerson(
      { name: 'John Smith', idType: '护照', idNumber: 'P1234567', gender: '男', birthDate: '1980/5/6' },
      '2026-11-23',
    );
    expect(foreign).toMatchObject({ ok: true, value: { idType: 'passport', gender: 'M', birthDate: '1980-05-06', residency: 'foreign' } });
  });

  it('tags and age tags', () => {
    expect(parseTags('独居,残疾:二级；低保、80岁以上')).toEqual({
      tags: [
        { tag: '独居', level: null },
        { tag: '残疾', level: '二级' },
        { tag: '低保', level: null },
      ],
      unknown: [],
    });
    expect(parseTags('残疾:五级').unknown).toEqual(['残疾:五级']);
    expect(ageTags('2010-01-01', '2026-11-23')).toEqual(['未成年']);
    expect(ageTags('1966-11-23', '2026-11-23')).toEqual(['60岁以上']);
    expect(ageTags('1946-11-24', '2026-11-23')).toEqual(['60岁以上']);
    expect(ageTags('1946-11-23', '2026-11-23')).toEqual(['60岁以上', '80岁以上']);
    expect(birthBounds('2026-11-23', 60, 79)).toEqual({ bornOnOrBefore: '1966-11-23', bornAfter: '1946-11-23' });
    expect(birthBounds('2028-02-29', 61)).toEqual({ bornOnOrBefore: '1967-02-28' });
  });

  it('maps headers by name and aliases', () => {
    expect(mapHeaders(['身份证号', '姓名 *', '手机号', '备注', '籍贯'])).toEqual({
      fields: ['idNumber', 'name', 'phone', 'note', null],
      missing: [],
      unknown: ['籍贯'],
      duplicate: [],
    });
    expect(mapHeaders(['姓名', '证件号码', '身份证号']).duplicate).toEqual(['身份证号']);
    expect(mapHeaders(['联系电话']).missing).toEqual(['姓名', '证件号码']);
  });

  it('pinyin of names, with surname readings', () => {
    expect(namePinyin('张三丰')).toEqual({ full: 'zhangsanfeng', initials: 'zsf' });
    expect(namePinyin('曾国藩').initials).toBe('zgf');
    expect(namePinyin('单雄信').full.startsWith('shan')).toBe(true);
    expect(namePinyin('John Smith')).toEqual({ full: 'johnsmith', initials: 'js' });
  });
});
