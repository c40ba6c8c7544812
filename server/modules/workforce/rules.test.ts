import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createCalendar } from '../../core/calendar.ts';
import { chineseDaysRows } from '../../core/calendar-data.ts';
import { awardProblem, careProblems, decisionProblems, healthCheckState, honourCandidates, yearAfter } from './honours.ts';
import { planRota } from './rota.ts';
import { bonusFor, rankCandidates, screen, totalScore, type Requirements } from './recruitment-rules.ts';

const T = { certificateYears: 20, medalYears: 30, gengyunYears: 20 };

describe('honours from years of service', () => {
  it.each([
    ['2007-01-01', []],
    ['2006-12-31', ['service_certificate', 'gengyun']],
    ['1996-12-31', ['service_certificate', 'service_medal', 'gengyun']],
    ['1997-01-01', ['service_certificate', 'gengyun']],
  ] as const)('started %s → %j in 2026', (workStart, kinds) => {
    const got = honourCandidates([{ id: 'w', workStart, awarded: [] }], 2026, T).map((c) => c.kind);
    expect(got).toEqual(kinds);
  });
  it('each honour once; thresholds are per district', () => {
    const w = { id: 'w', workStart: '1990-03-01', awarded: ['service_certificate' as const] };
    expect(honourCandidates([w], 2026, T).map((c) => c.kind)).toEqual(['service_medal', 'gengyun']);
    expect(honourCandidates([w], 2026, { ...T, medalYears: 40, gengyunYears: 40 })).toEqual([]);
  });
  it('awards: 50 000 yuan individual, 100 000 collective, one fen more is refused', () => {
    expect(awardProblem(5_000_000, false)).toBeNull();
    expect(awardProblem(5_000_001, false)).toContain('5 万元');
    expect(awardProblem(10_000_000, true)).toBeNull();
    expect(awardProblem(10_000_001, true)).toContain('10 万元');
    expect(awardProblem(-1, true)).not.toBeNull();
  });
});

describe('yearly health checks: done, due, overdue', () => {
  it.each([
    // checks, today, deadline month → status, last check, due by
    [['2026-04-18'], '2026-12-05', 12, 'done', '2026-04-18', null],
    [['2025-03-01', '2026-02-01', '2026-06-30'], '2026-12-05', 12, 'done', '2026-06-30', null],
    [[], '2026-12-05', 12, 'due', null, '2026-12-31'],
    [[], '2027-01-01', 12, 'overdue', null, '2026-12-31'],
    [[], '2026-07-01', 6, 'overdue', null, '2026-06-30'],
    [[], '2026-06-30', 6, 'due', null, '2026-06-30'],
    [['2025-11-20'], '2026-11-20', 12, 'due', '2025-11-20', '2026-11-20'],
    [['2025-11-20'], '2026-11-21', 12, 'overdue', '2025-11-20', '2026-11-20'],
    [['2025-11-20'], '2026-03-01', 6, 'due', '2025-11-20', '2026-06-30'],
    [['2024-02-29'], '2026-01-02', 12, 'overdue', '2024-02-29', '2025-02-28'],
    [['2025-06-01'], '2025-12-05', 12, 'due', '2025-06-01', '2026-06-01'], // a year not begun
    [['2019-05-01', '2027-02-01'], '2027-03-01', 12, 'overdue', '2019-05-01', '2020-05-01'],
    [[], '2025-12-31', 1, 'due', null, '2026-01-31'],
  ] as const)('checks %j on %s, by month %i → %s', (checks, today, byMonth, status, lastCheckOn, dueBy) => {
    expect(healthCheckState(checks, 2026, today, byMonth)).toEqual({ status, lastCheckOn, dueBy });
  });
  it('a year after, 29 February to 28 February', () => {
    expect(yearAfter('2025-11-20')).toBe('2026-11-20');
    expect(yearAfter('2024-02-29')).toBe('2025-02-28');
  });
  it('for any checks: done exactly when one is in the year; overdue exactly when past a due date', () => {
    const day = fc
      .tuple(fc.integer({ min: 2023, max: 2027 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }))
      .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
    fc.assert(
      fc.property(fc.array(day, { maxLength: 4 }), day, fc.integer({ min: 1, max: 12 }), (checks, today, byMonth) => {
        const s = healthCheckState(checks, 2026, today, byMonth);
        if (checks.some((c) => c.startsWith('2026'))) return s.status === 'done' && s.dueBy === null;
        if (!s.dueBy || s.dueBy > `2026-${String(byMonth).padStart(2, '0')}-31`) return false;
        return s.status === (today >= '2026-01-01' && today > s.dueBy ? 'overdue' : 'due');
      }),
      { numRuns: 200 },
    );
  });
  it('care records: a fund application names amount and reason; a check is dated within its year, not ahead', () => {
    expect(careProblems({ kind: 'care_fund', year: 2026 }, '2026-12-05').map((p) => p.field)).toEqual(['amountFen', 'reason']);
    expect(careProblems({ kind: 'care_fund', year: 2026, amountFen: 100, reason: ' ' }, '2026-12-05')).toHaveLength(1);
    expect(careProblems({ kind: 'care_fund', year: 2026, amountFen: 100, reason: '住院' }, '2026-12-05')).toEqual([]);
    expect(careProblems({ kind: 'health_check', year: 2026 }, '2026-12-05')).toEqual([]);
    expect(careProblems({ kind: 'health_check', year: 2025 }, '2026-12-05')[0].reason).toBe('体检日期须在 2025 年内');
    expect(careProblems({ kind: 'health_check', year: 2025, checkedOn: '2025-06-01' }, '2026-12-05')).toEqual([]);
    expect(careProblems({ kind: 'health_check', year: 2026, checkedOn: '2026-12-06' }, '2026-12-05')[0].reason).toBe(
      '体检日期不能晚于今天',
    );
  });
  it('a refusal needs a reason, an approval does not', () => {
    expect(decisionProblems(false, '  ')).toEqual([{ field: 'note', reason: '不予批准须说明理由' }]);
    expect(decisionProblems(false, '已享受本年度困难补助')).toEqual([]);
    expect(decisionProblems(true, undefined)).toEqual([]);
  });
});

describe('rota on the working-day calendar', () => {
  const cal = createCalendar(chineseDaysRows());
  it('October 2026: the National Day holidays are holiday duty, make-up Saturdays are working days', () => {
    const workers = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, onboarded: true }));
    const { duties } = planRota(cal, '2026-10', workers);
    expect(duties).toHaveLength(31);
    const byDay = new Map(duties.map((d) => [d.day, d.shift]));
    expect(byDay.get('2026-10-01')).toBe('holiday');
    expect(byDay.get('2026-10-07')).toBe('holiday');
    expect(byDay.get('2026-10-10')).toBe('late'); // 调休上班 Saturday
    expect(byDay.get('2026-10-12')).toBe('late');
    expect(byDay.get('2026-10-17')).toBe('weekend');
    const holidays = new Map<string, number>();
    for (const d of duties) if (d.shift === 'holiday') holidays.set(d.workerId, (holidays.get(d.workerId) ?? 0) + 1);
    const counts = [...holidays.values()];
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
  });
  it('nobody before onboarding; nobody twice in a row; holiday duty spreads fairly for any team', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 12 }), fc.integer({ min: 0, max: 3 }), (n, untrained) => {
        const workers = Array.from({ length: n + untrained }, (_, i) => ({ id: `w${i}`, onboarded: i < n }));
        const { duties, excluded } = planRota(cal, '2026-02', workers);
        if (excluded.length !== untrained) return false;
        if (duties.some((d) => Number(d.workerId.slice(1)) >= n)) return false;
        if (duties.some((d, i) => i > 0 && duties[i - 1].workerId === d.workerId)) return false;
        const off = new Map<string, number>(workers.slice(0, n).map((w) => [w.id, 0]));
        for (const d of duties) if (d.shift !== 'late') off.set(d.workerId, off.get(d.workerId)! + 1);
        const v = [...off.values()];
        return Math.max(...v) - Math.min(...v) <= 1;
      }),
      { numRuns: 60 },
    );
  });
});

describe('recruitment rules', () => {
  const req: Requirements = { minAge: 18, maxAge: 35, ageOn: '2026-03-01', minEducation: 'bachelor', majors: [], fullTimeOnly: true };
  const ok = { birthDate: '1998-05-01', education: 'bachelor' as const, major: '社会工作', fullTime: true, certificates: [] };
  it('screens with every reason', () => {
    expect(screen(ok, req)).toEqual({ eligible: true, reasons: [] });
    const bad = screen({ ...ok, birthDate: '1990-01-01', education: 'junior_college', fullTime: false }, { ...req, majors: ['心理'] });
    expect(bad.eligible).toBe(false);
    expect(bad.reasons).toHaveLength(4);
    expect(bad.reasons[0]).toContain('超过 35 岁');
    expect(screen({ ...ok, birthDate: '1990-03-01' }, req).reasons).toEqual(['年龄 36 岁，超过 35 岁']);
    expect(screen({ ...ok, birthDate: '1990-03-02' }, req).eligible).toBe(true);
  });
  it('applies the highest certificate bonus only', () => {
    const table = { assistant_social_worker: 2, social_worker: 3, counsellor: 1 };
    expect(bonusFor(['counsellor', 'social_worker'], table).points).toBe(3);
    expect(bonusFor([], table)).toEqual({ points: 0, reason: '无加分证书' });
  });
  it('ranks by total, then written, interview and application order', () => {
    const a = { id: 'a', written: 80, interview: 80, total: totalScore(78, 2, 80, 0.5), seq: 2 };
    const b = { id: 'b', written: 80, interview: 80, total: totalScore(80, 0, 80, 0.5), seq: 1 };
    const c = { id: 'c', written: 85, interview: 70, total: totalScore(85, 0, 74, 0.5), seq: 0 };
    expect(rankCandidates([a, b, c]).map((x) => x.id)).toEqual(['b', 'a', 'c']);
  });
});
