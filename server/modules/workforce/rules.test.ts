import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createCalendar } from '../../core/calendar.ts';
import { chineseDaysRows } from '../../core/calendar-data.ts';
import { awardProblem, honourCandidates } from './honours.ts';
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
