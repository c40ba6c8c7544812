/**
 * Help orders (海多多 "居民下单、党员接单", V3), pure: the states, which step follows which and
 * who takes it. Taking itself is decided by the database (one conditional update), so only one
 * of two racing takers wins.
 */
import type { HelpOrderKind, HelpOrderState } from '../../db/types.ts';

export const ORDER_KINDS: readonly HelpOrderKind[] = ['buy_medicine', 'escort_medical', 'appliance_repair', 'wish', 'companion', 'other'];
export const ORDER_KIND_ZH: Record<HelpOrderKind, string> = {
  buy_medicine: '代买药品',
  escort_medical: '陪同就医',
  appliance_repair: '家电维修',
  wish: '微心愿',
  companion: '陪伴聊天',
  other: '其他求助',
};
export const ORDER_STATES: readonly HelpOrderState[] = ['open', 'taken', 'completed', 'confirmed', 'escalated', 'cancelled'];
export const ORDER_STATE_ZH: Record<HelpOrderState, string> = {
  open: '待接单',
  taken: '已接单',
  completed: '已完成待确认',
  confirmed: '已确认',
  escalated: '超时转社工',
  cancelled: '已取消',
};

export const TAKEABLE: ReadonlySet<HelpOrderState> = new Set(['open', 'escalated']);

export type OrderAction = 'take' | 'complete' | 'confirm' | 'cancel';
export type OrderRole = 'taker' | 'requester' | 'worker' | 'server';

const RULES: Record<OrderAction, { from: readonly HelpOrderState[]; to: HelpOrderState; by: readonly OrderRole[] }> = {
  take: { from: ['open', 'escalated'], to: 'taken', by: ['server', 'worker'] },
  complete: { from: ['taken'], to: 'completed', by: ['taker'] },
  confirm: { from: ['completed'], to: 'confirmed', by: ['requester', 'worker'] },
  cancel: { from: ['open', 'escalated'], to: 'cancelled', by: ['requester', 'worker'] },
};

export type OrderStep = { ok: true; to: HelpOrderState } | { ok: false; reason: 'wrong_state' | 'not_allowed' };

export function orderStep(state: HelpOrderState, action: OrderAction, roles: ReadonlySet<OrderRole>): OrderStep {
  const r = RULES[action];
  if (!r.by.some((x) => roles.has(x))) return { ok: false, reason: 'not_allowed' };
  if (!r.from.includes(state)) return { ok: false, reason: 'wrong_state' };
  return { ok: true, to: r.to };
}

export function allowedOrderActions(state: HelpOrderState, roles: ReadonlySet<OrderRole>): OrderAction[] {
  return (Object.keys(RULES) as OrderAction[]).filter((a) => orderStep(state, a, roles).ok);
}

/** An order still open when its take-by time has passed goes to the community worker. */
export function isOverdueForTaking(state: HelpOrderState, takeBy: Date, now: Date): boolean {
  return state === 'open' && takeBy.getTime() < now.getTime();
}

/** Hours credited for a volunteer project: check-in to check-out, within the project's time, in half hours. */
export function creditedHours(checkIn: Date, checkOut: Date, projectStart: Date, projectEnd: Date): number {
  const from = Math.max(checkIn.getTime(), projectStart.getTime());
  const to = Math.min(checkOut.getTime(), projectEnd.getTime());
  if (to <= from) return 0;
  return Math.floor((to - from) / 1_800_000) / 2;
}

/** A 一帮一 pair without a visit for a month gets a warning. */
export function pairNeedsVisit(lastVisit: string | null, startedOn: string, today: string, days = 30): boolean {
  const since = lastVisit ?? startedOn;
  return (Date.parse(`${today}T00:00:00Z`) - Date.parse(`${since}T00:00:00Z`)) / 86_400_000 > days;
}
