/**
 * The life of an application (办件), pure: which step may follow which, who may take it, and the
 * deadline (限时办结) in working days on the official calendar. Time spent waiting for the
 * resident to supplement materials (补正) does not count against the deadline.
 */
import { addWorkingDays, addWorkingMinutes, localDay, workingMinutesBetween, type WorkCalendar } from '../../core/calendar.ts';
import type { ApplicationState } from '../../db/types.ts';
import { WARN_SHARE } from '../events/deadlines.ts';

export const APPLICATION_STATES: readonly ApplicationState[] = [
  'accepted',
  'materials_requested',
  'supplemented',
  'processing',
  'done',
  'refused',
  'withdrawn',
];
export const CLOSED_STATES: ReadonlySet<ApplicationState> = new Set(['done', 'refused', 'withdrawn']);

export const APPLICATION_STATE_ZH: Record<ApplicationState, string> = {
  accepted: '已受理',
  materials_requested: '待补正材料',
  supplemented: '已补正',
  processing: '办理中',
  done: '已办结',
  refused: '不予办理',
  withdrawn: '已撤回',
};

export const APPLICATION_ACTIONS = ['request_materials', 'supplement', 'start', 'complete', 'refuse', 'withdraw'] as const;
export type ApplicationAction = (typeof APPLICATION_ACTIONS)[number];

/**
 * handler: holds the item's handling role (办理角色) over the application's place; window: a
 * one-window worker over the place without that role, who follows the application but takes no
 * step; applicant: the resident it is for.
 */
export type ApplicationRole = 'handler' | 'window' | 'applicant';

interface Step {
  from: readonly ApplicationState[];
  to: ApplicationState;
  by: readonly ApplicationRole[];
  /** The step needs a note (what is missing, why refused). */
  needsNote: boolean;
}

const STEPS: Record<ApplicationAction, Step> = {
  request_materials: { from: ['accepted', 'supplemented', 'processing'], to: 'materials_requested', by: ['handler'], needsNote: true },
  // The resident uploads online, or the worker takes the papers at the counter.
  supplement: { from: ['materials_requested'], to: 'supplemented', by: ['applicant', 'handler'], needsNote: false },
  start: { from: ['accepted', 'supplemented'], to: 'processing', by: ['handler'], needsNote: false },
  complete: { from: ['processing'], to: 'done', by: ['handler'], needsNote: false },
  refuse: { from: ['accepted', 'materials_requested', 'supplemented', 'processing'], to: 'refused', by: ['handler'], needsNote: true },
  withdraw: { from: ['accepted', 'materials_requested', 'supplemented'], to: 'withdrawn', by: ['applicant'], needsNote: false },
};

export type StepResult =
  { ok: true; to: ApplicationState } | { ok: false; reason: 'wrong_state' | 'not_allowed' | 'not_handler' | 'note_required' };

export function applicationStep(
  state: ApplicationState,
  action: ApplicationAction,
  roles: ReadonlySet<ApplicationRole>,
  note: string,
): StepResult {
  const step = STEPS[action];
  if (!step.by.some((r) => roles.has(r))) {
    // A window worker reaching for a handler's step: the item is routed to another role.
    return { ok: false, reason: step.by.includes('handler') && roles.has('window') ? 'not_handler' : 'not_allowed' };
  }
  if (!step.from.includes(state)) return { ok: false, reason: 'wrong_state' };
  if (step.needsNote && note.trim().length < 2) return { ok: false, reason: 'note_required' };
  return { ok: true, to: step.to };
}

/** The steps a caller may take now (for the buttons on the page). */
export function allowedApplicationActions(state: ApplicationState, roles: ReadonlySet<ApplicationRole>): ApplicationAction[] {
  return APPLICATION_ACTIONS.filter((a) => STEPS[a].from.includes(state) && STEPS[a].by.some((r) => roles.has(r)));
}

/** Due time: the time limit in working days from acceptance; a limit of 0 means the same working day (即办件). */
export function dueAt(cal: WorkCalendar, acceptedAt: Date, timeLimitDays: number): Date {
  if (timeLimitDays === 0) return endOfWorkingDay(cal, acceptedAt);
  return addWorkingDays(cal, acceptedAt, timeLimitDays);
}

function endOfWorkingDay(cal: WorkCalendar, at: Date): Date {
  // 即办件: due by the end of the office day it was accepted on (or the next working day's end).
  const day = localDay(at);
  const end = cal.officeHours[cal.officeHours.length - 1][1];
  const candidate = new Date(Date.parse(`${day}T00:00:00Z`) - 8 * 3600_000 + end * 60_000);
  if (candidate > at && workingMinutesBetween(cal, at, candidate) > 0) return candidate;
  return addWorkingDays(cal, at, 1);
}

/** When materials arrive, the clock resumes: the due time moves by the working time spent waiting. */
export function dueAfterWaiting(cal: WorkCalendar, due: Date, waitingSince: Date, now: Date): Date {
  const waited = workingMinutesBetween(cal, waitingSince, now);
  return waited > 0 ? addWorkingMinutes(cal, due, waited) : due;
}

export type DeadlineColour = 'green' | 'yellow' | 'red' | 'paused' | 'closed';

/**
 * Like events (server/modules/events/deadlines.ts): yellow once WARN_SHARE (75 %) of the working
 * time between acceptance and the due time has gone, i.e. a quarter or less is left; red after the
 * due time. The due instant itself is still yellow: finishing then counts as on time
 * (finishedOnTime), as in the on-time rate and the overdue filter. After a pause the due time has
 * moved by the working time spent waiting, and the quarter is taken of the span as it now stands.
 * Paused while waiting for the resident; closed applications carry no colour.
 */
export function deadlineColour(cal: WorkCalendar, state: ApplicationState, acceptedAt: Date, due: Date, now: Date): DeadlineColour {
  if (CLOSED_STATES.has(state)) return 'closed';
  if (state === 'materials_requested') return 'paused';
  if (now.getTime() > due.getTime()) return 'red';
  const total = workingMinutesBetween(cal, acceptedAt, due);
  const left = workingMinutesBetween(cal, now, due);
  return left <= total - Math.round(total * WARN_SHARE) ? 'yellow' : 'green';
}

/** Was a closed application finished in time? (on-time rate) */
export function finishedOnTime(finishedAt: Date, due: Date): boolean {
  return finishedAt.getTime() <= due.getTime();
}
