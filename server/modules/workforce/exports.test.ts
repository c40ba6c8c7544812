import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ENGINES, type Client, type TestApp } from '../../test/harness.ts';

/**
 * Excel out (W1: "an .xlsx export of any list") for the grade run, the rota, the grid scores,
 * mentor pairs and the objections to a notice: each answers the same rows as its JSON list, under
 * a title and a header row, and refuses a caller outside its reach.
 */

async function sheet(res: LightMyRequestResponse) {
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  expect(res.headers['content-type']).toContain('spreadsheetml');
  expect(res.headers['content-disposition']).toMatch(/^attachment; filename\*=UTF-8''.+\.xlsx/);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  const row = (n: number) => (ws.getRow(n).values as unknown[]).slice(1);
  return {
    title: String(row(1)[0]),
    header: row(2),
    first: row(3),
    dataRows: ws.rowCount - 2,
    column: (n: number) => ws.getColumn(n).values.slice(3),
  };
}

describe.each(ENGINES)('workforce .xlsx exports on %s', (engine) => {
  let t: TestApp;
  let yinzhou: Client, fuming: Client, jiangcheng: Client, wuhua: Client;
  beforeAll(async () => {
    t = await createTestApp(engine);
    [yinzhou, fuming, jiangcheng, wuhua] = await Promise.all(['yinzhou', 'fuming', 'jiangcheng', 'wuhua'].map((u) => t.login(u)));
  });
  afterAll(async () => t?.close());

  it('the grade run: every proposal with its reasons; the district’s pay office only', async () => {
    const runId = (await yinzhou.get('/api/workforce/pay/runs?districtCode=330212')).json().gradeRuns[0].id;
    const run = (await yinzhou.get(`/api/workforce/pay/grade-runs/${runId}`)).json();
    const x = await sheet(await yinzhou.get(`/api/workforce/pay/grade-runs/${runId}/export.xlsx`));
    expect(x.title).toContain(`${run.year} 年度定级`);
    expect(x.header).toEqual(['社区', '姓名', '原等级', '拟定等级', '变动', '依据']);
    const l = run.lines[0];
    expect(x.first).toEqual([
      l.communityName,
      l.name,
      l.current ?? '未定级',
      l.proposed,
      l.current === null ? '首次定级' : l.proposed > l.current ? '晋升' : l.proposed < l.current ? '下调' : '维持',
      l.reasons.join('；'),
    ]);
    expect(x.first[5]).toContain('工作年限');
    expect(x.dataRows).toBe(run.lines.length);
    expect((await fuming.get(`/api/workforce/pay/grade-runs/${runId}/export.xlsx`)).statusCode).toBe(403);
    expect((await wuhua.get(`/api/workforce/pay/grade-runs/${runId}/export.xlsx`)).statusCode).toBe(404);
  });

  it('the rota of a month, day by day; not for another district', async () => {
    const JC = '330212014027';
    expect((await fuming.post('/api/workforce/rota/generate', { communityCode: JC, month: '2026-10' })).statusCode).toBe(200);
    const rota = (await jiangcheng.get(`/api/workforce/rota?communityCode=${JC}&month=2026-10`)).json();
    const x = await sheet(await jiangcheng.get(`/api/workforce/rota.xlsx?communityCode=${JC}&month=2026-10`));
    expect(x.title).toBe('江城社区 2026-10 值班表');
    expect(x.header).toEqual(['日期', '星期', '班次', '值班人']);
    expect(x.first).toEqual(['2026-10-01', '星期四', '节假日值班', rota.duties[0].name]);
    expect(x.dataRows).toBe(31);
    const refused = await wuhua.get(`/api/workforce/rota.xlsx?communityCode=${JC}&month=2026-10`);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('OUT_OF_SCOPE');
    expect((await wuhua.get(`/api/workforce/rota?communityCode=${JC}&month=2026-10`)).json().error.code).toBe('OUT_OF_SCOPE');
    expect((await jiangcheng.get(`/api/workforce/rota.xlsx?communityCode=${JC}&month=2026-13`)).statusCode).toBe(400);
  });

  it('the grid scores of a month with their parts; the district’s pay office only', async () => {
    const month = '2026-11';
    const scores = (await yinzhou.post('/api/workforce/pay/grid-scores', { districtCode: '330212', month })).json().items;
    expect(scores.length).toBeGreaterThan(0);
    const x = await sheet(await yinzhou.get(`/api/workforce/pay/grid-scores.xlsx?districtCode=330212&month=${month}`));
    expect(x.title).toBe(`${month} 网格员月度考评`);
    expect(x.header).toEqual([
      '社区',
      '姓名',
      '考评分',
      '发现上报得分',
      '入户走访得分',
      '按时办结得分',
      '群众满意得分',
      '上报事件',
      '走访',
      '办结',
      '按时办结',
      '评价次数',
      '说明',
    ]);
    const s = scores[0];
    const part = (code: string) => s.parts.find((p: { code: string }) => p.code === code).points;
    expect(x.first).toEqual([
      s.communityName,
      s.name,
      s.score,
      part('report'),
      part('visit'),
      part('on_time'),
      part('satisfaction'),
      s.counts.reported,
      s.counts.visits,
      s.counts.closed,
      s.counts.closedOnTime,
      s.counts.ratings,
      s.parts.map((p: { explain: string }) => p.explain).join('；'),
    ]);
    expect(x.dataRows).toBe(scores.length);
    expect((await wuhua.get(`/api/workforce/pay/grid-scores.xlsx?districtCode=330212&month=${month}`)).json().error.code).toBe(
      'OUT_OF_SCOPE',
    );
    expect((await jiangcheng.get(`/api/workforce/pay/grid-scores.xlsx?districtCode=330212&month=${month}`)).statusCode).toBe(403);
  });

  it('mentor pairs under a place; not for a community worker or another district', async () => {
    const pairs = (await yinzhou.get('/api/workforce/training/mentors?code=330212')).json().items;
    expect(pairs.length).toBeGreaterThan(0);
    const x = await sheet(await yinzhou.get('/api/workforce/training/mentors.xlsx?code=330212'));
    expect(x.title).toBe('导师帮带结对名单');
    expect(x.header).toEqual(['导师', '学员', '学员所在社区', '结对日期']);
    expect(x.first).toEqual([pairs[0].mentorName, pairs[0].menteeName, pairs[0].communityName, pairs[0].startOn]);
    expect(x.dataRows).toBe(pairs.length);
    expect((await jiangcheng.get('/api/workforce/training/mentors.xlsx?code=330212014027')).statusCode).toBe(403);
    expect((await wuhua.get('/api/workforce/training/mentors.xlsx?code=330212014')).json().error.code).toBe('OUT_OF_SCOPE');
  });

  it('the objections to a notice, as far as the caller sees its candidates; not for another district', async () => {
    const plans = (await yinzhou.get('/api/workforce/recruitment/plans')).json().items as { id: string; stage: string; title: string }[];
    const nov = plans.find((p) => p.stage === 'notice' && p.title.startsWith('鄞州区2026年第二批'))!;
    const { noticeStart } = (await yinzhou.get(`/api/workforce/recruitment/plans/${nov.id}`)).json();
    // One more objection to a candidate of each street, so both streets have rows.
    const onNotice = (await yinzhou.get(`/api/workforce/recruitment/plans/${nov.id}/applications?status=notice`)).json().items as {
      id: string;
      streetName: string;
    }[];
    for (const street of ['福明街道', '下应街道']) {
      const a = onNotice.find((x) => x.streetName === street)!;
      const r = await yinzhou.post(`/api/workforce/recruitment/applications/${a.id}/objections`, {
        receivedOn: noticeStart,
        content: `${street}群众来信反映该考生情况，请核实。`,
      });
      expect(r.statusCode, r.body).toBe(201);
    }
    const objections = (await yinzhou.get(`/api/workforce/recruitment/plans/${nov.id}/objections`)).json().items;
    expect(new Set(objections.map((o: { streetName: string }) => o.streetName))).toEqual(new Set(['福明街道', '下应街道']));
    const x = await sheet(await yinzhou.get(`/api/workforce/recruitment/plans/${nov.id}/objections.xlsx`));
    expect(x.title).toBe(`${nov.title} 公示异议`);
    expect(x.header).toEqual(['街道', '岗位', '姓名', '收到日期', '异议内容', '核查结论', '核查意见']);
    const o = objections[0];
    expect(x.first.slice(0, 6)).toEqual([o.streetName, o.postName, o.name, o.receivedOn, o.content, '待处理']);
    expect(x.dataRows).toBe(objections.length);
    // A street exports the objections to its own street's candidates only.
    const own = await sheet(await fuming.get(`/api/workforce/recruitment/plans/${nov.id}/objections.xlsx`));
    const fumingRows = objections.filter((b: { streetName: string }) => b.streetName === '福明街道').length;
    expect(own.dataRows).toBe(fumingRows);
    expect(own.column(1)).toEqual(Array(fumingRows).fill('福明街道'));
    expect((await wuhua.get(`/api/workforce/recruitment/plans/${nov.id}/objections.xlsx`)).statusCode).toBe(404);
  });
});
