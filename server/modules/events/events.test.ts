import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ENGINES, type Client, type TestApp } from '../../test/harness.ts';
import { runDeadlineTick } from './ticker.ts';

/** A tiny JPEG-shaped file with an EXIF segment holding a GPS position (stripped on upload). */
export function jpegWithGps(): string {
  const exif = Buffer.concat([Buffer.from('Exif\0\0GPS 29.8683N 121.5440E', 'latin1')]);
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1]), Buffer.from([0, exif.length + 2]), exif]);
  const dqt = Buffer.from([0xff, 0xdb, 0x00, 0x04, 0x00, 0x01]);
  const sos = Buffer.from([0xff, 0xda, 0x00, 0x02, 0x11, 0x22, 0x33, 0xff, 0xd9]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app1, dqt, sos]).toString('base64');
}

const GRID1 = '330212014027001';

describe.each(ENGINES)('events closed loop on %s', (engine) => {
  let t: TestApp;
  let grid: Client, community: Client, street: Client, dept: Client, resident: Client, district: Client, other: Client;
  let house: string;
  let otherGridHouse: string;
  let deptIds: { lead: string; assist: string };

  beforeAll(async () => {
    t = await createTestApp(engine);
    [grid, community, street, dept, resident, district, other] = await Promise.all(
      ['grid-jc-001', 'jiangcheng', 'fuming', 'chengguan', 'jc-resident', 'yinzhou', 'xinfengyuan'].map((u) => t.login(u)),
    );
    house = (await t.ctx.db.selectFrom('house').select('code').where('code', 'like', `${GRID1}%`).orderBy('code').executeTakeFirstOrThrow())
      .code;
    otherGridHouse = (
      await t.ctx.db.selectFrom('house').select('code').where('code', 'like', '330212014027002%').orderBy('code').executeTakeFirstOrThrow()
    ).code;
    const depts = (await street.get('/api/events/departments/330212')).json().items as { id: string; key: string }[];
    deptIds = { lead: depts.find((d) => d.key === 'law-enforcement')!.id, assist: depts.find((d) => d.key === 'market')!.id };
  });
  afterAll(async () => t?.close());

  async function act(c: Client, id: string, action: string, body: Record<string, unknown> = {}) {
    const cur = await c.get(`/api/events/${id}`);
    const version = cur.statusCode === 200 ? cur.json().version : 1;
    return c.post(`/api/events/${id}/actions/${action}`, { version, ...body });
  }
  async function ok(c: Client, id: string, action: string, body: Record<string, unknown> = {}) {
    const r = await act(c, id, action, body);
    expect(r.statusCode, `${action}: ${r.body}`).toBe(200);
    return r.json();
  }

  it('closed in the grid: found, handled with a photo, verified, closed and evaluated by the grid worker', async () => {
    const r = await grid.post('/api/events', {
      categoryCode: 'env.garbage',
      title: '3幢楼下垃圾堆放',
      placeCode: house,
      lng: 121.544,
      lat: 29.868,
    });
    expect(r.statusCode, r.body).toBe(201);
    const e = r.json().event;
    expect(e).toMatchObject({ source: 'grid', state: 'handling', level: 'grid', stage: 'handle' });
    expect(e.timeline.map((s: { action: string }) => s.action)).toEqual(['report', 'accept']);
    // The category requires a photo of the result.
    const noPhoto = await act(grid, e.id, 'handle', { note: '已清理' });
    expect(noPhoto.statusCode).toBe(400);
    expect(noPhoto.json().error.code).toBe('PHOTO_REQUIRED');
    const notImage = await act(grid, e.id, 'handle', { note: '已清理', photos: [Buffer.from('not an image').toString('base64')] });
    expect(notImage.json().error.code).toBe('PHOTO_INVALID');
    const handled = await ok(grid, e.id, 'handle', { note: '已清理', photos: [jpegWithGps()] });
    expect(handled.state).toBe('handled');
    const photoUrl = handled.timeline.at(-1).attachments[0];
    const photo = await grid.get(photoUrl);
    expect(photo.headers['content-type']).toBe('image/jpeg');
    expect(photo.rawPayload.includes(Buffer.from('GPS'))).toBe(false);
    await ok(grid, e.id, 'verify');
    const closed = await ok(grid, e.id, 'close');
    expect(closed).toMatchObject({ state: 'closed', closedLevel: 'grid', closedOnTime: true });
    const evaluated = await ok(grid, e.id, 'evaluate', { satisfaction: 5 });
    expect(evaluated.state).toBe('evaluated');
    expect(evaluated.timeline.map((s: { action: string }) => s.action)).toEqual([
      'report',
      'accept',
      'handle',
      'verify',
      'close',
      'evaluate',
    ]);
  });

  it('escalated to the community: a resident reports, the grid escalates, the community handles, the resident evaluates', async () => {
    const r = await resident.post('/api/events', {
      categoryCode: 'livelihood.noise',
      title: '楼上装修夜间噪声',
      placeCode: house,
      reporterPhone: '13805741234',
    });
    expect(r.statusCode, r.body).toBe(201);
    const e = r.json().event;
    expect(e).toMatchObject({ source: 'web', state: 'reported', level: 'grid', reporterPhone: '138****1234' });
    // The resident cannot accept: wrong role → 403 with the current state and what they may do.
    const wrongRole = await act(resident, e.id, 'accept');
    expect(wrongRole.statusCode).toBe(403);
    expect(wrongRole.json().error).toMatchObject({ code: 'EVENT_ACTION_FORBIDDEN', details: { state: 'reported', allowed: ['note'] } });
    // Wrong state → 409 with the current state and the allowed actions.
    const wrongState = await act(grid, e.id, 'close');
    expect(wrongState.statusCode).toBe(409);
    expect(wrongState.json().error).toMatchObject({
      code: 'EVENT_ACTION_NOT_ALLOWED',
      details: { state: 'reported', allowed: ['accept', 'merge', 'note'] },
    });
    // Stale version → 409 VERSION_CONFLICT.
    const stale = await grid.post(`/api/events/${e.id}/actions/accept`, { version: e.version + 5 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'VERSION_CONFLICT', details: { currentVersion: e.version, state: 'reported' } });
    // Wrong place: a community worker of another district does not even see it.
    expect((await act(other, e.id, 'accept')).statusCode).toBe(404);

    await ok(grid, e.id, 'accept');
    const up = await ok(grid, e.id, 'escalate', { note: '需社区协调' });
    expect(up).toMatchObject({ state: 'escalated', level: 'community', stage: 'accept' });
    await ok(community, e.id, 'accept');
    await ok(community, e.id, 'handle', { note: '已约谈装修业主，调整施工时间' });
    await ok(resident, e.id, 'verify');
    const closed = await ok(community, e.id, 'close');
    expect(closed.closedLevel).toBe('community');
    // The resident was asked to evaluate.
    const inbox = (await resident.get('/api/notifications')).json();
    expect(inbox.items.some((n: { eventId: string; kind: string }) => n.eventId === e.id && n.kind === 'close')).toBe(true);
    expect((await ok(resident, e.id, 'evaluate', { satisfaction: 4 })).satisfaction).toBe(4);
    // A resident sees only their own events, and may track one by number.
    const mine = (await resident.get('/api/events')).json().items as { id: string; reporterName: string }[];
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((x) => x.reporterName === '居民 张阿姨')).toBe(true);
    expect((await resident.get(`/api/events/track/${e.number}`)).statusCode).toBe(200);
  });

  it('whistled by the street to two departments; the lead responds and handles; the street closes', async () => {
    const r = await grid.post('/api/events', {
      categoryCode: 'env.stall',
      title: '江城路占道经营',
      placeCode: house,
      escalate: true,
      description: '多个摊位占用人行道',
    });
    const e = r.json().event;
    expect(e).toMatchObject({ state: 'escalated', level: 'community' });
    // The department does not see it before it is whistled.
    expect((await dept.get(`/api/events/${e.id}`)).statusCode).toBe(404);
    await ok(community, e.id, 'accept');
    await ok(community, e.id, 'escalate', { note: '需执法力量' });
    await ok(street, e.id, 'accept');
    // A community worker cannot whistle: that is the street's.
    expect((await act(community, e.id, 'whistle')).statusCode).toBe(403);
    const w = await ok(street, e.id, 'whistle', {
      leadOrgId: deptIds.lead,
      assistOrgIds: [deptIds.assist],
      note: '请城管牵头、市场监管协办',
    });
    expect(w).toMatchObject({ state: 'whistled', stage: 'respond', leadOrg: { id: deptIds.lead } });
    expect(w.assistOrgs.map((o: { id: string }) => o.id)).toEqual([deptIds.assist]);
    const seen = await dept.get(`/api/events/${e.id}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json().allowedActions).toEqual(['respond', 'return', 'note']);
    expect((await dept.get('/api/notifications')).json().items.some((n: { eventId: string }) => n.eventId === e.id)).toBe(true);
    await ok(dept, e.id, 'respond', { note: '已派执法队员' });
    await ok(dept, e.id, 'handle', { note: '摊位已清理，劝离', photos: [jpegWithGps()] });
    await ok(grid, e.id, 'verify');
    const closed = await ok(street, e.id, 'close');
    expect(closed).toMatchObject({ state: 'closed', closedLevel: 'street', whistled: true });
    expect(closed.respondedAt).not.toBeNull();
  });

  it('returned: the department sends back a mis-routed whistle; the community sends back an escalation', async () => {
    const e = (
      await grid.post('/api/events', { categoryCode: 'facility.light', title: '路灯不亮', placeCode: house, escalate: true })
    ).json().event;
    const back = await ok(community, e.id, 'return', { note: '属网格可处置事项' });
    expect(back).toMatchObject({ state: 'handling', level: 'grid' });
    await ok(grid, e.id, 'escalate', { note: '需上级协调' });
    await ok(community, e.id, 'accept');
    await ok(community, e.id, 'escalate', { note: '需部门' });
    await ok(street, e.id, 'accept');
    await ok(street, e.id, 'whistle', { leadOrgId: deptIds.lead, note: '请城管处理' });
    expect((await act(dept, e.id, 'return')).json().error.code).toBe('VALIDATION_FAILED'); // a reason is required
    const ret = await ok(dept, e.id, 'return', { note: '路灯归住建部门管理' });
    expect(ret).toMatchObject({ state: 'handling', level: 'street', whistled: false, leadOrg: null });
    expect((await dept.get(`/api/events/${e.id}`)).statusCode).toBe(404);
  });

  it('suspended with approval from above, clock stopped, then resumed with the due time moved on', async () => {
    const e = (await grid.post('/api/events', { categoryCode: 'facility.road', title: '人行道破损', placeCode: house })).json().event;
    const dueBefore = e.dueAt;
    const req = await ok(grid, e.id, 'suspend', { note: '等待施工单位进场' });
    expect(req.state).toBe('suspend_requested');
    // The grid worker cannot approve their own suspension.
    expect((await act(grid, e.id, 'approve_suspend')).statusCode).toBe(403);
    const s = await ok(community, e.id, 'approve_suspend', { note: '同意' });
    expect(s).toMatchObject({ state: 'suspended', stage: null, deadline: 'none' });
    // Pretend the suspension started two working days ago.
    await t.ctx.db
      .updateTable('event')
      .set({ suspended_at: new Date(Date.now() - 4 * 86_400_000) })
      .where('id', '=', e.id)
      .execute();
    const resumed = await ok(grid, e.id, 'resume', { note: '施工单位已进场' });
    expect(resumed).toMatchObject({ state: 'handling', stage: 'handle' });
    expect(Date.parse(resumed.dueAt)).toBeGreaterThan(Date.parse(dueBefore));
    expect(resumed.timeline.at(-1).details.pausedMinutes).toBeGreaterThan(0);
  });

  it('overdue and auto-escalated by the ticker with a fake clock; supervision sets a new due time', async () => {
    const e = (await resident.post('/api/events', { categoryCode: 'livelihood.water', title: '楼道水管漏水', placeCode: house })).json()
      .event;
    expect(e.state).toBe('reported');
    const later = new Date(Date.parse(e.dueAt) + 60_000);
    const warnTime = new Date(Date.parse(e.warnAt) + 1000);
    const first = await runDeadlineTick(t.ctx, warnTime);
    expect(first.warned).toBeGreaterThanOrEqual(1);
    expect((await grid.get(`/api/events/${e.id}`)).json().deadline).toBe('yellow');
    const tick = await runDeadlineTick(t.ctx, later);
    expect(tick.overdue).toBeGreaterThanOrEqual(1);
    expect(tick.escalated).toBeGreaterThanOrEqual(1);
    const after = (await community.get(`/api/events/${e.id}`)).json();
    expect(after).toMatchObject({ state: 'escalated', level: 'community', everOverdue: true });
    expect(after.timeline.map((s: { action: string }) => s.action)).toEqual(['report', 'overdue', 'accept', 'escalate']);
    // Running again changes nothing (the work was claimed and done).
    const again = await runDeadlineTick(t.ctx, later);
    expect(again.escalated).toBe(0);
    // The street supervises (督办): a note, a new due time and a notice to the community.
    const sup = await ok(street, e.id, 'supervise', { note: '请今日内受理', dueDays: 1 });
    expect(sup.supervisedCount).toBe(1);
    expect(
      (await community.get('/api/notifications'))
        .json()
        .items.some((n: { kind: string; eventId: string }) => n.kind === 'supervise' && n.eventId === e.id),
    ).toBe(true);
    // The grid worker is below the community and may not supervise it.
    expect((await act(grid, e.id, 'supervise', { note: 'x' })).statusCode).toBe(403);
  });

  it('two tickers at once never handle the same event twice', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++)
      ids.push((await resident.post('/api/events', { categoryCode: 'env.ad', title: `小广告${i}`, placeCode: house })).json().event.id);
    const far = new Date(Date.now() + 60 * 86_400_000);
    const [a, b] = await Promise.all([runDeadlineTick(t.ctx, far), runDeadlineTick(t.ctx, far)]);
    const steps = await t.ctx.db
      .selectFrom('event_step')
      .select(['event_id', 'action'])
      .where('event_id', 'in', ids)
      .where('action', '=', 'escalate')
      .execute();
    expect(steps.length).toBe(4);
    expect(a.escalated + b.escalated).toBeGreaterThanOrEqual(4);
  });

  it('reopened after a bad evaluation, back at the level that closed it', async () => {
    const e = (await resident.post('/api/events', { categoryCode: 'livelihood.noise', title: '广场舞噪声', placeCode: house })).json()
      .event;
    await ok(grid, e.id, 'accept');
    await ok(grid, e.id, 'handle', { note: '已劝导' });
    await ok(resident, e.id, 'verify');
    await ok(grid, e.id, 'close');
    await ok(resident, e.id, 'evaluate', { satisfaction: 1 });
    const reopened = await ok(resident, e.id, 'reopen', { note: '仍然很吵' });
    expect(reopened).toMatchObject({ state: 'handling', level: 'grid', closedAt: null, satisfaction: null });
    expect(reopened.timeline.at(-1).details.previousSatisfaction).toBe(1);
  });

  it('offers open duplicates nearby and merges one into another', async () => {
    const a = (
      await grid.post('/api/events', {
        categoryCode: 'fire.ebike',
        title: '5幢楼道飞线充电',
        placeCode: house,
        lng: 121.5501,
        lat: 29.8702,
      })
    ).json();
    const b = (
      await resident.post('/api/events', {
        categoryCode: 'fire.ebike',
        title: '楼下有人拉电线充电',
        placeCode: house,
        lng: 121.5505,
        lat: 29.8703,
      })
    ).json();
    expect(b.duplicates.map((d: { id: string }) => d.id)).toContain(a.event.id);
    const far = (
      await resident.post('/api/events', { categoryCode: 'fire.ebike', title: '远处', placeCode: house, lng: 121.56, lat: 29.88 })
    ).json();
    expect(far.duplicates.map((d: { id: string }) => d.id)).not.toContain(a.event.id);
    await ok(grid, b.event.id, 'accept');
    const merged = await ok(grid, b.event.id, 'merge', { targetId: a.event.id });
    expect(merged).toMatchObject({ state: 'merged', mergedInto: a.event.id });
  });

  it('a grid worker cannot report outside their grid; a hotline entry needs the caller’s phone; retries do not duplicate', async () => {
    expect((await grid.post('/api/events', { categoryCode: 'env.garbage', title: '别的网格', placeCode: otherGridHouse })).statusCode).toBe(
      403,
    );
    const hotline = await community.post('/api/events', {
      categoryCode: 'livelihood.elderly',
      title: '独居老人求助',
      placeCode: house,
      source: 'hotline',
    });
    expect(hotline.statusCode).toBe(400);
    const okHotline = await community.post('/api/events', {
      categoryCode: 'livelihood.elderly',
      title: '独居老人求助',
      placeCode: house,
      source: 'hotline',
      reporterName: '李大爷',
      reporterPhone: '13900001111',
    });
    expect(okHotline.json().event).toMatchObject({ source: 'hotline', level: 'grid', state: 'reported', reporterPhone: '139****1111' });
    const body = { categoryCode: 'env.garbage', title: '重复提交', placeCode: house, idempotencyKey: 'phone-retry-1' };
    const first = await grid.post('/api/events', body);
    const second = await grid.post('/api/events', body);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(200);
    expect(second.json().event.id).toBe(first.json().event.id);
    // Anonymous only where the category allows it.
    expect(
      (await resident.post('/api/events', { categoryCode: 'dispute.wages', title: '匿名', placeCode: house, anonymous: true })).json().error
        .code,
    ).toBe('ANONYMOUS_NOT_ALLOWED');
    const anon = (
      await resident.post('/api/events', { categoryCode: 'throwing', title: '高空抛物', placeCode: house, anonymous: true })
    ).json().event;
    expect((await community.get(`/api/events/${anon.id}`)).json().reporterName).toBeNull();
  });

  it('a district administrator configures a category with version checks; others may not', async () => {
    const cats = (await district.get('/api/events/categories')).json().items as { code: string; version: number }[];
    const c = cats.find((x) => x.code === 'env.ad')!;
    expect((await street.patch('/api/events/categories/env.ad', { version: c.version, handleDays: 4 })).statusCode).toBe(403);
    const r = await district.patch('/api/events/categories/env.ad', { version: c.version, handleDays: 4 });
    expect(r.json()).toMatchObject({ handleDays: 4, version: c.version + 1 });
    expect((await district.patch('/api/events/categories/env.ad', { version: c.version, handleDays: 5 })).statusCode).toBe(409);
  });
});
