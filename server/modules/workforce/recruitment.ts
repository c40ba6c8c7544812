import { sql, type Kysely, type SqlBool, type Updateable } from 'kysely';
import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../../core/audit.ts';
import { pathInScope, type Scope } from '../../core/permissions.ts';
import { createCalendar, isWorkingDay, nextWorkingDay, type WorkCalendar } from '../../core/calendar.ts';
import { chineseDaysRows } from '../../core/calendar-data.ts';
import type { DB } from '../../db/types.ts';
import type { ApplicationStatus, CertificateKind, Education, PlanStage, Political } from '../../db/types-workforce.ts';
import { ID_PROBLEM_ZH, maskIdNumber, parseIdNumber } from '../registry/id-number.ts';
import { todayInShanghai } from '../registry/person-rules.ts';
import { sealIdNumber, sealPhone } from '../registry/pii.ts';
import { checkPhone, maskPhone } from '../registry/validators.ts';
import { auditOf, ensurePerson, insertWorkerTx } from './archive.ts';
import { bonusFor, rankCandidates, screen, STAGES, totalScore, type BonusTable, type Requirements } from './recruitment-rules.ts';
import * as store from './store.ts';

/**
 * Recruitment (W3): plan → applications → screening → written exam (with certificate bonus) →
 * interview → medical and background checks → public notice of at least 5 working days with
 * objections → appointment, which creates the archive and post; the ranked remainder becomes
 * this year's reserve pool, from which vacancies are filled in rank order.
 * Every step is one transaction; the plan's version guards its stage.
 */

let calendar: WorkCalendar | null = null;
export function workCalendar(): WorkCalendar {
  calendar ??= createCalendar(chineseDaysRows());
  return calendar;
}

/** The last day of a notice that starts on `start` and runs `days` working days. */
export function noticeEnd(cal: WorkCalendar, start: string, days = 5): string {
  let d = start;
  let count = 0;
  for (let guard = 0; guard < 60; guard++) {
    if (isWorkingDay(cal, d)) count++;
    if (count === days) return d;
    d = new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  }
  throw new Error('no five working days within sixty days');
}

/** Plans are district-wide: visible to anyone whose scope lies inside or above the plan's district. */
function planVisible(scope: Scope) {
  if (scope.all) return sql<SqlBool>`true`;
  if (!scope.territoryPaths.length) return sql<SqlBool>`false`;
  const paths = sql`${sql.val(scope.territoryPaths)}::text[]::ltree[]`;
  return sql<SqlBool>`(pl.path <@ ${paths} or pl.path @> ${paths})`;
}

export async function loadPlan(ctx: AppContext, actor: Actor, id: string) {
  const r = await ctx.db
    .selectFrom('recruit_plan as pl')
    .selectAll('pl')
    .select([
      sql<string>`pl.path::text`.as('path'),
      store.ymdOrNull('pl.notice_start').as('notice_start'),
      store.ymdOrNull('pl.notice_end').as('notice_end'),
    ])
    .where('pl.id', '=', id)
    .where(planVisible(actor.scope('workforce.read')))
    .executeTakeFirst();
  if (!r) throw new AppError('NOT_FOUND', { id });
  return r;
}
type PlanRow = Awaited<ReturnType<typeof loadPlan>>;

function requireDistrictRecruiter(actor: Actor, plan: PlanRow) {
  if (!pathInScope(actor.scope('workforce.recruit'), plan.path)) throw new AppError('FORBIDDEN', { permission: 'workforce.recruit' });
}

function planView(p: PlanRow) {
  return {
    id: p.id,
    districtCode: p.district_code,
    year: p.year,
    title: p.title,
    stage: p.stage,
    requirements: p.requirements as Requirements,
    bonus: p.bonus as BonusTable,
    writtenPass: Number(p.written_pass),
    interviewPass: Number(p.interview_pass),
    writtenWeight: Number(p.written_weight),
    noticeStart: p.notice_start,
    noticeEnd: p.notice_end,
    version: p.version,
  };
}

export async function listPlans(ctx: AppContext, actor: Actor) {
  const rows = await ctx.db
    .selectFrom('recruit_plan as pl')
    .selectAll('pl')
    .select([
      sql<string>`pl.path::text`.as('path'),
      store.ymdOrNull('pl.notice_start').as('notice_start'),
      store.ymdOrNull('pl.notice_end').as('notice_end'),
    ])
    .where(planVisible(actor.scope('workforce.read')))
    .orderBy('pl.year', 'desc')
    .orderBy('pl.created_at', 'desc')
    .execute();
  return rows.map(planView);
}

export async function getPlan(ctx: AppContext, actor: Actor, id: string) {
  const p = await loadPlan(ctx, actor, id);
  const posts = await ctx.db
    .selectFrom('recruit_post as rp')
    .innerJoin('division as s', 's.code', 'rp.street_code')
    .select(['rp.id', 'rp.street_code', 's.name as street_name', 'rp.name', 'rp.quota'])
    .select(
      sql<Record<string, number>>`(select coalesce(jsonb_object_agg(status, n), '{}'::jsonb) from (
        select a.status, count(*)::int as n from recruit_application a
        where a.district_code = rp.district_code and a.post_id = rp.id group by a.status) x)`.as('counts'),
    )
    .where('rp.district_code', '=', p.district_code)
    .where('rp.plan_id', '=', id)
    .orderBy('rp.street_code')
    .execute();
  return {
    ...planView(p),
    canRecruit: pathInScope(actor.scope('workforce.recruit'), p.path),
    posts: posts.map((x) => ({
      id: x.id,
      streetCode: x.street_code,
      streetName: x.street_name,
      name: x.name,
      quota: x.quota,
      counts: x.counts,
    })),
  };
}

export interface PlanInput {
  districtCode: string;
  year: number;
  title: string;
  requirements: Requirements;
  bonus: BonusTable;
  writtenPass?: number;
  interviewPass?: number;
  writtenWeight?: number;
  posts: { streetCode: string; name: string; quota: number }[];
}

export async function createPlan(ctx: AppContext, actor: Actor, input: PlanInput) {
  const d = await store.findDivision(ctx.db, input.districtCode);
  if (!d || d.level !== 'district') throw new AppError('TERRITORY_NOT_FOUND', { districtCode: input.districtCode });
  if (!pathInScope(actor.scope('workforce.recruit'), d.path)) throw new AppError('OUT_OF_SCOPE', { districtCode: input.districtCode });
  if (input.requirements.minAge > input.requirements.maxAge)
    throw new AppError('VALIDATION_FAILED', { problems: [{ field: 'requirements.minAge', reason: '最小年龄不能大于最大年龄' }] });
  const streets = await ctx.db
    .selectFrom('division')
    .select(['code', sql<string>`path::text`.as('path')])
    .where(
      'code',
      'in',
      input.posts.map((p) => p.streetCode),
    )
    .where('level', '=', 'street')
    .where('parent_code', '=', input.districtCode)
    .execute();
  const streetPath = new Map(streets.map((s) => [s.code, s.path]));
  const bad = input.posts.filter((p) => !streetPath.has(p.streetCode));
  if (bad.length || !input.posts.length)
    throw new AppError('VALIDATION_FAILED', {
      problems: [{ field: 'posts', reason: '岗位须属于本区的街道（镇）', streets: bad.map((b) => b.streetCode) }],
    });
  const id = await ctx.db.transaction().execute(async (tx) => {
    const plan = await tx
      .insertInto('recruit_plan')
      .values({
        district_code: input.districtCode,
        year: input.year,
        title: input.title,
        path: d.path,
        stage: 'draft',
        requirements: JSON.stringify(input.requirements),
        bonus: JSON.stringify(input.bonus),
        written_pass: input.writtenPass ?? 60,
        interview_pass: input.interviewPass ?? 60,
        written_weight: input.writtenWeight ?? 0.5,
        created_by: actor.username,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const p of input.posts)
      await tx
        .insertInto('recruit_post')
        .values({
          district_code: input.districtCode,
          plan_id: plan.id,
          street_code: p.streetCode,
          path: streetPath.get(p.streetCode)!,
          name: p.name,
          quota: p.quota,
        })
        .execute();
    await appendAudit(
      tx,
      auditOf(actor, 'workforce.recruit.plan.create', 'recruit_plan', plan.id, input.districtCode, { title: input.title }),
    );
    return plan.id;
  });
  return getPlan(ctx, actor, id);
}

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

function applicationQuery(db: Kysely<DB>, scope: Scope) {
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
    .where(
      scope.all
        ? sql<SqlBool>`true`
        : scope.territoryPaths.length
          ? sql<SqlBool>`rp.path <@ ${sql.val(scope.territoryPaths)}::text[]::ltree[]`
          : sql<SqlBool>`false`,
    );
}
type AppRow = NonNullable<Awaited<ReturnType<ReturnType<typeof applicationQuery>['executeTakeFirst']>>>;

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
async function loadForRecruit(ctx: AppContext, actor: Actor, id: string) {
  const a = await loadApplication(ctx, actor, id);
  if (!pathInScope(actor.scope('workforce.recruit'), a.post_path)) throw new AppError('FORBIDDEN', { permission: 'workforce.recruit' });
  const plan = await loadPlan(ctx, actor, a.plan_id);
  return { a, plan };
}

async function setApplication(
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

export async function addObjection(ctx: AppContext, actor: Actor, id: string, input: { receivedOn: string; content: string }) {
  const { a, plan } = await loadForRecruit(ctx, actor, id);
  if (plan.stage !== 'notice' || a.status !== 'notice') throw new AppError('STAGE_INVALID', { stage: plan.stage, status: a.status });
  if (input.receivedOn < plan.notice_start! || input.receivedOn > plan.notice_end!)
    throw new AppError('VALIDATION_FAILED', {
      problems: [{ field: 'receivedOn', reason: `异议须在公示期内（${plan.notice_start} 至 ${plan.notice_end}）提出` }],
    });
  const objectionId = await ctx.db.transaction().execute(async (tx) => {
    const r = await tx
      .insertInto('recruit_objection')
      .values({ district_code: a.district_code, application_id: id, received_on: input.receivedOn, content: input.content })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendAudit(
      tx,
      auditOf(actor, 'workforce.recruit.objection', 'recruit_application', id, plan.district_code, { objectionId: r.id }),
    );
    return r.id;
  });
  return { objectionId, application: await getApplication(ctx, actor, id) };
}

export async function objectionsOf(ctx: AppContext, actor: Actor, planId: string) {
  const plan = await loadPlan(ctx, actor, planId);
  return ctx.db
    .selectFrom('recruit_objection as o')
    .innerJoin('recruit_application as a', (j) => j.onRef('a.district_code', '=', 'o.district_code').onRef('a.id', '=', 'o.application_id'))
    .select([
      'o.id',
      'o.application_id as applicationId',
      'a.name',
      store.ymd('o.received_on').as('receivedOn'),
      'o.content',
      'o.finding',
      'o.finding_note as findingNote',
      'o.version',
    ])
    .where('o.district_code', '=', plan.district_code)
    .where('a.plan_id', '=', planId)
    .orderBy('o.received_on')
    .execute();
}

export async function decideObjection(
  ctx: AppContext,
  actor: Actor,
  objectionId: string,
  input: { version: number; finding: 'upheld' | 'dismissed'; note: string },
) {
  const o = await ctx.db.selectFrom('recruit_objection').selectAll().where('id', '=', objectionId).executeTakeFirst();
  if (!o) throw new AppError('NOT_FOUND', { id: objectionId });
  const { a, plan } = await loadForRecruit(ctx, actor, o.application_id);
  requireDistrictRecruiter(actor, plan);
  if (o.finding) throw new AppError('CONFLICT', { reason: 'already_decided' });
  await ctx.db.transaction().execute(async (tx) => {
    const r = await tx
      .updateTable('recruit_objection')
      .set({ finding: input.finding, finding_note: input.note, decided_by: actor.username, updated_at: new Date(), version: o.version + 1 })
      .where('district_code', '=', o.district_code)
      .where('id', '=', objectionId)
      .where('version', '=', input.version)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new AppError('VERSION_CONFLICT', { currentVersion: o.version });
    // An upheld objection strikes the candidate; the post's place is filled later from the reserve pool.
    if (input.finding === 'upheld') await setApplication(tx, a, { status: 'struck', status_reason: `公示异议成立：${input.note}` }, null);
    await appendAudit(
      tx,
      auditOf(actor, 'workforce.recruit.objection.decide', 'recruit_objection', objectionId, plan.district_code, {
        finding: input.finding,
      }),
    );
  });
  return getApplication(ctx, actor, a.id);
}

// ------------------------------------------------------------------ stages

export async function advance(
  ctx: AppContext,
  actor: Actor,
  planId: string,
  input: { version: number; to: PlanStage; noticeStart?: string },
) {
  const plan = await loadPlan(ctx, actor, planId);
  requireDistrictRecruiter(actor, plan);
  const from = STAGES.indexOf(plan.stage);
  if (STAGES.indexOf(input.to) !== from + 1) throw new AppError('STAGE_INVALID', { stage: plan.stage, to: input.to });
  if (plan.version !== input.version) throw new AppError('VERSION_CONFLICT', { currentVersion: plan.version });
  const today = todayInShanghai();
  const cal = workCalendar();
  let notice: { start: string; end: string } | null = null;
  if (input.to === 'notice') {
    const start = nextWorkingDay(cal, input.noticeStart ?? today);
    notice = { start, end: noticeEnd(cal, start, 5) };
  }
  if (input.to === 'closed') return closePlan(ctx, actor, plan, today);
  await ctx.db.transaction().execute(async (tx) => {
    const apps = await tx
      .selectFrom('recruit_application')
      .selectAll()
      .select(store.ymd('birth_date').as('birth_date'))
      .where('district_code', '=', plan.district_code)
      .where('plan_id', '=', planId)
      .orderBy('created_at')
      .execute();
    const req = plan.requirements as Requirements;
    const bonus = plan.bonus as BonusTable;
    if (input.to === 'screening') {
      for (const a of apps.filter((x) => x.status === 'submitted')) {
        const certs = (a.certificates as { kind: CertificateKind }[]).map((c) => c.kind);
        const s = screen(
          { birthDate: a.birth_date, education: a.education, major: a.major, fullTime: a.full_time, certificates: certs },
          req,
        );
        const b = bonusFor(certs, bonus);
        await setApplication(
          tx,
          a,
          { status: s.eligible ? 'eligible' : 'ineligible', screening: JSON.stringify([...s.reasons, b.reason]), bonus_points: b.points },
          null,
        );
      }
    }
    if (input.to === 'interview') {
      const sitting = apps.filter((x) => x.status === 'eligible');
      const missing = sitting.filter((x) => x.written_score === null);
      if (missing.length) throw new AppError('SCORES_MISSING', { stage: 'written', applications: missing.map((m) => m.id) });
      for (const a of sitting) {
        const withBonus = Number(a.written_score) + Number(a.bonus_points);
        if (withBonus < Number(plan.written_pass))
          await setApplication(
            tx,
            a,
            { status: 'failed', status_reason: `笔试成绩（含加分）${withBonus} 分，未达合格线 ${Number(plan.written_pass)} 分` },
            null,
          );
      }
    }
    if (input.to === 'checks') {
      const sitting = apps.filter((x) => x.status === 'eligible');
      const missing = sitting.filter((x) => x.interview_score === null);
      if (missing.length) throw new AppError('SCORES_MISSING', { stage: 'interview', applications: missing.map((m) => m.id) });
      const quotas = new Map(
        (
          await tx
            .selectFrom('recruit_post')
            .select(['id', 'quota'])
            .where('district_code', '=', plan.district_code)
            .where('plan_id', '=', planId)
            .execute()
        ).map((p) => [p.id, p.quota]),
      );
      const passed = [];
      for (const [seq, a] of sitting.entries()) {
        if (Number(a.interview_score) < Number(plan.interview_pass)) {
          await setApplication(
            tx,
            a,
            { status: 'failed', status_reason: `面试成绩 ${Number(a.interview_score)} 分，未达合格线 ${Number(plan.interview_pass)} 分` },
            null,
          );
          continue;
        }
        const written = Number(a.written_score) + Number(a.bonus_points);
        passed.push({
          a,
          id: a.id,
          seq,
          written,
          interview: Number(a.interview_score),
          total: totalScore(Number(a.written_score), Number(a.bonus_points), Number(a.interview_score), Number(plan.written_weight)),
        });
      }
      for (const [postId, quota] of quotas) {
        const ranked = rankCandidates(passed.filter((p) => p.a.post_id === postId));
        for (const [i, p] of ranked.entries())
          await setApplication(tx, p.a, { status: i < quota ? 'selected' : 'ranked', rank: i + 1, total_score: p.total }, null);
      }
    }
    if (input.to === 'notice') {
      const selected = apps.filter((x) => x.status === 'selected');
      const missing = selected.filter((x) => x.medical !== 'pass' || x.background !== 'pass');
      if (missing.length) throw new AppError('CHECKS_MISSING', { applications: missing.map((m) => m.id) });
      for (const a of selected) await setApplication(tx, a, { status: 'notice' }, null);
    }
    await tx
      .updateTable('recruit_plan')
      .set({
        stage: input.to,
        ...(notice ? { notice_start: notice.start, notice_end: notice.end } : {}),
        updated_at: new Date(),
        version: plan.version + 1,
      })
      .where('district_code', '=', plan.district_code)
      .where('id', '=', planId)
      .execute();
    await appendAudit(
      tx,
      auditOf(actor, 'workforce.recruit.advance', 'recruit_plan', planId, plan.district_code, { from: plan.stage, to: input.to, notice }),
    );
  });
  return getPlan(ctx, actor, planId);
}

type Community = NonNullable<Awaited<ReturnType<typeof store.findCommunity>>>;

/** Communities of a street ordered by need: most open posts, then fewest workers. */
async function communitiesByNeed(db: Kysely<DB>, streetCode: string) {
  const r = await sql<Community & { open: number; workers: number }>`
    select c.code, c.name, c.path::text as path, s.code as street_code, s.name as street_name,
      coalesce(wc.authorized_posts, 0) - (select count(*)::int from worker w where w.district_code = left(c.code, 6)
        and w.community_code = c.code and w.status = 'active') as open,
      (select count(*)::int from worker w where w.district_code = left(c.code, 6) and w.community_code = c.code and w.status = 'active') as workers
    from division c join division s on s.code = c.parent_code
    left join wf_community wc on wc.district_code = left(c.code, 6) and wc.community_code = c.code
    where c.parent_code = ${streetCode} and c.level = 'community'`.execute(db);
  return r.rows;
}

function neediest<T extends { open: number; workers: number; code: string }>(list: T[]): T {
  list.sort((x, y) => y.open - x.open || x.workers - y.workers || x.code.localeCompare(y.code));
  return list[0];
}

function personRefOf(ctx: AppContext, a: AppRow | (Omit<AppRow, 'post_name' | 'street_name' | 'post_path'> & { street_code: string })) {
  return {
    person: {
      name: a.name,
      idNumber: ctx.keyring.decrypt(a.id_enc),
      gender: a.gender,
      ...(a.phone_enc ? { phone: ctx.keyring.decrypt(a.phone_enc) } : {}),
    },
  };
}

async function appointTx(
  tx: Kysely<DB>,
  actor: Actor,
  a: AppRow,
  personId: string,
  community: Community,
  today: string,
  status: 'appointed' | 'reserve_used',
) {
  const workerId = await insertWorkerTx(
    tx,
    actor,
    personId,
    community,
    {
      communityCode: community.code,
      education: a.education,
      major: a.major,
      fullTime: a.full_time,
      political: a.political,
      workStart: today,
      partyAffairs: false,
      post: 'staff',
      title: '社区专职工作者',
    },
    a.id,
  );
  for (const c of a.certificates as { kind: CertificateKind; issuedOn: string }[])
    await tx
      .insertInto('worker_certificate')
      .values({ district_code: a.district_code, worker_id: workerId, kind: c.kind, name: c.kind, issued_on: c.issuedOn })
      .execute();
  await tx
    .updateTable('worker_certificate')
    .set({
      name: sql`case kind when 'assistant_social_worker' then '助理社会工作师职业资格证书' when 'social_worker' then '社会工作师职业资格证书'
        when 'senior_social_worker' then '高级社会工作师职业资格证书' when 'counsellor' then '心理咨询师证书' else '其他证书' end`,
    })
    .where('district_code', '=', a.district_code)
    .where('worker_id', '=', workerId)
    .execute();
  await setApplication(tx, a, { status, worker_id: workerId, status_reason: `聘用至${community.name}` }, null);
  return workerId;
}

/** Appointment: every candidate still on notice becomes a worker; the ranked remainder, the reserve pool. */
async function closePlan(ctx: AppContext, actor: Actor, plan: PlanRow, today: string) {
  if (plan.stage !== 'notice' || !plan.notice_end) throw new AppError('STAGE_INVALID', { stage: plan.stage });
  if (today <= plan.notice_end) throw new AppError('NOTICE_NOT_OVER', { noticeStart: plan.notice_start, noticeEnd: plan.notice_end });
  const pending = await ctx.db
    .selectFrom('recruit_objection as o')
    .innerJoin('recruit_application as a', (j) => j.onRef('a.district_code', '=', 'o.district_code').onRef('a.id', '=', 'o.application_id'))
    .select('o.id')
    .where('a.district_code', '=', plan.district_code)
    .where('a.plan_id', '=', plan.id)
    .where('o.finding', 'is', null)
    .execute();
  if (pending.length) throw new AppError('OBJECTION_PENDING', { objections: pending.map((p) => p.id) });
  const apps = await applicationQuery(ctx.db, { all: true })
    .where('a.district_code', '=', plan.district_code)
    .where('a.plan_id', '=', plan.id)
    .orderBy('a.rank')
    .execute();
  const onNotice = apps.filter((a) => a.status === 'notice');
  // Register the people first (the registry commits on its own; found again by ID number on a retry).
  const persons = new Map<string, string>();
  for (const a of onNotice) {
    const home = neediest(await communitiesByNeed(ctx.db, a.street_code));
    persons.set(a.id, await ensurePerson(ctx, actor, plan.district_code, home.code, personRefOf(ctx, a)));
  }
  await ctx.db.transaction().execute(async (tx) => {
    const need = new Map<string, Awaited<ReturnType<typeof communitiesByNeed>>>();
    for (const a of onNotice) {
      if (!need.has(a.street_code)) need.set(a.street_code, await communitiesByNeed(tx, a.street_code));
      const target = neediest(need.get(a.street_code)!);
      await appointTx(tx, actor, a, persons.get(a.id)!, target, today, 'appointed');
      target.open--;
      target.workers++;
    }
    const byPost = new Map<string, AppRow[]>();
    for (const a of apps.filter((x) => x.status === 'ranked')) byPost.set(a.post_id, [...(byPost.get(a.post_id) ?? []), a]);
    for (const list of byPost.values())
      for (const [i, a] of list.entries()) await setApplication(tx, a, { status: 'reserve', reserve_rank: i + 1 }, null);
    await tx
      .updateTable('recruit_plan')
      .set({ stage: 'closed', updated_at: new Date(), version: plan.version + 1 })
      .where('district_code', '=', plan.district_code)
      .where('id', '=', plan.id)
      .execute();
    await appendAudit(
      tx,
      auditOf(actor, 'workforce.recruit.appoint', 'recruit_plan', plan.id, plan.district_code, { appointed: onNotice.length }),
    );
  });
  return getPlan(ctx, actor, plan.id);
}

/** Fills one vacancy of a community from its street's reserve pool of this year, best rank first. */
export async function appointFromReserve(ctx: AppContext, actor: Actor, community: Community) {
  const year = Number(todayInShanghai().slice(0, 4));
  const next = await applicationQuery(ctx.db, { all: true })
    .innerJoin('recruit_plan as pl', (j) => j.onRef('pl.district_code', '=', 'a.district_code').onRef('pl.id', '=', 'a.plan_id'))
    .where('a.district_code', '=', community.code.slice(0, 6))
    .where('rp.street_code', '=', community.street_code)
    .where('a.status', '=', 'reserve')
    .where('pl.year', '=', year)
    .orderBy('a.reserve_rank')
    .orderBy('pl.created_at')
    .limit(1)
    .executeTakeFirst();
  if (!next) throw new AppError('RESERVE_EMPTY', { streetCode: community.street_code, year });
  const personId = await ensurePerson(ctx, actor, community.code.slice(0, 6), community.code, personRefOf(ctx, next));
  const workerId = await ctx.db.transaction().execute(async (tx) => {
    const id = await appointTx(tx, actor, next, personId, community, todayInShanghai(), 'reserve_used');
    await appendAudit(
      tx,
      auditOf(actor, 'workforce.staffing.fill', 'worker', id, community.code, { applicationId: next.id, reserveRank: next.reserve_rank }),
    );
    return id;
  });
  return { workerId, applicationId: next.id, name: next.name, reserveRank: next.reserve_rank };
}
