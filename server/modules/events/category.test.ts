import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ENGINES, type Client, type TestApp } from '../../test/harness.ts';
import { openDatabase } from '../../db/connection.ts';
import { openLiveBus } from '../../core/live.ts';
import { cachedCategory } from './lookups.ts';
import { followCategoryChanges } from './category-admin.ts';

/** The category editor (issue 4 item 1) and the working-day calendar year. */
describe.each(ENGINES)('category editor on %s', (engine) => {
  let t: TestApp;
  let admin: Client;
  beforeAll(async () => {
    t = await createTestApp(engine);
    admin = await t.login('yinzhou');
  }, 180_000);
  afterAll(async () => t?.close());

  const body = {
    code: 'test-fly-wire',
    parentCode: null as string | null,
    name: '电动车飞线充电（测试）',
    closingLevel: 'community',
    acceptHours: 2,
    respondHours: 6,
    handleDays: 2,
    departments: ['law-enforcement'],
    photoRequired: true,
    anonymousAllowed: true,
    autoEscalate: false,
  };

  it('creates a category with its rules, audited; refuses a duplicate code, a bad parent and a non-configurer', async () => {
    const tree = (await admin.get('/api/events/categories/admin')).json();
    const top = tree.items.find((c: { parentCode: string | null }) => !c.parentCode);
    expect(tree.departments.length).toBeGreaterThan(0);
    const lead = tree.departments[0].key;
    const r = await admin.post('/api/events/categories', { ...body, parentCode: top.code, departments: [lead] });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({
      code: body.code,
      parentCode: top.code,
      acceptHours: 2,
      handleDays: 2,
      departments: [lead],
      active: true,
    });
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'target_id'])
      .where('action', '=', 'event.category_create')
      .execute();
    expect(audit.map((a) => a.target_id)).toContain(body.code);
    expect((await admin.post('/api/events/categories', { ...body, parentCode: top.code })).statusCode).toBe(409);
    expect((await admin.post('/api/events/categories', { ...body, code: 'test-x', parentCode: 'nope' })).statusCode).toBe(404);
    expect((await admin.post('/api/events/categories', { ...body, code: 'test-y', parentCode: body.code })).statusCode).toBe(400);
    const worker = await t.login('grid-jc-001');
    expect((await worker.post('/api/events/categories', { ...body, code: 'test-z' })).statusCode).toBe(403);
    expect((await worker.get('/api/events/categories/admin')).statusCode).toBe(403);
    // The new category is offered to reporters at once.
    const list = (await worker.get('/api/events/categories')).json();
    expect(list.items.map((c: { code: string }) => c.code)).toContain(body.code);
  });

  it('edits limits without moving deadlines already computed, and disables a category', async () => {
    const open = await t.ctx.db
      .selectFrom('event')
      .select(['id', 'category_code', 'due_at'])
      .where('stage', 'is not', null)
      .where('due_at', 'is not', null)
      .limit(1)
      .executeTakeFirstOrThrow();
    const cats = (await admin.get('/api/events/categories/admin')).json().items as { code: string; version: number; acceptHours: number }[];
    const cat = cats.find((c) => c.code === open.category_code)!;
    const r = await admin.patch(`/api/events/categories/${cat.code}`, {
      version: cat.version,
      acceptHours: cat.acceptHours + 5,
      handleDays: 9,
    });
    expect(r.statusCode).toBe(200);
    expect(r.json().acceptHours).toBe(cat.acceptHours + 5);
    const after = await t.ctx.db.selectFrom('event').select('due_at').where('id', '=', open.id).executeTakeFirstOrThrow();
    expect(after.due_at).toEqual(open.due_at);
    // Stale version refused; disable hides it from reporters but not from the editor.
    expect((await admin.patch(`/api/events/categories/${cat.code}`, { version: cat.version, handleDays: 3 })).statusCode).toBe(409);
    const mine = cats.find((c) => c.code === body.code)!;
    expect((await admin.patch(`/api/events/categories/${body.code}`, { version: mine.version, active: false })).statusCode).toBe(200);
    const worker = await t.login('grid-jc-001');
    expect((await worker.get('/api/events/categories')).json().items.map((c: { code: string }) => c.code)).not.toContain(body.code);
    const again = (await admin.get('/api/events/categories/admin')).json().items.find((c: { code: string }) => c.code === body.code);
    expect(again.active).toBe(false);
  });

  it('another app instance drops its cached tree when the edit commits (LISTEN/NOTIFY)', async () => {
    if (engine !== 'postgres') return; // PGlite is one process: the editing instance is the only one
    const database = await openDatabase({ databaseUrl: t.ctx.config.databaseUrl });
    const bus = await openLiveBus(database, t.ctx.config.databaseUrl);
    const stop = followCategoryChanges(bus, database.db);
    try {
      const before = await cachedCategory(database.db, body.code);
      const r = await admin.patch(`/api/events/categories/${body.code}`, { version: before!.version, respondHours: 17 });
      expect(r.statusCode).toBe(200);
      const started = Date.now();
      while ((await cachedCategory(database.db, body.code))!.respond_hours !== 17) {
        if (Date.now() - started > 10_000) throw new Error('the other instance still serves the old category');
        await new Promise((res) => setTimeout(res, 50));
      }
      expect(Date.now() - started).toBeLessThan(10_000); // the cache's own TTL is 30 s
    } finally {
      stop();
      await bus.close();
      await database.close();
    }
  });

  it('shows a year of the working-day calendar as deadlines use it', async () => {
    const y = (await admin.get('/api/events/calendar/2026')).json();
    expect(y.covered).toBe(true);
    expect(y.days).toHaveLength(365);
    const day = (d: string) => y.days.find((x: { day: string }) => x.day === d);
    expect(day('2026-10-01')).toMatchObject({ working: false, kind: 'holiday' });
    expect(day('2026-02-17')).toMatchObject({ working: false, kind: 'holiday' }); // Spring Festival
    const makeUp = y.days.filter((x: { kind: string; weekday: number }) => x.kind === 'workday');
    expect(makeUp.length).toBeGreaterThan(2);
    expect(makeUp.every((x: { working: boolean; weekday: number }) => x.working && (x.weekday === 0 || x.weekday === 6))).toBe(true);
    expect(y.workingDays).toBe(y.days.filter((x: { working: boolean }) => x.working).length);
    expect(y.workingDays).toBeGreaterThan(240);
    expect(y.workingDays).toBeLessThan(255);
  });
});
