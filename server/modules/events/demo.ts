import { sql, type Transaction } from 'kysely';
import type { DB, EventLevel } from '../../db/types.ts';
import type { Keyring } from '../../core/crypto.ts';
import { createRng, type Rng } from '../territory/prng.ts';
import type { DemoTerritory } from '../territory/demo-data.ts';
import { addWorkingMinutes } from '../../core/calendar.ts';
import { loadCalendar } from './calendar-cache.ts';
import { DEFAULT_CATEGORIES } from './categories.ts';
import { startStage } from './deadlines.ts';
import { NUMBER_ALPHABET } from './numbers.ts';

/**
 * A year of plausible event history for the demo communities, so the command dashboard means
 * something on first start: mostly closed (97 %), 70/20/10 closed at grid / community / street,
 * the street's share often whistled to the district's departments, a few overdue and supervised,
 * and a handful still open in every state. Deterministic for a seed; dated back from "now".
 * Written with bulk inserts (no per-step service calls) to keep the demo seed fast.
 */

const TITLES: Record<string, string[]> = {
  'env.garbage': ['楼道口垃圾堆放', '绿化带内建筑垃圾', '垃圾桶满溢未清运', '小区门口大件垃圾'],
  'env.stall': ['路口流动摊贩占道', '早点摊占用人行道', '水果摊占道经营'],
  'env.ad': ['单元门小广告', '电线杆乱张贴', '墙面喷涂办证广告'],
  'env.greening': ['绿化带被毁种菜', '行道树断枝'],
  'facility.road': ['人行道地砖松动', '小区道路坑洼积水', '盲道被破坏'],
  'facility.light': ['路灯不亮', '楼道感应灯损坏', '小区路灯闪烁'],
  'facility.manhole': ['窨井盖缺失', '雨水井盖破损'],
  'facility.lift': ['电梯困人后停运', '电梯异响'],
  'safety.suspicious': ['深夜可疑人员徘徊', '陌生人挨户推销'],
  'safety.rental': ['疑似群租房', '出租房隔断过多'],
  'fire.ebike': ['楼道飞线充电', '电动车停放楼道充电', '窗口拉线充电'],
  'fire.passage': ['消防通道被车辆堵塞', '楼道堆放杂物'],
  throwing: ['高空抛物砸坏车辆', '楼上扔烟头'],
  'dispute.neighbour': ['邻里漏水纠纷', '楼上噪音引发争吵', '公共区域堆物纠纷'],
  'dispute.property': ['物业费争议', '停车位管理纠纷'],
  'dispute.wages': ['装修工人讨薪'],
  'livelihood.elderly': ['独居老人需要助餐', '高龄老人行动不便求助'],
  'livelihood.noise': ['夜间装修噪声', '广场舞音响过大', '商铺音响扰民'],
  'livelihood.water': ['楼道水管漏水', '小区临时停水无通知'],
  'production.gas': ['沿街商铺燃气软管老化', '餐馆违规使用液化气瓶'],
  'production.food': ['无证小餐饮', '食品过期售卖'],
};

/** How often each category turns up (relative weights). */
const WEIGHTS: Record<string, number> = {
  'env.garbage': 14,
  'env.stall': 7,
  'env.ad': 8,
  'env.greening': 3,
  'facility.road': 5,
  'facility.light': 6,
  'facility.manhole': 2,
  'facility.lift': 3,
  'safety.suspicious': 2,
  'safety.rental': 2,
  'fire.ebike': 8,
  'fire.passage': 5,
  throwing: 2,
  'dispute.neighbour': 6,
  'dispute.property': 3,
  'dispute.wages': 1,
  'livelihood.elderly': 4,
  'livelihood.noise': 6,
  'livelihood.water': 4,
  'production.gas': 2,
  'production.food': 2,
};

const LEVELS: EventLevel[] = ['grid', 'community', 'street'];
const RANK: Record<EventLevel, number> = { grid: 0, community: 1, street: 2 };

function weighted<T extends string>(rng: Rng, weights: Record<T, number>): T {
  const entries = Object.entries(weights) as [T, number][];
  let x = rng.next() * entries.reduce((s, [, w]) => s + w, 0);
  for (const [k, w] of entries) {
    x -= w;
    if (x < 0) return k;
  }
  return entries[0][0];
}

interface StepRow {
  district_code: string;
  event_id: string;
  at: Date;
  actor_id: string | null;
  actor_name: string;
  action: string;
  from_state: string | null;
  to_state: string;
  level: string;
  note: string;
  details: string;
}

export async function seedDemoEvents(
  tx: Transaction<DB>,
  keyring: Keyring,
  territory: DemoTerritory,
  orgIds: Map<string, string>,
  seed = 1,
  now = new Date(),
  perCommunity = 110,
): Promise<{ events: number; steps: number }> {
  const cal = await loadCalendar(tx);
  const divisions = await sql<{ code: string; path: string; name: string }>`select code, path::text as path, name from division
    where code = any(${territory.communities.flatMap((c) => [c.code, c.streetCode])}::text[])`.execute(tx);
  const pathOf = new Map(divisions.rows.map((d) => [d.code, d.path]));
  const users = await tx
    .selectFrom('app_user')
    .select(['id', 'username'])
    .where('username', 'in', ['jc-resident', 'grid-jc-001'])
    .execute();
  const userId = new Map(users.map((u) => [u.username, u.id]));
  const categories = new Map(DEFAULT_CATEGORIES.map((c) => [c.code, c]));

  const events: Record<string, unknown>[] = [];
  const steps: StepRow[] = [];
  let serial = 0;

  for (const community of territory.communities) {
    const grids = territory.grids.filter((g) => g.communityCode === community.code);
    const buildings = territory.buildings.filter((b) => b.communityCode === community.code);
    const cPath = pathOf.get(community.code)!;
    const d = community.districtCode;
    const dept = (key: string) => orgIds.get(key === 'police' ? `dept:${community.streetCode}:police` : `dept:${d}:${key}`) ?? null;
    const deptName = (key: string) =>
      key === 'police'
        ? '派出所'
        : ((
            {
              'law-enforcement': '综合行政执法局',
              market: '市场监督管理局',
              housing: '住房和城乡建设局',
              'civil-affairs': '民政局',
              health: '卫生健康局',
              emergency: '应急管理局',
            } as Record<string, string>
          )[key] ?? key);
    const count = community.code === '330212014027' ? perCommunity + 60 : perCommunity;
    for (let i = 0; i < count; i++) {
      serial++;
      const r = createRng(seed, 'event', community.code, String(i));
      const categoryCode = weighted(r, WEIGHTS);
      const cat = categories.get(categoryCode)!;
      const b = r.pick(buildings);
      const grid = grids.find((g) => g.code === b.gridCode)!;
      const gridWorker = grid.leader ?? `${grid.name}网格员`;
      // Spread over a year, denser in recent months; recent ones are more likely still open.
      const ageDays = Math.floor(Math.pow(r.next(), 1.6) * 360);
      const day = new Date(now.getTime() - ageDays * 86_400_000);
      const reportedAt = new Date(Math.floor(day.getTime() / 86_400_000) * 86_400_000 - 8 * 3600_000 + r.int(8 * 60, 19 * 60) * 60_000);
      if (reportedAt > now) reportedAt.setTime(now.getTime() - r.int(30, 600) * 60_000);
      const source = weighted(r, { grid: 62, web: 18, hotline: 14, import: 6 } as Record<'grid' | 'web' | 'hotline' | 'import', number>);
      const isResident = source === 'web' && community.code === '330212014027' && r.chance(0.5);
      const level0: EventLevel =
        source === 'grid' || source === 'web' ? 'grid' : RANK[cat.closingLevel ?? 'grid'] > 0 ? (cat.closingLevel ?? 'grid') : 'grid';
      // Where it is finally closed: about 70 / 20 / 10 once categories that close higher up are lifted; never below the category's closing level.
      let closeLevel: EventLevel = weighted(r, { grid: 88, community: 8, street: 4 } as Record<EventLevel, number>);
      if (RANK[closeLevel] < RANK[cat.closingLevel ?? 'grid']) closeLevel = cat.closingLevel ?? 'grid';
      if (RANK[closeLevel] < RANK[level0]) closeLevel = level0;
      const whistle = closeLevel === 'street' && (cat.departments?.length ?? 0) > 0 && r.chance(0.75);
      const recent = ageDays <= 6;
      const open = recent ? r.chance(0.7) : r.chance(0.02);
      const id = crypto.randomUUID();
      const number = `SJ${new Date(reportedAt.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '')}${Array.from({ length: 6 }, () => NUMBER_ALPHABET[r.int(0, 31)]).join('')}`;
      const title = r.pick(TITLES[categoryCode] ?? [cat.name]);
      const phone = source === 'hotline' || source === 'web' ? `13${r.int(0, 9)}${String(r.int(0, 99_999_999)).padStart(8, '0')}` : null;

      const firstStep = steps.length;
      let t = reportedAt;
      let state = 'reported';
      let level = level0;
      const limits = { acceptHours: cat.acceptHours ?? 4, respondHours: cat.respondHours ?? 8, handleDays: cat.handleDays ?? 3 };
      const lateness = r.chance(0.08); // runs over its time limit somewhere
      const supervised = lateness && r.chance(0.5);
      const step = (action: string, to: string, actor: string, note = '', details: Record<string, unknown> = {}, hours = 0) => {
        t = hours > 0 ? addWorkingMinutes(cal, t, Math.round(hours * 60)) : t;
        if (t > now) t = new Date(now.getTime() - 60_000);
        steps.push({
          district_code: d,
          event_id: id,
          at: t,
          actor_id: null,
          actor_name: actor,
          action,
          from_state: action === 'report' ? null : state,
          to_state: to,
          level,
          note,
          details: JSON.stringify(details),
        });
        state = to;
      };
      const reporterName =
        source === 'grid'
          ? gridWorker
          : isResident
            ? '居民 张阿姨'
            : source === 'hotline'
              ? `${r.pick(['王', '李', '张', '刘', '陈', '杨', '赵'])}先生`
              : null;
      step('report', 'reported', source === 'grid' ? gridWorker : source === 'import' ? '12345 热线导入' : (reporterName ?? '居民'), '', {
        source,
      });
      const levelName = (l: EventLevel) =>
        l === 'grid' ? gridWorker : l === 'community' ? `${community.name}工作人员` : `${community.streetName}工作人员`;
      let whistledAt: Date | null = null;
      let respondedAt: Date | null = null;
      let acceptedAt: Date | null = null;
      // Walk the loop up to where this event has got to.
      const target = open
        ? r.pick(['reported', 'handling', 'handling', 'escalated', 'whistled', 'responded', 'handled', 'suspended'])
        : 'closed';
      const go = (): boolean => {
        if (target === 'reported') return true;
        step('accept', 'handling', levelName(level), '', {}, r.float(0.2, lateness ? limits.acceptHours * 1.4 : limits.acceptHours * 0.8));
        acceptedAt ??= t;
        if (target === 'handling' && !whistle) return true;
        while (RANK[level] < RANK[closeLevel]) {
          const up = LEVELS[RANK[level] + 1];
          step('escalate', 'escalated', levelName(level), '需上级协调处置', {}, r.float(0.5, 6));
          level = up;
          if (target === 'escalated') return true;
          step('accept', 'handling', levelName(level), '', {}, r.float(0.2, 3));
        }
        if (whistle) {
          const keys = cat.departments!;
          const lead = dept(keys[0]);
          const assist = keys
            .slice(1)
            .map(dept)
            .filter((x): x is string => !!x);
          step(
            'whistle',
            'whistled',
            levelName('street'),
            `请${deptName(keys[0])}牵头处置`,
            { leadOrgId: lead, assistOrgIds: assist },
            r.float(0.5, 4),
          );
          whistledAt = t;
          if (target === 'whistled') return true;
          step(
            'respond',
            'responded',
            deptName(keys[0]),
            '已安排人员',
            {},
            r.float(0.5, lateness ? limits.respondHours * 1.5 : limits.respondHours * 0.7),
          );
          respondedAt = t;
          if (target === 'responded' || target === 'handling') return true;
        }
        if (target === 'suspended') {
          step('suspend', 'suspend_requested', levelName(level), '等待相关单位配合', {}, r.float(1, 8));
          step(
            'approve_suspend',
            'suspended',
            level === 'grid' ? `${community.name}工作人员` : `${community.streetName}工作人员`,
            '同意',
            {},
            r.float(0.5, 4),
          );
          return true;
        }
        const handleHours = limits.handleDays * 8 * (lateness ? r.float(1.1, 1.8) : r.float(0.15, 0.85));
        step('handle', 'handled', whistle ? deptName(cat.departments![0]) : levelName(level), '已处置完毕', {}, handleHours);
        if (target === 'handled') return true;
        step('verify', 'verified', isResident ? '居民 张阿姨' : gridWorker, '', {}, r.float(0.3, 8));
        step('close', 'closed', levelName(level), '', {}, r.float(0.2, 4));
        return true;
      };
      go();
      let satisfaction: number | null = null;
      let evaluatedAt: Date | null = null;
      if (state === 'closed' && r.chance(0.8)) {
        satisfaction = weighted(r, { 5: 60, 4: 25, 3: 8, 2: 4, 1: 3 } as Record<string, number>) as unknown as number;
        satisfaction = Number(satisfaction);
        step('evaluate', 'evaluated', reporterName ?? levelName(level), '', { satisfaction }, r.float(1, 24));
        evaluatedAt = t;
      }
      const mine = steps.slice(firstStep).reverse();
      const closeStep = mine.find((s) => s.action === 'close');
      const handleStep = mine.find((s) => s.action === 'handle');
      // The clock of an open event: started at its last step, overdue when a late one has run past it.
      let clock: { stage: string | null; warnAt: Date | null; dueAt: Date | null; startedAt: Date | null } = {
        stage: null,
        warnAt: null,
        dueAt: null,
        startedAt: null,
      };
      const stage = ['reported', 'escalated'].includes(state)
        ? 'accept'
        : state === 'whistled'
          ? 'respond'
          : ['handling', 'responded'].includes(state)
            ? 'handle'
            : null;
      const last = mine[0];
      if (stage || state === 'suspended') {
        const started = last.at;
        const c = startStage(cal, (stage ?? 'handle') as 'accept' | 'respond' | 'handle', started, limits);
        clock = { stage, warnAt: c.warnAt, dueAt: c.dueAt, startedAt: started };
      }
      const overdue = !!clock.stage && clock.dueAt !== null && clock.dueAt < now;
      const warned = !!clock.stage && clock.warnAt !== null && clock.warnAt < now;
      if (supervised && (open || closeStep)) {
        const at = closeStep ? new Date(closeStep.at.getTime() - 3600_000) : now;
        steps.push({
          district_code: d,
          event_id: id,
          at,
          actor_id: null,
          actor_name: `${community.streetName}工作人员`,
          action: 'supervise',
          from_state: state,
          to_state: state,
          level,
          note: '请加快办理',
          details: '{}',
        });
      }
      events.push({
        district_code: d,
        id,
        number,
        category_code: categoryCode,
        title,
        description: `${b.address}${title}`,
        source,
        state,
        level,
        origin_level: level0,
        whistled:
          !!whistledAt &&
          ['whistled', 'responded', 'handled', 'verified', 'closed', 'evaluated', 'suspended', 'suspend_requested'].includes(state),
        resume_state: state === 'suspended' ? (whistledAt ? 'responded' : 'handling') : null,
        place_code: b.code,
        place_path: `${cPath}.${b.gridCode}.${b.code}`,
        address: b.address,
        lng: b.lng + r.float(-0.0004, 0.0004),
        lat: b.lat + r.float(-0.0003, 0.0003),
        reporter_id: isResident
          ? (userId.get('jc-resident') ?? null)
          : source === 'grid' && community.code === '330212014027' && grid.code.endsWith('001')
            ? (userId.get('grid-jc-001') ?? null)
            : null,
        reporter_name: reporterName,
        reporter_phone_enc: phone ? keyring.encrypt(phone) : null,
        reporter_phone_idx: phone ? keyring.blindIndex(phone) : null,
        lead_org_id: whistledAt ? dept(cat.departments![0]) : null,
        assist_org_ids: whistledAt
          ? cat
              .departments!.slice(1)
              .map(dept)
              .filter((x): x is string => !!x)
          : [],
        stage: clock.stage,
        stage_started_at: clock.startedAt,
        warn_at: clock.warnAt,
        due_at: clock.dueAt,
        warned: warned || overdue,
        overdue,
        ever_overdue: overdue || lateness,
        suspended_at: state === 'suspended' ? last.at : null,
        supervised_count: supervised ? 1 : 0,
        satisfaction,
        reported_at: reportedAt,
        accepted_at: acceptedAt,
        whistled_at: whistledAt,
        responded_at: respondedAt,
        handled_at: handleStep?.at ?? null,
        closed_at: closeStep?.at ?? null,
        closed_level: closeStep ? level : null,
        closed_on_time: closeStep ? !lateness : null,
        evaluated_at: evaluatedAt,
        external_ref: source === 'import' ? `12345-${reportedAt.getFullYear()}-${String(serial).padStart(6, '0')}` : null,
        created_at: reportedAt,
        updated_at: t,
        version: steps.length - firstStep,
      });
    }
  }
  for (let i = 0; i < events.length; i += 200)
    await tx
      .insertInto('event')
      .values(events.slice(i, i + 200) as never)
      .execute();
  for (let i = 0; i < steps.length; i += 1000)
    await tx
      .insertInto('event_step')
      .values(steps.slice(i, i + 1000))
      .execute();
  return { events: events.length, steps: steps.length };
}
