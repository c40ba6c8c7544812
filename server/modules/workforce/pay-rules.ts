/**
 * Pay rules for community workers (W4), pure: no I/O, no clock. A pay scheme is data (a rule
 * set stored as JSON, versioned by month), never a code branch per district:
 *
 * - 三岗十八级 (threePostEighteenGrade, Ningbo/Changzhou): three post types (正职 incl. 一肩挑, 副职,
 *   其他专职) × eighteen grades; the grade follows years of service, education and qualification.
 * - 四级六档 (fourLevelSixStep, Wuhua 五华区): four levels (一肩挑, 正职, 副职, 一般工作人员) × six
 *   steps; the step follows points for years, last appraisal and education; the grade subsidy
 *   (职级补贴) lies between 400 and 2000 yuan a month.
 *
 * The monthly allowance is post + grade + performance (last annual appraisal) + qualification
 * (a social-work certificate) + grid performance + other items, each line explained.
 * Money is integer fen (分) throughout.
 */
import type { AppraisalResult, CertificateKind, Education, PostKind, SchemeKind } from '../../db/types-workforce.ts';

export const EDUCATIONS: readonly Education[] = ['secondary', 'high_school', 'junior_college', 'bachelor', 'master', 'doctor'];
export const EDUCATION_ZH: Record<Education, string> = {
  secondary: '中专',
  high_school: '高中',
  junior_college: '大专',
  bachelor: '本科',
  master: '硕士研究生',
  doctor: '博士研究生',
};
export const POSTS: readonly PostKind[] = ['dual_head', 'head', 'deputy', 'staff'];
export const POST_ZH: Record<PostKind, string> = { dual_head: '书记·主任一肩挑', head: '正职', deputy: '副职', staff: '其他专职' };
export const APPRAISALS: readonly AppraisalResult[] = ['excellent', 'competent', 'basic', 'incompetent'];
export const APPRAISAL_ZH: Record<AppraisalResult, string> = {
  excellent: '优秀',
  competent: '称职',
  basic: '基本称职',
  incompetent: '不称职',
};
/** Social-work qualifications in ascending order (助理社会工作师 < 社会工作师 < 高级社会工作师). */
export const SOCIAL_WORK_LEVELS = ['assistant_social_worker', 'social_worker', 'senior_social_worker'] as const;
export type SocialWorkLevel = (typeof SOCIAL_WORK_LEVELS)[number];
export const CERTIFICATE_ZH: Record<CertificateKind, string> = {
  assistant_social_worker: '助理社会工作师',
  social_worker: '社会工作师',
  senior_social_worker: '高级社会工作师',
  counsellor: '心理咨询师',
  other: '其他证书',
};

/** 三岗: 一肩挑 counts as 正职. */
export type PostType = 'head' | 'deputy' | 'staff';
export const POST_TYPE_ZH: Record<PostType, string> = { head: '正职', deputy: '副职', staff: '其他专职' };
export function postTypeOf(post: PostKind): PostType {
  return post === 'dual_head' || post === 'head' ? 'head' : post;
}

export interface OtherItem {
  code: string;
  label: string;
  amountFen: number;
  /** Who gets it: everyone, party-affairs workers, or one post. */
  when: 'all' | 'party_affairs' | PostKind;
}

interface CommonRules {
  performanceFen: Record<AppraisalResult, number>;
  /** Monthly qualification allowance by the highest social-work certificate held. */
  qualificationFen: Record<SocialWorkLevel, number>;
  /** Grid performance allowance at a monthly score of 100 (scaled linearly). */
  gridPerformanceMaxFen: number;
  otherItems: OtherItem[];
}

export interface ThreePostRules extends CommonRules {
  kind: 'three_post_eighteen_grade';
  postPayFen: Record<PostType, number>;
  /** Monthly grade pay, 18 values per post type, grade 1 first. */
  gradePayFen: Record<PostType, number[]>;
  /** One grade per this many full years of service. */
  yearsPerGrade: number;
  educationGrades: Record<Education, number>;
  qualificationGrades: Record<SocialWorkLevel, number>;
}

export interface FourLevelRules extends CommonRules {
  kind: 'four_level_six_step';
  postPayFen: Record<PostKind, number>;
  /** 职级补贴 per level, 6 steps each, step 1 first; each 40 000–200 000 fen (400–2000 yuan). */
  subsidyFen: Record<PostKind, number[]>;
  points: {
    perYear: number;
    maxYears: number;
    appraisal: Record<AppraisalResult, number>;
    education: Record<Education, number>;
  };
  /** Points needed for steps 1–6; ascending, the first is 0. */
  stepThresholds: number[];
}

export type PayRules = ThreePostRules | FourLevelRules;

export const SUBSIDY_MIN_FEN = 40_000;
export const SUBSIDY_MAX_FEN = 200_000;
export const MAX_GRADE = 18;
export const STEPS = 6;

export interface WorkerFacts {
  post: PostKind;
  /** Start of community work, YYYY-MM-DD. */
  workStart: string;
  education: Education;
  certificates: ReadonlyArray<{ kind: CertificateKind; issuedOn: string }>;
  appraisals: ReadonlyArray<{ year: number; result: AppraisalResult }>;
  partyAffairs: boolean;
  /** The grid performance score (0–100) of the month being paid, when the worker has one. */
  monthScore?: number | null;
}

// ------------------------------------------------------------------ facts

/** Full years from `start` to `on` (both YYYY-MM-DD); 0 before the start. */
export function yearsOfService(start: string, on: string): number {
  if (on < start) return 0;
  const years = Number(on.slice(0, 4)) - Number(start.slice(0, 4));
  return on.slice(5) < start.slice(5) ? years - 1 : years;
}

/** The highest social-work qualification held on a day (issued on or before it). */
export function highestQualification(certs: WorkerFacts['certificates'], on: string): SocialWorkLevel | null {
  let best = -1;
  for (const c of certs) {
    const i = SOCIAL_WORK_LEVELS.indexOf(c.kind as SocialWorkLevel);
    if (i > best && c.issuedOn <= on) best = i;
  }
  return best < 0 ? null : SOCIAL_WORK_LEVELS[best];
}

export function appraisalOf(facts: WorkerFacts, year: number): AppraisalResult | null {
  return facts.appraisals.find((a) => a.year === year)?.result ?? null;
}

/** YYYY-MM of the month before. */
export function previousMonth(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

export function lastDayOfMonth(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  const d = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${month}-${String(d).padStart(2, '0')}`;
}

export const yuan = (fen: number) => (fen / 100).toFixed(2).replace(/\.00$/, '');

// ------------------------------------------------------------------ grade

export interface GradeResult {
  /** 三岗十八级: the grade 1–18; 四级六档: the step 1–6. */
  grade: number;
  /** 三岗 post type or 四级 level. */
  band: string;
  points: number | null;
  reasons: string[];
}

/**
 * The grade the rules give a worker on a day: for a yearly run the day is 1 January, the
 * appraisal is the previous year's, and only certificates issued by that day count.
 */
export function gradeFor(rules: PayRules, facts: WorkerFacts, asOf: string): GradeResult {
  const years = yearsOfService(facts.workStart, asOf);
  const lastYear = Number(asOf.slice(0, 4)) - 1;
  const appraisal = appraisalOf(facts, lastYear);
  if (rules.kind === 'three_post_eighteen_grade') {
    const type = postTypeOf(facts.post);
    const byYears = Math.floor(years / rules.yearsPerGrade);
    const byEducation = rules.educationGrades[facts.education] ?? 0;
    const qual = highestQualification(facts.certificates, asOf);
    const byQual = qual ? rules.qualificationGrades[qual] : 0;
    const raw = 1 + byYears + byEducation + byQual;
    const grade = Math.min(MAX_GRADE, Math.max(1, raw));
    const reasons = [
      `岗位：${POST_TYPE_ZH[type]}`,
      `工作年限 ${years} 年，每 ${rules.yearsPerGrade} 年一级：+${byYears}`,
      `学历 ${EDUCATION_ZH[facts.education]}：+${byEducation}`,
      qual ? `${CERTIFICATE_ZH[qual]}：+${byQual}` : '无社会工作职业资格：+0',
    ];
    if (raw > MAX_GRADE) reasons.push(`已达最高 ${MAX_GRADE} 级`);
    return { grade, band: type, points: null, reasons };
  }
  const p = rules.points;
  const yearPoints = Math.min(years, p.maxYears) * p.perYear;
  const appraisalPoints = appraisal ? p.appraisal[appraisal] : 0;
  const educationPoints = p.education[facts.education] ?? 0;
  const points = yearPoints + appraisalPoints + educationPoints;
  const grade = stepForPoints(rules.stepThresholds, points);
  const reasons = [
    `职级：${POST_ZH[facts.post]}`,
    `工作年限 ${years} 年（计至 ${p.maxYears} 年）：${yearPoints} 分`,
    appraisal ? `${lastYear} 年度考核 ${APPRAISAL_ZH[appraisal]}：${appraisalPoints} 分` : `${lastYear} 年度无考核结果：0 分`,
    `学历 ${EDUCATION_ZH[facts.education]}：${educationPoints} 分`,
    `合计 ${points} 分，第 ${grade} 档`,
  ];
  return { grade, band: facts.post, points, reasons };
}

/** The step (1–6) whose threshold the points reach. */
export function stepForPoints(thresholds: readonly number[], points: number): number {
  let step = 1;
  for (let i = 1; i < thresholds.length; i++) if (points >= thresholds[i]) step = i + 1;
  return step;
}

export interface GradeProposal {
  current: number | null;
  proposed: number;
  reasons: string[];
}

/**
 * The yearly grade run (自然晋升) for one worker. Under 三岗十八级 a grade is never lowered by
 * the run, and a 不称职 appraisal last year holds it where it is; under 四级六档 the step
 * follows the points both ways (a bad appraisal costs points).
 */
export function proposeGrade(rules: PayRules, facts: WorkerFacts, current: number | null, year: number): GradeProposal {
  const asOf = `${year}-01-01`;
  const r = gradeFor(rules, facts, asOf);
  const reasons = [...r.reasons];
  let proposed = r.grade;
  if (rules.kind === 'three_post_eighteen_grade' && current !== null) {
    if (appraisalOf(facts, year - 1) === 'incompetent' && r.grade > current) {
      proposed = current;
      reasons.push(`${year - 1} 年度考核不称职，本年度不晋升`);
    } else if (r.grade < current) {
      proposed = current;
      reasons.push(`按规则为 ${r.grade} 级，低于现等级，保留 ${current} 级`);
    }
  }
  if (current === null) reasons.push(`首次定级：${proposed}`);
  else if (proposed === current) reasons.push(`维持 ${current}`);
  else reasons.push(`${current} → ${proposed}`);
  return { current, proposed, reasons };
}

// ------------------------------------------------------------------ monthly pay

export interface PayItem {
  code: 'post' | 'grade' | 'performance' | 'qualification' | 'grid' | string;
  label: string;
  amountFen: number;
  explain: string;
}

export interface PaySlip {
  month: string;
  grade: number;
  items: PayItem[];
  totalFen: number;
}

/**
 * A worker's allowance for a month (YYYY-MM). `grade` is the grade or step in force that
 * month (from the last grade run); null when the worker has none yet, in which case the rules
 * give it as of the first of the month. A certificate counts from the month after its issue.
 */
export function monthlyPay(rules: PayRules, facts: WorkerFacts, grade: number | null, month: string): PaySlip {
  const items: PayItem[] = [];
  const g = grade ?? gradeFor(rules, facts, `${month}-01`).grade;
  const gradeNote = grade === null ? '（未定级，按规则测算）' : '';
  if (rules.kind === 'three_post_eighteen_grade') {
    const type = postTypeOf(facts.post);
    items.push({ code: 'post', label: '岗位补贴', amountFen: rules.postPayFen[type], explain: POST_TYPE_ZH[type] });
    const table = rules.gradePayFen[type];
    const gi = Math.min(Math.max(g, 1), table.length) - 1;
    items.push({ code: 'grade', label: '等级工资', amountFen: table[gi], explain: `${POST_TYPE_ZH[type]} ${gi + 1} 级${gradeNote}` });
  } else {
    items.push({ code: 'post', label: '岗位补贴', amountFen: rules.postPayFen[facts.post], explain: POST_ZH[facts.post] });
    const table = rules.subsidyFen[facts.post];
    const gi = Math.min(Math.max(g, 1), table.length) - 1;
    items.push({ code: 'grade', label: '职级补贴', amountFen: table[gi], explain: `${POST_ZH[facts.post]} 第 ${gi + 1} 档${gradeNote}` });
  }
  const year = Number(month.slice(0, 4));
  const appraisal = appraisalOf(facts, year - 1);
  items.push({
    code: 'performance',
    label: '绩效补贴',
    amountFen: appraisal ? rules.performanceFen[appraisal] : 0,
    explain: appraisal ? `${year - 1} 年度考核 ${APPRAISAL_ZH[appraisal]}` : `${year - 1} 年度无考核结果`,
  });
  // Held through the end of the previous month: a certificate issued in June pays from July.
  const qual = highestQualification(facts.certificates, lastDayOfMonth(previousMonth(month)));
  items.push({
    code: 'qualification',
    label: '职业资格补贴',
    amountFen: qual ? rules.qualificationFen[qual] : 0,
    explain: qual ? `持${CERTIFICATE_ZH[qual]}证书` : '无社会工作职业资格证书（取证次月起发放）',
  });
  if (facts.monthScore !== null && facts.monthScore !== undefined) {
    const score = Math.min(100, Math.max(0, facts.monthScore));
    items.push({
      code: 'grid',
      label: '网格绩效',
      amountFen: Math.round((rules.gridPerformanceMaxFen * score) / 100),
      explain: `本月网格考评 ${score} 分 × ${yuan(rules.gridPerformanceMaxFen)} 元 ÷ 100`,
    });
  }
  for (const o of rules.otherItems) {
    const applies = o.when === 'all' || (o.when === 'party_affairs' ? facts.partyAffairs : o.when === facts.post);
    if (applies) items.push({ code: o.code, label: o.label, amountFen: o.amountFen, explain: otherWhenZh(o.when) });
  }
  return { month, grade: g, items, totalFen: items.reduce((s, i) => s + i.amountFen, 0) };
}

function otherWhenZh(when: OtherItem['when']): string {
  if (when === 'all') return '全体社区工作者';
  if (when === 'party_affairs') return '党务工作者';
  return POST_ZH[when];
}

// ------------------------------------------------------------------ validation

export interface RuleProblem {
  field: string;
  reason: string;
}

const isFen = (v: unknown) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 10_000_000;

/** Checks a rule set before it is saved; a scheme that fails never becomes a version. */
export function checkRules(input: unknown): { ok: true; rules: PayRules } | { ok: false; problems: RuleProblem[] } {
  const problems: RuleProblem[] = [];
  const r = input as PayRules;
  const fen = (field: string, v: unknown) => {
    if (!isFen(v)) problems.push({ field, reason: '金额须为 0 至 100000 元之间的整数分' });
  };
  if (!r || typeof r !== 'object' || (r.kind !== 'three_post_eighteen_grade' && r.kind !== 'four_level_six_step')) {
    return { ok: false, problems: [{ field: 'kind', reason: '未知的薪酬体系' }] };
  }
  for (const a of APPRAISALS) fen(`performanceFen.${a}`, r.performanceFen?.[a]);
  for (const q of SOCIAL_WORK_LEVELS) fen(`qualificationFen.${q}`, r.qualificationFen?.[q]);
  fen('gridPerformanceMaxFen', r.gridPerformanceMaxFen);
  if (!Array.isArray(r.otherItems)) problems.push({ field: 'otherItems', reason: '须为列表' });
  else
    r.otherItems.forEach((o, i) => {
      if (!o || typeof o.code !== 'string' || !o.code || typeof o.label !== 'string' || !o.label)
        problems.push({ field: `otherItems.${i}`, reason: '须有编码和名称' });
      fen(`otherItems.${i}.amountFen`, o?.amountFen);
      if (!['all', 'party_affairs', ...POSTS].includes(o?.when)) problems.push({ field: `otherItems.${i}.when`, reason: '适用对象不正确' });
    });
  if (r.kind === 'three_post_eighteen_grade') {
    for (const t of ['head', 'deputy', 'staff'] as const) {
      fen(`postPayFen.${t}`, r.postPayFen?.[t]);
      const table = r.gradePayFen?.[t];
      if (!Array.isArray(table) || table.length !== MAX_GRADE) problems.push({ field: `gradePayFen.${t}`, reason: '须有 18 个等级' });
      else {
        table.forEach((v, i) => fen(`gradePayFen.${t}.${i}`, v));
        if (table.some((v, i) => i > 0 && v < table[i - 1])) problems.push({ field: `gradePayFen.${t}`, reason: '等级越高工资不能越低' });
      }
    }
    if (!Number.isInteger(r.yearsPerGrade) || r.yearsPerGrade < 1 || r.yearsPerGrade > 10)
      problems.push({ field: 'yearsPerGrade', reason: '每晋一级所需年限须为 1–10 的整数' });
    for (const e of EDUCATIONS) {
      const v = r.educationGrades?.[e];
      if (!Number.isInteger(v) || v < 0 || v > 6) problems.push({ field: `educationGrades.${e}`, reason: '学历加级须为 0–6 的整数' });
    }
    for (const q of SOCIAL_WORK_LEVELS) {
      const v = r.qualificationGrades?.[q];
      if (!Number.isInteger(v) || v < 0 || v > 6) problems.push({ field: `qualificationGrades.${q}`, reason: '资格加级须为 0–6 的整数' });
    }
  } else {
    for (const p of POSTS) {
      fen(`postPayFen.${p}`, r.postPayFen?.[p]);
      const table = r.subsidyFen?.[p];
      if (!Array.isArray(table) || table.length !== STEPS) problems.push({ field: `subsidyFen.${p}`, reason: '须有 6 档' });
      else
        table.forEach((v, i) => {
          if (!Number.isInteger(v) || v < SUBSIDY_MIN_FEN || v > SUBSIDY_MAX_FEN)
            problems.push({ field: `subsidyFen.${p}.${i}`, reason: '职级补贴须在每月 400–2000 元之间' });
          else if (i > 0 && v < table[i - 1]) problems.push({ field: `subsidyFen.${p}.${i}`, reason: '档次越高补贴不能越低' });
        });
    }
    const th = r.stepThresholds;
    if (!Array.isArray(th) || th.length !== STEPS || th[0] !== 0 || th.some((v, i) => !Number.isInteger(v) || (i > 0 && v <= th[i - 1])))
      problems.push({ field: 'stepThresholds', reason: '须为 6 个递增的整数分值，第一档为 0' });
    const p = r.points;
    if (!p || !Number.isInteger(p.perYear) || p.perYear < 0 || !Number.isInteger(p.maxYears) || p.maxYears < 0)
      problems.push({ field: 'points', reason: '年限积分须为非负整数' });
    else {
      for (const a of APPRAISALS)
        if (!Number.isInteger(p.appraisal?.[a])) problems.push({ field: `points.appraisal.${a}`, reason: '须为整数' });
      for (const e of EDUCATIONS)
        if (!Number.isInteger(p.education?.[e]) || p.education[e] < 0)
          problems.push({ field: `points.education.${e}`, reason: '须为非负整数' });
    }
  }
  return problems.length ? { ok: false, problems } : { ok: true, rules: r };
}

export const SCHEME_KIND_ZH: Record<SchemeKind, string> = {
  three_post_eighteen_grade: '三岗十八级',
  four_level_six_step: '四级六档',
};
