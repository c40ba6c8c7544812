import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { createTestApp, ENGINES, type Client, type TestApp } from '../../test/harness.ts';

async function workbook(rows: (string | number)[][]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('工单');
  ws.addRow(['工单编号', '诉求类别', '诉求标题', '诉求内容', '地点编码', '事发地址', '来电人', '联系电话']);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
}

/** 12345 work orders from a spreadsheet: bad rows named, all-or-nothing or good rows only, no duplicates. */
describe.each(ENGINES)('12345 import on %s', (engine) => {
  let t: TestApp;
  let community: Client;
  let grid: Client;
  beforeAll(async () => {
    t = await createTestApp(engine);
    community = await t.login('jiangcheng');
    grid = await t.login('grid-jc-001');
  });
  afterAll(async () => t?.close());

  it('reports every bad row; all-or-nothing commits nothing, good-rows commits exactly the good ones, once', async () => {
    const file = await workbook([
      ['12345-A1', '噪声扰民', '夜间施工', '工地夜间施工噪声扰民', '330212014027001', '江城路1号', '王先生', '13800000001'],
      ['12345-A2', '不存在的类别', '', '内容', '330212014027001', '', '', ''],
      ['12345-A3', '垃圾堆放', '', '小区门口垃圾', '330212014028', '', '', ''],
      ['12345-A4', '市容环境', '', '大类不行', '330212014027001', '', '', ''],
      ['12345-A1', '垃圾堆放', '', '编号重复', '330212014027001', '', '', ''],
      ['12345-A5', 'livelihood.water', '', '楼道漏水', '330212014027002', '', '李女士', 'abc'],
      ['12345-A6', '路灯不亮', '', '路灯不亮', '330212014027', '江城社区', '', '13900000002'],
    ]);
    const strict = (await community.post('/api/events/import', { file, mode: 'all_or_nothing' })).json();
    expect(strict).toMatchObject({ rows: 7, imported: 0, committed: false });
    expect(strict.problems.map((p: { row: number }) => p.row)).toEqual([3, 4, 5, 6, 7]);
    expect(strict.problems[1].problems[0]).toContain('不在您的管辖范围内');
    expect(await t.ctx.db.selectFrom('event').select('id').where('external_ref', '=', '12345-A1').execute()).toHaveLength(0);

    const lenient = (await community.post('/api/events/import', { file, mode: 'good_rows' })).json();
    expect(lenient).toMatchObject({ rows: 7, imported: 2, committed: true });
    const rows = await t.ctx.db
      .selectFrom('event')
      .select(['source', 'external_ref', 'state', 'level'])
      .where('source', '=', 'import')
      .where('external_ref', 'like', '12345-A%')
      .execute();
    expect(rows.map((r) => r.external_ref).sort()).toEqual(['12345-A1', '12345-A6']);
    expect(rows.every((r) => r.state === 'reported')).toBe(true);

    const again = (await community.post('/api/events/import', { file, mode: 'good_rows' })).json();
    expect(again.imported).toBe(0);
    expect(again.problems.find((p: { row: number }) => p.row === 2).problems[0]).toContain('已导入');
  });

  it('refuses a file that is not a workbook, missing columns, and callers without the right', async () => {
    expect(
      (await community.post('/api/events/import', { file: Buffer.from('hello').toString('base64'), mode: 'good_rows' })).statusCode,
    ).toBe(400);
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('x').addRow(['编号', '内容']);
    const noCols = await community.post('/api/events/import', {
      file: Buffer.from(await wb.xlsx.writeBuffer()).toString('base64'),
      mode: 'good_rows',
    });
    expect(noCols.json().error.details.missing).toEqual(['工单编号', '诉求类别', '诉求内容', '地点编码']);
    expect((await grid.post('/api/events/import', { file: await workbook([]), mode: 'good_rows' })).statusCode).toBe(403);
    const tpl = await community.get('/api/events/import/template.xlsx');
    expect(tpl.headers['content-type']).toContain('spreadsheetml');
  });
});
