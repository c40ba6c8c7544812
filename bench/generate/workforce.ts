import type { Rng } from '../../server/modules/territory/prng.ts';
import { textArray } from './bulk.ts';
import { weightedIndex } from './census.ts';
import type { TerritoryOutput } from './territory.ts';
import type { GenContext, GeneratorResult, RecordGenerator } from './types.ts';

/**
 * Community workers (社区工作者) at scale for the workforce module (issue 6): one archive (一人一档)
 * per worker in `worker`, their current post in `worker_post`, social-work certificates in
 * `worker_certificate` and the last three yearly appraisals in `worker_appraisal`, plus each
 * community's staffing line in `wf_community`. Workers are generated residents of working age
 * (the archive references `person`), spread over the generated communities in proportion to their
 * residents; each community has one 书记主任一肩挑 (dual head), up to two deputies and staff.
 * Shapes follow Zhejiang's published workforce figures roughly: most hold a college or bachelor's
 * degree, about half are party members, about 60% hold a social-work certificate.
 */

const WORKER_COLUMNS = [
  'district_code',
  'id',
  'person_id',
  'community_code',
  'path',
  'education',
  'major',
  'full_time',
  'political',
  'work_start',
  'party_affairs',
  'duties',
  'status',
  'onboarded_on',
];
const POST_COLUMNS = ['district_code', 'id', 'worker_id', 'community_code', 'post', 'title', 'start_on'];
const CERT_COLUMNS = ['district_code', 'id', 'worker_id', 'kind', 'name', 'number', 'issued_on'];
const APPRAISAL_COLUMNS = ['district_code', 'worker_id', 'year', 'result'];
const COMMUNITY_COLUMNS = ['district_code', 'community_code', 'residents', 'authorized_posts'];

const EDUCATION = ['secondary', 'high_school', 'junior_college', 'bachelor', 'master'] as const;
const EDUCATION_WEIGHTS = [2, 8, 35, 50, 5];
const POLITICAL = ['party_member', 'probationary', 'league', 'masses'] as const;
const POLITICAL_WEIGHTS = [45, 3, 12, 40];
const MAJORS = ['社会工作', '行政管理', '公共事业管理', '法学', '汉语言文学', '会计学', '计算机科学与技术', '护理学', '思想政治教育', ''];
const DUTIES = ['网格管理', '党建', '民政', '残联', '计生', '综治', '退役军人服务', '文体', '统战', '消防安全'];
const APPRAISAL = ['excellent', 'competent', 'basic', 'incompetent'] as const;
const APPRAISAL_WEIGHTS = [15, 80, 4, 1];
/** Posts per 10,000 residents (the wf_setting default the staffing check uses). */
const POSTS_PER_10K = 20;

export interface WorkforceOutput {
  workers: number;
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Spreads n over weights by largest remainders (deterministic, sums to n exactly). */
export function apportion(n: number, weights: number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0) || 1;
  const exact = weights.map((w) => (n * w) / total);
  const out = exact.map(Math.floor);
  let left = n - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k++, left--) out[order[k % order.length][1]]++;
  return out;
}

function workStart(rng: Rng, birthMs: number, asOfMs: number): number {
  const year = 365.25 * 86400_000;
  const earliest = birthMs + 22 * year;
  // Years of service: many recent hires, a long tail (the profession grew after 2010).
  const service = Math.min((asOfMs - earliest) / year, Math.floor(-Math.log(1 - rng.next() * 0.98) * 7));
  return Math.floor((asOfMs - service * year - rng.int(0, 364) * 86400_000) / 86400_000) * 86400_000;
}

export const workforceGenerator: RecordGenerator = {
  name: 'workforce',
  sizeOption: 'workers',
  description: 'community workers: archives, posts, certificates, three years of appraisals',
  tables: [
    {
      table: 'worker',
      checksumColumns: [
        'id',
        'person_id',
        'community_code',
        'path::text',
        'education',
        'major',
        'full_time',
        'political',
        'work_start',
        'party_affairs',
        'duties::text',
        'status',
      ],
      generatedRows: 't.community_code = any($1)',
    },
    {
      table: 'worker_post',
      checksumColumns: ['id', 'worker_id', 'community_code', 'post', 'title', 'start_on', 'end_on'],
      generatedRows: 't.community_code = any($1)',
    },
    {
      table: 'worker_certificate',
      checksumColumns: ['id', 'worker_id', 'kind', 'name', 'number', 'issued_on'],
      generatedRows:
        'exists (select 1 from worker w where w.district_code = t.district_code and w.id = t.worker_id and w.community_code = any($1))',
    },
    {
      table: 'worker_appraisal',
      checksumColumns: ['worker_id', 'year', 'result'],
      generatedRows:
        'exists (select 1 from worker w where w.district_code = t.district_code and w.id = t.worker_id and w.community_code = any($1))',
    },
    {
      table: 'wf_community',
      checksumColumns: ['community_code', 'residents', 'authorized_posts'],
      generatedRows: 't.community_code = any($1)',
    },
  ],
  async run(ctx: GenContext): Promise<GeneratorResult> {
    const n = ctx.opts.sizes.workers ?? 0;
    if (!n) return { rows: {} };
    const territory = ctx.outputs.territory as TerritoryOutput | undefined;
    if (!territory) throw new Error('the workforce generator needs the territory and people generators first');
    const { sink } = ctx;
    const d = ctx.opts.districtCode;
    const asOfMs = Date.parse(`${ctx.opts.asOf}T00:00:00Z`);
    const asOfYear = Number(ctx.opts.asOf.slice(0, 4));
    // The residents are still in the sink's buffers: write them so they can be read back.
    await sink.flush();
    const codes = territory.communities.map((c) => c.code);
    const candidates = await ctx.db.query<{ id: string; birth: string }>(
      `select id, to_char(birth_date, 'YYYY-MM-DD') as birth from person
        where district_code = $1 and community_code = any($2) and status = 'active'
          and birth_date between ($3::date - interval '58 years') and ($3::date - interval '23 years')
        order by id`,
      [d, codes, ctx.opts.asOf],
    );
    if (candidates.length < n)
      throw new Error(`--workers ${n}: only ${candidates.length} generated residents are of working age; generate more residents`);
    const pool = ctx.rng('workforce', 'pool').shuffle(candidates).slice(0, n);
    sink.declare('wf_community', COMMUNITY_COLUMNS);
    sink.declare('worker', WORKER_COLUMNS);
    sink.declare('worker_post', POST_COLUMNS);
    sink.declare('worker_certificate', CERT_COLUMNS);
    sink.declare('worker_appraisal', APPRAISAL_COLUMNS);
    const perCommunity = apportion(
      n,
      territory.communities.map((c) => c.quota),
    );
    let next = 0;
    let certNo = 0;
    for (const [ci, c] of territory.communities.entries()) {
      const count = perCommunity[ci];
      const rng = ctx.rng('workforce', c.code);
      await sink.push('wf_community', [d, c.code, c.quota, Math.max(count, Math.round((c.quota * POSTS_PER_10K) / 10_000))]);
      for (let k = 0; k < count; k++) {
        const p = pool[next++];
        const id = ctx.uuid('worker', next);
        const start = workStart(rng, Date.parse(`${p.birth}T00:00:00Z`), asOfMs);
        const post = k === 0 ? 'dual_head' : k <= 2 ? 'deputy' : 'staff';
        const political = post === 'staff' ? POLITICAL[weightedIndex(rng, POLITICAL_WEIGHTS)] : 'party_member';
        const duties = rng.shuffle(DUTIES).slice(0, rng.int(1, 3));
        await sink.push('worker', [
          d,
          id,
          p.id,
          c.code,
          c.path,
          EDUCATION[weightedIndex(rng, EDUCATION_WEIGHTS)],
          rng.pick(MAJORS),
          rng.chance(0.95),
          political,
          isoDay(start),
          post === 'dual_head',
          textArray(duties),
          'active',
          isoDay(start),
        ]);
        const title =
          post === 'dual_head' ? '党委书记、居委会主任' : post === 'deputy' ? (k === 1 ? '党委副书记' : '居委会副主任') : '社区专职工作者';
        const postStart = post === 'staff' ? start : Math.max(start, asOfMs - rng.int(1, 6) * 365 * 86400_000);
        await sink.push('worker_post', [d, ctx.uuid('worker_post', next), id, c.code, post, title, isoDay(postStart)]);
        // Certificates: the national social-work exams, taken a few years into the job.
        const u = rng.next();
        const kinds: ['assistant_social_worker' | 'social_worker' | 'senior_social_worker', string][] =
          u < 0.35
            ? [['assistant_social_worker', '助理社会工作师']]
            : u < 0.58
              ? [
                  ['assistant_social_worker', '助理社会工作师'],
                  ['social_worker', '社会工作师'],
                ]
              : u < 0.6
                ? [
                    ['social_worker', '社会工作师'],
                    ['senior_social_worker', '高级社会工作师'],
                  ]
                : [];
        let issued = start;
        for (const [kind, name] of kinds) {
          issued = Math.min(asOfMs - 86400_000, issued + rng.int(180, 3 * 365) * 86400_000);
          certNo++;
          await sink.push('worker_certificate', [
            d,
            ctx.uuid('worker_certificate', certNo),
            id,
            kind,
            name,
            `${new Date(issued).getUTCFullYear()}${String(certNo).padStart(8, '0')}`,
            isoDay(issued),
          ]);
        }
        for (let y = asOfYear - 3; y < asOfYear; y++) {
          if (new Date(start).getUTCFullYear() > y) continue;
          await sink.push('worker_appraisal', [d, id, y, APPRAISAL[weightedIndex(rng, APPRAISAL_WEIGHTS)]]);
        }
      }
    }
    await sink.flush();
    const w = sink.written;
    return {
      rows: {
        wf_community: w.wf_community,
        worker: w.worker,
        worker_post: w.worker_post,
        worker_certificate: w.worker_certificate,
        worker_appraisal: w.worker_appraisal,
      },
      output: { workers: n } satisfies WorkforceOutput,
    };
  },
};
