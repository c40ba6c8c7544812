import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import type { Keyring } from '../../core/crypto.ts';
import { makeIdNumber } from '../registry/id-number.ts';
import { namePinyin } from '../registry/names.ts';
import { sealIdNumber } from '../registry/pii.ts';
import * as registry from '../registry/store.ts';

/**
 * The demo's owners for the deliberation seed: the places and accounts the lift votes and the
 * tests rely on, owners created through the registry where a flat has none, and the demo owner
 * accounts bound to their flats.
 */
export const JC = '330212014027';
export const XFY = '320402002005';
/** 江城花园 1幢 (closed lift vote) and 3幢 (open lift vote). */
export const LIFT_DONE_BUILDING = '330212014027001001';
export const LIFT_OPEN_BUILDING = '330212014027001003';
/** The demo resident owns this flat in 3幢 (1单元 502). */
export const RESIDENT_HOUSE = '330212014027001003010502';

/** Demo owner accounts of 江城花园3幢 (password as every demo account). */
export const DEMO_OWNER_ACCOUNTS = [
  { username: 'jc-owner-01', displayName: '居民 李建华', house: '330212014027001003010601' },
  { username: 'jc-owner-02', displayName: '居民 王秀英', house: '330212014027001003020601' },
  { username: 'jc-owner-03', displayName: '居民 周国平', house: '330212014027001003020502' },
];

const SURNAMES =
  '王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文';
const GIVEN = [
  '建华',
  '秀英',
  '国平',
  '丽娟',
  '志强',
  '桂兰',
  '海燕',
  '伟',
  '敏',
  '静',
  '德明',
  '玉梅',
  '春生',
  '晓红',
  '立新',
  '凤英',
  '卫东',
  '美华',
  '宏伟',
  '素珍',
  '家豪',
  '雪梅',
  '永康',
  '爱华',
];

export const day = 24 * 3600 * 1000;

export async function pathOf(tx: Transaction<DB>, code: string) {
  const r = await sql<{ path: string }>`
    select path::text as path from division where code = ${code}
    union all select path::text from grid where code = ${code}
    union all select path::text from building where code = ${code}
    union all select path::text from house where code = ${code}`.execute(tx);
  return r.rows[0]?.path ?? null;
}

/** Gives every house of a building without a recorded owner one (some two), through the registry store. */
export async function ensureOwners(tx: Transaction<DB>, keyring: Keyring, buildingCode: string, seqBase: number) {
  const bpath = await pathOf(tx, buildingCode);
  if (!bpath) return;
  const houses = await registry.ownersOfHouses(tx, { all: true }, bpath);
  const district = buildingCode.slice(0, 6);
  const housePaths = await tx
    .selectFrom('house')
    .select(['code', sql<string>`path::text`.as('path')])
    .where('building_code', '=', buildingCode)
    .execute();
  const pathOfHouse = new Map(housePaths.map((h) => [h.code, h.path]));
  let n = 0;
  let twoFlatsOwner: string | null = null;
  for (const h of houses) {
    if (h.ownerIds.length) continue;
    n++;
    // The owner of the 7th empty flat also owns the 8th (one owner of several houses counts once).
    if (n === 8 && twoFlatsOwner) {
      await registry.insertLink(tx, {
        districtCode: district,
        personId: twoFlatsOwner,
        houseCode: h.houseCode,
        relation: 'owner',
        headRelation: '',
        resides: false,
        share: null,
        moveIn: '2012-05-01',
      });
      continue;
    }
    const people = n % 5 === 0 ? 2 : 1; // every fifth flat is co-owned by a couple
    for (let k = 0; k < people; k++) {
      const seq = seqBase + n * 2 + k;
      const name = SURNAMES[(seq * 7) % SURNAMES.length] + GIVEN[(seq * 5 + k) % GIVEN.length];
      const birth = `19${50 + (seq % 40)}-0${1 + (seq % 9)}-1${seq % 10}`;
      const id = makeIdNumber(district, birth, 600 + (seq % 400));
      const sealed = sealIdNumber(keyring, 'resident', id);
      const exists = await registry.personIdByBidx(tx, district, sealed.bidx);
      const py = namePinyin(name);
      const personId =
        exists?.id ??
        (await registry.insertPerson(tx, {
          districtCode: district,
          communityCode: buildingCode.slice(0, 12),
          houseCode: h.houseCode,
          path: pathOfHouse.get(h.houseCode)!,
          name,
          namePinyin: py.full,
          nameInitials: py.initials,
          idType: 'resident',
          idEnc: sealed.enc,
          idBidx: sealed.bidx,
          gender: Number(id[16]) % 2 === 1 ? 'M' : 'F',
          birthDate: birth,
          phoneEnc: null,
          phoneBidx: null,
          ethnicity: '汉族',
          householdPlace: '浙江省宁波市鄞州区',
          residency: 'registered',
          tags: [],
          note: '',
        }));
      await registry.insertLink(tx, {
        districtCode: district,
        personId,
        houseCode: h.houseCode,
        relation: 'owner',
        headRelation: k === 0 ? '户主' : '配偶',
        resides: true,
        share: people === 2 ? 0.5 : null,
        moveIn: `20${String(5 + (seq % 15)).padStart(2, '0')}-03-01`,
      });
      if (n === 7 && k === 0) twoFlatsOwner = personId;
    }
  }
  // When the registry already owns every flat, one owner of the 7th flat still owns the 8th too,
  // so the demo shows an owner of several houses counted once.
  if (n < 8 && houses.length >= 8 && houses[6].ownerIds.length && !houses[7].ownerIds.includes(houses[6].ownerIds[0])) {
    await registry.insertLink(tx, {
      districtCode: district,
      personId: houses[6].ownerIds[0],
      houseCode: houses[7].houseCode,
      relation: 'owner',
      headRelation: '',
      resides: false,
      share: null,
      moveIn: '2012-05-01',
    });
  }
}

/** Links a demo account to the owner of a house (adding the account's person as co-owner if it has one elsewhere). */
export async function linkAccountToHouse(tx: Transaction<DB>, userId: string, houseCode: string) {
  const district = houseCode.slice(0, 6);
  const linked = await tx.selectFrom('person').select(['id']).where('user_id', '=', userId).executeTakeFirst();
  const owners = await tx
    .selectFrom('person_house')
    .select('person_id')
    .where('district_code', '=', district)
    .where('house_code', '=', houseCode)
    .where('relation', '=', 'owner')
    .where('move_out', 'is', null)
    .orderBy('created_at')
    .execute();
  if (linked) {
    if (!owners.some((o) => o.person_id === linked.id))
      await registry.insertLink(tx, {
        districtCode: district,
        personId: linked.id,
        houseCode,
        relation: 'owner',
        headRelation: '',
        resides: true,
        share: null,
        moveIn: '2015-06-01',
      });
    return;
  }
  const free = await tx
    .selectFrom('person')
    .select('id')
    .where('district_code', '=', district)
    .where('id', 'in', owners.length ? owners.map((o) => o.person_id) : ['00000000-0000-0000-0000-000000000000'])
    .where('user_id', 'is', null)
    .executeTakeFirst();
  if (free)
    await tx.updateTable('person').set({ user_id: userId }).where('district_code', '=', district).where('id', '=', free.id).execute();
}

/** The demo owners' accounts: residents bound to their own flat. */
export async function insertOwnerAccounts(tx: Transaction<DB>, users: Map<string, string>, passwordHash: string) {
  for (const a of DEMO_OWNER_ACCOUNTS) {
    const path = await pathOf(tx, a.house);
    if (!path) continue;
    const u = await tx
      .insertInto('app_user')
      .values({ username: a.username, display_name: a.displayName, password_hash: passwordHash, is_demo: true })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('role_binding')
      .values({ user_id: u.id, role: 'resident', scope_type: 'territory', scope_code: a.house, scope_path: path, org_path: null })
      .execute();
    users.set(a.username, u.id);
  }
}
