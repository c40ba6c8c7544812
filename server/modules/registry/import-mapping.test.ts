import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import ExcelJS from 'exceljs';
import { createTestApp, ENGINES, type Client, type TestApp } from '../../test/harness.ts';
import { systemActor } from '../../core/context.ts';
import { checkMapping, suggestMapping, UNIT_COLUMNS, VEHICLE_COLUMNS } from './import-columns.ts';
import * as imports from './import-service.ts';
import { maskSample } from './import-preview.ts';
import { importFile } from './import-cli.ts';
import { UPLOAD_DIR } from './import-routes.ts';
import { makeCreditCode } from './validators.ts';
import { createVehicle } from './units-service.ts';
import { multipart, personRow, tmpFile, writeCsv, writeXlsx } from './test-support/sheets.ts';

/**
 * The import wizard's column-mapping step (headers the template does not know, mapped by the
 * user) and importing units (实有单位) and vehicles (实有车辆) through the same wizard and CLI.
 */
const JIANGCHENG = '330212014027';

describe('column mapping (pure)', () => {
  it('suggests fields by name, alias, then by a name a header contains', () => {
    expect(suggestMapping(['居民姓名', '身份证号码', '手机', '工作单位', '联系电话（本人）'])).toEqual([
      'name',
      'idNumber',
      null,
      null,
      'phone',
    ]);
    expect(suggestMapping(['车主身份证号码', '号牌号码', '车位'], VEHICLE_COLUMNS)).toEqual(['ownerIdNumber', 'plate', 'parking']);
    // A field already matched exactly is not offered again.
    expect(suggestMapping(['姓名', '姓名（曾用名）'])).toEqual(['name', null]);
  });

  it('checks a chosen mapping: unknown keys, a field twice, required fields missing', () => {
    expect(checkMapping(['a', 'b', 'c'], ['name', null, 'idNumber'])).toMatchObject({ missing: [], duplicate: [], invalid: [] });
    expect(checkMapping(['a', 'b'], ['name', 'name'])).toMatchObject({ missing: ['证件号码'], duplicate: ['姓名'] });
    expect(checkMapping(['a'], ['salary'])).toMatchObject({ invalid: ['salary'], missing: ['姓名', '证件号码'] });
    expect(checkMapping(['a'], ['name', 'idNumber'])).toMatchObject({ invalid: ['idNumber'] });
    expect(checkMapping(['名称'], ['name'], UNIT_COLUMNS).missing).toEqual([]);
  });

  it('masks every long number in a sample cell', () => {
    expect(maskSample('330212195804120275')).toBe('330*************75');
    expect(maskSample('13805741234')).toBe('138******34');
    expect(maskSample('张三丰')).toBe('张三丰');
    expect(maskSample('2015-06-01')).toBe('201*****01');
    expect(maskSample('12号楼')).toBe('12号楼');
  });
});

describe.each(ENGINES)('import mapping, units and vehicles (%s)', (engine) => {
  let t: TestApp;
  let jc: Client;
  let houses: string[];

  const upload = async (file: string, query: string) => {
    const m = multipart(file);
    return jc.request('POST', `/api/registry/imports?communityCode=${JIANGCHENG}&${query}`, m.payload, m.headers);
  };
  const finished = async (jobId: string) => {
    await imports.waitForJob(jobId);
    return (await jc.get(`/api/registry/imports/${jobId}`)).json();
  };
  const commit = async (jobId: string, mode: 'all' | 'valid') => {
    const res = await jc.post(`/api/registry/imports/${jobId}/commit`, { mode });
    expect(res.statusCode, res.body).toBe(202);
    return finished(jobId);
  };

  beforeAll(async () => {
    t = await createTestApp(engine);
    jc = await t.login('jiangcheng');
    houses = (
      await t.ctx.db.selectFrom('house').select('code').where('code', 'like', `${JIANGCHENG}%`).orderBy('code').limit(3).execute()
    ).map((h) => h.code);
  });
  afterAll(async () => t?.close());

  it('previews a file whose headers are not the template’s, then imports it with the columns the user mapped', async () => {
    const rows = [personRow(401, '韩梅梅'), personRow(402, '李雷')].map((r) => [r[0], '某某公司', r[1], r[2]]);
    const f = await writeXlsx(tmpFile('own-headers.xlsx'), rows, ['居民姓名', '工作单位', '公民身份证', '本人手机']);
    // By name alone the file is refused, naming what is missing and what is not known.
    const refused = await upload(f, 'mode=valid');
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toMatchObject({ code: 'IMPORT_BAD_HEADERS', details: { missing: ['姓名', '证件号码'] } });

    const m = multipart(f);
    const preview = await jc.request('POST', '/api/registry/imports/preview?kind=persons', m.payload, m.headers);
    expect(preview.statusCode, preview.body).toBe(200);
    const p = preview.json();
    expect(p.headers).toEqual(['居民姓名', '工作单位', '公民身份证', '本人手机']);
    expect(p.suggested).toEqual(['name', null, null, null]);
    expect(p.matchedByName).toBe(false);
    expect(p.fields.find((x: { key: string }) => x.key === 'idNumber')).toMatchObject({ header: '证件号码', required: true });
    expect(p.samples).toHaveLength(2);
    expect(p.samples[0][0]).toBe('韩梅梅');
    // No ID number or phone goes back in clear, and the upload is not kept.
    expect(JSON.stringify(p)).not.toContain(rows[0][2]);
    expect(JSON.stringify(p)).not.toContain(rows[0][3]);
    expect(fs.existsSync(UPLOAD_DIR) ? fs.readdirSync(UPLOAD_DIR) : []).toEqual([]);

    // A mapping missing a required field, or naming a field twice, is refused before any job.
    const half = await upload(f, 'columns=name,,,phone');
    expect(half.json().error).toMatchObject({ code: 'IMPORT_BAD_HEADERS', details: { missing: ['证件号码'] } });
    const twice = await upload(f, 'columns=name,name,idNumber,phone');
    expect(twice.json().error.details.duplicate).toEqual(['姓名']);
    expect((await upload(f, 'columns=name,salary,idNumber,phone')).json().error.details.invalid).toEqual(['salary']);

    const res = await upload(f, 'columns=name,,idNumber,phone');
    expect(res.statusCode, res.body).toBe(202);
    const validated = await finished(res.json().id);
    expect(validated).toMatchObject({ kind: 'persons', status: 'validated', total: 2, rejected: 0 });
    const done = await commit(validated.id, 'all');
    expect(done).toMatchObject({ status: 'done', imported: 2 });
    const found = (await jc.get(`/api/registry/persons?q=${encodeURIComponent('韩梅梅')}`)).json();
    expect(found.items[0]).toMatchObject({ name: '韩梅梅', phoneMasked: expect.stringMatching(/^139\*+/) });
  });

  it('imports units: templates, every bad row with its reason, re-import updates by credit code or by name', async () => {
    const tpl = await jc.get('/api/registry/templates/units.xlsx');
    expect(tpl.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(tpl.rawPayload as unknown as ArrayBuffer);
    expect((wb.worksheets[0].getRow(1).values as string[]).slice(1)).toEqual(UNIT_COLUMNS.map((c) => c.header));
    expect((await jc.get('/api/registry/templates/vehicles.csv')).body.startsWith('\uFEFF车牌号码,车辆类型')).toBe(true);

    const code1 = makeCreditCode('92330212MA2B00011');
    const code2 = makeCreditCode('91330212MA2B00022');
    const badCode = code1.slice(0, 17) + (code1[17] === '0' ? '1' : '0');
    const header = ['单位名称', '统一社会信用代码', '单位类型', '房屋编码', '联系电话', '从业人数'];
    const rows = [
      ['江城导入测试便利店', code1, '个体工商户', houses[0], '13905740001', '2'],
      ['江城导入测试物流公司', code2, '企业', '', '0574-87654321', '35'],
      ['江城导入测试书画社', '', '社会组织', '', '', ''],
      ['校验位错的单位', badCode, '', '', '', ''],
      ['重复的单位', code1, '', '', '', ''],
      ['类型不对的单位', '', '外企', '', '', '-3'],
      ['房号不对', '', '', '330212014099001001010101', '', ''],
    ];
    const f = writeCsv(tmpFile('units.csv'), rows, 'gbk', header);
    const res = await upload(f, 'kind=units');
    expect(res.statusCode, res.body).toBe(202);
    const job = await finished(res.json().id);
    expect(job).toMatchObject({ kind: 'units', status: 'validated', total: 7, rejected: 4 });
    expect(job.problems).toEqual([
      { row: 5, column: '统一社会信用代码', reason: '统一社会信用代码校验位错误' },
      { row: 6, column: '统一社会信用代码', reason: '统一社会信用代码在文件中重复（与第2行相同）' },
      { row: 7, column: '单位类型', reason: '单位类型应为：企业、个体工商户、机关、事业单位、社会组织、其他' },
      { row: 7, column: '从业人数', reason: '从业人数应为不小于0的整数' },
      { row: 8, column: '房屋编码', reason: '房屋编码不存在或不属于本社区' },
    ]);
    expect(await commit(job.id, 'valid')).toMatchObject({ status: 'done', imported: 3, updated: 0 });
    const shop = (await jc.get(`/api/registry/units?q=${encodeURIComponent('江城导入测试便利店')}`)).json().items[0];
    expect(shop).toMatchObject({
      creditCode: code1,
      unitType: 'individual',
      houseCode: houses[0],
      employees: 2,
      contactPhoneMasked: '139****0001',
    });

    // Again: the shop by its credit code, the studio by its name; an empty cell keeps what is there.
    const again = await writeXlsx(
      tmpFile('units-again.xlsx'),
      [
        ['江城导入测试便利店（新店名）', code1, '', '', '', '4'],
        ['江城导入测试书画社', '', '', '', '13905740003', ''],
      ],
      header,
    );
    const r2 = await upload(again, 'kind=units');
    const done = await commit((await finished(r2.json().id)).id, 'all');
    expect(done).toMatchObject({ status: 'done', imported: 0, updated: 2 });
    const renamed = (await jc.get(`/api/registry/units/${shop.id}`)).json();
    expect(renamed).toMatchObject({ name: '江城导入测试便利店（新店名）', unitType: 'individual', houseCode: houses[0], employees: 4 });
    const history = (await jc.get(`/api/registry/units/${shop.id}/history`)).json();
    expect(history.items.map((h: { action: string }) => h.action)).toEqual(['import_update', 'import_create']);
    expect(history.items[0].before).toMatchObject({ name: '江城导入测试便利店', employees: 2 });
    // Export the list under the template's headers; the file, imported again, changes nothing.
    const exp = await jc.get(`/api/registry/units/export.xlsx?q=${encodeURIComponent('江城导入测试')}`);
    expect(exp.statusCode).toBe(200);
    const xb = new ExcelJS.Workbook();
    await xb.xlsx.load(exp.rawPayload as unknown as ArrayBuffer);
    const sheet = xb.worksheets[0];
    expect((sheet.getRow(1).values as string[]).slice(1)).toEqual(UNIT_COLUMNS.map((c) => c.header));
    expect(sheet.rowCount).toBe(4);
    expect(JSON.stringify(sheet.getSheetValues())).toContain('139****0001');
    const exported = tmpFile('units-export.xlsx');
    fs.writeFileSync(exported, exp.rawPayload);
    const r3 = await upload(exported, 'kind=units');
    expect(await commit((await finished(r3.json().id)).id, 'all')).toMatchObject({ status: 'done', imported: 0, updated: 3, rejected: 0 });
    expect((await jc.get(`/api/registry/units/${shop.id}`)).json()).toMatchObject({ contactPhoneMasked: '139****0001', employees: 4 });

    const studios = await t.ctx.db.selectFrom('org_unit').select('contact_phone_enc').where('name', '=', '江城导入测试书画社').execute();
    expect(studios).toHaveLength(1);
    expect(studios[0].contact_phone_enc).not.toBeNull();
  });

  it('imports vehicles with their owners found by ID number or credit code, through the wizard and the CLI', async () => {
    const owner = personRow(451, '车主王');
    const ownerFile = await writeXlsx(tmpFile('owner.xlsx'), [owner]);
    const o = await importFile(t.ctx, ownerFile, { community: JIANGCHENG, mode: 'all', json: true });
    expect(o).toMatchObject({ imported: 1 });
    const unitCode = makeCreditCode('91330212MA2B00022');
    const stranger = personRow(452, '未登记的人');

    // A plate registered in another community of the district belongs to that community.
    const other = await t.ctx.db
      .selectFrom('division')
      .select('code')
      .where('level', '=', 'community')
      .where('code', 'like', '330212%')
      .where('code', '<>', JIANGCHENG)
      .orderBy('code')
      .limit(1)
      .executeTakeFirstOrThrow();
    await createVehicle(t.ctx, systemActor(), { placeCode: other.code, plate: '浙B7N001' });

    const header = ['车牌号码', '车辆类型', '颜色', '车主证件号码', '车主单位信用代码', '停车位'];
    const rows = [
      ['浙B·8K123', '轿车', '白色', owner[1], '', '地下B1-001'],
      ['浙BD12345', 'suv', '', '', unitCode, 'B1-002'],
      ['浙B8K123', '', '', '', '', ''],
      ['浙B12', '', '', '', '', ''],
      ['浙B5Q777', '坦克', '', stranger[1], '', ''],
      ['浙B7N001', '', '', '', '', ''],
      ['浙B6M888', '', '', owner[1], unitCode, ''],
    ];
    const f = writeCsv(tmpFile('vehicles.csv'), rows, 'utf8', header);
    const res = await upload(f, 'kind=vehicles');
    const job = await finished(res.json().id);
    expect(job).toMatchObject({ kind: 'vehicles', status: 'validated', total: 7, rejected: 5 });
    expect(job.problems).toEqual([
      { row: 4, column: '车牌号码', reason: '车牌号码在文件中重复（与第2行相同）' },
      { row: 5, column: '车牌号码', reason: '车牌号格式不正确（如 浙B12345，新能源 浙BD12345）' },
      { row: 6, column: '车辆类型', reason: '车辆类型应为：轿车、SUV、面包车、货车、摩托车、电动自行车、其他' },
      { row: 7, column: '车牌号码', reason: '该车辆已在其他社区登记，请由所在社区修改' },
      { row: 8, column: '车主单位信用代码', reason: '车主只能是个人或单位之一，请只填写一项' },
    ]);
    expect(await commit(job.id, 'valid')).toMatchObject({ status: 'done', imported: 2 });
    const car = (await jc.get('/api/registry/vehicles?q=8K123')).json().items[0];
    expect(car).toMatchObject({ plate: '浙B8K123', plateKind: 'ordinary', vehicleType: 'car', ownerName: '车主王', parking: '地下B1-001' });
    const ev = (await jc.get('/api/registry/vehicles?q=BD12345')).json().items[0];
    expect(ev).toMatchObject({ plateKind: 'new_energy', vehicleType: 'suv', ownerName: '江城导入测试物流公司' });

    // The CLI, all or nothing: an unknown owner refuses the whole file; then a good file updates.
    const bad = writeCsv(tmpFile('vehicles-bad.csv'), [['浙B8K123', '', '', stranger[1], '', 'B2-009']], 'utf8', header);
    const r1 = await importFile(t.ctx, bad, {
      kind: 'vehicles',
      community: JIANGCHENG,
      mode: 'all',
      json: true,
      reportDir: path.dirname(bad),
    });
    expect(r1).toMatchObject({ status: 'rejected', imported: 0, updated: 0, rejected: 1 });
    const good = writeCsv(tmpFile('vehicles-good.csv'), [['浙B8K123', '', '黑色', '', '', 'B2-009']], 'utf8', header);
    const r2 = await importFile(t.ctx, good, { kind: 'vehicles', community: JIANGCHENG, mode: 'all', json: true });
    expect(r2).toMatchObject({ status: 'done', imported: 0, updated: 1, rejected: 0 });
    const after = (await jc.get('/api/registry/vehicles?q=8K123')).json().items[0];
    expect(after).toMatchObject({ color: '黑色', parking: 'B2-009', ownerName: '车主王' });
    const vx = await jc.get('/api/registry/vehicles/export.xlsx?q=8K123');
    const vb = new ExcelJS.Workbook();
    await vb.xlsx.load(vx.rawPayload as unknown as ArrayBuffer);
    expect(vb.worksheets[0].getRow(2).values).toEqual([undefined, '浙B8K123', '普通', '轿车', undefined, '黑色', '车主王', 'B2-009']);

    const n = await t.ctx.db
      .selectFrom('record_history')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('record_id', '=', car.id)
      .executeTakeFirstOrThrow();
    expect(n.n).toBe(2);
  });
});
