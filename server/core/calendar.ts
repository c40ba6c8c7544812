/**
 * The working-day calendar (工作日历) and deadline arithmetic in working time. Pure: the
 * calendar's days come in as data (the `calendar_day` table, seeded from `chinese-days`), times
 * are instants (Date) read in Asia/Shanghai (UTC+8 all year, no daylight saving).
 *
 * A day is a working day when it is a make-up working day (调休上班), or a Monday–Friday that is
 * not an official holiday. For a year the calendar has no data for (chinese-days ends with 2026;
 * each year's State Council notice comes out in the autumn before), the arithmetic falls back to
 * weekends plus the fixed-date statutory holidays and calls `onMissingYear` once per year, so the
 * operator sees a loud warning instead of silently wrong deadlines.
 */

export const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

/** Office hours of a working day, minutes after local midnight: 09:00–12:00 and 13:00–18:00 (8 h). */
export const DEFAULT_OFFICE_HOURS: ReadonlyArray<readonly [number, number]> = [
  [9 * 60, 12 * 60],
  [13 * 60, 18 * 60],
];

/** Fixed-date statutory holidays (国务院《全国年节及纪念日放假办法》, 2025): 元旦, 劳动节, 国庆节. */
const FIXED_HOLIDAYS = ['01-01', '05-01', '05-02', '10-01', '10-02', '10-03'];

export interface CalendarDay {
  /** YYYY-MM-DD */
  day: string;
  kind: 'holiday' | 'workday';
  name?: string;
}

export interface WorkCalendar {
  /** Official holidays, YYYY-MM-DD. */
  holidays: ReadonlySet<string>;
  /** Make-up working days on weekends, YYYY-MM-DD. */
  workdays: ReadonlySet<string>;
  /** Years the data covers (a year counts as covered once any day of it is listed). */
  years: ReadonlySet<number>;
  officeHours: ReadonlyArray<readonly [number, number]>;
  /** Called once per uncovered year the arithmetic touches. */
  onMissingYear?: (year: number) => void;
  /** Years already reported through onMissingYear. */
  warned: Set<number>;
}

export function createCalendar(
  days: Iterable<CalendarDay>,
  opts: { officeHours?: ReadonlyArray<readonly [number, number]>; onMissingYear?: (year: number) => void } = {},
): WorkCalendar {
  const holidays = new Set<string>();
  const workdays = new Set<string>();
  const years = new Set<number>();
  for (const d of days) {
    (d.kind === 'holiday' ? holidays : workdays).add(d.day);
    years.add(Number(d.day.slice(0, 4)));
  }
  const officeHours = opts.officeHours ?? DEFAULT_OFFICE_HOURS;
  for (const [a, b] of officeHours) if (!(a >= 0 && b <= 1440 && a < b)) throw new Error(`bad office hours ${a}-${b}`);
  return { holidays, workdays, years, officeHours, onMissingYear: opts.onMissingYear, warned: new Set() };
}

/** Local (Shanghai) calendar date of an instant, YYYY-MM-DD. */
export function localDay(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant of local midnight starting a YYYY-MM-DD day. */
export function dayStart(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - SHANGHAI_OFFSET_MS);
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

function prevDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);
}

export function isCovered(cal: WorkCalendar, year: number): boolean {
  return cal.years.has(year);
}

/** Is this local date a working day? */
export function isWorkingDay(cal: WorkCalendar, day: string): boolean {
  const year = Number(day.slice(0, 4));
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay(); // 0 Sunday … 6 Saturday
  if (!cal.years.has(year)) {
    if (!cal.warned.has(year)) {
      cal.warned.add(year);
      cal.onMissingYear?.(year);
    }
    return weekday !== 0 && weekday !== 6 && !FIXED_HOLIDAYS.includes(day.slice(5));
  }
  if (cal.workdays.has(day)) return true;
  if (cal.holidays.has(day)) return false;
  return weekday !== 0 && weekday !== 6;
}

/** Minutes after local midnight. */
function minuteOfDay(at: Date): number {
  const local = (at.getTime() + SHANGHAI_OFFSET_MS) % DAY_MS;
  return local / 60_000;
}

function officeMinutesPerDay(cal: WorkCalendar): number {
  return cal.officeHours.reduce((s, [a, b]) => s + (b - a), 0);
}

/**
 * The instant `minutes` of office time after `from`. Time outside office hours and on
 * non-working days does not count. Zero minutes from outside office hours gives `from` itself.
 */
export function addWorkingMinutes(cal: WorkCalendar, from: Date, minutes: number): Date {
  if (!(minutes >= 0) || !Number.isFinite(minutes)) throw new Error(`minutes must be a non-negative number, got ${minutes}`);
  if (minutes === 0) return new Date(from.getTime());
  let remaining = minutes;
  let day = localDay(from);
  let cursor = minuteOfDay(from);
  const perDay = officeMinutesPerDay(cal);
  for (let guard = 0; guard < 3700; guard++) {
    if (isWorkingDay(cal, day)) {
      // Whole working days at once once the cursor sits at the start of a day.
      if (cursor <= cal.officeHours[0][0] && remaining > perDay) {
        remaining -= perDay;
      } else {
        for (const [a, b] of cal.officeHours) {
          const start = Math.max(a, cursor);
          if (start >= b) continue;
          const available = b - start;
          if (remaining <= available) return new Date(dayStart(day).getTime() + (start + remaining) * 60_000);
          remaining -= available;
        }
      }
    }
    day = nextDay(day);
    cursor = 0;
  }
  throw new Error('working-time arithmetic ran past ten years: is every day a holiday?');
}

export function addWorkingHours(cal: WorkCalendar, from: Date, hours: number): Date {
  return addWorkingMinutes(cal, from, hours * 60);
}

/** N working days = N × a working day's office time (3 working days from Monday 10:00 is Thursday 10:00). */
export function addWorkingDays(cal: WorkCalendar, from: Date, days: number): Date {
  return addWorkingMinutes(cal, from, days * officeMinutesPerDay(cal));
}

/** Office minutes between two instants (0 when `to` is not after `from`). */
export function workingMinutesBetween(cal: WorkCalendar, from: Date, to: Date): number {
  if (to.getTime() <= from.getTime()) return 0;
  let total = 0;
  let day = localDay(from);
  const lastDay = localDay(to);
  for (let guard = 0; guard < 3700; guard++) {
    if (isWorkingDay(cal, day)) {
      const start = dayStart(day).getTime();
      for (const [a, b] of cal.officeHours) {
        const s = Math.max(start + a * 60_000, from.getTime());
        const e = Math.min(start + b * 60_000, to.getTime());
        if (e > s) total += (e - s) / 60_000;
      }
    }
    if (day === lastDay) return Math.round(total * 1000) / 1000;
    day = nextDay(day);
  }
  throw new Error('working-time arithmetic ran past ten years');
}

/** The next working day on or after a date (the first day a report filed on a holiday is looked at). */
export function nextWorkingDay(cal: WorkCalendar, day: string): string {
  let d = day;
  for (let guard = 0; guard < 400; guard++) {
    if (isWorkingDay(cal, d)) return d;
    d = nextDay(d);
  }
  throw new Error('no working day within a year');
}

/** The last working day on or before a date. */
export function previousWorkingDay(cal: WorkCalendar, day: string): string {
  let d = day;
  for (let guard = 0; guard < 400; guard++) {
    if (isWorkingDay(cal, d)) return d;
    d = prevDay(d);
  }
  throw new Error('no working day within a year');
}
