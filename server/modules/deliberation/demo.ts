import crypto from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import type { Keyring } from '../../core/crypto.ts';
import * as meetingsStore from './meetings-store.ts';
import * as topicsStore from './topics-store.ts';
import {
  DEMO_OWNER_ACCOUNTS,
  JC,
  LIFT_DONE_BUILDING,
  LIFT_OPEN_BUILDING,
  RESIDENT_HOUSE,
  XFY,
  day,
  ensureOwners,
  insertOwnerAccounts,
  linkAccountToHouse,
  pathOf,
} from './demo-owners.ts';
import { seedVotesAndBoard } from './demo-board.ts';

export { DEMO_OWNER_ACCOUNTS, JC, LIFT_DONE_BUILDING, LIFT_OPEN_BUILDING, RESIDENT_HOUSE, XFY } from './demo-owners.ts';

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

  await seedVotesAndBoard(tx, now);
}
