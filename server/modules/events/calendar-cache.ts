import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/types.ts';
import { createCalendar, type WorkCalendar } from '../../core/calendar.ts';

/**
 * The working-day calendar as the services use it: loaded from `calendar_day` once, kept for ten
 * minutes. A year with no official data is reported loudly (once per process and year).
 */
const cache = new WeakMap<object, { cal: WorkCalendar; loadedAt: number }>();
const TTL_MS = 10 * 60_000;
const warnedYears = new Set<number>();

export function warnMissingYear(year: number): void {
  if (warnedYears.has(year)) return;
  warnedYears.add(year);
  process.emitWarning(
    `工作日历缺少 ${year} 年的法定节假日安排：期限按周末和固定日期节假日推算，可能不准确。` +
      `The working-day calendar has no official data for ${year}: deadlines fall back to weekends and fixed-date holidays. ` +
      `Enter the State Council notice for ${year} (calendar_day table) or upgrade chinese-days.`,
    { code: 'GONGZHI_CALENDAR_MISSING_YEAR' },
  );
}

export async function loadCalendar(db: Kysely<DB>): Promise<WorkCalendar> {
  const hit = cache.get(db);
  if (hit && Date.now() - hit.loadedAt < TTL_MS) return hit.cal;
  const rows = await db
    .selectFrom('calendar_day')
    .select([sql<string>`day::text`.as('day'), 'kind'])
    .execute();
  const cal = createCalendar(rows, { onMissingYear: warnMissingYear });
  cache.set(db, { cal, loadedAt: Date.now() });
  return cal;
}

export function invalidateCalendar(db: Kysely<DB>): void {
  cache.delete(db);
}
