import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ENGINES, type Client, type TestApp } from '../../test/harness.ts';
import { makeCreditCode } from './validators.ts';
import { todayInShanghai } from './person-rules.ts';

/** Units, vehicles, tenancies and visitors, as the 江城社区 community worker and its grid worker. */
const JIANGCHENG = '330212014027';
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

describe.each(ENGINES)('registry units, vehicles, tenancies, visitors (%s)', (engine) => {
  let t: TestApp;
  let jc: Client;
  let grid: Client;
  let house: string;
  let otherHouse: string;

  beforeAll(async () => {
    t = await createTestApp(engine);
    [jc, grid] = await Promise.all([t.login('jiangcheng'), t.login('grid-jc-001')]);
    house = (
      await t.ctx.db
        .selectFrom('house')
        .select('code')
        .where('code', 'like', `${JIANGCHENG}001%`)
        .where('use', '=', 'rented')
        .orderBy('code')
        .executeTakeFirstOrThrow()
    ).code;
    otherHouse = (
      await t.ctx.db.selectFrom('house').select('code').where('code', 'like', `${JIANGCHENG}002%`).orderBy('code').executeTakeFirstOrThrow()
    ).code;
  });
  afterAll(async () => t?.close());

  it('registers a unit with a valid credit code, refuses a bad one, keeps history', async () => {
    const code = makeCreditCode('91330212MA2H3X4Y5');
    const bad = await jc.post('/api/registry/units', {
      placeCode: JIANGCHENG,
      name: '宁波测试科技有限公司',
      unitType: 'enterprise',
      creditCode: code.slice(0, 17) + (code[17] === '0' ? '1' : '0'),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.problems).toEqual([{ field: 'creditCode', reason: '统一社会信用代码校验位错误' }]);
    const ok = await jc.post('/api/registry/units', {
      placeCode: JIANGCHENG,
      name: '宁波测试科技有限公司',
      unitType: 'enterprise',
      creditCode: code,
      contactName: '林经理',
      contactPhone: '13800001111',
      employees: 12,
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ creditCode: code, contactPhoneMasked: '138****1111' });
    expect(
      (await jc.post('/api/registry/units', { placeCode: JIANGCHENG, name: '重复单位', unitType: 'enterprise', creditCode: code }))
        .statusCode,
    ).toBe(409);
    const upd = await jc.patch(`/api/registry/units/${ok.json().id}`, { version: 1, employees: 15 });
    expect(upd.json().employees).toBe(15);
    expect((await jc.patch(`/api/registry/units/${ok.json().id}`, { version: 1, employees: 16 })).statusCode).toBe(409);
    const hist = (await jc.get(`/api/registry/units/${ok.json().id}/history`)).json().items;
    expect(hist[0]).toMatchObject({ action: 'update', before: { employees: 12 }, after: { employees: 15 } });
    expect((await jc.get(`/api/registry/units?q=${code}`)).json().items.map((u: { id: string }) => u.id)).toEqual([ok.json().id]);
    // Shops on ground floors were seeded with valid codes.
    const shops = (await jc.get('/api/registry/units?unitType=individual')).json().items;
    expect(shops.length).toBeGreaterThan(0);
    // The grid worker does not see a unit registered at community level.
    expect((await grid.get(`/api/registry/units/${ok.json().id}`)).statusCode).toBe(404);
  });

  it('registers vehicles with ordinary and new-energy plates', async () => {
    const owner = (await jc.get('/api/registry/persons?limit=1')).json().items[0];
    const ne = await jc.post('/api/registry/vehicles', {
      placeCode: owner.houseCode ?? JIANGCHENG,
      plate: '浙b d88888',
      ownerPersonId: owner.id,
      parking: 'B1-088',
    });
    expect(ne.statusCode, ne.body).toBe(201);
    expect(ne.json()).toMatchObject({ plate: '浙BD88888', plateKind: 'new_energy', ownerName: owner.name });
    expect((await jc.post('/api/registry/vehicles', { placeCode: JIANGCHENG, plate: '浙BD88888' })).statusCode).toBe(409);
    expect((await jc.post('/api/registry/vehicles', { placeCode: JIANGCHENG, plate: '浙BI2345' })).statusCode).toBe(400);
    const found = (await jc.get('/api/registry/vehicles?q=D888')).json().items;
    expect(found.map((v: { plate: string }) => v.plate)).toContain('浙BD88888');
    const upd = await jc.patch(`/api/registry/vehicles/${ne.json().id}`, { version: 1, parking: 'B1-099' });
    expect(upd.json().parking).toBe('B1-099');
  });

  it('registers a tenancy with a contract photo, reminds of expiring ones, lists rented houses without tenant', async () => {
    const before = (await jc.get(`/api/registry/rented-without-tenant?territoryCode=${JIANGCHENG}`)).json().items.length;
    const target = (await jc.get(`/api/registry/rented-without-tenant?territoryCode=${JIANGCHENG}001`)).json().items[0];
    expect(target).toBeDefined();
    const created = await jc.post('/api/registry/persons', {
      placeCode: JIANGCHENG,
      name: '包租客',
      idNumber: '330212199001011238'.slice(0, 17) + '0',
      residency: 'migrant',
    });
    // (a wrong check digit is refused; build a valid one)
    expect(created.statusCode).toBe(400);
    const { makeIdNumber } = await import('./id-number.ts');
    const tenant = (
      await jc.post('/api/registry/persons', {
        placeCode: JIANGCHENG,
        name: '包租客',
        idNumber: makeIdNumber('341202', '1990-01-01', 123),
        residency: 'migrant',
      })
    ).json();
    const today = todayInShanghai();
    const end = new Date(Date.parse(today) + 10 * 86_400_000).toISOString().slice(0, 10);
    const tn = await jc.post('/api/registry/tenancies', {
      houseCode: target.code,
      tenantPersonId: tenant.id,
      startDate: today,
      endDate: end,
    });
    expect(tn.statusCode, tn.body).toBe(201);
    expect(tn.json()).toMatchObject({ daysLeft: 10, tenantName: '包租客', hasPhoto: false });
    const after = (await jc.get(`/api/registry/rented-without-tenant?territoryCode=${JIANGCHENG}`)).json().items;
    expect(after.length).toBe(before - 1);
    const reminders = (await jc.get('/api/registry/tenancies?expiringWithinDays=30')).json().items;
    expect(reminders.map((r: { id: string }) => r.id)).toContain(tn.json().id);
    for (const r of reminders) expect(r.daysLeft).toBeLessThanOrEqual(30);

    const boundary = '----gzphoto';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="c.png"\r\nContent-Type: image/png\r\n\r\n`),
      PNG,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const up = await jc.request('PUT', `/api/registry/tenancies/${tn.json().id}/photo`, body, {
      'content-type': `multipart/form-data; boundary=${boundary}`,
    });
    expect(up.statusCode, up.body).toBe(204);
    const photo = await jc.get(`/api/registry/tenancies/${tn.json().id}/photo`);
    expect(photo.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(photo.rawPayload, PNG)).toBe(0);
    expect((await t.login('xinfengyuan').then((x) => x.get(`/api/registry/tenancies/${tn.json().id}/photo`))).statusCode).toBe(404);
  });

  it('registers visitors and their leaving; grid workers only in their grid', async () => {
    const v = await grid.post('/api/registry/visitors', {
      houseCode: house,
      name: '来访者',
      phone: '13600001234',
      purpose: '探亲',
      plate: '浙B23456',
    });
    expect(v.statusCode, v.body).toBe(201);
    expect(v.json()).toMatchObject({ phoneMasked: '136****1234', leftAt: null });
    expect((await grid.post('/api/registry/visitors', { houseCode: otherHouse, name: '来访者' })).statusCode).toBe(403);
    const present = (await jc.get('/api/registry/visitors?onlyPresent=true')).json().items;
    expect(present.map((x: { id: string }) => x.id)).toContain(v.json().id);
    const left = await grid.post(`/api/registry/visitors/${v.json().id}/leave`);
    expect(left.json().leftAt).not.toBeNull();
    expect((await grid.post(`/api/registry/visitors/${v.json().id}/leave`)).statusCode).toBe(409);
  });
});
