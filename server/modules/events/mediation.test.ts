import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ENGINES, type Client, type TestApp } from '../../test/harness.ts';
import { cjkFont } from './mediation-pdf.ts';

/** Mediation (E5): a community mediator opens a case, holds sessions, closes it agreed, prints the agreement. */
describe.each(ENGINES)('mediation on %s', (engine) => {
  let t: TestApp;
  let community: Client, dept: Client, other: Client;
  beforeAll(async () => {
    t = await createTestApp(engine);
    [community, dept, other] = await Promise.all(['jiangcheng', 'chengguan', 'xinfengyuan'].map((u) => t.login(u)));
  });
  afterAll(async () => t?.close());

  it('opens, records sessions, closes agreed with a version check, and prints a Chinese agreement', async () => {
    const room = await t.ctx.db
      .selectFrom('org')
      .select('id')
      .where('kind', '=', 'social_org')
      .where('name', 'like', '%江城%调解%')
      .executeTakeFirst();
    const body = {
      placeCode: '330212014027001',
      title: '楼上漏水致楼下天花板受损',
      parties: [
        { side: 'applicant', name: '张某', phone: '13800001111' },
        { side: 'respondent', name: '李某' },
      ],
      mediatorName: '和事佬 陈阿姨',
      ...(room ? { mediatorOrgId: room.id } : {}),
    };
    const c = await community.post('/api/mediation', body);
    expect(c.statusCode, c.body).toBe(201);
    const m = c.json();
    expect(m).toMatchObject({
      state: 'open',
      parties: [
        { name: '张某', phone: '138****1111' },
        { name: '李某', phone: null },
      ],
    });
    // Departments and other districts cannot reach it.
    expect((await dept.post('/api/mediation', body)).statusCode).toBe(403);
    expect((await other.get(`/api/mediation/${m.id}`)).statusCode).toBe(404);
    expect((await community.post('/api/mediation', { ...body, parties: [body.parties[0]] })).statusCode).toBe(400);
    await community.post(`/api/mediation/${m.id}/sessions`, { notes: '首次调解：双方到场，确认漏水来自楼上卫生间' });
    const two = (await community.post(`/api/mediation/${m.id}/sessions`, { notes: '第二次调解：就维修费用达成一致' })).json();
    expect(two.sessions).toHaveLength(2);
    expect((await community.get(`/api/mediation/${m.id}/agreement.pdf`)).statusCode).toBe(409);
    const stale = await community.post(`/api/mediation/${m.id}/close`, {
      version: m.version + 1,
      outcome: 'agreed',
      summary: '摘要',
      agreement: '协议',
    });
    expect(stale.statusCode).toBe(409);
    const closed = (
      await community.post(`/api/mediation/${m.id}/close`, {
        version: two.version,
        outcome: 'agreed',
        summary: '双方同意由李某承担维修费用',
        agreement: '一、李某于十日内修复卫生间防水并赔偿张某天花板维修费人民币一千二百元。\n二、双方就此纠纷再无其他争议。',
      })
    ).json();
    expect(closed.state).toBe('agreed');
    expect((await community.post(`/api/mediation/${m.id}/sessions`, { notes: '已结案后不能再记' })).statusCode).toBe(409);
    if (cjkFont()) {
      const pdf = await community.get(`/api/mediation/${m.id}/agreement.pdf`);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
      expect(pdf.rawPayload.length).toBeGreaterThan(5000);
      expect(pdf.rawPayload.toString('latin1')).toContain('FontFile'); // the CJK font is embedded (subset)
    }
    const list = (await community.get('/api/mediation')).json().items as { id: string }[];
    expect(list.map((x) => x.id)).toContain(m.id);
  });

  it('opens a case from a dispute event in one step: linked both ways, on the timeline, and only for events of my places', async () => {
    const resident = await t.login('jc-resident');
    const filed = await resident.post('/api/events', {
      categoryCode: 'dispute.neighbour',
      title: '楼上装修噪音引发争吵',
      placeCode: '330212014027001',
    });
    expect(filed.statusCode, filed.body).toBe(201);
    const ev = filed.json().event as { id: string; title: string; placeCode: string };
    const body = {
      placeCode: ev.placeCode,
      title: ev.title,
      kind: 'neighbour',
      eventId: ev.id,
      parties: [
        { side: 'applicant', name: '王某' },
        { side: 'respondent', name: '赵某' },
      ],
      mediatorName: '和事佬 陈阿姨',
    };
    // Another community's worker cannot open a case on this event.
    expect((await other.post('/api/mediation', { ...body, placeCode: '320402002005' })).json().error.code).toBe('EVENT_NOT_FOUND');
    const c = await community.post('/api/mediation', body);
    expect(c.statusCode, c.body).toBe(201);
    expect(c.json().eventId).toBe(ev.id);
    const linked = (await community.get(`/api/mediation?eventId=${ev.id}`)).json().items as { id: string; number: string }[];
    expect(linked.map((x) => x.id)).toEqual([c.json().id]);
    const timeline = (await community.get(`/api/events/${ev.id}`)).json().timeline as {
      action: string;
      note: string;
      details: { caseId?: string };
    }[];
    const step = timeline.find((s) => s.action === 'mediate');
    expect(step?.details.caseId).toBe(c.json().id);
    expect(step?.note).toContain(linked[0].number);
    expect((await community.get('/api/mediation?eventId=00000000-0000-4000-8000-000000000000')).json().items).toEqual([]);
  });
});
