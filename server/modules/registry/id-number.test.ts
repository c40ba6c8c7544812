import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ageOn, idCheckChar, ID_CHECK_CHARS, ID_WEIGHTS, isKnownRegion, makeIdNumber, maskIdNumber, parseIdNumber } from './id-number.ts';

const TODAY = '2026-11-23';
/** A number published in GB 11643-1999's own example. */
const STANDARD_EXAMPLE = '11010519491231002X';

describe('GB 11643 resident ID numbers', () => {
  it('weights are 2^(18-i) mod 11 and check characters follow ISO 7064 MOD 11-2', () => {
    ID_WEIGHTS.forEach((w, i) => expect(w).toBe(2 ** (17 - i) % 11));
    // the check character c satisfies (sum + value(c)) mod 11 == 1, with X = 10
    for (let r = 0; r < 11; r++) {
      const c = ID_CHECK_CHARS[r];
      const value = c === 'X' ? 10 : Number(c);
      expect((r + value) % 11).toBe(1);
    }
  });

  it('accepts the standard example and derives birth date and gender', () => {
    const r = parseIdNumber(STANDARD_EXAMPLE, { today: TODAY });
    expect(r).toEqual({ ok: true, value: { number: STANDARD_EXAMPLE, regionCode: '110105', birthDate: '1949-12-31', gender: 'F' } });
    expect(parseIdNumber('11010519491231002x', { today: TODAY }).ok).toBe(true);
    const male = makeIdNumber('330212', '1980-05-17', 13);
    expect(parseIdNumber(male, { today: TODAY })).toMatchObject({ ok: true, value: { gender: 'M', birthDate: '1980-05-17' } });
  });

  it('refuses every wrong check character, at every position of the sum', () => {
    // Walk the 11 possible remainders: for each, the one right check char passes and the ten others fail.
    const seen = new Set<string>();
    for (let seq = 0; seen.size < 11 && seq < 1000; seq++) {
      const body = `33021219800517${String(seq).padStart(3, '0')}`;
      const right = idCheckChar(body);
      if (seen.has(right)) continue;
      seen.add(right);
      for (const c of ID_CHECK_CHARS) {
        const r = parseIdNumber(body + c, { today: TODAY });
        if (c === right) expect(r.ok, body + c).toBe(true);
        else expect(r, body + c).toEqual({ ok: false, problem: 'checksum' });
      }
    }
    expect(seen.size).toBe(11);
  });

  it('detects any single changed digit in any of the 17 positions (checksum or a derived field)', () => {
    const good = makeIdNumber('330212', '1975-03-09', 102);
    for (let pos = 0; pos < 17; pos++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === good[pos]) continue;
        const bad = good.slice(0, pos) + d + good.slice(pos + 1);
        expect(parseIdNumber(bad, { today: TODAY, regionKnown: () => true }).ok, `${bad} (position ${pos + 1})`).toBe(false);
      }
    }
  });

  it('refuses malformed input, unknown regions, impossible and future birth dates', () => {
    expect(parseIdNumber('', { today: TODAY })).toEqual({ ok: false, problem: 'format' });
    expect(parseIdNumber('33021219800517001', { today: TODAY })).toEqual({ ok: false, problem: 'format' });
    expect(parseIdNumber('3302121980051700111', { today: TODAY })).toEqual({ ok: false, problem: 'format' });
    expect(parseIdNumber('33021219800517001Y', { today: TODAY })).toEqual({ ok: false, problem: 'format' });
    expect(parseIdNumber('X30212198005170011', { today: TODAY })).toEqual({ ok: false, problem: 'format' });
    // 339999 is not a division code
    const fakeRegion = '339999198005170013';
    expect(parseIdNumber(fakeRegion.slice(0, 17) + idCheckChar(fakeRegion.slice(0, 17)), { today: TODAY })).toEqual({
      ok: false,
      problem: 'region',
    });
    const feb30 = '33021219800230001';
    expect(parseIdNumber(feb30 + idCheckChar(feb30), { today: TODAY })).toEqual({ ok: false, problem: 'birth_date' });
    const feb29common = '33021219810229001';
    expect(parseIdNumber(feb29common + idCheckChar(feb29common), { today: TODAY })).toEqual({ ok: false, problem: 'birth_date' });
    const feb29leap2000 = '33021220000229001';
    expect(parseIdNumber(feb29leap2000 + idCheckChar(feb29leap2000), { today: TODAY }).ok).toBe(true);
    const feb29_1900 = '33021219000229001';
    expect(parseIdNumber(feb29_1900 + idCheckChar(feb29_1900), { today: TODAY })).toEqual({ ok: false, problem: 'birth_date' });
    const before1900 = '33021218991231001';
    expect(parseIdNumber(before1900 + idCheckChar(before1900), { today: TODAY })).toEqual({ ok: false, problem: 'birth_date' });
    const future = makeIdNumber('330212', '2026-11-24', 1);
    expect(parseIdNumber(future, { today: TODAY })).toEqual({ ok: false, problem: 'future_birth' });
    expect(parseIdNumber(makeIdNumber('330212', TODAY, 1), { today: TODAY }).ok).toBe(true);
  });

  it('region prefixes are real province, city or district codes', () => {
    expect(isKnownRegion('330212')).toBe(true); // 鄞州区
    expect(isKnownRegion('330200')).toBe(true); // 宁波市
    expect(isKnownRegion('330000')).toBe(true); // 浙江省
    expect(isKnownRegion('530102')).toBe(true); // 五华区
    expect(isKnownRegion('339999')).toBe(false);
    expect(isKnownRegion('000000')).toBe(false);
    expect(isKnownRegion('33021')).toBe(false);
  });

  it('property: every generated number validates and round-trips birth date and gender', () => {
    const regions = ['110105', '330212', '320402', '530102', '230102', '440300'];
    fc.assert(
      fc.property(
        fc.constantFrom(...regions),
        fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2026-11-23T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 999 }),
        (region, date, seq) => {
          const birth = date.toISOString().slice(0, 10);
          const n = makeIdNumber(region, birth, seq);
          const r = parseIdNumber(n, { today: TODAY });
          expect(r.ok).toBe(true);
          if (r.ok) {
            expect(r.value.birthDate).toBe(birth);
            expect(r.value.gender).toBe(seq % 2 === 1 ? 'M' : 'F');
          }
        },
      ),
    );
  });

  it('property: changing the check character of a valid number always fails', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999 }), fc.constantFrom(...ID_CHECK_CHARS), (seq, other) => {
        const n = makeIdNumber('330212', '1990-01-01', seq);
        fc.pre(other !== n[17]);
        expect(parseIdNumber(n.slice(0, 17) + other, { today: TODAY })).toEqual({ ok: false, problem: 'checksum' });
      }),
    );
  });

  it('property: swapping two different adjacent digits is detected (MOD 11-2 catches transpositions)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 15 }), (seq, pos) => {
        const n = makeIdNumber('330212', '1990-01-01', seq);
        fc.pre(n[pos] !== n[pos + 1]);
        const swapped = n.slice(0, pos) + n[pos + 1] + n[pos] + n.slice(pos + 2);
        expect(parseIdNumber(swapped, { today: TODAY, regionKnown: () => true }).ok).toBe(false);
      }),
    );
  });

  it('masks and computes age', () => {
    expect(maskIdNumber('330212198005170013')).toBe('330212********0013');
    expect(maskIdNumber('E12345678')).toBe('E1*****78');
    expect(ageOn('1946-11-23', TODAY)).toBe(80);
    expect(ageOn('1946-11-24', TODAY)).toBe(79);
    expect(ageOn('2008-11-23', TODAY)).toBe(18);
  });
});
