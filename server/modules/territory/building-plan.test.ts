import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { nextSequence, planBuilding } from './building-plan.ts';
import { parseTerritoryCode } from './codes.ts';

describe('planBuilding', () => {
  it('codes a building, its units and every house under the grid', () => {
    const p = planBuilding('330212014027001', 7, { name: '7幢', floors: 3, unitsCount: 2, roomsPerFloor: 2 });
    expect(p.code).toBe('330212014027001007');
    expect(p.units.map((u) => u.code)).toEqual(['33021201402700100701', '33021201402700100702']);
    expect(p.houses).toHaveLength(12);
    expect(p.houses[0]).toEqual({
      code: '330212014027001007010101',
      unitCode: '33021201402700100701',
      floor: 1,
      room: 1,
      roomLabel: '101',
    });
    expect(p.houses.at(-1)!.roomLabel).toBe('302');
  });

  it('gives unique, well-formed codes for any valid size', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 999 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 6 }),
        (n, floors, units, rooms) => {
          const p = planBuilding('320402002005003', n, { name: 'x', floors, unitsCount: units, roomsPerFloor: rooms });
          const codes = new Set(p.houses.map((h) => h.code));
          expect(codes.size).toBe(floors * units * rooms);
          for (const h of p.houses) {
            expect(parseTerritoryCode(h.code)?.level).toBe('house');
            expect(h.code.startsWith(h.unitCode)).toBe(true);
            expect(h.unitCode.startsWith(p.code)).toBe(true);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('refuses sizes that the codes cannot hold', () => {
    expect(() => planBuilding('330212014027001', 1, { name: 'x', floors: 100, unitsCount: 1, roomsPerFloor: 1 })).toThrow(/floors/);
    expect(() => planBuilding('330212014027001', 1000, { name: 'x', floors: 1, unitsCount: 1, roomsPerFloor: 1 })).toThrow(/number/);
    expect(() => planBuilding('3302120140270', 1, { name: 'x', floors: 1, unitsCount: 1, roomsPerFloor: 1 })).toThrow(/grid/);
  });
});

describe('nextSequence', () => {
  it('continues after the highest number and never reuses a gap', () => {
    expect(nextSequence([], 999)).toBe(1);
    expect(nextSequence([1, 2, 5], 999)).toBe(6);
    expect(nextSequence([999], 999)).toBeNull();
  });
});
