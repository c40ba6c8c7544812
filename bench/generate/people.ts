import { loadDivisions } from '../../server/modules/territory/divisions.ts';
import type { Rng } from '../../server/modules/territory/prng.ts';
import { makeIdNumber } from '../../server/modules/registry/id-number.ts';
import { namePinyin } from '../../server/modules/registry/names.ts';
import { sealIdNumber, sealPhone } from '../../server/modules/registry/pii.ts';
import { DISABILITY_LEVELS } from '../../server/modules/registry/person-rules.ts';
import { textArray, type Cell } from './bulk.ts';
import { MIGRANT_PROVINCES, HOUSEHOLD_SIZES, TENANT_HOUSEHOLD_SIZES, ethnicity, givenName, weightedIndex } from './census.ts';
import { household, type Gender } from './households.ts';
import type { GenCommunity, GenHouse, TerritoryOutput } from './territory.ts';
import type { RecordGenerator } from './types.ts';

/**
 * Residents (实有人口) at scale, written into person, person_house and person_tag exactly as the
 * registry service writes them: ID numbers and phones sealed with the installation's keyring
 * (AES-256-GCM + HMAC blind index, server/modules/registry/pii.ts), pinyin and initials from
 * namePinyin, the person's path = their house's path. People live in households in the houses
 * the territory generator made: owners (业主) in self-occupied houses, tenants (租户) in rented
 * ones whose owners live elsewhere in the community, vacant houses partly with absent owners.
 * Ages follow the 2020 census pyramid; ID numbers are valid GB 11643 numbers, unique per region,
 * birth date and sex.
 */

type Residency = 'registered' | 'migrant';

const PERSON_COLUMNS = [
  'district_code',
  'id',
  'community_code',
  'house_code',
  'path',
  'name',
  'name_pinyin',
  'name_initials',
  'id_type',
  'id_enc',
  'id_bidx',
  'gender',
  'birth_date',
  'phone_enc',
  'phone_bidx',
  'ethnicity',
  'household_place',
  'residency',
  'tags',
  'status',
  'note',
];
const LINK_COLUMNS = [
  'district_code',
  'id',
  'person_id',
  'house_code',
  'relation',
  'head_relation',
  'resides',
  'share',
  'move_in',
  'move_out',
];
const TAG_COLUMNS = ['district_code', 'person_id', 'tag', 'level', 'set_by'];
const SET_BY = 'cli:bench-generate';
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
  '157',
  '158',
  '159',
  '166',
  '177',
  '180',
  '182',
  '187',
  '188',
  '189',
  '198',
  '199',
];

const DAY_MS = 86_400_000;
const EPOCH_1900 = Date.UTC(1900, 0, 1);

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** A birth date giving exactly `age` whole years on asOf. */
function birthDateFor(rng: Rng, age: number, asOf: string): number {
  const [y, m, d] = asOf.split('-').map(Number);
  const latest = Date.UTC(y - age, m - 1, d);
  const earliest = Date.UTC(y - age - 1, m - 1, d) + DAY_MS;
  return earliest + rng.int(0, Math.round((latest - earliest) / DAY_MS)) * DAY_MS;
}

/** Regions ID numbers are issued in: Ningbo's districts for the registered, other provinces for migrants. */
export function idRegions(rng: Rng, districtCode: string) {
  const districts = loadDivisions().filter((d) => d.level === 'district');
  const names = new Map(loadDivisions().map((d) => [d.code, d]));
  const fullName = (code: string) => {
    const parts: string[] = [];
    for (let c = names.get(code); c; c = c.parentCode ? names.get(c.parentCode) : undefined) parts.unshift(c.name);
    return parts.join('');
  };
  const cityPrefix = districtCode.slice(0, 4);
  const sameCity = districts.filter((d) => d.code.startsWith(cityPrefix) && d.code !== districtCode).map((d) => d.code);
  const migrant: { code: string; weight: number }[] = [];
  for (const [prov, weight] of MIGRANT_PROVINCES) {
    const pool = rng
      .shuffle(districts.filter((d) => d.code.startsWith(prov) && !d.code.startsWith(cityPrefix)).map((d) => d.code))
      .slice(0, 8);
    for (const code of pool) migrant.push({ code, weight: weight / pool.length });
  }
  const all = [districtCode, ...sameCity, ...migrant.map((m) => m.code)];
  return {
    home: districtCode,
    sameCity,
    migrant,
    index: new Map(all.map((c, i) => [c, i])),
    place: new Map(all.map((c) => [c, fullName(c)])),
    count: all.length,
  };
}

export interface PeopleOutput {
  persons: number;
  households: number;
}

export const peopleGenerator: RecordGenerator = {
  name: 'people',
  sizeOption: 'residents',
  description: 'residents with valid ID numbers, sealed PII, households, owners and tenants, tags',
  tables: [
    {
      table: 'person',
      checksumColumns: [
        'id',
        'community_code',
        'house_code',
        'path::text',
        'name',
        'name_pinyin',
        'name_initials',
        'id_type',
        'id_bidx',
        'gender',
        'birth_date',
        'phone_bidx',
        'ethnicity',
        'household_place',
        'residency',
        'tags::text',
        'status',
      ],
      generatedRows: 't.community_code = any($1)',
    },
    {
      table: 'person_house',
      checksumColumns: ['id', 'person_id', 'house_code', 'relation', 'head_relation', 'resides', 'share::text', 'move_in', 'move_out'],
      generatedRows: 'substr(t.house_code, 1, 12) = any($1)',
    },
    {
      table: 'person_tag',
      checksumColumns: ['person_id', 'tag', 'level', 'set_by'],
      generatedRows: `exists (select 1 from person p where p.district_code = t.district_code and p.id = t.person_id and p.community_code = any($1))`,
    },
  ],
  async run(ctx) {
    const territory = ctx.outputs.territory as TerritoryOutput | undefined;
    if (!territory) throw new Error('the people generator needs the territory generator first');
    const { sink, keyring } = ctx;
    const d = ctx.opts.districtCode;
    const asOf = ctx.opts.asOf;
    const asOfYear = Number(asOf.slice(0, 4));
    sink.declare('person', PERSON_COLUMNS);
    sink.declare('person_house', LINK_COLUMNS);
    sink.declare('person_tag', TAG_COLUMNS);

    const regions = idRegions(ctx.rng('people', 'regions'), d);
    const migrantWeights = regions.migrant.map((m) => m.weight);
    const days = Math.ceil((Date.UTC(asOfYear + 1, 0, 1) - EPOCH_1900) / DAY_MS);
    // Next free sequence per (region, birth date, sex): ID numbers never repeat.
    const used = new Uint16Array(regions.count * days * 2);
    const pinyinCache = new Map<string, { full: string; initials: string }>();
    let personNo = 0;
    let linkNo = 0;
    let households = 0;

    // Numbers already registered in the district (an earlier run, the demo) are skipped by blind index.
    const taken = new Set(
      (await ctx.db.query<{ b: string }>(`select id_bidx as b from person where district_code = $1`, [d])).map((r) => r.b),
    );
    const idNumber = (region: string, birthMs: number, gender: Gender) => {
      for (let shift = 0; ; shift++) {
        const ms = birthMs - shift * DAY_MS;
        const slot = ((regions.index.get(region)! * days + Math.floor((ms - EPOCH_1900) / DAY_MS)) << 1) | (gender === 'M' ? 1 : 0);
        while (used[slot] < 499) {
          const k = used[slot]++;
          const number = makeIdNumber(region, isoDay(ms), 2 * (k + 1) - (gender === 'M' ? 1 : 0));
          const sealed = sealIdNumber(keyring, 'resident', number);
          if (!taken.has(sealed.bidx)) return { number, sealed, birthMs: ms };
        }
      }
    };

    const linkRow = async (
      personId: string,
      house: GenHouse,
      relation: string,
      headRelation: string,
      resides: boolean,
      share: string | null,
      moveIn: string,
    ) => {
      await sink.push('person_house', [
        d,
        ctx.uuid('person_house', linkNo++),
        personId,
        house.code,
        relation,
        headRelation,
        resides,
        share,
        moveIn,
        null,
      ]);
    };

    const community = async (c: GenCommunity) => {
      const rng = ctx.rng('people', c.code);
      let placed = 0;
      const ownerHeads: string[] = [];
      const absentOwnerHouses: GenHouse[] = [];
      for (const house of c.houses) {
        if (placed >= c.quota) break;
        if (house.use === 'business') continue;
        if (house.use === 'vacant') {
          if (rng.chance(0.6)) absentOwnerHouses.push(house);
          continue;
        }
        const tenant = house.use === 'rented';
        if (tenant) absentOwnerHouses.push(house);
        households++;
        const size = Math.min(c.quota - placed, 1 + weightedIndex(rng, tenant ? TENANT_HOUSEHOLD_SIZES : HOUSEHOLD_SIZES));
        const members = household(rng, size, tenant);
        placed += members.length;
        const residency: Residency = rng.chance(tenant ? 0.8 : 0.15) ? 'migrant' : 'registered';
        const region =
          residency === 'registered'
            ? rng.chance(0.8) || !regions.sameCity.length
              ? regions.home
              : rng.pick(regions.sameCity)
            : regions.migrant[weightedIndex(rng, migrantWeights)].code;
        const place = regions.place.get(region)!;
        // Owners moved in after the building was finished; tenants within the last three years.
        const moveInMs = tenant
          ? Date.UTC(asOfYear - 3, 0, 1) + rng.int(0, 3 * 365 - 1) * DAY_MS
          : Date.UTC(Math.min(asOfYear - 1, house.builtYear + rng.int(0, 8)), 0, 1) + rng.int(0, 364) * DAY_MS;
        const couple = members[1]?.role === '配偶';
        const alone = members.length === 1;
        const elderlyCouple = couple && members.length === 2 && members[0].age >= 60 && members[1].age >= 60;
        for (const m of members) {
          const personId = ctx.uuid('person', personNo++);
          const id = idNumber(region, birthDateFor(rng, m.age, asOf), m.gender);
          const birthDate = isoDay(id.birthMs);
          const name = m.surname + givenName(rng, Number(birthDate.slice(0, 4)), m.gender);
          let py = pinyinCache.get(name);
          if (!py) {
            py = namePinyin(name);
            pinyinCache.set(name, py);
          }
          const sealedId = id.sealed;
          const phone =
            m.age >= 16 && rng.chance(0.92)
              ? sealPhone(keyring, rng.pick(MOBILE_PREFIXES) + String(rng.int(0, 99_999_999)).padStart(8, '0'))
              : null;
          const tags: { tag: string; level: string | null }[] = [];
          if (m.age >= 18 && rng.chance(0.07)) tags.push({ tag: '党员', level: null });
          if (m.gender === 'M' && m.age >= 25 && rng.chance(0.03)) tags.push({ tag: '退役军人', level: null });
          if (m.age >= 16 && m.age <= 70 && rng.chance(0.05)) tags.push({ tag: '志愿者', level: null });
          if (alone && m.age >= 60) tags.push({ tag: '独居', level: null });
          if (elderlyCouple) tags.push({ tag: '空巢', level: null });
          if (rng.chance(0.02)) tags.push({ tag: '残疾', level: rng.pick(DISABILITY_LEVELS) });
          if (residency === 'registered' && rng.chance(0.01)) tags.push({ tag: '低保', level: null });
          if (rng.chance(0.003)) tags.push({ tag: '重点关注', level: null });
          const row: Cell[] = [
            d,
            personId,
            c.code,
            house.code,
            house.path,
            name,
            py.full,
            py.initials,
            'resident',
            sealedId.enc,
            sealedId.bidx,
            m.gender,
            birthDate,
            phone?.enc ?? null,
            phone?.bidx ?? null,
            ethnicity(rng),
            place,
            residency,
            textArray(tags.map((t) => t.tag)),
            'active',
            '',
          ];
          await sink.push('person', row);
          for (const t of tags) await sink.push('person_tag', [d, personId, t.tag, t.level, SET_BY]);
          const owner = !tenant && (m.role === '户主' || (m.role === '配偶' && couple));
          const relation = owner ? 'owner' : tenant ? 'tenant' : 'family';
          const share = owner ? (couple ? '0.5000' : '1.0000') : null;
          await linkRow(personId, house, relation, m.role, true, share, isoDay(Math.max(moveInMs, id.birthMs)));
          if (m.role === '户主' && !tenant) ownerHeads.push(personId);
        }
      }
      // Landlords and owners of empty flats: heads of owner households of the same community.
      for (const house of absentOwnerHouses) {
        if (!ownerHeads.length) break;
        const moveIn = isoDay(Date.UTC(Math.min(asOfYear - 1, house.builtYear + rng.int(0, 8)), 0, 1) + rng.int(0, 364) * DAY_MS);
        await linkRow(rng.pick(ownerHeads), house, 'owner', '', false, '1.0000', moveIn);
      }
      if (placed < c.quota) ctx.log(`people: community ${c.code} ran out of houses at ${placed}/${c.quota} residents`);
    };

    for (const c of territory.communities) await community(c);
    await sink.flush();
    const output: PeopleOutput = { persons: personNo, households };
    return { rows: { person: sink.written.person, person_house: sink.written.person_house, person_tag: sink.written.person_tag }, output };
  },
};
