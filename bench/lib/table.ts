import { budgetsFor, describeBudget, judgeAll, type Verdict } from '../budgets.ts';
import { ratio, round } from './stats.ts';
import type { DbKind, Row } from './types.ts';

/** The one table `npm run bench` prints: scenario, ours, baseline, ratio, budget, pass/fail. */

export interface JudgedRow extends Row {
  ratio: number | null;
  budget: string;
  verdict: Verdict;
}

export function judgeRows(rows: Row[], db: DbKind): JudgedRow[] {
  return rows.map((r) => {
    const budgets = budgetsFor(r.id);
    const rt = ratio(r.ours, r.baseline);
    return { ...r, ratio: rt, budget: budgets.map(describeBudget).join(' & '), verdict: judgeAll(budgets, r.ours, rt, db) };
  });
}

function fmt(value: number | null, unit: string): string {
  if (value == null) return '—';
  return `${round(value)} ${unit}`;
}

function fmtRatio(value: number | null): string {
  return value == null ? '—' : `${round(value)}×`;
}

/** Display width: CJK characters take two columns in a terminal. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

function pad(s: string, w: number, right = false): string {
  const fill = ' '.repeat(Math.max(0, w - width(s)));
  return right ? fill + s : s + fill;
}

export function renderTable(rows: JudgedRow[]): string {
  const header = ['scenario', 'ours', 'baseline', 'ratio', 'budget', 'result'];
  const body = rows.map((r) => [
    `${r.scenario} · ${r.label}`,
    fmt(r.ours, r.unit),
    fmt(r.baseline, r.unit),
    fmtRatio(r.ratio),
    r.budget,
    r.verdict === 'FAIL' ? 'FAIL ✗' : r.verdict === 'PASS' ? 'pass' : r.verdict === 'MISSING' ? 'MISSING ✗' : '',
  ]);
  const widths = header.map((h, i) => Math.max(width(h), ...body.map((b) => width(b[i]))));
  const numeric = [false, true, true, true, false, false];
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i], numeric[i])).join('  ');
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
  const notes = rows.filter((r) => r.note).map((r) => `  note: ${r.scenario} · ${r.label}: ${r.note}`);
  return [...out, ...notes].join('\n');
}
