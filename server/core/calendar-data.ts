import { createRequire } from 'node:module';
import type { CalendarDay } from './calendar.ts';

/**
 * The official holidays and make-up working days shipped by `chinese-days` (国务院办公厅 notices,
 * 2004 onwards), as calendar rows. The package's data ends with the last published notice.
 */
export function chineseDaysRows(): CalendarDay[] {
  const require = createRequire(import.meta.url);
  const data = require('chinese-days/dist/chinese-days.json') as {
    holidays: Record<string, string>;
    workdays: Record<string, string>;
  };
  const nameOf = (v: string) => v.split(',')[1] ?? v;
  return [
    ...Object.entries(data.holidays).map(([day, v]) => ({ day, kind: 'holiday' as const, name: nameOf(v) })),
    ...Object.entries(data.workdays).map(([day, v]) => ({ day, kind: 'workday' as const, name: nameOf(v) })),
  ].sort((a, b) => a.day.localeCompare(b.day));
}
