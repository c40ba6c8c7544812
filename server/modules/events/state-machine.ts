/**
 * The closed loop of an event (事件闭环), as a pure function: which action each party may take
 * in each state, and where it leads. No I/O; the service computes the caller's relations to the
 * event (by role and place) and applies the result in one transaction.
 *
 *   reported ─accept→ handling ─handle→ handled ─verify→ verified ─close→ closed ─evaluate→ evaluated
 *       │                │  ├─escalate→ escalated (one level up, waits to be accepted there)
 *       │                │  ├─whistle→ whistled (street summons departments, 吹哨) ─respond→ responded ─handle→ handled
 *       │                │  └─suspend→ suspend_requested ─approve_suspend→ suspended ─resume→ (back)
 *       └─merge→ merged (duplicate)            handled ─reject→ back to handling / responded
 *   return: a level or department sends a mis-routed event back down; reopen: after a bad evaluation.
 */

export const STATES = [
  'reported', // 待受理
  'escalated', // 已上报 (waiting for the level above to accept)
  'handling', // 处置中
  'whistled', // 已吹哨 (waiting for the lead department to respond)
  'responded', // 部门已响应 (department handling)
  'suspend_requested', // 申请挂起
  'suspended', // 已挂起 (clock stopped)
  'handled', // 已处置 (waiting for verification)
  'verified', // 已核查
  'closed', // 已结案
  'evaluated', // 已评价
  'merged', // 已合并 (duplicate)
] as const;
export type EventState = (typeof STATES)[number];

export const LEVELS = ['grid', 'community', 'street'] as const;
export type Level = (typeof LEVELS)[number];

export const ACTIONS = [
  'accept', // 受理
  'escalate', // 上报
  'whistle', // 吹哨
  'respond', // 部门响应
  'handle', // 处置完成
  'verify', // 核查通过
  'reject', // 核查不通过
  'close', // 结案
  'evaluate', // 评价
  'return', // 退回
  'suspend', // 申请挂起
  'approve_suspend', // 批准挂起
  'deny_suspend', // 驳回挂起
  'resume', // 恢复
  'merge', // 合并
  'reopen', // 重新办理
  'supervise', // 督办
  'note', // 备注
] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * How the caller stands to the event. grid / community / street / district: holds the handling
 * role whose place covers the event; lead / assist: staff of the lead or an assisting department;
 * reporter: filed it.
 */
export const RELATIONS = ['reporter', 'grid', 'community', 'street', 'district', 'lead', 'assist'] as const;
export type Relation = (typeof RELATIONS)[number];

export interface MachineEvent {
  state: EventState;
  level: Level;
  /** The lowest level the event has been handled at (where a return sends it back to). */
  originLevel: Level;
  /** Whether departments were summoned (the event is then handled by the lead department). */
  whistled: boolean;
  /** The state a suspension returns to. */
  resumeState: EventState | null;
  /** Satisfaction 1–5 once evaluated. */
  satisfaction: number | null;
}

export const OPEN_STATES: ReadonlySet<EventState> = new Set([
  'reported',
  'escalated',
  'handling',
  'whistled',
  'responded',
  'suspend_requested',
  'suspended',
  'handled',
  'verified',
]);

const LEVEL_RANK: Record<Level, number> = { grid: 0, community: 1, street: 2 };

/** The relation that handles an event at a level. */
function handlerOf(level: Level): Relation {
  return level;
}

/** The relations strictly above a level (who may supervise it and approve its suspension). */
export function relationsAbove(level: Level): Relation[] {
  if (level === 'grid') return ['community', 'street', 'district'];
  if (level === 'community') return ['street', 'district'];
  return ['district'];
}

function levelUp(level: Level): Level | null {
  return level === 'grid' ? 'community' : level === 'community' ? 'street' : null;
}

function levelDown(level: Level): Level | null {
  return level === 'street' ? 'community' : level === 'community' ? 'grid' : null;
}

/** Who is working on the event right now: the lead department once it responded, else the level. */
function workers(e: MachineEvent): Relation[] {
  return e.whistled && (e.state === 'responded' || e.resumeState === 'responded') ? ['lead'] : [handlerOf(e.level)];
}

type Rule = (e: MachineEvent) => { who: Relation[]; next: Partial<MachineEvent> } | null;

/** One rule per action: who may take it in the event's present condition, and the change it makes. */
const RULES: Record<Action, Rule> = {
  accept: (e) => (e.state === 'reported' || e.state === 'escalated' ? { who: [handlerOf(e.level)], next: { state: 'handling' } } : null),

  escalate: (e) => {
    const up = levelUp(e.level);
    if (e.state !== 'handling' || !up) return null;
    return { who: [handlerOf(e.level)], next: { state: 'escalated', level: up } };
  },

  whistle: (e) =>
    e.state === 'handling' && e.level === 'street' ? { who: ['street'], next: { state: 'whistled', whistled: true } } : null,

  respond: (e) => (e.state === 'whistled' ? { who: ['lead'], next: { state: 'responded' } } : null),

  handle: (e) => {
    if (e.state === 'handling' && !e.whistled) return { who: [handlerOf(e.level)], next: { state: 'handled' } };
    if (e.state === 'responded') return { who: ['lead'], next: { state: 'handled' } };
    return null;
  },

  // 核查: by the reporter or the grid worker; at community / street level also the level's own staff.
  verify: (e) => (e.state === 'handled' ? { who: verifiers(e), next: { state: 'verified' } } : null),
  reject: (e) => (e.state === 'handled' ? { who: verifiers(e), next: { state: e.whistled ? 'responded' : 'handling' } } : null),

  close: (e) => (e.state === 'verified' ? { who: [handlerOf(e.level)], next: { state: 'closed' } } : null),

  // The reporter evaluates; the level's staff record a hotline caller's answer on the return visit (回访).
  evaluate: (e) => (e.state === 'closed' ? { who: ['reporter', handlerOf(e.level)], next: { state: 'evaluated' } } : null),

  // Unsatisfied (1–2 of 5): the reporter or the level reopens it; it goes back to the level that closed it.
  reopen: (e) =>
    e.state === 'evaluated' && e.satisfaction !== null && e.satisfaction <= 2
      ? { who: ['reporter', handlerOf(e.level)], next: { state: 'handling', whistled: false, satisfaction: null } }
      : null,

  return: (e) => {
    // A department sends a mis-routed whistle back to the street.
    if (e.state === 'whistled') return { who: ['lead'], next: { state: 'handling', whistled: false } };
    // A level sends an escalation it should not have received back down.
    const down = levelDown(e.level);
    if ((e.state === 'escalated' || e.state === 'handling') && down && LEVEL_RANK[e.level] > LEVEL_RANK[e.originLevel] && !e.whistled)
      return { who: [handlerOf(e.level)], next: { state: 'handling', level: down } };
    return null;
  },

  suspend: (e) =>
    e.state === 'handling' || e.state === 'responded'
      ? { who: workers(e), next: { state: 'suspend_requested', resumeState: e.state } }
      : null,
  approve_suspend: (e) =>
    e.state === 'suspend_requested'
      ? { who: e.whistled ? ['street', 'district'] : relationsAbove(e.level), next: { state: 'suspended' } }
      : null,
  deny_suspend: (e) =>
    e.state === 'suspend_requested'
      ? {
          who: e.whistled ? ['street', 'district'] : relationsAbove(e.level),
          next: { state: e.resumeState ?? 'handling', resumeState: null },
        }
      : null,
  resume: (e) =>
    e.state === 'suspended'
      ? {
          who: [...workers(e), ...(e.whistled ? (['street', 'district'] as Relation[]) : relationsAbove(e.level))],
          next: { state: e.resumeState ?? 'handling', resumeState: null },
        }
      : null,

  merge: (e) =>
    e.state === 'reported' || e.state === 'escalated' || e.state === 'handling'
      ? { who: [handlerOf(e.level), ...relationsAbove(e.level)], next: { state: 'merged' } }
      : null,

  // 督办: any level above the one handling it; the street and district over a department.
  supervise: (e) => {
    if (!OPEN_STATES.has(e.state)) return null;
    const atDepartment = e.whistled && ['whistled', 'responded', 'suspend_requested', 'suspended'].includes(e.state);
    return { who: atDepartment ? ['street', 'district'] : relationsAbove(e.level), next: {} };
  },

  note: (e) => (e.state === 'merged' ? null : { who: [...RELATIONS], next: {} }),
};

function verifiers(e: MachineEvent): Relation[] {
  const who: Relation[] = ['reporter', 'grid'];
  if (e.level !== 'grid') who.push(handlerOf(e.level));
  return who;
}

export interface TransitionOk {
  ok: true;
  next: MachineEvent;
}
export interface TransitionRefused {
  ok: false;
  /** not_allowed_now: the action does not exist in this state; not_yours: it does, for someone else. */
  reason: 'not_allowed_now' | 'not_yours';
  state: EventState;
  allowed: Action[];
}

/** The actions a caller with these relations may take now. */
export function allowedActions(e: MachineEvent, relations: ReadonlySet<Relation>): Action[] {
  return ACTIONS.filter((a) => {
    const r = RULES[a](e);
    return r !== null && r.who.some((w) => relations.has(w));
  });
}

/** Whether anyone at all may take the action now (used to tell "wrong state" from "not yours"). */
export function actionExists(e: MachineEvent, action: Action): boolean {
  return RULES[action](e) !== null;
}

/** Applies an action: the next condition of the event, or why not and what is allowed instead. */
export function transition(e: MachineEvent, action: Action, relations: ReadonlySet<Relation>): TransitionOk | TransitionRefused {
  const rule = RULES[action](e);
  if (!rule || !rule.who.some((w) => relations.has(w))) {
    return { ok: false, reason: rule ? 'not_yours' : 'not_allowed_now', state: e.state, allowed: allowedActions(e, relations) };
  }
  const next: MachineEvent = { ...e, ...rule.next };
  if (action === 'reopen') next.originLevel = e.level;
  return { ok: true, next };
}

/** The level an event was closed at, for the 721 split. */
export function closingLevel(e: MachineEvent): Level {
  return e.level;
}
