import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ENGINES, type Client, type TestApp } from '../../test/harness.ts';
import { todayInShanghai } from '../registry/person-rules.ts';

/** The rows of the first sheet of an .xlsx answer (row 1 is the title, row 2 the header). */
async function sheetRows(res: { rawPayload: Buffer; headers: Record<string, unknown> }): Promise<unknown[][]> {
  expect(String(res.headers['content-type'])).toContain('spreadsheetml');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const rows: unknown[][] = [];
  wb.worksheets[0].eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
  return rows;
}

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

  it('award records: listed by year and kind with amounts and awarding body, and exported', async () => {
    const body = {
      workerId: id('周海涛'),
      kind: 'award',
      year: 2026,
      amountFen: 200_000,
      title: '优秀网格员',
      awardedBy: '福明街道党工委',
    };
    expect((await fuming.post('/api/workforce/honours', { ...body, awardedOn: '2026-06-30' })).statusCode).toBe(201);
    const awards = (await fuming.get('/api/workforce/honours?code=330212014&year=2026&kind=award')).json();
    expect(awards.capsFen).toEqual({ individual: 5_000_000, collective: 10_000_000 });
    const rows = awards.items.map((i: { title: string; collective: boolean; amountFen: number; workerName: string | null }) => [
      i.title,
      i.collective,
      i.amountFen,
      i.workerName,
    ]);
    expect(rows).toEqual(
      expect.arrayContaining([
        ['优秀社区工作者', false, 5_000_000, '陈丽华'],
        ['先进集体', true, 10_000_000, null],
        ['优秀网格员', false, 200_000, '周海涛'],
      ]),
    );
    expect(awards.items.every((i: { kind: string; year: number }) => i.kind === 'award' && i.year === 2026)).toBe(true);
    expect(awards.totalFen).toBe(awards.items.reduce((s: number, i: { amountFen: number }) => s + i.amountFen, 0));
    const collective = awards.items.find((i: { title: string }) => i.title === '先进集体');
    expect(collective).toMatchObject({ communityName: '江城社区', workerId: null });
    expect(awards.items.find((i: { title: string }) => i.title === '优秀网格员')).toMatchObject({
      awardedBy: '福明街道党工委',
      awardedOn: '2026-06-30',
    });
    const earlier = (await yinzhou.get('/api/workforce/honours?code=330212&year=2025')).json().items;
    expect(earlier.map((i: { title: string; awardedBy: string; amountFen: number }) => [i.title, i.awardedBy, i.amountFen])).toEqual([
      ['鄞州区社区工作者耕耘奖', '鄞州区民政局', 500_000],
    ]);
    expect((await fuming.get('/api/workforce/honours?code=320402')).statusCode).toBe(403);
    expect((await jiangcheng.get('/api/workforce/honours?code=330212014027')).statusCode).toBe(403);

    const x = await sheetRows(await fuming.get('/api/workforce/honours.xlsx?code=330212014&year=2026&kind=award'));
    expect(x[1]).toEqual(['授予日期', '年度', '类别', '名称', '对象', '姓名', '社区', '金额（元）', '授予单位']);
    expect(x).toContainEqual(['2026-06-30', 2026, '表彰奖励', '优秀网格员', '个人', '周海涛', '江城社区', 2000, '福明街道党工委']);
    expect(x).toHaveLength(2 + awards.items.length);
    const cx = await sheetRows(await fuming.get('/api/workforce/honours/candidates.xlsx?code=330212014&year=2026'));
    expect(cx[1]).toEqual(['社区', '姓名', '参加工作时间', '工作年限', '荣誉']);
    expect(cx).toContainEqual(['江城社区', '王建国', '2004-05-10', 22, '从事社区工作满20年荣誉证书']);
    expect((await fuming.get('/api/workforce/honours/candidates.xlsx?code=320402&year=2026')).statusCode).toBe(403);
  });

  it('care fund: the street applies, the district approves or refuses with a reason; listed and exported', async () => {
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

    const empty = await fuming.post(`/api/workforce/workers/${id('黄伟')}/care`, { kind: 'care_fund', year: 2026 });
    expect(empty.json().error.details.problems.map((p: { field: string }) => p.field)).toEqual(['amountFen', 'reason']);
    const second = (
      await fuming.post(`/api/workforce/workers/${id('黄伟')}/care`, {
        kind: 'care_fund',
        year: 2026,
        amountFen: 200_000,
        reason: '子女就学困难',
      })
    ).json();
    const bare = await yinzhou.post(`/api/workforce/care/${second.id}/decide`, { version: 1, approve: false });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().error.details.problems).toEqual([{ field: 'note', reason: '不予批准须说明理由' }]);
    const refused = await yinzhou.post(`/api/workforce/care/${second.id}/decide`, {
      version: 1,
      approve: false,
      note: '本年度已享受困难补助',
    });
    expect(refused.json().status).toBe('rejected');

    const list = (await yinzhou.get('/api/workforce/care?code=330212&year=2026')).json().items;
    expect(list[0]).toMatchObject({ name: '罗慧', status: 'applied', amountFen: 800_000, canDecide: true });
    expect(list.find((i: { id: string }) => i.id === applied.json().id)).toMatchObject({
      name: '张蕾',
      status: 'approved',
      decidedBy: 'yinzhou',
      canDecide: false,
    });
    expect(list.find((i: { id: string }) => i.id === second.id)).toMatchObject({
      status: 'rejected',
      decisionNote: '本年度已享受困难补助',
    });
    const street = (await fuming.get('/api/workforce/care?code=330212014&status=applied')).json().items;
    expect(street.length).toBeGreaterThan(0);
    expect(street.every((i: { status: string; canDecide: boolean }) => i.status === 'applied' && !i.canDecide)).toBe(true);
    expect((await fuming.get('/api/workforce/care?code=320402')).statusCode).toBe(403);
    expect((await jiangcheng.get('/api/workforce/care?code=330212014027')).statusCode).toBe(403);

    const x = await sheetRows(await yinzhou.get('/api/workforce/care.xlsx?code=330212&year=2026'));
    expect(x[1]).toEqual(['社区', '姓名', '年度', '申请金额（元）', '申请事由', '申请时间', '状态', '审批人', '审批时间', '审批意见']);
    const row = x.find((r) => r[1] === '黄伟')!;
    expect([row[3], row[4], row[6], row[7], row[9]]).toEqual([2000, '子女就学困难', '不予批准', 'yinzhou', '本年度已享受困难补助']);
    expect(x).toHaveLength(2 + list.length);
    expect((await fuming.get('/api/workforce/care.xlsx?code=320402')).statusCode).toBe(403);
  });

  it('health checks are recorded: the yearly list moves a worker from due or overdue to done', async () => {
    type Check = { name: string; status: string; lastCheckOn: string | null; dueBy: string | null };
    const view = async () => (await fuming.get('/api/workforce/health-checks?code=330212014&year=2026')).json();
    const of = (h: { items: Check[] }, name: string) => h.items.find((i) => i.name === name)!;
    const before = await view();
    expect(before.counts.done + before.counts.due + before.counts.overdue).toBe(before.total);
    expect(before.items).toHaveLength(before.total);
    expect(of(before, '王建国')).toMatchObject({ status: 'done', lastCheckOn: '2026-04-18', dueBy: null });
    // Checked 2025-11-20: a yearly check is due within twelve months, so overdue since 2026-11-21.
    expect(of(before, '陈丽华')).toMatchObject({ status: 'overdue', lastCheckOn: '2025-11-20', dueBy: '2026-11-20' });
    const was = of(before, '张蕾');
    expect(was).toMatchObject({ lastCheckOn: null, dueBy: '2026-12-31' }); // never checked: by the end of the year
    expect(was.status).not.toBe('done');

    const tomorrow = new Date(Date.parse(`${todayInShanghai()}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const ahead = await fuming.post(`/api/workforce/workers/${id('张蕾')}/care`, { kind: 'health_check', year: 2026, checkedOn: tomorrow });
    expect(ahead.json().error.details.problems).toEqual([{ field: 'checkedOn', reason: '体检日期不能晚于今天' }]);
    const wrongYear = await fuming.post(`/api/workforce/workers/${id('张蕾')}/care`, {
      kind: 'health_check',
      year: 2026,
      checkedOn: '2025-05-01',
    });
    expect(wrongYear.statusCode).toBe(400);
    expect((await jiangcheng.post(`/api/workforce/workers/${id('张蕾')}/care`, { kind: 'health_check', year: 2026 })).statusCode).toBe(403);
    const done = await fuming.post(`/api/workforce/workers/${id('张蕾')}/care`, {
      kind: 'health_check',
      year: 2026,
      checkedOn: '2026-11-03',
      reason: '区总工会组织体检',
    });
    expect(done.statusCode).toBe(201);
    const after = await view();
    expect(of(after, '张蕾')).toMatchObject({ status: 'done', lastCheckOn: '2026-11-03', dueBy: null });
    expect(after.counts.done).toBe(before.counts.done + 1);
    expect(after.counts[was.status]).toBe(before.counts[was.status] - 1);

    // The deadline month is the district's: by June, 李晓敏 (never checked) is overdue.
    const settings = (await yinzhou.get('/api/workforce/settings/330212')).json();
    expect(settings.healthCheckByMonth).toBe(12);
    const patched = await yinzhou.patch('/api/workforce/settings/330212', { version: settings.version, healthCheckByMonth: 6 });
    expect(patched.json().healthCheckByMonth).toBe(6);
    expect(of(await view(), '李晓敏')).toMatchObject({ status: 'overdue', lastCheckOn: null, dueBy: '2026-06-30' });

    const x = await sheetRows(await fuming.get('/api/workforce/health-checks.xlsx?code=330212014&year=2026'));
    expect(x[1]).toEqual(['社区', '姓名', '状态', '最近体检日期', '应检截止日期']);
    expect(x).toContainEqual(['江城社区', '张蕾', '已体检', '2026-11-03', '']);
    expect(x).toContainEqual(['江城社区', '李晓敏', '已逾期', '从未体检', '2026-06-30']);
    expect((await fuming.get('/api/workforce/health-checks?code=320402&year=2026')).statusCode).toBe(403);
    expect((await fuming.get('/api/workforce/health-checks?code=999999&year=2026')).statusCode).toBe(404);
    expect((await jiangcheng.get('/api/workforce/health-checks?code=330212014027&year=2026')).statusCode).toBe(403);
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
