import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ENGINES, type Client, type TestApp } from '../../test/harness.ts';

/** Training (W5), honours and care (W6), appraisal and rota (W7) through the API. */

describe.each(ENGINES)('workforce training, honours and rota on %s', (engine) => {
  let t: TestApp;
  let fuming: Client, yinzhou: Client, jiangcheng: Client, grid: Client;
  let workers: { id: string; name: string; communityCode: string; onboardedOn: string | null }[];
  beforeAll(async () => {
    t = await createTestApp(engine);
    [fuming, yinzhou, jiangcheng, grid] = await Promise.all(['fuming', 'yinzhou', 'jiangcheng', 'grid-jc-001'].map((u) => t.login(u)));
    workers = (await fuming.get('/api/workforce/workers')).json().items;
  });
  afterAll(async () => t?.close());
  const id = (name: string) => workers.find((w) => w.name === name)!.id;

  it('no duty before onboarding; attending onboarding opens the rota to them', async () => {
    const newcomer = id('吴思远');
    expect(workers.find((w) => w.name === '吴思远')!.onboardedOn).toBeNull();
    const refused = await fuming.post('/api/workforce/rota/duties', { workerId: newcomer, day: '2026-12-05' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('TRAINING_REQUIRED');
    const gen = (await fuming.post('/api/workforce/rota/generate', { communityCode: '330212014027', month: '2026-12' })).json();
    expect(gen.excluded).toContain(newcomer);
    expect(gen.duties.some((d: { workerId: string }) => d.workerId === newcomer)).toBe(false);

    const prog = (
      await yinzhou.post('/api/workforce/training/programmes', {
        districtCode: '330212',
        name: '2026年第二期岗前培训',
        kind: 'onboarding',
        year: 2026,
      })
    ).json();
    const session = (
      await yinzhou.post(`/api/workforce/training/programmes/${prog.id}/sessions`, {
        title: '岗前集中培训（第二期）',
        startOn: '2026-11-16',
        days: 3,
        hours: 24,
      })
    ).json();
    expect((await jiangcheng.post(`/api/workforce/training/sessions/${session.id}/attendance`, { workerIds: [newcomer] })).statusCode).toBe(
      403,
    );
    expect(
      (await fuming.post(`/api/workforce/training/sessions/${session.id}/attendance`, { workerIds: [newcomer] })).json().recorded,
    ).toBe(1);
    expect((await fuming.get(`/api/workforce/workers/${newcomer}`)).json().onboardedOn).toBe('2026-11-16');
    const ok = await fuming.post('/api/workforce/rota/duties', { workerId: newcomer, day: '2026-12-05' });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().shift).toBe('weekend');
    const again = (await fuming.post('/api/workforce/rota/generate', { communityCode: '330212014027', month: '2026-12' })).json();
    expect(again.excluded).toEqual([]);
  });

  it('lists the workers under 3 training days this year, and exports the list', async () => {
    const c = (await fuming.get('/api/workforce/training/compliance?code=330212014&year=2026')).json();
    expect(c.minDays).toBe(3);
    const below = c.below.map((b: { name: string }) => b.name);
    expect(below).toContain('胡志强'); // no training in 2026
    expect(below).not.toContain('陈丽华'); // 3 + 2 days
    expect(below).toContain('张蕾'); // 2 days only
    expect(c.compliant + c.below.length).toBe(c.total);
    expect((await jiangcheng.get('/api/workforce/training/compliance?code=330212014027&year=2026')).statusCode).toBe(403);
    const x = await fuming.get('/api/workforce/training/compliance.xlsx?code=330212014&year=2026');
    expect(x.headers['content-type']).toContain('spreadsheetml');
  });

  it('mentor pairs (导师帮带): added and listed under the street, not the same person, not for a community worker', async () => {
    const pair = await fuming.post('/api/workforce/training/mentors', {
      mentorId: id('陈丽华'),
      menteeId: id('张蕾'),
      startOn: '2026-03-01',
    });
    expect(pair.statusCode, pair.body).toBe(201);
    const self = await fuming.post('/api/workforce/training/mentors', {
      mentorId: id('张蕾'),
      menteeId: id('张蕾'),
      startOn: '2026-03-01',
    });
    expect(self.json().error.details.problems[0].field).toBe('menteeId');
    const listed = (await fuming.get('/api/workforce/training/mentors?code=330212014')).json().items;
    expect(listed).toContainEqual(
      expect.objectContaining({ id: pair.json().id, mentorName: '陈丽华', menteeName: '张蕾', startOn: '2026-03-01' }),
    );
    expect((await jiangcheng.get('/api/workforce/training/mentors?code=330212014027')).statusCode).toBe(403);
    expect((await fuming.get('/api/workforce/training/mentors?code=999999')).statusCode).toBe(404);
  });

  it('derives honour candidates from years of service; awards are capped', async () => {
    const c = (await fuming.get('/api/workforce/honours/candidates?code=330212014&year=2026')).json();
    const of = (name: string) => c.items.filter((i: { name: string }) => i.name === name).map((i: { kind: string }) => i.kind);
    expect(of('陈丽华')).toEqual(['service_certificate', 'service_medal', 'gengyun']); // since 1995-03-01
    expect(of('王建国')).toEqual(['service_certificate', 'gengyun']); // since 2004-05-10: 22 years
    expect(of('胡志强')).toEqual(['service_medal']); // certificate and 耕耘奖 already awarded
    expect(of('黄伟')).toEqual(['service_certificate', 'gengyun']); // since 2006-01-01: exactly 20 at year end
    expect(of('周海涛')).toEqual(['service_certificate', 'gengyun']); // since 2005-07-01: 21 years
    expect(of('李晓敏')).toEqual([]); // since 2010: 16 years
  });

  it('awards: individual up to 50 000 yuan, collective up to 100 000; one fen more is refused', async () => {
    const over = await fuming.post('/api/workforce/honours', {
      workerId: id('陈丽华'),
      kind: 'award',
      year: 2026,
      amountFen: 5_000_001,
      title: '优秀社区工作者',
    });
    expect(over.statusCode).toBe(400);
    expect(over.json().error.code).toBe('AWARD_TOO_LARGE');
    expect(
      (
        await fuming.post('/api/workforce/honours', {
          workerId: id('陈丽华'),
          kind: 'award',
          year: 2026,
          amountFen: 5_000_000,
          title: '优秀社区工作者',
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (await fuming.post('/api/workforce/honours', { communityCode: '330212014027', kind: 'award', year: 2026, amountFen: 10_000_001 }))
        .statusCode,
    ).toBe(400);
    expect(
      (
        await fuming.post('/api/workforce/honours', {
          communityCode: '330212014027',
          kind: 'award',
          year: 2026,
          amountFen: 10_000_000,
          title: '先进集体',
        })
      ).statusCode,
    ).toBe(201);
    const medal = await fuming.post('/api/workforce/honours', { workerId: id('陈丽华'), kind: 'service_medal', year: 2026, amountFen: 0 });
    expect(medal.statusCode).toBe(201);
    expect(
      (await fuming.post('/api/workforce/honours', { workerId: id('陈丽华'), kind: 'service_medal', year: 2026, amountFen: 0 })).statusCode,
    ).toBe(409);
    const c = (await fuming.get('/api/workforce/honours/candidates?code=330212014027&year=2026')).json();
    expect(c.items.filter((i: { name: string }) => i.name === '陈丽华').map((i: { kind: string }) => i.kind)).toEqual([
      'service_certificate',
      'gengyun',
    ]);
  });

  it('care fund: the street applies, the district decides; health checks are recorded', async () => {
    const applied = await fuming.post(`/api/workforce/workers/${id('张蕾')}/care`, {
      kind: 'care_fund',
      year: 2026,
      amountFen: 300_000,
      reason: '家中遭遇火灾',
    });
    expect(applied.statusCode).toBe(201);
    expect((await fuming.post(`/api/workforce/care/${applied.json().id}/decide`, { version: 1, approve: true })).statusCode).toBe(403);
    expect((await yinzhou.post(`/api/workforce/care/${applied.json().id}/decide`, { version: 2, approve: true })).statusCode).toBe(409);
    expect((await yinzhou.post(`/api/workforce/care/${applied.json().id}/decide`, { version: 1, approve: true })).json().status).toBe(
      'approved',
    );
    const care = (await fuming.get(`/api/workforce/workers/${id('张蕾')}`)).json().care;
    expect(care[0]).toMatchObject({ kind: 'care_fund', status: 'approved', amountFen: 300_000, decidedBy: 'yinzhou' });
  });

  it('the rota: each worker sees their own duties; holidays spread fairly over the year', async () => {
    // The demo builds the current month's rota; build November's here so the test does not depend on today.
    const nov = await fuming.post('/api/workforce/rota/generate', { communityCode: '330212014027', month: '2026-11' });
    expect(nov.statusCode).toBe(200);
    const mine = (await grid.get('/api/workforce/rota?communityCode=330212014027&month=2026-11')).json();
    expect(mine.duties.length).toBeGreaterThan(0);
    expect(new Set(mine.duties.map((d: { name: string }) => d.name))).toEqual(new Set(['王建国']));
    const all = (await jiangcheng.get('/api/workforce/rota?communityCode=330212014027&month=2026-11')).json();
    expect(all.duties).toHaveLength(30);
    const oct = (await fuming.post('/api/workforce/rota/generate', { communityCode: '330212014027', month: '2026-10' })).json();
    const holidays = oct.duties.filter((d: { shift: string }) => d.shift === 'holiday');
    expect(holidays.map((d: { day: string }) => d.day)).toEqual([
      '2026-10-01',
      '2026-10-02',
      '2026-10-03',
      '2026-10-04',
      '2026-10-05',
      '2026-10-06',
      '2026-10-07',
    ]);
    expect(new Set(holidays.map((d: { workerId: string }) => d.workerId)).size).toBe(7);
    expect((await jiangcheng.post('/api/workforce/rota/generate', { communityCode: '330212014027', month: '2026-10' })).statusCode).toBe(
      403,
    );
  });
});
