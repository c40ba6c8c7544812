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

/**
 * Pay lines stored compactly: the run keeps one dictionary of the distinct (code, label,
 * explanation) triples, and each line keeps [index, amount] pairs. 20,000 workers share a few
 * hundred explanations, so this stores ~1/6 of the bytes of writing every line in full, and a
 * past month still reads back exactly as computed (the dictionary belongs to the run, not to
 * the rule set).
 */
export type PackedItem = [number, number];
export type ItemShape = [code: string, label: string, explain: string];

export function packPayLines(lines: readonly PayRunLine[]) {
  const dict: ItemShape[] = [];
  const index = new Map<string, number>();
  const packed = lines.map((l) => ({
    workerId: l.workerId,
    grade: l.grade,
    totalFen: l.totalFen,
    items: l.items.map((it): PackedItem => {
      const key = `${it.code}\u0000${it.label}\u0000${it.explain}`;
      let i = index.get(key);
      if (i === undefined) {
        i = dict.length;
        dict.push([it.code, it.label, it.explain]);
        index.set(key, i);
      }
      return [i, it.amountFen];
    }),
  }));
  return { dict, lines: packed };
}

export function unpackItems(dict: readonly ItemShape[], items: readonly PackedItem[]) {
  return items.map(([i, amountFen]) => {
    const shape = dict[i];
    if (!shape) throw new Error(`pay line refers to explanation ${i}, which the run does not have`);
    return { code: shape[0], label: shape[1], amountFen, explain: shape[2] };
  });
}
