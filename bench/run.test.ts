import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The harness end to end through its CLI, as CI runs it: `gongzhi bench --quick --only <one cheap
 * scenario> --db pglite` must run the scenario, print the table, write the JSON result and exit 0
 * even though budgets are judged; bad flags must exit 1 with a reason.
 */

const ROOT = path.resolve(import.meta.dirname, '..');
let dir: string;

function bench(args: string[], extra: Record<string, string> = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, BENCH_RESULTS_DIR: path.join(dir, 'results'), BENCH_CACHE: '0', ...extra };
  delete env.DATABASE_URL;
  return spawnSync(process.execPath, ['bin/gongzhi.js', 'bench', ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 280_000 });
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gz-bench-cli-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('gongzhi bench (CLI)', () => {
  it('--quick --only workforce --db pglite runs one scenario, prints the table and writes the JSON result', { timeout: 300_000 }, () => {
    const r = bench(['--quick', '--only', 'workforce', '--db', 'pglite'], { WF_BENCH_WORKERS: '300' });
    expect(r.stderr).toContain('quick run on pglite: workforce');
    expect(r.status, r.stderr.slice(-2000)).toBe(0);
    expect(r.stdout).toContain('quick run on pglite');
    expect(r.stdout).toMatch(/workforce · grade run, 300 workers/);
    const written = /results written to (.+\.json)/.exec(r.stdout);
    expect(written).not.toBeNull();
    const file = path.resolve(ROOT, written![1]);
    expect(path.dirname(file)).toBe(path.join(dir, 'results'));
    const report = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      options: { quick: boolean; db: string };
      scenarios: Record<string, { seconds: number; error?: string }>;
      rows: { id: string; ours: number | null; baseline: number | null; verdict: string }[];
      regressions: unknown;
    };
    expect(report.options).toMatchObject({ quick: true, db: 'pglite' });
    expect(Object.keys(report.scenarios)).toEqual(['workforce']);
    expect(report.scenarios.workforce.error).toBeUndefined();
    const grade = report.rows.find((x) => x.id === 'workforce.grade-run-20k');
    expect(grade?.ours).toBeGreaterThan(0);
    expect(grade?.baseline).toBeGreaterThan(0);
    expect(['PASS', 'FAIL']).toContain(grade?.verdict);
    // The regression check ran against the committed quick reference of PGlite.
    expect(r.stdout).toMatch(/bench\/reference\/pglite-quick\.json/);
  });

  it('refuses an unknown scenario and an unknown database with exit code 1', () => {
    const only = bench(['--quick', '--only', 'no-such-scenario']);
    expect(only.status).toBe(1);
    expect(only.stderr).toMatch(/no scenario "no-such-scenario"; there are: startup, /);
    const db = bench(['--quick', '--db', 'oracle']);
    expect(db.status).toBe(1);
    expect(db.stderr).toContain('--db must be pglite or postgres');
  });

  it('--list names every scenario without running any', () => {
    const results = path.join(dir, 'list-results');
    const r = bench(['--list'], { BENCH_RESULTS_DIR: results });
    expect(r.status).toBe(0);
    for (const name of ['startup', 'people-search', 'event-measures', 'two-instances']) expect(r.stdout).toContain(name);
    expect(fs.existsSync(results)).toBe(false);
  });
});
