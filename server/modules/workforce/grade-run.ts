/**
 * The yearly grade run (自然晋升) and the monthly pay run over many workers, pure: the
 * services load facts, call these, and store what comes out. Pure so the city-scale runs are
 * one pass in memory (bench/scenarios/workforce.ts) and tested without a database.
 */
import { monthlyPay, proposeGrade, type GradeProposal, type PayRules, type PaySlip, type WorkerFacts } from './pay-rules.ts';

export interface RunWorker extends WorkerFacts {
  id: string;
  /** The grade in force (for a grade run: before the run; for a pay run: that month). */
  grade: number | null;
}

export interface GradeRunLine extends GradeProposal {
  workerId: string;
}

export function runGrades(rules: PayRules, workers: readonly RunWorker[], year: number) {
  const lines: GradeRunLine[] = new Array(workers.length);
  let changed = 0;
  for (let i = 0; i < workers.length; i++) {
    const w = workers[i];
    const p = proposeGrade(rules, w, w.grade, year);
    if (p.proposed !== p.current) changed++;
    lines[i] = { workerId: w.id, ...p };
  }
  return { lines, changed };
}

export interface PayRunLine extends PaySlip {
  workerId: string;
}

export function runPay(rules: PayRules, workers: readonly RunWorker[], month: string) {
  const lines: PayRunLine[] = new Array(workers.length);
  let totalFen = 0;
  for (let i = 0; i < workers.length; i++) {
    const w = workers[i];
    const slip = monthlyPay(rules, w, w.grade, month);
    totalFen += slip.totalFen;
    lines[i] = { workerId: w.id, ...slip };
  }
  return { lines, totalFen };
}
