import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { ENGINES, createTestApp, type TestApp } from '../test/harness.ts';
import { openDatabase, type Database } from '../db/connection.ts';
import { buildApp } from '../app.ts';
import { sql } from 'kysely';
import { announce, announceSql, openLiveBus, parseLiveMessage, type LiveBus } from './live.ts';
import { notify } from '../modules/events/notify.ts';
import type { AppContext } from './context.ts';

/** Waits until `check` holds, polling every 10 ms; fails after `ms`. */
async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** An SSE client of /api/notifications/stream that records every unread count it is pushed. */
function openStream(url: string, cookie: string): Promise<{ counts: number[]; close(): void }> {
  return new Promise((resolve, reject) => {
    const counts: number[] = [];
    const req = http.get(url, { headers: { cookie, accept: 'text/event-stream' }, agent: false }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`stream answered ${res.statusCode}`));
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const frame = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const data = /^event: unread\ndata: (.*)$/m.exec(frame);
          if (data) counts.push((JSON.parse(data[1]) as { unread: number }).unread);
        }
      });
      resolve({ counts, close: () => req.destroy() });
    });
    req.on('error', (err) => {
      if ((err as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(err);
    });
  });
}

it('parses only well-formed messages', () => {
  expect(parseLiveMessage('{"topic":"inbox","keys":["a","b"]}')).toEqual({ topic: 'inbox', keys: ['a', 'b'] });
  expect(parseLiveMessage('{"topic":"inbox","keys":[1]}')).toBeNull();
  expect(parseLiveMessage('not json')).toBeNull();
  expect(parseLiveMessage(undefined)).toBeNull();
});

describe.each(ENGINES)('live updates (LISTEN/NOTIFY) on %s', (engine) => {
  let t: TestApp;
  let bus: LiveBus;
  beforeAll(async () => {
    t = await createTestApp(engine);
    bus = await openLiveBus(t.database, t.ctx.config.databaseUrl);
  });
  afterAll(async () => {
    await bus?.close();
    await t?.close();
  });

  it('delivers an announcement on commit, to the subscribers of its key only, and never on rollback', async () => {
    const got: string[] = [];
    const offA = bus.subscribe('inbox', 'user-a', () => got.push('a'));
    const offB = bus.subscribe('inbox', 'user-b', () => got.push('b'));
    const before = bus.received;
    await t.ctx.db
      .transaction()
      .execute(async (tx) => {
        await announce(tx, 'inbox', ['user-a']);
        throw new Error('roll back');
      })
      .catch(() => undefined);
    await t.ctx.db.transaction().execute(async (tx) => {
      await announce(tx, 'inbox', ['user-a', 'user-a']);
      // Not before the commit: the other instances would read a count that is not there yet.
      await new Promise((r) => setTimeout(r, 50));
      expect(got).toEqual([]);
    });
    await until(() => got.length > 0, 5000, 'the announcement');
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toEqual(['a']);
    expect(bus.received - before).toBe(1);
    offA();
    offB();
  });

  it('announces from inside a statement the keys a query yields, in messages of at most 100, on commit', async () => {
    const keys = Array.from({ length: 250 }, (_, i) => `10000000-0000-0000-0000-${String(i).padStart(12, '0')}`);
    const seen = new Set<string>();
    const offs = keys.map((k) => bus.subscribe('inbox', k, () => seen.add(k)));
    const before = bus.received;
    const r = await sql<{ messages: number }>`with an as (${announceSql(
      'inbox',
      sql`select k as key from unnest(${[...keys, ...keys.slice(0, 10)]}::text[]) as k`,
    )}) select messages from an`.execute(t.ctx.db);
    expect(Number(r.rows[0].messages)).toBe(3);
    await until(() => seen.size === keys.length, 5000, 'all 250 keys');
    expect(bus.received - before).toBe(3);
    offs.forEach((off) => off());
  });

  it('splits a long list of keys into messages that fit NOTIFY', async () => {
    const keys = Array.from({ length: 250 }, (_, i) => `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`);
    const seen = new Set<string>();
    const offs = keys.map((k) => bus.subscribe('inbox', k, () => seen.add(k)));
    await announce(t.ctx.db, 'inbox', keys);
    await until(() => seen.size === keys.length, 5000, 'all 250 keys');
    offs.forEach((off) => off());
  });
});

/**
 * Two app instances on one database: a notification written through instance A reaches a bell
 * (SSE stream) open on instance B at once, not at B's next poll (30 s with live updates on).
 * PGlite is one process per directory, so there the two "instances" are the same one.
 */
describe.each(ENGINES)('the notification stream across instances on %s', (engine) => {
  let t: TestApp;
  let second: { database: Database; app: FastifyInstance; ctx: AppContext } | null = null;
  let busA: LiveBus;
  let busB: LiveBus;
  let baseB: string;
  beforeAll(async () => {
    t = await createTestApp(engine);
    busA = await openLiveBus(t.database, t.ctx.config.databaseUrl);
    t.ctx.live = busA;
    let appB: FastifyInstance = t.app;
    busB = busA;
    if (engine === 'postgres') {
      const database = await openDatabase({ databaseUrl: t.ctx.config.databaseUrl });
      busB = await openLiveBus(database, t.ctx.config.databaseUrl);
      const ctx: AppContext = { ...t.ctx, db: database.db, live: busB };
      appB = await buildApp(ctx);
      second = { database, app: appB, ctx };
    }
    await appB.listen({ port: 0, host: '127.0.0.1' });
    const addr = appB.server.address();
    baseB = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  afterAll(async () => {
    if (second) {
      await second.app.close();
      await busB.close();
      await second.database.close();
    }
    await busA?.close();
    await t?.close();
  });

  it('pushes the new unread count to a stream on the other instance at once, long before its 30 s poll', async () => {
    const worker = await t.login('grid-jc-001');
    const user = await t.ctx.db.selectFrom('app_user').select('id').where('username', '=', 'grid-jc-001').executeTakeFirstOrThrow();
    const stream = await openStream(`${baseB}/api/notifications/stream`, worker.cookie!);
    try {
      await until(() => stream.counts.length === 1, 5000, 'the first count');
      const first = stream.counts[0];
      const started = Date.now();
      // Written through instance A's database handle, as a filing on A would.
      await t.ctx.db
        .transaction()
        .execute((tx) => notify(tx, [user.id], { districtCode: '330212', eventId: null, kind: 'test', title: '测试通知' }));
      await until(() => stream.counts.length === 2, 3000, 'the pushed count');
      expect(stream.counts[1]).toBe(first + 1);
      expect(Date.now() - started).toBeLessThan(3000);
      // Marking read on A clears the badge on B as well.
      const res = await worker.post('/api/notifications/read', {});
      expect(res.statusCode).toBe(200);
      await until(() => stream.counts.at(-1) === 0, 3000, 'the cleared badge');
    } finally {
      stream.close();
    }
  });
});
