import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, ENGINES, type TestApp } from '../../test/harness.ts';
import { openDatabase, type Database } from '../../db/connection.ts';
import { openLiveBus, type LiveBus } from '../live.ts';
import { SessionCache, sessionCacheOf, SESSION_TOPIC } from './session-cache.ts';

/** A live bus driven by hand: `send` delivers a message, `reconnect` is what a re-LISTEN does. */
function fakeBus() {
  const subs = new Map<string, Set<() => void>>();
  const bus: LiveBus & { send(topic: string, key: string): void; reconnect(): void; count(): number } = {
    subscribe(topic, key, fn) {
      const k = `${topic}/${key}`;
      if (!subs.has(k)) subs.set(k, new Set());
      subs.get(k)!.add(fn);
      return () => {
        subs.get(k)?.delete(fn);
        if (!subs.get(k)?.size) subs.delete(k);
      };
    },
    received: 0,
    close: async () => {},
    send: (topic, key) => [...(subs.get(`${topic}/${key}`) ?? [])].forEach((f) => f()),
    reconnect: () => [...subs.values()].flatMap((s) => [...s]).forEach((f) => f()),
    count: () => subs.size,
  };
  return bus;
}

describe('the session cache', () => {
  it('serves an entry until its time is up, then asks again', () => {
    const c = new SessionCache<string>(fakeBus(), 1000);
    c.put('s1', 'u1', 'row', 0, c.epoch);
    const t0 = Date.now();
    expect(c.get('s1', t0 + 500)?.row).toBe('row');
    expect(c.get('s1', t0 + 1500)).toBeUndefined();
    expect(c.size).toBe(0);
  });

  it('drops every session of a user when the bus announces a change to that user, and only theirs', () => {
    const bus = fakeBus();
    const c = new SessionCache<string>(bus);
    c.put('a1', 'ua', 'A1', 0, c.epoch);
    c.put('a2', 'ua', 'A2', 0, c.epoch);
    c.put('b1', 'ub', 'B1', 0, c.epoch);
    expect(bus.count()).toBe(2);
    bus.send(SESSION_TOPIC, 'ua');
    expect(c.get('a1')).toBeUndefined();
    expect(c.get('a2')).toBeUndefined();
    expect(c.get('b1')?.row).toBe('B1');
    // No subscription is left behind for a user with nothing cached.
    expect(bus.count()).toBe(1);
  });

  it('drops everything when the bus reconnects (announcements may have been missed)', () => {
    const bus = fakeBus();
    const c = new SessionCache<string>(bus);
    c.put('a1', 'ua', 'A1', 0, c.epoch);
    c.put('b1', 'ub', 'B1', 0, c.epoch);
    bus.reconnect();
    expect(c.size).toBe(0);
    expect(bus.count()).toBe(0);
  });

  it('does not store a lookup that began before a drop: a read racing a sign-out cannot bring it back', () => {
    const c = new SessionCache<string>(fakeBus());
    const epoch = c.epoch; // the lookup starts
    c.forgetUser('ua'); // a sign-out commits meanwhile
    c.put('a1', 'ua', 'stale', 0, epoch); // the lookup returns the row it read before
    expect(c.get('a1')).toBeUndefined();
    c.put('a1', 'ua', 'fresh', 0, c.epoch);
    expect(c.get('a1')?.row).toBe('fresh');
  });
});

describe.each(ENGINES)('sessions served from the cache on %s', (engine) => {
  let t: TestApp;
  let bus: LiveBus;
  /** Another process on the same database (the CLI, a second instance); PGlite has only the one. */
  let other: Database | null = null;
  const otherDb = () => (other ?? t.database).db;
  beforeAll(async () => {
    t = await createTestApp(engine);
    bus = await openLiveBus(t.database, t.ctx.config.databaseUrl);
    t.ctx.live = bus;
    if (engine === 'postgres') other = await openDatabase({ databaseUrl: t.ctx.config.databaseUrl });
  });
  afterAll(async () => {
    await bus?.close();
    await other?.close();
    await t?.close();
  });

  /** Well inside the cache's 5 s lifetime: only the announcement can make these hold in time. */
  async function until(check: () => Promise<boolean>, ms = 2000) {
    const end = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  it('answers repeated requests without reading the session again', async () => {
    const cache = sessionCacheOf(t.ctx)!;
    const client = await t.login('jiangcheng');
    const hits = cache.hits;
    for (let i = 0; i < 5; i++) expect((await client.get('/api/me')).statusCode).toBe(200);
    expect(cache.hits - hits).toBeGreaterThanOrEqual(4);
  });

  it('refuses a signed-out cookie on the very next request', async () => {
    const client = await t.login('jiangcheng');
    expect((await client.get('/api/me')).statusCode).toBe(200);
    expect((await client.post('/api/auth/logout')).statusCode).toBe(204);
    expect((await client.get('/api/me')).statusCode).toBe(401);
  });

  it('ends the sessions of an account disabled or given a new password by an administrator at once', async () => {
    const admin = await t.login('yinzhou');
    const worker = await t.login('fuming');
    expect((await worker.get('/api/me')).statusCode).toBe(200);
    const id = (await admin.get('/api/users?q=fuming')).json().items[0].id as string;
    const version = (await admin.get(`/api/users/${id}`)).json().version as number;
    expect((await admin.patch(`/api/users/${id}`, { version, disabled: true })).statusCode).toBe(200);
    expect((await worker.get('/api/me')).statusCode).toBe(401);
  });

  it('follows changes made by another process: a deleted session, a removed role, a disabled account', async () => {
    const client = await t.login('jiangcheng');
    const me = (await client.get('/api/me')).json();
    expect(me.roles.length).toBeGreaterThan(0);
    const userId = me.user.id as string;
    const cache = sessionCacheOf(t.ctx)!;
    const hits = cache.hits;
    expect((await client.get('/api/me')).statusCode).toBe(200);
    expect(cache.hits).toBe(hits + 1);

    await sql`delete from role_binding where user_id = ${userId}`.execute(otherDb());
    await until(async () => (await client.get('/api/me')).json().roles.length === 0);

    await sql`update app_user set disabled = true where id = ${userId}`.execute(otherDb());
    await until(async () => (await client.get('/api/me')).statusCode === 401);

    await sql`update app_user set disabled = false where id = ${userId}`.execute(otherDb());
    const again = await t.login('jiangcheng');
    expect((await again.get('/api/me')).statusCode).toBe(200);
    await sql`delete from user_session where user_id = ${userId}`.execute(otherDb());
    await until(async () => (await again.get('/api/me')).statusCode === 401);
  });
});
