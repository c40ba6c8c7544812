import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, ENGINES, type Client, type TestApp } from '../../test/harness.ts';
import { createCalendar, nextWorkingDay } from '../../core/calendar.ts';
import { chineseDaysRows } from '../../core/calendar-data.ts';
import { makeIdNumber } from '../registry/id-number.ts';
import { todayInShanghai } from '../registry/person-rules.ts';
import { noticeEnd } from './recruitment.ts';

/**
 * Recruitment (W3) end to end through the API as the district HR (yinzhou) and the street
 * (fuming): bonus points change the rank, an objection during the notice strikes a candidate,
 * the ranked remainder becomes the reserve pool, and the pool fills a vacancy.
 */

describe('the public notice runs at least 5 working days on the holiday calendar', () => {
  const cal = createCalendar(chineseDaysRows());
  it.each([
    ['2026-11-23', '2026-11-27'], // Monday → Friday
    ['2026-11-26', '2026-12-02'], // Thursday → next Wednesday
    ['2026-09-28', '2026-10-09'], // across the National Day holidays
  ])('from %s ends %s', (start, end) => expect(noticeEnd(cal, start)).toBe(end));
});

type App = {
  id: string;
  name: string;
  status: string;
  rank: number | null;
  reserveRank: number | null;
  totalScore: number | null;
  version: number;
  screening: string[];
  statusReason: string;
};

describe.each(ENGINES)('recruitment on %s', (engine) => {
  let t: TestApp;
  let yinzhou: Client, fuming: Client, jiangcheng: Client;
  beforeAll(async () => {
    t = await createTestApp(engine);
    [yinzhou, fuming, jiangcheng] = await Promise.all(['yinzhou', 'fuming', 'jiangcheng'].map((u) => t.login(u)));
  });
  afterAll(async () => t?.close());
  afterEach(() => vi.useRealTimers());
  const cal = createCalendar(chineseDaysRows());
  const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
  /** Moves the clock to noon of `day` in Shanghai; sessions went idle meanwhile, so HR signs in again. */
  const atNoonOf = async (day: string) => {
    vi.setSystemTime(new Date(`${day}T12:00:00+08:00`));
    yinzhou = await t.login('yinzhou');
  };

  const plan = {
    districtCode: '330212',
    year: new Date().getFullYear(),
    title: '鄞州区社区专职工作者补充招聘（东柳街道）',
    requirements: { minAge: 18, maxAge: 35, ageOn: '2026-11-01', minEducation: 'bachelor', majors: [], fullTimeOnly: true },
    bonus: { assistant_social_worker: 2, social_worker: 5, counsellor: 1 },
    posts: [{ streetCode: '330212012', name: '东柳街道社区专职工作者', quota: 1 }],
  };

  it('walks a plan from posts to appointment, the reserve pool and a filled vacancy', async () => {
    expect((await fuming.post('/api/workforce/recruitment/plans', plan)).json().error.code).toBe('OUT_OF_SCOPE');
    const created = await yinzhou.post('/api/workforce/recruitment/plans', plan);
    expect(created.statusCode).toBe(201);
    let p = created.json();
    const postId = p.posts[0].id;
    const advance = async (to: string, extra = {}) => {
      const r = await yinzhou.post(`/api/workforce/recruitment/plans/${p.id}/advance`, { version: p.version, to, ...extra });
      if (r.statusCode === 200) p = r.json();
      return r;
    };
    const applyAs = (name: string, born: string, seq: number, extra = {}) =>
      yinzhou.post(`/api/workforce/recruitment/plans/${p.id}/applications`, {
        postId,
        name,
        idNumber: makeIdNumber('330212', born, seq),
        phone: '13757400123',
        education: 'bachelor',
        major: '社会工作',
        fullTime: true,
        ...extra,
      });
    expect((await applyAs('早到者', '1999-01-01', 11)).json().error.code).toBe('STAGE_INVALID');
    expect((await advance('screening')).statusCode).toBe(409);
    expect((await advance('open')).statusCode).toBe(200);

    expect((await applyAs('林一', '1998-03-03', 21)).statusCode).toBe(201);
    expect(
      (await applyAs('林二', '1999-04-04', 32, { certificates: [{ kind: 'social_worker', issuedOn: '2025-06-21' }] })).statusCode,
    ).toBe(201);
    expect((await applyAs('林三', '1980-05-05', 43)).statusCode).toBe(201);
    expect((await applyAs('林四', '2000-06-06', 54, { education: 'junior_college' })).statusCode).toBe(201);
    expect((await applyAs('林五', '2000-07-07', 65)).statusCode).toBe(201);
    const dup = await applyAs('林一', '1998-03-03', 21);
    expect(dup.json().error.code).toBe('APPLICATION_EXISTS');
    expect((await applyAs('错号', '1998-03-03', 99, { idNumber: '330212199803030990' })).statusCode).toBe(400);

    expect((await advance('screening')).statusCode).toBe(200);
    const list = async (q = '') => (await yinzhou.get(`/api/workforce/recruitment/plans/${p.id}/applications${q}`)).json().items as App[];
    const by = (apps: App[], name: string) => apps.find((a) => a.name === name)!;
    let apps = await list();
    expect(by(apps, '林三')).toMatchObject({ status: 'ineligible' });
    expect(by(apps, '林三').screening[0]).toContain('超过 35 岁');
    expect(by(apps, '林四').screening[0]).toContain('学历 大专');
    expect(by(apps, '林二').screening).toContain('社会工作师 加 5 分');
    // A reviewer overrules with a reason; a community worker may not.
    const lin4 = by(apps, '林四');
    expect(
      (
        await jiangcheng.post(`/api/workforce/recruitment/applications/${lin4.id}/screen`, {
          version: lin4.version,
          eligible: true,
          reason: '复核',
        })
      ).statusCode,
    ).toBe(403);
    const kept = await yinzhou.post(`/api/workforce/recruitment/applications/${lin4.id}/screen`, {
      version: lin4.version,
      eligible: false,
      reason: '学历复核属实，维持不通过',
    });
    expect(kept.json().screening.at(-1)).toContain('人工复核');

    expect((await advance('written')).statusCode).toBe(200);
    const ids = Object.fromEntries(apps.map((a) => [a.name, a.id]));
    const scores = (stage: string, s: Record<string, number>) =>
      yinzhou.request('PUT', `/api/workforce/recruitment/plans/${p.id}/scores`, {
        stage,
        scores: Object.entries(s).map(([n, score]) => ({ applicationId: ids[n], score })),
      });
    expect((await scores('interview', { 林一: 80 })).json().error.code).toBe('STAGE_INVALID');
    expect((await scores('written', { 林三: 90 })).json().error.code).toBe('STAGE_INVALID'); // ineligible
    expect((await scores('written', { 林一: 80, 林二: 76 })).statusCode).toBe(200);
    expect((await advance('interview')).json().error.code).toBe('SCORES_MISSING');
    expect((await scores('written', { 林五: 70 })).statusCode).toBe(200);
    expect((await advance('interview')).statusCode).toBe(200);
    expect((await advance('checks')).json().error.code).toBe('SCORES_MISSING');
    expect((await scores('interview', { 林一: 80, 林二: 80, 林五: 74 })).statusCode).toBe(200);
    expect((await advance('checks')).statusCode).toBe(200);

    // 林二's written 76 + 5 bonus = 81 beats 林一's 80: the bonus changes the rank.
    apps = await list();
    expect([by(apps, '林二'), by(apps, '林一'), by(apps, '林五')].map((a) => [a.status, a.rank, a.totalScore])).toEqual([
      ['selected', 1, 80.5],
      ['ranked', 2, 80],
      ['ranked', 3, 72],
    ]);
    expect((await advance('notice')).json().error.code).toBe('CHECKS_MISSING');
    const lin2 = by(apps, '林二');
    expect(
      (
        await yinzhou.post(`/api/workforce/recruitment/applications/${lin2.id}/checks`, {
          version: lin2.version,
          medical: 'pass',
          background: 'pass',
        })
      ).statusCode,
    ).toBe(200);

    // The notice cannot be back-dated: it starts today at the earliest and runs 5 working days.
    const today = todayInShanghai();
    const backdated = await advance('notice', { noticeStart: addDays(today, -1) });
    expect(backdated.statusCode).toBe(400);
    expect(backdated.json().error).toMatchObject({ code: 'NOTICE_BACKDATED', details: { today } });
    expect(backdated.json().error.message).toContain('不能早于今天');
    expect(p.stage).toBe('checks');
    expect((await advance('notice', { noticeStart: today })).statusCode).toBe(200);
    expect(p.noticeStart).toBe(nextWorkingDay(cal, today));
    expect(p.noticeEnd).toBe(noticeEnd(cal, p.noticeStart));
    expect((await advance('closed')).json().error.code).toBe('NOTICE_NOT_OVER');
    const ev = await yinzhou.post(`/api/workforce/recruitment/applications/${lin2.id}/objections`, {
      receivedOn: p.noticeStart,
      content: '有群众反映其在原单位存在违纪情况，请核实。',
    });
    expect(ev.statusCode).toBe(201);
    const late = await yinzhou.post(`/api/workforce/recruitment/applications/${lin2.id}/objections`, {
      receivedOn: '2020-01-01',
      content: '公示期外的来信。',
    });
    expect(late.statusCode).toBe(400);
    const objections = (await yinzhou.get(`/api/workforce/recruitment/plans/${p.id}/objections`)).json().items;
    expect(objections).toHaveLength(1);
    // Another street does not see this street's candidates; a community worker may not recruit.
    expect(
      (
        await fuming.post(`/api/workforce/recruitment/objections/${objections[0].id}/decide`, {
          version: 1,
          finding: 'upheld',
          note: '经核实情况属实',
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await jiangcheng.post(`/api/workforce/recruitment/objections/${objections[0].id}/decide`, {
          version: 1,
          finding: 'upheld',
          note: '经核实情况属实',
        })
      ).statusCode,
    ).toBe(403);
    // On its fifth working day the notice is still running; the day after, only the objection holds it.
    await atNoonOf(p.noticeEnd);
    expect((await advance('closed')).json().error.code).toBe('NOTICE_NOT_OVER');
    await atNoonOf(addDays(p.noticeEnd, 1));
    expect((await advance('closed')).json().error.code).toBe('OBJECTION_PENDING');
    const upheld = await yinzhou.post(`/api/workforce/recruitment/objections/${objections[0].id}/decide`, {
      version: 1,
      finding: 'upheld',
      note: '经核实情况属实',
    });
    expect(upheld.json()).toMatchObject({ status: 'struck' });

    expect((await advance('closed')).statusCode).toBe(200);
    expect(p.stage).toBe('closed');
    vi.useRealTimers(); // the reserve pool is this year's: back to today
    apps = await list();
    expect([by(apps, '林一'), by(apps, '林五')].map((a) => [a.status, a.reserveRank])).toEqual([
      ['reserve', 1],
      ['reserve', 2],
    ]);
    const x = await yinzhou.get(`/api/workforce/recruitment/plans/${p.id}/applications.xlsx?status=reserve`);
    expect(x.headers['content-type']).toContain('spreadsheetml');

    // The reserve pool fills a vacancy in a 东柳街道 community, in rank order.
    const community = '330212012001';
    expect((await yinzhou.post(`/api/workforce/staffing/communities/${community}/fill`)).json().error.code).toBe('NO_VACANCY');
    expect(
      (
        await yinzhou.request('PUT', `/api/workforce/staffing/communities/${community}`, {
          version: 0,
          residents: 3000,
          authorizedPosts: 1,
        })
      ).statusCode,
    ).toBe(200);
    const filled = await yinzhou.post(`/api/workforce/staffing/communities/${community}/fill`);
    expect(filled.statusCode).toBe(201);
    expect(filled.json()).toMatchObject({ name: '林一', reserveRank: 1 });
    const archive = (await yinzhou.get(`/api/workforce/workers/${filled.json().workerId}`)).json();
    expect(archive).toMatchObject({ name: '林一', communityCode: community, post: 'staff', education: 'bachelor' });
    expect(archive.posts[0].reason).toBe('公开招聘聘用');
    expect(by(await list(), '林一')).toMatchObject({ status: 'reserve_used' });
    expect((await yinzhou.post(`/api/workforce/staffing/communities/${community}/fill`)).json().error.code).toBe('NO_VACANCY');
  });

  it('the demo: March closed with appointments and a reserve pool, November at the public notice', async () => {
    const plans = (
      (await fuming.get('/api/workforce/recruitment/plans')).json().items as { id: string; stage: string; title: string }[]
    ).filter((x) => x.title.startsWith('鄞州区2026年第'));
    expect(plans.map((x) => x.stage).sort()).toEqual(['closed', 'notice']);
    const nov = plans.find((x) => x.stage === 'notice')!;
    const detail = (await fuming.get(`/api/workforce/recruitment/plans/${nov.id}`)).json();
    expect(detail.canRecruit).toBe(false);
    expect(detail.posts.map((x: { streetName: string }) => x.streetName).sort()).toEqual(['下应街道', '福明街道']);
    // The street sees the applicants of its own street only.
    const streetApps = (await fuming.get(`/api/workforce/recruitment/plans/${nov.id}/applications`)).json().items as {
      streetCode: string;
    }[];
    expect(streetApps.length).toBeGreaterThan(0);
    expect(new Set(streetApps.map((a) => a.streetCode))).toEqual(new Set(['330212014']));
    const closeEarly = await (
      await t.login('yinzhou')
    ).post(`/api/workforce/recruitment/plans/${nov.id}/advance`, { version: detail.version, to: 'closed' });
    // The demo's notice started at most two days ago: it has not run 5 working days (the objection waits behind that).
    expect(closeEarly.json().error.code).toBe('NOTICE_NOT_OVER');
  });
});
