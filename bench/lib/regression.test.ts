import { describe, expect, it } from 'vitest';
import { compareRows, mergeReference, renderRegressions, worsening, type Reference } from './regression.ts';
import type { Row, Unit } from './types.ts';

const row = (id: string, unit: Unit, ours: number | null, baseline: number | null = null): Row => ({
  id,
  scenario: id.split('.')[0],
  label: id,
  unit,
  ours,
  baseline,
});

const ref = (rows: Row[]): Reference => ({
  db: 'pglite',
  quick: true,
  updatedAt: '2026-12-05T06:00:00.000Z',
  commit: 'abc1234',
  loadAverage: [1, 1, 1],
  rows: rows.map(({ id, scenario, label, unit, ours, baseline }) => ({ id, scenario, label, unit, ours, baseline })),
});

describe('worsening', () => {
  it('is positive when a time grows and when a throughput falls', () => {
    expect(worsening(10, 14, 'ms')).toBeCloseTo(0.4);
    expect(worsening(1000, 600, 'req/s')).toBeCloseTo(0.4);
    expect(worsening(10, 5, 'ms')).toBeCloseTo(-0.5);
    expect(worsening(1000, 1500, 'req/s')).toBeCloseTo(-0.5);
  });
  it('treats any fault counted against a reference of zero as a regression', () => {
    expect(worsening(0, 1, 'count')).toBe(Infinity);
    expect(worsening(0, 0, 'count')).toBe(0);
  });
});

describe('compareRows', () => {
  it('flags a figure more than 30% worse and lets one at 30% or better pass', () => {
    const reference = ref([row('a.time', 's', 10), row('b.time', 's', 10), row('c.rps', 'req/s', 1000), row('d.rps', 'req/s', 1000)]);
    const now = [row('a.time', 's', 13.5), row('b.time', 's', 12.9), row('c.rps', 'req/s', 650), row('d.rps', 'req/s', 710)];
    const r = compareRows(now, reference);
    expect(r.compared.map((c) => c.id)).toEqual(['a.time', 'b.time', 'c.rps', 'd.rps']);
    expect(r.regressions.map((c) => c.id)).toEqual(['a.time', 'c.rps']);
    expect(r.regressions.every((c) => c.basis === 'figure')).toBe(true);
  });

  it('compares on the ratio when both runs have a baseline: a machine slower for both is no regression', () => {
    const reference = ref([row('x.p99', 'ms', 20, 10)]);
    // Twice as slow, but so was the baseline in the same minute: the ratio held.
    expect(compareRows([row('x.p99', 'ms', 40, 20)], reference).regressions).toEqual([]);
    // Twice as slow while the baseline held: ours regressed.
    const r = compareRows([row('x.p99', 'ms', 40, 10)], reference);
    expect(r.regressions).toHaveLength(1);
    expect(r.regressions[0]).toMatchObject({ basis: 'ratio', reference: 2, current: 4, worse: 1 });
  });

  it('does not blame us when only the baseline got faster', () => {
    const reference = ref([row('x.p99', 'ms', 20, 10)]);
    expect(compareRows([row('x.p99', 'ms', 19, 5)], reference).regressions).toEqual([]);
  });

  it('ignores changes within the resolution floor, however large in per cent', () => {
    const reference = ref([row('t.p99', 'ms', 1), row('t.mem', 'MB', 20)]);
    expect(compareRows([row('t.p99', 'ms', 2), row('t.mem', 'MB', 29)], reference).regressions).toEqual([]);
    expect(compareRows([row('t.p99', 'ms', 4)], reference).regressions.map((c) => c.id)).toEqual(['t.p99']);
  });

  it('flags a duplicated job or a missed live update against a reference of zero', () => {
    const reference = ref([row('two.duplicate-jobs', 'count', 0)]);
    expect(compareRows([row('two.duplicate-jobs', 'count', 0)], reference).regressions).toEqual([]);
    expect(compareRows([row('two.duplicate-jobs', 'count', 1)], reference).regressions).toHaveLength(1);
  });

  it('lists rows without a reference figure and skips rows this run could not measure', () => {
    const reference = ref([row('a.time', 's', 10), row('b.time', 's', null)]);
    const r = compareRows([row('a.time', 's', null), row('b.time', 's', 3), row('new.time', 's', 1), row('a.mem', 'MB', 5)], reference);
    expect(r.compared).toEqual([]);
    expect(r.unreferenced).toEqual(['b.time', 'new.time', 'a.mem']);
  });

  it('does not compare figures whose unit changed', () => {
    const reference = ref([row('a.x', 's', 10)]);
    expect(compareRows([row('a.x', 'ms', 10_000)], reference).unreferenced).toEqual(['a.x']);
  });
});

describe('renderRegressions', () => {
  it('prints a banner naming every regressed row, or one quiet line', () => {
    const reference = ref([row('a.time', 's', 10), row('b.rps', 'req/s', 1000, 2000), row('c.time', 's', 1)]);
    const bad = compareRows([row('a.time', 's', 20), row('b.rps', 'req/s', 500, 2000), row('c.time', 's', 1)], reference);
    const text = renderRegressions(bad, 'bench/reference/pglite-quick.json');
    expect(text).toContain('REGRESSION: 2 of 3 row(s) more than 30% worse than bench/reference/pglite-quick.json');
    expect(text).toContain('a.time (a.time): 10 → 20 s, +100% worse (on the figure)');
    expect(text).toContain('b.rps (b.rps): 1000 → 500 req/s, +50% worse (ratio to baseline 0.5× → 0.25×)');
    expect(text).not.toContain('c.time (c.time)');
    const good = compareRows([row('a.time', 's', 10)], reference);
    expect(renderRegressions(good, 'ref.json')).toBe('regression check against ref.json: 1 row(s) compared, none more than 30% worse');
  });
});

describe('mergeReference', () => {
  it('replaces the rows this run measured and keeps the others', () => {
    const before = ref([row('a.time', 's', 10), row('b.time', 's', 5)]);
    const after = mergeReference(before, [row('b.time', 's', 6), row('c.time', 's', 1), row('d.time', 's', null)], {
      db: 'pglite',
      quick: true,
      at: '2026-12-05T07:00:00.000Z',
      commit: 'def5678',
      loadAverage: [2.345, 1, 0.5],
    });
    expect(after.rows.map((r) => [r.id, r.ours])).toEqual([
      ['a.time', 10],
      ['b.time', 6],
      ['c.time', 1],
    ]);
    expect(after).toMatchObject({ commit: 'def5678', updatedAt: '2026-12-05T07:00:00.000Z', loadAverage: [2.35, 1, 0.5] });
  });
});
