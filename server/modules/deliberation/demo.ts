import crypto from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import type { Keyring } from '../../core/crypto.ts';
import { makeIdNumber } from '../registry/id-number.ts';
import { namePinyin } from '../registry/names.ts';
import { sealIdNumber } from '../registry/pii.ts';
import * as registry from '../registry/store.ts';
import * as meetingsStore from './meetings-store.ts';
import * as topicsStore from './topics-store.ts';
import * as votesStore from './votes-store.ts';
import * as ballotsStore from './ballots-store.ts';
import * as boardStore from './board-store.ts';
import { tallyOwnersVote, tallySelection, type Choice, type Matter } from './tally.ts';
import { ownersResultView } from './votes-service.ts';

/**
 * Demo deliberation for 江城社区 (宁波鄞州) and 新丰苑社区 (常州天宁): a 六方会议 and a 四方例会,
 * topics in every state, a published meeting with minutes, resolutions and follow-up tasks, a
 * finished 十佳公约 selection, conventions, 四公开 notices, and two lift votes (Art. 278 item 7)
 * in 江城花园: 1幢 closed and passed, 3幢 open with the demo resident as an owner.
 *
 * Owners come from the registry. Houses of the two buildings that have no owner yet get one
 * (some co-owned, one owner with two flats), created through the registry's store, so the seed
 * works whether or not the registry's own demo people are there. Deterministic except for the
 * dates, which are relative to the day of seeding.
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

const day = 24 * 3600 * 1000;

async function pathOf(tx: Transaction<DB>, code: string) {
  const r = await sql<{ path: string }>`
    select path::text as path from division where code = ${code}
    union all select path::text from grid where code = ${code}
    union all select path::text from building where code = ${code}
    union all select path::text from house where code = ${code}`.execute(tx);
  return r.rows[0]?.path ?? null;
}

/** Gives every house of a building without a recorded owner one (some two), through the registry store. */
async function ensureOwners(tx: Transaction<DB>, keyring: Keyring, buildingCode: string, seqBase: number) {
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
async function linkAccountToHouse(tx: Transaction<DB>, userId: string, houseCode: string) {
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

async function insertBody(
  tx: Transaction<DB>,
  community: string,
  kind: 'six_party' | 'four_party' | 'elders_forum',
  name: string,
  description: string,
  members: [string, string, string][],
) {
  const path = (await pathOf(tx, community))!;
  const id = await meetingsStore.insertBody(tx, {
    districtCode: community.slice(0, 6),
    communityCode: community,
    placeCode: community,
    path,
    kind,
    name,
    description,
  });
  const memberIds: string[] = [];
  for (const [seat, mname, title] of members)
    memberIds.push(
      await meetingsStore.insertMember(tx, { districtCode: community.slice(0, 6), bodyId: id, seat, name: mname, title, orgId: null }),
    );
  return { id, memberIds, path };
}

/** The demo owners' accounts: residents bound to their own flat. */
async function insertOwnerAccounts(tx: Transaction<DB>, users: Map<string, string>, passwordHash: string) {
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

export async function seedDeliberationDemo(
  tx: Transaction<DB>,
  keyring: Keyring,
  users: Map<string, string>,
  passwordHash: string,
  now = new Date(),
) {
  const d = JC.slice(0, 6);
  await insertOwnerAccounts(tx, users, passwordHash);
  await ensureOwners(tx, keyring, LIFT_DONE_BUILDING, 100);
  await ensureOwners(tx, keyring, LIFT_OPEN_BUILDING, 200);
  if (users.get('jc-resident')) await linkAccountToHouse(tx, users.get('jc-resident')!, RESIDENT_HOUSE);
  for (const a of DEMO_OWNER_ACCOUNTS) if (users.get(a.username)) await linkAccountToHouse(tx, users.get(a.username)!, a.house);

  // ---- bodies
  const six = await insertBody(
    tx,
    JC,
    'six_party',
    '江城社区六方联席会议',
    '社区党委牵头，居委会、物业、业委会、共建单位和社会组织每月协商小区治理事项。',
    [
      ['party_org', '陈丽华', '江城社区党委书记'],
      ['residents_committee', '郑海燕', '江城社区居委会主任'],
      ['property', '孙志强', '宁波江城物业管理有限公司项目经理'],
      ['owners_committee', '吴德明', '江城花园业委会主任'],
      ['co_building_unit', '林晓红', '宁波市鄞州区江城小学德育处'],
      ['social_org', '何卫东', '江城社区和事佬调解工作室'],
      ['resident_rep', '张桂兰', '居民代表（江城花园）'],
    ],
  );
  await insertBody(tx, JC, 'elders_forum', '江城社区四老论坛', '老党员、老干部、老教师、老模范议事，开放参与。', [
    ['elder', '冯立新', '退休教师'],
    ['elder', '曹春生', '老党员'],
  ]);
  const four = await insertBody(tx, XFY, 'four_party', '新丰苑社区四方例会', '社区党组织、居委会、物业、业委会每月例会。', [
    ['party_org', '刘芳', '新丰苑社区党委副书记'],
    ['residents_committee', '钱玉梅', '新丰苑社区居委会委员'],
    ['property', '蒋宏伟', '常州天宁物业管理有限公司客服主管'],
    ['owners_committee', '沈素珍', '新丰苑业委会主任'],
  ]);

  // ---- topics
  const resident = users.get('jc-resident') ?? null;
  const topic = async (
    community: string,
    place: string,
    title: string,
    body: string,
    by: string,
    byUser: string | null,
    ageDays: number,
  ) => {
    const path = (await pathOf(tx, place))!;
    return topicsStore.insertTopic(tx, {
      districtCode: community.slice(0, 6),
      communityCode: community,
      placeCode: place,
      path,
      title,
      body,
      raisedBy: byUser,
      raisedByName: by,
      clientKey: null,
      createdAt: new Date(now.getTime() - ageDays * day),
    });
  };
  const tParking = await topic(
    JC,
    '330212014027001',
    '江城花园电动车充电桩不够用',
    '小区只有一处充电点，晚上排队，有人从楼道拉电线充电，很危险。建议在2幢北侧自行车棚加装充电桩。',
    '居民 张阿姨',
    resident,
    40,
  );
  const tLift = await topic(
    JC,
    LIFT_OPEN_BUILDING,
    '3幢想加装电梯，希望社区牵头',
    '3幢住了很多老人，爬六楼很吃力。希望社区和业委会帮忙征求意见、联系设计单位，按“五共”办法推进。',
    '居民 周国平',
    users.get('jc-owner-03') ?? null,
    30,
  );
  const tDogs = await topic(
    JC,
    JC,
    '遛狗不牵绳、不清理粪便',
    '江边步道和小区花园里经常有狗不牵绳，孩子害怕。希望出文明养犬公约，物业加强劝导。',
    '居民 李建华',
    users.get('jc-owner-01') ?? null,
    12,
  );
  const tLight = await topic(
    JC,
    LIFT_DONE_BUILDING,
    '1幢楼道声控灯坏了',
    '1幢2单元三楼到五楼的声控灯坏了半个月，晚上上下楼看不清。',
    '居民 王秀英',
    users.get('jc-owner-02') ?? null,
    5,
  );
  const tSquare = await topic(
    JC,
    '330212014027002',
    '福明新苑广场舞音量太大',
    '每晚七点到九点音响很响，影响学生写作业，希望协商限定音量和时间。',
    '居民 张阿姨',
    resident,
    2,
  );
  const tXfy = await topic(XFY, XFY, '新丰苑东区雨污管道堵塞', '东区5幢门口雨天积水，下水道有异味，希望维修。', '居民 沈阿姨', null, 8);
  const supporters = ['jc-resident', 'jc-volunteer', ...DEMO_OWNER_ACCOUNTS.map((a) => a.username)]
    .map((u) => users.get(u))
    .filter((x): x is string => !!x);
  const support = async (topicId: string, n: number) => {
    for (const u of supporters.slice(0, n)) await topicsStore.setSupport(tx, d, topicId, u, true);
  };
  await support(tParking, 5);
  await support(tLift, 4);
  await support(tDogs, 3);
  await support(tLight, 1);
  await support(tSquare, 2);

  // ---- the past 六方 meeting (published) and the next one (noticed)
  const pastAt = new Date(now.getTime() - 21 * day);
  const past = await meetingsStore.insertMeeting(tx, {
    districtCode: d,
    bodyId: six.id,
    title: '江城社区六方联席会议（第十期）',
    scheduledAt: pastAt,
    location: '江城社区党群服务中心二楼议事厅',
    checkinToken: crypto.randomBytes(12).toString('base64url'),
  });
  const itemParking = await meetingsStore.insertAgendaItem(tx, d, past, '江城花园电动车充电桩不够用', tParking);
  const itemLift = await meetingsStore.insertAgendaItem(tx, d, past, '3幢想加装电梯，希望社区牵头', tLift);
  await meetingsStore.insertAgendaItem(tx, d, past, '三季度社区公益金使用情况通报', null);
  for (const [i, m] of six.memberIds.entries())
    if (i !== 4)
      await tx
        .insertInto('delib_attendance')
        .values({
          district_code: d,
          meeting_id: past,
          member_id: m,
          user_id: null,
          name: ['陈丽华', '郑海燕', '孙志强', '吴德明', '林晓红', '何卫东', '张桂兰'][i],
          seat: ['party_org', 'residents_committee', 'property', 'owners_committee', 'co_building_unit', 'social_org', 'resident_rep'][i],
          method: i === 6 ? 'qr' : 'manual',
          checked_in_at: pastAt,
        })
        .execute();
  const rParking = await meetingsStore.insertResolution(tx, {
    districtCode: d,
    meetingId: past,
    agendaItemId: itemParking,
    text: '在2幢北侧自行车棚加装20个充电端口，费用由物业先行垫付，按次收费回收。',
    decision: 'adopted',
  });
  const rLift = await meetingsStore.insertResolution(tx, {
    districtCode: d,
    meetingId: past,
    agendaItemId: itemLift,
    text: '支持3幢启动加装电梯意见征询，业委会组织业主按《民法典》第二百七十八条表决。',
    decision: 'adopted',
  });
  const due = (days: number) => new Date(now.getTime() + days * day).toISOString().slice(0, 10);
  const doneTask = await meetingsStore.insertTask(tx, {
    districtCode: d,
    resolutionId: rParking,
    title: '完成充电桩选址和电力增容申请',
    ownerName: '孙志强（物业）',
    dueDate: due(-7),
  });
  await tx
    .updateTable('delib_task')
    .set({ status: 'done', done_at: new Date(now.getTime() - 9 * day), done_note: '供电所已批复增容，选址经业委会确认。' })
    .where('district_code', '=', d)
    .where('id', '=', doneTask)
    .execute();
  await meetingsStore.insertTask(tx, {
    districtCode: d,
    resolutionId: rParking,
    title: '充电桩安装调试并投入使用',
    ownerName: '孙志强（物业）',
    dueDate: due(10),
  });
  await meetingsStore.insertTask(tx, {
    districtCode: d,
    resolutionId: rLift,
    title: '发放3幢加装电梯意见征询表并组织表决',
    ownerName: '吴德明（业委会）',
    dueDate: due(14),
  });
  await tx
    .updateTable('delib_meeting')
    .set({
      status: 'published',
      notice: '定于本月10日下午2:30召开六方联席会议，议题见议程。',
      minutes:
        '一、充电桩：物业介绍选址方案，业委会同意在2幢北侧车棚加装；居民代表提出收费应低于市场价，物业承诺按1元/小时。\n二、3幢加装电梯：社区介绍“五共”工作法和市里补贴政策；业委会负责组织业主表决。\n三、公益金：居委会通报三季度收支，无异议。',
      outcome: '会议议定：2幢北侧加装20个电动车充电端口；支持3幢启动加装电梯表决。',
      noticed_at: new Date(pastAt.getTime() - 5 * day),
      published_at: new Date(pastAt.getTime() + 2 * day),
    })
    .where('district_code', '=', d)
    .where('id', '=', past)
    .execute();
  await tx
    .updateTable('delib_topic')
    .set({ status: 'agenda', meeting_id: past })
    .where('district_code', '=', d)
    .where('id', 'in', [tParking, tLift])
    .execute();
  await meetingsStore.answerAgendaTopics(tx, d, past, '江城社区六方联席会议（第十期）');

  const next = await meetingsStore.insertMeeting(tx, {
    districtCode: d,
    bodyId: six.id,
    title: '江城社区六方联席会议（第十一期）',
    scheduledAt: new Date(now.getTime() + 9 * day),
    location: '江城社区党群服务中心二楼议事厅',
    checkinToken: crypto.randomBytes(12).toString('base64url'),
  });
  await meetingsStore.insertAgendaItem(tx, d, next, '遛狗不牵绳、不清理粪便', tDogs);
  await meetingsStore.insertAgendaItem(tx, d, next, '充电桩建设进度', null);
  await tx
    .updateTable('delib_meeting')
    .set({ status: 'noticed', notice: '请各方代表准时参加，可扫码签到。', noticed_at: now })
    .where('district_code', '=', d)
    .where('id', '=', next)
    .execute();
  await tx
    .updateTable('delib_topic')
    .set({ status: 'agenda', meeting_id: next, triaged_by_name: '江城社区 陈丽华', triaged_at: now })
    .where('district_code', '=', d)
    .where('id', '=', tDogs)
    .execute();
  await tx
    .updateTable('delib_topic')
    .set({
      status: 'event',
      event_ref: '报修：楼道照明',
      triaged_by_name: '江城社区 陈丽华',
      triaged_at: now,
      reply: '已转物业报修，三个工作日内修复。',
    })
    .where('district_code', '=', d)
    .where('id', '=', tLight)
    .execute();
  await meetingsStore.insertMeeting(tx, {
    districtCode: XFY.slice(0, 6),
    bodyId: four.id,
    title: '新丰苑社区四方例会（12月）',
    scheduledAt: new Date(now.getTime() + 5 * day),
    location: '新丰苑社区议事厅',
    checkinToken: crypto.randomBytes(12).toString('base64url'),
  });
  void tSquare;
  void tXfy;

  // ---- 十佳公约 selection (closed) and the conventions it produced
  const selPath = (await pathOf(tx, JC))!;
  const sel = await votesStore.insertVote(tx, {
    districtCode: d,
    communityCode: JC,
    placeCode: JC,
    path: selPath,
    kind: 'selection',
    title: '2026年江城社区“十佳公约”评选',
    description: '从居民征集的16条公约中选出10条，写入新版《江城社区居民公约》。每位居民最多选10条。',
    matter: null,
    maxChoices: 10,
    winners: 10,
    secret: true,
    opensAt: new Date(now.getTime() - 60 * day),
    closesAt: new Date(now.getTime() - 46 * day),
    createdByName: '江城社区 陈丽华',
  });
  const conventionItems = [
    '垃圾分类，定时定点投放',
    '文明养犬，出门牵绳，及时清理',
    '楼道不堆物，消防通道不占用',
    '电动车不进楼道，不飞线充电',
    '邻里互助，关爱独居老人',
    '高空不抛物，阳台不放危险物',
    '广场舞控制音量，晚九点前结束',
    '爱护绿地，不毁绿种菜',
    '车辆有序停放，不占盲道',
    '装修按规定时间施工',
    '节约用水用电，绿色出行',
    '遇事协商，有事好商量',
    '移风易俗，红白事简办',
    '爱护公共设施，损坏照价赔偿',
    '不信谣不传谣，文明上网',
    '积极参加志愿服务',
  ];
  const optionIds = await votesStore.insertOptions(
    tx,
    d,
    sel,
    conventionItems.map((label) => ({ label, detail: '' })),
  );
  const weights = [97, 95, 93, 92, 88, 86, 80, 77, 74, 70, 52, 66, 40, 45, 38, 60];
  const selBallots: string[][] = [];
  for (let i = 0; i < 412; i++) selBallots.push(optionIds.filter((_, k) => (i * 31 + k * 17) % 100 < weights[k]).slice(0, 10));
  // Paper ballots of the 现场投票 days, entered by the worker; one statement keeps the seed fast.
  await tx
    .insertInto('delib_ballot')
    .values(
      selBallots.map((pick, i) => ({
        district_code: d,
        vote_id: sel,
        voter_key: `paper:${String(i + 1).padStart(4, '0')}`,
        house_code: null,
        voter_user_id: null,
        channel: 'paper' as const,
        choice: null,
        option_ids: pick,
        receipt: `DEMO${String(i + 1).padStart(6, '0')}`,
        entered_by_name: '江城社区 陈丽华',
      })),
    )
    .execute();
  const selResult = tallySelection(optionIds, selBallots, 10);
  await tx
    .updateTable('delib_vote')
    .set({
      status: 'closed',
      opened_at: new Date(now.getTime() - 60 * day),
      closed_at: new Date(now.getTime() - 46 * day),
      result: JSON.stringify({ kind: 'selection', selection: selResult, ballots: selBallots.length }),
    })
    .where('district_code', '=', d)
    .where('id', '=', sel)
    .execute();
  const winners = selResult.winners.map((w) => conventionItems[optionIds.indexOf(w)]);
  const conv = await boardStore.insertConvention(tx, {
    districtCode: d,
    communityCode: JC,
    placeCode: JC,
    path: selPath,
    title: '江城社区居民公约',
  });
  await boardStore.addVersion(tx, {
    districtCode: d,
    conventionId: conv,
    expectedVersion: 1,
    text: '爱党爱国，遵纪守法；邻里和睦，互帮互助；爱护环境，垃圾分类；文明养犬，安全用电；移风易俗，勤俭节约。',
    adoptedOn: '2021-06-18',
    adoptedBy: '江城社区第七届居民代表会议',
    voteId: null,
    meetingId: null,
  });
  await boardStore.addVersion(tx, {
    districtCode: d,
    conventionId: conv,
    expectedVersion: 2,
    text: winners.map((w, i) => `${i + 1}. ${w}`).join('\n'),
    adoptedOn: new Date(now.getTime() - 40 * day).toISOString().slice(0, 10),
    adoptedBy: '“十佳公约”评选（412位居民参与）后经居民代表会议通过',
    voteId: sel,
    meetingId: null,
  });
  const covenant = await boardStore.insertConvention(tx, {
    districtCode: d,
    communityCode: JC,
    placeCode: '330212014027001',
    path: (await pathOf(tx, '330212014027001'))!,
    title: '江城花园管理规约',
  });
  await boardStore.addVersion(tx, {
    districtCode: d,
    conventionId: covenant,
    expectedVersion: 1,
    text: '业主应遵守小区管理规约，合理使用共有部分；改建、重建建筑物及其附属设施，须经业主依法共同决定。',
    adoptedOn: '2019-11-02',
    adoptedBy: '江城花园业主大会（《民法典》第二百七十八条第一款第二项）',
    voteId: null,
    meetingId: null,
  });
  const xfyConv = await boardStore.insertConvention(tx, {
    districtCode: XFY.slice(0, 6),
    communityCode: XFY,
    placeCode: XFY,
    path: (await pathOf(tx, XFY))!,
    title: '新丰苑社区居民公约',
  });
  await boardStore.addVersion(tx, {
    districtCode: XFY.slice(0, 6),
    conventionId: xfyConv,
    expectedVersion: 1,
    text: '邻里守望，文明有礼；垃圾分类，人人有责；有事好商量，众人的事情由众人商量。',
    adoptedOn: '2023-04-20',
    adoptedBy: '新丰苑社区居民代表会议',
    voteId: null,
    meetingId: null,
  });

  // ---- 四公开 notices
  const notice = (kind: 'affairs' | 'finance', title: string, body: string, ageDays: number) =>
    boardStore.insertNotice(tx, {
      districtCode: d,
      communityCode: JC,
      path: selPath,
      kind,
      title,
      body,
      by: '江城社区 陈丽华',
      at: new Date(now.getTime() - ageDays * day),
    });
  await notice(
    'finance',
    '江城社区2026年三季度公益金收支公示',
    '上期结余 38,420.00 元；本期收入（街道拨付）50,000.00 元；支出：独居老人助餐补贴 12,600.00 元、楼道消防器材更换 8,350.00 元、“十佳公约”宣传 1,980.00 元；期末结余 65,490.00 元。',
    15,
  );
  await notice(
    'affairs',
    '江城花园3幢加装电梯业主表决公告',
    '根据六方联席会议决议，3幢加装电梯事项（《民法典》第二百七十八条第一款第七项）现开始业主表决，可在手机上投票，也可向业委会提交纸质表决票。',
    3,
  );

  // ---- lift votes (Art. 278 item 7)
  await liftVote(tx, LIFT_DONE_BUILDING, '江城花园1幢加装电梯业主表决', 'closed', now);
  await liftVote(tx, LIFT_OPEN_BUILDING, '江城花园3幢加装电梯业主表决', 'open', now);
}

/** Ground and first floors mostly against (no benefit, light and noise), upper floors for. */
function liftChoice(floor: number, i: number): Choice | null {
  if (floor === 0) return (['disagree', 'abstain', 'agree', null] as const)[i % 4];
  if (floor === 1) return (['agree', 'agree', 'disagree', 'agree'] as const)[i % 4];
  return i % 11 === 5 ? null : 'agree';
}

async function liftVote(tx: Transaction<DB>, buildingCode: string, title: string, state: 'open' | 'closed', now: Date) {
  const d = buildingCode.slice(0, 6);
  const path = (await pathOf(tx, buildingCode))!;
  const closed = state === 'closed';
  const id = await votesStore.insertVote(tx, {
    districtCode: d,
    communityCode: buildingCode.slice(0, 12),
    placeCode: buildingCode,
    path,
    kind: 'owners',
    title,
    description: '拟在各单元北侧加装观光电梯一部，总造价约68万元，政府补贴20万元，其余按楼层系数由业主分摊。',
    matter: 7 satisfies Matter,
    maxChoices: 1,
    winners: 1,
    secret: false,
    opensAt: new Date(now.getTime() - (closed ? 120 : 4) * day),
    closesAt: new Date(now.getTime() + (closed ? -100 : 10) * day),
    createdByName: '江城社区 陈丽华',
  });
  const roll = await registry.ownersOfHouses(tx, { all: true }, path);
  await ballotsStore.insertRoll(tx, d, id, roll);
  const houses = await tx.selectFrom('house').select(['code', 'floor']).where('building_code', '=', buildingCode).orderBy('code').execute();
  const floorOf = new Map(houses.map((h) => [h.code, h.floor]));
  // One choice per counted owner (the first house decides for an owner of several).
  const ownerChoice = new Map<string, Choice | null>();
  const flatsOf = new Map<string, number>();
  for (const h of roll) for (const o of h.ownerIds) flatsOf.set(o, (flatsOf.get(o) ?? 0) + 1);
  const ballots: { houseCode: string; choice: Choice }[] = [];
  for (const [i, h] of roll.entries()) {
    if (!h.ownerIds.length) continue;
    // While open: a third of the flats, the demo accounts' flats and the owner of two flats have not voted yet.
    const pending = i % 3 === 0 || h.houseCode === RESIDENT_HOUSE || DEMO_OWNER_ACCOUNTS.some((a) => a.house === h.houseCode);
    if (!closed && (pending || h.ownerIds.some((o) => flatsOf.get(o)! > 1))) continue;
    const known = h.ownerIds.map((o) => ownerChoice.get(o)).find((c) => c !== undefined);
    const c = known !== undefined ? known : liftChoice(floorOf.get(h.houseCode)! - 1, i);
    for (const o of h.ownerIds) ownerChoice.set(o, c);
    if (c) ballots.push({ houseCode: h.houseCode, choice: c });
  }
  if (ballots.length)
    await tx
      .insertInto('delib_ballot')
      .values(
        ballots.map((b, k) => ({
          district_code: d,
          vote_id: id,
          voter_key: `house:${b.houseCode}`,
          house_code: b.houseCode,
          voter_user_id: null,
          channel: k % 3 === 0 ? ('online' as const) : ('paper' as const),
          choice: b.choice,
          option_ids: null,
          receipt: `DEMO${b.houseCode.slice(-8)}`,
          entered_by_name: k % 3 === 0 ? null : '江城花园业委会 吴德明',
          cast_at: new Date(now.getTime() - (closed ? 110 : 2) * day),
        })),
      )
      .execute();
  await ballotsStore.recordGroupChoices(tx, d, id);
  const patch: Record<string, unknown> = { status: state, opened_at: new Date(now.getTime() - (closed ? 120 : 4) * day) };
  if (closed) {
    const r = tallyOwnersVote(7, roll, ballots);
    patch.closed_at = new Date(now.getTime() - 100 * day);
    patch.result = JSON.stringify({ kind: 'owners', owners: ownersResultView(r), ballots: ballots.length });
  }
  await tx.updateTable('delib_vote').set(patch).where('district_code', '=', d).where('id', '=', id).execute();
}
