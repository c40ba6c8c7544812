import { sql } from 'kysely';
import { systemActor, type Actor, type AppContext } from '../../core/context.ts';
import { createPerson } from '../registry/service.ts';
import { makeIdNumber } from '../registry/id-number.ts';
import { idBlindIndex } from '../registry/pii.ts';
import * as registryStore from '../registry/store.ts';
import { installTemplate } from './catalogue.ts';
import * as applications from './applications.ts';
import * as certificates from './certificates.ts';

/**
 * Demo services: Yinzhou's catalogue in 鄞州区 (published in 江城社区), Daoli's shape in 天宁区,
 * certificate lists, 江城社区 residents (through the registry's own service) with applications in
 * every state, issued certificates and home-visit slots. Deterministic; a few hundred rows.
 */

export const JIANGCHENG = '330212014027';
const TIANNING_COMMUNITIES = ['320402002005', '320402001003'];

export interface DemoPerson {
  key: string;
  name: string;
  birth: string;
  seq: number;
  phone: string;
  tags: string[];
  username?: string;
}

/** Residents of 江城社区 used across the services demo (ID numbers with region 330212, sequences 9xx). */
export const DEMO_PEOPLE: DemoPerson[] = [
  { key: 'zhang', name: '张桂芳', birth: '1958-03-12', seq: 902, phone: '13805741201', tags: [], username: 'jc-resident' },
  { key: 'zhao', name: '赵小宇', birth: '1996-07-21', seq: 911, phone: '13905742202', tags: ['志愿者'], username: 'jc-volunteer' },
  { key: 'li', name: '李建华', birth: '1967-11-02', seq: 913, phone: '13705743303', tags: ['党员'], username: 'jc-party' },
  { key: 'wang', name: '王美玲', birth: '1979-05-18', seq: 924, phone: '13605744404', tags: [] },
  { key: 'chen', name: '陈志强', birth: '1985-09-30', seq: 935, phone: '13505745505', tags: ['残疾'] },
  { key: 'liu', name: '刘淑珍', birth: '1942-01-08', seq: 946, phone: '13405746606', tags: ['独居', '空巢'] },
  { key: 'sun', name: '孙卫国', birth: '1953-12-25', seq: 957, phone: '13305747707', tags: ['退役军人', '党员'] },
];

/** The resident records behind the demo people: found by user or ID number, or created through the registry. */
export async function ensureDemoPeople(ctx: AppContext): Promise<Map<string, { id: string; userId: string | null }>> {
  const out = new Map<string, { id: string; userId: string | null }>();
  const houses = await ctx.db
    .selectFrom('house')
    .select('code')
    .where('code', 'like', `${JIANGCHENG}%`)
    .orderBy('code')
    .limit(60)
    .execute();
  const actor = systemActor('demo-seed');
  for (const [i, p] of DEMO_PEOPLE.entries()) {
    const userId = p.username
      ? ((await ctx.db.selectFrom('app_user').select('id').where('username', '=', p.username).executeTakeFirst())?.id ?? null)
      : null;
    const idNumber = makeIdNumber('330212', p.birth, p.seq);
    let personId: string | null = null;
    if (userId) {
      const linked = await ctx.db.selectFrom('person').select('id').where('user_id', '=', userId).executeTakeFirst();
      personId = linked?.id ?? null;
    }
    if (!personId) {
      const found = await registryStore.personIdByBidx(ctx.db, '330212', idBlindIndex(ctx.keyring, 'resident', idNumber));
      personId = found?.id ?? null;
    }
    if (!personId) {
      const created = await createPerson(ctx, actor, {
        name: p.name,
        idType: 'resident',
        idNumber,
        phone: p.phone,
        ethnicity: '汉族',
        householdPlace: '浙江省宁波市鄞州区',
        residency: 'registered',
        tags: p.tags,
        placeCode: houses[(i * 7) % Math.max(houses.length, 1)]?.code ?? JIANGCHENG,
        relation: 'owner',
        headRelation: '户主',
      });
      personId = created.id;
    }
    if (userId)
      await ctx.db
        .updateTable('person')
        .set({ user_id: userId })
        .where('district_code', '=', '330212')
        .where('id', '=', personId)
        .execute();
    out.set(p.key, { id: personId, userId });
  }
  return out;
}

async function workerActor(ctx: AppContext, username: string): Promise<Actor> {
  const u = await ctx.db.selectFrom('app_user').select(['id', 'display_name']).where('username', '=', username).executeTakeFirstOrThrow();
  return { ...systemActor(username), userId: u.id, username, displayName: u.display_name };
}

export async function seedServicesDemo(ctx: AppContext, now = new Date()) {
  const yz = await installTemplate(ctx.db, '330212', 'yinzhou', [JIANGCHENG]);
  const tn = await installTemplate(ctx.db, '320402', 'daoli', TIANNING_COMMUNITIES);
  const lists: [string, string[]][] = [
    [JIANGCHENG, ['residence', 'hardship', 'disability_living', 'volunteer_service']],
    ['320402002005', ['residence', 'volunteer_service']],
    ['320402001003', ['residence']],
  ];
  const sys = systemActor('demo-seed');
  for (const [code, types] of lists) {
    for (const t of types) await certificates.addListEntry(ctx, sys, { communityCode: code, typeKey: t });
  }
  const people = await ensureDemoPeople(ctx);
  const worker = await workerActor(ctx, 'jiangcheng');
  const resident = await workerActor(ctx, 'jc-resident');
  const items = await ctx.db.selectFrom('service_item').select(['id', 'name']).where('district_code', '=', '330212').execute();
  const item = (name: string) => items.find((i) => i.name === name)!.id;
  const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);
  const mk = async (who: string, itemName: string, at: Date, note: string, viaResident = false) =>
    applications.apply(
      ctx,
      viaResident ? resident : worker,
      { itemId: item(itemName), personId: viaResident ? undefined : people.get(who)!.id, note },
      at,
    );
  const step = (id: string, action: applications.ActionInput['action'], version: number, note: string, at: Date, actor = worker) =>
    applications.act(ctx, actor, id, { action, version, note }, at);

  // Every state, for 江城社区 residents.
  const a1 = await mk('zhang', '老年人优待证办理', daysAgo(1), '申请老年人优待证', true); // accepted (online)
  const a2 = await mk('liu', '高龄津贴申领', daysAgo(6), '本人行动不便，由社工代办');
  await step(a2.id, 'request_materials', a2.version, '请补充本人社保卡复印件', daysAgo(5)); // materials_requested
  const a3 = await mk('chen', '困难残疾人生活补贴申请', daysAgo(8), '家庭困难，申请生活补贴');
  const a3b = await step(a3.id, 'request_materials', a3.version, '请补充第二代残疾人证', daysAgo(7));
  await step(a3.id, 'supplement', a3b.version, '已在窗口提交残疾人证复印件', daysAgo(4)); // supplemented
  const a4 = await mk('wang', '公共租赁住房申请', daysAgo(12), '申请公共租赁住房');
  await step(a4.id, 'start', a4.version, '', daysAgo(11)); // processing
  const a5 = await mk('zhang', '居住证明开具', daysAgo(3), '子女入学', true);
  const a5b = await step(a5.id, 'start', a5.version, '', daysAgo(3));
  await step(a5.id, 'complete', a5b.version, '已出具居住证明', daysAgo(3)); // done, with a certificate
  const a6 = await mk('sun', '临时救助申请', daysAgo(9), '家中突发火灾');
  await step(a6.id, 'refuse', a6.version, '经核实已获保险理赔，不符合临时救助条件', daysAgo(2)); // refused
  const a7 = await mk('zhang', '医保异地就医备案', daysAgo(2), '随子女去上海居住', true);
  await step(a7.id, 'withdraw', a7.version, '', daysAgo(1), resident); // withdrawn
  // Overdue (red) and nearly due (yellow): accepted long enough ago against their limits.
  await mk('li', '失业登记', daysAgo(10), '公司解散');
  await mk('wang', '生育登记', daysAgo(0.9), '二孩生育登记');
  const a10 = await mk('liu', '居家养老服务补贴申请', daysAgo(3), '申请居家养老服务补贴（需上门评估）');
  void a1;

  await certificates.issue(ctx, worker, {
    communityCode: JIANGCHENG,
    personId: people.get('zhao')!.id,
    typeKey: 'volunteer_service',
    purpose: '大学生志愿服务证明',
  });

  // Next week's home-visit slots in 陈丽华's calendar; one booked for 刘淑珍's assessment.
  const monday = new Date(now.getTime() + ((8 - new Date(now.getTime() + 8 * 3600_000).getUTCDay()) % 7 || 7) * 86_400_000);
  const day = new Date(monday.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  const slotRows = [0, 1, 2].flatMap((d) =>
    ['09:00', '14:00'].map((h) => {
      const start = new Date(Date.parse(`${day}T${h}:00+08:00`) + d * 86_400_000);
      return {
        district_code: '330212',
        community_code: JIANGCHENG,
        path: sql<string>`(select path from division where code = ${JIANGCHENG})`,
        worker_user_id: worker.userId,
        worker_name: worker.displayName,
        starts_at: start,
        ends_at: new Date(start.getTime() + 2 * 3600_000),
      };
    }),
  );
  const slots = await ctx.db.insertInto('service_slot').values(slotRows).returning('id').execute();
  await ctx.db
    .updateTable('service_slot')
    .set({ state: 'booked', application_id: a10.id, person_id: people.get('liu')!.id, note: '上门进行老年人能力评估' })
    .where('district_code', '=', '330212')
    .where('id', '=', slots[0].id)
    .execute();
  return { catalogues: { yinzhou: yz, tianning: tn }, people };
}
