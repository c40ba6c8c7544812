import { sql } from 'kysely';
import type { AppContext } from '../../core/context.ts';
import { isCovered, isWorkingDay } from '../../core/calendar.ts';
import { loadCalendar } from './calendar-cache.ts';

/**
 * A year of the working-day calendar exactly as deadlines use it (server/core/calendar.ts over
 * `calendar_day`, filled from chinese-days): every day with whether it is a working day and why.
 * Read-only: there is no district-level override table; a new year's State Council notice goes
 * into `calendar_day`.
 */
export async function calendarYear(ctx: AppContext, year: number) {
  const cal = await loadCalendar(ctx.db);
  const names = new Map(
    (
      await sql<{ day: string; name: string }>`select day::text as day, name from calendar_day
        where day >= ${`${year}-01-01`}::date and day < ${`${year + 1}-01-01`}::date`.execute(ctx.db)
    ).rows.map((r) => [r.day, r.name]),
  );
  const days: { day: string; weekday: number; working: boolean; kind: 'holiday' | 'workday' | 'weekend' | 'normal'; name: string }[] = [];
  for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    const weekday = new Date(t).getUTCDay();
    const kind = cal.holidays.has(day)
      ? 'holiday'
      : cal.workdays.has(day)
        ? 'workday'
        : weekday === 0 || weekday === 6
          ? 'weekend'
          : 'normal';
    days.push({ day, weekday, working: isWorkingDay(cal, day), kind, name: names.get(day) ?? '' });
  }
  return {
    year,
    covered: isCovered(cal, year),
    officeHours: cal.officeHours.map(([a, b]) => ({ from: a, to: b })),
    workingDays: days.filter((d) => d.working).length,
    days,
  };
}
