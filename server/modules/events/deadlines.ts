import { addWorkingMinutes, workingMinutesBetween, type WorkCalendar } from '../../core/calendar.ts';
import type { EventState } from './state-machine.ts';

/**
 * Deadlines (限时办结, 001): each stage of the loop has a time limit from the category, counted
 * in working time on the official calendar. "Yellow" once 75 % of the stage's working time has
 * gone, "red" after the due time. Pure.
 */

export type Stage = 'accept' | 'respond' | 'handle';

export interface StageLimits {
  /** working hours to accept (受理时限) */
  acceptHours: number;
  /** working hours for a department to respond after a whistle (响应时限) */
  respondHours: number;
  /** working days to handle (办结时限) */
  handleDays: number;
}

/** The stage whose clock runs in a state; null when no clock runs (waiting on the reporter, stopped, done). */
export function stageOf(state: EventState): Stage | null {
  switch (state) {
    case 'reported':
    case 'escalated':
      return 'accept';
    case 'whistled':
      return 'respond';
    case 'handling':
    case 'responded':
    case 'suspend_requested':
      return 'handle';
    default:
      return null;
  }
}

export const WARN_SHARE = 0.75;
const MINUTES_PER_DAY = 480;

export function stageMinutes(stage: Stage, limits: StageLimits): number {
  if (stage === 'accept') return limits.acceptHours * 60;
  if (stage === 'respond') return limits.respondHours * 60;
  return limits.handleDays * MINUTES_PER_DAY;
}

export interface StageClock {
  stage: Stage;
  startedAt: Date;
  warnAt: Date;
  dueAt: Date;
}

/** The clock of a stage started at `start`. */
export function startStage(cal: WorkCalendar, stage: Stage, start: Date, limits: StageLimits): StageClock {
  const minutes = stageMinutes(stage, limits);
  return {
    stage,
    startedAt: start,
    warnAt: addWorkingMinutes(cal, start, Math.round(minutes * WARN_SHARE)),
    dueAt: addWorkingMinutes(cal, start, minutes),
  };
}

/**
 * After a suspension (clock stopped), the due and warning times move on by the working time the
 * event spent suspended.
 */
export function extendAfterSuspension(cal: WorkCalendar, clock: { warnAt: Date; dueAt: Date }, suspendedAt: Date, resumedAt: Date) {
  const paused = workingMinutesBetween(cal, suspendedAt, resumedAt);
  return {
    warnAt: addWorkingMinutes(cal, clock.warnAt, paused),
    dueAt: addWorkingMinutes(cal, clock.dueAt, paused),
    pausedMinutes: paused,
  };
}

/** Supervision (督办) sets a new due time: N working days from now, never later than the old one. */
export function supervisedDue(cal: WorkCalendar, now: Date, days: number, current: Date | null): Date {
  const due = addWorkingMinutes(cal, now, days * MINUTES_PER_DAY);
  return current && current.getTime() < due.getTime() && current.getTime() > now.getTime() ? current : due;
}

export type DeadlineColour = 'green' | 'yellow' | 'red' | 'none';

export function deadlineColour(now: Date, warnAt: Date | null, dueAt: Date | null): DeadlineColour {
  if (!dueAt) return 'none';
  if (now.getTime() >= dueAt.getTime()) return 'red';
  if (warnAt && now.getTime() >= warnAt.getTime()) return 'yellow';
  return 'green';
}
