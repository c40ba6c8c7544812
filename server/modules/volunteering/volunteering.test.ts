import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, ENGINES, phoneOfAccount, type Client, type TestApp } from '../../test/harness.ts';
import { hashPassword } from '../../core/passwords.ts';
import { TEST_PASSWORD } from '../../test/constants.ts';
import { escalateOverdueOrders } from './orders.ts';
import { verifyPointsLedger } from './ledger.ts';

/** Help orders, points and the people who serve, through the API as resident, volunteer, party member and worker. */

describe.each(ENGINES)('volunteering on %s', (engine) => {
  let t: TestApp;
  let resident: Client;
  let volunteer: Client;
  let party: Client;
  let worker: Client;
  beforeAll(async () => {
    t = await createTestApp(engine);
    // jc-party is the demo's party-member account (李建华, a registered 自管党员 of 江城社区).
    [resident, volunteer, party, worker] = await Promise.all(
      ['jc-resident', 'jc-volunteer', 'jc-party', 'jiangcheng'].map((n) => t.login(n)),
    );
  });
  afterAll(async () => t?.close());

  it('a resident posts, two takers race, exactly one wins; completion, confirmation, rating and points', async () => {
    const before = (await volunteer.get('/api/points/me')).json().balance;
    const o = await resident.post('/api/orders', {
      kind: 'buy_medicine',
      title: '帮忙买感冒药',
      description: '连花清瘟一盒',
      idempotencyKey: 'order-test-0001',
    });
    expect(o.statusCode).toBe(201);
    const order = o.json();
    expect(
      (await resident.post('/api/orders', { kind: 'buy_medicine', title: '帮忙买感冒药', idempotencyKey: 'order-test-0001' })).json().id,
    ).toBe(order.id);
    const board = (await volunteer.get('/api/orders')).json().items;
    expect(board.find((x: { id: string }) => x.id === order.id)?.actions).toContain('take');
    // The resident holds no order.take permission.
    expect((await resident.post(`/api/orders/${order.id}/take`)).statusCode).toBe(403);

    const results = await Promise.all([volunteer.post(`/api/orders/${order.id}/take`), party.post(`/api/orders/${order.id}/take`)]);
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([200, 409]);
    const loser = results.find((r) => r.statusCode === 409)!;
    expect(loser.json().error.code).toBe('ORDER_ALREADY_TAKEN');
    expect(loser.json().error.message).toContain('已被其他人接单');
    const winner = results.find((r) => r.statusCode === 200)!.json();
    const takerClient = winner.takerKind === 'volunteer' ? volunteer : party;
    const otherClient = takerClient === volunteer ? party : volunteer;
    expect((await otherClient.post(`/api/orders/${order.id}/complete`, { version: winner.version })).statusCode).toBe(403);
    const completed = (await takerClient.post(`/api/orders/${order.id}/complete`, { version: winner.version, note: '药已送到' })).json();
    expect(completed.state).toBe('completed');
    expect((await resident.post(`/api/orders/${order.id}/confirm`, { version: completed.version })).statusCode).toBe(400);
    const confirmed = (
      await resident.post(`/api/orders/${order.id}/confirm`, { version: completed.version, rating: 5, comment: '很及时' })
    ).json();
    expect(confirmed.state).toBe('confirmed');
    expect(confirmed.rating).toBe(5);
    if (takerClient === volunteer) expect((await volunteer.get('/api/points/me')).json().balance).toBe(before + 10);
    else expect((await party.get('/api/points/me')).json().history[0]).toMatchObject({ delta: 10, reason: 'help_order' });
  });

  it('an order nobody takes in time goes to the community worker', async () => {
    const o = (await resident.post('/api/orders', { kind: 'wish', title: '想要一本大字版字典', takeWithinHours: 1 })).json();
    expect(await escalateOverdueOrders(t.ctx, new Date(Date.now() + 2 * 3600_000))).toBeGreaterThanOrEqual(1);
    const after = (await worker.get(`/api/orders/${o.id}`)).json();
    expect(after.state).toBe('escalated');
    const notes = (await worker.get('/api/services/notifications')).json().items;
    expect(notes.some((n: { subjectId: string }) => n.subjectId === o.id)).toBe(true);
    expect((await worker.post(`/api/orders/${o.id}/take`)).json().takerKind).toBe('community_worker');
  });

  it('spends points in the shop: refused without balance, stock and balance move together', async () => {
    const shop = (await resident.get('/api/points/shop')).json().items;
    const rice = shop.find((i: { name: string }) => i.name === '大米5公斤');
    const me = (await resident.get('/api/points/me')).json();
    expect(me.balance).toBeLessThan(rice.cost);
    expect((await resident.post(`/api/points/shop/${rice.id}/redeem`)).json().error.code).toBe('POINTS_INSUFFICIENT');
    const cheap = shop.find((i: { name: string }) => i.name === '社区食堂餐券');
    const person = (await worker.get(`/api/services/window/lookup?q=${await phoneOfAccount(t, 'jc-resident')}`)).json().items[0].person;
    await worker.post('/api/points/awards', { personId: person.id, activity: '垃圾分类督导', times: 10 });
    const r = (await resident.post(`/api/points/shop/${cheap.id}/redeem`)).json();
    expect(r.stockLeft).toBe(cheap.stock - 1);
    expect((await resident.get('/api/points/me')).json().balance).toBe(me.balance + 20 - cheap.cost);
  });

  it('pairs warn after a month without a visit; projects credit hours after QR check-in/out', async () => {
    const pairs = (await worker.get('/api/volunteers/pairs')).json().items;
    expect(pairs.find((p: { personName: string }) => p.personName === '陈志强').needsVisit).toBe(true);
    expect(pairs.find((p: { personName: string }) => p.personName === '刘淑珍').needsVisit).toBe(false);
    const start = new Date(Date.now() - 3 * 3600_000);
    const p = (
      await worker.post('/api/volunteer-projects', {
        communityCode: '330212014027',
        title: '楼道清洁',
        startsAt: start.toISOString(),
        endsAt: new Date(Date.now() + 3600_000).toISOString(),
        slots: 5,
      })
    ).json();
    expect((await volunteer.post(`/api/volunteer-projects/${p.id}/signup`)).statusCode).toBe(201);
    expect((await volunteer.post(`/api/volunteer-projects/${p.id}/check-in`, { code: 'wrong' })).statusCode).toBe(400);
    await volunteer.post(`/api/volunteer-projects/${p.id}/check-in`, { code: p.checkinCode });
    await t.ctx.db
      .updateTable('volunteer_signup')
      .set({ checked_in_at: new Date(Date.now() - 2 * 3600_000) })
      .where('project_id', '=', p.id)
      .execute();
    await volunteer.post(`/api/volunteer-projects/${p.id}/check-out`, { code: p.checkinCode });
    const before = (await volunteer.get('/api/points/me')).json().balance;
    const c = (await worker.post(`/api/volunteer-projects/${p.id}/confirm-hours`)).json();
    expect(c.hours).toBe(2);
    expect((await volunteer.get('/api/points/me')).json().balance).toBe(before + 10);
  });

  it('a party member claims a post with a plan and logs the work; a second claim is refused', async () => {
    const posts = (await party.get('/api/party/posts')).json().items;
    const post = posts.find((p: { memberName: string | null }) => !p.memberName);
    expect(
      (await party.post(`/api/party/posts/${post.id}/claim`, { plan: '每周走访楼道住户一次', version: post.version })).statusCode,
    ).toBe(200);
    expect((await party.post(`/api/party/posts/${post.id}/claim`, { plan: '再次认领', version: post.version })).statusCode).toBe(409);
    expect((await volunteer.post(`/api/party/posts/${post.id}/claim`, { plan: '志愿者认领', version: post.version })).statusCode).toBe(403);
    expect((await party.post(`/api/party/posts/${post.id}/logs`, { doneOn: '2026-11-20', note: '走访1幢12户' })).statusCode).toBe(201);
  });

  it('双报到: a worker registers an in-service party member with a party organisation of the community; they see the order board', async () => {
    const db = t.ctx.db;
    // A login for 陈志强 (a resident of 江城社区, not yet registered anywhere as one who serves).
    const u = await db
      .insertInto('app_user')
      .values({ username: 'jc-chen', display_name: '陈志强', password_hash: await hashPassword(TEST_PASSWORD) })
      .returning('id')
      .executeTakeFirstOrThrow();
    const path = (await sql<{ p: string }>`select path::text as p from division where code = '330212014027'`.execute(db)).rows[0].p;
    await db
      .insertInto('role_binding')
      .values({ user_id: u.id, role: 'party_member', scope_type: 'territory', scope_code: '330212014027', scope_path: path })
      .execute();
    const person = await db
      .updateTable('person')
      .set({ user_id: u.id })
      .where('name', '=', '陈志强')
      .where('district_code', '=', '330212')
      .returning('id')
      .executeTakeFirstOrThrow();
    const chen = await t.login('jc-chen');
    const open = (c: Client) =>
      c.get('/api/orders').then((r) => r.json().items.filter((o: { state: string; actions: string[] }) => o.actions.includes('take')));
    expect(await open(chen)).toEqual([]);

    const orgs = (await worker.get('/api/orgs?kind=party&territoryCode=330212014027')).json().items;
    const communityParty = orgs.find((o: { level: string }) => o.level === 'community_committee');
    expect(communityParty).toBeTruthy();
    const street = await db
      .selectFrom('org')
      .select('id')
      .where('kind', '=', 'party')
      .where('territory_code', '=', '330212014')
      .executeTakeFirstOrThrow();
    const body = { personId: person.id, kind: 'in_service', orgId: communityParty.id, workplace: '鄞州区教育局' };
    // Only volunteer managers register, and only residents of their own scope.
    expect((await resident.get('/api/party/members')).statusCode).toBe(403);
    expect((await party.post('/api/party/members', body)).statusCode).toBe(403);
    const other = await t.login('xinfengyuan');
    expect((await other.post('/api/party/members', body)).statusCode).toBe(404);
    const wrongOrg = await worker.post('/api/party/members', { ...body, orgId: street.id });
    expect(wrongOrg.statusCode).toBe(400);
    expect(JSON.stringify(wrongOrg.json())).toContain('所属党组织须为该居民所在社区的党组织');
    const r = await worker.post('/api/party/members', body);
    expect(r.statusCode).toBe(201);
    expect((await worker.post('/api/party/members', body)).statusCode).toBe(409);

    const members = (await worker.get('/api/party/members')).json().items;
    expect(members.find((m: { name: string }) => m.name === '陈志强')).toMatchObject({
      kind: 'in_service',
      orgName: communityParty.name,
      workplace: '鄞州区教育局',
      hasAccount: true,
      ordersTaken: 0,
    });
    expect(members.find((m: { name: string }) => m.name === '孙卫国')).toMatchObject({
      kind: 'in_service',
      workplace: '鄞州区城市管理局',
      orgName: '江城社区大党委',
    });
    expect((await other.get('/api/party/members')).json().items.map((m: { name: string }) => m.name)).not.toContain('陈志强');

    // Registered: the community's open orders are on their board, and they may take one.
    const board = await open(chen);
    expect(board.length).toBeGreaterThan(0);
    expect((await chen.post(`/api/orders/${board[0].id}/take`)).statusCode).toBe(200);
    const after = (await worker.get('/api/party/members')).json().items.find((m: { name: string }) => m.name === '陈志强');
    expect(after.ordersTaken).toBe(1);
  });

  it('the last item in stock goes to one redeemer; the next is refused with OUT_OF_STOCK and pays nothing', async () => {
    const added = await worker.post('/api/points/shop', { communityCode: '330212014027', name: '社区理发券', cost: 1, stock: 1 });
    expect(added.statusCode).toBe(201);
    const item = added.json();
    const person = (await worker.get(`/api/services/window/lookup?q=${await phoneOfAccount(t, 'jc-resident')}`)).json().items[0].person;
    await worker.post('/api/points/awards', { personId: person.id, activity: '楼道清洁', times: 1 });
    const balances = async () => Promise.all([resident, volunteer].map(async (c) => (await c.get('/api/points/me')).json().balance));
    const before = await balances();
    expect(Math.min(...before)).toBeGreaterThanOrEqual(item.cost);
    const entries = async () => (await verifyPointsLedger(t.ctx.db, '330212')).checked;
    const ledgerBefore = await entries();
    // Two residents race for the one left: exactly one gets it.
    const results = await Promise.all([resident, volunteer].map((c) => c.post(`/api/points/shop/${item.id}/redeem`)));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const winner = results.findIndex((r) => r.statusCode === 200);
    const loser = results[1 - winner];
    expect(loser.json().error.code).toBe('OUT_OF_STOCK');
    expect(loser.json().error.message).toContain('库存不足');
    expect(results[winner].json()).toMatchObject({ stockLeft: 0, cost: 1, balance: before[winner] - 1 });
    // Another try is refused the same way; only the winner paid, with one ledger entry.
    expect((await resident.post(`/api/points/shop/${item.id}/redeem`)).json().error.code).toBe('OUT_OF_STOCK');
    const after = await balances();
    expect(after[winner]).toBe(before[winner] - 1);
    expect(after[1 - winner]).toBe(before[1 - winner]);
    expect(await entries()).toBe(ledgerBefore + 1);
    const shop = (await resident.get('/api/points/shop')).json().items;
    expect(shop.find((i: { id: string }) => i.id === item.id).stock).toBe(0);
  });

  it("a community's earning rules: read, changed, applied to the next award, and only in the manager's communities", async () => {
    const JC = '330212014027';
    const rules = await worker.get(`/api/points/rules/${JC}`);
    expect(rules.statusCode).toBe(200);
    expect(rules.json().rules).toEqual({ help_order: 10, volunteer_hour: 5, participation: 2 });
    const set = await worker.put(`/api/points/rules/${JC}`, { participation: 7 });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().rules).toEqual({ help_order: 10, volunteer_hour: 5, participation: 7 });
    const person = (await worker.get(`/api/services/window/lookup?q=${await phoneOfAccount(t, 'jc-resident')}`)).json().items[0].person;
    const award = await worker.post('/api/points/awards', { personId: person.id, activity: '垃圾分类宣传', times: 2 });
    expect(award.json().delta).toBe(14);
    expect((await worker.put(`/api/points/rules/${JC}`, { participation: -1 })).statusCode).toBe(400);
    expect((await worker.put(`/api/points/rules/${JC}`, { bonus: 5 })).statusCode).toBe(400);
    expect((await resident.get(`/api/points/rules/${JC}`)).statusCode).toBe(403);
    const elsewhere = await t.login('xinfengyuan');
    expect((await elsewhere.put(`/api/points/rules/${JC}`, { participation: 1 })).json().error.code).toBe('OUT_OF_SCOPE');
    await worker.put(`/api/points/rules/${JC}`, { participation: 2 });
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'points.rules.update')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit.details).toEqual({ rules: { participation: 2 } });
  });

  it('a shop item restocked and taken off the shelf: residents no longer see it, the manager does; stale versions refused', async () => {
    const JC = '330212014027';
    const item = (await worker.post('/api/points/shop', { communityCode: JC, name: '环保购物袋', cost: 5, stock: 0 })).json();
    const restocked = await worker.patch(`/api/points/shop/${item.id}`, { version: item.version, stock: 30 });
    expect(restocked.statusCode, restocked.body).toBe(200);
    expect(restocked.json()).toMatchObject({ stock: 30, active: true, version: item.version + 1 });
    const stale = await worker.patch(`/api/points/shop/${item.id}`, { version: item.version, active: false });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('VERSION_CONFLICT');
    const off = (await worker.patch(`/api/points/shop/${item.id}`, { version: item.version + 1, active: false })).json();
    expect(off).toMatchObject({ active: false, stock: 30 });
    const seenBy = async (c: Client) => ((await c.get('/api/points/shop')).json().items as { id: string }[]).some((i) => i.id === item.id);
    expect(await seenBy(resident)).toBe(false);
    expect(((await worker.get(`/api/points/shop?communityCode=${JC}`)).json().items as { id: string }[]).map((i) => i.id)).toContain(
      item.id,
    );
    expect((await resident.post(`/api/points/shop/${item.id}/redeem`)).json().error.code).toBe('NOT_FOUND');
    expect((await worker.patch(`/api/points/shop/${item.id}`, { version: off.version, active: true })).json().active).toBe(true);
    expect(await seenBy(resident)).toBe(true);
    // Not the resident's to change, and not another community's manager's (whether it exists is theirs to know).
    expect((await resident.patch(`/api/points/shop/${item.id}`, { version: off.version + 1, stock: 99 })).statusCode).toBe(403);
    const elsewhere = await t.login('xinfengyuan');
    expect((await elsewhere.patch(`/api/points/shop/${item.id}`, { version: off.version + 1, stock: 99 })).statusCode).toBe(404);
    expect((await worker.patch(`/api/points/shop/${item.id}`, { version: off.version + 1, stock: -1 })).statusCode).toBe(400);
  });

  it('a full volunteer project refuses the next sign-up (project_full) and keeps its count', async () => {
    const start = new Date(Date.now() + 2 * 86_400_000);
    const p = (
      await worker.post('/api/volunteer-projects', {
        communityCode: '330212014027',
        title: '助老理发',
        startsAt: start.toISOString(),
        endsAt: new Date(start.getTime() + 2 * 3600_000).toISOString(),
        slots: 1,
      })
    ).json();
    expect((await volunteer.post(`/api/volunteer-projects/${p.id}/signup`)).statusCode).toBe(201);
    const full = await party.post(`/api/volunteer-projects/${p.id}/signup`);
    expect(full.statusCode).toBe(409);
    expect(full.json().error).toMatchObject({ code: 'CONFLICT', details: { reason: 'project_full' } });
    // The one already signed up is not let in twice either.
    expect((await volunteer.post(`/api/volunteer-projects/${p.id}/signup`)).statusCode).toBe(409);
    const listed = (await worker.get('/api/volunteer-projects')).json().items.find((x: { id: string }) => x.id === p.id);
    expect(listed).toMatchObject({ slots: 1, signedUp: 1 });
  });

  it('ledger verification detects a changed amount, a deleted entry and a reordered pair', async () => {
    expect((await worker.get('/api/points/verify?districtCode=330212')).json().ok).toBe(true);
    expect((await resident.get('/api/points/verify')).statusCode).toBe(403);
    const db = t.ctx.db;
    const entry5 = db.updateTable('points_ledger').where('district_code', '=', '330212').where('seq', '=', 5);
    const row = await db
      .selectFrom('points_ledger')
      .selectAll()
      .where('district_code', '=', '330212')
      .where('seq', '=', 5)
      .executeTakeFirstOrThrow();
    // The database itself refuses the change (migration 0011)…
    await expect(entry5.set({ delta: row.delta + 100 }).execute()).rejects.toThrow(/append-only/);
    // …so tampering needs the guard off, as an attacker with database access would do; verify still catches it.
    await sql`alter table points_ledger disable trigger points_ledger_no_update`.execute(db);
    try {
      await entry5.set({ delta: row.delta + 100 }).execute();
      let r = await verifyPointsLedger(db, '330212');
      expect(r.ok).toBe(false);
      expect(r.districts[0].brokenAt).toBe(5);
      await entry5.set({ delta: row.delta }).execute();
      expect((await verifyPointsLedger(db, '330212')).ok).toBe(true);

      // Reorder: swap entries 3 and 4 (through a free number, the key is unique).
      const swap = async (a: number, b: number) => {
        await sql`update points_ledger set seq = -1 where district_code = '330212' and seq = ${a}`.execute(db);
        await sql`update points_ledger set seq = ${a} where district_code = '330212' and seq = ${b}`.execute(db);
        await sql`update points_ledger set seq = ${b} where district_code = '330212' and seq = -1`.execute(db);
      };
      await swap(3, 4);
      r = await verifyPointsLedger(db, '330212');
      expect(r.ok).toBe(false);
      expect(r.districts[0].brokenAt).toBe(3);
      await swap(3, 4);
      expect((await verifyPointsLedger(db, '330212')).ok).toBe(true);

      await db.deleteFrom('points_ledger').where('district_code', '=', '330212').where('seq', '=', 7).execute();
      r = await verifyPointsLedger(db, '330212');
      expect(r.ok).toBe(false);
      expect(r.districts[0].reason).toContain('missing');
    } finally {
      await sql`alter table points_ledger enable trigger points_ledger_no_update`.execute(db);
    }
    await expect(db.deleteFrom('points_ledger').where('district_code', '=', '330212').execute()).rejects.toThrow(/append-only/);
  });
});
