import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ENGINES, type Client, type TestApp } from '../../test/harness.ts';

describe.each(ENGINES)('territory API on %s', (engine) => {
  let t: TestApp;
  let yinzhou: Client;
  let jiangcheng: Client;
  let grid: Client;
  beforeAll(async () => {
    t = await createTestApp(engine);
    [yinzhou, jiangcheng, grid] = await Promise.all([t.login('yinzhou'), t.login('jiangcheng'), t.login('grid-jc-001')]);
  });
  afterAll(async () => t?.close());

  it('resolves a community with its real name, level, parent and path', async () => {
    const res = await jiangcheng.get('/api/territory/330212014027');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      code: '330212014027',
      name: '江城社区',
      level: 'community',
      parentCode: '330212014',
    });
    expect(res.json().path.map((p: { name: string }) => p.name)).toEqual(['浙江省', '宁波市', '鄞州区', '福明街道', '江城社区']);
    expect(res.json().childCount).toBeGreaterThanOrEqual(4);
  });

  it('resolves every level down to a house, and each child lists under its parent', async () => {
    let code = '330212014027';
    const levels: string[] = [];
    for (let depth = 0; depth < 4; depth++) {
      const children = (await jiangcheng.get(`/api/territory/${code}/children`)).json().items;
      expect(children.length).toBeGreaterThan(0);
      for (const c of children) expect(c.parentCode).toBe(code);
      code = children[0].code;
      const node = (await jiangcheng.get(`/api/territory/${code}`)).json();
      levels.push(node.level);
      expect(node.path.at(-1).code).toBe(code);
    }
    expect(levels).toEqual(['grid', 'building', 'unit', 'house']);
    expect(code).toMatch(/^330212014027\d{12}$/);
  });

  it('numbers grids west to east with 15-digit codes', async () => {
    const grids = (await jiangcheng.get('/api/territory/330212014027/children')).json().items;
    expect(grids.map((g: { code: string }) => g.code)[0]).toBe('330212014027001');
    for (const g of grids) expect(g.code).toMatch(/^330212014027\d{3}$/);
  });

  it('answers 400 for a malformed code and 404 for an unknown one, with a message', async () => {
    for (const bad of ['abc', '33021', '3302120140271', '330212014027-01']) {
      const res = await yinzhou.get(`/api/territory/${encodeURIComponent(bad)}`);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().error.code).toBe('INVALID_CODE');
      expect(res.json().error.message).toBeTruthy();
    }
    const missing = await yinzhou.get('/api/territory/330212014999');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('TERRITORY_NOT_FOUND');
    expect((await yinzhou.get('/api/territory/330212014027999/children')).statusCode).toBe(404);
  });

  it('keeps callers inside their scope', async () => {
    expect((await jiangcheng.get('/api/territory/530102')).statusCode).toBe(403);
    expect((await jiangcheng.get('/api/territory/330212014')).statusCode).toBe(403);
    expect((await grid.get('/api/territory/330212014027002')).statusCode).toBe(403);
    expect((await grid.get('/api/territory/330212014027001')).statusCode).toBe(200);
    expect((await yinzhou.get('/api/territory/330212014027001')).statusCode).toBe(200);
    const roots = (await jiangcheng.get('/api/territory/roots')).json().items;
    expect(roots.map((r: { code: string }) => r.code)).toEqual(['330212014027']);
  });

  it('lists the streets of a district and resolves province codes in short and long form', async () => {
    const streets = (await yinzhou.get('/api/territory/330212/children')).json().items;
    expect(streets.find((s: { code: string }) => s.code === '330212014').name).toBe('福明街道');
    const sys = await t.login('sysadmin');
    expect((await sys.get('/api/territory/33')).json()).toMatchObject({ code: '330000', name: '浙江省', level: 'province' });
    expect((await sys.get('/api/territory/roots')).json().items.length).toBeGreaterThanOrEqual(31);
  });

  it('searches by name and by code prefix inside the scope only', async () => {
    const byName = (await jiangcheng.get(`/api/territory/search?q=${encodeURIComponent('网格')}`)).json().items;
    expect(byName.length).toBeGreaterThan(0);
    for (const n of byName) expect(n.code.startsWith('330212014027')).toBe(true);
    const byCode = (await yinzhou.get('/api/territory/search?q=330212014027')).json().items;
    expect(byCode[0].code).toBe('330212014027');
    const outside = (await jiangcheng.get(`/api/territory/search?q=${encodeURIComponent('华山')}`)).json().items;
    expect(outside).toEqual([]);
  });

  it('shows a building as floors × rooms', async () => {
    const building = (await jiangcheng.get('/api/territory/330212014027001/children')).json().items[0];
    const layout = (await jiangcheng.get(`/api/territory/${building.code}/layout`)).json();
    expect(layout.building.code).toBe(building.code);
    expect(layout.units.length).toBeGreaterThan(0);
    const floors = layout.units[0].floors.map((f: { floor: number }) => f.floor);
    expect(floors[0]).toBe(layout.building.floors);
    expect(floors).toEqual([...floors].sort((a: number, b: number) => b - a));
    const house = layout.units[0].floors[0].houses[0];
    expect(house.code).toMatch(/^\d{24}$/);
    expect(['self', 'rented', 'vacant', 'business']).toContain(house.use);
    expect((await jiangcheng.get('/api/territory/330212014027/layout')).statusCode).toBe(400);
  });

  it('counts a subtree', async () => {
    const stats = (await yinzhou.get('/api/territory/330212014027/stats')).json();
    expect(stats.grids).toBeGreaterThanOrEqual(4);
    expect(stats.houses).toBeGreaterThan(stats.buildings);
  });

  it('counts a district as the sum of its streets, and names every level on a house breadcrumb', async () => {
    const district = (await yinzhou.get('/api/territory/330212/stats')).json();
    const streets = (await yinzhou.get('/api/territory/330212/children')).json().items as { code: string }[];
    const perStreet = await Promise.all(streets.map(async (s) => (await yinzhou.get(`/api/territory/${s.code}/stats`)).json()));
    for (const key of ['communities', 'grids', 'buildings', 'houses'] as const) {
      expect(district[key]).toBe(perStreet.reduce((sum, s) => sum + s[key], 0));
    }
    expect(district.houses).toBeGreaterThan(0);

    const building = (await yinzhou.get('/api/territory/330212014027001/children')).json().items[0];
    const house = (await yinzhou.get(`/api/territory/${building.code}/layout`)).json().units[0].floors[0].houses[0];
    const node = (await yinzhou.get(`/api/territory/${house.code}`)).json();
    expect(node.path.map((p: { level: string }) => p.level)).toEqual([
      'province',
      'city',
      'district',
      'street',
      'community',
      'grid',
      'building',
      'unit',
      'house',
    ]);
    expect(node.path[5].name).toMatch(/网格/);
    expect(node.path[6].name).toBe(building.name);
    expect(node.path.every((p: { code: string; name: string }) => p.name !== p.code)).toBe(true);
    // Twice: the second read comes partly from the cache of division names and must say the same.
    expect((await yinzhou.get(`/api/territory/${house.code}`)).json().path).toEqual(node.path);
  });

  it('updates a house with its version and refuses a stale version with 409', async () => {
    const building = (await yinzhou.get('/api/territory/330212014027001/children')).json().items[0];
    const house = (await yinzhou.get(`/api/territory/${building.code}/layout`)).json().units[0].floors[0].houses[0];
    const first = await yinzhou.patch(`/api/territory/houses/${house.code}`, { version: house.version, use: 'rented', area: 88.5 });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ use: 'rented', area: 88.5, version: house.version + 1 });
    const stale = await yinzhou.patch(`/api/territory/houses/${house.code}`, { version: house.version, use: 'vacant' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('VERSION_CONFLICT');
    expect((await yinzhou.get(`/api/territory/houses/${house.code}`)).json().use).toBe('rented');
    // A community worker may read but not change houses.
    expect((await jiangcheng.patch(`/api/territory/houses/${house.code}`, { version: house.version + 1, use: 'vacant' })).statusCode).toBe(
      403,
    );
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'territory.house_update')
      .where('target_id', '=', house.code)
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('lets a district administrator add a grid and a building, numbering them in turn', async () => {
    const before = (await yinzhou.get('/api/territory/330212014027/children')).json().items as { code: string }[];
    const [a, b] = await Promise.all([
      yinzhou.post('/api/territory/330212014027/grids', {}),
      yinzhou.post('/api/territory/330212014027/grids', { name: '江城社区滨江网格' }),
    ]);
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    const codes = [a.json().code, b.json().code].sort();
    const last = Number(before.at(-1)!.code.slice(12));
    expect(codes).toEqual([`330212014027${String(last + 1).padStart(3, '0')}`, `330212014027${String(last + 2).padStart(3, '0')}`]);
    expect([a.json().name, b.json().name]).toContain('江城社区滨江网格');

    const gridCode = codes[0];
    const created = await yinzhou.post(`/api/territory/${gridCode}/buildings`, {
      name: '18幢',
      floors: 6,
      unitsCount: 2,
      roomsPerFloor: 2,
      builtYear: 2003,
      address: '宁波市鄞州区福明路18号',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ code: `${gridCode}001`, name: '18幢', level: 'building' });
    const layout = (await jiangcheng.get(`/api/territory/${gridCode}001/layout`)).json();
    expect(layout.building).toMatchObject({ floors: 6, hasLift: false, builtYear: 2003 });
    expect(layout.units.map((u: { name: string }) => u.name)).toEqual(['1单元', '2单元']);
    expect(layout.units[0].floors.map((f: { floor: number }) => f.floor)).toEqual([6, 5, 4, 3, 2, 1]);
    expect(layout.units[1].floors[0].houses.map((h: { roomLabel: string }) => h.roomLabel)).toEqual(['601', '602']);
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', 'in', [...codes, `${gridCode}001`])
      .execute();
    expect(audit.map((x) => x.action).sort()).toEqual(['territory.building_create', 'territory.grid_create', 'territory.grid_create']);
  });

  it('renames a grid with its version and refuses a stale one', async () => {
    const grid = (await yinzhou.get('/api/territory/330212014027002')).json();
    expect(grid.version).toBeGreaterThanOrEqual(1);
    const renamed = await yinzhou.patch('/api/territory/grids/330212014027002', { name: '江城社区福明路网格', version: grid.version });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ name: '江城社区福明路网格', version: grid.version + 1 });
    const stale = await yinzhou.patch('/api/territory/grids/330212014027002', { name: '又一个名字', version: grid.version });
    expect(stale.statusCode).toBe(409);
    expect((await jiangcheng.get('/api/territory/330212014')).statusCode).toBe(403);
    expect((await yinzhou.get('/api/territory/330212014')).json().version).toBeNull();
  });

  it('refuses to add places outside the scope, without the permission, or with bad sizes', async () => {
    const wuhua = await t.login('wuhua');
    expect((await wuhua.post('/api/territory/330212014027/grids', {})).statusCode).toBe(403);
    expect((await jiangcheng.post('/api/territory/330212014027/grids', {})).statusCode).toBe(403);
    expect((await yinzhou.post('/api/territory/330212014/grids', {})).json().error.code).toBe('INVALID_CODE');
    expect(
      (await yinzhou.post('/api/territory/330212014027001/buildings', { name: 'x', floors: 120, unitsCount: 1, roomsPerFloor: 2 }))
        .statusCode,
    ).toBe(400);
    expect(
      (await yinzhou.post('/api/territory/330212014027999/buildings', { name: 'x', floors: 5, unitsCount: 1, roomsPerFloor: 2 }))
        .statusCode,
    ).toBe(404);
  });
});
