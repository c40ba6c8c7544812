import fs from 'node:fs';
import path from 'node:path';
import { round } from './stats.ts';
import type { DbKind, Row, Unit } from './types.ts';

/**
 * The regression check (issue 8): every row of a run is compared with the committed reference run
 * of the same database and size (bench/reference/<db>-<quick|full>.json), and a row more than 30%
 * worse is reported loudly. It never changes the exit code: the machine that runs CI is shared and
 * noisy, so a regression is a reason to look, not a verdict.
 *
 * Noise is handled twice. A row measured side by side with its baseline is compared on the ratio
 * ours / baseline, which a loaded machine moves far less than the figure itself; and a change
 * smaller than the unit's resolution floor (autocannon counts whole milliseconds) is never a
 * regression, however large in per cent.
 */

export const REGRESSION_THRESHOLD = 0.3;

/** Changes of our figure below these are measurement resolution, not regressions. */
export const NOISE_FLOOR: Record<Unit, number> = {
  ms: 2,
  s: 0.1,
  MB: 10,
  'req/s': 0,
  'rows/s': 0,
  count: 0,
};

export interface ReferenceRow {
  id: string;
  scenario: string;
  label: string;
  unit: Unit;
  ours: number | null;
  baseline: number | null;
}

export interface Reference {
  db: DbKind;
  quick: boolean;
  /** When and where the reference rows were measured (rows are merged by id from several runs). */
  updatedAt: string;
  commit: string | null;
  loadAverage: number[];
  rows: ReferenceRow[];
}

export type Basis = 'ratio' | 'figure';

export interface Comparison {
  id: string;
  scenario: string;
  label: string;
  unit: Unit;
  basis: Basis;
  /** The compared value (the ratio or our figure) in the reference and now. */
  reference: number;
  current: number;
  /** Our figure in the reference and now (what the reader recognises). */
  referenceOurs: number;
  currentOurs: number;
  /** How much worse, as a fraction (0.5 = 50% worse; negative = better). */
  worse: number;
  regressed: boolean;
}

export interface RegressionReport {
  compared: Comparison[];
  regressions: Comparison[];
  /** Rows of this run the reference has no figure for. */
  unreferenced: string[];
}

/** Throughputs are better high; times, memory and counts of faults are better low. */
export function higherIsBetter(unit: Unit): boolean {
  return unit === 'req/s' || unit === 'rows/s';
}

function ratioOf(ours: number | null, baseline: number | null): number | null {
  return ours != null && baseline != null && baseline !== 0 ? ours / baseline : null;
}

/** How much worse `current` is than `reference` (a fraction), in the unit's direction. */
export function worsening(reference: number, current: number, unit: Unit): number | null {
  if (reference === 0) return current === 0 ? 0 : higherIsBetter(unit) ? null : current > 0 ? Infinity : 0;
  const change = (current - reference) / Math.abs(reference);
  return higherIsBetter(unit) ? -change : change;
}

export function compareRows(rows: Row[], reference: Reference, threshold = REGRESSION_THRESHOLD): RegressionReport {
  const byId = new Map(reference.rows.map((r) => [r.id, r]));
  const compared: Comparison[] = [];
  const unreferenced: string[] = [];
  for (const row of rows) {
    if (row.ours == null) continue;
    const ref = byId.get(row.id);
    if (!ref || ref.ours == null || ref.unit !== row.unit) {
      unreferenced.push(row.id);
      continue;
    }
    const refRatio = ratioOf(ref.ours, ref.baseline);
    const curRatio = ratioOf(row.ours, row.baseline);
    const basis: Basis = refRatio != null && curRatio != null ? 'ratio' : 'figure';
    const [a, b] = basis === 'ratio' ? [refRatio!, curRatio!] : [ref.ours, row.ours];
    const worse = worsening(a, b, row.unit);
    if (worse == null) {
      unreferenced.push(row.id);
      continue;
    }
    const beyondNoise = Math.abs(row.ours - ref.ours) > NOISE_FLOOR[row.unit];
    // On the ratio basis our own figure must have got worse too: a baseline that merely got
    // faster (a quieter minute for it) is not our regression.
    const oursWorse = (worsening(ref.ours, row.ours, row.unit) ?? 0) > 0;
    compared.push({
      id: row.id,
      scenario: row.scenario,
      label: row.label,
      unit: row.unit,
      basis,
      reference: a,
      current: b,
      referenceOurs: ref.ours,
      currentOurs: row.ours,
      worse,
      regressed: worse > threshold && beyondNoise && oursWorse,
    });
  }
  return { compared, regressions: compared.filter((c) => c.regressed), unreferenced };
}

function pct(x: number): string {
  return Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${Math.round(x * 100)}%` : 'from zero';
}

function describe(c: Comparison): string {
  const figure = `${round(c.referenceOurs)} → ${round(c.currentOurs)} ${c.unit}`;
  const basis = c.basis === 'ratio' ? `ratio to baseline ${round(c.reference)}× → ${round(c.current)}×` : 'on the figure';
  return `${c.scenario} · ${c.label} (${c.id}): ${figure}, ${pct(c.worse)} worse (${basis})`;
}

/** The lines printed after the table: a banner when anything regressed, one line otherwise. */
export function renderRegressions(report: RegressionReport, referenceName: string, threshold = REGRESSION_THRESHOLD): string {
  const n = report.compared.length;
  const tail = report.unreferenced.length ? `; ${report.unreferenced.length} row(s) have no reference figure yet` : '';
  if (!report.regressions.length) {
    return `regression check against ${referenceName}: ${n} row(s) compared, none more than ${Math.round(threshold * 100)}% worse${tail}`;
  }
  const bar = '!'.repeat(100);
  return [
    bar,
    `!! REGRESSION: ${report.regressions.length} of ${n} row(s) more than ${Math.round(threshold * 100)}% worse than ${referenceName}`,
    ...report.regressions.map((c) => `!!   ${describe(c)}`),
    `!! (reported, not enforced: re-run on a quiet machine before believing it${tail})`,
    bar,
  ].join('\n');
}

export function referencePath(benchDir: string, db: DbKind, quick: boolean): string {
  return path.join(benchDir, 'reference', `${db}-${quick ? 'quick' : 'full'}.json`);
}

export function readReference(file: string): Reference | null {
  if (!fs.existsSync(file)) return null;
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Reference;
}

/**
 * The reference after this run: its rows replace the rows of the same id and the others are kept,
 * so `--only <scenario> --update-reference` refreshes one scenario's rows.
 */
export function mergeReference(
  previous: Reference | null,
  rows: Row[],
  run: { db: DbKind; quick: boolean; at: string; commit: string | null; loadAverage: number[] },
): Reference {
  const merged = new Map((previous?.rows ?? []).map((r) => [r.id, r]));
  for (const r of rows) {
    if (r.ours == null) continue;
    merged.set(r.id, { id: r.id, scenario: r.scenario, label: r.label, unit: r.unit, ours: r.ours, baseline: r.baseline });
  }
  return {
    db: run.db,
    quick: run.quick,
    updatedAt: run.at,
    commit: run.commit,
    loadAverage: run.loadAverage.map((x) => Math.round(x * 100) / 100),
    rows: [...merged.values()],
  };
}
