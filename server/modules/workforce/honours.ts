/**
 * Honours derived from years of service (W6), pure: 20 years → certificate (从事社区工作满20年
 * 荣誉证书), 30 years → medal (满30年纪念章), 20+ years → 耕耘奖 (鄞州, seed 000). The thresholds
 * are district settings. Award amounts are capped (seed 003): 100 000 yuan for a collective,
 * 50 000 yuan for an individual.
 */
import type { HonourKind } from '../../db/types-workforce.ts';
import { yearsOfService } from './pay-rules.ts';

export interface HonourThresholds {
  certificateYears: number;
  medalYears: number;
  gengyunYears: number;
}

export const HONOUR_ZH: Record<HonourKind, string> = {
  service_certificate: '从事社区工作满20年荣誉证书',
  service_medal: '从事社区工作满30年纪念章',
  gengyun: '耕耘奖',
  award: '表彰奖励',
};

export interface HonourWorker {
  id: string;
  workStart: string;
  /** Service-based honours already awarded. */
  awarded: ReadonlyArray<HonourKind>;
}

export interface HonourCandidate {
  workerId: string;
  kind: HonourKind;
  years: number;
}

/** Who qualifies in a year: years counted to 31 December of that year, each honour once. */
export function honourCandidates(workers: readonly HonourWorker[], year: number, t: HonourThresholds): HonourCandidate[] {
  const out: HonourCandidate[] = [];
  const end = `${year}-12-31`;
  for (const w of workers) {
    const years = yearsOfService(w.workStart, end);
    const rules: [HonourKind, number][] = [
      ['service_certificate', t.certificateYears],
      ['service_medal', t.medalYears],
      ['gengyun', t.gengyunYears],
    ];
    for (const [kind, min] of rules) if (years >= min && !w.awarded.includes(kind)) out.push({ workerId: w.id, kind, years });
  }
  return out;
}

export const MAX_AWARD_FEN = { individual: 5_000_000, collective: 10_000_000 } as const;

/** An award amount within the cap, or the cap it breaks. */
export function awardProblem(amountFen: number, collective: boolean): string | null {
  if (!Number.isInteger(amountFen) || amountFen < 0) return '奖励金额须为非负整数（分）';
  const cap = collective ? MAX_AWARD_FEN.collective : MAX_AWARD_FEN.individual;
  if (amountFen > cap) return collective ? '集体奖励不得超过 10 万元' : '个人奖励不得超过 5 万元';
  return null;
}

/** Whether a worker has had this year's health check (年度体检). */
export type HealthCheckStatus = 'done' | 'due' | 'overdue';

export interface HealthCheckState {
  status: HealthCheckStatus;
  /** The check in the year if done, else the last one before the year (null: never checked). */
  lastCheckOn: string | null;
  /** The last day a check is on time (null once done). */
  dueBy: string | null;
}

const lastDayOfMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);

/** The same day a year later; 29 February becomes 28 February. */
export function yearAfter(day: string): string {
  const y = Number(day.slice(0, 4)) + 1;
  const md = day.slice(5);
  return md === '02-29' ? `${y}-02-28` : `${y}-${md}`;
}

/**
 * The yearly health check of one worker for `year`, seen on `today` (all dates YYYY-MM-DD):
 * - done: a check dated in that calendar year;
 * - overdue: no check in the year and `today` is past the due date — the earlier of the last day
 *   of the district's deadline month (`byMonth`, 12 by default: by the year's end) and one year
 *   after the previous check, because a yearly check should never be more than twelve months
 *   apart (checked 15 March last year → due by 15 March this year);
 * - due: otherwise, which includes every worker for a year that has not begun.
 */
export function healthCheckState(checks: readonly string[], year: number, today: string, byMonth: number): HealthCheckState {
  const y = String(year);
  const inYear = checks.filter((d) => d.startsWith(y)).sort();
  if (inYear.length) return { status: 'done', lastCheckOn: inYear[inYear.length - 1], dueBy: null };
  const before = checks.filter((d) => d < `${y}-01-01`).sort();
  const last = before.length ? before[before.length - 1] : null;
  const deadline = lastDayOfMonth(year, byMonth);
  const dueBy = last && yearAfter(last) < deadline ? yearAfter(last) : deadline;
  const overdue = today >= `${y}-01-01` && today > dueBy;
  return { status: overdue ? 'overdue' : 'due', lastCheckOn: last, dueBy };
}

export interface CareRequest {
  kind: 'care_fund' | 'health_check';
  year: number;
  amountFen?: number;
  reason?: string;
  checkedOn?: string;
}

/**
 * What is wrong with a care record, field by field: a care-fund application (关爱基金) names an
 * amount and a reason; a health check is dated (today unless given), not in the future, and in
 * the year it counts for.
 */
export function careProblems(input: CareRequest, today: string): { field: string; reason: string }[] {
  const out: { field: string; reason: string }[] = [];
  if (input.kind === 'care_fund') {
    if (!input.amountFen) out.push({ field: 'amountFen', reason: '请填写申请金额' });
    if (!input.reason?.trim()) out.push({ field: 'reason', reason: '请填写申请事由' });
    return out;
  }
  const day = input.checkedOn ?? today;
  if (day > today) out.push({ field: 'checkedOn', reason: '体检日期不能晚于今天' });
  else if (!day.startsWith(String(input.year))) out.push({ field: 'checkedOn', reason: `体检日期须在 ${input.year} 年内` });
  return out;
}

/** Refusing a care-fund application needs a reason the applicant can read. */
export function decisionProblems(approve: boolean, note: string | undefined): { field: string; reason: string }[] {
  return !approve && !note?.trim() ? [{ field: 'note', reason: '不予批准须说明理由' }] : [];
}
