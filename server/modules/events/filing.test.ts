import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, ENGINES, type Client, type TestApp } from '../../test/harness.ts';
import { appendAuditBatch, verifyAuditChain } from '../../core/audit.ts';
import { AppError } from '../../core/errors.ts';
import { fileTogether } from './group-commit.ts';
import { openLiveBus } from '../../core/live.ts';
import { eventNumbers } from './numbers.ts';

/**
 * The fast filing path (issue 4's filing budget): the answer is built from what was written, the
 * lookups come from memory, and concurrent filings share one transaction and one audit append.
 * Each of these must not change what anyone sees.
 */
const GRID1 = '330212014027001';

function jpeg(): string {
  const dqt = Buffer.from([0xff, 0xdb, 0x00, 0x04, 0x00, 0x01]);
  const sos = Buffer.from([0xff, 0xda, 0x00, 0x02, 0x11, 0x22, 0x33, 0xff, 0xd9]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), dqt, sos]).toString('base64');
}

describe.each(ENGINES)('filing events on %s', (engine) => {
  let t: TestApp;
  let resident: Client, district: Client, community: Client;
  let house: string;

  beforeAll(async () => {
    t = await createTestApp(engine);
    [resident, district, community] = await Promise.all(['jc-resident', 'yinzhou', 'jiangcheng'].map((u) => t.login(u)));
    house = (await t.ctx.db.selectFrom('house').select('code').where('code', 'like', `${GRID1}%`).orderBy('code').executeTakeFirstOrThrow())
      .code;
  });
  afterAll(async () => t?.close());

  it('answers a filing with exactly what reading the event back shows, photos and timeline included', async () => {
    for (const [who, body] of [
      [resident, { categoryCode: 'env.garbage', title: '楼道堆放杂物', placeCode: house, description: '三楼', photos: [jpeg()] }],
      [
        community,
        { categoryCode: 'livelihood.noise', title: '夜间噪声', placeCode: GRID1, source: 'hotline', reporterPhone: '13800001111' },
      ],
      [resident, { categoryCode: 'throwing', title: '高空抛物', placeCode: house, anonymous: true, lng: 121.5441, lat: 29.8683 }],
    ] as const) {
      const r = await who.post('/api/events', body);
      expect(r.statusCode, r.body).toBe(201);
      const filed = r.json().event;
      const read = (await who.get(`/api/events/${filed.id}`)).json();
      expect(filed).toEqual(read);
      expect(filed.timeline).toHaveLength(1);
    }
  });

  it('keeps a small upright thumbnail of a real photo, without its GPS, beside the photo (also without it)', async () => {
    // A 1600 × 1200 camera JPEG with EXIF: a GPS position and orientation 6 (taken sideways).
    const camera = await sharp({ create: { width: 1600, height: 1200, channels: 3, background: '#3a7' } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .withExifMerge({ IFD0: { Make: 'GongzhiCam' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '29/1 52/1 6/1' } })
      .toBuffer();
    expect(await sharp(camera).metadata()).toMatchObject({ orientation: 6, exif: expect.any(Buffer) });
    const r = await resident.post('/api/events', {
      categoryCode: 'env.garbage',
      title: '带照片上报',
      placeCode: house,
      photos: [camera.toString('base64')],
    });
    expect(r.statusCode, r.body).toBe(201);
    const url = r.json().event.timeline[0].attachments[0] as string;
    const full = await resident.get(url);
    expect(full.headers['content-type']).toBe('image/jpeg');
    expect(full.rawPayload.includes(Buffer.from('GongzhiCam'))).toBe(false);
    const thumb = await resident.get(`${url}?size=thumb`);
    expect(thumb.headers['content-type']).toBe('image/jpeg');
    const meta = await sharp(thumb.rawPayload).metadata();
    expect([meta.width, meta.height]).toEqual([240, 320]); // turned upright: the camera held it sideways
    expect(meta.exif).toBeUndefined();
    expect(thumb.rawPayload.length).toBeLessThan(full.rawPayload.length);
    // A photo the server cannot decode has no thumbnail: the photo itself is served.
    const odd = await resident.post('/api/events', { categoryCode: 'env.garbage', title: '无法缩略', placeCode: house, photos: [jpeg()] });
    const oddUrl = odd.json().event.timeline[0].attachments[0] as string;
    expect((await resident.get(`${oddUrl}?size=thumb`)).rawPayload).toEqual((await resident.get(oddUrl)).rawPayload);
    expect((await resident.get(`${url}?size=huge`)).statusCode).toBe(400);
  });

  it('files again under a new tracking number when the random one is already taken, alone and inside a batch', async () => {
    const real = eventNumbers.next;
    const first = await resident.post('/api/events', { categoryCode: 'livelihood.noise', title: '编号碰撞 1', placeCode: house });
    expect(first.statusCode).toBe(201);
    const taken = first.json().event.number as string;
    let repeats = 3; // the next three numbers drawn all repeat the first event's
    eventNumbers.next = (at) => (repeats-- > 0 ? taken : real(at));
    try {
      const rs = await Promise.all(
        [2, 3, 4].map((i) => resident.post('/api/events', { categoryCode: 'livelihood.noise', title: `编号碰撞 ${i}`, placeCode: house })),
      );
      for (const r of rs) expect(r.statusCode, r.body).toBe(201);
      const numbers = rs.map((r) => r.json().event.number as string);
      expect(new Set([taken, ...numbers]).size).toBe(4);
      for (const r of rs) expect((await resident.get(`/api/events/${r.json().event.id}`)).json().number).toBe(r.json().event.number);
    } finally {
      eventNumbers.next = real;
    }
  });

  it('files concurrent reports together: every one stored once, notified, audited, and the chain still verifies', async () => {
    const before = Number(
      (await sql<{ n: string }>`select count(*) as n from audit_log where action = 'event.report'`.execute(t.ctx.db)).rows[0].n,
    );
    const gridUser = await t.ctx.db.selectFrom('app_user').select('id').where('username', '=', 'grid-jc-001').executeTakeFirstOrThrow();
    const rs = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        resident.post('/api/events', { categoryCode: 'livelihood.noise', title: `并发上报 ${i}`, placeCode: house }),
      ),
    );
    expect(rs.map((r) => r.statusCode)).toEqual(rs.map(() => 201));
    const ids = rs.map((r) => r.json().event.id as string);
    expect(new Set(ids).size).toBe(24);
    const stored = await t.ctx.db.selectFrom('event').select(['id', 'number']).where('id', 'in', ids).execute();
    expect(stored).toHaveLength(24);
    expect(new Set(stored.map((s) => s.number)).size).toBe(24);
    const steps = await t.ctx.db.selectFrom('event_step').select('event_id').where('event_id', 'in', ids).execute();
    expect(steps).toHaveLength(24);
    const notes = await t.ctx.db
      .selectFrom('event_notification')
      .select('event_id')
      .where('event_id', 'in', ids)
      .where('user_id', '=', gridUser.id)
      .execute();
    expect(notes).toHaveLength(24);
    const audits = await sql<{ target_id: string }>`select target_id from audit_log where action = 'event.report' order by id`.execute(
      t.ctx.db,
    );
    expect(audits.rows.length - before).toBe(24);
    const audited = new Set(audits.rows.map((a) => a.target_id));
    expect(ids.every((id) => audited.has(id))).toBe(true);
    expect(await verifyAuditChain(t.ctx.db)).toMatchObject({ ok: true });
  });

  it("rings the accepting grid worker's bell on every instance once the filing commits", async () => {
    const bus = await openLiveBus(t.database, t.ctx.config.databaseUrl);
    try {
      const gridUser = await t.ctx.db.selectFrom('app_user').select('id').where('username', '=', 'grid-jc-001').executeTakeFirstOrThrow();
      let rung = 0;
      const off = bus.subscribe('inbox', gridUser.id, () => rung++);
      const r = await resident.post('/api/events', { categoryCode: 'livelihood.noise', title: '铃声', placeCode: house });
      expect(r.statusCode).toBe(201);
      const end = Date.now() + 3000;
      while (!rung && Date.now() < end) await new Promise((res) => setTimeout(res, 10));
      expect(rung).toBe(1);
      off();
    } finally {
      await bus.close();
    }
  });

  it('a filing that fails inside a shared batch fails alone; the others commit', async () => {
    const stamp = `gc-${Date.now()}`;
    const write = (i: number, fail: boolean) =>
      fileTogether(t.ctx.db, {
        row: i,
        writeAll: async (tx, rows: number[], audit) => {
          await sql`select pg_sleep(0.01)`.execute(tx);
          await appendAuditBatch(tx, audit);
          return rows.map((r) => r * 10);
        },
        audit: [{ action: 'test.group_commit', targetType: 'test', targetId: `${stamp}-${i}` }],
        transactional: true,
        next: async (_tx, written: number) => {
          if (fail) throw new AppError('VALIDATION_FAILED', { i });
          return written;
        },
      });
    const results = await Promise.allSettled([0, 1, 2, 3, 4, 5].map((i) => write(i, i === 3)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((results[3] as PromiseRejectedResult).reason).toBeInstanceOf(AppError);
    expect(results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<number>).value)).toEqual([
      0, 10, 20, 40, 50,
    ]);
    const rows = await sql<{
      target_id: string;
    }>`select target_id from audit_log where target_id like ${stamp + '%'} order by target_id`.execute(t.ctx.db);
    expect(rows.rows.map((r) => r.target_id)).toEqual([0, 1, 2, 4, 5].map((i) => `${stamp}-${i}`));
    expect(await verifyAuditChain(t.ctx.db)).toMatchObject({ ok: true });
  });

  it('a category edit applies to the very next filing (the cached tree is invalidated)', async () => {
    const first = await resident.post('/api/events', { categoryCode: 'env.ad', title: '小广告', placeCode: house, anonymous: true });
    expect(first.statusCode, first.body).toBe(201);
    const cats = (await district.get('/api/events/categories')).json().items as { code: string; version: number; handleDays: number }[];
    const ad = cats.find((c) => c.code === 'env.ad')!;
    const patched = await district.patch('/api/events/categories/env.ad', { version: ad.version, anonymousAllowed: false, handleDays: 9 });
    expect(patched.statusCode, patched.body).toBe(200);
    const refused = await resident.post('/api/events', { categoryCode: 'env.ad', title: '小广告', placeCode: house, anonymous: true });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.code).toBe('ANONYMOUS_NOT_ALLOWED');
    const named = await resident.post('/api/events', { categoryCode: 'env.ad', title: '小广告', placeCode: house });
    expect(named.statusCode).toBe(201);
    const back = await district.patch('/api/events/categories/env.ad', {
      version: ad.version + 1,
      anonymousAllowed: true,
      handleDays: ad.handleDays,
    });
    expect(back.statusCode, back.body).toBe(200);
  });
});
