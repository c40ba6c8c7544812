import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ENGINES, type Client, type TestApp } from '../../test/harness.ts';
import { createCalendar } from '../../core/calendar.ts';
import { chineseDaysRows } from '../../core/calendar-data.ts';
import { planRota } from './rota.ts';

/**
 * The rota's onboarding gate by the day (W5), holiday fairness carried over the months of a year
 * (W7), and the yearly training minimum at its boundary (W5).
 */

describe('the rota, pure', () => {
  const cal = createCalendar(chineseDaysRows());
  it('someone onboarded on the 20th is on duty from the 20th, never before', () => {
    const workers = [
      { id: 'a', onboarded: true, onboardedOn: '2020-01-01' },
      { id: 'b', onboarded: true, onboardedOn: '2026-11-20' },
    ];
    const { duties, excluded } = planRota(cal, '2026-11', workers);
    expect(excluded).toEqual([]);
    expect(duties).toHaveLength(30);
    const bDays = duties.filter((d) => d.workerId === 'b').map((d) => d.day);
    expect(bDays.length).toBeGreaterThan(0);
    expect(bDays.every((d) => d >= '2026-11-20')).toBe(true);
    expect(bDays[0]).toBe('2026-11-20'); // fewest duties: the newcomer takes the first day open to them
  });
  it('a day before anyone is onboarded stays open', () => {
    const { duties } = planRota(cal, '2026-11', [{ id: 'b', onboarded: true, onboardedOn: '2026-11-20' }]);
    expect(duties.map((d) => d.day)).toEqual(Array.from({ length: 11 }, (_, i) => `2026-11-${20 + i}`));
  });
  it('holiday duty earlier in the year counts: who did none is picked first', () => {
    const workers = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, onboarded: true }));
    const fresh = planRota(cal, '2026-10', workers).duties.filter((d) => d.shift === 'holiday');
    expect(fresh[0].workerId).toBe('a'); // without history, the fixed order decides
    const prior = new Map([
      ['a', { late: 10, weekend: 2, holiday: 1 }],
      ['b', { late: 10, weekend: 2, holiday: 1 }],
    ]);
    const carried = planRota(cal, '2026-10', workers, prior).duties.filter((d) => d.shift === 'holiday');
    expect(carried.slice(0, 3).map((d) => d.workerId)).toEqual(['c', 'd', 'e']);
  });
});

describe.each(ENGINES)('rota and training through the API on %s', (engine) => {
  let t: TestApp;
  let fuming: Client, yinzhou: Client;
  let workers: { id: string; name: string; communityCode: string; onboardedOn: string | null }[];
  const JC = '330212014027';
  beforeAll(async () => {
    t = await createTestApp(engine);
    [fuming, yinzhou] = await Promise.all(['fuming', 'yinzhou'].map((u) => t.login(u)));
    workers = (await fuming.get('/api/workforce/workers')).json().items;
  });
  afterAll(async () => t?.close());
  const id = (name: string) => workers.find((w) => w.name === name)!.id;
  type Duty = { day: string; shift: string; workerId: string };
  const generate = async (month: string) => {
    const r = await fuming.post('/api/workforce/rota/generate', { communityCode: JC, month });
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as { duties: Duty[]; excluded: string[] };
  };

  it('a worker onboarded mid-month gets no duty before that day, and duties from it on', async () => {
    const newcomer = id('吴思远');
    expect(workers.find((w) => w.id === newcomer)!.onboardedOn).toBeNull();
    const prog = (
      await yinzhou.post('/api/workforce/training/programmes', {
        districtCode: '330212',
        name: '2026年岗前培训（补训）',
        kind: 'onboarding',
        year: 2026,
      })
    ).json();
    const session = (
      await yinzhou.post(`/api/workforce/training/programmes/${prog.id}/sessions`, {
        title: '岗前集中培训（补训）',
        startOn: '2026-11-16',
        days: 3,
        hours: 24,
      })
    ).json();
    expect((await fuming.post(`/api/workforce/training/sessions/${session.id}/attendance`, { workerIds: [newcomer] })).statusCode).toBe(
      200,
    );
    const nov = await generate('2026-11');
    expect(nov.excluded).not.toContain(newcomer);
    expect(nov.duties).toHaveLength(30);
    const mine = nov.duties.filter((d) => d.workerId === newcomer).map((d) => d.day);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.filter((d) => d < '2026-11-16')).toEqual([]);
    // By hand as well: refused the day before, accepted on the day.
    const before = await fuming.post('/api/workforce/rota/duties', { workerId: newcomer, day: '2026-11-15' });
    expect(before.json().error.code).toBe('TRAINING_REQUIRED');
    expect((await fuming.post('/api/workforce/rota/duties', { workerId: newcomer, day: '2026-11-16' })).statusCode).toBe(201);
    // October lies wholly before the onboarding: left out.
    const oct = await generate('2026-10');
    expect(oct.excluded).toContain(newcomer);
  });

  it('holiday duty spreads over the year: who had holiday duty in May is picked after those who had none', async () => {
    const may = await generate('2026-05');
    const hadHoliday = new Set(may.duties.filter((d) => d.shift === 'holiday').map((d) => d.workerId));
    const team = new Set(may.duties.map((d) => d.workerId));
    const none = [...team].filter((w) => !hadHoliday.has(w));
    // The premise: May had holiday duty, and not everyone of the team took some.
    expect(hadHoliday.size).toBeGreaterThan(0);
    expect(none.length).toBeGreaterThan(0);
    const oct = await generate('2026-10');
    const holidays = oct.duties.filter((d) => d.shift === 'holiday');
    expect(holidays.length).toBeGreaterThan(none.length);
    expect(new Set(holidays.slice(0, none.length).map((d) => d.workerId))).toEqual(new Set(none));
  });

  it('the yearly minimum: exactly 3 training days is enough, 2.5 is not', async () => {
    const prog = (
      await yinzhou.post('/api/workforce/training/programmes', {
        districtCode: '330212',
        name: '2025年骨干培训',
        kind: 'liangyan',
        year: 2025,
      })
    ).json();
    const session = async (title: string, startOn: string, days: number, who: string[]) => {
      const s = (
        await yinzhou.post(`/api/workforce/training/programmes/${prog.id}/sessions`, { title, startOn, days, hours: days * 8 })
      ).json();
      const r = await yinzhou.post(`/api/workforce/training/sessions/${s.id}/attendance`, { workerIds: who.map(id) });
      expect(r.statusCode, r.body).toBe(200);
    };
    await session('三天集中培训', '2025-04-07', 3, ['陈丽华']);
    await session('两天半专题培训', '2025-05-12', 2.5, ['张蕾']);
    await session('两天培训', '2025-06-09', 2, ['胡志强']);
    await session('一天培训', '2025-09-15', 1, ['胡志强']);
    const c = (await fuming.get('/api/workforce/training/compliance?code=330212014&year=2025')).json();
    expect(c.minDays).toBe(3);
    const below = new Map((c.below as { name: string; days: number }[]).map((b) => [b.name, b.days]));
    expect(below.has('陈丽华')).toBe(false); // 3 days in one session
    expect(below.has('胡志强')).toBe(false); // 2 + 1 days
    expect(below.get('张蕾')).toBe(2.5);
    // Nobody else trained in 2025: the two above are the only ones compliant.
    expect(c.compliant).toBe(2);
    expect(c.total - c.below.length).toBe(2);
  });
});
