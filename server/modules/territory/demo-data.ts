/**
 * Deterministic demo territory (MISSION T1–T3): grids, estates, buildings,
 * building units, houses and organisations for a handful of real communities.
 *
 * generateDemoTerritory is pure: no I/O, no clock, no Math.random. The same seed
 * always gives deep-equal output; each community draws from its own sub-seed, so
 * adding a community does not change the others.
 *
 * Community, street and district codes and names are real (NBS 2023, checked
 * against the shipped division extract by demo-data.test.ts). Estates, buildings,
 * people and company names are invented but plausible; coordinates are
 * approximate.
 *
 * Codes:
 *   grid     15 = community (12) + 3-digit sequence, numbered west→east within a
 *                 row of grids, rows north→south
 *   building 18 = grid + 3-digit sequence within the grid
 *   unit     20 = building + 2-digit unit number (单元)
 *   house    24 = unit + 2-digit floor + 2-digit room
 */
import { createRng, type Rng } from './prng.ts';
import { getDivision, SEED_DISTRICT_CODES } from './divisions.ts';

export type BBox = { west: number; south: number; east: number; north: number };

export type EstateEra = 'old' | 'mid' | 'new';

export type DemoCommunity = {
  districtCode: string;
  code: string;
  name: string;
  streetCode: string;
  streetName: string;
  districtName: string;
  cityName: string;
  provinceName: string;
  centre: { lng: number; lat: number };
};

export type DemoEstate = {
  districtCode: string;
  key: string;
  communityCode: string;
  name: string;
  road: string;
  era: EstateEra;
  builtYear: number;
  gridCodes: string[];
  propertyCompanyKey: string;
};

export type DemoGrid = {
  districtCode: string;
  code: string;
  name: string;
  communityCode: string;
  seq: number;
  leader?: string;
  bbox: BBox;
};

export type DemoBuilding = {
  districtCode: string;
  code: string;
  gridCode: string;
  communityCode: string;
  estateKey: string;
  name: string;
  number: number;
  floors: number;
  unitsCount: number;
  roomsPerFloor: number;
  builtYear: number;
  hasLift: boolean;
  address: string;
  lng: number;
  lat: number;
};

export type DemoUnit = {
  districtCode: string;
  code: string;
  buildingCode: string;
  number: number;
  name: string;
};

export type HouseUse = 'self' | 'rented' | 'vacant' | 'business';

export type DemoHouse = {
  districtCode: string;
  code: string;
  unitCode: string;
  buildingCode: string;
  floor: number;
  room: number;
  roomLabel: string;
  area: number;
  use: HouseUse;
};

export type OrgKind = 'party' | 'department' | 'property_company' | 'owners_committee' | 'resident_unit' | 'social_org';

export type PartyLevel = 'street_committee' | 'community_committee' | 'estate_branch' | 'building_group';

export type DemoOrg = {
  districtCode: string;
  key: string;
  kind: OrgKind;
  level?: PartyLevel;
  name: string;
  parentKey?: string;
  territoryCode: string;
  estateKey?: string;
};

export type DemoTerritory = {
  seed: number;
  communities: DemoCommunity[];
  estates: DemoEstate[];
  grids: DemoGrid[];
  buildings: DemoBuilding[];
  units: DemoUnit[];
  houses: DemoHouse[];
  orgs: DemoOrg[];
};

type EstateSpec = {
  name: string;
  era: EstateEra;
  road: string;
  propertyCompany: string;
};

type CommunitySpec = Omit<DemoCommunity, 'districtCode'> & {
  buildingWord: '幢' | '栋';
  estates: EstateSpec[];
  residentUnits: string[];
  mediationRoom: string;
};

const SPECS: readonly CommunitySpec[] = [
  {
    code: '330212014027',
    name: '江城社区',
    streetCode: '330212014',
    streetName: '福明街道',
    districtName: '鄞州区',
    cityName: '宁波市',
    provinceName: '浙江省',
    centre: { lng: 121.59, lat: 29.87 },
    buildingWord: '幢',
    estates: [
      {
        name: '江城花园',
        era: 'old',
        road: '福明路',
        propertyCompany: '宁波江城物业管理有限公司',
      },
      {
        name: '福明新苑',
        era: 'mid',
        road: '福明路',
        propertyCompany: '宁波明州物业服务有限公司',
      },
      {
        name: '甬江名邸',
        era: 'new',
        road: '江南路',
        propertyCompany: '宁波甬江物业服务有限公司',
      },
      {
        name: '惊驾嘉园',
        era: 'mid',
        road: '惊驾路',
        propertyCompany: '宁波明州物业服务有限公司',
      },
    ],
    residentUnits: ['宁波市鄞州区江城小学', '福明街道社区卫生服务中心', '中国工商银行宁波福明支行'],
    mediationRoom: '江城社区和事佬调解工作室',
  },
  {
    code: '320402002005',
    name: '新丰苑社区',
    streetCode: '320402002',
    streetName: '青龙街道',
    districtName: '天宁区',
    cityName: '常州市',
    provinceName: '江苏省',
    centre: { lng: 119.975, lat: 31.79 },
    buildingWord: '幢',
    estates: [
      {
        name: '新丰苑',
        era: 'mid',
        road: '新丰街',
        propertyCompany: '常州天宁物业管理有限公司',
      },
      {
        name: '新丰苑东区',
        era: 'old',
        road: '新丰街',
        propertyCompany: '常州天宁物业管理有限公司',
      },
      {
        name: '青龙苑',
        era: 'new',
        road: '龙锦路',
        propertyCompany: '常州龙城物业服务有限公司',
      },
      {
        name: '丰和家园',
        era: 'mid',
        road: '青洋北路',
        propertyCompany: '常州龙城物业服务有限公司',
      },
    ],
    residentUnits: ['常州市天宁区青龙实验小学', '青龙街道社区卫生服务中心', '江苏银行常州青龙支行'],
    mediationRoom: '新丰苑社区老娘舅调解工作室',
  },
  {
    code: '320402001003',
    name: '菱溪社区',
    streetCode: '320402001',
    streetName: '雕庄街道',
    districtName: '天宁区',
    cityName: '常州市',
    provinceName: '江苏省',
    centre: { lng: 119.985, lat: 31.772 },
    buildingWord: '幢',
    estates: [
      {
        name: '菱溪新村',
        era: 'old',
        road: '采菱路',
        propertyCompany: '常州雕庄物业管理有限公司',
      },
      {
        name: '菱溪花园',
        era: 'mid',
        road: '雕庄路',
        propertyCompany: '常州雕庄物业管理有限公司',
      },
      {
        name: '采菱苑',
        era: 'new',
        road: '采菱路',
        propertyCompany: '常州菱溪物业服务有限公司',
      },
      {
        name: '雕庄公寓',
        era: 'old',
        road: '雕庄路',
        propertyCompany: '常州雕庄物业管理有限公司',
      },
    ],
    residentUnits: ['常州市天宁区雕庄中心小学', '雕庄街道社区卫生服务中心', '中国农业银行常州雕庄支行'],
    mediationRoom: '菱溪社区邻里调解工作室',
  },
  {
    code: '320412100012',
    name: '丰乐社区',
    streetCode: '320412100',
    streetName: '湖塘镇',
    districtName: '武进区',
    cityName: '常州市',
    provinceName: '江苏省',
    centre: { lng: 119.95, lat: 31.7 },
    buildingWord: '幢',
    estates: [
      {
        name: '丰乐公寓',
        era: 'old',
        road: '人民中路',
        propertyCompany: '常州武进湖塘物业管理有限公司',
      },
      {
        name: '丰乐新村',
        era: 'old',
        road: '丰乐路',
        propertyCompany: '常州武进湖塘物业管理有限公司',
      },
      {
        name: '湖塘花园',
        era: 'mid',
        road: '延政中路',
        propertyCompany: '常州武进丰乐物业服务有限公司',
      },
      {
        name: '星河名苑',
        era: 'new',
        road: '延政中路',
        propertyCompany: '常州星河物业服务有限公司',
      },
    ],
    residentUnits: ['常州市武进区湖塘桥实验小学', '湖塘镇社区卫生服务中心', '江南农村商业银行湖塘支行'],
    mediationRoom: '丰乐社区人民调解工作室',
  },
  {
    code: '530102001001',
    name: '翠湖西路社区',
    streetCode: '530102001',
    streetName: '华山街道',
    districtName: '五华区',
    cityName: '昆明市',
    provinceName: '云南省',
    centre: { lng: 102.7, lat: 25.047 },
    buildingWord: '栋',
    estates: [
      {
        name: '翠湖西路小区',
        era: 'old',
        road: '翠湖西路',
        propertyCompany: '昆明五华物业管理有限公司',
      },
      {
        name: '钱局街小区',
        era: 'old',
        road: '钱局街',
        propertyCompany: '昆明五华物业管理有限公司',
      },
      {
        name: '文林苑',
        era: 'mid',
        road: '文林街',
        propertyCompany: '昆明春城物业服务有限公司',
      },
      {
        name: '翠湖印象',
        era: 'new',
        road: '建设路',
        propertyCompany: '昆明滇池物业服务有限公司',
      },
    ],
    residentUnits: ['昆明市五华区文林街小学', '华山街道社区卫生服务中心', '中国建设银行昆明翠湖支行'],
    mediationRoom: '翠湖西路社区人民调解工作室',
  },
  {
    code: '530102001002',
    name: '水晶宫社区',
    streetCode: '530102001',
    streetName: '华山街道',
    districtName: '五华区',
    cityName: '昆明市',
    provinceName: '云南省',
    centre: { lng: 102.708, lat: 25.041 },
    buildingWord: '栋',
    estates: [
      {
        name: '水晶宫小区',
        era: 'old',
        road: '华山西路',
        propertyCompany: '昆明五华物业管理有限公司',
      },
      {
        name: '五华山宿舍',
        era: 'old',
        road: '华山南路',
        propertyCompany: '昆明五华物业管理有限公司',
      },
      {
        name: '华山西苑',
        era: 'mid',
        road: '华山西路',
        propertyCompany: '昆明春城物业服务有限公司',
      },
      {
        name: '圆通花园',
        era: 'new',
        road: '圆通街',
        propertyCompany: '昆明滇池物业服务有限公司',
      },
    ],
    residentUnits: ['昆明市五华区华山小学', '云南省图书馆', '富滇银行华山支行'],
    mediationRoom: '水晶宫社区人民调解工作室',
  },
];

/** The demo communities' 12-digit codes. */
export const DEMO_COMMUNITIES: readonly string[] = SPECS.map((s) => s.code);

/** Names and places of the demo communities (real, as in the division extract). */
export const DEMO_COMMUNITY_INFO: readonly DemoCommunity[] = SPECS.map((s) => communityInfo(s));

function communityInfo(s: CommunitySpec): DemoCommunity {
  return {
    districtCode: s.code.slice(0, 6),
    code: s.code,
    name: s.name,
    streetCode: s.streetCode,
    streetName: s.streetName,
    districtName: s.districtName,
    cityName: s.cityName,
    provinceName: s.provinceName,
    centre: { ...s.centre },
  };
}

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红玉兰文斌海燕志梅';

function personName(rng: Rng): string {
  const surname = SURNAMES[rng.int(0, SURNAMES.length - 1)];
  const len = rng.chance(0.7) ? 2 : 1;
  let given = '';
  for (let i = 0; i < len; i++) given += GIVEN[rng.int(0, GIVEN.length - 1)];
  return surname + given;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');
const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;
const round1 = (x: number): number => Math.round(x * 10) / 10;

/** Splits [0, 1] into n parts of jittered width, returning n + 1 edges. */
function jitteredEdges(rng: Rng, n: number): number[] {
  const weights = Array.from({ length: n }, () => rng.float(0.7, 1.3));
  const total = weights.reduce((a, b) => a + b, 0);
  const edges = [0];
  let acc = 0;
  for (const w of weights) {
    acc += w / total;
    edges.push(acc);
  }
  edges[n] = 1;
  return edges;
}

/** Degrees of one grid's nominal width (lng) and height (lat): roughly 350 m × 280 m. */
const GRID_DLNG = 0.0036;
const GRID_DLAT = 0.0025;

type EraProfile = {
  builtYear: [number, number];
  floors: readonly number[];
  buildingsPerGrid: [number, number];
  units: [number, number];
  rooms: [number, number];
  area: [number, number];
};

const ERA: Record<EstateEra, EraProfile> = {
  old: {
    builtYear: [1986, 1999],
    floors: [5, 6, 6, 7],
    buildingsPerGrid: [3, 6],
    units: [2, 3],
    rooms: [2, 2],
    area: [48, 88],
  },
  mid: {
    builtYear: [2000, 2010],
    floors: [6, 7, 9, 11],
    buildingsPerGrid: [3, 4],
    units: [1, 2],
    rooms: [2, 3],
    area: [70, 125],
  },
  new: {
    builtYear: [2011, 2019],
    floors: [11, 15, 17, 18],
    buildingsPerGrid: [3, 3],
    units: [1, 1],
    rooms: [2, 4],
    area: [88, 145],
  },
};

function propertyKey(districtCode: string, company: string, companies: Map<string, string>): string {
  const id = `${districtCode}|${company}`;
  let key = companies.get(id);
  if (!key) {
    key = `property:${districtCode}:${pad(companies.size + 1, 2)}`;
    companies.set(id, key);
  }
  return key;
}

/** The demo territory for a seed. Pure and deterministic. */
export function generateDemoTerritory(seed = 1): DemoTerritory {
  const t: DemoTerritory = {
    seed,
    communities: [],
    estates: [],
    grids: [],
    buildings: [],
    units: [],
    houses: [],
    orgs: [],
  };
  const orgKeys = new Set<string>();
  const addOrg = (o: DemoOrg): void => {
    if (orgKeys.has(o.key)) return; // shared orgs (a street's committee, a district's departments)
    orgKeys.add(o.key);
    t.orgs.push(o);
  };
  const companies = new Map<string, string>();

  for (const spec of SPECS) {
    const rng = createRng(seed, spec.code);
    const info = communityInfo(spec);
    const districtCode = info.districtCode;
    t.communities.push(info);

    // --- party chain above the community, departments of the district -------------
    const isTown = spec.streetName.endsWith('镇');
    const streetPartyKey = `party:${spec.streetCode}`;
    addOrg({
      districtCode,
      key: streetPartyKey,
      kind: 'party',
      level: 'street_committee',
      name: `${spec.streetName}${isTown ? '党委' : '党工委'}`,
      territoryCode: spec.streetCode,
    });
    const communityPartyKey = `party:${spec.code}`;
    addOrg({
      districtCode,
      key: communityPartyKey,
      kind: 'party',
      level: 'community_committee',
      name: `${spec.name}大党委`,
      parentKey: streetPartyKey,
      territoryCode: spec.code,
    });
    const d = spec.districtName;
    for (const o of districtDepartments(districtCode, d)) addOrg(o);
    const streetShort = spec.streetName.replace(/(街道|镇|乡)$/, '');
    addOrg({
      districtCode,
      key: `dept:${spec.streetCode}:police`,
      kind: 'department',
      name: `${spec.cityName}公安局${d.replace(/区$/, '')}分局${streetShort}派出所`,
      territoryCode: spec.streetCode,
    });

    // --- grids: rows north→south, columns west→east -------------------------------
    const gridCount = rng.int(4, 6);
    const rows = gridCount <= 4 ? 2 : rng.chance(0.5) ? 2 : 3;
    const perRow = Array.from({ length: rows }, (_, r) => Math.floor(gridCount / rows) + (r < gridCount % rows ? 1 : 0));
    const maxCols = Math.max(...perRow);
    const width = GRID_DLNG * maxCols;
    const height = GRID_DLAT * rows;
    const west0 = spec.centre.lng - width / 2;
    const north0 = spec.centre.lat + height / 2;
    const rowEdges = jitteredEdges(rng, rows);
    const communityGrids: DemoGrid[] = [];
    for (let r = 0; r < rows; r++) {
      const north = north0 - rowEdges[r] * height;
      const south = north0 - rowEdges[r + 1] * height;
      const colEdges = jitteredEdges(rng, perRow[r]);
      for (let c = 0; c < perRow[r]; c++) {
        const seq = communityGrids.length + 1;
        const grid: DemoGrid = {
          districtCode,
          code: spec.code + pad(seq, 3),
          name: `${spec.name}第${seq}网格`,
          communityCode: spec.code,
          seq,
          bbox: {
            west: round6(west0 + colEdges[c] * width),
            south: round6(south),
            east: round6(west0 + colEdges[c + 1] * width),
            north: round6(north),
          },
        };
        // About one grid in ten waits for a grid worker (a vacancy to fill).
        if (!rng.chance(0.1)) grid.leader = personName(rng);
        communityGrids.push(grid);
      }
    }
    t.grids.push(...communityGrids);

    // --- estates: contiguous runs of grids -----------------------------------------
    const estateCount = Math.min(spec.estates.length, gridCount);
    const gridsPerEstate = Array<number>(estateCount).fill(1);
    for (let extra = gridCount - estateCount; extra > 0; extra--) {
      gridsPerEstate[rng.int(0, estateCount - 1)]++;
    }
    let nextGrid = 0;
    for (let e = 0; e < estateCount; e++) {
      const es = spec.estates[e];
      const era = ERA[es.era];
      const estateKey = `estate:${spec.code}:${pad(e + 1, 2)}`;
      const estateGrids = communityGrids.slice(nextGrid, nextGrid + gridsPerEstate[e]);
      nextGrid += gridsPerEstate[e];
      const builtYear = rng.int(era.builtYear[0], era.builtYear[1]);
      const estate: DemoEstate = {
        districtCode,
        key: estateKey,
        communityCode: spec.code,
        name: es.name,
        road: es.road,
        era: es.era,
        builtYear,
        gridCodes: estateGrids.map((g) => g.code),
        propertyCompanyKey: propertyKey(districtCode, es.propertyCompany, companies),
      };
      t.estates.push(estate);
      addOrg({
        districtCode,
        key: estate.propertyCompanyKey,
        kind: 'property_company',
        name: es.propertyCompany,
        territoryCode: districtCode,
      });
      addOrg({
        districtCode,
        key: `owners:${spec.code}:${pad(e + 1, 2)}`,
        kind: 'owners_committee',
        name: `${es.name}业主委员会`,
        territoryCode: spec.code,
        estateKey,
      });
      const branchKey = `party:${spec.code}:e${pad(e + 1, 2)}`;
      addOrg({
        districtCode,
        key: branchKey,
        kind: 'party',
        level: 'estate_branch',
        name: `${es.name}${es.name.endsWith('小区') ? '' : '小区'}党支部`,
        parentKey: communityPartyKey,
        territoryCode: spec.code,
        estateKey,
      });

      // --- buildings, units, houses ---------------------------------------------
      const estateBuildings: DemoBuilding[] = [];
      for (const grid of estateGrids) {
        const count = rng.int(era.buildingsPerGrid[0], era.buildingsPerGrid[1]);
        for (let b = 1; b <= count; b++) {
          const number = estateBuildings.length + 1;
          const floors = rng.pick(era.floors);
          const unitsCount = rng.int(era.units[0], era.units[1]);
          const roomsPerFloor = rng.int(era.rooms[0], era.rooms[1]);
          const name = `${number}${spec.buildingWord}`;
          const { west, south, east, north } = grid.bbox;
          const building: DemoBuilding = {
            districtCode,
            code: grid.code + pad(b, 3),
            gridCode: grid.code,
            communityCode: spec.code,
            estateKey,
            name,
            number,
            floors,
            unitsCount,
            roomsPerFloor,
            builtYear: Math.min(builtYear + rng.int(0, 2), 2020),
            // Lifts are required from 7 floors up; newer mid-rise estates often have them too.
            hasLift: es.era !== 'old' && (floors >= 7 || rng.chance(0.3)),
            address: `${spec.cityName}${spec.districtName}${spec.streetName}${spec.name}${es.name}${name}`,
            lng: round6(west + (east - west) * rng.float(0.1, 0.9)),
            lat: round6(south + (north - south) * rng.float(0.1, 0.9)),
          };
          estateBuildings.push(building);
          t.buildings.push(building);

          // Buildings on the street side of old and mid estates have shops on the ground floor.
          const streetFront = es.era !== 'new' && b === 1 && rng.chance(0.6);
          // One floor plan per stack: the same room number has the same area on every floor.
          const plan = Array.from({ length: roomsPerFloor }, (_, i) => {
            const end = i === 0 || i === roomsPerFloor - 1;
            return rng.float(era.area[0], era.area[1]) * (end ? 1.08 : 1);
          });
          for (let u = 1; u <= unitsCount; u++) {
            const unit: DemoUnit = {
              districtCode,
              code: building.code + pad(u, 2),
              buildingCode: building.code,
              number: u,
              name: `${u}单元`,
            };
            t.units.push(unit);
            for (let floor = 1; floor <= floors; floor++) {
              for (let room = 1; room <= roomsPerFloor; room++) {
                let area = plan[room - 1];
                if (floor === floors && es.era === 'new' && room === 1) area *= 1.35; // top-floor duplex
                let use: HouseUse;
                if (streetFront && floor === 1 && rng.chance(0.75)) use = 'business';
                else {
                  const x = rng.next();
                  use = x < 0.08 ? 'vacant' : x < 0.29 ? 'rented' : 'self';
                }
                t.houses.push({
                  districtCode,
                  code: unit.code + pad(floor, 2) + pad(room, 2),
                  unitCode: unit.code,
                  buildingCode: building.code,
                  floor,
                  room,
                  roomLabel: `${floor}${pad(room, 2)}`,
                  area: round1(Math.min(160, Math.max(45, area))),
                  use,
                });
              }
            }
          }
        }
      }

      // A few building party groups per estate.
      const groupCount = Math.min(estateBuildings.length, rng.int(2, 3));
      const chosen = rng
        .shuffle(estateBuildings)
        .slice(0, groupCount)
        .sort((a, b) => (a.code < b.code ? -1 : 1));
      for (const b of chosen) {
        addOrg({
          districtCode,
          key: `party:${b.code}`,
          kind: 'party',
          level: 'building_group',
          name: `${es.name}${b.name}党小组`,
          parentKey: branchKey,
          territoryCode: b.code,
          estateKey,
        });
      }
    }

    // --- resident units and social organisations ---------------------------------
    spec.residentUnits.forEach((name, i) =>
      addOrg({
        districtCode,
        key: `unit:${spec.code}:${pad(i + 1, 2)}`,
        kind: 'resident_unit',
        name,
        territoryCode: spec.code,
      }),
    );
    for (const [id, name] of [
      ['elderly', `${spec.name}老年协会`],
      ['mediation', spec.mediationRoom],
      ['volunteers', `${spec.name}志愿服务队`],
    ] as const) {
      addOrg({
        districtCode,
        key: `social:${spec.code}:${id}`,
        kind: 'social_org',
        name,
        territoryCode: spec.code,
      });
    }
  }
  // Seed districts without demo communities (道里区, 钟楼区, 新北区, 金坛区) still get their
  // departments and the district police bureau, so work can be routed to them once they add places.
  for (const code of SEED_DISTRICT_CODES) {
    if (orgKeys.has(`dept:${code}:market`)) continue;
    const district = getDivision(code);
    const city = getDivision(`${code.slice(0, 4)}00`);
    if (!district || !city) continue;
    for (const o of districtDepartments(code, district.name)) addOrg(o);
    addOrg({
      districtCode: code,
      key: `dept:${code}:police`,
      kind: 'department',
      name: `${city.name}公安局${district.name.replace(/区$/, '')}分局`,
      territoryCode: code,
    });
  }
  return t;
}

/** The departments every district has (城管, 市场监管, 住建, 民政, 卫健, 应急), keyed per district. */
function districtDepartments(districtCode: string, districtName: string): DemoOrg[] {
  return (
    [
      ['law-enforcement', `${districtName}综合行政执法局（城管）`],
      ['market', `${districtName}市场监督管理局`],
      ['housing', `${districtName}住房和城乡建设局`],
      ['civil-affairs', `${districtName}民政局`],
      ['health', `${districtName}卫生健康局`],
      ['emergency', `${districtName}应急管理局`],
    ] as const
  ).map(([id, name]) => ({
    districtCode,
    key: `dept:${districtCode}:${id}`,
    kind: 'department' as const,
    name,
    territoryCode: districtCode,
  }));
}

export type DemoSummary = {
  communities: number;
  estates: number;
  grids: number;
  buildings: number;
  units: number;
  houses: number;
  orgs: number;
  orgsByKind: Record<OrgKind, number>;
  housesByUse: Record<HouseUse, number>;
};

/** Row counts of a demo territory. */
export function demoSummary(t: DemoTerritory): DemoSummary {
  const orgsByKind: Record<OrgKind, number> = {
    party: 0,
    department: 0,
    property_company: 0,
    owners_committee: 0,
    resident_unit: 0,
    social_org: 0,
  };
  for (const o of t.orgs) orgsByKind[o.kind]++;
  const housesByUse: Record<HouseUse, number> = {
    self: 0,
    rented: 0,
    vacant: 0,
    business: 0,
  };
  for (const h of t.houses) housesByUse[h.use]++;
  return {
    communities: t.communities.length,
    estates: t.estates.length,
    grids: t.grids.length,
    buildings: t.buildings.length,
    units: t.units.length,
    houses: t.houses.length,
    orgs: t.orgs.length,
    orgsByKind,
    housesByUse,
  };
}
