import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addWorkingDays,
  addWorkingHours,
  addWorkingMinutes,
  createCalendar,
  isWorkingDay,
  localDay,
  nextWorkingDay,
  previousWorkingDay,
  workingMinutesBetween,
} from './calendar.ts';
import { chineseDaysRows } from './calendar-data.ts';

const rows = chineseDaysRows();
const cal = createCalendar(rows);
/** Shanghai local time as an instant. */
const at = (local: string) => new Date(`${local}+08:00`);
const iso = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

describe('working days from chinese-days', () => {
  it('ships official data up to 2026', () => {
    expect(cal.years.has(2026)).toBe(true);
    expect(cal.years.has(2004)).toBe(true);
    expect(rows.length).toBeGreaterThan(600);
  });

  it('knows the 2026 Spring Festival and its make-up Saturdays', () => {
    for (const d of ['2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-23'])
      expect(isWorkingDay(cal, d), d).toBe(false);
    expect(isWorkingDay(cal, '2026-02-14'), 'Saturday make-up day').toBe(true);
    expect(isWorkingDay(cal, '2026-02-28'), 'Saturday make-up day').toBe(true);
    expect(isWorkingDay(cal, '2026-02-13')).toBe(true);
    expect(isWorkingDay(cal, '2026-02-24')).toBe(true);
    expect(isWorkingDay(cal, '2026-02-07'), 'an ordinary Saturday').toBe(false);
  });

  it('knows National Day 2025 and 2026 with their make-up days', () => {
    for (let d = 1; d <= 8; d++) expect(isWorkingDay(cal, `2025-10-0${d}`)).toBe(false);
    expect(isWorkingDay(cal, '2025-09-28'), 'Sunday make-up day').toBe(true);
    expect(isWorkingDay(cal, '2025-10-11'), 'Saturday make-up day').toBe(true);
    for (let d = 1; d <= 7; d++) expect(isWorkingDay(cal, `2026-10-0${d}`)).toBe(false);
    expect(isWorkingDay(cal, '2026-09-20')).toBe(true);
    expect(isWorkingDay(cal, '2026-10-10')).toBe(true);
    expect(nextWorkingDay(cal, '2026-10-01')).toBe('2026-10-08');
    expect(previousWorkingDay(cal, '2026-10-07')).toBe('2026-09-30');
  });
});

describe('deadline arithmetic', () => {
  it('3 working days from a Monday morning is Thursday at the same time', () => {
    expect(iso(addWorkingDays(cal, at('2026-11-16T10:00'), 3))).toBe('2026-11-19 10:00');
  });

  it('skips the lunch break and the night', () => {
    expect(iso(addWorkingHours(cal, at('2026-11-16T11:00'), 2))).toBe('2026-11-16 14:00');
    expect(iso(addWorkingHours(cal, at('2026-11-16T17:00'), 2))).toBe('2026-11-17 10:00');
    expect(iso(addWorkingHours(cal, at('2026-11-16T20:00'), 1))).toBe('2026-11-17 10:00');
    expect(iso(addWorkingHours(cal, at('2026-11-16T06:00'), 8))).toBe('2026-11-16 18:00');
  });

  it('a report on Friday evening with 4 working hours is due Monday 13:00', () => {
    expect(iso(addWorkingHours(cal, at('2026-11-20T19:00'), 4))).toBe('2026-11-23 14:00');
  });

  it('crosses the 2026 Spring Festival: before it, through it, and onto the make-up Saturday', () => {
    // Friday 13 Feb 15:00 + 1 working day: Saturday 14 Feb is a make-up working day.
    expect(iso(addWorkingDays(cal, at('2026-02-13T15:00'), 1))).toBe('2026-02-14 15:00');
    // + 2 working days: the holiday runs 15–23 Feb, so Tuesday 24 Feb.
    expect(iso(addWorkingDays(cal, at('2026-02-13T15:00'), 2))).toBe('2026-02-24 15:00');
    // Filed during the holiday: the clock starts on the first working day.
    expect(iso(addWorkingHours(cal, at('2026-02-17T10:00'), 3))).toBe('2026-02-24 12:00');
    // Friday 27 Feb + 1 working day lands on the make-up Saturday 28 Feb.
    expect(iso(addWorkingDays(cal, at('2026-02-27T09:30'), 1))).toBe('2026-02-28 09:30');
  });

  it('crosses National Day 2026 with the Sunday and Saturday make-up days', () => {
    // Friday 18 Sep + 1 working day = Sunday 20 Sep (make-up day).
    expect(iso(addWorkingDays(cal, at('2026-09-18T16:00'), 1))).toBe('2026-09-20 16:00');
    // Wednesday 30 Sep + 1 working day = Thursday 8 Oct.
    expect(iso(addWorkingDays(cal, at('2026-09-30T11:00'), 1))).toBe('2026-10-08 11:00');
    // Friday 9 Oct + 1 working day = Saturday 10 Oct (make-up day), + 2 = Monday 12 Oct.
    expect(iso(addWorkingDays(cal, at('2026-10-09T10:00'), 1))).toBe('2026-10-10 10:00');
    expect(iso(addWorkingDays(cal, at('2026-10-09T10:00'), 2))).toBe('2026-10-12 10:00');
    // 5 working days from 28 Sep 2026: 28, 29, 30 Sep, 8, 9, 10 Oct → Saturday 10 Oct 09:00 + ...
    expect(iso(addWorkingDays(cal, at('2026-09-28T09:00'), 5))).toBe('2026-10-09 18:00');
  });

  it('measures office minutes between instants', () => {
    expect(workingMinutesBetween(cal, at('2026-11-16T09:00'), at('2026-11-16T18:00'))).toBe(480);
    expect(workingMinutesBetween(cal, at('2026-11-20T17:00'), at('2026-11-23T10:00'))).toBe(120);
    expect(workingMinutesBetween(cal, at('2026-02-13T17:00'), at('2026-02-24T10:00'))).toBe(60 + 480 + 60);
    expect(workingMinutesBetween(cal, at('2026-11-16T10:00'), at('2026-11-16T09:00'))).toBe(0);
  });

  it('adding then measuring gives back the working time (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2025-01-01'), max: Date.parse('2026-12-01') }),
        fc.integer({ min: 1, max: 480 * 30 }),
        (start, minutes) => {
          const from = new Date(start - (start % 60_000));
          const due = addWorkingMinutes(cal, from, minutes);
          expect(workingMinutesBetween(cal, from, due)).toBeCloseTo(minutes, 6);
          expect(isWorkingDay(cal, localDay(new Date(due.getTime() - 1)))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses negative durations', () => {
    expect(() => addWorkingMinutes(cal, new Date(), -1)).toThrow();
  });
});

describe('a year without an official calendar', () => {
  it('falls back to weekends and fixed statutory dates, and warns once per year', () => {
    const warned: number[] = [];
    const c = createCalendar(rows, { onMissingYear: (y) => warned.push(y) });
    // chinese-days wrongly calls 2027-10-01 a working day; the fallback knows it is National Day.
    expect(isWorkingDay(c, '2027-10-01')).toBe(false);
    expect(isWorkingDay(c, '2027-01-01')).toBe(false);
    expect(isWorkingDay(c, '2027-05-03')).toBe(true); // Monday, not a fixed date
    expect(isWorkingDay(c, '2027-01-02')).toBe(false); // Saturday
    expect(iso(addWorkingDays(c, at('2026-12-31T10:00'), 1))).toBe('2027-01-04 10:00');
    expect(warned).toEqual([2027]);
  });
});
