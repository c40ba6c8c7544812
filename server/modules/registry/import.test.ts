import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import ExcelJS from 'exceljs';
import { createTestApp, ENGINES, type Client, type TestApp } from '../../test/harness.ts';
import { systemActor } from '../../core/context.ts';
import { makeIdNumber } from './id-number.ts';
import * as imports from './import-service.ts';
import { createPerson } from './service.ts';
import { UPLOAD_DIR } from './import-routes.ts';
import { HEADERS, multipart, personRow, tmpFile, writeCsv, writeXlsx } from './test-support/sheets.ts';

/**
 * Importing people (R2) as the 江城社区 community worker: templates, wrong headers, bad rows with
 * their reasons, both modes, re-import, GBK and UTF-8 CSV, and a failure in the middle of the merge.
 */
const JIANGCHENG = '330212014027';

describe.each(ENGINES)('registry import (%s)', (engine) => {
  let t: TestApp;
  let jc: Client;
  let houses: string[];

  const count = async () =>
    (
      await t.ctx.db
        .selectFrom('person')
        .select(sql<number>`count(*)::int`.as('n'))
        .executeTakeFirstOrThrow()
    ).n;

  async function upload(file: string, mode?: 'all' | 'valid', fileName?: string) {
    const m = multipart(file, fileName);
    const res = await jc.request(
      'POST',
      `/api/registry/imports?communityCode=${JIANGCHENG}${mode ? `&mode=${mode}` : ''}`,
      m.payload,
      m.headers,
    );
    return res;
  }
  async function finished(jobId: string) {
    await imports.waitForJob(jobId);
    return (await jc.get(`/api/registry/imports/${jobId}`)).json();
  }

  beforeAll(async () => {
    t = await createTestApp(engine);
    jc = await t.login('jiangcheng');
    houses = (
      await t.ctx.db
        .selectFrom('house')
        .select('code')
        .where('code', 'like', `${JIANGCHENG}%`)
        .where('use', '=', 'vacant')
        .orderBy('code')
        .limit(5)
        .execute()
    ).map((h) => h.code);
  });
  afterAll(async () => t?.close());

  it('serves the template with Chinese headers, as .xlsx and as CSV', async () => {
    const x = await jc.get('/api/registry/templates/persons.xlsx');
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const headers = (wb.worksheets[0].getRow(1).values as string[]).slice(1);
    expect(headers).toEqual(expect.arrayContaining(['姓名', '证件号码', '联系电话', '房屋编码', '居住关系', '标签']));
    const c = await jc.get('/api/registry/templates/persons.csv');
    expect(c.body.startsWith('\uFEFF姓名,证件类型,证件号码')).toBe(true);
  });

  it('refuses a file with missing or unknown columns, naming them', async () => {
    const f = await writeXlsx(tmpFile('wrong.xlsx'), [['张三', '13800000000', '某公司']], ['姓名', '手机号', '工作单位']);
    const res = await upload(f, 'valid');
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'IMPORT_BAD_HEADERS', details: { missing: ['证件号码'], unknown: ['工作单位'] } });
    const notSheet = tmpFile('fake.xlsx');
    fs.writeFileSync(notSheet, 'this is not a spreadsheet');
    expect((await upload(notSheet)).json().error.code).toBe('IMPORT_UNREADABLE');
  });

  it('reports every bad row; "all" imports nothing, "valid" imports the good rows; the upload is deleted', async () => {
    const good = [
      personRow(101, '周一鸣', houses[0], { relation: '业主', head: '户主', tags: '党员' }),
      personRow(102, '吴晓燕', houses[0], { head: '配偶' }),
      personRow(103, '郑国平', houses[1], { relation: '租户' }),
      personRow(104, '冯雪梅', '', { tags: '独居,残疾:三级' }),
    ];
    const badChecksum = personRow(105, '钱多多');
    badChecksum[1] = badChecksum[1].slice(0, 17) + (badChecksum[1][17] === '0' ? '1' : '0');
    const dup = personRow(101, '周一鸣重复');
    const badHouse = personRow(106, '孙小红', '330212014099001001010101');
    const badPhone = personRow(107, '李小龙', '', { phone: '12345' });
    const badTag = personRow(108, '赵大宝', '', { tags: '富豪' });
    const f = await writeXlsx(tmpFile('people.xlsx'), [good[0], badChecksum, good[1], dup, good[2], badHouse, badPhone, good[3], badTag]);
    const before = await count();

    const all = await upload(f, 'all');
    expect(all.statusCode, all.body).toBe(202);
    const allJob = await finished(all.json().id);
    expect(allJob).toMatchObject({ status: 'rejected', total: 9, rejected: 5, imported: 0 });
    expect(await count()).toBe(before);
    expect(allJob.problems).toEqual([
      { row: 3, column: '证件号码', reason: '身份证号校验位错误' },
      { row: 5, column: '证件号码', reason: '身份证号在文件中重复（与第2行相同）' },
      { row: 7, column: '房屋编码', reason: '房屋编码不存在或不属于本社区' },
      { row: 8, column: '联系电话', reason: '联系电话格式不正确（手机号11位，固话需带区号）' },
      { row: 10, column: '标签', reason: '无法识别的标签：富豪' },
    ]);
    expect(fs.readdirSync(UPLOAD_DIR).filter((n) => !n.startsWith('.'))).toEqual([]);
    const staged = await t.ctx.db
      .selectFrom('import_staging')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    expect(staged.n).toBe(0);

    // The web wizard: validate first, look at the errors, then choose.
    const wiz = await upload(f);
    const validated = await finished(wiz.json().id);
    expect(validated).toMatchObject({ status: 'validated', valid: 4, rejected: 5 });
    const report = await jc.get(`/api/registry/imports/${validated.id}/report.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(report.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets[0].getRow(2).values).toEqual([undefined, 3, '证件号码', '身份证号校验位错误']);
    const committed = await jc.post(`/api/registry/imports/${validated.id}/commit`, { mode: 'valid' });
    expect(committed.statusCode).toBe(202);
    const done = await finished(validated.id);
    expect(done).toMatchObject({ status: 'done', imported: 4, updated: 0, rejected: 5 });
    expect(await count()).toBe(before + 4);
    expect((await jc.post(`/api/registry/imports/${validated.id}/commit`, { mode: 'valid' })).statusCode).toBe(409);

    const hh = (await jc.get(`/api/registry/houses/${houses[0]}`)).json();
    expect(hh.members.map((m: { name: string; relation: string; headRelation: string }) => [m.name, m.relation, m.headRelation])).toEqual(
      expect.arrayContaining([
        ['周一鸣', 'owner', '户主'],
        ['吴晓燕', 'family', '配偶'],
      ]),
    );
    const feng = (await jc.get(`/api/registry/persons?q=${encodeURIComponent('冯雪梅')}`)).json().items[0];
    expect(feng.tags).toEqual(['独居', '残疾']);
    expect(feng.houseCode).toBeNull();
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select(['details'])
      .where('action', '=', 'registry.import')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ mode: 'valid', created: 4, rejected: 5 });
  });

  it('re-importing the same people updates them instead of adding duplicates', async () => {
    const again = [personRow(101, '周一鸣', houses[0], { relation: '业主', head: '户主', phone: '13712345678' }), personRow(109, '陈新人')];
    const f = writeCsv(tmpFile('again.csv'), again, 'utf8');
    const before = await count();
    const job = await finished((await upload(f, 'all')).json().id);
    expect(job, JSON.stringify(job)).toMatchObject({ status: 'done', imported: 1, updated: 1, rejected: 0 });
    expect(await count()).toBe(before + 1);
    const zhou = (await jc.get(`/api/registry/persons?q=13712345678`)).json().items;
    expect(zhou.map((p: { name: string }) => p.name)).toEqual(['周一鸣']);
    const hist = (await jc.get(`/api/registry/persons/${zhou[0].id}/history`)).json().items;
    expect(hist.map((h: { action: string }) => h.action)).toEqual(['import_update', 'import_create']);
    // Still one open link to the house, not two.
    const links = (await jc.get(`/api/registry/persons/${zhou[0].id}`)).json().houses;
    expect(links.filter((l: { moveOut: string | null }) => !l.moveOut)).toHaveLength(1);
  });

  it('reads GBK and UTF-8 CSV alike', async () => {
    for (const [enc, n, name] of [
      ['gbk', 201, '欧阳娜娜'],
      ['utf8', 202, '诸葛明亮'],
    ] as const) {
      const f = writeCsv(tmpFile(`${enc}.csv`), [personRow(n, name, houses[2], { tags: '志愿者' })], enc);
      const job = await finished((await upload(f, 'all')).json().id);
      expect(job, enc).toMatchObject({ status: 'done', imported: 1 });
      const found = (await jc.get(`/api/registry/persons?q=${encodeURIComponent(name)}`)).json().items;
      expect(found.map((p: { name: string; tags: string[] }) => [p.name, p.tags])).toEqual([[name, ['志愿者']]]);
    }
  });

  it('a failure in the middle of the merge leaves the registry exactly as it was', async () => {
    const rows = Array.from({ length: 50 }, (_, i) =>
      personRow(300 + i, `测试${'甲乙丙丁戊己庚辛壬癸'[i % 10]}${i}号`.replace(/\d/g, ''), houses[3]),
    );
    // names must be unique-looking but valid (no digits)
    const f = await writeXlsx(
      tmpFile('crash.xlsx'),
      rows.map((r, i) => [`${r[0]}${'子丑寅卯辰巳午未申酉'[i % 10]}`, ...r.slice(1)]),
    );
    const before = await count();
    const links = async () =>
      (
        await t.ctx.db
          .selectFrom('person_house')
          .select(sql<number>`count(*)::int`.as('n'))
          .executeTakeFirstOrThrow()
      ).n;
    const linksBefore = await links();
    const jobId = await imports.startImport(t.ctx, systemActor(), {
      filePath: f,
      fileName: 'crash.xlsx',
      communityCode: JIANGCHENG,
      mode: 'valid',
      failDuringMerge: true,
    });
    await imports.waitForJob(jobId);
    const job = await imports.getJob(t.ctx, systemActor(), jobId);
    expect(job.status).toBe('failed');
    expect(await count()).toBe(before);
    expect(await links()).toBe(linksBefore);
    const staged = await t.ctx.db
      .selectFrom('import_staging')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    expect(staged.n).toBe(0);
  });

  it('refuses people without the import permission, and other communities', async () => {
    const f = writeCsv(tmpFile('x.csv'), [personRow(400, '王五')], 'utf8');
    const grid = await t.login('grid-jc-001');
    const m = multipart(f);
    expect((await grid.request('POST', `/api/registry/imports?communityCode=${JIANGCHENG}`, m.payload, m.headers)).statusCode).toBe(403);
    const other = await jc.request('POST', `/api/registry/imports?communityCode=320402002005`, m.payload, m.headers);
    expect(other.statusCode).toBe(403);
    expect(other.json().error.code).toBe('OUT_OF_SCOPE');
    // A person registered in another community cannot be taken over by an import here.
    const theirs = makeIdNumber('330212', '1970-02-02', 33);
    // Registered by the neighbouring community of the same district (福明街道 330212014028).
    await createPerson(t.ctx, systemActor(), { placeCode: '330212014028', name: '邻社区人', idNumber: theirs });
    const row = personRow(401, '邻社区人');
    row[1] = theirs;
    const g = writeCsv(tmpFile('takeover.csv'), [row], 'utf8');
    const job = await finished((await upload(g, 'valid')).json().id);
    expect(job.problems, JSON.stringify(job)).toEqual([
      { row: 2, column: '证件号码', reason: '该人员已在其他社区登记，请由所在社区办理迁出后再导入' },
    ]);
    expect(HEADERS).toContain('证件号码');
  });
});
