import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ENGINES, type Client, type TestApp } from '../../test/harness.ts';
import { PAST_PROJECTS } from '../volunteering/demo.ts';
import { creditedHours } from '../volunteering/order-rules.ts';

/** The services measures (dashboard section) against the demo rows plus fresh ones, recounted here from the tables. */

const JC = '330212014027';
const FUMING = '330212014';
const day = (iso: string) => new Date(`${iso}T00:00:00+08:00`);
const ymd = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

/** Hours the demo seed confirms for its past projects (the times' date does not matter for the length). */
function demoHours() {
  const at = (hm: string) => new Date(`2026-01-01T${hm}:00+08:00`);
  return PAST_PROJECTS.flatMap((p) =>
    Object.values(p.volunteers).map(([i, o]) => creditedHours(at(i), at(o), at(p.from), at(p.to))),
  ).reduce((a, b) => a + b, 0);
}

describe.each(ENGINES)('services measures on %s', (engine) => {
  let t: TestApp;
  let worker: Client;
  let street: Client;
  let district: Client;
  let other: Client;
  let resident: Client;
  let volunteer: Client;
  beforeAll(async () => {
    t = await createTestApp(engine);
    [worker, street, district, other, resident, volunteer] = await Promise.all(
      ['jiangcheng', 'fuming', 'yinzhou', 'xinfengyuan', 'jc-resident', 'jc-volunteer'].map((u) => t.login(u)),
    );
    // Fresh rows beside the demo's: a confirmed volunteer project (hours and points), an order taken, an application done late.
    const start = new Date(Date.now() - 3 * 3600_000);
    const p = (
      await worker.post('/api/volunteer-projects', {
        communityCode: JC,
        title: '楼道清洁',
        startsAt: start.toISOString(),
        endsAt: new Date(Date.now() + 3600_000).toISOString(),
        slots: 5,
      })
    ).json();
    await volunteer.post(`/api/volunteer-projects/${p.id}/signup`);
    await volunteer.post(`/api/volunteer-projects/${p.id}/check-in`, { code: p.checkinCode });
    await t.ctx.db
      .updateTable('volunteer_signup')
      .set({ checked_in_at: new Date(Date.now() - 2.5 * 3600_000) })
      .where('project_id', '=', p.id)
      .execute();
    await volunteer.post(`/api/volunteer-projects/${p.id}/check-out`, { code: p.checkinCode });
    expect((await worker.post(`/api/volunteer-projects/${p.id}/confirm-hours`)).statusCode).toBe(200);
    const o = (await resident.post('/api/orders', { kind: 'buy_medicine', title: '帮忙买降压药', takeWithinHours: 4 })).json();
    expect((await volunteer.post(`/api/orders/${o.id}/take`)).statusCode).toBe(200);
    const cat = (await resident.get('/api/services/catalogue')).json();
    const item = cat.categories
      .flatMap((c: { items: { id: string; name: string }[] }) => c.items)
      .find((i: { name: string }) => i.name === '失业登记');
    const a = (await resident.post('/api/services/applications', { itemId: item.id, note: '测试' })).json();
    const s = (await worker.post(`/api/services/applications/${a.id}/actions`, { action: 'start', version: a.version })).json();
    const done = (await worker.post(`/api/services/applications/${a.id}/actions`, { action: 'complete', version: s.version })).json();
    const shop = (await volunteer.get('/api/points/shop')).json().items;
    const cheapest = shop.reduce((a: { cost: number }, b: { cost: number }) => (b.cost < a.cost ? b : a));
    expect((await volunteer.post(`/api/points/shop/${cheapest.id}/redeem`)).statusCode).toBe(200);
    // Finished after its due time: done, but not on time.
    await t.ctx.db
      .updateTable('service_application')
      .set({ due_at: new Date(Date.now() - 3600_000) })
      .where('id', '=', done.id)
      .execute();
  });
  afterAll(async () => t?.close());

  /** The figures for communities whose code starts with `prefix`, counted in JS from the rows. */
  async function recount(prefix: string, from: Date, to: Date) {
    const now = new Date();
    const inP = (d: Date | null) => d !== null && d >= from && d < to;
    const apps = (
      await t.ctx.db.selectFrom('service_application').select(['community_code', 'state', 'accepted_at', 'due_at', 'finished_at']).execute()
    ).filter((a) => a.community_code.startsWith(prefix) && inP(a.accepted_at));
    const closed = new Set(['done', 'refused', 'withdrawn']);
    const done = apps.filter((a) => a.state === 'done');
    const orders = (
      await t.ctx.db.selectFrom('help_order').select(['community_code', 'state', 'created_at', 'taken_at', 'escalated_at']).execute()
    ).filter((o) => o.community_code.startsWith(prefix) && inP(o.created_at));
    const signups = await t.ctx.db
      .selectFrom('volunteer_signup as s')
      .innerJoin('volunteer_project as p', 'p.id', 's.project_id')
      .select(['p.community_code', 's.hours', 's.confirmed_at'])
      .execute();
    const ledger = (await t.ctx.db.selectFrom('points_ledger').select(['community_code', 'delta', 'at']).execute()).filter(
      (l) => l.community_code.startsWith(prefix) && inP(l.at),
    );
    return {
      applications: {
        received: apps.length,
        done: done.length,
        refused: apps.filter((a) => a.state === 'refused').length,
        withdrawn: apps.filter((a) => a.state === 'withdrawn').length,
        open: apps.filter((a) => !closed.has(a.state)).length,
        overdue: apps.filter((a) => !closed.has(a.state) && a.due_at < now).length,
        onTimeRate: done.length ? Math.round((done.filter((a) => a.finished_at! <= a.due_at).length / done.length) * 10000) / 10000 : null,
      },
      orders: {
        posted: orders.length,
        taken: orders.filter((o) => o.taken_at).length,
        completed: orders.filter((o) => o.state === 'completed' || o.state === 'confirmed').length,
        escalated: orders.filter((o) => o.escalated_at).length,
      },
      volunteerHours: signups
        .filter((s) => s.community_code.startsWith(prefix) && inP(s.confirmed_at))
        .reduce((n, s) => n + Number(s.hours), 0),
      points: {
        issued: ledger.filter((l) => l.delta > 0).reduce((n, l) => n + l.delta, 0),
        spent: ledger.filter((l) => l.delta < 0).reduce((n, l) => n - l.delta, 0),
      },
    };
  }

  it('a community worker’s figures for their community match the rows', async () => {
    const from = '2025-01-01';
    const to = ymd(new Date(Date.now() + 2 * 86_400_000));
    const s = (await worker.get(`/api/services/stats?scope=${JC}&from=${from}&to=${to}`)).json();
    const expected = await recount(JC, day(from), day(to));
    expect({ applications: s.applications, orders: s.orders, volunteerHours: s.volunteerHours, points: s.points }).toEqual(expected);
    // The demo plus the fresh rows give something in every figure worth checking.
    expect(expected.applications.received).toBeGreaterThan(8);
    expect(expected.applications.refused).toBeGreaterThan(0);
    expect(expected.applications.overdue).toBeGreaterThan(0);
    expect(expected.applications.onTimeRate).toBeGreaterThan(0);
    expect(expected.applications.onTimeRate).toBeLessThan(1);
    expect(expected.orders.taken).toBeGreaterThan(1);
    // The demo's three past projects (derived from the seed's check-in/out times) plus the fresh 2.5 h.
    expect(expected.volunteerHours).toBe(demoHours() + 2.5);
    expect(demoHours()).toBeGreaterThan(0);
    expect(expected.points.issued).toBeGreaterThan(0);
    expect(expected.points.spent).toBeGreaterThan(0);
    expect(s.byArea).toHaveLength(1);
    expect(s.byArea[0]).toMatchObject({ code: JC, name: '江城社区', applications: s.applications });
  });

  it('rolls communities up to the street and the street up to the district; the period cuts the cohort', async () => {
    const s = (await street.get(`/api/services/stats?scope=${FUMING}`)).json();
    expect(s.byArea.map((a: { code: string }) => a.code)).toEqual([JC]);
    const d = (await district.get('/api/services/stats?scope=330212')).json();
    expect(d.byArea.map((a: { code: string }) => a.code)).toEqual([FUMING]);
    expect(d.byArea[0].name).toBe('福明街道');
    expect(d.applications).toEqual(s.applications);
    expect(d.points).toEqual(s.points);
    // Only the last two days: the demo's older applications and the ledger history fall out.
    const from = ymd(new Date(Date.now() - 2 * 86_400_000));
    const to = ymd(new Date(Date.now() + 86_400_000));
    const recent = (await district.get(`/api/services/stats?scope=330212&from=${from}&to=${to}`)).json();
    const expected = await recount('330212', day(from), day(to));
    expect(recent.applications).toEqual(expected.applications);
    expect(recent.points).toEqual(expected.points);
    expect(recent.applications.received).toBeLessThan(d.applications.received);
    const future = (await district.get('/api/services/stats?scope=330212&from=2030-01-01&to=2030-02-01')).json();
    expect(future.applications.received).toBe(0);
    expect(future.byArea).toEqual([]);
  });

  it('is scope-checked: a community worker sees only their community; residents not at all', async () => {
    expect((await worker.get(`/api/services/stats?scope=${FUMING}`)).statusCode).toBe(403);
    const neighbour = await t.ctx.db
      .selectFrom('division')
      .select('code')
      .where('parent_code', '=', FUMING)
      .where('code', '<>', JC)
      .executeTakeFirstOrThrow();
    expect((await worker.get(`/api/services/stats?scope=${neighbour.code}`)).statusCode).toBe(403);
    expect((await other.get(`/api/services/stats?scope=${JC}`)).statusCode).toBe(403);
    expect((await resident.get(`/api/services/stats?scope=${JC}`)).statusCode).toBe(403);
    expect((await street.get(`/api/services/stats?scope=${JC}&from=2026-05-01&to=2026-01-01`)).statusCode).toBe(400);
    // 新丰苑's worker sees their own community, with none of 江城's figures.
    const own = (await other.get('/api/services/stats?scope=320402002005')).json();
    expect(own.byArea.every((a: { code: string }) => a.code === '320402002005')).toBe(true);
  });
});
