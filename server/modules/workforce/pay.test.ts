import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ENGINES, type Client, type TestApp } from '../../test/harness.ts';
import { DEMO_FOUR_LEVEL, DEMO_THREE_POST } from './demo-schemes.ts';

/** Pay (W4) through the API: schemes as versioned rule sets, preview, grade run, pay run, past months kept. */

type Line = { workerId: string; name: string; totalFen: number; items: { code: string; amountFen: number }[] };

describe.each(ENGINES)('workforce pay on %s', (engine) => {
  let t: TestApp;
  let yinzhou: Client, wuhua: Client, fuming: Client;
  let workers: { id: string; name: string }[];
  beforeAll(async () => {
    t = await createTestApp(engine);
    [yinzhou, wuhua, fuming] = await Promise.all(['yinzhou', 'wuhua', 'fuming'].map((u) => t.login(u)));
    workers = (await yinzhou.get('/api/workforce/workers')).json().items;
  });
  afterAll(async () => t?.close());
  const id = (name: string) => workers.find((w) => w.name === name)!.id;

  it('only the district holds pay; a street cannot see schemes or runs', async () => {
    const s = (await yinzhou.get('/api/workforce/pay/schemes?districtCode=330212')).json();
    expect(s.inUse).toBe('yinzhou-3p18g');
    expect(s.items[0]).toMatchObject({ kind: 'three_post_eighteen_grade', versionNo: 1, effectiveFrom: '2025-01' });
    expect((await fuming.get('/api/workforce/pay/schemes?districtCode=330212')).statusCode).toBe(403);
    expect((await wuhua.get('/api/workforce/pay/schemes?districtCode=330212')).json().error.code).toBe('OUT_OF_SCOPE');
    const runs = (await wuhua.get('/api/workforce/pay/runs?districtCode=530102')).json();
    expect((await yinzhou.get(`/api/workforce/pay/pay-runs/${runs.payRuns[0].id}`)).statusCode).toBe(404);
  });

  it('previews what a worker would get under the stored scheme and under a draft', async () => {
    const stored = (await yinzhou.post('/api/workforce/pay/preview', { workerId: id('陈丽华'), month: '2026-10' })).json();
    expect(stored.items.map((i: { code: string }) => i.code)).toEqual([
      'post',
      'grade',
      'performance',
      'qualification',
      'party_affairs',
      'phone',
    ]);
    expect(stored.totalFen).toBe(stored.items.reduce((s: number, i: { amountFen: number }) => s + i.amountFen, 0));
    expect(stored.items[3]).toMatchObject({ amountFen: 20_000, explain: '持社会工作师证书' });
    const draft = structuredClone(DEMO_THREE_POST);
    draft.postPayFen.head += 50_000;
    const previewed = (await yinzhou.post('/api/workforce/pay/preview', { workerId: id('陈丽华'), month: '2026-10', rules: draft })).json();
    expect(previewed.items[0].amountFen).toBe(stored.items[0].amountFen + 50_000);
    const bad = structuredClone(DEMO_FOUR_LEVEL);
    bad.subsidyFen.staff[0] = 39_999;
    const refused = await wuhua.post('/api/workforce/pay/preview', {
      workerId: (await wuhua.get('/api/workforce/workers')).json().items[0].id,
      month: '2026-10',
      rules: bad,
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.details.problems[0]).toMatchObject({ field: 'subsidyFen.staff.0' });
  });

  it('四级六档 in 五华区: subsidies within 400–2000 yuan and +200 from the month after a certificate', async () => {
    const items = (await wuhua.get('/api/workforce/workers')).json().items as { id: string; name: string }[];
    const duan = items.find((w) => w.name === '段志华')!; // certificate issued 2026-06-20
    const june = (await wuhua.post('/api/workforce/pay/preview', { workerId: duan.id, month: '2026-06' })).json();
    const july = (await wuhua.post('/api/workforce/pay/preview', { workerId: duan.id, month: '2026-07' })).json();
    const q = (s: { items: { code: string; amountFen: number }[] }) => s.items.find((i) => i.code === 'qualification')!.amountFen;
    expect([q(june), q(july)]).toEqual([0, 20_000]);
    const run = (await wuhua.get('/api/workforce/pay/runs?districtCode=530102')).json().payRuns[0];
    const lines = (await wuhua.get(`/api/workforce/pay/pay-runs/${run.id}`)).json().lines as Line[];
    for (const l of lines) {
      const g = l.items.find((i) => i.code === 'grade')!.amountFen;
      expect(g).toBeGreaterThanOrEqual(40_000);
      expect(g).toBeLessThanOrEqual(200_000);
    }
  });

  it('a new rule version never rewrites a month already paid; a confirmed month cannot be recomputed', async () => {
    const runs = (await yinzhou.get('/api/workforce/pay/runs?districtCode=330212')).json();
    const oct = (await yinzhou.get(`/api/workforce/pay/pay-runs/${runs.payRuns[0].id}`)).json();
    expect(oct.month).toBe('2026-10');
    const raised = structuredClone(DEMO_THREE_POST);
    raised.postPayFen = { head: 160_000, deputy: 130_000, staff: 110_000 };
    const into = await yinzhou.post('/api/workforce/pay/schemes', {
      districtCode: '330212',
      code: 'yinzhou-3p18g',
      name: '鄞州区三岗十八级（调标）',
      effectiveFrom: '2026-10',
      rules: raised,
    });
    expect(into.statusCode).toBe(400);
    expect(into.json().error.details.problems[0].field).toBe('effectiveFrom');
    const v2 = await yinzhou.post('/api/workforce/pay/schemes', {
      districtCode: '330212',
      code: 'yinzhou-3p18g',
      name: '鄞州区三岗十八级（调标）',
      effectiveFrom: '2026-11',
      rules: raised,
    });
    expect(v2.statusCode).toBe(201);
    expect(v2.json().versionNo).toBe(2);
    const nov = (await yinzhou.post('/api/workforce/pay/pay-runs', { districtCode: '330212', month: '2026-11' })).json();
    expect(nov.scheme.versionNo).toBe(2);
    const total = (run: { lines: Line[] }, name: string) => run.lines.find((l) => l.name === name)!.totalFen;
    expect(total(nov, '张蕾') - total(oct, '张蕾')).toBe(10_000);
    // October, recomputed after the change, still uses version 1.
    const again = (await yinzhou.post('/api/workforce/pay/pay-runs', { districtCode: '330212', month: '2026-10' })).json();
    expect(again.scheme.versionNo).toBe(1);
    expect(again.totalFen).toBe(oct.totalFen);
    const stale = await yinzhou.post(`/api/workforce/pay/pay-runs/${again.id}/confirm`, { version: oct.version });
    expect(stale.statusCode).toBe(409);
    expect((await yinzhou.post(`/api/workforce/pay/pay-runs/${again.id}/confirm`, { version: again.version })).json().status).toBe(
      'confirmed',
    );
    expect((await yinzhou.post('/api/workforce/pay/pay-runs', { districtCode: '330212', month: '2026-10' })).json().error.code).toBe(
      'PAY_RUN_CONFIRMED',
    );
    const x = await yinzhou.get(`/api/workforce/pay/pay-runs/${again.id}/export.xlsx`);
    expect(x.headers['content-type']).toContain('spreadsheetml');
  });

  it('the yearly grade run proposes with reasons, is approved, then takes effect from January', async () => {
    const proposed = await yinzhou.post('/api/workforce/pay/grade-runs', { districtCode: '330212', year: 2027 });
    expect(proposed.statusCode).toBe(201);
    const run = proposed.json();
    expect(run.status).toBe('proposed');
    expect(run.workerCount).toBeGreaterThan(15);
    const line = run.lines.find((l: { name: string }) => l.name === '徐明杰'); // started 2019-04-01
    expect(line.reasons.join()).toContain('工作年限 7 年');
    expect(line.proposed).toBeGreaterThanOrEqual(line.current);
    const before = (await yinzhou.get(`/api/workforce/workers/${id('徐明杰')}`)).json().grades;
    expect(before.map((g: { effectiveFrom: string }) => g.effectiveFrom)).toEqual(['2026-01']);
    expect((await yinzhou.post(`/api/workforce/pay/grade-runs/${run.id}/approve`, { version: run.version + 1 })).statusCode).toBe(409);
    expect((await fuming.post(`/api/workforce/pay/grade-runs/${run.id}/approve`, { version: run.version })).statusCode).toBe(403);
    const approved = await yinzhou.post(`/api/workforce/pay/grade-runs/${run.id}/approve`, { version: run.version });
    expect(approved.json().status).toBe('approved');
    const after = (await yinzhou.get(`/api/workforce/workers/${id('徐明杰')}`)).json().grades;
    expect(after[0]).toMatchObject({ effectiveFrom: '2027-01', grade: line.proposed });
    expect((await yinzhou.post('/api/workforce/pay/grade-runs', { districtCode: '330212', year: 2027 })).statusCode).toBe(409);
  });
});
