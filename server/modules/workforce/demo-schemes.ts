import type { FourLevelRules, ThreePostRules } from './pay-rules.ts';

/**
 * The two demo pay schemes. Where each number comes from (docs/workforce-pay.md has the table):
 * - structure: 三岗十八级 = 正职/副职/其他专职 × 18 grades by years, education and qualification
 *   (seeds 000 鄞州, 002 常州); 四级六档 = 一肩挑/正职/副职/一般工作人员 × 6 steps by points for
 *   years, last appraisal and education, grade subsidy 400–2000 yuan a month, +200 yuan a month
 *   with a social-work certificate (seed 003 五华).
 * - every other amount (post pay, grade steps, performance, points, thresholds) is a labelled
 *   EXAMPLE chosen to be plausible, not a published table.
 */

const ramp = (start: number, step: number, n: number) => Array.from({ length: n }, (_, i) => start + step * i);

export const DEMO_THREE_POST: ThreePostRules = {
  kind: 'three_post_eighteen_grade',
  postPayFen: { head: 150_000, deputy: 120_000, staff: 100_000 },
  gradePayFen: { head: ramp(180_000, 10_000, 18), deputy: ramp(150_000, 9_000, 18), staff: ramp(120_000, 8_000, 18) },
  yearsPerGrade: 3,
  educationGrades: { secondary: 0, high_school: 0, junior_college: 1, bachelor: 2, master: 3, doctor: 4 },
  qualificationGrades: { assistant_social_worker: 1, social_worker: 2, senior_social_worker: 3 },
  performanceFen: { excellent: 60_000, competent: 45_000, basic: 25_000, incompetent: 0 },
  qualificationFen: { assistant_social_worker: 10_000, social_worker: 20_000, senior_social_worker: 30_000 },
  gridPerformanceMaxFen: 50_000,
  otherItems: [
    { code: 'party_affairs', label: '党务工作补贴', amountFen: 20_000, when: 'party_affairs' },
    { code: 'phone', label: '通讯补贴', amountFen: 10_000, when: 'all' },
  ],
};

export const DEMO_FOUR_LEVEL: FourLevelRules = {
  kind: 'four_level_six_step',
  postPayFen: { dual_head: 180_000, head: 160_000, deputy: 140_000, staff: 120_000 },
  subsidyFen: {
    dual_head: ramp(150_000, 10_000, 6),
    head: ramp(110_000, 12_000, 6),
    deputy: ramp(80_000, 12_000, 6),
    staff: ramp(40_000, 10_000, 6),
  },
  points: {
    perYear: 1,
    maxYears: 30,
    appraisal: { excellent: 5, competent: 3, basic: 1, incompetent: -3 },
    education: { secondary: 0, high_school: 0, junior_college: 2, bachelor: 4, master: 6, doctor: 8 },
  },
  stepThresholds: [0, 6, 12, 18, 24, 30],
  performanceFen: { excellent: 50_000, competent: 40_000, basic: 20_000, incompetent: 0 },
  // Seed 003: "有了这个本本……每个月的补贴可以增加200元".
  qualificationFen: { assistant_social_worker: 20_000, social_worker: 20_000, senior_social_worker: 20_000 },
  gridPerformanceMaxFen: 40_000,
  otherItems: [{ code: 'party_affairs', label: '党务工作补贴', amountFen: 15_000, when: 'party_affairs' }],
};
