import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, ENGINES, type Client, type TestApp } from '../../test/harness.ts';
import { makeIdNumber } from '../registry/id-number.ts';
import { todayInShanghai } from '../registry/person-rules.ts';

/**
 * Appointment at the close of the notice (W3): the selected candidate, against whom an objection
 * was found groundless, is appointed — a worker archive and a post in the street's neediest
 * community — and everyone else who passed forms this year's reserve pool in rank order.
 */

type App = {
  id: string;
  name: string;
  status: string;
  rank: number | null;
  reserveRank: number | null;
  statusReason: string;
  workerId: string | null;
  version: number;
};

describe.each(ENGINES)('appointment when the notice closes on %s', (engine) => {
  let t: TestApp;
  let yinzhou: Client;
  beforeAll(async () => {
    t = await createTestApp(engine);
    yinzhou = await t.login('yinzhou');
  });
  afterAll(async () => t?.close());
  afterEach(() => vi.useRealTimers());

  it('appoints the selected candidate with an archive and a post; the passed remainder is the reserve pool in rank order', async () => {
    const created = await yinzhou.post('/api/workforce/recruitment/plans', {
      districtCode: '330212',
      year: Number(todayInShanghai().slice(0, 4)),
      title: '东柳街道社区专职工作者招聘（聘用测试）',
      requirements: { minAge: 18, maxAge: 35, ageOn: '2026-11-01', minEducation: 'bachelor', majors: [], fullTimeOnly: true },
      bonus: { social_worker: 5 },
      posts: [{ streetCode: '330212012', name: '东柳街道社区专职工作者', quota: 1 }],
    });
    expect(created.statusCode, created.body).toBe(201);
    let p = created.json();
    const advance = async (to: string, extra = {}) => {
      const r = await yinzhou.post(`/api/workforce/recruitment/plans/${p.id}/advance`, { version: p.version, to, ...extra });
      expect(r.statusCode, `${to}: ${r.body}`).toBe(200);
      p = r.json();
    };
    await advance('open');
    // name, birth date, ID sequence (odd: male), written, interview
    const candidates: [string, string, number, number, number][] = [
      ['方一', '1997-02-02', 11, 75, 85], // + 5 for the social worker certificate: total 82.5
      ['方二', '1998-03-03', 22, 80, 80], // 80
      ['方三', '1999-04-04', 33, 78, 78], // 78
      ['方四', '2000-05-05', 44, 70, 76], // 73
      ['方五', '2001-06-06', 55, 65, 50], // interview under 60: fails, not in the pool
    ];
    for (const [name, born, seq] of candidates) {
      const r = await yinzhou.post(`/api/workforce/recruitment/plans/${p.id}/applications`, {
        postId: p.posts[0].id,
        name,
        idNumber: makeIdNumber('330212', born, seq),
        phone: '13757400188',
        education: 'bachelor',
        major: '社会工作',
        fullTime: true,
        political: name === '方一' ? 'party_member' : 'masses',
        certificates: name === '方一' ? [{ kind: 'social_worker', issuedOn: '2024-06-22' }] : [],
      });
      expect(r.statusCode, r.body).toBe(201);
    }
    const list = async () => (await yinzhou.get(`/api/workforce/recruitment/plans/${p.id}/applications`)).json().items as App[];
    const idOf = new Map((await list()).map((a) => [a.name, a.id]));
    const scores = async (stage: 'written' | 'interview', k: 3 | 4) => {
      const r = await yinzhou.request('PUT', `/api/workforce/recruitment/plans/${p.id}/scores`, {
        stage,
        scores: candidates.map((c) => ({ applicationId: idOf.get(c[0]), score: c[k] })),
      });
      expect(r.statusCode, r.body).toBe(200);
    };
    await advance('screening');
    await advance('written');
    await scores('written', 3);
    await advance('interview');
    await scores('interview', 4);
    await advance('checks');
    const first = (await list()).find((a) => a.name === '方一')!;
    expect(first).toMatchObject({ status: 'selected', rank: 1 });
    const checked = await yinzhou.post(`/api/workforce/recruitment/applications/${first.id}/checks`, {
      version: first.version,
      medical: 'pass',
      background: 'pass',
    });
    expect(checked.statusCode, checked.body).toBe(200);
    await advance('notice', { noticeStart: todayInShanghai() });

    // An objection found groundless does not strike the candidate.
    const objection = await yinzhou.post(`/api/workforce/recruitment/applications/${first.id}/objections`, {
      receivedOn: p.noticeStart,
      content: '来信反映该考生报名材料中的工作经历存疑，请核实。',
    });
    expect(objection.statusCode, objection.body).toBe(201);
    const [o] = (await yinzhou.get(`/api/workforce/recruitment/plans/${p.id}/objections`)).json().items;
    const dismissed = await yinzhou.post(`/api/workforce/recruitment/objections/${o.id}/decide`, {
      version: o.version,
      finding: 'dismissed',
      note: '经向原单位核实，工作经历属实',
    });
    expect(dismissed.json()).toMatchObject({ status: 'notice' });

    // 东柳街道's community 001 is made the neediest: more open posts than any other of the street
    // (the street lists only communities with staff or figures entered; the rest have none open).
    const target = '330212012001';
    const street = (await yinzhou.get('/api/workforce/staffing/330212012')).json();
    const others = street.communities.filter((c: { code: string }) => c.code !== target);
    const mostOpen = Math.max(0, ...others.map((c: { vacancies: number }) => c.vacancies));
    const home = (await yinzhou.get(`/api/workforce/staffing/${target}`)).json().communities[0];
    expect(home).toMatchObject({ code: target, name: '园丁社区' });
    const staffed = await yinzhou.request('PUT', `/api/workforce/staffing/communities/${target}`, {
      version: home.version,
      residents: 4000,
      authorizedPosts: home.workers + mostOpen + 1,
    });
    expect(staffed.statusCode, staffed.body).toBe(200);

    // The day after the notice's fifth working day: HR closes it.
    const closeDay = new Date(Date.parse(`${p.noticeEnd}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    vi.setSystemTime(new Date(`${closeDay}T10:00:00+08:00`));
    yinzhou = await t.login('yinzhou'); // the session went idle while the clock moved
    await advance('closed');
    expect(p.stage).toBe('closed');

    const apps = await list();
    const by = (name: string) => apps.find((a) => a.name === name)!;
    expect(by('方一')).toMatchObject({ status: 'appointed', statusReason: `聘用至${home.name}` });
    const workerId = by('方一').workerId;
    expect(workerId).toEqual(expect.any(String));

    const archive = (await yinzhou.get(`/api/workforce/workers/${workerId}`)).json();
    expect(archive).toMatchObject({
      name: '方一',
      gender: 'M',
      communityCode: target,
      communityName: home.name,
      streetName: '东柳街道',
      education: 'bachelor',
      major: '社会工作',
      fullTime: true,
      political: 'party_member',
      workStart: closeDay,
      yearsOfService: 0,
      status: 'active',
      onboardedOn: null,
      post: 'staff',
      title: '社区专职工作者',
      topCertificate: 'social_worker',
    });
    expect(archive.idMasked).not.toContain('19970202');
    expect(archive.certificates).toEqual([
      expect.objectContaining({ kind: 'social_worker', name: '社会工作师职业资格证书', issuedOn: '2024-06-22' }),
    ]);
    expect(archive.posts).toEqual([
      expect.objectContaining({
        post: 'staff',
        title: '社区专职工作者',
        communityCode: target,
        communityName: home.name,
        startOn: closeDay,
        endOn: null,
        reason: '公开招聘聘用',
      }),
    ]);
    const after = (await yinzhou.get(`/api/workforce/staffing/${target}`)).json().communities[0];
    expect(after).toMatchObject({ workers: home.workers + 1, vacancies: mostOpen });

    // Everyone else who passed waits in the reserve pool in rank order; who failed does not.
    expect(['方二', '方三', '方四'].map((n) => [by(n).rank, by(n).status, by(n).reserveRank])).toEqual([
      [2, 'reserve', 1],
      [3, 'reserve', 2],
      [4, 'reserve', 3],
    ]);
    expect(by('方五')).toMatchObject({ status: 'failed', reserveRank: null });
    const pool = (await yinzhou.get(`/api/workforce/recruitment/plans/${p.id}/applications?status=reserve`)).json().items as App[];
    expect(pool.map((a) => a.name)).toEqual(['方二', '方三', '方四']);
  });
});
