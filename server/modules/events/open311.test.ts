import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ENGINES, type TestApp } from '../../test/harness.ts';
import { createKey, revokeKey } from './open311.ts';

/** Open311 GeoReport v2 conformance: every endpoint in JSON and XML, the examples' field names, errors. */
describe.each(ENGINES)('Open311 GeoReport v2 on %s', (engine) => {
  let t: TestApp;
  let key: string;
  const form = (body: Record<string, string>) => new URLSearchParams(body).toString();
  const post = (file: string, body: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url: `/open311/v2/${file}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form(body),
    });
  const get = (path: string) => t.app.inject({ method: 'GET', url: `/open311/v2/${path}` });

  beforeAll(async () => {
    t = await createTestApp(engine);
    key = await createKey(t.ctx, 'test-client', '330212');
  });
  afterAll(async () => t?.close());

  it('discovery lists the v2 endpoint and both formats', async () => {
    const j = await get('discovery.json');
    expect(j.statusCode).toBe(200);
    expect(j.headers['content-type']).toContain('application/json');
    expect(j.json().endpoints[0]).toMatchObject({
      specification: 'http://wiki.open311.org/GeoReport_v2',
      type: 'production',
      formats: ['text/xml', 'application/json'],
    });
    const x = await get('discovery.xml');
    expect(x.headers['content-type']).toContain('text/xml');
    expect(x.body).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?><discovery><changeset>/);
    expect(x.body).toContain('<endpoints><endpoint><specification>http://wiki.open311.org/GeoReport_v2</specification>');
    expect(x.body).toContain('<formats><format>text/xml</format><format>application/json</format></formats>');
  });

  it('services are the leaf categories, with the specification’s fields', async () => {
    const j = (await get('services.json')).json() as Record<string, unknown>[];
    const s = j.find((x) => x.service_code === 'env.garbage')!;
    expect(Object.keys(s).sort()).toEqual(['description', 'group', 'keywords', 'metadata', 'service_code', 'service_name', 'type']);
    expect(s).toMatchObject({ service_name: '垃圾堆放', metadata: true, type: 'realtime', group: '市容环境' });
    expect(j.some((x) => x.service_code === 'env')).toBe(false); // a group is not a service
    const x = (await get('services.xml')).body;
    expect(x).toContain('<services><service><service_code>');
    expect(x).toContain('<metadata>true</metadata><type>realtime</type>');
  });

  it('a service definition lists attributes with values', async () => {
    const j = (await get('services/throwing.json')).json();
    expect(j.service_code).toBe('throwing');
    expect(j.attributes[0]).toMatchObject({ variable: true, code: 'place_code', datatype: 'string', required: false, order: 1 });
    expect(j.attributes[1].values).toEqual([
      { key: 'no', name: '否' },
      { key: 'yes', name: '是' },
    ]);
    const x = (await get('services/throwing.xml')).body;
    expect(x).toContain('<service_definition><service_code>throwing</service_code><attributes><attribute><variable>true</variable>');
    expect(x).toContain('<values><value><key>no</key><name>否</name></value>');
    const missing = await get('services/nope.xml');
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toBe(
      '<?xml version="1.0" encoding="utf-8"?><errors><error><code>404</code><description>service_code nope not found</description></error></errors>',
    );
  });

  it('files a request with an api_key into the closed loop, then follows it by id, list and token', async () => {
    const noKey = await post('requests.json', { service_code: 'env.garbage', lat: '29.87', long: '121.55', description: '路边垃圾' });
    expect(noKey.statusCode).toBe(403);
    expect(noKey.json()).toEqual([{ code: 403, description: 'api_key is required' }]);
    const bad = await post('requests.xml', { api_key: 'wrong', service_code: 'env.garbage', description: 'x' });
    expect(bad.statusCode).toBe(403);
    expect(bad.body).toContain('<errors><error><code>403</code>');
    const grid = await t.ctx.db
      .selectFrom('grid')
      .select(['code', 'bounds'])
      .where('code', '=', '330212014027001')
      .executeTakeFirstOrThrow();
    const b = grid.bounds as { west: number; east: number; south: number; north: number };
    const lat = String((b.south + b.north) / 2);
    const long = String((b.west + b.east) / 2);
    const outside = await post('requests.json', {
      api_key: key,
      service_code: 'env.garbage',
      lat: '40.0',
      long: '116.4',
      description: '北京的垃圾',
    });
    expect(outside.statusCode).toBe(400);
    const unknown = await post('requests.json', { api_key: key, service_code: 'nope', lat, long, description: '未知' });
    expect(unknown.statusCode).toBe(404);

    const r = await post('requests.json', {
      api_key: key,
      service_code: 'env.garbage',
      lat,
      long,
      description: '江城路垃圾桶满溢',
      first_name: '明',
      last_name: '王',
      phone: '13800138000',
    });
    expect(r.statusCode).toBe(201);
    const [created] = r.json();
    expect(Object.keys(created).sort()).toEqual(['account_id', 'service_notice', 'service_request_id']);
    const id = created.service_request_id as string;
    // It is an ordinary event in the grid's inbox.
    const grid1 = await t.login('grid-jc-001');
    const inbox = (await grid1.get('/api/events?box=todo')).json().items as { number: string; source: string; state: string }[];
    expect(inbox.find((e) => e.number === id)).toMatchObject({ source: 'open311', state: 'reported' });

    const one = await get(`requests/${id}.json`);
    expect(one.statusCode).toBe(200);
    const [req] = one.json();
    expect(req).toMatchObject({
      service_request_id: id,
      status: 'open',
      service_code: 'env.garbage',
      service_name: '垃圾堆放',
      address_id: '330212014027001',
    });
    expect(req.requested_datetime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
    expect(Object.keys(req).sort()).toEqual(
      [
        'address',
        'address_id',
        'agency_responsible',
        'description',
        'expected_datetime',
        'lat',
        'long',
        'media_url',
        'requested_datetime',
        'service_code',
        'service_name',
        'service_notice',
        'service_request_id',
        'status',
        'status_notes',
        'updated_datetime',
        'zipcode',
      ].sort(),
    );
    const xml = (await get(`requests/${id}.xml`)).body;
    expect(xml).toContain(`<service_requests><request><service_request_id>${id}</service_request_id><status>open</status>`);

    const list = (await get('requests.json?status=open&service_code=env.garbage')).json() as { service_request_id: string }[];
    expect(list.map((x) => x.service_request_id)).toContain(id);
    expect(
      ((await get('requests.json?status=closed')).json() as { service_request_id: string }[]).map((x) => x.service_request_id),
    ).not.toContain(id);
    expect((await get('requests.json?status=maybe')).statusCode).toBe(400);
    expect((await get('requests.json?start_date=2026-12-01T00:00:00Z&end_date=2026-01-01T00:00:00Z')).statusCode).toBe(400);
    expect((await get('requests/SJ00000000XXXXXX.json')).statusCode).toBe(404);

    const tok = await get(`tokens/${id}.xml`);
    expect(tok.body).toContain(
      `<service_requests><request><service_request_id>${id}</service_request_id><token>${id}</token></request></service_requests>`,
    );

    // A revoked key no longer files.
    expect(await revokeKey(t.ctx, 'test-client')).toBe(1);
    expect((await post('requests.json', { api_key: key, service_code: 'env.garbage', lat, long, description: '再报' })).statusCode).toBe(
      403,
    );
  });

  it('answers an unknown format with a 404 error array', async () => {
    const r = await get('services.csv');
    expect(r.statusCode).toBe(404);
    expect(r.json()[0].code).toBe(404);
  });
});
