import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { pathInScope } from '../../core/permissions.ts';
import type { CertificateKind, Education, Political } from '../../db/types-workforce.ts';
import { parseIdNumber } from '../registry/id-number.ts';
import { todayInShanghai } from '../registry/person-rules.ts';
import { bonusFor, screen, type BonusTable, type Requirements } from './recruitment-rules.ts';
import { insertApplication, loadApplication, loadOpenPost } from './recruitment.ts';

/**
 * The public online application form (网上报名, W3). Anyone may apply without an account: the
 * applicants are members of the public (graduates, people from other cities), not residents
 * with a login, and the plan's requirements — not residence — decide who may sit the exam.
 * The form shows the plan's requirements, takes certificate scans, and answers at once with a
 * pre-check (预审) of the same rules the screening stage applies, so an applicant sees why
 * they would be refused before HR does. Duplicates are refused by ID number (blind index); a
 * phone's retry carries the same client key and gets the first answer back.
 */

/** Certificate scans: PDF, JPEG or PNG, at most 2 MB each, as services' materials. */
export const MAX_SCAN_BYTES = 2 * 1024 * 1024;
const SIGNATURES: Record<string, (b: Buffer) => boolean> = {
  'application/pdf': (b) => b.subarray(0, 5).toString('latin1') === '%PDF-',
  'image/jpeg': (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
};

/** Why a scan is refused, or null: the declared type must be allowed and match the file's first bytes. */
export function scanProblem(mime: string, content: Buffer): string | null {
  const matches = SIGNATURES[mime];
  if (!matches) return '证书扫描件仅支持 PDF、JPEG 或 PNG';
  if (!content.length) return '证书扫描件为空';
  if (content.length > MAX_SCAN_BYTES) return '证书扫描件不能超过 2MB';
  if (!matches(content)) return '文件内容与类型不符（须为 PDF、JPEG 或 PNG）';
  return null;
}

export interface OnlineApplication {
  postId: string;
  name: string;
  idNumber: string;
  phone: string;
  education: Education;
  major?: string;
  fullTime: boolean;
  political?: Political;
  certificates?: { kind: CertificateKind; issuedOn: string; file?: { fileName: string; mime: string; dataBase64: string } }[];
  clientKey?: string;
}

async function publicPlanRow(ctx: AppContext, id: string) {
  const p = await ctx.db
    .selectFrom('recruit_plan as pl')
    .innerJoin('division as d', 'd.code', 'pl.district_code')
    .select(['pl.id', 'pl.district_code', 'pl.year', 'pl.title', 'pl.stage', 'pl.requirements', 'pl.bonus', 'd.name as district_name'])
    .where('pl.id', '=', id)
    .where('pl.stage', '!=', 'draft')
    .executeTakeFirst();
  if (!p) throw new AppError('NOT_FOUND', { id });
  return p;
}

/** What an applicant sees: the plan, its posts and requirements; no names, no counts of people. */
export async function publicPlan(ctx: AppContext, id: string) {
  const p = await publicPlanRow(ctx, id);
  const posts = await ctx.db
    .selectFrom('recruit_post as rp')
    .innerJoin('division as s', 's.code', 'rp.street_code')
    .select(['rp.id', 's.name as street_name', 'rp.name', 'rp.quota'])
    .where('rp.district_code', '=', p.district_code)
    .where('rp.plan_id', '=', id)
    .orderBy('rp.street_code')
    .execute();
  return {
    id: p.id,
    year: p.year,
    title: p.title,
    districtName: p.district_name,
    stage: p.stage,
    open: p.stage === 'open',
    requirements: p.requirements as Requirements,
    bonus: p.bonus as BonusTable,
    posts: posts.map((x) => ({ id: x.id, streetName: x.street_name, name: x.name, quota: x.quota })),
  };
}

export async function openPlans(ctx: AppContext) {
  const rows = await ctx.db
    .selectFrom('recruit_plan as pl')
    .innerJoin('division as d', 'd.code', 'pl.district_code')
    .select(['pl.id', 'pl.year', 'pl.title', 'd.name as district_name'])
    .where('pl.stage', '=', 'open')
    .orderBy('pl.created_at', 'desc')
    .limit(50)
    .execute();
  return rows.map((r) => ({ id: r.id, year: r.year, title: r.title, districtName: r.district_name }));
}

export async function applyOnline(ctx: AppContext, planId: string, input: OnlineApplication, ip: string | null) {
  const p = await publicPlanRow(ctx, planId);
  const post = await loadOpenPost(ctx.db, { district_code: p.district_code, id: p.id, stage: p.stage }, input.postId);
  const problems: { field: string; reason: string }[] = [];
  const files = (input.certificates ?? []).map((c, i) => {
    if (!c.file) return null;
    const content = Buffer.from(c.file.dataBase64, 'base64');
    const problem = scanProblem(c.file.mime, content);
    if (problem) problems.push({ field: `certificates/${i}/file`, reason: problem });
    return { fileName: c.file.fileName, mime: c.file.mime, content };
  });
  if (problems.length) throw new AppError('VALIDATION_FAILED', { problems });
  const { id, replayed } = await insertApplication(
    ctx,
    { district_code: p.district_code, id: p.id },
    post,
    { ...input, certificates: (input.certificates ?? []).map((c) => ({ kind: c.kind, issuedOn: c.issuedOn })) },
    { audit: { actorId: null, actorName: '网上报名', ip }, channel: 'online', clientKey: input.clientKey, files },
  );
  // The pre-check applies the plan's own screening rules to what the applicant declared.
  const parsed = parseIdNumber(input.idNumber, { today: todayInShanghai() });
  const kinds = (input.certificates ?? []).map((c) => c.kind);
  const check = parsed.ok
    ? screen(
        {
          birthDate: parsed.value.birthDate,
          education: input.education,
          major: input.major ?? '',
          fullTime: input.fullTime,
          certificates: kinds,
        },
        p.requirements as Requirements,
      )
    : { eligible: false, reasons: [] };
  const bonus = bonusFor(kinds, p.bonus as BonusTable);
  return {
    applicationId: id,
    replayed,
    postName: post.name,
    preCheck: { eligible: check.eligible, reasons: check.reasons, bonusPoints: bonus.points, bonusReason: bonus.reason },
    filesReceived: files.filter(Boolean).length,
  };
}

/** A scan an applicant uploaded, for HR within reach of the application's post. */
export async function applicationFile(ctx: AppContext, actor: Actor, applicationId: string, fileId: string) {
  const a = await loadApplication(ctx, actor, applicationId);
  if (!pathInScope(actor.scope('workforce.read'), a.post_path)) throw new AppError('NOT_FOUND', { id: applicationId });
  const f = await ctx.db
    .selectFrom('recruit_application_file')
    .select(['file_name', 'mime', 'content'])
    .where('district_code', '=', a.district_code)
    .where('application_id', '=', a.id)
    .where('id', '=', fileId)
    .executeTakeFirst();
  if (!f) throw new AppError('NOT_FOUND', { fileId });
  return { fileName: f.file_name, mime: f.mime, content: f.content };
}
