import { sql } from 'kysely';
import { systemActor, type AppContext } from '../../core/context.ts';
import { nextWorkingDay } from '../../core/calendar.ts';
import type { AppraisalResult, CertificateKind, Education, PostKind } from '../../db/types-workforce.ts';
import { makeIdNumber } from '../registry/id-number.ts';
import { todayInShanghai } from '../registry/person-rules.ts';
import * as archive from './archive.ts';
import { DEMO_FOUR_LEVEL, DEMO_THREE_POST } from './demo-schemes.ts';
import * as pay from './pay.ts';
import * as recruitment from './recruitment.ts';
import { applyOnline } from './recruitment-public.ts';
import * as staffing from './staffing.ts';
import * as training from './training.ts';
import * as honours from './honours-care.ts';
import * as rota from './rota-service.ts';

/**
 * The demo workforce: archives for the demo communities' workers (people registered through the
 * registry service), staffing figures, both pay schemes with a 2026 grade run and October's pay,
 * training, an honour, November's rota for 江城社区, and two 2026 recruitments in 鄞州区 (March:
 * closed, its remainder the reserve pool; November: at the public-notice stage). Deterministic
 * except for the November notice dates, which follow the seeding day so the notice is running.
 * Names are invented; places are real.
 */

interface W {
  name: string;
  g: 'M' | 'F';
  born: string;
  community: string;
  post: PostKind;
  title: string;
  start: string;
  edu: Education;
  major?: string;
  party?: boolean;
  political?: 'party_member' | 'masses' | 'league';
  certs?: [CertificateKind, string][];
  appraisal?: AppraisalResult;
  user?: string;
  onboarded?: boolean;
}

const JC = '330212014027';
const WORKERS: W[] = [
  // 江城社区 (鄞州区福明街道)
  {
    name: '陈丽华',
    g: 'F',
    born: '1972-04-16',
    community: JC,
    post: 'dual_head',
    title: '党委书记、居委会主任',
    start: '1995-03-01',
    edu: 'bachelor',
    major: '行政管理',
    party: true,
    political: 'party_member',
    certs: [['social_worker', '2012-11-20']],
    appraisal: 'excellent',
    user: 'jiangcheng',
  },
  {
    name: '周海涛',
    g: 'M',
    born: '1980-09-02',
    community: JC,
    post: 'deputy',
    title: '党委副书记',
    start: '2005-07-01',
    edu: 'bachelor',
    major: '社会工作',
    party: true,
    political: 'party_member',
    certs: [
      ['assistant_social_worker', '2010-06-18'],
      ['social_worker', '2016-11-05'],
    ],
    appraisal: 'excellent',
  },
  {
    name: '李晓敏',
    g: 'F',
    born: '1986-01-23',
    community: JC,
    post: 'deputy',
    title: '居委会副主任',
    start: '2010-03-15',
    edu: 'bachelor',
    major: '公共事业管理',
    political: 'party_member',
    certs: [['assistant_social_worker', '2013-06-30']],
    appraisal: 'competent',
  },
  {
    name: '王建国',
    g: 'M',
    born: '1976-11-08',
    community: JC,
    post: 'staff',
    title: '专职网格员',
    start: '2004-05-10',
    edu: 'junior_college',
    political: 'party_member',
    appraisal: 'competent',
    user: 'grid-jc-001',
  },
  {
    name: '张蕾',
    g: 'F',
    born: '1991-07-14',
    community: JC,
    post: 'staff',
    title: '全科社工',
    start: '2015-08-01',
    edu: 'bachelor',
    major: '社会学',
    certs: [['assistant_social_worker', '2017-06-20']],
    appraisal: 'competent',
  },
  {
    name: '徐明杰',
    g: 'M',
    born: '1994-03-29',
    community: JC,
    post: 'staff',
    title: '专职网格员',
    start: '2019-04-01',
    edu: 'bachelor',
    major: '汉语言文学',
    political: 'league',
    appraisal: 'basic',
  },
  {
    name: '孙佳怡',
    g: 'F',
    born: '1997-12-05',
    community: JC,
    post: 'staff',
    title: '全科社工',
    start: '2022-09-01',
    edu: 'master',
    major: '社会工作',
    certs: [['social_worker', '2025-06-21']],
    appraisal: 'competent',
  },
  {
    name: '胡志强',
    g: 'M',
    born: '1968-02-17',
    community: JC,
    post: 'staff',
    title: '综治专干',
    start: '1992-10-01',
    edu: 'high_school',
    political: 'party_member',
    appraisal: 'competent',
  },
  {
    name: '吴思远',
    g: 'M',
    born: '2001-06-30',
    community: JC,
    post: 'staff',
    title: '专职网格员',
    start: '2026-09-01',
    edu: 'bachelor',
    major: '行政管理',
    onboarded: false,
  },
  // 福明街道 other communities
  {
    name: '郑秀英',
    g: 'F',
    born: '1970-08-21',
    community: '330212014022',
    post: 'dual_head',
    title: '党委书记、居委会主任',
    start: '1998-06-01',
    edu: 'junior_college',
    party: true,
    political: 'party_member',
    certs: [['assistant_social_worker', '2009-06-20']],
    appraisal: 'excellent',
  },
  {
    name: '何俊',
    g: 'M',
    born: '1988-05-12',
    community: '330212014022',
    post: 'deputy',
    title: '居委会副主任',
    start: '2012-03-01',
    edu: 'bachelor',
    certs: [['social_worker', '2018-11-10']],
    appraisal: 'competent',
  },
  {
    name: '钱玉兰',
    g: 'F',
    born: '1985-10-03',
    community: '330212014022',
    post: 'staff',
    title: '全科社工',
    start: '2011-07-01',
    edu: 'bachelor',
    appraisal: 'competent',
  },
  {
    name: '马文博',
    g: 'M',
    born: '1979-12-25',
    community: '330212014029',
    post: 'head',
    title: '居委会主任',
    start: '2003-09-01',
    edu: 'bachelor',
    political: 'party_member',
    certs: [['social_worker', '2014-11-16']],
    appraisal: 'competent',
  },
  {
    name: '林静',
    g: 'F',
    born: '1990-02-14',
    community: '330212014029',
    post: 'staff',
    title: '全科社工',
    start: '2016-05-01',
    edu: 'bachelor',
    appraisal: 'competent',
  },
  {
    name: '黄伟',
    g: 'M',
    born: '1983-04-09',
    community: '330212014028',
    post: 'dual_head',
    title: '党总支书记、居委会主任',
    start: '2006-01-01',
    edu: 'bachelor',
    party: true,
    political: 'party_member',
    certs: [['assistant_social_worker', '2011-06-19']],
    appraisal: 'competent',
  },
  {
    name: '罗慧',
    g: 'F',
    born: '1993-09-17',
    community: '330212014028',
    post: 'staff',
    title: '专职网格员',
    start: '2018-10-08',
    edu: 'junior_college',
    appraisal: 'basic',
  },
  // 天宁区 新丰苑社区, 菱溪社区
  {
    name: '刘芳',
    g: 'F',
    born: '1989-03-11',
    community: '320402002005',
    post: 'staff',
    title: '全科社工',
    start: '2013-04-01',
    edu: 'bachelor',
    major: '社会工作',
    certs: [['assistant_social_worker', '2014-06-22']],
    appraisal: 'competent',
    user: 'xinfengyuan',
  },
  {
    name: '顾建华',
    g: 'M',
    born: '1971-07-07',
    community: '320402002005',
    post: 'dual_head',
    title: '党委书记、居委会主任',
    start: '1996-08-01',
    edu: 'bachelor',
    party: true,
    political: 'party_member',
    certs: [['senior_social_worker', '2019-12-01']],
    appraisal: 'excellent',
  },
  {
    name: '蒋小燕',
    g: 'F',
    born: '1984-11-30',
    community: '320402002005',
    post: 'deputy',
    title: '居委会副主任',
    start: '2009-02-01',
    edu: 'bachelor',
    certs: [['social_worker', '2015-11-08']],
    appraisal: 'competent',
  },
  {
    name: '沈国平',
    g: 'M',
    born: '1975-05-05',
    community: '320402001003',
    post: 'head',
    title: '居委会主任',
    start: '2001-03-01',
    edu: 'junior_college',
    party: true,
    political: 'party_member',
    appraisal: 'competent',
  },
  {
    name: '陆雯',
    g: 'F',
    born: '1995-08-19',
    community: '320402001003',
    post: 'staff',
    title: '全科社工',
    start: '2020-07-01',
    edu: 'bachelor',
    appraisal: 'competent',
  },
  // 五华区 翠湖西路社区, 水晶宫社区 (四级六档)
  {
    name: '杨春梅',
    g: 'F',
    born: '1969-01-28',
    community: '530102001001',
    post: 'dual_head',
    title: '党委书记、居委会主任',
    start: '1994-09-01',
    edu: 'bachelor',
    party: true,
    political: 'party_member',
    certs: [['social_worker', '2013-11-10']],
    appraisal: 'excellent',
  },
  {
    name: '段志华',
    g: 'M',
    born: '1982-06-15',
    community: '530102001001',
    post: 'deputy',
    title: '居委会副主任',
    start: '2008-05-01',
    edu: 'bachelor',
    certs: [['assistant_social_worker', '2026-06-20']],
    appraisal: 'competent',
  },
  {
    name: '普丽',
    g: 'F',
    born: '1992-10-10',
    community: '530102001001',
    post: 'staff',
    title: '全科社工',
    start: '2017-03-01',
    edu: 'junior_college',
    appraisal: 'basic',
  },
  {
    name: '赵永刚',
    g: 'M',
    born: '1977-03-03',
    community: '530102001002',
    post: 'head',
    title: '居委会主任',
    start: '2002-04-01',
    edu: 'bachelor',
    party: true,
    political: 'party_member',
    certs: [['social_worker', '2016-11-12']],
    appraisal: 'competent',
  },
  {
    name: '李琼',
    g: 'F',
    born: '1996-12-12',
    community: '530102001002',
    post: 'staff',
    title: '专职网格员',
    start: '2021-08-01',
    edu: 'bachelor',
    appraisal: 'competent',
  },
];

const STAFFING: [string, number, number][] = [
  // community, residents (常住人口), posts (职数)
  [JC, 6800, 14],
  ['330212014022', 5200, 10],
  ['330212014029', 4300, 8],
  ['330212014028', 3900, 7],
  ['320402002005', 7600, 12],
  ['320402001003', 5100, 9],
  ['530102001001', 4200, 8],
  ['530102001002', 3600, 7],
];

const APPLICANTS: [string, 'M' | 'F', string, Education, string, CertificateKind[], number, number][] = [
  // name, gender, born, education, major, certificates, written, interview
  ['方雨桐', 'F', '1999-04-12', 'bachelor', '社会工作', ['assistant_social_worker'], 78, 84],
  ['邵宇航', 'M', '1998-08-03', 'bachelor', '行政管理', [], 82, 80],
  ['袁梦洁', 'F', '2000-01-25', 'master', '社会工作', ['social_worker'], 74, 86],
  ['谢子涵', 'M', '1997-11-19', 'bachelor', '法学', [], 76, 77],
  ['韩诗琪', 'F', '2001-05-07', 'bachelor', '心理学', ['counsellor'], 72, 79],
  ['唐浩然', 'M', '1986-02-14', 'bachelor', '汉语言文学', [], 80, 0],
  ['冯可欣', 'F', '1999-09-30', 'bachelor', '公共事业管理', [], 69, 75],
  ['曹俊熙', 'M', '2000-07-16', 'bachelor', '社会学', ['assistant_social_worker'], 71, 78],
];

export async function seedWorkforceDemo(ctx: AppContext): Promise<{ workers: number }> {
  const actor = systemActor('system:demo');
  const today = todayInShanghai();
  // --- settings and schemes
  for (const [district, code, name, rules] of [
    ['330212', 'yinzhou-3p18g', '鄞州区社区工作者三岗十八级', DEMO_THREE_POST],
    ['320402', 'tianning-3p18g', '天宁区社区工作者三岗十八级', DEMO_THREE_POST],
    ['530102', 'wuhua-4l6s', '五华区社区工作者四级六档', DEMO_FOUR_LEVEL],
  ] as const) {
    await pay.createSchemeVersion(ctx, actor, {
      districtCode: district,
      code,
      name,
      effectiveFrom: '2025-01',
      rules,
      note: '示例数据：结构与上下限来自调研材料，具体金额为示例',
    });
    await staffing.updateSettings(ctx, actor, district, { version: 0, paySchemeCode: code });
  }
  for (const [code, residents, posts] of STAFFING)
    await staffing.setCommunity(ctx, actor, code, { version: 0, residents, authorizedPosts: posts });

  // --- archives
  const ids = new Map<string, string>();
  for (const [i, w] of WORKERS.entries()) {
    const district = w.community.slice(0, 6);
    const a = await archive.createWorker(ctx, actor, {
      person: {
        name: w.name,
        idNumber: makeIdNumber(district, w.born, 100 + i * 2 + (w.g === 'M' ? 1 : 0)),
        gender: w.g,
        phone: `139${String(57_000_000 + i * 7919).padStart(8, '0')}`,
      },
      communityCode: w.community,
      education: w.edu,
      major: w.major ?? '',
      political: w.political ?? 'masses',
      workStart: w.start,
      partyAffairs: w.party ?? false,
      onboardedOn: w.onboarded === false ? null : w.start,
      post: w.post,
      title: w.title,
    });
    ids.set(w.name, a.id);
    for (const [kind, issuedOn] of w.certs ?? [])
      await archive.addCertificate(ctx, actor, a.id, {
        kind,
        issuedOn,
        number: `${issuedOn.slice(0, 4)}${String(3302 + i).padStart(6, '0')}`,
      });
    if (w.appraisal && w.start < '2025-01-01') await archive.setAppraisal(ctx, actor, a.id, 2025, { result: w.appraisal });
    if (w.user)
      await sql`update person set user_id = (select id from app_user where username = ${w.user})
        where district_code = ${district} and id = ${a.personId}`.execute(ctx.db);
  }
  // 李晓敏 was promoted from 其他专职 to 副职 in 2018 (post history).
  const lxm = await archive.getArchive(ctx, actor, ids.get('李晓敏')!);
  await ctx.db.updateTable('worker_post').set({ start_on: '2018-01-01' }).where('worker_id', '=', lxm.id).execute();
  await ctx.db
    .insertInto('worker_post')
    .values({
      district_code: '330212',
      worker_id: lxm.id,
      community_code: JC,
      post: 'staff',
      title: '全科社工',
      start_on: '2010-03-15',
      end_on: '2017-12-31',
      reason: '建档',
    })
    .execute();

  // --- training 2026 (鄞州): onboarding, 领雁, 头雁学院; a few fall short of 3 days.
  const jc = WORKERS.filter((w) => w.community.startsWith('330212')).map((w) => ids.get(w.name)!);
  const onboarding = await training.createProgramme(ctx, actor, {
    districtCode: '330212',
    name: '2026年新任社区工作者岗前培训',
    kind: 'onboarding',
    year: 2026,
  });
  const s1 = await training.createSession(ctx, actor, onboarding.id, {
    title: '岗前集中培训（第一期）',
    startOn: '2026-03-10',
    days: 3,
    hours: 24,
    place: '鄞州区社会工作指导中心',
  });
  const lingyan = await training.createProgramme(ctx, actor, {
    districtCode: '330212',
    name: '领雁计划·书记主任研修班',
    kind: 'lingyan',
    year: 2026,
  });
  const s2 = await training.createSession(ctx, actor, lingyan.id, {
    title: '基层治理能力提升',
    startOn: '2026-05-18',
    days: 3,
    hours: 24,
    place: '宁波市委党校',
  });
  const academy = await training.createProgramme(ctx, actor, {
    districtCode: '330212',
    name: '头雁学院·全科社工课程',
    kind: 'academy',
    year: 2026,
  });
  const s3 = await training.createSession(ctx, actor, academy.id, {
    title: '一窗受理与全科服务',
    startOn: '2026-06-15',
    days: 2,
    hours: 16,
    place: '福明街道社工站',
  });
  await training.recordAttendance(ctx, actor, s1.id, [ids.get('孙佳怡')!, ids.get('徐明杰')!]);
  await training.recordAttendance(ctx, actor, s2.id, [
    ids.get('陈丽华')!,
    ids.get('郑秀英')!,
    ids.get('黄伟')!,
    ids.get('马文博')!,
    ids.get('周海涛')!,
  ]);
  await training.recordAttendance(
    ctx,
    actor,
    s3.id,
    jc.filter((id) => id !== ids.get('胡志强') && id !== ids.get('吴思远')),
  );
  await training.addMentor(ctx, actor, { mentorId: ids.get('周海涛')!, menteeId: ids.get('孙佳怡')!, startOn: '2022-09-01' });

  // --- honours and care
  await honours.award(ctx, actor, {
    workerId: ids.get('胡志强')!,
    kind: 'gengyun',
    year: 2025,
    amountFen: 500_000,
    awardedOn: '2025-11-07',
    title: '鄞州区社区工作者耕耘奖',
    awardedBy: '鄞州区民政局',
  });
  await honours.award(ctx, actor, {
    workerId: ids.get('胡志强')!,
    kind: 'service_certificate',
    year: 2012,
    amountFen: 0,
    awardedOn: '2012-12-20',
  });
  await honours.applyCare(ctx, actor, ids.get('王建国')!, {
    kind: 'health_check',
    year: 2026,
    reason: '年度免费体检',
    checkedOn: '2026-04-18',
  });
  // Last checked in November 2025: more than twelve months ago by December 2026, so overdue.
  await honours.applyCare(ctx, actor, ids.get('陈丽华')!, {
    kind: 'health_check',
    year: 2025,
    reason: '年度免费体检',
    checkedOn: '2025-11-20',
  });
  await honours.applyCare(ctx, actor, ids.get('罗慧')!, {
    kind: 'care_fund',
    year: 2026,
    amountFen: 800_000,
    reason: '家属重病住院，申请社工专项关爱基金',
  });

  // --- grades for 2026 and October's pay in the three districts
  for (const district of ['330212', '320402', '530102']) {
    const run = await pay.startGradeRun(ctx, actor, { districtCode: district, year: 2026 });
    await pay.approveGradeRun(ctx, actor, run.id, run.version);
    await pay.computePayRun(ctx, actor, { districtCode: district, month: '2026-10' });
  }

  // --- recruitment: March (closed, reserve pool) and November (public notice running)
  await seedRecruitment(ctx, today);

  // --- November rota of 江城社区 (the new worker without onboarding is left out)
  await rota.generateRota(ctx, actor, JC, today.slice(0, 7) < '2026-11' ? '2026-11' : today.slice(0, 7));
  return { workers: WORKERS.length };
}

async function seedRecruitment(ctx: AppContext, today: string) {
  const actor = systemActor('system:demo');
  const requirements = { minAge: 18, maxAge: 35, ageOn: '2026-03-01', minEducation: 'bachelor' as const, majors: [], fullTimeOnly: true };
  const bonus = { assistant_social_worker: 2, social_worker: 3, senior_social_worker: 5, counsellor: 1 };
  const run = async (title: string, month: string, applicants: typeof APPLICANTS, seqBase: number, close: boolean) => {
    const plan = await recruitment.createPlan(ctx, actor, {
      districtCode: '330212',
      year: 2026,
      title,
      requirements,
      bonus,
      posts: [
        { streetCode: '330212014', name: '福明街道社区专职工作者', quota: 2 },
        { streetCode: '330212001', name: '下应街道社区专职工作者', quota: 1 },
      ],
    });
    let p = await recruitment.advance(ctx, actor, plan.id, { version: plan.version, to: 'open' });
    const fuming = plan.posts.find((x) => x.streetCode === '330212014')!;
    const xiaying = plan.posts.find((x) => x.streetCode === '330212001')!;
    for (const [i, [name, g, born, edu, major, certs]] of applicants.entries()) {
      await recruitment.apply(ctx, actor, plan.id, {
        postId: (i % 4 === 3 ? xiaying : fuming).id,
        name,
        idNumber: makeIdNumber('330212', born, seqBase + i * 2 + (g === 'M' ? 1 : 0)),
        phone: `1375741${String(1000 + seqBase + i).slice(-4)}`,
        education: edu,
        major,
        fullTime: true,
        certificates: certs.map((kind) => ({ kind, issuedOn: '2025-06-21' })),
      });
    }
    for (const to of ['screening', 'written'] as const) p = await recruitment.advance(ctx, actor, plan.id, { version: p.version, to });
    let apps = await recruitment.listApplications(ctx, actor, plan.id, { status: 'eligible' });
    const score = (name: string, k: 6 | 7) => applicants.find((a) => a[0] === name)![k];
    await recruitment.recordScores(ctx, actor, plan.id, {
      stage: 'written',
      scores: apps.map((a) => ({ applicationId: a.id, score: score(a.name, 6) })),
    });
    p = await recruitment.advance(ctx, actor, plan.id, { version: p.version, to: 'interview' });
    apps = await recruitment.listApplications(ctx, actor, plan.id, { status: 'eligible' });
    await recruitment.recordScores(ctx, actor, plan.id, {
      stage: 'interview',
      scores: apps.map((a) => ({ applicationId: a.id, score: score(a.name, 7) })),
    });
    p = await recruitment.advance(ctx, actor, plan.id, { version: p.version, to: 'checks' });
    for (const a of await recruitment.listApplications(ctx, actor, plan.id, { status: 'selected' }))
      await recruitment.recordChecks(ctx, actor, a.id, { version: a.version, medical: 'pass', background: 'pass' });
    const start = close
      ? `${month}-01`
      : nextWorkingDay(recruitment.workCalendar(), new Date(Date.parse(`${today}T00:00:00Z`) - 2 * 86_400_000).toISOString().slice(0, 10));
    // The notice is published as of its first day (a notice may not be back-dated).
    const noticeStart = start > today ? today : start;
    p = await recruitment.advance(
      ctx,
      actor,
      plan.id,
      { version: p.version, to: 'notice', noticeStart },
      new Date(`${noticeStart}T09:00:00+08:00`),
    );
    if (close) await recruitment.advance(ctx, actor, plan.id, { version: p.version, to: 'closed' });
    return plan.id;
  };
  await run('鄞州区2026年第一批社区专职工作者公开招聘', '2026-04', APPLICANTS, 500, true);
  const second: typeof APPLICANTS = [
    ['任欣然', 'F', '1999-02-02', 'bachelor', '社会工作', ['social_worker'], 81, 85],
    ['姚博文', 'M', '1998-10-21', 'bachelor', '公共管理', [], 84, 79],
    ['彭雅婷', 'F', '2000-04-04', 'bachelor', '心理学', ['counsellor'], 77, 82],
    ['潘一鸣', 'M', '1997-06-06', 'master', '社会学', ['assistant_social_worker'], 79, 81],
    ['田甜', 'F', '2002-08-08', 'bachelor', '行政管理', [], 70, 76],
  ];
  const planId = await run('鄞州区2026年第二批社区专职工作者公开招聘', '2026-11', second, 700, false);
  await seedOpenPlan(ctx);
  const onNotice = await recruitment.listApplications(ctx, actor, planId, { status: 'notice' });
  const plan = await recruitment.getPlan(ctx, actor, planId);
  if (onNotice[0] && plan.noticeStart && plan.noticeStart <= today)
    await recruitment.addObjection(ctx, actor, onNotice[0].id, {
      receivedOn: today,
      content: '群众来电反映该考生户籍信息与报名材料不符，请核实。',
    });
}

/** A plan taking applications through the public online form, with one applicant who uploaded a scan. */
async function seedOpenPlan(ctx: AppContext) {
  const actor = systemActor('system:demo');
  const plan = await recruitment.createPlan(ctx, actor, {
    districtCode: '330212',
    year: 2027,
    title: '鄞州区2027年社区专职工作者公开招聘（网上报名）',
    requirements: { minAge: 18, maxAge: 35, ageOn: '2027-01-01', minEducation: 'bachelor', majors: [], fullTimeOnly: true },
    bonus: { assistant_social_worker: 2, social_worker: 3, senior_social_worker: 5, counsellor: 1 },
    posts: [
      { streetCode: '330212014', name: '福明街道社区专职工作者', quota: 2 },
      { streetCode: '330212012', name: '东柳街道社区专职工作者', quota: 1 },
    ],
  });
  await recruitment.advance(ctx, actor, plan.id, { version: plan.version, to: 'open' });
  // A one-pixel PNG stands in for the photographed certificate.
  const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
  await applyOnline(
    ctx,
    plan.id,
    {
      postId: plan.posts[0].id,
      name: '沈思远',
      idNumber: makeIdNumber('330212', '2001-09-09', 901),
      phone: '13757418801',
      education: 'bachelor',
      major: '社会工作',
      fullTime: true,
      certificates: [
        {
          kind: 'assistant_social_worker',
          issuedOn: '2025-06-21',
          file: { fileName: '助理社工师证书.png', mime: 'image/png', dataBase64: png },
        },
      ],
      clientKey: 'demo-online-0001',
    },
    null,
  );
}
