import type { Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import * as registry from '../registry/store.ts';
import * as votesStore from './votes-store.ts';
import * as ballotsStore from './ballots-store.ts';
import * as boardStore from './board-store.ts';
import { tallyOwnersVote, tallySelection, type Choice, type Matter } from './tally.ts';
import { ownersResultView } from './votes-service.ts';
import { DEMO_OWNER_ACCOUNTS, JC, LIFT_DONE_BUILDING, LIFT_OPEN_BUILDING, RESIDENT_HOUSE, XFY, day, pathOf } from './demo-owners.ts';

/**
 * The demo's votes and public board: the closed 十佳公约 selection with the conventions it
 * produced, 四公开 notices, and the two lift votes (Art. 278 item 7) of 江城花园.
 */
export async function seedVotesAndBoard(tx: Transaction<DB>, now: Date) {
  const d = JC.slice(0, 6);
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
