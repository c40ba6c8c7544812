import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ENGINES, type Client, type TestApp } from '../../test/harness.ts';
import { makeIdNumber } from '../registry/id-number.ts';

/** Archives (W1) and staffing (W2) through the API, as the demo users who do the work. */

type Item = { id: string; name: string; communityCode: string; version: number; post: string | null };

/** The text a PDF's ToUnicode maps carry: pdfkit embeds a subset font and maps glyphs to Unicode. */
export function pdfUnicodeText(pdf: Buffer): string {
  const s = pdf.toString('latin1');
  let out = '';
  let at = 0;
  for (;;) {
    const i = s.indexOf('stream', at);
    if (i < 0) break;
    const start = s[i + 6] === '\r' ? i + 8 : i + 7;
    const end = s.indexOf('endstream', start);
    if (end < 0) break;
    try {
      const text = zlib.inflateSync(Buffer.from(s.slice(start, end), 'latin1')).toString('latin1');
      if (text.includes('beginbfchar') || text.includes('beginbfrange'))
        for (const m of text.matchAll(/<([0-9a-fA-F]{4})>/g)) out += String.fromCharCode(parseInt(m[1], 16));
    } catch {
      // not a deflated stream
    }
    at = end + 9;
  }
  return out;
}

describe.each(ENGINES)('workforce archives and staffing on %s', (engine) => {
  let t: TestApp;
  let fuming: Client, jiangcheng: Client, xinfengyuan: Client, grid: Client, resident: Client, yinzhou: Client;
  beforeAll(async () => {
    t = await createTestApp(engine);
    [fuming, jiangcheng, xinfengyuan, grid, resident, yinzhou] = await Promise.all(
      ['fuming', 'jiangcheng', 'xinfengyuan', 'grid-jc-001', 'jc-resident', 'yinzhou'].map((u) => t.login(u)),
    );
  });
  afterAll(async () => t?.close());

  const list = async (c: Client, query = '') => {
    const r = await c.get(`/api/workforce/workers${query}`);
    expect(r.statusCode).toBe(200);
    return r.json().items as Item[];
  };

  it('each user sees the archives of their reach: street, own community as its 书记, only their own', async () => {
    const street = await list(fuming);
    expect(street.length).toBeGreaterThanOrEqual(16);
    expect(new Set(street.map((w) => w.communityCode.slice(0, 9)))).toEqual(new Set(['330212014']));
    const community = await list(jiangcheng);
    expect(community.length).toBe(street.filter((w) => w.communityCode === '330212014027').length);
    expect(community[0]).toMatchObject({ name: '陈丽华', post: 'dual_head' });
    expect((await list(xinfengyuan)).map((w) => w.name)).toEqual(['刘芳']);
    expect((await list(grid)).map((w) => w.name)).toEqual(['王建国']);
    expect((await resident.get('/api/workforce/workers')).statusCode).toBe(403);
    // Outside the reach an archive does not exist.
    const gu = (await list(await t.login('tianning'))).find((w) => w.name === '顾建华')!;
    expect((await xinfengyuan.get(`/api/workforce/workers/${gu.id}`)).statusCode).toBe(404);
    expect((await fuming.get(`/api/workforce/workers/${gu.id}`)).statusCode).toBe(404);
  });

  it('an archive shows identity from the registry (masked), posts, certificates, grades, training and honours', async () => {
    const chen = (await list(fuming)).find((w) => w.name === '陈丽华')!;
    const a = (await fuming.get(`/api/workforce/workers/${chen.id}`)).json();
    expect(a.idMasked).toMatch(/^330212\*{8}\d{3}[\dX]$/);
    expect(a.yearsOfService).toBeGreaterThanOrEqual(31);
    expect(a.certificates.map((c: { kind: string }) => c.kind)).toEqual(['social_worker']);
    expect(a.grades[0]).toMatchObject({ schemeCode: 'yinzhou-3p18g', effectiveFrom: '2026-01' });
    expect(a.training.length).toBe(2);
    expect(a.duties).toHaveLength(8);
    const li = (await list(fuming)).find((w) => w.name === '李晓敏')!;
    const posts = (await fuming.get(`/api/workforce/workers/${li.id}`)).json().posts;
    expect(posts.map((p: { post: string }) => p.post)).toEqual(['deputy', 'staff']);
    expect(posts[1].endOn).toBe('2017-12-31');
  });

  it('opens an archive for a new worker: the person is registered once, found again by ID number', async () => {
    const idNumber = makeIdNumber('330212', '1996-05-20', 877);
    const body = {
      person: { name: '严可', idNumber, gender: 'F', phone: '13957400001' },
      communityCode: '330212014027',
      education: 'bachelor',
      major: '社会工作',
      workStart: '2026-10-08',
      post: 'staff',
      title: '全科社工',
    };
    const created = await fuming.post('/api/workforce/workers', body);
    expect(created.statusCode).toBe(201);
    const a = created.json();
    expect(a).toMatchObject({ name: '严可', communityName: '江城社区', post: 'staff', onboardedOn: null, version: 1 });
    const persons = await t.ctx.db.selectFrom('person').select('id').where('name', '=', '严可').execute();
    expect(persons.map((p) => p.id)).toEqual([a.personId]);
    const again = await fuming.post('/api/workforce/workers', body);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('WORKER_EXISTS');
    // Wrong place, wrong role.
    expect((await fuming.post('/api/workforce/workers', { ...body, communityCode: '320402002005' })).json().error.code).toBe(
      'OUT_OF_SCOPE',
    );
    expect((await jiangcheng.post('/api/workforce/workers', body)).statusCode).toBe(403);

    // Post change keeps the history; a stale version is refused.
    const moved = await fuming.post(`/api/workforce/workers/${a.id}/posts`, {
      version: a.version,
      post: 'deputy',
      title: '居委会副主任',
      startOn: '2026-11-02',
      reason: '换届选举当选',
    });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().posts.map((p: { post: string; endOn: string | null }) => [p.post, p.endOn])).toEqual([
      ['deputy', null],
      ['staff', '2026-11-01'],
    ]);
    const stale = await fuming.patch(`/api/workforce/workers/${a.id}`, { version: a.version, partyAffairs: true });
    expect(stale.statusCode).toBe(409);
    const patched = await fuming.patch(`/api/workforce/workers/${a.id}`, { version: moved.json().version, partyAffairs: true });
    expect(patched.json().partyAffairs).toBe(true);

    const cert = await fuming.post(`/api/workforce/workers/${a.id}/certificates`, {
      kind: 'assistant_social_worker',
      issuedOn: '2026-06-20',
      scan: { name: 'cert.png', type: 'image/png', base64: Buffer.from('\x89PNG fake scan').toString('base64') },
    });
    expect(cert.statusCode).toBe(201);
    const c = cert.json().certificates[0];
    expect(c).toMatchObject({ name: '助理社会工作师职业资格证书', hasScan: true });
    const scan = await fuming.get(`/api/workforce/workers/${a.id}/certificates/${c.id}/scan`);
    expect(scan.headers['content-type']).toBe('image/png');
    const future = await fuming.post(`/api/workforce/workers/${a.id}/certificates`, { kind: 'social_worker', issuedOn: '2099-01-01' });
    expect(future.statusCode).toBe(400);
    const appraisal = await fuming.request('PUT', `/api/workforce/workers/${a.id}/appraisals/2025`, { result: 'competent' });
    expect(appraisal.json().appraisals).toEqual([expect.objectContaining({ year: 2025, result: 'competent' })]);
    const audit = await t.ctx.db.selectFrom('audit_log').select('action').where('target_id', '=', a.id).execute();
    expect(audit.map((x) => x.action)).toEqual(
      expect.arrayContaining([
        'workforce.worker.create',
        'workforce.post.change',
        'workforce.worker.update',
        'workforce.certificate.add',
        'workforce.appraisal.set',
      ]),
    );
  });

  it('prints the archive sheet as a PDF with Chinese text, and exports the list as .xlsx', async () => {
    const chen = (await list(jiangcheng)).find((w) => w.name === '陈丽华')!;
    const pdf = await jiangcheng.get(`/api/workforce/workers/${chen.id}/archive.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfUnicodeText(pdf.rawPayload);
    for (const ch of '社区工作者档案表陈丽华书记主任') expect(text).toContain(ch);

    const x = await fuming.get('/api/workforce/workers.xlsx?territoryCode=330212014027');
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws.getRow(2).values).toEqual(expect.arrayContaining(['姓名', '岗位']));
    const names = ws.getColumn(3).values.slice(3);
    expect(names).toContain('陈丽华');
    expect(names).not.toContain('郑秀英');
  });

  it('staffing: workers per 10 000 residents against 20, communities without a party-affairs worker, vacancies', async () => {
    const o = (await fuming.get('/api/workforce/staffing/330212014')).json();
    expect(o.target).toBe(20);
    const jc = o.communities.find((c: { code: string }) => c.code === '330212014027');
    expect(jc.residents).toBe(6800);
    expect(jc.per10k).toBeCloseTo((jc.workers * 10000) / 6800, 1);
    expect(jc.shortfall).toBe(Math.max(0, 14 - jc.workers));
    expect(jc.vacancies).toBe(14 - jc.workers);
    const mc = o.communities.find((c: { code: string }) => c.code === '330212014029');
    expect(mc.partyAffairs).toBe(0);
    expect(o.summary.withoutPartyAffairs).toBeGreaterThanOrEqual(1);
    expect((await fuming.get('/api/workforce/staffing/330212')).statusCode).toBe(403);
    // The target is configurable per district.
    const s = (await yinzhou.get('/api/workforce/settings/330212')).json();
    const changed = await yinzhou.patch('/api/workforce/settings/330212', { version: s.version, targetPer10k: 25 });
    expect(changed.json().targetPer10k).toBe(25);
    expect((await fuming.get('/api/workforce/staffing/330212014')).json().target).toBe(25);
    const xlsx = await fuming.get('/api/workforce/staffing/330212014/export.xlsx');
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
  });

  it('fills a vacancy from the street’s reserve pool in rank order, then refuses when none is left', async () => {
    const before = (await fuming.get('/api/workforce/staffing/330212014027')).json().communities[0];
    expect(before.reserveAvailable).toBeGreaterThan(0);
    const reserve = await t.ctx.db
      .selectFrom('recruit_application as a')
      .innerJoin('recruit_post as p', 'p.id', 'a.post_id')
      .select(['a.name', 'a.reserve_rank'])
      .where('a.status', '=', 'reserve')
      .where('p.street_code', '=', '330212014')
      .orderBy('a.reserve_rank')
      .execute();
    const filled = [];
    for (let i = 0; i < reserve.length; i++) {
      const r = await fuming.post('/api/workforce/staffing/communities/330212014027/fill');
      expect(r.statusCode).toBe(201);
      filled.push(r.json());
    }
    expect(filled.map((f) => f.name)).toEqual(reserve.map((r) => r.name));
    const a = (await fuming.get(`/api/workforce/workers/${filled[0].workerId}`)).json();
    expect(a).toMatchObject({ communityCode: '330212014027', post: 'staff' });
    const empty = await fuming.post('/api/workforce/staffing/communities/330212014027/fill');
    expect(empty.json().error.code).toBe('RESERVE_EMPTY');
    // No vacancy: posts equal to workers.
    const now = (await fuming.get('/api/workforce/staffing/330212014027')).json().communities[0];
    const full = await fuming.request('PUT', '/api/workforce/staffing/communities/330212014027', {
      version: now.version,
      authorizedPosts: now.workers,
    });
    expect(full.statusCode).toBe(200);
    expect((await fuming.post('/api/workforce/staffing/communities/330212014027/fill')).json().error.code).toBe('NO_VACANCY');
    expect(
      (await fuming.request('PUT', '/api/workforce/staffing/communities/330212014027', { version: now.version, residents: 1 })).statusCode,
    ).toBe(409);
    expect((await jiangcheng.post('/api/workforce/staffing/communities/330212014027/fill')).statusCode).toBe(403);
  });
});
