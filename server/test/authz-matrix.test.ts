import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ENGINES, type Client, type TestApp } from './harness.ts';

/**
 * The authorization matrix: each demo role against representative routes, inside and outside
 * its scope. 200 = allowed, 403 = refused (no permission or outside the scope).
 */
type Expect = 200 | 403 | 404;
interface Row {
  user: string;
  inside: string; // a territory code inside the user's scope
  outside: string; // a territory code outside it
  territory: [Expect, Expect]; // GET /api/territory/{inside}, /{outside}
  users: Expect; // GET /api/users
  audit: Expect; // GET /api/audit
  orgs: Expect; // GET /api/orgs
  writeHouse: Expect; // PATCH a house in 江城社区
  /** GET /api/registry/persons, GET the household of that house, POST reveal of a person living there. */
  registry: [Expect, Expect, Expect];
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
    registry: [403, 403, 403],
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
    registry: [403, 403, 403],
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
    registry: [403, 403, 403],
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
    registry: [200, 200, 200],
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
    registry: [200, 403, 404],
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
    registry: [200, 200, 200],
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
    registry: [200, 200, 200],
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
    registry: [200, 200, 200],
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
    registry: [200, 200, 200],
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
    registry: [403, 403, 403],
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
    registry: [403, 403, 403],
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
    registry: [403, 403, 403],
    events: 403,
    stats: 403,
  },
];

/**
 * Deliberation (issue 7): GET /api/deliberation/bodies, POST a round table in 江城社区, GET the
 * open lift vote of 江城花园3幢 (in grid 001), POST a topic in 江城社区. 404 = the record is outside the caller's reach.
 */
const DELIBERATION: [string, number, number, number, number][] = [
  ['sysadmin', 403, 403, 403, 403],
  ['secadmin', 403, 403, 403, 403],
  ['auditor', 403, 403, 403, 403],
  ['yinzhou', 200, 201, 200, 403],
  ['wuhua', 200, 403, 404, 403],
  ['fuming', 200, 201, 200, 403],
  ['jiangcheng', 200, 201, 200, 403],
  ['grid-jc-001', 200, 403, 200, 403],
  ['chengguan', 403, 403, 403, 403],
  ['jc-resident', 200, 403, 200, 201],
  ['jc-volunteer', 200, 403, 200, 201],
];

describe.each(ENGINES)('authorization matrix on %s', (engine) => {
  let t: TestApp;
  const clients = new Map<string, Client>();
  let house: { code: string; version: number };
  let resident: string;
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
    const p = await t.ctx.db.selectFrom('person').select('id').where('house_code', '=', row.code).orderBy('id').executeTakeFirstOrThrow();
    resident = p.id;
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
    const registry = [
      (await c.get('/api/registry/persons')).statusCode,
      (await c.get(`/api/registry/houses/${house.code}`)).statusCode,
      (await c.post(`/api/registry/persons/${resident}/reveal`, { reason: '权限矩阵测试' })).statusCode,
    ];
    expect(registry).toEqual(row.registry);
    expect((await c.get('/api/events')).statusCode).toBe(row.events);
    expect((await c.get(`/api/events/stats?scope=${row.inside}`)).statusCode).toBe(row.stats);
    expect((await c.get(`/api/events/stats?scope=${row.outside}`)).statusCode).toBe(403);
  });

  it('services: catalogue for residents and workers, the one window only for window workers, certificates only for issuers', async () => {
    const expectStatus: Record<string, [number, number, number]> = {
      // [GET catalogue of 江城社区, GET window lookup, POST certificate of an unknown person]
      jiangcheng: [200, 200, 404],
      'jc-resident': [200, 403, 403],
      'jc-volunteer': [200, 403, 403],
      // The grid worker's reach is the grid, but the account is linked (workforce archive) to a
      // registry person living in 江城社区, so it sees its own community's catalogue as a resident does.
      'grid-jc-001': [200, 403, 403],
      fuming: [200, 200, 403],
      yinzhou: [200, 200, 403],
      wuhua: [403, 200, 403],
      auditor: [403, 403, 403],
      chengguan: [403, 403, 403],
      sysadmin: [403, 403, 403],
    };
    for (const [user, want] of Object.entries(expectStatus)) {
      const c = clients.get(user)!;
      const got = [
        (await c.get('/api/services/catalogue?communityCode=330212014027')).statusCode,
        (await c.get('/api/services/window/lookup?q=13800000000')).statusCode,
        (
          await c.post('/api/certificates', {
            communityCode: '330212014027',
            personId: '00000000-0000-4000-8000-000000000000',
            typeKey: 'residence',
            purpose: '测试',
          })
        ).statusCode,
      ];
      expect(got, user).toEqual(want);
    }
  });

  it.each(DELIBERATION)('deliberation: %s', async (user, bodies, createBody, liftVote, raiseTopic) => {
    const c = clients.get(user) ?? (await t.login(user));
    clients.set(user, c);
    const vote = await t.ctx.db
      .selectFrom('delib_vote')
      .select('id')
      .where('place_code', '=', '330212014027001003')
      .where('status', '=', 'open')
      .executeTakeFirstOrThrow();
    expect((await c.get('/api/deliberation/bodies')).statusCode).toBe(bodies);
    expect(
      (await c.post('/api/deliberation/bodies', { placeCode: '330212014027', kind: 'round_table', name: '圆桌会议测试' })).statusCode,
    ).toBe(createBody);
    expect((await c.get(`/api/deliberation/votes/${vote.id}`)).statusCode).toBe(liftVote);
    expect(
      (await c.post('/api/deliberation/topics', { placeCode: '330212014027', title: '矩阵测试议题', body: '矩阵测试' })).statusCode,
    ).toBe(raiseTopic);
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

/**
 * The workforce block: worker archives, staffing of 福明街道, 鄞州区 pay schemes, recruitment plans.
 * (Which archives each user sees inside a 200 is tested in server/modules/workforce/archive.test.ts.)
 */
const WORKFORCE: [string, Expect, Expect, Expect, Expect][] = [
  // user, workers, staffing 330212014, pay 330212, recruitment plans
  ['sysadmin', 403, 403, 403, 403],
  ['secadmin', 403, 403, 403, 403],
  ['auditor', 403, 403, 403, 403],
  ['yinzhou', 200, 200, 200, 200],
  ['wuhua', 200, 403, 403, 200],
  ['fuming', 200, 200, 403, 200],
  ['jiangcheng', 200, 403, 403, 200],
  ['grid-jc-001', 200, 403, 403, 200],
  ['chengguan', 403, 403, 403, 403],
  ['jc-resident', 403, 403, 403, 403],
  ['jc-volunteer', 403, 403, 403, 403],
];

describe.each(ENGINES)('workforce authorization matrix on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => t?.close());

  it.each(WORKFORCE)('%s', async (user, workers, staffing, pay, plans) => {
    const c = await t.login(user);
    const got = [
      (await c.get('/api/workforce/workers')).statusCode,
      (await c.get('/api/workforce/staffing/330212014')).statusCode,
      (await c.get('/api/workforce/pay/schemes?districtCode=330212')).statusCode,
      (await c.get('/api/workforce/recruitment/plans')).statusCode,
    ];
    expect(got).toEqual([workers, staffing, pay, plans]);
  });
});
