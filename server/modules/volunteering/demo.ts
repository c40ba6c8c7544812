import { systemActor, type Actor, type AppContext } from '../../core/context.ts';
import { JIANGCHENG } from '../services/demo.ts';
import * as orders from './orders.ts';
import * as people from './people.ts';
import * as party from './party-members.ts';
import * as points from './points.ts';
import { appendPoints } from './ledger.ts';

/**
 * Demo volunteering in 江城社区: 赵小宇 (jc-volunteer), 王美玲 and 李建华 volunteers, 李建华 (jc-party) and 孙卫国 party members,
 * open and taken help orders, a 一帮一 pair (one overdue for a visit), past projects with confirmed hours and an upcoming one, party posts,
 * the points shop and a ledger with a few weeks of history.
 */
export async function seedVolunteeringDemo(ctx: AppContext, ppl: Map<string, { id: string; userId: string | null }>, now = new Date()) {
  const sys = systemActor('demo-seed');
  const u = await ctx.db
    .selectFrom('app_user')
    .select(['id', 'username', 'display_name'])
    .where('username', 'in', ['jiangcheng', 'jc-resident', 'jc-volunteer'])
    .execute();
  const actor = (name: string): Actor => {
    const x = u.find((r) => r.username === name)!;
    return {
      ...systemActor(name),
      userId: x.id,
      username: name,
      displayName: x.display_name,
      can: (p) => p !== 'service.handle' || name === 'jiangcheng',
    };
  };
  const id = (k: string) => ppl.get(k)!.id;
  const zhao = await people.registerVolunteer(ctx, sys, { personId: id('zhao'), skills: ['代买代办', '陪同就医', '电脑维修'] });
  const wang = await people.registerVolunteer(ctx, sys, { personId: id('wang'), skills: ['心理疏导'] });
  const li = await people.registerVolunteer(ctx, sys, { personId: id('li'), skills: ['政策宣讲'] });
  // Both report to 江城社区大党委 (the community party committee of the demo territory).
  const committee = await ctx.db
    .selectFrom('org')
    .select('id')
    .where('district_code', '=', '330212')
    .where('seed_key', '=', `party:${JIANGCHENG}`)
    .executeTakeFirst();
  await party.registerPartyMember(ctx, sys, { personId: id('li'), kind: 'self_managed', orgId: committee?.id });
  await party.registerPartyMember(ctx, sys, {
    personId: id('sun'),
    kind: 'in_service',
    orgId: committee?.id,
    workplace: '鄞州区城市管理局',
  });

  const day = (n: number) => new Date(now.getTime() - n * 86_400_000);
  const resident = actor('jc-resident');
  const volunteer = actor('jc-volunteer');
  const worker = actor('jiangcheng');
  await orders.postOrder(ctx, resident, {
    kind: 'buy_medicine',
    title: '帮忙到药店买降压药',
    description: '苯磺酸氨氯地平片两盒，钱当面给',
    takeWithinHours: 24,
  });
  await orders.postOrder(ctx, worker, {
    kind: 'escort_medical',
    title: '陪同刘阿姨去鄞州二院复诊',
    description: '周四上午，需要轮椅',
    personId: id('liu'),
    takeWithinHours: 48,
  });
  await orders.postOrder(ctx, worker, {
    kind: 'wish',
    title: '微心愿：想要一台收音机',
    description: '独居老人，平时听越剧',
    personId: id('liu'),
    takeWithinHours: 72,
  });
  const taken = await orders.postOrder(
    ctx,
    resident,
    { kind: 'appliance_repair', title: '厨房水龙头漏水', description: '滴水不停，需要换阀芯' },
    day(2),
  );
  await orders.takeOrder(ctx, volunteer, taken.id, day(2));
  const done = await orders.postOrder(ctx, worker, { kind: 'companion', title: '周末陪刘阿姨聊天', personId: id('liu') }, day(9));
  const t2 = await orders.takeOrder(ctx, volunteer, done.id, day(9));
  const c2 = await orders.orderAction(
    ctx,
    volunteer,
    done.id,
    'complete',
    { version: t2.version, note: '陪聊两小时，帮忙整理了药盒' },
    day(8),
  );
  await orders.orderAction(ctx, worker, done.id, 'confirm', { version: c2.version, rating: 5, comment: '小赵很耐心' }, day(7));

  const pair = await people.createPair(ctx, sys, { volunteerId: zhao.id, personId: id('liu') });
  await people.logVisit(ctx, sys, pair.id, {
    visitedOn: day(12).toISOString().slice(0, 10),
    note: '上门走访，老人身体状况良好，帮忙更换灯泡',
  });
  const late = await people.createPair(ctx, sys, { volunteerId: wang.id, personId: id('chen') });
  await ctx.db
    .updateTable('help_pair')
    .set({ started_on: day(60).toISOString().slice(0, 10) })
    .where('id', '=', late.id)
    .execute();

  const start = new Date(
    Date.parse(`${new Date(now.getTime() + 8 * 3600_000 + 3 * 86_400_000).toISOString().slice(0, 10)}T09:00:00+08:00`),
  );
  await people.createProject(ctx, worker, {
    communityCode: JIANGCHENG,
    title: '甬江沿岸环境清洁志愿行动',
    description: '清理甬江步道垃圾，宣传垃圾分类',
    startsAt: start.toISOString(),
    endsAt: new Date(start.getTime() + 3 * 3600_000).toISOString(),
    slots: 20,
  });
  await seedPastProjects(ctx, worker, { zhao: zhao.id, wang: wang.id, li: li.id }, now);
  await people.createPost(ctx, sys, {
    communityCode: JIANGCHENG,
    title: '江城花园1幢楼道长',
    description: '联系1幢住户，收集诉求，协助楼道整治',
  });
  await people.createPost(ctx, sys, { communityCode: JIANGCHENG, title: '独居老人结对关爱岗', description: '每周联系辖区独居老人' });

  for (const [name, cost, stock] of [
    ['洗衣液一瓶', 30, 50],
    ['大米5公斤', 80, 20],
    ['理发服务一次', 20, 100],
    ['社区食堂餐券', 15, 200],
  ] as const) {
    await points.addShopItem(ctx, sys, { communityCode: JIANGCHENG, name, cost, stock });
  }
  // A few weeks of participation history (垃圾分类督导, 议事会, 文明劝导) across the demo residents.
  await ctx.db.transaction().execute(async (tx) => {
    const entries = [];
    const activities = ['垃圾分类督导', '居民议事会', '文明劝导', '消防演练', '邻里节'];
    for (let w = 0; w < 6; w++) {
      for (const [i, k] of ['zhang', 'zhao', 'li', 'wang', 'sun'].entries()) {
        if ((w + i) % 2 === 0)
          entries.push({
            personId: id(k),
            communityCode: JIANGCHENG,
            delta: 2 + ((w + i) % 3),
            reason: 'participation',
            refType: 'activity',
            refId: activities[(w + i) % 5],
            actorName: '江城社区 陈丽华',
          });
      }
    }
    await appendPoints(tx, '330212', entries, day(30));
  });
}

/**
 * Three past projects with check-in/out times (hours = creditedHours of each row); the organiser confirms
 * them through confirmHours on the day after each project, so points come from the ledger as in real use.
 */
export const PAST_PROJECTS = [
  {
    daysAgo: 25,
    title: '颐养院敬老慰问',
    description: '为颐养院老人表演节目、理发、陪聊',
    from: '09:00',
    to: '11:30',
    volunteers: { zhao: ['08:50', '11:35'], wang: ['09:00', '11:30'], li: ['09:10', '11:00'] },
  },
  {
    daysAgo: 18,
    title: '垃圾分类桶边督导',
    description: '早高峰在江城花园投放点指导分类投放',
    from: '07:00',
    to: '09:00',
    volunteers: { zhao: ['06:55', '09:05'], li: ['07:00', '08:30'] },
  },
  {
    daysAgo: 11,
    title: '社区义诊活动协助',
    description: '协助社区卫生服务站量血压、维持秩序',
    from: '08:30',
    to: '11:30',
    volunteers: { zhao: ['08:20', '11:40'], wang: ['08:30', '10:30'] },
  },
] as const;

async function seedPastProjects(ctx: AppContext, worker: Actor, volunteers: Record<'zhao' | 'wang' | 'li', string>, now: Date) {
  for (const p of PAST_PROJECTS) {
    const date = new Date(now.getTime() + 8 * 3600_000 - p.daysAgo * 86_400_000).toISOString().slice(0, 10);
    const at = (hm: string) => new Date(`${date}T${hm}:00+08:00`);
    const created = await people.createProject(ctx, worker, {
      communityCode: JIANGCHENG,
      title: p.title,
      description: p.description,
      startsAt: at(p.from).toISOString(),
      endsAt: at(p.to).toISOString(),
      slots: 10,
    });
    await ctx.db
      .updateTable('volunteer_project')
      .set({ created_at: new Date(at(p.from).getTime() - 7 * 86_400_000) })
      .where('id', '=', created.id)
      .execute();
    const rows = Object.entries(p.volunteers).map(([k, [inAt, outAt]]) => ({
      district_code: '330212',
      project_id: created.id,
      volunteer_id: volunteers[k as keyof typeof volunteers],
      checked_in_at: at(inAt),
      checked_out_at: at(outAt),
      created_at: new Date(at(p.from).getTime() - 3 * 86_400_000),
    }));
    await ctx.db.insertInto('volunteer_signup').values(rows).execute();
    await people.confirmHours(ctx, worker, created.id, new Date(at(p.to).getTime() + 86_400_000));
  }
}
