import { describe, expect, it } from 'vitest';
import { createCalendar } from '../../core/calendar.ts';
import { chineseDaysRows } from '../../core/calendar-data.ts';
import type { ApplicationState } from '../../db/types.ts';
import { startStage } from '../events/deadlines.ts';
import {
  allowedApplicationActions,
  applicationStep,
  deadlineColour,
  dueAfterWaiting,
  dueAt,
  finishedOnTime,
  type ApplicationRole,
} from './application-rules.ts';

/**
 * The application's deadline (限时办结) with a chosen clock: due times in working days on the
 * official calendar, the colours at their exact boundaries, the pause while materials are awaited.
 *
 * What the colours mean, as for events (server/modules/events/deadlines.ts): green while more
 * than a quarter of the working time between acceptance and the due time is left; yellow once 75 %
 * of it has gone (a quarter or less left, up to and including the due instant, since finishing
 * then is still on time); red after the due time. Paused while the resident is asked for materials.
 */

const cal = createCalendar(chineseDaysRows());
/** A wall-clock time in Shanghai. */
const at = (local: string) => new Date(`${local}+08:00`);
const ms = (d: Date, n: number) => new Date(d.getTime() + n);
const colour = (state: ApplicationState, accepted: Date, due: Date, now: Date) => deadlineColour(cal, state, accepted, due, now);

describe('due time in working days', () => {
  it.each([
    ['3 days from Monday 10:00 is Thursday 10:00', '2026-11-16T10:00', 3, '2026-11-19T10:00'],
    ['1 day from Friday 10:00 skips the weekend', '2026-11-20T10:00', 1, '2026-11-23T10:00'],
    ['a Saturday application starts on Monday morning', '2026-11-21T15:00', 1, '2026-11-23T18:00'],
    ['after office hours counts from the next morning', '2026-11-16T19:30', 1, '2026-11-17T18:00'],
    ['1 day from the eve of National Day skips 国庆 1–7 Oct', '2026-09-30T10:00', 1, '2026-10-08T10:00'],
    // 30 Sep 7 h, 8 and 9 Oct 8 h each, then the make-up working Saturday 10 Oct for the last hour.
    ['3 days across 国庆 end on the make-up Saturday', '2026-09-30T10:00', 3, '2026-10-10T10:00'],
    ['20 days from the Monday before National Day: the 20th working day is 29 Oct', '2026-09-28T09:00', 20, '2026-10-29T18:00'],
  ])('%s', (_, accepted, days, due) => {
    expect(dueAt(cal, at(accepted), days)).toEqual(at(due));
  });

  it.each([
    ['accepted in the morning: the end of that office day', '2026-11-16T10:00', '2026-11-16T18:00'],
    ['accepted at 17:59: still that day', '2026-11-16T17:59', '2026-11-16T18:00'],
    ['accepted at 18:00 sharp: the next working day', '2026-11-16T18:00', '2026-11-17T18:00'],
    ['accepted on Saturday: Monday', '2026-11-21T10:00', '2026-11-23T18:00'],
    ['accepted on 1 Oct (国庆): the first working day after', '2026-10-01T10:00', '2026-10-08T18:00'],
  ])('即办件 (limit 0) %s', (_, accepted, due) => {
    expect(dueAt(cal, at(accepted), 0)).toEqual(at(due));
  });
});

describe('deadline colours with a chosen clock', () => {
  // A 4-working-day item accepted Monday 16 Nov 2026 09:00: due Thursday 18:00 (1,920 working
  // minutes). Yellow from the last quarter (480 minutes, one working day): Wednesday 18:00.
  const accepted = at('2026-11-16T09:00');
  const due = dueAt(cal, accepted, 4);

  it('computes the due time the table below uses', () => {
    expect(due).toEqual(at('2026-11-19T18:00'));
  });

  it.each([
    ['just accepted', '2026-11-16T09:00', 'green'],
    ['Wednesday noon (half gone)', '2026-11-18T12:00', 'green'],
    ['Wednesday 17:59 (481 minutes left)', '2026-11-18T17:59', 'green'],
    ['Wednesday 18:00 (exactly a quarter left)', '2026-11-18T18:00', 'yellow'],
    ['Wednesday night (the clock does not run)', '2026-11-18T23:00', 'yellow'],
    ['Thursday 17:59', '2026-11-19T17:59', 'yellow'],
    ['the due instant itself', '2026-11-19T18:00', 'yellow'],
    ['Friday morning', '2026-11-20T09:00', 'red'],
  ])('%s → %s', (_, now, want) => {
    expect(colour('processing', accepted, due, at(now))).toBe(want);
  });

  it('turns red one millisecond after the due time, and finishing at the due time is on time', () => {
    expect(colour('accepted', accepted, due, ms(due, 1))).toBe('red');
    expect(finishedOnTime(due, due)).toBe(true);
    expect(finishedOnTime(ms(due, 1), due)).toBe(false);
  });

  it('every open state but materials_requested runs the clock; waiting is paused, closed has no colour', () => {
    const late = at('2026-11-25T10:00');
    for (const s of ['accepted', 'supplemented', 'processing'] as const) expect(colour(s, accepted, due, late)).toBe('red');
    expect(colour('materials_requested', accepted, due, late)).toBe('paused');
    for (const s of ['done', 'refused', 'withdrawn'] as const) expect(colour(s, accepted, due, late)).toBe('closed');
  });

  it.each([1, 3, 5, 10, 15, 20])('turns yellow at the same instant as an event stage of %i working days', (days) => {
    // Accepted Thursday 24 Sep 2026 11:20, the eve of 中秋 (25–27 Sep) and a week before 国庆: the windows cross both.
    const start = at('2026-09-24T11:20');
    const events = startStage(cal, 'handle', start, { acceptHours: 4, respondHours: 8, handleDays: days });
    const d = dueAt(cal, start, days);
    expect(d).toEqual(events.dueAt);
    expect(colour('processing', start, d, ms(events.warnAt, -60_000))).toBe('green');
    expect(colour('processing', start, d, events.warnAt)).toBe('yellow');
  });

  it('a short limit: a same-day item turns yellow with two office hours left', () => {
    const a = at('2026-11-16T09:00');
    const d = dueAt(cal, a, 0);
    expect(colour('accepted', a, d, at('2026-11-16T15:59'))).toBe('green');
    expect(colour('accepted', a, d, at('2026-11-16T16:00'))).toBe('yellow');
    expect(colour('accepted', a, d, at('2026-11-16T18:01'))).toBe('red');
  });
});

describe('the clock pauses while materials are requested (补正)', () => {
  it('moves the due time by the working time spent waiting', () => {
    const accepted = at('2026-11-16T09:00');
    const due = dueAt(cal, accepted, 3); // Wednesday 18:00
    // Asked Tuesday 09:00, supplied Thursday 09:00: two working days waited.
    expect(dueAfterWaiting(cal, due, at('2026-11-17T09:00'), at('2026-11-19T09:00'))).toEqual(at('2026-11-20T18:00'));
  });

  it('a weekend or National Day spent waiting costs only the office time in it', () => {
    const due = at('2026-11-23T14:00');
    // Friday 17:00 → Monday 10:00: one hour on Friday, one on Monday.
    expect(dueAfterWaiting(cal, due, at('2026-11-20T17:00'), at('2026-11-23T10:00'))).toEqual(at('2026-11-23T16:00'));
    // 30 Sep 17:00 → 8 Oct 09:30: 60 + 30 minutes; the seven holidays cost nothing.
    const nd = at('2026-10-08T10:00');
    expect(dueAfterWaiting(cal, nd, at('2026-09-30T17:00'), at('2026-10-08T09:30'))).toEqual(at('2026-10-08T11:30'));
    // Asked and answered outside office hours: the due time stays.
    expect(dueAfterWaiting(cal, nd, at('2026-10-03T10:00'), at('2026-10-04T16:00'))).toEqual(nd);
  });

  it('colours against the moved due time once the materials arrive', () => {
    const accepted = at('2026-11-16T09:00');
    const due = dueAt(cal, accepted, 4); // Thursday 19 Nov 18:00
    const moved = dueAfterWaiting(cal, due, at('2026-11-17T09:00'), at('2026-11-19T09:00')); // Monday 23 Nov 18:00
    expect(moved).toEqual(at('2026-11-23T18:00'));
    // Friday 20 Nov 09:00 would have been red on the old due time; after the pause it is not.
    expect(colour('supplemented', accepted, due, at('2026-11-20T09:00'))).toBe('red');
    expect(colour('supplemented', accepted, moved, at('2026-11-20T09:00'))).toBe('green');
    // The quarter is taken of the span as it stands (6 working days): yellow from 1.5 days before the due time.
    expect(colour('supplemented', accepted, moved, at('2026-11-20T13:59'))).toBe('green');
    expect(colour('supplemented', accepted, moved, at('2026-11-20T14:00'))).toBe('yellow');
    expect(colour('supplemented', accepted, moved, ms(at('2026-11-23T18:00'), 1))).toBe('red');
  });
});

describe('who takes which step', () => {
  const roles = (...r: ApplicationRole[]) => new Set(r);

  it('a window worker without the handling role follows the application but takes no step', () => {
    expect(allowedApplicationActions('accepted', roles('window'))).toEqual([]);
    for (const a of ['request_materials', 'start', 'refuse'] as const) {
      expect(applicationStep('accepted', a, roles('window'), '请补充材料')).toEqual({ ok: false, reason: 'not_handler' });
    }
    expect(applicationStep('processing', 'complete', roles('window'), '')).toEqual({ ok: false, reason: 'not_handler' });
    // Withdrawing is the applicant's, not a handler's step: a plain refusal.
    expect(applicationStep('accepted', 'withdraw', roles('window'), '')).toEqual({ ok: false, reason: 'not_allowed' });
  });

  it('the handler takes the handling steps; the applicant supplements and withdraws', () => {
    expect(allowedApplicationActions('accepted', roles('handler'))).toEqual(['request_materials', 'start', 'refuse']);
    expect(allowedApplicationActions('materials_requested', roles('applicant'))).toEqual(['supplement', 'withdraw']);
    expect(applicationStep('accepted', 'start', roles('handler'), '')).toEqual({ ok: true, to: 'processing' });
    expect(applicationStep('accepted', 'refuse', roles('handler'), ' ')).toEqual({ ok: false, reason: 'note_required' });
    expect(applicationStep('done', 'start', roles('handler'), '')).toEqual({ ok: false, reason: 'wrong_state' });
    expect(applicationStep('accepted', 'start', roles('applicant'), '')).toEqual({ ok: false, reason: 'not_allowed' });
  });
});
