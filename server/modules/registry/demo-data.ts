/**
 * Deterministic demo residents for the demo territory (MISSION R1, issue 3 §7): households in
 * every occupied house, owners who live elsewhere for rented and vacant flats, tenants, shops on
 * the ground floors, firms, vehicles, tenancies and a few visitors.
 *
 * Pure: no I/O, no clock. `today` fixes ages. ID numbers are valid GB 11643 numbers whose
 * region prefixes are real division codes (local for most registered residents, other
 * provinces for migrants); credit codes and plates pass their validators.
 */
import { createRng, type Rng } from '../territory/prng.ts';
import type { DemoTerritory } from '../territory/demo-data.ts';
import { makeIdNumber } from './id-number.ts';
import { makeCreditCode, CREDIT_CHARS } from './validators.ts';
import type { HouseRelation, IdType, Residency, UnitType, VehicleType } from '../../db/types.ts';

export interface DemoPerson {
  key: string;
  districtCode: string;
  communityCode: string;
  houseCode: string | null;
  name: string;
  idType: IdType;
  idNumber: string;
  gender: 'M' | 'F';
  birthDate: string;
  phone: string | null;
  ethnicity: string;
  householdPlace: string;
  residency: Residency;
  tags: { tag: string; level: string | null }[];
  userName?: string;
}

export interface DemoLink {
  personKey: string;
  districtCode: string;
  houseCode: string;
  relation: HouseRelation;
  headRelation: string;
  resides: boolean;
  share: number | null;
  moveIn: string;
}

export interface DemoOrgUnit {
  key: string;
  districtCode: string;
  communityCode: string;
  houseCode: string | null;
  name: string;
  creditCode: string;
  unitType: UnitType;
  industry: string;
  address: string;
  contactName: string;
  contactPhone: string;
  employees: number;
}

export interface DemoVehicle {
  districtCode: string;
  communityCode: string;
  houseCode: string | null;
  plate: string;
  plateKind: 'ordinary' | 'new_energy';
  vehicleType: VehicleType;
  brand: string;
  color: string;
  ownerKey: string | null;
  parking: string;
}

export interface DemoTenancy {
  districtCode: string;
  houseCode: string;
  landlordKey: string;
  tenantKey: string;
  startDate: string;
  endDate: string;
}

export interface DemoVisitor {
  districtCode: string;
  communityCode: string;
  houseCode: string;
  name: string;
  phone: string;
  purpose: string;
  plate: string | null;
  hoursAgo: number;
  stayedHours: number | null;
}

export interface DemoRegistry {
  persons: DemoPerson[];
  links: DemoLink[];
  units: DemoOrgUnit[];
  vehicles: DemoVehicle[];
  tenancies: DemoTenancy[];
  visitors: DemoVisitor[];
}

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const MALE = [
  '伟',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '杰',
  '涛',
  '明',
  '超',
  '刚',
  '平',
  '辉',
  '鹏',
  '建国',
  '建华',
  '国强',
  '志强',
  '海涛',
  '文斌',
  '俊杰',
  '浩然',
  '子轩',
  '宇航',
  '晨阳',
  '国平',
  '德明',
  '振华',
  '永福',
  '家豪',
  '一鸣',
  '博文',
  '天佑',
  '立新',
  '卫东',
  '红兵',
  '建军',
  '金华',
  '宏伟',
  '思远',
];
const FEMALE = [
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '艳',
  '娟',
  '霞',
  '燕',
  '玲',
  '桂英',
  '秀英',
  '玉兰',
  '秀兰',
  '丽华',
  '美玲',
  '雪梅',
  '晓燕',
  '春梅',
  '海燕',
  '婷婷',
  '欣怡',
  '梓涵',
  '诗涵',
  '雨桐',
  '佳怡',
  '慧敏',
  '淑珍',
  '凤英',
  '翠花',
  '小红',
  '晓丽',
  '晶晶',
  '思琪',
  '若曦',
  '金凤',
  '月华',
  '素琴',
  '彩霞',
  '梦瑶',
];

/** Real district codes other provinces' migrants come from. */
const MIGRANT_REGIONS = [
  '341202',
  '341221',
  '411302',
  '511623',
  '510722',
  '430524',
  '420281',
  '530381',
  '320321',
  '371302',
  '330326',
  '340323',
  '410523',
  '500235',
];
const MOBILE_PREFIXES = [
  '130',
  '131',
  '132',
  '133',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '153',
  '155',
  '156',
  '157',
  '158',
  '159',
  '166',
  '177',
  '180',
  '182',
  '186',
  '187',
  '188',
  '189',
  '199',
];

const CITY = {
  '330212': { plate: '浙B', province: '浙江省', city: '宁波市', district: '鄞州区', ethnic: ['汉族'] },
  '320402': { plate: '苏D', province: '江苏省', city: '常州市', district: '天宁区', ethnic: ['汉族'] },
  '320412': { plate: '苏D', province: '江苏省', city: '常州市', district: '武进区', ethnic: ['汉族'] },
  '530102': {
    plate: '云A',
    province: '云南省',
    city: '昆明市',
    district: '五华区',
    ethnic: ['汉族', '汉族', '汉族', '彝族', '白族', '回族', '哈尼族'],
  },
} as Record<string, { plate: string; province: string; city: string; district: string; ethnic: string[] }>;

const SHOPS = [
  ['便利店', '零售业'],
  ['水果店', '零售业'],
  ['理发店', '居民服务业'],
  ['面馆', '餐饮业'],
  ['早餐店', '餐饮业'],
  ['药店', '医药零售'],
  ['五金店', '零售业'],
  ['洗衣店', '居民服务业'],
  ['快递驿站', '邮政快递'],
  ['彩票店', '零售业'],
] as const;
const FIRMS = ['科技有限公司', '贸易有限公司', '物业服务有限公司', '文化传媒有限公司', '建筑装饰工程有限公司', '餐饮管理有限公司'];
const FIRM_WORDS = ['恒信', '联创', '嘉禾', '华盛', '瑞丰', '德润', '启航', '明达', '博远', '同心', '安居', '甬兴'];
const BRANDS = ['大众', '丰田', '本田', '别克', '吉利', '比亚迪', '长安', '日产', '奥迪', '宝马', '五菱', '特斯拉', '理想', '蔚来'];
const COLORS = ['白色', '黑色', '银色', '灰色', '蓝色', '红色'];
const PLATE_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const VISIT_PURPOSES = ['探亲', '访友', '送货', '维修', '家政服务', '看房'];

const pad = (n: number, w: number) => String(n).padStart(w, '0');

function addYears(date: string, years: number) {
  return `${pad(Number(date.slice(0, 4)) + years, 4)}${date.slice(4)}`;
}

function birthFor(rng: Rng, today: string, age: number): string {
  const y = Number(today.slice(0, 4)) - age - (rng.chance(0.5) ? 1 : 0);
  const m = rng.int(1, 12);
  const d = rng.int(1, 28);
  const date = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
  return date > today ? today : date;
}

function givenName(rng: Rng, gender: 'M' | 'F') {
  return rng.pick(gender === 'M' ? MALE : FEMALE);
}

function mobile(rng: Rng) {
  return rng.pick(MOBILE_PREFIXES) + pad(rng.int(0, 99_999_999), 8);
}

/** Adult head-of-household age: a pyramid leaning old, as in established estates. */
function headAge(rng: Rng): number {
  const r = rng.next();
  if (r < 0.12) return rng.int(24, 34);
  if (r < 0.36) return rng.int(35, 49);
  if (r < 0.62) return rng.int(50, 61);
  if (r < 0.86) return rng.int(62, 76);
  return rng.int(77, 93);
}

function orgCode(rng: Rng): string {
  // GB 11714 organisation code: 8 characters + check (weights 3,7,9,10,5,8,4,2; mod 11).
  const digits = Array.from({ length: 8 }, () => rng.int(0, 9));
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  const c = 11 - (digits.reduce((s, d, i) => s + d * weights[i], 0) % 11);
  return digits.join('') + (c === 10 ? 'X' : c === 11 ? '0' : String(c));
}

function creditCode(rng: Rng, kind: '91' | '92' | '52', region: string): string {
  let body = orgCode(rng);
  if (!/^[0-9A-Y]+$/.test(body) || [...body].some((c) => !CREDIT_CHARS.includes(c))) body = body.replace(/[^0-9]/g, '0');
  return makeCreditCode(`${kind}${region}${body}`);
}

function plateFor(rng: Rng, prefix: string, newEnergy: boolean): string {
  if (newEnergy) return `${prefix}${rng.pick(['D', 'F'])}${rng.pick([...'ABCDEFGHJK0123456789'])}${pad(rng.int(0, 9999), 4)}`;
  const serial = Array.from({ length: 5 }, (_, i) =>
    i < 2 && rng.chance(0.3) ? rng.pick([...PLATE_LETTERS]) : String(rng.int(0, 9)),
  ).join('');
  return `${prefix}${serial}`;
}

export function generateDemoRegistry(t: DemoTerritory, seed: number, today: string): DemoRegistry {
  const out: DemoRegistry = { persons: [], links: [], units: [], vehicles: [], tenancies: [], visitors: [] };
  const usedIds = new Set<string>();
  const usedPlates = new Set<string>();
  const seqByKey = new Map<string, number>();
  const buildingOf = new Map(t.buildings.map((b) => [b.code, b]));
  const unitOf = new Map(t.units.map((u) => [u.code, u]));

  const newPerson = (rng: Rng, p: Omit<DemoPerson, 'key' | 'idNumber' | 'idType'> & { region: string }): DemoPerson => {
    // Sequence parity carries the gender; a clash with an earlier number takes the next one.
    let seq = rng.int(0, 498) * 2 + (p.gender === 'M' ? 1 : 0);
    let id = makeIdNumber(p.region, p.birthDate, seq);
    while (usedIds.has(id)) {
      seq = (seq + 2) % 1000;
      id = makeIdNumber(p.region, p.birthDate, seq);
    }
    usedIds.add(id);
    const key = `p${out.persons.length + 1}`;
    const { region: _region, ...rest } = p;
    void _region;
    const person: DemoPerson = { ...rest, key, idType: 'resident', idNumber: id };
    out.persons.push(person);
    return person;
  };

  for (const house of t.houses) {
    const rng = createRng(seed, 'registry', house.code);
    const district = house.districtCode;
    const city = CITY[district] ?? CITY['330212'];
    const community = house.code.slice(0, 12);
    const building = buildingOf.get(house.buildingCode)!;
    const unit = unitOf.get(house.unitCode)!;
    const localPlace = `${city.province}${city.city}${city.district}`;
    const local = (age: number) => ({
      region: age > 45 && rng.chance(0.3) ? `${district.slice(0, 4)}00` : district,
      householdPlace: localPlace,
      residency: 'registered' as Residency,
    });
    const moveInYear = Math.max(building.builtYear, Number(today.slice(0, 4)) - rng.int(0, 30));
    const moveIn = `${moveInYear}-${pad(rng.int(1, 12), 2)}-${pad(rng.int(1, 28), 2)}`;

    if (house.use === 'business') {
      const [kind, industry] = rng.pick(SHOPS);
      const ownerName = rng.pick([...SURNAMES]) + givenName(rng, rng.chance(0.5) ? 'M' : 'F');
      out.units.push({
        key: `u${out.units.length + 1}`,
        districtCode: district,
        communityCode: community,
        houseCode: house.code,
        name: `${building.address.replace(/^.*?(社区|村)/, '').slice(0, 8)}${ownerName.slice(0, 1)}记${kind}`,
        creditCode: creditCode(rng, '92', district),
        unitType: 'individual',
        industry,
        address: `${building.address}${unit.name}${house.roomLabel}室`,
        contactName: ownerName,
        contactPhone: mobile(rng),
        employees: rng.int(1, 6),
      });
      continue;
    }

    // The owner household.
    const ownerAge = headAge(rng);
    const ownerGender: 'M' | 'F' = rng.chance(0.55) ? 'M' : 'F';
    const surname = rng.pick([...SURNAMES]);
    const ownerLives = house.use === 'self';
    const owner = newPerson(rng, {
      districtCode: district,
      communityCode: community,
      houseCode: ownerLives ? house.code : null,
      name: surname + givenName(rng, ownerGender),
      gender: ownerGender,
      birthDate: birthFor(rng, today, ownerAge),
      phone: rng.chance(ownerAge > 80 ? 0.4 : 0.92) ? mobile(rng) : null,
      ethnicity: rng.pick(city.ethnic),
      ...local(ownerAge),
      tags: [],
    });
    const ownerLink: DemoLink = {
      personKey: owner.key,
      districtCode: district,
      houseCode: house.code,
      relation: 'owner',
      headRelation: ownerLives ? '户主' : '',
      resides: ownerLives,
      share: 1,
      moveIn,
    };
    out.links.push(ownerLink);
    const household: DemoPerson[] = [owner];

    if (ownerLives) {
      const r = rng.next();
      const alone = ownerAge >= 60 ? r < 0.22 : r < 0.1;
      if (!alone) {
        // Spouse, often co-owner.
        const spouseGender: 'M' | 'F' = ownerGender === 'M' ? 'F' : 'M';
        const spouseAge = Math.max(20, ownerAge + rng.int(-4, 3));
        const spouse = newPerson(rng, {
          districtCode: district,
          communityCode: community,
          houseCode: house.code,
          name: rng.pick([...SURNAMES]) + givenName(rng, spouseGender),
          gender: spouseGender,
          birthDate: birthFor(rng, today, spouseAge),
          phone: rng.chance(spouseAge > 80 ? 0.35 : 0.9) ? mobile(rng) : null,
          ethnicity: rng.pick(city.ethnic),
          ...local(spouseAge),
          tags: [],
        });
        household.push(spouse);
        const coOwned = rng.chance(0.5);
        if (coOwned) ownerLink.share = 0.5;
        out.links.push({
          personKey: spouse.key,
          districtCode: district,
          houseCode: house.code,
          relation: coOwned ? 'owner' : 'family',
          headRelation: '配偶',
          resides: true,
          share: coOwned ? 0.5 : null,
          moveIn,
        });
        // Children living at home when the parents are younger; grandchildren sometimes with grandparents.
        const kids = ownerAge < 55 ? rng.int(0, 2) : ownerAge < 70 && rng.chance(0.35) ? 1 : 0;
        for (let k = 0; k < kids; k++) {
          const kidAge = Math.max(0, Math.min(ownerAge - 22 - rng.int(0, 8), ownerAge < 55 ? 30 : 45));
          const g: 'M' | 'F' = rng.chance(0.52) ? 'M' : 'F';
          const kid = newPerson(rng, {
            districtCode: district,
            communityCode: community,
            houseCode: house.code,
            name: (ownerGender === 'M' ? surname : spouse.name[0]) + givenName(rng, g),
            gender: g,
            birthDate: birthFor(rng, today, kidAge),
            phone: kidAge >= 16 && rng.chance(0.9) ? mobile(rng) : null,
            ethnicity: owner.ethnicity,
            region: district,
            householdPlace: localPlace,
            residency: 'registered',
            tags: [],
          });
          household.push(kid);
          out.links.push({
            personKey: kid.key,
            districtCode: district,
            houseCode: house.code,
            relation: 'family',
            headRelation: '子女',
            resides: true,
            share: null,
            moveIn,
          });
        }
        if (ownerAge >= 60 && ownerAge < 75 && rng.chance(0.12)) {
          const grandAge = rng.int(3, 14);
          const g: 'M' | 'F' = rng.chance(0.5) ? 'M' : 'F';
          const grandchild = newPerson(rng, {
            districtCode: district,
            communityCode: community,
            houseCode: house.code,
            name: surname + givenName(rng, g),
            gender: g,
            birthDate: birthFor(rng, today, grandAge),
            phone: null,
            ethnicity: owner.ethnicity,
            region: district,
            householdPlace: localPlace,
            residency: 'registered',
            tags: rng.chance(0.3) ? [{ tag: '留守儿童', level: null }] : [],
          });
          household.push(grandchild);
          out.links.push({
            personKey: grandchild.key,
            districtCode: district,
            houseCode: house.code,
            relation: 'family',
            headRelation: '孙子女',
            resides: true,
            share: null,
            moveIn,
          });
        }
        const elders = household.filter((p) => ageOfBirth(p.birthDate, today) >= 60);
        if (household.length === 2 && elders.length === 2) for (const p of elders) p.tags.push({ tag: '空巢', level: null });
      } else if (ownerAge >= 60) owner.tags.push({ tag: '独居', level: null });
    }

    // Tenants in rented flats; some rented flats have nobody registered (R5's list).
    if (house.use === 'rented' && rng.chance(0.85)) {
      const count = rng.chance(0.5) ? 1 : rng.int(2, 3);
      const tenants: DemoPerson[] = [];
      const tenantSurname = rng.pick([...SURNAMES]);
      const region = rng.chance(0.7) ? rng.pick(MIGRANT_REGIONS) : district;
      for (let i = 0; i < count; i++) {
        const age = i === 0 ? rng.int(22, 45) : rng.int(1, 45);
        const g: 'M' | 'F' = rng.chance(0.55) ? 'M' : 'F';
        const tenant = newPerson(rng, {
          districtCode: district,
          communityCode: community,
          houseCode: house.code,
          name: (i > 0 && age < 18 ? tenantSurname : i === 0 ? tenantSurname : rng.pick([...SURNAMES])) + givenName(rng, g),
          gender: g,
          birthDate: birthFor(rng, today, age),
          phone: age >= 16 ? mobile(rng) : null,
          ethnicity: rng.pick(city.ethnic),
          region,
          householdPlace: region === district ? localPlace : '外省市',
          residency: region === district ? 'registered' : 'migrant',
          tags: [],
        });
        tenants.push(tenant);
        household.push(tenant);
        out.links.push({
          personKey: tenant.key,
          districtCode: district,
          houseCode: house.code,
          relation: 'tenant',
          headRelation: i === 0 ? '户主' : age < 18 ? '子女' : '非亲属',
          resides: true,
          share: null,
          moveIn: `${Number(today.slice(0, 4)) - rng.int(0, 3)}-${pad(rng.int(1, 12), 2)}-01`,
        });
      }
      const start = `${Number(today.slice(0, 4)) - rng.int(0, 1)}-${pad(rng.int(1, 12), 2)}-01`;
      const end = rng.chance(0.12) ? addDays(today, rng.int(3, 28)) : addYears(start, rng.chance(0.5) ? 1 : 2);
      out.tenancies.push({
        districtCode: district,
        houseCode: house.code,
        landlordKey: owner.key,
        tenantKey: tenants[0].key,
        startDate: start,
        endDate: end < start ? addYears(start, 1) : end,
      });
    }

    // Tags set by the community: subsistence allowance, disability, veterans, party members, volunteers.
    for (const p of household) {
      const age = ageOfBirth(p.birthDate, today);
      if (rng.chance(0.02)) p.tags.push({ tag: '低保', level: null });
      if (age >= 60 && rng.chance(0.004)) p.tags.push({ tag: '特困', level: null });
      if (rng.chance(0.03)) p.tags.push({ tag: '残疾', level: rng.pick(['一级', '二级', '三级', '四级']) });
      if (p.gender === 'M' && age >= 38 && rng.chance(0.05)) p.tags.push({ tag: '退役军人', level: null });
      if (age >= 18 && rng.chance(0.08)) p.tags.push({ tag: '党员', level: null });
      if (age >= 16 && age < 75 && rng.chance(0.05)) p.tags.push({ tag: '志愿者', level: null });
      if (age >= 60 && p.tags.some((t) => t.tag === '独居') && rng.chance(0.1)) p.tags.push({ tag: '失独', level: null });
    }

    // Vehicles: about a third of households.
    const driver = household.find((p) => {
      const a = ageOfBirth(p.birthDate, today);
      return a >= 22 && a < 75;
    });
    if (driver && rng.chance(0.36)) {
      const ne = rng.chance(0.22);
      let plate = plateFor(rng, city.plate, ne);
      while (usedPlates.has(plate)) plate = plateFor(rng, city.plate, ne);
      usedPlates.add(plate);
      const n = (seqByKey.get(community) ?? 0) + 1;
      seqByKey.set(community, n);
      out.vehicles.push({
        districtCode: district,
        communityCode: community,
        houseCode: driver.houseCode,
        plate,
        plateKind: ne ? 'new_energy' : 'ordinary',
        vehicleType: rng.chance(0.3) ? 'suv' : 'car',
        brand: ne ? rng.pick(['比亚迪', '特斯拉', '理想', '蔚来', '五菱', '吉利']) : rng.pick(BRANDS),
        color: rng.pick(COLORS),
        ownerKey: driver.key,
        parking: rng.chance(0.5) ? `地下车库 B1-${pad(n, 3)}` : `地面车位 ${pad(n, 3)}`,
      });
    }
  }

  // A few firms per community, seated at the community (no house).
  const communities = [...new Set(t.houses.map((h) => h.code.slice(0, 12)))];
  for (const community of communities) {
    const rng = createRng(seed, 'registry-firms', community);
    const district = community.slice(0, 6);
    const city = CITY[district] ?? CITY['330212'];
    const estate = t.estates.find((e) => e.communityCode === community);
    for (let i = 0; i < 4; i++) {
      const word = FIRM_WORDS[(i * 5 + rng.int(0, 11)) % FIRM_WORDS.length];
      out.units.push({
        key: `u${out.units.length + 1}`,
        districtCode: district,
        communityCode: community,
        houseCode: null,
        name: `${city.city.replace('市', '')}${word}${rng.pick(FIRMS)}`,
        creditCode: creditCode(rng, '91', district),
        unitType: 'enterprise',
        industry: rng.pick(['信息技术', '批发零售', '物业管理', '文化传媒', '建筑装饰', '餐饮']),
        address: `${city.city}${city.district}${estate?.road ?? ''}${rng.int(1, 300)}号`,
        contactName: rng.pick([...SURNAMES]) + givenName(rng, rng.chance(0.5) ? 'M' : 'F'),
        contactPhone: mobile(rng),
        employees: rng.int(3, 120),
      });
    }
    // Visitors of the last days, at occupied houses.
    const occupied = out.links.filter((l) => l.resides && l.houseCode.startsWith(community));
    for (let i = 0; i < 6 && occupied.length; i++) {
      const l = rng.pick(occupied);
      const hoursAgo = rng.int(1, 72);
      out.visitors.push({
        districtCode: district,
        communityCode: community,
        houseCode: l.houseCode,
        name: rng.pick([...SURNAMES]) + givenName(rng, rng.chance(0.5) ? 'M' : 'F'),
        phone: mobile(rng),
        purpose: rng.pick(VISIT_PURPOSES),
        plate: rng.chance(0.3) ? plateFor(rng, city.plate, false) : null,
        hoursAgo,
        stayedHours: hoursAgo > 4 ? rng.int(1, 4) : null,
      });
    }
  }
  // The demo resident account (jc-resident, 居民 张阿姨) is an older woman living in 江城社区.
  const auntie = out.persons.find(
    (p) =>
      p.communityCode === '330212014027' &&
      p.houseCode &&
      p.gender === 'F' &&
      ageOfBirth(p.birthDate, today) >= 62 &&
      ageOfBirth(p.birthDate, today) <= 70,
  );
  if (auntie) {
    auntie.name = '张' + auntie.name.slice(1);
    auntie.userName = 'jc-resident';
  }
  return out;
}

export function ageOfBirth(birthDate: string, today: string) {
  const years = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return today.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

function addDays(date: string, days: number) {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
