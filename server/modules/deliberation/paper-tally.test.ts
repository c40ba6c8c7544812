import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tallyPaperFiles } from './paper-tally.ts';

const run = promisify(execFile);
const BIN = path.resolve('bin/gongzhi.js');

async function gongzhi(args: string[]) {
  try {
    const r = await run(process.execPath, [BIN, ...args], { timeout: 60_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

const OWNERS = 'house_code,owner_id,area_m2\nA101,p1,100\nA102,p2,100\nA102,p3,100\nA103,p1,100\nA104,p4,100\nA105,p5,100\n';

describe('paper vote files', () => {
  it('counts co-owners once and an owner of two houses once', () => {
    const r = tallyPaperFiles(7, OWNERS, 'house_code,choice\nA101,同意\nA102,agree\nA103,agree\nA104,弃权\n');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // p1 (A101+A103), {p2,p3} (A102), p4, p5: four counted owners, three took part
    expect(r.result.total.headcount).toBe(4);
    expect(r.result.participating.headcount).toBe(3);
    expect(r.result.shares.participationArea).toBeCloseTo(0.8);
    expect(r.result.shares.approvalArea).toBeCloseTo(0.75);
    expect(r.result.shares.approvalHeadcount).toBeCloseTo(2 / 3);
    expect(r.result.passed).toBe(false);
  });

  it('refuses two areas for one house, a bad area and a bad header', () => {
    const r = tallyPaperFiles(1, 'house_code,owner_id,area_m2\nA1,p1,90\nA1,p2,91\nA2,p3,abc\n', 'house_code,choice\n');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.lines)).toEqual([[2, 3], [4]]);
    const h = tallyPaperFiles(1, 'house,owner\nA1,p1\n', 'house_code,choice\nA1,agree\n');
    expect(!h.ok && h.problems[0].message).toMatch(/house_code/);
    expect(tallyPaperFiles(10, OWNERS, '').ok).toBe(false);
  });
});

describe('gongzhi vote tally', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gz-vote-'));
  const owners = path.join(dir, 'owners.csv');
  fs.writeFileSync(owners, OWNERS);
  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, text);
    return p;
  };

  it('prints the four shares and the verdict as JSON', async () => {
    const ballots = file('ok.csv', 'house_code,choice\nA101,同意\nA102,同意\nA103,同意\nA104,同意\nA105,反对\n');
    const r = await gongzhi(['vote', 'tally', '--matter', '7', '--owners', owners, '--ballots', ballots, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      participationArea: 1,
      participationHeadcount: 1,
      approvalArea: 0.8,
      approvalHeadcount: 0.75,
      passed: true,
    });
    const text = await gongzhi(['vote', 'tally', '--matter', '7', '--owners', owners, '--ballots', ballots]);
    expect(text.stdout).toContain('通过 PASSED');
  });

  it('refuses an unknown house, a duplicate ballot and one owner with two choices, naming the lines', async () => {
    const ballots = file('bad.csv', 'house_code,choice\nA101,agree\nA103,disagree\nA109,agree\nA104,agree\nA104,agree\n');
    const r = await gongzhi(['vote', 'tally', '--matter', '4', '--owners', owners, '--ballots', ballots, '--json']);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('line 4: unknown house A109');
    expect(r.stderr).toContain('line 5, 6: more than one ballot for house A104');
    expect(r.stderr).toContain('line 2, 3: houses A101, A103');
  });
});
