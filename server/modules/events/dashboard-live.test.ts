import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, ENGINES, type TestApp } from '../../test/harness.ts';
import { openLiveBus, type LiveBus } from '../../core/live.ts';

/** An SSE client that records the names of the events it is sent. */
function openStream(url: string, cookie: string): Promise<{ status: number; events: string[]; close(): void }> {
  return new Promise((resolve, reject) => {
    const events: string[] = [];
    const req = http.get(url, { headers: { cookie, accept: 'text/event-stream' }, agent: false }, (res) => {
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const name = /^event: (\w+)$/m.exec(buf.slice(0, i));
          buf = buf.slice(i + 2);
          if (name) events.push(name[1]);
        }
      });
      resolve({ status: res.statusCode ?? 0, events, close: () => req.destroy() });
    });
    req.on('error', (err) => {
      if ((err as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(err);
    });
  });
}

async function until(check: () => boolean, ms: number, what: string) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The command dashboard's live feed: a change to the events under its scope reaches it at once. */
describe.each(ENGINES)('the dashboard live feed on %s', (engine) => {
  let t: TestApp;
  let bus: LiveBus;
  let base: string;
  let cookie: (username: string) => Promise<string>;
  beforeAll(async () => {
    t = await createTestApp(engine);
    bus = await openLiveBus(t.database, t.ctx.config.databaseUrl);
    t.ctx.live = bus;
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const a = t.app.server.address();
    base = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
    cookie = async (username) => (await t.login(username)).cookie!;
  });
  afterAll(async () => {
    await bus?.close();
    await t?.close();
  });

  it('tells a district dashboard at once when one of its events changes, and not for another district', async () => {
    const stream = await openStream(`${base}/api/events/stats/stream?scope=330212`, await cookie('yinzhou'));
    try {
      expect(stream.status).toBe(200);
      await until(() => stream.events.includes('ready'), 3000, 'ready');
      const resident = await t.login('jc-resident');
      const filed = await resident.post('/api/events', {
        categoryCode: 'livelihood.noise',
        title: '大屏实时',
        placeCode: '330212014027001',
      });
      expect(filed.statusCode).toBe(201);
      await until(() => stream.events.includes('changed'), 3000, 'changed after a filing');
      // Past the throttle, a change in 天宁区 (another city) says nothing to 鄞州区's dashboard.
      await new Promise((r) => setTimeout(r, 2500));
      const before = stream.events.length;
      await sql`update event set title = title where district_code = '320402' and id in (select id from event where district_code = '320402' limit 1)`.execute(
        t.ctx.db,
      );
      await new Promise((r) => setTimeout(r, 800));
      expect(stream.events.length).toBe(before);
      // … while one in 鄞州区 made by hand (the ticker, a DBA) does.
      await sql`update event set title = title where district_code = '330212' and id in (select id from event where district_code = '330212' limit 1)`.execute(
        t.ctx.db,
      );
      await until(() => stream.events.length > before, 3000, 'changed after an update');
    } finally {
      stream.close();
    }
  });

  it('announces a filing batch once, after its commit: the district to dashboards, the inbox to the grid worker', async () => {
    const worker = await t.ctx.db.selectFrom('app_user').select('id').where('username', '=', 'grid-jc-001').executeTakeFirstOrThrow();
    let districtCalls = 0;
    let inboxCalls = 0;
    const offDistrict = bus.subscribe('events', '330212', () => districtCalls++);
    const offInbox = bus.subscribe('inbox', worker.id, () => inboxCalls++);
    try {
      const resident = await t.login('jc-resident');
      const filed = await resident.post('/api/events', {
        categoryCode: 'livelihood.noise',
        title: '提交后通知',
        placeCode: '330212014027001',
      });
      expect(filed.statusCode).toBe(201);
      await until(() => districtCalls > 0 && inboxCalls > 0, 3000, 'both announcements');
      await new Promise((r) => setTimeout(r, 500));
      // The batch statement told the event table's trigger that the app announces it: one message, not two.
      expect(districtCalls).toBe(1);
      expect(inboxCalls).toBe(1);
    } finally {
      offDistrict();
      offInbox();
    }
  });

  it("feeds a city's dashboard from its districts, and refuses a scope out of reach", async () => {
    const stream = await openStream(`${base}/api/events/stats/stream?scope=320400`, await cookie('changzhou'));
    try {
      await until(() => stream.events.includes('ready'), 3000, 'ready');
      await sql`update event set title = title where district_code = '320402' and id in (select id from event where district_code = '320402' limit 1)`.execute(
        t.ctx.db,
      );
      await until(() => stream.events.includes('changed'), 3000, "changed after a change in one of the city's districts");
    } finally {
      stream.close();
    }
    const refused = await (await t.login('yinzhou')).get('/api/events/stats/stream?scope=320400');
    expect(refused.statusCode).toBe(403);
  });
});
