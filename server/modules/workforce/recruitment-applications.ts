import { sql, type Kysely, type SqlBool, type Updateable } from 'kysely';
import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../../core/audit.ts';
import { pathInScope, type Scope } from '../../core/permissions.ts';
import type { DB } from '../../db/types.ts';
import type { ApplicationStatus, CertificateKind, Education, PlanStage, Political } from '../../db/types-workforce.ts';
import { ID_PROBLEM_ZH, maskIdNumber, parseIdNumber } from '../registry/id-number.ts';
import { todayInShanghai } from '../registry/person-rules.ts';
import { sealIdNumber, sealPhone } from '../registry/pii.ts';
import { checkPhone, maskPhone } from '../registry/validators.ts';
import { auditOf } from './archive.ts';
import * as store from './store.ts';
import { loadPlan } from './recruitment-plan-access.ts';

/** Recruitment (W3): applications, screening, scores, medical and background checks (objections: recruitment-objections.ts). */
// ------------------------------------------------------------------ applications

export interface ApplicationInput {
  postId: string;
  name: string;
  idNumber: string;
  phone?: string;
  education: Education;
  major?: string;
  fullTime: boolean;
  political?: Political;
  certificates?: { kind: CertificateKind; issuedOn: string }[];
}

export async function apply(ctx: AppContext, actor: Actor, planId: string, input: ApplicationInput) {
  const plan = await loadPlan(ctx, actor, planId);
  const post = await loadOpenPost(ctx.db, plan, input.postId);
  if (!pathInScope(actor.scope('workforce.recruit'), post.path)) throw new AppError('FORBIDDEN', { permission: 'workforce.recruit' });
  const { id } = await insertApplication(ctx, plan, post, input, {
    audit: { actorId: actor.userId, actorName: actor.username, ip: actor.ip },
    channel: 'staff',
  });
  return getApplication(ctx, actor, id);
}

/** A post of a plan that takes applications now (stage 报名). */
export async function loadOpenPost(db: Kysely<DB>, plan: { district_code: string; id: string; stage: PlanStage }, postId: string) {
  if (plan.stage !== 'open') throw new AppError('STAGE_INVALID', { stage: plan.stage, expected: 'open' });
  const post = await db
    .selectFrom('recruit_post')
    .select(['id', 'name', sql<string>`path::text`.as('path')])
    .where('district_code', '=', plan.district_code)
    .where('plan_id', '=', plan.id)
    .where('id', '=', postId)
    .executeTakeFirst();
  if (!post) throw new AppError('NOT_FOUND', { postId });
  return post;
}

export interface ApplicationSource {
  audit: { actorId: string | null; actorName: string; ip: string | null };
  channel: 'staff' | 'online';
  /** The public form's retry key: the same key returns the first submission instead of a second. */
  clientKey?: string;
  /** Scans per entry of `certificates` (null where none was uploaded). */
  files?: ({ fileName: string; mime: string; content: Buffer } | null)[];
}

/**
 * Checks and stores one application (报名) with its certificate scans in one transaction.
 * Shared by HR entering a paper form and the public online form.
 */
export async function insertApplication(
  ctx: AppContext,
  plan: { district_code: string; id: string },
  post: { id: string },
  input: ApplicationInput,
  source: ApplicationSource,
): Promise<{ id: string; replayed: boolean }> {
  if (source.clientKey) {
    const again = await ctx.db
      .selectFrom('recruit_application')
      .select('id')
      .where('district_code', '=', plan.district_code)
      .where('plan_id', '=', plan.id)
      .where('client_key', '=', source.clientKey)
      .executeTakeFirst();
    if (again) return { id: again.id, replayed: true };
  }
  const today = todayInShanghai();
  const parsed = parseIdNumber(input.idNumber, { today });
  const problems: { field: string; reason: string }[] = [];
  if (!parsed.ok) problems.push({ field: 'idNumber', reason: ID_PROBLEM_ZH[parsed.problem] });
  const phone = input.phone ? checkPhone(input.phone) : null;
  if (phone && !phone.ok) problems.push({ field: 'phone', reason: '联系电话格式不正确' });
  for (const c of input.certificates ?? [])
    if (c.issuedOn > today) problems.push({ field: 'certificates', reason: '证书日期不能晚于今天' });
  if (problems.length || !parsed.ok) throw new AppError('VALIDATION_FAILED', { problems });
  const id = sealIdNumber(ctx.keyring, 'resident', parsed.value.number);
  const sealedPhone = phone?.ok ? sealPhone(ctx.keyring, phone.phone) : null;
  const existing = await ctx.db
    .selectFrom('recruit_application')
    .select('id')
    .where('district_code', '=', plan.district_code)
    .where('plan_id', '=', plan.id)
    .where('id_bidx', '=', id.bidx)
    .executeTakeFirst();
  if (existing) throw new AppError('APPLICATION_EXISTS', { id: existing.id });
  const appId = await ctx.db.transaction().execute(async (tx) => {
    const r = await tx
      .insertInto('recruit_application')
      .values({
        district_code: plan.district_code,
        plan_id: plan.id,
        post_id: post.id,
        name: input.name.trim(),
        id_enc: id.enc,
        id_bidx: id.bidx,
        phone_enc: sealedPhone?.enc ?? null,
        gender: parsed.value.gender,
        birth_date: parsed.value.birthDate,
        education: input.education,
        major: input.major ?? '',
        full_time: input.fullTime,
        political: input.political ?? 'masses',
        certificates: JSON.stringify(input.certificates ?? []),
        status: 'submitted',
        screening: '[]',
        bonus_points: 0,
        channel: source.channel,
        client_key: source.clientKey ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const [i, f] of (source.files ?? []).entries())
      if (f)
        await tx
          .insertInto('recruit_application_file')
          .values({
            district_code: plan.district_code,
            application_id: r.id,
            cert_index: i,
            file_name: f.fileName,
            mime: f.mime,
            size: f.content.length,
            content: f.content,
            uploaded_by: source.audit.actorName,
          })
          .execute();
    await appendAudit(tx, {
      ...source.audit,
      action: 'workforce.recruit.apply',
      targetType: 'recruit_application',
      targetId: r.id,
      placeCode: plan.district_code,
      details: { planId: plan.id, channel: source.channel, files: (source.files ?? []).filter(Boolean).length },
    });
    return r.id;
  });
  return { id: appId, replayed: false };
}

export interface ApplicationFile {
  id: string;
  certIndex: number;
  fileName: string;
  mime: string;
  size: number;
}

export function applicationQuery(db: Kysely<DB>, scope: Scope) {
  return db
    .selectFrom('recruit_application as a')
    .innerJoin('recruit_post as rp', (j) => j.onRef('rp.district_code', '=', 'a.district_code').onRef('rp.id', '=', 'a.post_id'))
    .innerJoin('division as s', 's.code', 'rp.street_code')
    .selectAll('a')
    .select([
      store.ymd('a.birth_date').as('birth_date'),
      'rp.street_code',
      's.name as street_name',
      'rp.name as post_name',
      sql<string>`rp.path::text`.as('post_path'),
      sql<ApplicationFile[]>`coalesce((select jsonb_agg(jsonb_build_object('id', f.id, 'certIndex', f.cert_index,
        'fileName', f.file_name, 'mime', f.mime, 'size', f.size) order by f.cert_index)
        from recruit_application_file f where f.district_code = a.district_code and f.application_id = a.id), '[]')`.as('files'),
    ])
    .where(postVisible(scope));
}

/** Applications are seen by the street of their post and everyone above it (`rp` is recruit_post). */
export function postVisible(scope: Scope) {
  if (scope.all) return sql<SqlBool>`true`;
  if (!scope.territoryPaths.length) return sql<SqlBool>`false`;
  return sql<SqlBool>`rp.path <@ ${sql.val(scope.territoryPaths)}::text[]::ltree[]`;
}
export type AppRow = NonNullable<Awaited<ReturnType<ReturnType<typeof applicationQuery>['executeTakeFirst']>>>;

function applicationView(ctx: AppContext, a: AppRow) {
  const n = (v: string | null) => (v === null ? null : Number(v));
  return {
    id: a.id,
    planId: a.plan_id,
    postId: a.post_id,
    postName: a.post_name,
    streetCode: a.street_code,
    streetName: a.street_name,
    name: a.name,
    idMasked: maskIdNumber(ctx.keyring.decrypt(a.id_enc)),
    phoneMasked: a.phone_enc ? maskPhone(ctx.keyring.decrypt(a.phone_enc)) : null,
    gender: a.gender,
    birthDate: a.birth_date,
    education: a.education,
    major: a.major,
    fullTime: a.full_time,
    political: a.political,
    certificates: a.certificates as { kind: CertificateKind; issuedOn: string }[],
    status: a.status,
    statusReason: a.status_reason,
    screening: a.screening as string[],
    writtenScore: n(a.written_score),
    bonusPoints: Number(a.bonus_points),
    interviewScore: n(a.interview_score),
    totalScore: n(a.total_score),
    rank: a.rank,
    medical: a.medical,
    background: a.background,
    reserveRank: a.reserve_rank,
    workerId: a.worker_id,
    channel: a.channel,
    files: a.files,
    version: a.version,
  };
}
export type ApplicationView = ReturnType<typeof applicationView>;

export async function loadApplication(ctx: AppContext, actor: Actor, id: string) {
  const a = await applicationQuery(ctx.db, actor.scope('workforce.read')).where('a.id', '=', id).executeTakeFirst();
  if (!a) throw new AppError('NOT_FOUND', { id });
  return a;
}

export async function getApplication(ctx: AppContext, actor: Actor, id: string) {
  return applicationView(ctx, await loadApplication(ctx, actor, id));
}

export async function listApplications(ctx: AppContext, actor: Actor, planId: string, f: { status?: ApplicationStatus; postId?: string }) {
  const plan = await loadPlan(ctx, actor, planId);
  let q = applicationQuery(ctx.db, actor.scope('workforce.read'))
    .where('a.district_code', '=', plan.district_code)
    .where('a.plan_id', '=', planId);
  if (f.status) q = q.where('a.status', '=', f.status);
  if (f.postId) q = q.where('a.post_id', '=', f.postId);
  const rows = await q
    .orderBy('rp.street_code')
    .orderBy(sql`a.rank nulls last`)
    .orderBy(sql`a.reserve_rank nulls last`)
    .orderBy(sql`a.total_score desc nulls last`)
    .orderBy('a.created_at')
    .execute();
  return rows.map((r) => applicationView(ctx, r));
}

/** Applications the caller may act on: inside their recruit scope (the post's street). */
export async function loadForRecruit(ctx: AppContext, actor: Actor, id: string) {
  const a = await loadApplication(ctx, actor, id);
  if (!pathInScope(actor.scope('workforce.recruit'), a.post_path)) throw new AppError('FORBIDDEN', { permission: 'workforce.recruit' });
  const plan = await loadPlan(ctx, actor, a.plan_id);
  return { a, plan };
}

export async function setApplication(
  tx: Kysely<DB>,
  a: { district_code: string; id: string; version: number },
  patch: Updateable<DB['recruit_application']>,
  version: number | null,
) {
  let q = tx
    .updateTable('recruit_application')
    .set({ ...patch, updated_at: new Date(), version: sql`version + 1` })
    .where('district_code', '=', a.district_code)
    .where('id', '=', a.id);
  if (version !== null) q = q.where('version', '=', version);
  const r = await q.executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new AppError('VERSION_CONFLICT', { currentVersion: a.version });
}

/** Manual screening decision (a reviewer overrules the automatic check), with the reason. */
export async function screenApplication(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { version: number; eligible: boolean; reason: string },
) {
  const { a, plan } = await loadForRecruit(ctx, actor, id);
  if (plan.stage !== 'screening') throw new AppError('STAGE_INVALID', { stage: plan.stage, expected: 'screening' });
  await ctx.db.transaction().execute(async (tx) => {
    await setApplication(
      tx,
      a,
      {
        status: input.eligible ? 'eligible' : 'ineligible',
        screening: JSON.stringify([...(a.screening as string[]), `人工复核：${input.reason}`]),
      },
      input.version,
    );
    await appendAudit(tx, auditOf(actor, 'workforce.recruit.screen', 'recruit_application', id, plan.district_code, input));
  });
  return getApplication(ctx, actor, id);
}

export async function recordScores(
  ctx: AppContext,
  actor: Actor,
  planId: string,
  input: { stage: 'written' | 'interview'; scores: { applicationId: string; score: number }[] },
) {
  const plan = await loadPlan(ctx, actor, planId);
  if (plan.stage !== input.stage) throw new AppError('STAGE_INVALID', { stage: plan.stage, expected: input.stage });
  const scope = actor.scope('workforce.recruit');
  await ctx.db.transaction().execute(async (tx) => {
    for (const s of input.scores) {
      const a = await applicationQuery(tx, scope).where('a.plan_id', '=', planId).where('a.id', '=', s.applicationId).executeTakeFirst();
      if (!a) throw new AppError('NOT_FOUND', { applicationId: s.applicationId });
      if (a.status !== 'eligible') throw new AppError('STAGE_INVALID', { applicationId: a.id, status: a.status });
      await setApplication(tx, a, input.stage === 'written' ? { written_score: s.score } : { interview_score: s.score }, null);
    }
    await appendAudit(
      tx,
      auditOf(actor, `workforce.recruit.scores.${input.stage}`, 'recruit_plan', planId, plan.district_code, { count: input.scores.length }),
    );
  });
  return listApplications(ctx, actor, planId, {});
}

export async function recordChecks(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { version: number; medical?: 'pass' | 'fail'; background?: 'pass' | 'fail'; note?: string },
) {
  const { a, plan } = await loadForRecruit(ctx, actor, id);
  if (plan.stage !== 'checks') throw new AppError('STAGE_INVALID', { stage: plan.stage, expected: 'checks' });
  if (a.status !== 'selected') throw new AppError('STAGE_INVALID', { status: a.status });
  await ctx.db.transaction().execute(async (tx) => {
    const failed = input.medical === 'fail' ? '体检不合格' : input.background === 'fail' ? '考察不合格' : null;
    await setApplication(
      tx,
      a,
      {
        ...(input.medical ? { medical: input.medical } : {}),
        ...(input.background ? { background: input.background } : {}),
        ...(failed ? { status: 'failed' as const, status_reason: input.note ? `${failed}：${input.note}` : failed } : {}),
      },
      input.version,
    );
    // The next in rank on the same post moves up (递补) and goes through the checks in turn.
    if (failed) {
      const next = await tx
        .selectFrom('recruit_application')
        .select(['district_code', 'id', 'version'])
        .where('district_code', '=', a.district_code)
        .where('post_id', '=', a.post_id)
        .where('status', '=', 'ranked')
        .orderBy('rank')
        .limit(1)
        .executeTakeFirst();
      if (next) await setApplication(tx, next, { status: 'selected', status_reason: `递补（${a.name}${failed}）` }, null);
    }
    await appendAudit(tx, auditOf(actor, 'workforce.recruit.checks', 'recruit_application', id, plan.district_code, { ...input }));
  });
  return getApplication(ctx, actor, id);
}
