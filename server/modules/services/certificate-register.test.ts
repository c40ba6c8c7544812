import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ENGINES, type Client, type TestApp } from '../../test/harness.ts';
import { makeIdNumber } from '../registry/id-number.ts';
import { maskName } from './certificate-rules.ts';

/** The register of issued certificates (出具登记) through the API: scope, masking, state, paging, refusals. */

const JC = '330212014027';

interface Issued {
  id: string;
  number: string;
  communityCode: string;
  personMasked: string;
  idMasked: string;
  typeName: string;
  state: 'valid' | 'revoked' | 'expired';
  fromApplication: boolean;
  revokeReason: string;
  version: number;
}

describe('maskName', () => {
  it('keeps the first and last character of three or more, the first of two', () => {
    expect(maskName('刘淑珍')).toBe('刘*珍');
    expect(maskName('李华')).toBe('李*');
    expect(maskName('欧阳娜娜')).toBe('欧**娜');
    expect(maskName('王')).toBe('*');
    expect(maskName(' 张桂芳 ')).toBe('张*芳');
  });
});

describe.each(ENGINES)('certificate register on %s', (engine) => {
  let t: TestApp;
  let worker: Client;
  let clients: Map<string, Client>;
  let liu: { id: string; name: string };
  const page = async (c: Client, query = `communityCode=${JC}`) => {
    const r = await c.get(`/api/certificates/issued?${query}`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as { total: number; items: Issued[] };
  };
  const issue = async (typeKey: string, purpose: string) => {
    const r = await worker.post('/api/certificates', { communityCode: JC, personId: liu.id, typeKey, purpose });
    expect(r.statusCode, r.body).toBe(201);
    return r.json() as { id: string; number: string; version: number };
  };

  beforeAll(async () => {
    t = await createTestApp(engine);
    const users = ['jiangcheng', 'jc-resident', 'jc-volunteer', 'jc-party', 'xinfengyuan', 'fuming', 'yinzhou'];
    clients = new Map(await Promise.all(users.map(async (u) => [u, await t.login(u)] as const)));
    worker = clients.get('jiangcheng')!;
    const idNumber = makeIdNumber('330212', '1942-01-08', 946);
    liu = (await worker.get(`/api/services/window/lookup?q=${idNumber}`)).json().items[0].person;
  });
  afterAll(async () => t?.close());

  it("lists the community's certificates newest first, holders masked, with the count the database has", async () => {
    const before = await page(worker);
    const inDb = await t.ctx.db
      .selectFrom('certificate')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('community_code', '=', JC)
      .executeTakeFirstOrThrow();
    expect(before.total).toBe(Number(inDb.n));
    // The demo issued one at the counter and one when an application completed.
    expect(before.items.some((c) => c.fromApplication)).toBe(true);
    expect(before.items.some((c) => !c.fromApplication)).toBe(true);

    const cert = await issue('residence', '子女入学');
    const after = await page(worker);
    expect(after.total).toBe(before.total + 1);
    const first = after.items[0];
    expect(first).toMatchObject({ id: cert.id, number: cert.number, personMasked: '刘*珍', typeName: '居住证明', state: 'valid' });
    expect(first.idMasked).toMatch(/^330212\*{8}\d{3}[\dX]$/);
    const body = JSON.stringify(after);
    expect(body).not.toContain('刘淑珍');
    expect(body).not.toContain('19420108');
  });

  it('shows revoked and expired certificates in their state and filters by it', async () => {
    const a = await issue('hardship', '申请助学金');
    const b = await issue('disability_living', '申请护理补贴');
    const revoked = await worker.post(`/api/certificates/${a.id}/revoke`, { reason: '家庭情况已变化', version: a.version });
    expect(revoked.statusCode).toBe(200);
    await t.ctx.db.updateTable('certificate').set({ valid_until: '2020-01-31' }).where('id', '=', b.id).execute();

    const all = await page(worker);
    expect(all.items.find((c) => c.id === a.id)).toMatchObject({ state: 'revoked', revokeReason: '家庭情况已变化' });
    expect(all.items.find((c) => c.id === b.id)?.state).toBe('expired');
    const onlyRevoked = await page(worker, `communityCode=${JC}&state=revoked`);
    expect(onlyRevoked.items.map((c) => c.id)).toContain(a.id);
    expect(onlyRevoked.items.every((c) => c.state === 'revoked')).toBe(true);
    expect(onlyRevoked.total).toBe(onlyRevoked.items.length);
    const valid = await page(worker, `communityCode=${JC}&state=valid`);
    expect(valid.items.map((c) => c.id)).not.toContain(a.id);
    expect(valid.items.map((c) => c.id)).not.toContain(b.id);
    expect(valid.total + onlyRevoked.total + (await page(worker, `communityCode=${JC}&state=expired`)).total).toBe(all.total);
  });

  it('pages with limit and offset over a stable order', async () => {
    const all = await page(worker);
    expect(all.total).toBeGreaterThanOrEqual(3);
    const second = await page(worker, `communityCode=${JC}&limit=1&offset=1`);
    expect(second.total).toBe(all.total);
    expect(second.items.map((c) => c.id)).toEqual([all.items[1].id]);
    expect((await worker.get(`/api/certificates/issued?limit=0`)).statusCode).toBe(400);
    expect((await worker.get(`/api/certificates/issued?state=lost`)).statusCode).toBe(400);
  });

  it('exports the same masked rows as an .xlsx, filtered alike, and audits the export', async () => {
    const shown = await page(worker, `communityCode=${JC}&limit=200`);
    const res = await worker.get(`/api/certificates/issued.xlsx?communityCode=${JC}`);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename\*=UTF-8''.+\.xlsx/);
    expect(decodeURIComponent(String(res.headers['content-disposition']))).toContain('江城社区');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const row = (n: number) => (ws.getRow(n).values as unknown[]).slice(1).map((v) => (v == null ? '' : String(v)));
    expect(row(1)[0]).toContain(`共 ${shown.total} 条`);
    expect(row(2)).toEqual([
      '证明编号',
      '社区',
      '持证人',
      '证件号',
      '证明类型',
      '用途',
      '出具时间',
      '出具人',
      '有效期至',
      '来源',
      '状态',
      '撤销原因',
    ]);
    expect(ws.rowCount - 2).toBe(shown.total);
    expect(ws.getColumn(1).values.slice(3)).toEqual(shown.items.map((c) => c.number));
    expect(ws.getColumn(3).values.slice(3)).toEqual(shown.items.map((c) => c.personMasked));
    const states = { valid: '有效', revoked: '已撤销', expired: '已过期' };
    expect(ws.getColumn(11).values.slice(3)).toEqual(shown.items.map((c) => states[c.state]));
    // Nothing unmasked leaves in the file either.
    const cells = JSON.stringify(ws.getSheetValues());
    expect(cells).not.toContain('刘淑珍');
    expect(cells).not.toContain('19420108');

    const revoked = await worker.get(`/api/certificates/issued.xlsx?communityCode=${JC}&state=revoked`);
    const wbR = new ExcelJS.Workbook();
    await wbR.xlsx.load(revoked.rawPayload as unknown as ArrayBuffer);
    expect(wbR.worksheets[0].rowCount - 2).toBe((await page(worker, `communityCode=${JC}&state=revoked`)).total);

    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'place_code', 'details'])
      .where('action', '=', 'certificate.register.export')
      .orderBy('id', 'desc')
      .execute();
    expect(audit[0]).toMatchObject({ place_code: JC, details: { state: 'revoked' } });
    expect(audit[1]).toMatchObject({ place_code: JC, details: { state: null, rows: shown.total } });

    for (const user of ['jc-resident', 'fuming']) {
      expect((await clients.get(user)!.get(`/api/certificates/issued.xlsx?communityCode=${JC}`)).statusCode, user).toBe(403);
    }
    const other = await clients.get('xinfengyuan')!.get(`/api/certificates/issued.xlsx?communityCode=${JC}`);
    expect(other.json().error.code).toBe('OUT_OF_SCOPE');
    expect((await worker.get(`/api/certificates/issued.xlsx?limit=5`)).statusCode).toBe(400);
  });

  it('is only for issuers, and only for their own communities', async () => {
    for (const user of ['jc-resident', 'jc-volunteer', 'jc-party', 'fuming', 'yinzhou']) {
      expect((await clients.get(user)!.get(`/api/certificates/issued?communityCode=${JC}`)).statusCode, user).toBe(403);
    }
    const other = clients.get('xinfengyuan')!;
    const refused = await other.get(`/api/certificates/issued?communityCode=${JC}`);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('OUT_OF_SCOPE');
    // Without a community: everything in the caller's scope, which holds nothing of 江城社区.
    const own = await page(other, '');
    expect(own.items.every((c) => c.communityCode === '320402002005')).toBe(true);
    expect((await page(worker, '')).items.every((c) => c.communityCode === JC)).toBe(true);
  });
});
