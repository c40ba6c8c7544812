import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ENGINES, type Client, type TestApp } from '../../test/harness.ts';
import { JC, XFY } from './demo.ts';

interface Topic {
  id: string;
  title: string;
  status: string;
  supportCount: number;
  supportedByMe: boolean;
  photoCount: number;
  reply: string | null;
  meeting: { id: string; title: string } | null;
  version: number;
}
interface Meeting {
  id: string;
  bodyId: string;
  title: string;
  status: string;
  version: number;
  checkinToken: string | null;
  canManage: boolean;
  agenda: { id: string; title: string; topicId: string | null }[];
  attendance: { name: string; method: string; memberId: string | null }[];
  resolutions: { id: string; text: string; decision: string; tasks: { id: string; status: string; version: number }[] }[];
  minutes: string;
}

// A 1×1 PNG.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

describe.each(ENGINES)('topics, bodies and meetings on %s', (engine) => {
  let t: TestApp;
  let jiangcheng: Client;
  let resident: Client;
  let volunteer: Client;
  let xinfengyuan: Client;
  let grid: Client;
  let topic: Topic;
  let meeting: Meeting;

  beforeAll(async () => {
    t = await createTestApp(engine);
    [jiangcheng, resident, volunteer, xinfengyuan, grid] = await Promise.all(
      ['jiangcheng', 'jc-resident', 'jc-volunteer', 'xinfengyuan', 'grid-jc-001'].map((u) => t.login(u)),
    );
  });
  afterAll(async () => t?.close());

  it('a resident raises a topic with a photo from a phone; a retry creates nothing new', async () => {
    const body = {
      placeCode: '330212014027001',
      title: '江城花园垃圾房异味大',
      body: '夏天垃圾房清运不及时，异味很大，希望增加清运次数。',
      photos: [{ contentType: 'image/png', dataBase64: PNG }],
      clientKey: 'phone-0001-abcdef',
    };
    const created = await resident.post('/api/deliberation/topics', body);
    expect(created.statusCode, created.body).toBe(201);
    topic = created.json();
    expect(topic).toMatchObject({ status: 'open', supportCount: 1, supportedByMe: true, photoCount: 1 });
    const retry = await resident.post('/api/deliberation/topics', body);
    expect(retry.statusCode).toBe(200);
    expect(retry.json().id).toBe(topic.id);
    const photo = await resident.get(`/api/deliberation/topics/${topic.id}/photos/1`);
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toBe('image/png');
    const bad = await resident.post('/api/deliberation/topics', {
      ...body,
      clientKey: undefined,
      photos: [{ contentType: 'text/html', dataBase64: PNG }],
    });
    expect(bad.statusCode).toBe(400);
    const outside = await resident.post('/api/deliberation/topics', { ...body, clientKey: undefined, placeCode: XFY });
    expect(outside.statusCode).toBe(403);
    expect((await jiangcheng.post('/api/deliberation/topics', { ...body, clientKey: undefined })).statusCode).toBe(403);
  });

  it('neighbours support it once each; another community cannot see it', async () => {
    const s1 = await volunteer.post(`/api/deliberation/topics/${topic.id}/support`);
    expect(s1.json()).toMatchObject({ supportCount: 2, supportedByMe: true });
    expect((await volunteer.post(`/api/deliberation/topics/${topic.id}/support`)).json().supportCount).toBe(2);
    expect((await volunteer.delete(`/api/deliberation/topics/${topic.id}/support`)).json().supportCount).toBe(1);
    await volunteer.post(`/api/deliberation/topics/${topic.id}/support`);
    expect((await xinfengyuan.get(`/api/deliberation/topics/${topic.id}`)).statusCode).toBe(404);
    const feed = (await resident.get('/api/deliberation/topics?order=support')).json().items as Topic[];
    expect(feed.length).toBeGreaterThan(3);
    expect(feed[0].supportCount).toBeGreaterThanOrEqual(feed[feed.length - 1].supportCount);
    const xfyFeed = (await xinfengyuan.get('/api/deliberation/topics')).json().items as Topic[];
    expect(xfyFeed.some((x) => x.id === topic.id)).toBe(false);
    expect(xfyFeed.length).toBeGreaterThan(0);
    // a grid worker reads but does not triage
    expect((await grid.get(`/api/deliberation/topics/${topic.id}`)).statusCode).toBe(200);
    expect((await grid.post(`/api/deliberation/topics/${topic.id}/triage`, { version: 1, action: 'close' })).statusCode).toBe(403);
  });

  it('a fixed body needs all its seats before giving notice', async () => {
    const body = await jiangcheng.post('/api/deliberation/bodies', {
      placeCode: '330212014027001',
      kind: 'four_party',
      name: '江城花园四方例会',
    });
    expect(body.statusCode, body.body).toBe(201);
    const id = body.json().id;
    expect(body.json().missingSeats).toEqual(['party_org', 'residents_committee', 'property', 'owners_committee']);
    const wrongSeat = await jiangcheng.post(`/api/deliberation/bodies/${id}/members`, { seat: 'social_org', name: '某社会组织' });
    expect(wrongSeat.statusCode).toBe(400);
    await jiangcheng.post(`/api/deliberation/bodies/${id}/members`, { seat: 'party_org', name: '陈丽华', title: '书记' });
    const m = await jiangcheng.post('/api/deliberation/bodies/' + id + '/meetings', {
      title: '四方例会',
      scheduledAt: new Date().toISOString(),
      agenda: ['垃圾清运'],
    });
    expect(m.statusCode).toBe(201);
    const notice = await jiangcheng.post(`/api/deliberation/meetings/${m.json().id}/transition`, {
      version: m.json().version,
      to: 'noticed',
    });
    expect(notice.statusCode).toBe(409);
    expect(notice.json().error).toMatchObject({
      code: 'SEATS_MISSING',
      details: { missing: ['residents_committee', 'property', 'owners_committee'] },
    });
    expect((await xinfengyuan.post(`/api/deliberation/bodies/${id}/members`, { seat: 'property', name: 'x' })).statusCode).toBe(404);
    expect((await resident.post('/api/deliberation/bodies', { placeCode: JC, kind: 'round_table', name: '居民圆桌' })).statusCode).toBe(
      403,
    );
  });

  it('a worker puts the topic on the next 六方 meeting; the meeting runs and publishes; the resident sees the outcome', async () => {
    const bodies = (await jiangcheng.get('/api/deliberation/bodies')).json().items as {
      id: string;
      kind: string;
      missingSeats: string[];
    }[];
    const six = bodies.find((b) => b.kind === 'six_party')!;
    expect(six.missingSeats).toEqual([]);
    const planned = await jiangcheng.post(`/api/deliberation/bodies/${six.id}/meetings`, {
      title: '江城社区六方联席会议（临时）',
      scheduledAt: new Date(Date.now() + 3600_000).toISOString(),
      location: '江城社区议事厅',
      agenda: ['小区环境整治'],
    });
    meeting = planned.json();

    const stale = await jiangcheng.post(`/api/deliberation/topics/${topic.id}/triage`, {
      version: topic.version + 3,
      action: 'agenda',
      meetingId: meeting.id,
    });
    expect(stale.statusCode).toBe(409);
    expect(
      (
        await resident.post(`/api/deliberation/topics/${topic.id}/triage`, {
          version: topic.version,
          action: 'agenda',
          meetingId: meeting.id,
        })
      ).statusCode,
    ).toBe(403);
    const current = (await jiangcheng.get(`/api/deliberation/topics/${topic.id}`)).json() as Topic;
    const triaged = await jiangcheng.post(`/api/deliberation/topics/${topic.id}/triage`, {
      version: current.version,
      action: 'agenda',
      meetingId: meeting.id,
    });
    expect(triaged.statusCode, triaged.body).toBe(200);
    expect(triaged.json()).toMatchObject({ status: 'agenda', meeting: { id: meeting.id } });
    const again = await jiangcheng.post(`/api/deliberation/topics/${topic.id}/triage`, {
      version: triaged.json().version,
      action: 'event',
    });
    expect(again.json().error.code).toBe('WRONG_STATE');

    let m = (await jiangcheng.get(`/api/deliberation/meetings/${meeting.id}`)).json() as Meeting;
    const item = m.agenda.find((a) => a.topicId === topic.id)!;
    expect(item.title).toBe('江城花园垃圾房异味大');
    m = (
      await jiangcheng.post(`/api/deliberation/meetings/${m.id}/transition`, { version: m.version, to: 'noticed', notice: '请准时参加' })
    ).json();
    expect(m.status).toBe('noticed');

    // attendance: a member marked by the worker, a resident by the QR code
    const members = (await jiangcheng.get(`/api/deliberation/bodies/${six.id}`)).json().members as { id: string }[];
    m = (await jiangcheng.post(`/api/deliberation/meetings/${m.id}/attendance`, { memberId: members[0].id })).json();
    const seen = (await resident.get(`/api/deliberation/meetings/${m.id}`)).json() as Meeting;
    expect(seen.checkinToken).toBeNull();
    expect(seen.canManage).toBe(false);
    expect((await resident.post(`/api/deliberation/meetings/${m.id}/checkin`, { token: 'wrong-token-wrong' })).statusCode).toBe(403);
    const qr = await resident.post(`/api/deliberation/meetings/${m.id}/checkin`, { token: m.checkinToken });
    expect(qr.json()).toMatchObject({ checkedIn: true, already: false });
    expect((await resident.post(`/api/deliberation/meetings/${m.id}/checkin`, { token: m.checkinToken })).json().already).toBe(true);

    // held: minutes, a resolution with follow-up tasks, tracked to done
    const early = await jiangcheng.request('PUT', `/api/deliberation/meetings/${m.id}/minutes`, { version: m.version, minutes: 'x' });
    expect(early.json().error.code).toBe('WRONG_STATE');
    m = (await jiangcheng.get(`/api/deliberation/meetings/${m.id}`)).json();
    m = (await jiangcheng.post(`/api/deliberation/meetings/${m.id}/transition`, { version: m.version, to: 'held' })).json();
    expect(m.attendance.map((a) => a.method).sort()).toEqual(['manual', 'qr']);
    m = (
      await jiangcheng.request('PUT', `/api/deliberation/meetings/${m.id}/minutes`, {
        version: m.version,
        minutes: '物业介绍清运安排，居民代表提出夏季每日两次。',
      })
    ).json();
    expect(m.minutes).toContain('每日两次');
    m = (
      await jiangcheng.post(`/api/deliberation/meetings/${m.id}/resolutions`, {
        agendaItemId: item.id,
        text: '夏季垃圾房每日清运两次，并加装除臭设备',
        decision: 'adopted',
        tasks: [{ title: '调整清运排班', ownerName: '孙志强（物业）', dueDate: '2026-12-31' }],
      })
    ).json();
    const res = m.resolutions[0];
    expect(res.tasks).toHaveLength(1);
    m = (
      await jiangcheng.post(`/api/deliberation/resolutions/${res.id}/tasks`, {
        title: '采购除臭设备',
        ownerName: '吴德明（业委会）',
        dueDate: '2027-01-15',
      })
    ).json();
    const task = m.resolutions[0].tasks[0];
    const done = await jiangcheng.post(`/api/deliberation/tasks/${task.id}/done`, { version: task.version, note: '已按新排班执行' });
    expect(done.json().resolutions[0].tasks.find((x: { id: string }) => x.id === task.id).status).toBe('done');
    expect(
      (await jiangcheng.post(`/api/deliberation/tasks/${task.id}/done`, { version: task.version + 1, note: 'again' })).json().error.code,
    ).toBe('WRONG_STATE');
    expect((await resident.post(`/api/deliberation/tasks/${task.id}/done`, { version: 1, note: 'x' })).statusCode).toBe(403);

    // publish: needs an outcome; then the topic learns what became of it
    m = (await jiangcheng.get(`/api/deliberation/meetings/${m.id}`)).json();
    const noOutcome = await jiangcheng.post(`/api/deliberation/meetings/${m.id}/transition`, { version: m.version, to: 'published' });
    expect(noOutcome.statusCode).toBe(400);
    const published = await jiangcheng.post(`/api/deliberation/meetings/${m.id}/transition`, {
      version: m.version,
      to: 'published',
      outcome: '议定夏季垃圾每日清运两次。',
    });
    expect(published.json().status).toBe('published');
    const seenByResident = (await resident.get(`/api/deliberation/topics/${topic.id}`)).json() as Topic;
    expect(seenByResident.status).toBe('replied');
    expect(seenByResident.reply).toContain('夏季垃圾房每日清运两次');
    expect((await volunteer.post(`/api/deliberation/topics/${topic.id}/support`)).json().error.code).toBe('WRONG_STATE');
  });

  it('replies to a topic directly and closes another', async () => {
    const other = (
      await resident.post('/api/deliberation/topics', { placeCode: JC, title: '社区图书室开放时间', body: '希望周末也开放。' })
    ).json() as Topic;
    const empty = await jiangcheng.post(`/api/deliberation/topics/${other.id}/triage`, { version: other.version, action: 'reply' });
    expect(empty.statusCode).toBe(400);
    const replied = await jiangcheng.post(`/api/deliberation/topics/${other.id}/triage`, {
      version: other.version,
      action: 'reply',
      reply: '下月起周六上午开放。',
    });
    expect(replied.json()).toMatchObject({ status: 'replied', reply: '下月起周六上午开放。' });
    const closed = await jiangcheng.post(`/api/deliberation/topics/${other.id}/triage`, {
      version: replied.json().version,
      action: 'close',
    });
    expect(closed.json().status).toBe('closed');
  });

  it('files a topic as a real event through the events service and links it', async () => {
    const raised = (
      await resident.post('/api/deliberation/topics', { placeCode: JC, title: '小区门口垃圾桶满溢', body: '东门垃圾桶连续三天没清运。' })
    ).json() as Topic;
    const filed = await jiangcheng.post(`/api/deliberation/topics/${raised.id}/triage`, {
      version: raised.version,
      action: 'event',
      categoryCode: 'env.garbage',
      reply: '已转为事件，由网格跟进清运。',
    });
    expect(filed.statusCode, filed.body).toBe(200);
    const topic = filed.json() as Topic & { eventRef: string | null; eventId: string | null };
    expect(topic.status).toBe('event');
    expect(topic.eventRef).toMatch(/^SJ\d{8}[2-9A-Z]{6}$/);
    const event = await t.ctx.db
      .selectFrom('event')
      .select(['id', 'title', 'category_code', 'place_code'])
      .where('number', '=', topic.eventRef!)
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({ id: topic.eventId, title: '小区门口垃圾桶满溢', category_code: 'env.garbage', place_code: JC });
    // an unknown category files nothing and leaves the topic as it was
    const other = (
      await resident.post('/api/deliberation/topics', { placeCode: JC, title: '路灯不亮', body: '北门路灯坏了。' })
    ).json() as Topic;
    const bad = await jiangcheng.post(`/api/deliberation/topics/${other.id}/triage`, {
      version: other.version,
      action: 'event',
      categoryCode: 'no.such',
    });
    expect(bad.json().error.code).toBe('CATEGORY_NOT_FOUND');
    expect(((await resident.get(`/api/deliberation/topics/${other.id}`)).json() as Topic).status).toBe('open');
  });

  it('keeps conventions with versions and publishes a board with nothing personal on it', async () => {
    const list = (await resident.get('/api/deliberation/conventions')).json().items as {
      id: string;
      title: string;
      currentVersion: number;
      version: number;
    }[];
    const conv = list.find((c) => c.title === '江城社区居民公约')!;
    expect(conv.currentVersion).toBe(2);
    const revised = await jiangcheng.post(`/api/deliberation/conventions/${conv.id}/versions`, {
      version: conv.version,
      text: '1. 垃圾分类\n2. 文明养犬',
      adoptedOn: '2026-11-20',
      adoptedBy: '江城社区居民代表会议',
    });
    expect(revised.statusCode, revised.body).toBe(200);
    expect(revised.json().versions.map((v: { versionNo: number }) => v.versionNo)).toEqual([3, 2, 1]);
    const stale = await jiangcheng.post(`/api/deliberation/conventions/${conv.id}/versions`, {
      version: conv.version,
      text: 'xx',
      adoptedOn: '2026-11-21',
      adoptedBy: '某次会议',
    });
    expect(stale.statusCode).toBe(409);
    const notice = await jiangcheng.post('/api/deliberation/notices', {
      communityCode: JC,
      kind: 'finance',
      title: '11月公益金收支',
      body: '收入 1,000 元，支出 800 元。',
    });
    expect(notice.statusCode).toBe(201);
    expect(
      (await resident.post('/api/deliberation/notices', { communityCode: JC, kind: 'affairs', title: '居民发公告', body: '不可以' }))
        .statusCode,
    ).toBe(403);

    const board = await t.anonymous.get(`/api/public/board/${JC}`);
    expect(board.statusCode).toBe(200);
    const b = board.json();
    expect(b.community.name).toBe('江城社区');
    expect(b.conventions.find((c: { title: string }) => c.title === '江城社区居民公约').versionNo).toBe(3);
    expect(b.meetings.some((m: { outcome: string }) => m.outcome.includes('夏季垃圾'))).toBe(true);
    const lift = b.votes.find((v: { kind: string; outcome: { passed?: boolean } | null }) => v.kind === 'owners' && v.outcome);
    expect(lift.outcome.passed).toBe(true);
    expect(b.votes.some((v: { kind: string }) => v.kind === 'selection')).toBe(true);
    expect(b.notices.some((n: { title: string }) => n.title === '11月公益金收支')).toBe(true);
    const text = board.body;
    expect(text).not.toMatch(/\d{24}/); // no house codes
    for (const personal of ['张阿姨', '居民 ', '李建华', '孙志强', 'raisedBy', 'ownerName', 'checkinToken'])
      expect(text).not.toContain(personal);
    expect((await t.anonymous.get('/api/public/board/330212014999')).statusCode).toBe(404);
    expect((await t.anonymous.get('/api/deliberation/topics')).statusCode).toBe(401);
  });
});
