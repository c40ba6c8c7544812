import { describe, expect, it } from 'vitest';
import { createCalendar } from '../../core/calendar.ts';
import { chineseDaysRows } from '../../core/calendar-data.ts';
import { deadlineColour, extendAfterSuspension, stageOf, startStage, supervisedDue } from './deadlines.ts';
import { STATES } from './state-machine.ts';

const cal = createCalendar(chineseDaysRows());
const at = (local: string) => new Date(`${local}+08:00`);
const limits = { acceptHours: 4, respondHours: 8, handleDays: 3 };

describe('event deadlines', () => {
  it('runs a clock in exactly the states where someone must act', () => {
    const stages = Object.fromEntries(STATES.map((s) => [s, stageOf(s)]));
    expect(stages).toEqual({
      reported: 'accept',
      escalated: 'accept',
      handling: 'handle',
      whistled: 'respond',
      responded: 'handle',
      suspend_requested: 'handle',
      suspended: null,
      handled: null,
      verified: null,
      closed: null,
      evaluated: null,
      merged: null,
    });
  });

  it('a 3-working-day handling stage started before the Spring Festival ends after it', () => {
    const c = startStage(cal, 'handle', at('2026-02-12T10:00'), limits);
    // 12 Feb (Thu) 10:00 → 13 Feb, 14 Feb (make-up Saturday), then 24 Feb 10:00.
    expect(c.dueAt).toEqual(at('2026-02-24T10:00'));
    // 75 % of 24 working hours = 18 h: 7 h on 12 Feb, 8 h on 13 Feb, 3 h on the make-up Saturday.
    expect(c.warnAt).toEqual(at('2026-02-14T12:00'));
  });

  it('accept within 4 working hours of a report on Saturday night before National Day', () => {
    const c = startStage(cal, 'accept', at('2026-09-26T21:00'), limits);
    // 26–27 Sep 2026 are Mid-Autumn holidays; Monday 28 Sep 09:00 + 4 h = 14:00 (lunch skipped).
    expect(c.dueAt).toEqual(at('2026-09-28T14:00'));
  });

  it('colours: green, yellow from the warning time, red from the due time', () => {
    const c = startStage(cal, 'accept', at('2026-11-16T09:00'), limits);
    expect(deadlineColour(at('2026-11-16T10:00'), c.warnAt, c.dueAt)).toBe('green');
    expect(deadlineColour(at('2026-11-16T12:30'), c.warnAt, c.dueAt)).toBe('yellow');
    expect(deadlineColour(at('2026-11-16T14:00'), c.warnAt, c.dueAt)).toBe('red');
    expect(deadlineColour(at('2026-11-16T14:00'), null, null)).toBe('none');
  });

  it('a suspension stops the clock for the working time it lasted', () => {
    const c = startStage(cal, 'handle', at('2026-11-16T09:00'), limits);
    const moved = extendAfterSuspension(cal, c, at('2026-11-17T09:00'), at('2026-11-19T09:00'));
    expect(moved.pausedMinutes).toBe(960);
    expect(c.dueAt).toEqual(at('2026-11-18T18:00'));
    expect(moved.dueAt).toEqual(at('2026-11-20T18:00'));
  });

  it('supervision shortens a distant deadline and renews a passed one', () => {
    const now = at('2026-11-16T09:00');
    expect(supervisedDue(cal, now, 1, at('2026-11-30T09:00'))).toEqual(at('2026-11-16T18:00'));
    expect(supervisedDue(cal, now, 1, at('2026-11-13T09:00'))).toEqual(at('2026-11-16T18:00'));
    expect(supervisedDue(cal, now, 2, at('2026-11-16T15:00'))).toEqual(at('2026-11-16T15:00'));
  });
});
