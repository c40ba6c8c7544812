import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, ENGINES, type Client, type TestApp } from '../../test/harness.ts';
import { systemActor } from '../../core/context.ts';
import { verifyAuditChain } from '../../core/audit.ts';
import { makeIdNumber } from './id-number.ts';
import { ownersOf } from './service.ts';
import { findPersonByUserId } from './store.ts';
import { todayInShanghai } from './person-rules.ts';

/**
 * Persons and households walked through the API as the people who do it: the 江城社区 community
 * worker (jiangcheng), its grid worker (grid-jc-001), another community's worker (xinfengyuan),
 * a department officer (chengguan) and a resident.
 */
const JIANGCHENG = '330212014027';
const GRID1 = '330212014027001';

describe.each(ENGINES)('registry persons (%s)', (engine) => {
  let t: TestApp;
  let jc: Client;
  let grid: Client;
  let xfy: Client;
  let house1: string; // a self-occupied house in grid 001
  let house2: string; // a house in grid 002
  const idNumber = makeIdNumber('330212', '1958-04-12', 27); // male, 60+
  let personId: string;

  beforeAll(async () => {
    t = await createTestApp(engine);
    [jc, grid, xfy] = await Promise.all([t.login('jiangcheng'), t.login('grid-jc-001'), t.login('xinfengyuan')]);
    const h1 = await t.ctx.db
      .selectFrom('house')
      .select('code')
      .where('code', 'like', `${GRID1}%`)
      .where('use', '=', 'self')
      .orderBy('code')
      .executeTakeFirstOrThrow();
    const h2 = await t.ctx.db
      .selectFrom('house')
      .select('code')
      .where('code', 'like', `${JIANGCHENG}002%`)
      .orderBy('code')
      .executeTakeFirstOrThrow();
    house1 = h1.code;
    house2 = h2.code;
  });
  afterAll(async () => t?.close());

  it('the demo seeded residents with valid, encrypted personal data', async () => {
    const n = await t.ctx.db
      .selectFrom('person')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('community_code', '=', JIANGCHENG)
      .executeTakeFirstOrThrow();
    expect(n.n).toBeGreaterThan(1000);
    const sample = await t.ctx.db.selectFrom('person').select(['id_enc', 'phone_enc']).limit(5).execute();
    for (const s of sample) {
      expect(s.id_enc.startsWith('v1:')).toBe(true);
      expect(t.ctx.keyring.decrypt(s.id_enc)).toMatch(/^\d{17}[\dX]$/);
    }
    const resident = await t.ctx.db
      .selectFrom('person as p')
      .innerJoin('app_user as u', 'u.id', 'p.user_id')
      .select(['p.name', 'p.community_code'])
      .where('u.username', '=', 'jc-resident')
      .executeTakeFirstOrThrow();
    expect(resident.community_code).toBe(JIANGCHENG);
    expect(resident.name.startsWith('张')).toBe(true);
    const user = await t.ctx.db.selectFrom('app_user').select('id').where('username', '=', 'jc-resident').executeTakeFirstOrThrow();
    expect((await findPersonByUserId(t.ctx.db, user.id))?.name).toBe(resident.name);
  });

  it('refuses a bad ID number with the reason in Chinese, and registers a good one', async () => {
    const bad = idNumber.slice(0, 17) + (idNumber[17] === '1' ? '2' : '1');
    const r1 = await jc.post('/api/registry/persons', { placeCode: house1, name: '测试甲', idNumber: bad });
    expect(r1.statusCode).toBe(400);
    expect(r1.json().error.details.problems).toEqual([{ field: 'idNumber', reason: '身份证号校验位错误' }]);

    const r2 = await jc.post('/api/registry/persons', {
      placeCode: house1,
      name: '欧阳振华',
      idNumber,
      phone: '138 0574 1234',
      tags: ['独居', '残疾:二级'],
      relation: 'family',
      headRelation: '父母',
    });
    expect(r2.statusCode, r2.body).toBe(201);
    const p = r2.json();
    personId = p.id;
    expect(p.idMasked).toBe(`330212********${idNumber.slice(14)}`);
    expect(p.phoneMasked).toBe('138****1234');
    expect(p.gender).toBe('M');
    expect(p.ageTags).toContain('60岁以上');
    expect(p.tagDetails.find((x: { tag: string }) => x.tag === '残疾')).toMatchObject({ level: '二级', setBy: 'jiangcheng' });
    expect(p.houses).toHaveLength(1);
    expect(JSON.stringify(p)).not.toContain(idNumber);

    const dup = await jc.post('/api/registry/persons', { placeCode: house1, name: '欧阳振华', idNumber });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error).toMatchObject({ code: 'PERSON_EXISTS', details: { id: personId } });
  });

  it('finds people by exact ID, phone, name, pinyin initials and full pinyin, in pinyin order with keyset pages', async () => {
    const byId = await jc.get(`/api/registry/persons?q=${idNumber}`);
    expect(byId.json().items.map((x: { id: string }) => x.id)).toEqual([personId]);
    const byPhone = await jc.get('/api/registry/persons?q=13805741234');
    expect(byPhone.json().items.map((x: { id: string }) => x.id)).toContain(personId);
    const byName = await jc.get(`/api/registry/persons?q=${encodeURIComponent('欧阳')}`);
    expect(byName.json().items.map((x: { name: string }) => x.name)).toContain('欧阳振华');
    const byInitials = await jc.get('/api/registry/persons?q=oyzh');
    expect(byInitials.json().items.map((x: { name: string }) => x.name)).toContain('欧阳振华');
    const byPinyin = await jc.get('/api/registry/persons?q=ouyangz');
    expect(byPinyin.json().items.map((x: { name: string }) => x.name)).toContain('欧阳振华');
    const inside = await jc.get(`/api/registry/persons?q=${encodeURIComponent('阳振')}`);
    expect(inside.json().items.map((x: { name: string }) => x.name)).toContain('欧阳振华');

    // Pages: 3 pages of 5 by keyset never repeat a person and stay in pinyin order.
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 3; i++) {
      const res = await jc.get(`/api/registry/persons?q=w&limit=5${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      for (const item of body.items) {
        expect(seen).not.toContain(item.id);
        seen.push(item.id);
      }
      cursor = body.nextCursor;
      expect(cursor).not.toBeNull();
    }
    expect(seen).toHaveLength(15);
    expect((await jc.get('/api/registry/persons?cursor=garbage')).statusCode).toBe(400);
  });

  it('filters by tags, age and residency', async () => {
    const elderlyAlone = await jc.get(`/api/registry/persons?tags=${encodeURIComponent('独居')}&minAge=60&limit=50`);
    const items = elderlyAlone.json().items as { tags: string[]; age: number }[];
    expect(items.length).toBeGreaterThan(3);
    for (const i of items) {
      expect(i.tags).toContain('独居');
      expect(i.age).toBeGreaterThanOrEqual(60);
    }
    const minors = (await jc.get('/api/registry/persons?maxAge=17&limit=50')).json().items as { age: number; ageTags: string[] }[];
    expect(minors.length).toBeGreaterThan(0);
    for (const m of minors) expect(m.ageTags).toEqual(['未成年']);
    const migrants = (await jc.get('/api/registry/persons?residency=migrant&limit=50')).json().items as { residency: string }[];
    expect(migrants.length).toBeGreaterThan(0);
    expect(new Set(migrants.map((m) => m.residency))).toEqual(new Set(['migrant']));
  });

  it('a grid worker sees only their grid; another community cannot find the person even by exact ID', async () => {
    const all = (await grid.get('/api/registry/persons?limit=200')).json().items as { houseCode: string | null; communityCode: string }[];
    expect(all.length).toBeGreaterThan(10);
    for (const p of all) expect(p.houseCode?.startsWith(GRID1)).toBe(true);
    expect((await grid.get(`/api/registry/persons/${personId}`)).statusCode).toBe(200);
    const other = await t.ctx.db
      .selectFrom('person')
      .select('id')
      .where('house_code', 'like', `${JIANGCHENG}002%`)
      .executeTakeFirstOrThrow();
    expect((await grid.get(`/api/registry/persons/${other.id}`)).statusCode).toBe(404);

    const byId = await xfy.get(`/api/registry/persons?q=${idNumber}`);
    expect(byId.statusCode).toBe(200);
    expect(byId.json().items).toEqual([]);
    expect((await xfy.get(`/api/registry/persons/${personId}`)).statusCode).toBe(404);
    expect((await xfy.post(`/api/registry/persons/${personId}/reveal`, { reason: '核查' })).statusCode).toBe(404);
  });

  it('refuses departments and residents, and writes outside the scope', async () => {
    const cg = await t.login('chengguan');
    expect((await cg.get('/api/registry/persons')).statusCode).toBe(403);
    const res = await t.login('jc-resident');
    expect((await res.get('/api/registry/persons')).statusCode).toBe(403);
    const r = await grid.post('/api/registry/persons', {
      placeCode: house2,
      name: '测试乙',
      idNumber: makeIdNumber('330212', '1990-01-01', 11),
    });
    expect(r.statusCode).toBe(403);
    expect(r.json().error.code).toBe('OUT_OF_SCOPE');
  });

  it('reveals with a reason only, and audits every reveal', async () => {
    const noReason = await jc.post(`/api/registry/persons/${personId}/reveal`, { reason: '' });
    expect(noReason.statusCode).toBe(400);
    const ok = await jc.post(`/api/registry/persons/${personId}/reveal`, { reason: '入户走访核对身份' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ idNumber, phone: '13805741234', birthDate: '1958-04-12' });
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select(['actor_name', 'details', 'target_id'])
      .where('action', '=', 'registry.person.reveal')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor_name: 'jiangcheng', target_id: personId, details: { reason: '入户走访核对身份' } });
    expect(JSON.stringify(audit.details)).not.toContain(idNumber);
    expect((await verifyAuditChain(t.ctx.db)).ok).toBe(true);
  });

  it('updates with optimistic versions and keeps history with personal data masked', async () => {
    const before = (await jc.get(`/api/registry/persons/${personId}`)).json();
    const ok = await jc.patch(`/api/registry/persons/${personId}`, { version: before.version, phone: '13905749876', tags: ['独居'] });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().phoneMasked).toBe('139****9876');
    expect(ok.json().tags).toEqual(['独居']);
    const stale = await jc.patch(`/api/registry/persons/${personId}`, { version: before.version, ethnicity: '汉族' });
    expect(stale.statusCode).toBe(409);
    const hist = (await jc.get(`/api/registry/persons/${personId}/history`)).json().items;
    expect(hist[0]).toMatchObject({
      action: 'update',
      actorName: 'jiangcheng',
      before: { phone: '138****1234' },
      after: { phone: '139****9876' },
    });
    expect(hist.at(-1)).toMatchObject({ action: 'create' });
    expect(JSON.stringify(hist)).not.toContain('13905749876');
  });

  it('moves a person between houses and shows households over time', async () => {
    const detail = (await jc.get(`/api/registry/persons/${personId}`)).json();
    const link = detail.houses[0];
    const add = await jc.post(`/api/registry/persons/${personId}/houses`, { houseCode: house2, relation: 'tenant', headRelation: '户主' });
    expect(add.statusCode, add.body).toBe(201);
    const out = await jc.patch(`/api/registry/persons/${personId}/houses/${link.id}`, {
      version: link.version,
      moveOut: todayInShanghai(),
    });
    expect(out.statusCode, out.body).toBe(200);
    const now = (await jc.get(`/api/registry/persons/${personId}`)).json();
    expect(now.houseCode).toBe(house2);
    // The grid worker of grid 001 no longer sees them.
    expect((await grid.get(`/api/registry/persons/${personId}`)).statusCode).toBe(404);

    const h1 = (await jc.get(`/api/registry/houses/${house1}`)).json();
    expect(h1.members.map((m: { personId: string }) => m.personId)).not.toContain(personId);
    const h1past = (await jc.get(`/api/registry/houses/${house1}?past=true`)).json();
    expect(h1past.members.find((m: { personId: string }) => m.personId === personId)).toMatchObject({ moveOut: todayInShanghai() });
    const h2 = (await jc.get(`/api/registry/houses/${house2}`)).json();
    expect(h2.members.find((m: { personId: string }) => m.personId === personId)).toMatchObject({
      relation: 'tenant',
      headRelation: '户主',
    });
    expect((await xfy.get(`/api/registry/houses/${house2}`)).statusCode).toBe(403);
    const bad = await jc.patch(`/api/registry/persons/${personId}/houses/${link.id}`, {
      version: link.version,
      moveOut: todayInShanghai(),
    });
    expect(bad.statusCode).toBe(409);
  });

  it('shows a building as floors × rooms with occupancy, and rented houses lacking a tenant', async () => {
    const building = house1.slice(0, 18);
    const occ = (await jc.get(`/api/registry/buildings/${building}/occupancy`)).json();
    expect(occ.houses.length).toBeGreaterThan(4);
    expect(occ.houses.some((h: { residents: number }) => h.residents > 0)).toBe(true);
    const rented = (await jc.get(`/api/registry/rented-without-tenant?territoryCode=${JIANGCHENG}`)).json().items;
    expect(rented.length).toBeGreaterThan(0);
    for (const r of rented.slice(0, 5)) {
      const hh = (await jc.get(`/api/registry/houses/${r.code}`)).json();
      expect(hh.house.use).toBe('rented');
      expect(hh.members.filter((m: { relation: string }) => m.relation === 'tenant')).toEqual([]);
    }
  });

  it('ownersOf lists every house under a place with its area and current owners', async () => {
    const path = (
      await t.ctx.db
        .selectFrom('grid')
        .select(sql<string>`path::text`.as('p'))
        .where('code', '=', GRID1)
        .executeTakeFirstOrThrow()
    ).p;
    const owners = await ownersOf(t.ctx.db, systemActor(), path);
    const houses = await t.ctx.db.selectFrom('house').select('code').where('code', 'like', `${GRID1}%`).execute();
    expect(owners).toHaveLength(houses.length);
    const withOwners = owners.filter((o) => o.ownerIds.length > 0);
    expect(withOwners.length / owners.length).toBeGreaterThan(0.9);
    expect(owners.every((o) => o.area === null || o.area > 20)).toBe(true);
    // A street-level path is outside a community worker's reach.
    const gridActor = { ...systemActor(), scope: () => ({ all: false as const, territoryPaths: [path], orgPaths: [] }) };
    await expect(ownersOf(t.ctx.db, gridActor, path.split('.').slice(0, -2).join('.'))).rejects.toMatchObject({ code: 'OUT_OF_SCOPE' });
  });
});
