import { planBuilding } from '../../server/modules/territory/building-plan.ts';
import type { Rng } from '../../server/modules/territory/prng.ts';
import type { GenContext, RecordGenerator } from './types.ts';

/**
 * Places at scale: grids, buildings, units and houses generated below REAL communities of a real
 * district (鄞州区 330212 by default: its real streets and communities come from the shipped
 * division list), in proportion to the residents asked for — about 2,500 residents per community,
 * 300–500 houses per grid (the grid-management norm), buildings of the old (5–7 floors, no lift),
 * middle (6–18) and new (11–33 floors) eras. Communities that already have grids (the demo's)
 * are left alone, so the generator also runs on a demo-seeded database.
 */

export const RESIDENTS_PER_COMMUNITY = 2500;
/** Houses per resident asked for: ~2.5 people per occupied house, ~90% occupied, 15% to spare. */
const HOUSES_PER_RESIDENT = 1 / 1.95;

export type HouseUse = 'self' | 'rented' | 'vacant' | 'business';

export interface GenHouse {
  code: string;
  path: string;
  use: HouseUse;
  builtYear: number;
}

export interface GenCommunity {
  code: string;
  name: string;
  streetName: string;
  path: string;
  /** Residents the people generator places here. */
  quota: number;
  houses: GenHouse[];
}

export interface TerritoryOutput {
  districtCode: string;
  districtName: string;
  communities: GenCommunity[];
}

type Era = 'old' | 'mid' | 'new';
const ERAS: Record<
  Era,
  { floors: [number, number]; units: [number, number]; rooms: [number, number]; built: [number, number]; area: [number, number] }
> = {
  old: { floors: [5, 7], units: [2, 3], rooms: [2, 2], built: [1986, 1999], area: [48, 88] },
  mid: { floors: [6, 18], units: [1, 3], rooms: [2, 3], built: [2000, 2010], area: [70, 125] },
  new: { floors: [11, 33], units: [1, 2], rooms: [2, 4], built: [2011, 2022], area: [88, 145] },
};
const ESTATE_WORDS = '锦绣阳光金色东湖明湖天合和美南苑新城翠柏丽园福庆世纪嘉和盛世怡景春江碧水书香康乐幸福东方鄞城钱湖宁南';
const ESTATE_SUFFIX = ['花园', '家园', '新村', '小区', '苑', '府', '公寓', '华庭', '名邸', '雅苑'];
const ROADS = [
  '钱湖北路',
  '天童南路',
  '宁南南路',
  '四明中路',
  '鄞县大道',
  '中山东路',
  '首南路',
  '日丽中路',
  '泰康中路',
  '嵩江中路',
  '桑田路',
  '百丈东路',
  '中兴路',
  '兴宁路',
  '宁穿路',
  '前河南路',
  '学府路',
  '金谷中路',
  '陈婆渡路',
];

const pad = (n: number, w: number) => String(n).padStart(w, '0');

function estateName(rng: Rng): string {
  const i = rng.int(0, ESTATE_WORDS.length / 2 - 1);
  return ESTATE_WORDS.slice(i * 2, i * 2 + 2) + rng.pick(ESTATE_SUFFIX);
}

/** Splits total into n parts of ±30% around the mean, summing exactly to total. */
export function splitQuota(rng: Rng, total: number, n: number): number[] {
  const w = Array.from({ length: n }, () => rng.float(0.7, 1.3));
  const sum = w.reduce((a, b) => a + b, 0);
  const parts = w.map((x) => Math.floor((x / sum) * total));
  let rest = total - parts.reduce((a, b) => a + b, 0);
  for (let i = 0; rest > 0; i = (i + 1) % n, rest--) parts[i]++;
  return parts;
}

const GRID_COLUMNS = ['district_code', 'code', 'community_code', 'seq', 'name', 'path'];
const BUILDING_COLUMNS = [
  'district_code',
  'code',
  'grid_code',
  'community_code',
  'number',
  'name',
  'floors',
  'units_count',
  'rooms_per_floor',
  'built_year',
  'has_lift',
  'address',
  'path',
];
const UNIT_COLUMNS = ['district_code', 'code', 'building_code', 'number', 'name', 'path'];
const HOUSE_COLUMNS = ['district_code', 'code', 'unit_code', 'building_code', 'floor', 'room', 'room_label', 'area', 'use', 'path'];

async function generateCommunity(ctx: GenContext, c: GenCommunity, districtName: string, cityName: string): Promise<void> {
  const { sink } = ctx;
  const d = ctx.opts.districtCode;
  const rng = ctx.rng('territory', c.code);
  const wantHouses = Math.max(20, Math.ceil(c.quota * HOUSES_PER_RESIDENT));
  let houses = 0;
  let gridSeq = 0;
  let gridCode = '';
  let gridPath = '';
  let gridHouses = 0;
  let gridTarget = 0;
  let buildingInGrid = 0;
  const newGrid = async () => {
    gridSeq++;
    gridCode = c.code + pad(gridSeq, 3);
    gridPath = `${c.path}.${gridCode}`;
    gridHouses = 0;
    gridTarget = rng.int(300, 500);
    buildingInGrid = 0;
    await sink.push('grid', [d, gridCode, c.code, gridSeq, `${c.name}第${gridSeq}网格`, gridPath]);
  };
  await newGrid();
  while (houses < wantHouses) {
    // An estate: one era, one road, a run of buildings numbered from 1.
    const x = rng.next();
    const era: Era = x < 0.3 ? 'old' : x < 0.7 ? 'mid' : 'new';
    const e = ERAS[era];
    const estate = estateName(rng);
    const road = rng.pick(ROADS);
    const roadNo = rng.int(1, 999);
    const estateBuildings = rng.int(4, 24);
    for (let n = 1; n <= estateBuildings && houses < wantHouses; n++) {
      if (gridHouses >= gridTarget || buildingInGrid >= 999) await newGrid();
      buildingInGrid++;
      const floors = rng.int(e.floors[0], e.floors[1]);
      const unitsCount = rng.int(e.units[0], e.units[1]);
      const roomsPerFloor = rng.int(e.rooms[0], e.rooms[1]);
      const builtYear = rng.int(e.built[0], e.built[1]);
      const name = `${n}幢`;
      const plan = planBuilding(gridCode, buildingInGrid, { name, floors, unitsCount, roomsPerFloor });
      const bPath = `${gridPath}.${plan.code}`;
      const address = `${cityName}${districtName}${road}${roadNo}号${estate}${name}`;
      await sink.push('building', [
        d,
        plan.code,
        gridCode,
        c.code,
        n,
        name,
        floors,
        unitsCount,
        roomsPerFloor,
        builtYear,
        era !== 'old' && (floors >= 7 || rng.chance(0.3)),
        address,
        bPath,
      ]);
      const unitPaths = new Map<string, string>();
      for (const u of plan.units) {
        const uPath = `${bPath}.${u.code}`;
        unitPaths.set(u.code, uPath);
        await sink.push('building_unit', [d, u.code, plan.code, u.number, u.name, uPath]);
      }
      const areas = Array.from({ length: roomsPerFloor }, () => Math.round(rng.float(e.area[0], e.area[1]) * 10) / 10);
      const shops = era !== 'new' && n === 1 && rng.chance(0.5);
      for (const h of plan.houses) {
        let use: HouseUse;
        if (shops && h.floor === 1) use = 'business';
        else {
          const y = rng.next();
          use = y < 0.08 ? 'vacant' : y < 0.33 ? 'rented' : 'self';
        }
        const path = `${unitPaths.get(h.unitCode)}.${h.code}`;
        await sink.push('house', [d, h.code, h.unitCode, plan.code, h.floor, h.room, h.roomLabel, areas[h.room - 1].toFixed(2), use, path]);
        c.houses.push({ code: h.code, path, use, builtYear });
      }
      houses += plan.houses.length;
      gridHouses += plan.houses.length;
    }
  }
}

export const territoryGenerator: RecordGenerator = {
  name: 'territory',
  sizeOption: null,
  description: 'grids, buildings, units and houses below real communities, in proportion to --residents',
  tables: [
    {
      table: 'grid',
      checksumColumns: ['code', 'community_code', 'seq', 'name', 'path::text'],
      generatedRows: 't.community_code = any($1)',
    },
    {
      table: 'building',
      checksumColumns: [
        'code',
        'grid_code',
        'number',
        'name',
        'floors',
        'units_count',
        'rooms_per_floor',
        'built_year',
        'has_lift',
        'address',
        'path::text',
      ],
      generatedRows: 't.community_code = any($1)',
    },
    {
      table: 'building_unit',
      checksumColumns: ['code', 'building_code', 'number', 'name', 'path::text'],
      generatedRows: 'substr(t.code, 1, 12) = any($1)',
    },
    {
      table: 'house',
      checksumColumns: ['code', 'unit_code', 'floor', 'room', 'room_label', 'area::text', 'use', 'path::text'],
      generatedRows: 'substr(t.code, 1, 12) = any($1)',
    },
  ],
  async run(ctx) {
    const residents = ctx.opts.sizes.residents ?? 0;
    const d = ctx.opts.districtCode;
    const [district] = await ctx.db.query<{ name: string; city: string }>(
      `select d.name, c.name as city from division d join division c on c.code = d.parent_code where d.code = $1 and d.level = 'district'`,
      [d],
    );
    if (!district) throw new Error(`district ${d} is not in the division list`);
    // Real communities of the district that have no places yet (the demo's are skipped).
    const candidates = await ctx.db.query<{ code: string; name: string; street: string; path: string }>(
      `select c.code, c.name, s.name as street, c.path::text as path
         from division c join division s on s.code = c.parent_code
        where c.level = 'community' and c.code like $1 || '%'
          and not exists (select 1 from grid g where g.community_code = c.code)
        order by c.code`,
      [d],
    );
    const wanted = Math.max(1, Math.ceil(residents / RESIDENTS_PER_COMMUNITY));
    if (!candidates.length) throw new Error(`district ${d} has no community without places left to generate into`);
    const rng = ctx.rng('territory', 'communities');
    const chosen = rng
      .shuffle(candidates)
      .slice(0, Math.min(wanted, candidates.length))
      .sort((a, b) => (a.code < b.code ? -1 : 1));
    if (chosen.length < wanted)
      ctx.log(`territory: only ${chosen.length} communities free in ${d}; ${Math.round(residents / chosen.length)} residents each`);
    const quotas = splitQuota(rng, residents, chosen.length);
    const communities: GenCommunity[] = chosen.map((c, i) => ({
      code: c.code,
      name: c.name,
      streetName: c.street,
      path: c.path,
      quota: quotas[i],
      houses: [],
    }));

    ctx.sink.declare('grid', GRID_COLUMNS);
    ctx.sink.declare('building', BUILDING_COLUMNS);
    ctx.sink.declare('building_unit', UNIT_COLUMNS);
    ctx.sink.declare('house', HOUSE_COLUMNS);
    for (const c of communities) await generateCommunity(ctx, c, district.name, district.city);
    await ctx.sink.flush();
    const output: TerritoryOutput = { districtCode: d, districtName: district.name, communities };
    return {
      rows: {
        grid: ctx.sink.written.grid,
        building: ctx.sink.written.building,
        building_unit: ctx.sink.written.building_unit,
        house: ctx.sink.written.house,
      },
      output,
    };
  },
};
