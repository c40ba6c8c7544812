import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  checkRules,
  gradeFor,
  highestQualification,
  monthlyPay,
  proposeGrade,
  stepForPoints,
  yearsOfService,
  EDUCATIONS,
  POSTS,
  APPRAISALS,
  type WorkerFacts,
} from './pay-rules.ts';
import { DEMO_FOUR_LEVEL, DEMO_THREE_POST } from './demo-schemes.ts';
import { packPayLines, runGrades, runPay, unpackItems } from './grade-run.ts';

const base: WorkerFacts = {
  post: 'staff',
  workStart: '2016-03-01',
  education: 'bachelor',
  certificates: [],
  appraisals: [],
  partyAffairs: false,
};
const amount = (slip: ReturnType<typeof monthlyPay>, code: string) => slip.items.find((i) => i.code === code)?.amountFen;

describe('years of service', () => {
  it.each([
    ['2006-12-31', '2026-12-30', 19],
    ['2006-12-31', '2026-12-31', 20],
    ['2006-01-01', '2026-01-01', 20],
    ['2004-02-29', '2024-02-28', 19],
    ['2004-02-29', '2024-02-29', 20],
    ['2020-05-01', '2019-01-01', 0],
    ['2026-05-01', '2026-05-01', 0],
  ])('from %s to %s is %i full years', (start, on, years) => {
    expect(yearsOfService(start, on)).toBe(years);
  });
});

describe('三岗十八级 grade', () => {
  const r = DEMO_THREE_POST;
  it.each([
    // years, education, certificate, post → grade
    [0, 'high_school', null, 'staff', 1],
    [2, 'high_school', null, 'staff', 1],
    [3, 'high_school', null, 'staff', 2],
    [5, 'bachelor', null, 'staff', 4],
    [6, 'bachelor', 'assistant_social_worker', 'staff', 6],
    [6, 'bachelor', 'social_worker', 'deputy', 7],
    [20, 'master', 'senior_social_worker', 'head', 13],
    [45, 'doctor', 'senior_social_worker', 'dual_head', 18],
  ] as const)('%i years, %s, %s, %s → grade %i', (years, education, cert, post, grade) => {
    const facts: WorkerFacts = {
      ...base,
      post,
      education,
      workStart: `${2026 - years}-01-01`,
      certificates: cert ? [{ kind: cert, issuedOn: '2010-01-01' }] : [],
    };
    expect(gradeFor(r, facts, '2026-01-01').grade).toBe(grade);
  });

  it('the highest certificate counts once, a counselling certificate not at all', () => {
    const certs = [
      { kind: 'assistant_social_worker' as const, issuedOn: '2015-01-01' },
      { kind: 'social_worker' as const, issuedOn: '2018-01-01' },
      { kind: 'counsellor' as const, issuedOn: '2012-01-01' },
    ];
    expect(highestQualification(certs, '2017-12-31')).toBe('assistant_social_worker');
    expect(highestQualification(certs, '2018-01-01')).toBe('social_worker');
    expect(highestQualification([{ kind: 'counsellor', issuedOn: '2012-01-01' }], '2020-01-01')).toBeNull();
  });

  it('a certificate gained mid-year changes the grade only at the next yearly run', () => {
    const facts = { ...base, certificates: [{ kind: 'social_worker' as const, issuedOn: '2026-06-15' }] };
    // 2016-03-01 to 2026-01-01: 9 full years → 1 + 3 + 2 (bachelor) = 6; the June certificate not yet.
    const y2026 = proposeGrade(r, facts, null, 2026);
    const y2027 = proposeGrade(r, facts, y2026.proposed, 2027);
    expect(y2026.proposed).toBe(6);
    expect(y2027.proposed).toBe(1 + 3 + 2 + 2);
    expect(y2027.reasons.join()).toContain('社会工作师：+2');
  });

  it('a 不称职 appraisal holds the grade; the run never lowers a grade', () => {
    const facts = { ...base, workStart: '2005-01-01', appraisals: [{ year: 2025, result: 'incompetent' as const }] };
    const held = proposeGrade(r, facts, 5, 2026);
    expect(held.proposed).toBe(5);
    expect(held.reasons.join()).toContain('不称职');
    const high = proposeGrade(r, { ...base }, 15, 2026);
    expect(high.proposed).toBe(15);
    expect(high.reasons.join()).toContain('保留 15');
  });

  it('first grading uses the rules as they stand', () => {
    const p = proposeGrade(r, base, null, 2026);
    expect(p.current).toBeNull();
    expect(p.proposed).toBe(gradeFor(r, base, '2026-01-01').grade);
  });
});

describe('四级六档 step', () => {
  const r = DEMO_FOUR_LEVEL;
  it.each([
    [0, 1],
    [5, 1],
    [6, 2],
    [11, 2],
    [12, 3],
    [18, 4],
    [24, 5],
    [29, 5],
    [30, 6],
    [99, 6],
  ])('%i points → step %i', (points, step) => {
    expect(stepForPoints(r.stepThresholds, points)).toBe(step);
  });

  it('points add years (capped at 30), last appraisal and education', () => {
    const facts: WorkerFacts = {
      ...base,
      post: 'dual_head',
      workStart: '2004-01-01',
      education: 'bachelor',
      appraisals: [{ year: 2025, result: 'excellent' }],
    };
    const g = gradeFor(r, facts, '2026-01-01');
    expect(g.points).toBe(22 + 5 + 4);
    expect(g.grade).toBe(6);
    const capped = gradeFor(r, { ...facts, workStart: '1980-01-01' }, '2026-01-01');
    expect(capped.points).toBe(30 + 5 + 4);
  });

  it('a bad appraisal can lower the step under 四级六档', () => {
    const good = {
      ...base,
      workStart: '2012-01-01',
      education: 'high_school' as const,
      appraisals: [{ year: 2025, result: 'competent' as const }],
    };
    const bad = { ...good, appraisals: [{ year: 2025, result: 'incompetent' as const }] };
    expect(proposeGrade(r, good, 3, 2026).proposed).toBe(3); // 14 + 3 = 17 → step 3
    expect(proposeGrade(r, bad, 3, 2026).proposed).toBe(2); // 14 - 3 = 11 → step 2
  });

  it('the subsidy stays within 400–2000 yuan: the bounds are accepted, one fen outside is refused', () => {
    const at = structuredClone(r);
    at.subsidyFen.staff = [40_000, 40_000, 50_000, 60_000, 70_000, 80_000];
    at.subsidyFen.dual_head = [150_000, 160_000, 170_000, 180_000, 190_000, 200_000];
    expect(checkRules(at).ok).toBe(true);
    const below = structuredClone(at);
    below.subsidyFen.staff[0] = 39_999;
    const above = structuredClone(at);
    above.subsidyFen.dual_head[5] = 200_001;
    for (const bad of [below, above]) {
      const c = checkRules(bad);
      expect(c.ok).toBe(false);
      if (!c.ok) expect(c.problems[0].reason).toContain('400–2000');
    }
    const lowest = monthlyPay(at, { ...base, workStart: '2026-01-01', education: 'high_school' }, 1, '2026-03');
    expect(amount(lowest, 'grade')).toBe(40_000);
    const highest = monthlyPay(at, { ...base, post: 'dual_head' }, 6, '2026-03');
    expect(amount(highest, 'grade')).toBe(200_000);
  });
});

describe('monthly pay', () => {
  it('sums post + grade + performance + qualification + other items, each explained', () => {
    const facts: WorkerFacts = {
      ...base,
      post: 'deputy',
      partyAffairs: true,
      certificates: [{ kind: 'social_worker', issuedOn: '2020-01-01' }],
      appraisals: [{ year: 2025, result: 'excellent' }],
    };
    const slip = monthlyPay(DEMO_THREE_POST, facts, 7, '2026-03');
    expect(slip.items.map((i) => i.code)).toEqual(['post', 'grade', 'performance', 'qualification', 'party_affairs', 'phone']);
    expect(amount(slip, 'post')).toBe(120_000);
    expect(amount(slip, 'grade')).toBe(150_000 + 6 * 9_000);
    expect(amount(slip, 'performance')).toBe(60_000);
    expect(amount(slip, 'qualification')).toBe(20_000);
    expect(slip.totalFen).toBe(120_000 + 204_000 + 60_000 + 20_000 + 20_000 + 10_000);
    for (const i of slip.items) expect(i.explain.length).toBeGreaterThan(1);
  });

  it('a certificate gained mid-year pays +200 yuan from the month after its issue (五华)', () => {
    const facts = { ...base, certificates: [{ kind: 'assistant_social_worker' as const, issuedOn: '2026-06-15' }] };
    expect(amount(monthlyPay(DEMO_FOUR_LEVEL, facts, 2, '2026-06'), 'qualification')).toBe(0);
    expect(amount(monthlyPay(DEMO_FOUR_LEVEL, facts, 2, '2026-07'), 'qualification')).toBe(20_000);
    const lastDay = { ...base, certificates: [{ kind: 'social_worker' as const, issuedOn: '2026-06-30' }] };
    expect(amount(monthlyPay(DEMO_FOUR_LEVEL, lastDay, 2, '2026-07'), 'qualification')).toBe(20_000);
  });

  it('performance follows last year’s appraisal; none gives 0 with the reason', () => {
    for (const a of APPRAISALS) {
      const slip = monthlyPay(DEMO_FOUR_LEVEL, { ...base, appraisals: [{ year: 2025, result: a }] }, 1, '2026-01');
      expect(amount(slip, 'performance')).toBe(DEMO_FOUR_LEVEL.performanceFen[a]);
    }
    const none = monthlyPay(DEMO_FOUR_LEVEL, base, 1, '2026-01');
    expect(amount(none, 'performance')).toBe(0);
    expect(none.items.find((i) => i.code === 'performance')!.explain).toContain('无考核');
  });

  it('grid performance scales with the month score and rounds to the fen', () => {
    const slip = monthlyPay(DEMO_THREE_POST, { ...base, monthScore: 86.5 }, 3, '2026-03');
    expect(amount(slip, 'grid')).toBe(Math.round(50_000 * 0.865));
    expect(amount(monthlyPay(DEMO_THREE_POST, base, 3, '2026-03'), 'grid')).toBeUndefined();
  });

  it('every amount is an integer number of fen for every post, grade and appraisal', () => {
    for (const rules of [DEMO_THREE_POST, DEMO_FOUR_LEVEL]) {
      for (const post of POSTS)
        for (const education of EDUCATIONS)
          for (const g of [1, 3, 6, 12, 18]) {
            const slip = monthlyPay(rules, { ...base, post, education, monthScore: 33.33 }, g, '2026-05');
            for (const i of slip.items) expect(Number.isInteger(i.amountFen)).toBe(true);
            expect(slip.totalFen).toBe(slip.items.reduce((s, i) => s + i.amountFen, 0));
          }
    }
  });
});

describe('properties', () => {
  const facts = fc.record({
    post: fc.constantFrom(...POSTS),
    education: fc.constantFrom(...EDUCATIONS),
    cert: fc.constantFrom(null, 'assistant_social_worker', 'social_worker', 'senior_social_worker', 'counsellor'),
    appraisal: fc.constantFrom(null, ...APPRAISALS),
    current: fc.option(fc.integer({ min: 1, max: 6 })),
  });
  it('more years of service never lower a grade or step, all else equal', () => {
    fc.assert(
      fc.property(facts, fc.integer({ min: 0, max: 45 }), fc.integer({ min: 1, max: 10 }), (f, years, more) => {
        for (const rules of [DEMO_THREE_POST, DEMO_FOUR_LEVEL]) {
          const mk = (y: number): WorkerFacts => ({
            ...base,
            post: f.post,
            education: f.education,
            workStart: `${2026 - y}-01-01`,
            certificates: f.cert ? [{ kind: f.cert, issuedOn: '2000-01-01' }] : [],
            appraisals: f.appraisal ? [{ year: 2025, result: f.appraisal }] : [],
          });
          const a = proposeGrade(rules, mk(years), f.current ?? null, 2026).proposed;
          const b = proposeGrade(rules, mk(years + more), f.current ?? null, 2026).proposed;
          if (b < a) return false;
        }
        return true;
      }),
      { numRuns: 500 },
    );
  });

  it('the demo schemes pass their own checks; broken tables are refused with the field', () => {
    expect(checkRules(DEMO_THREE_POST).ok).toBe(true);
    expect(checkRules(DEMO_FOUR_LEVEL).ok).toBe(true);
    const short = structuredClone(DEMO_THREE_POST);
    short.gradePayFen.head = short.gradePayFen.head.slice(0, 17);
    const fractional = structuredClone(DEMO_THREE_POST);
    fractional.postPayFen.staff = 100.5;
    const descending = structuredClone(DEMO_FOUR_LEVEL);
    descending.stepThresholds = [0, 6, 5, 18, 24, 30];
    const fields = [short, fractional, descending].map((x) => {
      const c = checkRules(x);
      return c.ok ? null : c.problems[0].field;
    });
    expect(fields).toEqual(['gradePayFen.head', 'postPayFen.staff', 'stepThresholds']);
    expect(checkRules({ kind: 'nine_grades' }).ok).toBe(false);
  });

  it('runs over many workers count changes and total the fen', () => {
    const workers = Array.from({ length: 50 }, (_, i) => ({
      ...base,
      id: String(i),
      workStart: `${1990 + (i % 36)}-0${1 + (i % 9)}-01`,
      grade: i % 3 === 0 ? null : 2,
    }));
    const g = runGrades(DEMO_THREE_POST, workers, 2026);
    expect(g.lines).toHaveLength(50);
    expect(g.changed).toBe(g.lines.filter((l) => l.current !== l.proposed).length);
    const p = runPay(DEMO_FOUR_LEVEL, workers, '2026-03');
    expect(p.totalFen).toBe(p.lines.reduce((s, l) => s + l.totalFen, 0));
  });
});

describe('pay lines stored with a dictionary of explanations', () => {
  it('reads back exactly what was computed, with far fewer distinct texts than items', () => {
    const workers = Array.from({ length: 400 }, (_, i) => ({
      ...base,
      id: `w${i}`,
      post: POSTS[i % POSTS.length],
      workStart: `${1995 + (i % 30)}-0${1 + (i % 9)}-01`,
      education: EDUCATIONS[i % EDUCATIONS.length],
      certificates: i % 3 ? [] : [{ kind: 'social_worker' as const, issuedOn: '2020-06-20' }],
      appraisals: [{ year: 2025, result: APPRAISALS[i % 4] }],
      grade: null,
      monthScore: i % 5 ? null : 60 + (i % 40),
    }));
    const { lines } = runPay(DEMO_FOUR_LEVEL, workers, '2026-10');
    const packed = packPayLines(lines);
    expect(packed.lines.map((l) => unpackItems(packed.dict, l.items))).toEqual(lines.map((l) => l.items));
    const itemCount = lines.reduce((n, l) => n + l.items.length, 0);
    expect(packed.dict.length).toBeLessThan(itemCount / 5);
    expect(() => unpackItems(packed.dict, [[packed.dict.length, 100]])).toThrow(/does not have/);
  });
});
