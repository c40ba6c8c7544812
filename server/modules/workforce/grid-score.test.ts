import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ENGINES, type Client, type TestApp } from '../../test/harness.ts';
import { todayInShanghai } from '../registry/person-rules.ts';
import { DEFAULT_GRID_SCORE_RULES, gridScore, type GridMonth } from './grid-score.ts';

/** A tiny JPEG (the events module checks a result photo's type and strips EXIF). */
function jpeg(): string {
  const dqt = Buffer.from([0xff, 0xdb, 0x00, 0x04, 0x00, 0x01]);
  const sos = Buffer.from([0xff, 0xda, 0x00, 0x02, 0x11, 0x22, 0x33, 0xff, 0xd9]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), dqt, sos]).toString('base64');
}

const month = (m: Partial<GridMonth>): GridMonth => ({
  reported: 0,
  visits: 0,
  closed: 0,
  closedOnTime: 0,
  ratings: 0,
  ratingSum: 0,
  ...m,
});

describe('the grid score (pure)', () => {
  // Weights: discovery 30 (at 20 events), visits 20 (at 20 visits), on time 30, satisfaction 20.
  it.each([
    [month({}), 10], // idle: only half the satisfaction points, unrated
    [month({ reported: 20, visits: 20, closed: 10, closedOnTime: 10, ratings: 4, ratingSum: 20 }), 100],
    [month({ reported: 40, visits: 60, closed: 10, closedOnTime: 10, ratings: 4, ratingSum: 20 }), 100], // both capped at the target
    [month({ reported: 10, visits: 5, closed: 4, closedOnTime: 3, ratings: 2, ratingSum: 6 }), 15 + 5 + 22.5 + 10],
    [month({ reported: 5, closed: 0, ratings: 1, ratingSum: 1 }), 7.5], // one rating of 1: no satisfaction points
    [month({ reported: 1, closed: 3, closedOnTime: 1 }), 1.5 + 10 + 10],
    [month({ visits: 10 }), 10 + 10], // visits alone count: half the target, half the points
    [month({ visits: 19 }), 19 + 10],
    [month({ visits: 20 }), 20 + 10], // exactly the target
    [month({ visits: 21 }), 20 + 10],
  ])('%o scores %d', (m, score) => expect(gridScore(m).score).toBeCloseTo(score, 2));

  it('explains each part and never leaves 0–100', () => {
    const s = gridScore(month({ reported: 7, visits: 3, closed: 2, closedOnTime: 1 }));
    expect(s.parts.map((p) => p.explain)).toEqual([
      '上报事件 7 件（满 20 件得 30 分）',
      '走访 3 次（满 20 次得 20 分）',
      '办结 2 件，按时 1 件',
      '本月无群众评价，按 50% 计',
    ]);
    expect(s.parts.reduce((n, p) => n + p.max, 0)).toBe(100);
    // Inconsistent counts (more on time than closed, ratings above 5) are bounded, not trusted.
    expect(gridScore(month({ reported: 99, visits: 99, closed: 1, closedOnTime: 5, ratings: 1, ratingSum: 9 })).score).toBe(100);
    expect(gridScore(month({ reported: -3, visits: -2 })).score).toBe(10);
  });

  it('more on-time closures, or more visits, never lower the score, all else equal', () => {
    for (let closed = 1; closed <= 12; closed++)
      for (let ok = 0; ok < closed; ok++)
        expect(gridScore(month({ reported: 5, closed, closedOnTime: ok + 1 })).score).toBeGreaterThan(
          gridScore(month({ reported: 5, closed, closedOnTime: ok })).score,
        );
    for (let v = 0; v < 30; v++)
      expect(gridScore(month({ reported: 3, visits: v + 1 })).score).toBeGreaterThanOrEqual(
        gridScore(month({ reported: 3, visits: v })).score,
      );
    const r = DEFAULT_GRID_SCORE_RULES;
    expect(r.reportPoints + r.visitPoints + r.onTimePoints + r.satisfactionPoints).toBe(100);
  });
});

describe.each(ENGINES)('grid scores from events feed the pay line on %s', (engine) => {
  let t: TestApp;
  let yinzhou: Client, grid: Client, jiangcheng: Client;
  beforeAll(async () => {
    t = await createTestApp(engine);
    [yinzhou, grid, jiangcheng] = await Promise.all(['yinzhou', 'grid-jc-001', 'jiangcheng'].map((u) => t.login(u)));
  });
  afterAll(async () => t?.close());

  type Score = { workerId: string; name: string; score: number; counts: GridMonth; parts: { code: string; points: number }[] };
  const thisMonth = todayInShanghai().slice(0, 7);
  const scores = async () =>
    (await yinzhou.post('/api/workforce/pay/grid-scores', { districtCode: '330212', month: thisMonth })).json().items as Score[];

  it('counts what the grid worker reported, closed on time and how residents rated it', async () => {
    const before = (await scores()).find((s) => s.name === '王建国')!;
    expect(before, 'the demo grid worker 王建国 signs in as grid-jc-001').toBeDefined();
    // Only grid workers (a 网格员 sign-in) are scored: 陈丽华 has none.
    expect((await scores()).some((s) => s.name === '陈丽华')).toBe(false);

    const house = (
      await t.ctx.db.selectFrom('house').select('code').where('code', 'like', '330212014027001%').orderBy('code').executeTakeFirstOrThrow()
    ).code;
    const act = async (id: string, action: string, body: Record<string, unknown> = {}) => {
      const version = (await grid.get(`/api/events/${id}`)).json().version;
      const r = await grid.post(`/api/events/${id}/actions/${action}`, { version, ...body });
      expect(r.statusCode, `${action}: ${r.body}`).toBe(200);
    };
    const e = (await grid.post('/api/events', { categoryCode: 'env.garbage', title: '5幢门口垃圾满溢', placeCode: house })).json().event;
    await act(e.id, 'handle', { note: '已清运', photos: [jpeg()] });
    await act(e.id, 'verify');
    await act(e.id, 'close');
    await act(e.id, 'evaluate', { satisfaction: 5 });

    const after = (await scores()).find((s) => s.name === '王建国')!;
    expect(after.counts).toEqual({
      reported: before.counts.reported + 1,
      visits: before.counts.visits,
      closed: before.counts.closed + 1,
      closedOnTime: before.counts.closedOnTime + 1,
      ratings: before.counts.ratings + 1,
      ratingSum: before.counts.ratingSum + 5,
    });
    expect(after.score).toBeGreaterThan(before.score);
    expect(after.parts.map((p) => p.code)).toEqual(['report', 'visit', 'on_time', 'satisfaction']);

    // The pay preview of the month carries the score into the 网格绩效 line.
    const slip = (await yinzhou.post('/api/workforce/pay/preview', { workerId: after.workerId, month: thisMonth })).json();
    const line = slip.items.find((i: { code: string }) => i.code === 'grid');
    expect(line.explain).toContain(`本月网格考评 ${after.score} 分`);
    expect(line.amountFen).toBeGreaterThan(0);

    // The listing shows the stored scores; a community worker may not compute pay.
    const listed = (await yinzhou.get(`/api/workforce/pay/grid-scores?districtCode=330212&month=${thisMonth}`)).json().items as Score[];
    expect(listed.find((s) => s.name === '王建国')!.score).toBe(after.score);
    expect((await jiangcheng.post('/api/workforce/pay/grid-scores', { districtCode: '330212', month: thisMonth })).statusCode).toBe(403);
    expect((await grid.post('/api/workforce/pay/grid-scores', { districtCode: '330212', month: '2026-13' })).statusCode).toBe(400);
  });

  it('counts the visits a grid worker logs (走访), and only they or HR may log them', async () => {
    const before = (await scores()).find((s) => s.name === '王建国')!;
    const today = todayInShanghai();
    const own = await grid.post('/api/workforce/visits', {
      visitedOn: today,
      kind: 'household',
      place: '江城花园3幢1单元',
      note: '独居老人近况',
    });
    expect(own.statusCode, own.body).toBe(201);
    expect(own.json().workerId).toBe(before.workerId);
    // HR of the district logs one for the worker; a community worker without manage may not.
    const hr = await yinzhou.post('/api/workforce/visits', {
      workerId: before.workerId,
      visitedOn: today,
      kind: 'business',
      place: '江城菜场',
    });
    expect(hr.statusCode, hr.body).toBe(201);
    const other = await jiangcheng.post('/api/workforce/visits', {
      workerId: before.workerId,
      visitedOn: today,
      kind: 'other',
      place: '江城菜场',
    });
    expect([403, 404]).toContain(other.statusCode);
    // A visit in the future is refused with its field; an unknown kind by the schema.
    const future = await grid.post('/api/workforce/visits', { visitedOn: '2099-01-01', kind: 'household', place: '江城花园' });
    expect(future.statusCode).toBe(400);
    expect(future.json().error.details.problems[0].field).toBe('visitedOn');
    expect((await grid.post('/api/workforce/visits', { visitedOn: today, kind: 'party', place: '江城花园' })).statusCode).toBe(400);

    const listed = (await grid.get(`/api/workforce/visits?month=${thisMonth}`)).json();
    expect(listed.items.map((v: { place: string }) => v.place)).toEqual(expect.arrayContaining(['江城花园3幢1单元', '江城菜场']));
    const after = (await scores()).find((s) => s.name === '王建国')!;
    expect(after.counts.visits).toBe(before.counts.visits + 2);
    expect(after.score).toBeGreaterThan(before.score);
    expect(after.parts.find((p) => p.code === 'visit')!.points).toBeGreaterThan(before.parts.find((p) => p.code === 'visit')!.points);
  });
});
