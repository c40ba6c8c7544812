import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ENGINES, type Client, type TestApp } from './harness.ts';

/**
 * The authorization matrix: each demo role against representative routes, inside and outside
 * its scope. 200 = allowed, 403 = refused (no permission or outside the scope).
 */
type Expect = 200 | 403;
interface Row {
  user: string;
  inside: string; // a territory code inside the user's scope
  outside: string; // a territory code outside it
  territory: [Expect, Expect]; // GET /api/territory/{inside}, /{outside}
  users: Expect; // GET /api/users
  audit: Expect; // GET /api/audit
  orgs: Expect; // GET /api/orgs
  writeHouse: Expect; // PATCH a house in 江城社区
  events: Expect; // GET /api/events (issue 4)
  stats: Expect; // GET /api/events/stats?scope={inside} (issue 4); outside is always 403
}

const MATRIX: Row[] = [
  {
    user: 'sysadmin',
    inside: '330212014027',
    outside: '530102',
    territory: [200, 200],
    users: 403,
    audit: 403,
    orgs: 200,
    writeHouse: 200,
    events: 403,
    stats: 403,
  },
  {
    user: 'secadmin',
    inside: '330212014027',
    outside: '530102',
    territory: [200, 200],
    users: 200,
    audit: 403,
    orgs: 200,
    writeHouse: 403,
    events: 403,
    stats: 403,
  },
  {
    user: 'auditor',
    inside: '330212014027',
    outside: '530102',
    territory: [403, 403],
    users: 403,
    audit: 200,
    orgs: 403,
    writeHouse: 403,
    events: 403,
    stats: 403,
  },
  {
    user: 'yinzhou',
    inside: '330212014027',
    outside: '530102',
    territory: [200, 403],
    users: 200,
    audit: 403,
    orgs: 200,
    writeHouse: 200,
    events: 200,
    stats: 200,
  },
  {
    user: 'wuhua',
    inside: '530102001',
    outside: '330212',
    territory: [200, 403],
    users: 200,
    audit: 403,
    orgs: 200,
    writeHouse: 403,
    events: 200,
    stats: 200,
  },
  {
    user: 'fuming',
    inside: '330212014027',
    outside: '330212001',
    territory: [200, 403],
    users: 403,
    audit: 403,
    orgs: 200,
    writeHouse: 403,
    events: 200,
    stats: 200,
  },
  {
    user: 'jiangcheng',
    inside: '330212014027',
    outside: '530102',
    territory: [200, 403],
    users: 403,
    audit: 403,
    orgs: 200,
    writeHouse: 403,
    events: 200,
    stats: 200,
  },
  {
    user: 'jiangcheng',
    inside: '330212014027001',
    outside: '330212014028',
    territory: [200, 403],
    users: 403,
    audit: 403,
    orgs: 200,
    writeHouse: 403,
    events: 200,
    stats: 200,
  },
  {
    user: 'grid-jc-001',
    inside: '330212014027001',
    outside: '330212014027002',
    territory: [200, 403],
    users: 403,
    audit: 403,
    orgs: 200,
    writeHouse: 403,
    events: 200,
    stats: 403,
  },
  {
    user: 'chengguan',
    inside: '330212014027',
    outside: '530102',
    territory: [200, 403],
    users: 403,
    audit: 403,
    orgs: 200,
    writeHouse: 403,
    events: 200,
    stats: 403,
  },
  {
    user: 'jc-resident',
    inside: '330212014027',
    outside: '530102',
    territory: [403, 403],
    users: 403,
    audit: 403,
    orgs: 403,
    writeHouse: 403,
    events: 200,
    stats: 403,
  },
  {
    user: 'jc-volunteer',
    inside: '330212014027',
    outside: '530102',
    territory: [403, 403],
    users: 403,
    audit: 403,
    orgs: 403,
    writeHouse: 403,
    events: 403,
    stats: 403,
  },
];

describe.each(ENGINES)('authorization matrix on %s', (engine) => {
  let t: TestApp;
  const clients = new Map<string, Client>();
  let house: { code: string; version: number };
  beforeAll(async () => {
    t = await createTestApp(engine);
    for (const u of new Set(MATRIX.map((r) => r.user))) clients.set(u, await t.login(u));
    const row = await t.ctx.db
      .selectFrom('house')
      .select(['code', 'version'])
      .where('code', 'like', '330212014027%')
      .orderBy('code')
      .executeTakeFirstOrThrow();
    house = { code: row.code, version: row.version };
  });
  afterAll(async () => t?.close());

  it.each(MATRIX.map((r) => [`${r.user} ${r.inside}/${r.outside}`, r] as const))('%s', async (_name, row) => {
    const c = clients.get(row.user)!;
    const got = {
      territory: [(await c.get(`/api/territory/${row.inside}`)).statusCode, (await c.get(`/api/territory/${row.outside}`)).statusCode],
      children: (await c.get(`/api/territory/${row.outside}/children`)).statusCode,
      users: (await c.get('/api/users')).statusCode,
      audit: (await c.get('/api/audit')).statusCode,
      orgs: (await c.get('/api/orgs')).statusCode,
    };
    expect(got.territory).toEqual(row.territory);
    expect(got.children).toBe(row.territory[1]);
    expect(got.users).toBe(row.users);
    expect(got.audit).toBe(row.audit);
    expect(got.orgs).toBe(row.orgs);
    const current = await t.ctx.db.selectFrom('house').select('version').where('code', '=', house.code).executeTakeFirstOrThrow();
    const write = await c.patch(`/api/territory/houses/${house.code}`, { version: current.version, use: 'self' });
    expect(write.statusCode).toBe(row.writeHouse);
    expect((await c.get('/api/events')).statusCode).toBe(row.events);
    expect((await c.get(`/api/events/stats?scope=${row.inside}`)).statusCode).toBe(row.stats);
    expect((await c.get(`/api/events/stats?scope=${row.outside}`)).statusCode).toBe(403);
  });

  it('a district administrator sees only organisations of their district', async () => {
    const items = (await clients.get('yinzhou')!.get('/api/orgs')).json().items as { districtCode: string }[];
    expect(items.length).toBeGreaterThan(5);
    expect(new Set(items.map((o) => o.districtCode))).toEqual(new Set(['330212']));
    const wuhua = (await clients.get('wuhua')!.get('/api/orgs')).json().items as { districtCode: string }[];
    expect(new Set(wuhua.map((o) => o.districtCode))).toEqual(new Set(['530102']));
  });

  it('a department bound to an organisation reaches its own organisation and district', async () => {
    const items = (await clients.get('chengguan')!.get('/api/orgs?kind=department')).json().items as { name: string }[];
    expect(items.some((o) => o.name.includes('综合行政执法局'))).toBe(true);
  });
});
