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
