/**
 * The duty rota (错时工作制, seed 003), pure: on working days one worker takes the late shift
 * (错时, until 20:00); on weekends and official holidays (from the working-day calendar) someone
 * is on duty. Duty goes to whoever has had the fewest of that kind this year, then the fewest
 * duties overall, then in a fixed order, so holiday duty spreads evenly. Only onboarded workers
 * may be put on duty, and only from the day of their onboarding (W5: no duty before onboarding).
 */
import type { Shift } from '../../db/types-workforce.ts';
import { isWorkingDay, type WorkCalendar } from '../../core/calendar.ts';
import { lastDayOfMonth } from './pay-rules.ts';

export const SHIFT_ZH: Record<Shift, string> = { late: '错时班（至20:00）', weekend: '双休日值班', holiday: '节假日值班' };

export interface RotaWorker {
  id: string;
  /** Has finished onboarding (岗前培训) by the month's end; nobody else is put on duty. */
  onboarded: boolean;
  /** The day onboarding was finished: no duty before it (absent: the whole month is open). */
  onboardedOn?: string | null;
}

export type DutyCounts = Record<Shift, number>;

export interface Duty {
  day: string;
  workerId: string;
  shift: Shift;
}

export function shiftOf(cal: WorkCalendar, day: string): Shift {
  if (isWorkingDay(cal, day)) return 'late';
  return cal.holidays.has(day) ? 'holiday' : 'weekend';
}

export function daysOfMonth(month: string): string[] {
  const last = Number(lastDayOfMonth(month).slice(8));
  return Array.from({ length: last }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`);
}

export function planRota(
  cal: WorkCalendar,
  month: string,
  workers: readonly RotaWorker[],
  prior: ReadonlyMap<string, DutyCounts> = new Map(),
): { duties: Duty[]; excluded: string[] } {
  const eligible = workers.filter((w) => w.onboarded).map((w) => w.id);
  const excluded = workers.filter((w) => !w.onboarded).map((w) => w.id);
  const counts = new Map<string, DutyCounts>();
  for (const id of eligible) counts.set(id, { ...(prior.get(id) ?? { late: 0, weekend: 0, holiday: 0 }) });
  const duties: Duty[] = [];
  if (!eligible.length) return { duties, excluded };
  const order = new Map(eligible.map((id, i) => [id, i]));
  const from = new Map(workers.map((w) => [w.id, w.onboardedOn ?? null]));
  let last: string | null = null;
  for (const day of daysOfMonth(month)) {
    const shift = shiftOf(cal, day);
    // Someone onboarded on the 20th is on duty from the 20th, not from the 1st.
    const present = eligible.filter((id) => (from.get(id) ?? day) <= day);
    let best: string | null = null;
    for (const id of present) {
      if (id === last && present.length > 1) continue; // nobody twice in a row
      if (best === null) {
        best = id;
        continue;
      }
      const cmp = compareKeys(keyOf(shift, counts.get(id)!), keyOf(shift, counts.get(best)!)) || order.get(id)! - order.get(best)!;
      if (cmp < 0) best = id;
    }
    if (best === null) continue; // nobody onboarded yet on this day: the day stays open for the rota by hand
    counts.get(best)![shift]++;
    duties.push({ day, workerId: best, shift });
    last = best;
  }
  return { duties, excluded };
}

/** What "fewest" means per shift: holidays are spread by holidays first, then all off-days. */
function keyOf(shift: Shift, c: DutyCounts): number[] {
  const total = c.late + c.weekend + c.holiday;
  if (shift === 'holiday') return [c.holiday, c.weekend + c.holiday, total];
  if (shift === 'weekend') return [c.weekend + c.holiday, total];
  return [c.late, total];
}

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}
