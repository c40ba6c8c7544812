import { describe, expect, it, vi } from 'vitest';
import { DEMO_COMMUNITIES, DEMO_COMMUNITY_INFO, demoSummary, generateDemoTerritory, type DemoGrid } from './demo-data.ts';
import { loadDivisions, type Division } from './divisions.ts';
import { createRng, mulberry32 } from './prng.ts';

const t = generateDemoTerritory();
const divisions = new Map<string, Division>(loadDivisions().map((d) => [d.code, d]));

const uniq = (xs: string[]): boolean => new Set(xs).size === xs.length;
const groupBy = <T>(xs: T[], key: (x: T) => string): Map<string, T[]> => {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    m.set(k, [...(m.get(k) ?? []), x]);
  }
  return m;
};

describe('prng', () => {
  it('is deterministic and spreads over [0, 1)', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
    const r = createRng(1, 'x');
    for (let i = 0; i < 200; i++) {
      const n = r.int(3, 5);
      expect(n >= 3 && n <= 5 && Number.isInteger(n)).toBe(true);
    }
    expect(createRng(1, 'x').next()).not.toBe(createRng(1, 'y').next());
  });
});

describe('generateDemoTerritory', () => {
  it('is deterministic, pure and seed-dependent', () => {
    const spy = vi.spyOn(Math, 'random').mockImplementation(() => {
      throw new Error('Math.random used');
    });
    try {
      expect(generateDemoTerritory(1)).toEqual(t);
      expect(generateDemoTerritory(1)).toEqual(generateDemoTerritory(1));
      const other = generateDemoTerritory(2);
      expect(other).not.toEqual(t);
      expect(other.houses.map((h) => h.use)).not.toEqual(t.houses.map((h) => h.use));
    } finally {
      spy.mockRestore();
    }
  });

  it('covers the demo communities with real codes and names from the extract', () => {
    expect(t.communities.map((c) => c.code)).toEqual([...DEMO_COMMUNITIES]);
    expect(DEMO_COMMUNITIES).toContain('330212014027');
    for (const c of DEMO_COMMUNITY_INFO) {
      const community = divisions.get(c.code);
      const street = divisions.get(c.streetCode);
      const district = divisions.get(c.districtCode);
      const city = district?.parentCode ? divisions.get(district.parentCode) : undefined;
      const province = city?.parentCode ? divisions.get(city.parentCode) : undefined;
      expect(community, c.code).toMatchObject({
        name: c.name,
        level: 'community',
        parentCode: c.streetCode,
      });
      expect(street).toMatchObject({
        name: c.streetName,
        parentCode: c.districtCode,
      });
      expect(district?.name).toBe(c.districtName);
      expect(city?.name).toBe(c.cityName);
      expect(province?.name).toBe(c.provinceName);
    }
    // The first two communities (by code) of 五华区 华山街道.
    const huashan = loadDivisions().find((d) => d.parentCode === '530102' && d.name === '华山街道');
    expect(huashan?.code).toBe('530102001');
    const firstTwo = loadDivisions()
      .filter((d) => d.parentCode === huashan?.code)
      .map((d) => d.code)
      .sort()
      .slice(0, 2);
    expect(DEMO_COMMUNITIES.filter((c) => c.startsWith('530102001'))).toEqual(firstTwo);
  });

  it('builds codes by prefix with the right lengths', () => {
    const grids = new Map(t.grids.map((g) => [g.code, g]));
    const buildings = new Map(t.buildings.map((b) => [b.code, b]));
    const units = new Map(t.units.map((u) => [u.code, u]));
    for (const g of t.grids) {
      expect(g.code).toMatch(/^\d{15}$/);
      expect(g.code.slice(0, 12)).toBe(g.communityCode);
      expect(g.code.slice(12)).toBe(String(g.seq).padStart(3, '0'));
      expect(g.districtCode).toBe(g.code.slice(0, 6));
      expect(DEMO_COMMUNITIES).toContain(g.communityCode);
    }
    for (const b of t.buildings) {
      expect(b.code).toMatch(/^\d{18}$/);
      expect(b.code.slice(0, 15)).toBe(b.gridCode);
      expect(grids.get(b.gridCode)?.communityCode).toBe(b.communityCode);
      expect(b.districtCode).toBe(b.code.slice(0, 6));
    }
    for (const u of t.units) {
      expect(u.code).toMatch(/^\d{20}$/);
      expect(u.code.slice(0, 18)).toBe(u.buildingCode);
      expect(buildings.has(u.buildingCode)).toBe(true);
      expect(u.name).toBe(`${u.number}单元`);
      expect(u.districtCode).toBe(u.code.slice(0, 6));
    }
    for (const h of t.houses) {
      expect(h.code).toMatch(/^\d{24}$/);
      expect(h.code.slice(0, 20)).toBe(h.unitCode);
      expect(units.get(h.unitCode)?.buildingCode).toBe(h.buildingCode);
      expect(h.code.slice(20)).toBe(String(h.floor).padStart(2, '0') + String(h.room).padStart(2, '0'));
      expect(h.roomLabel).toBe(`${h.floor}${String(h.room).padStart(2, '0')}`);
      expect(h.districtCode).toBe(h.code.slice(0, 6));
    }
    expect(grids.has('330212014027001')).toBe(true);
  });

  it('has unique codes and keys', () => {
    expect(uniq(t.grids.map((g) => g.code))).toBe(true);
    expect(uniq(t.buildings.map((b) => b.code))).toBe(true);
    expect(uniq(t.units.map((u) => u.code))).toBe(true);
    expect(uniq(t.houses.map((h) => h.code))).toBe(true);
    expect(uniq(t.estates.map((e) => e.key))).toBe(true);
    expect(uniq(t.orgs.map((o) => o.key))).toBe(true);
  });

  it('numbers grids west→east within a row, rows north→south', () => {
    for (const [community, grids] of groupBy(t.grids, (g) => g.communityCode)) {
      expect(grids.length, community).toBeGreaterThanOrEqual(4);
      expect(grids.length).toBeLessThanOrEqual(8);
      const bySeq = [...grids].sort((a, b) => a.seq - b.seq);
      expect(bySeq.map((g) => g.seq)).toEqual(grids.map((_, i) => i + 1));
      // Rows are the grids sharing a north edge.
      const rows = [...groupBy(bySeq, (g) => String(g.bbox.north)).values()];
      expect(rows.length).toBeGreaterThanOrEqual(2);
      let last: DemoGrid | undefined;
      for (const row of rows) {
        const centre = (g: DemoGrid): number => (g.bbox.west + g.bbox.east) / 2;
        const sortedByLng = [...row].sort((a, b) => centre(a) - centre(b));
        expect(row.map((g) => g.seq)).toEqual(sortedByLng.map((g) => g.seq));
        // The seqs of a row are contiguous and come after every seq of rows to the north.
        const seqs = row.map((g) => g.seq);
        expect(Math.max(...seqs) - Math.min(...seqs)).toBe(row.length - 1);
        if (last) {
          expect(row[0].bbox.north).toBeLessThan(last.bbox.north);
          expect(row[0].seq).toBe(last.seq + 1);
        }
        last = row[row.length - 1];
      }
      for (const g of grids) {
        expect(g.bbox.west).toBeLessThan(g.bbox.east);
        expect(g.bbox.south).toBeLessThan(g.bbox.north);
        expect(g.bbox.east - g.bbox.west).toBeLessThan(0.01);
        expect(g.bbox.north - g.bbox.south).toBeLessThan(0.01);
      }
    }
  });

  it("places grids near the communities' real locations", () => {
    const near: Record<string, [number, number]> = {
      '330212014027': [121.59, 29.87],
      '320402002005': [119.97, 31.78],
      '320402001003': [119.97, 31.78],
      '320412100012': [119.95, 31.7],
      '530102001001': [102.7, 25.04],
      '530102001002': [102.7, 25.04],
    };
    for (const g of t.grids) {
      const [lng, lat] = near[g.communityCode];
      expect(Math.abs((g.bbox.west + g.bbox.east) / 2 - lng)).toBeLessThan(0.05);
      expect(Math.abs((g.bbox.south + g.bbox.north) / 2 - lat)).toBeLessThan(0.05);
    }
  });

  it('has plausible buildings', () => {
    const grids = new Map(t.grids.map((g) => [g.code, g]));
    const estates = new Map(t.estates.map((e) => [e.key, e]));
    for (const [grid, buildings] of groupBy(t.buildings, (b) => b.gridCode)) {
      expect(buildings.length, grid).toBeGreaterThanOrEqual(3);
      expect(buildings.length).toBeLessThanOrEqual(8);
    }
    expect(new Set(t.buildings.map((b) => b.gridCode)).size).toBe(t.grids.length);
    for (const b of t.buildings) {
      const estate = estates.get(b.estateKey)!;
      const grid = grids.get(b.gridCode)!;
      expect(estate.gridCodes).toContain(b.gridCode);
      expect(b.floors).toBeGreaterThanOrEqual(5);
      expect(b.floors).toBeLessThanOrEqual(18);
      if (estate.era === 'old') {
        expect(b.floors).toBeLessThanOrEqual(7);
        expect(b.hasLift).toBe(false);
      } else {
        expect(b.floors).toBeGreaterThanOrEqual(6);
      }
      if (b.floors >= 8) expect(b.hasLift).toBe(true);
      expect(b.unitsCount).toBeGreaterThanOrEqual(1);
      expect(b.unitsCount).toBeLessThanOrEqual(3);
      expect(b.roomsPerFloor).toBeGreaterThanOrEqual(2);
      expect(b.roomsPerFloor).toBeLessThanOrEqual(4);
      expect(b.builtYear).toBeGreaterThanOrEqual(1980);
      expect(b.builtYear).toBeLessThanOrEqual(2025);
      expect(b.name).toMatch(/^\d+[幢栋]$/);
      expect(b.name).toBe(`${b.number}${b.name.slice(-1)}`);
      expect(b.address.endsWith(`${estate.name}${b.name}`)).toBe(true);
      expect(b.lng).toBeGreaterThanOrEqual(grid.bbox.west);
      expect(b.lng).toBeLessThanOrEqual(grid.bbox.east);
      expect(b.lat).toBeGreaterThanOrEqual(grid.bbox.south);
      expect(b.lat).toBeLessThanOrEqual(grid.bbox.north);
    }
    const first = t.buildings.find((b) => b.code === '330212014027001001');
    expect(first?.address).toMatch(/^宁波市鄞州区福明街道江城社区.+\d+幢$/);
    // Building numbers run 1..n within an estate.
    for (const [, bs] of groupBy(t.buildings, (b) => b.estateKey)) {
      expect(bs.map((b) => b.number)).toEqual(bs.map((_, i) => i + 1));
    }
  });

  it('has every unit and room of every building, with plausible areas and uses', () => {
    const unitsOf = groupBy(t.units, (u) => u.buildingCode);
    const housesOf = groupBy(t.houses, (h) => h.buildingCode);
    for (const b of t.buildings) {
      expect(unitsOf.get(b.code)?.length).toBe(b.unitsCount);
      expect(housesOf.get(b.code)?.length).toBe(b.floors * b.unitsCount * b.roomsPerFloor);
    }
    for (const h of t.houses) {
      expect(h.area).toBeGreaterThanOrEqual(45);
      expect(h.area).toBeLessThanOrEqual(160);
      expect(Math.round(h.area * 10) / 10).toBe(h.area);
      if (h.use === 'business') expect(h.floor).toBe(1);
    }
    const s = demoSummary(t);
    expect(s.houses).toBe(t.houses.length);
    expect(s.houses).toBeGreaterThan(1000);
    expect(s.houses).toBeLessThan(6000);
    const share = (n: number): number => n / s.houses;
    expect(share(s.housesByUse.self)).toBeGreaterThan(0.55);
    expect(share(s.housesByUse.rented)).toBeGreaterThan(0.12);
    expect(share(s.housesByUse.rented)).toBeLessThan(0.28);
    expect(share(s.housesByUse.vacant)).toBeGreaterThan(0.04);
    expect(share(s.housesByUse.vacant)).toBeLessThan(0.12);
    expect(s.housesByUse.business).toBeGreaterThan(0);
  });

  it('has organisations whose parents all resolve', () => {
    const keys = new Map(t.orgs.map((o) => [o.key, o]));
    for (const o of t.orgs) {
      if (o.parentKey !== undefined) {
        expect(keys.has(o.parentKey), `${o.key} → ${o.parentKey}`).toBe(true);
      }
      expect(o.districtCode).toBe(o.territoryCode.slice(0, 6));
      expect(o.name.length).toBeGreaterThan(2);
      expect(o.level !== undefined).toBe(o.kind === 'party');
    }
    for (const e of t.estates) {
      expect(keys.get(e.propertyCompanyKey)?.kind).toBe('property_company');
      expect(t.orgs.filter((o) => o.kind === 'owners_committee' && o.estateKey === e.key)).toHaveLength(1);
    }
  });

  it('gives each community the four-level party chain', () => {
    const keys = new Map(t.orgs.map((o) => [o.key, o]));
    for (const c of t.communities) {
      const committee = t.orgs.find((o) => o.level === 'community_committee' && o.territoryCode === c.code);
      expect(committee?.name).toBe(`${c.name}大党委`);
      const street = keys.get(committee!.parentKey!);
      expect(street).toMatchObject({
        kind: 'party',
        level: 'street_committee',
        territoryCode: c.streetCode,
      });
      expect(street!.parentKey).toBeUndefined();
      const branches = t.orgs.filter((o) => o.level === 'estate_branch' && o.parentKey === committee!.key);
      expect(branches.length).toBe(t.estates.filter((e) => e.communityCode === c.code).length);
      for (const branch of branches) {
        const groups = t.orgs.filter((o) => o.level === 'building_group' && o.parentKey === branch.key);
        expect(groups.length, branch.name).toBeGreaterThanOrEqual(1);
        for (const g of groups) {
          const building = t.buildings.find((b) => b.code === g.territoryCode);
          expect(building?.estateKey).toBe(branch.estateKey);
          expect(g.name).toMatch(/党小组$/);
        }
      }
    }
    expect(keys.get('party:330212014')?.name).toBe('福明街道党工委');
    expect(keys.get('party:320412100')?.name).toBe('湖塘镇党委');
  });

  it('has departments, resident units and social organisations', () => {
    const names = new Set(t.orgs.map((o) => o.name));
    for (const name of [
      '鄞州区综合行政执法局（城管）',
      '鄞州区市场监督管理局',
      '宁波市公安局鄞州分局福明派出所',
      '鄞州区住房和城乡建设局',
      '鄞州区民政局',
      '鄞州区卫生健康局',
      '鄞州区应急管理局',
      '天宁区市场监督管理局',
      '武进区综合行政执法局（城管）',
      '五华区应急管理局',
      '常州市公安局武进分局湖塘派出所',
      '昆明市公安局五华分局华山派出所',
      '道里区市场监督管理局',
      '哈尔滨市公安局道里分局',
      '金坛区应急管理局',
      '常州市公安局钟楼分局',
      '江城社区老年协会',
      '江城社区和事佬调解工作室',
    ]) {
      expect(names.has(name), name).toBe(true);
    }
    for (const c of t.communities) {
      const here = t.orgs.filter((o) => o.territoryCode === c.code);
      expect(here.filter((o) => o.kind === 'resident_unit').length).toBeGreaterThanOrEqual(2);
      expect(here.filter((o) => o.kind === 'social_org').length).toBeGreaterThanOrEqual(2);
    }
  });

  it('summarises counts', () => {
    const s = demoSummary(t);
    expect(s).toMatchObject({
      communities: 6,
      estates: t.estates.length,
      grids: t.grids.length,
      buildings: t.buildings.length,
      units: t.units.length,
      orgs: t.orgs.length,
    });
    expect(Object.values(s.orgsByKind).reduce((a, b) => a + b, 0)).toBe(s.orgs);
    expect(Object.values(s.housesByUse).reduce((a, b) => a + b, 0)).toBe(s.houses);
  });
});
