import type { Kysely } from 'kysely';
import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../../core/audit.ts';
import { pathInScope } from '../../core/permissions.ts';
import type { DB } from '../../db/types.ts';
import type { AppraisalResult, CertificateKind, Education, PostKind, Political } from '../../db/types-workforce.ts';
import { ageOn, maskIdNumber } from '../registry/id-number.ts';
import { todayInShanghai } from '../registry/person-rules.ts';
import { idBlindIndex } from '../registry/pii.ts';
import { maskPhone } from '../registry/validators.ts';
import * as registry from '../registry/service.ts';
import * as registryStore from '../registry/store.ts';
import { yearsOfService } from './pay-rules.ts';
import * as store from './store.ts';

/**
 * Worker archives (一人一档, W1): a worker is a registry person; the archive holds what makes them
 * a community worker — education, certificates, posts and their history, appraisals, training,
 * honours, care. Archives outside the caller's reach answer 404 (as persons do, DECISIONS D7).
 */

/** 社区工作者八项职责 (seed 003): the default duties of a post, editable per worker. */
export const EIGHT_DUTIES = [
  '宣传落实党和国家的方针政策',
  '组织居民开展自治活动',
  '做好社区公共服务事项',
  '调解民间纠纷，维护社区稳定',
  '开展网格走访，收集社情民意',
  '协助做好社会救助与养老服务',
  '组织开展文化体育和志愿服务',
  '完成街道交办的其他工作',
];

export function reachOf(actor: Actor): store.Reach {
  return { manage: actor.scope('workforce.manage'), read: actor.scope('workforce.read'), userId: actor.userId };
}

export function auditOf(actor: Actor, action: string, targetType: string, targetId: string, placeCode: string, details = {}) {
  return { actorId: actor.userId, actorName: actor.username, action, targetType, targetId, placeCode, ip: actor.ip, details };
}

export function workerView(keyring: AppContext['keyring'], r: store.WorkerRow, today = todayInShanghai()) {
  return {
    id: r.id,
    districtCode: r.district_code,
    personId: r.person_id,
    name: r.name,
    gender: r.gender,
    age: r.birth_date ? ageOn(r.birth_date, today) : null,
    idMasked: maskIdNumber(keyring.decrypt(r.id_enc)),
    phoneMasked: r.phone_enc ? maskPhone(keyring.decrypt(r.phone_enc)) : null,
    communityCode: r.community_code,
    communityName: r.community_name,
    streetCode: r.street_code,
    streetName: r.street_name,
    education: r.education,
    major: r.major,
    fullTime: r.full_time,
    political: r.political,
    workStart: r.work_start,
    yearsOfService: yearsOfService(r.work_start, today),
    partyAffairs: r.party_affairs,
    duties: r.duties,
    status: r.status,
    leftOn: r.left_on,
    onboardedOn: r.onboarded_on,
    post: r.post,
    title: r.title,
    postSince: r.post_since,
    topCertificate: r.top_certificate,
    note: r.note,
    version: r.version,
  };
}
export type WorkerView = ReturnType<typeof workerView>;

export async function loadWorker(ctx: AppContext, actor: Actor, id: string) {
  const row = await store.findWorker(ctx.db, reachOf(actor), id);
  if (!row) throw new AppError('NOT_FOUND', { id });
  return row;
}

/** For writes: the worker must be visible and their community under the caller's manage scope. */
export async function loadForManage(ctx: AppContext, actor: Actor, id: string) {
  const row = await loadWorker(ctx, actor, id);
  if (!pathInScope(actor.scope('workforce.manage'), row.path)) throw new AppError('FORBIDDEN', { permission: 'workforce.manage' });
  return row;
}

export interface ListInput extends Omit<store.WorkerFilter, 'territoryPath'> {
  territoryCode?: string;
  limit?: number;
}

export async function listWorkers(ctx: AppContext, actor: Actor, input: ListInput) {
  const f: store.WorkerFilter = { ...input };
  if (input.territoryCode) {
    const d = await store.findDivision(ctx.db, input.territoryCode);
    if (!d) throw new AppError('TERRITORY_NOT_FOUND', { territoryCode: input.territoryCode });
    f.territoryPath = d.path;
  }
  const today = todayInShanghai();
  const rows = await store.listWorkers(ctx.db, reachOf(actor), f, input.limit ?? 500);
  return rows.map((r) => workerView(ctx.keyring, r, today));
}

export async function getArchive(ctx: AppContext, actor: Actor, id: string) {
  const r = await loadWorker(ctx, actor, id);
  const d = r.district_code;
  const [posts, certificates, appraisals, training, honours, care, grades, mentors] = await Promise.all([
    store.postsOf(ctx.db, d, id),
    store.certificatesOf(ctx.db, d, [id]),
    store.appraisalsOf(ctx.db, d, [id]),
    store.trainingOf(ctx.db, d, id),
    store.honoursOf(ctx.db, d, id),
    store.careOf(ctx.db, d, id),
    store.gradesOf(ctx.db, d, id),
    store.mentorsOf(ctx.db, d, id),
  ]);
  const year = Number(todayInShanghai().slice(0, 4));
  return {
    ...workerView(ctx.keyring, r),
    canManage: pathInScope(actor.scope('workforce.manage'), r.path),
    posts: posts.map((p) => ({
      id: p.id,
      post: p.post,
      title: p.title,
      communityCode: p.community_code,
      communityName: p.community_name,
      startOn: p.start_on,
      endOn: p.end_on,
      reason: p.reason,
    })),
    certificates: certificates.map((c) => ({
      id: c.id,
      kind: c.kind,
      name: c.name,
      number: c.number,
      issuedOn: c.issued_on,
      hasScan: c.scan_name !== null,
    })),
    appraisals: appraisals.map((a) => ({ year: a.year, result: a.result, note: a.note, version: a.version })),
    training: training.map((t) => ({
      sessionId: t.id,
      title: t.title,
      programme: t.programme,
      kind: t.kind,
      startOn: t.start_on,
      days: Number(t.days),
      hours: Number(t.hours),
    })),
    trainingDaysThisYear: training.filter((t) => t.start_on.startsWith(String(year))).reduce((s, t) => s + Number(t.days), 0),
    honours: honours.map((h) => ({
      id: h.id,
      kind: h.kind,
      title: h.title,
      year: h.year,
      amountFen: h.amount_fen,
      awardedOn: h.awarded_on,
    })),
    care: care.map((c) => ({
      id: c.id,
      kind: c.kind,
      year: c.year,
      amountFen: c.amount_fen,
      reason: c.reason,
      status: c.status,
      decidedBy: c.decided_by,
      version: c.version,
    })),
    grades: grades.map((g) => ({ schemeCode: g.scheme_code, grade: g.grade, effectiveFrom: g.effective_from, reason: g.reason })),
    mentors: mentors.map((m) => ({
      id: m.id,
      mentorId: m.mentor_id,
      mentorName: m.mentor_name,
      menteeId: m.mentee_id,
      menteeName: m.mentee_name,
      startOn: m.start_on,
    })),
  };
}
export type Archive = Awaited<ReturnType<typeof getArchive>>;

// ------------------------------------------------------------------ create

export interface PersonRef {
  /** An existing registry person … */
  personId?: string;
  /** … or the identity to find or register (by ID number, never twice). */
  person?: { name: string; idNumber: string; gender?: 'M' | 'F'; phone?: string };
}

/**
 * The registry person behind a worker: found by ID number within the district (blind index),
 * registered through the registry service at the work community when not there yet.
 * Runs before the worker's own transaction (the registry commits its own).
 */
export async function ensurePerson(ctx: AppContext, actor: Actor, districtCode: string, communityCode: string, ref: PersonRef) {
  if (ref.personId) {
    const p = await registryStore.findPerson(ctx.db, { all: true }, ref.personId);
    if (!p || p.district_code !== districtCode) throw new AppError('NOT_FOUND', { personId: ref.personId });
    // Linking someone requires seeing them in the registry.
    if (!pathInScope(actor.scope('registry.read'), p.path) && !pathInScope(actor.scope('workforce.manage'), p.path))
      throw new AppError('NOT_FOUND', { personId: ref.personId });
    return p.id;
  }
  if (!ref.person) throw new AppError('VALIDATION_FAILED', { problems: [{ field: 'person', reason: '请选择或填写人员身份信息' }] });
  const bidx = idBlindIndex(ctx.keyring, 'resident', ref.person.idNumber.trim());
  const existing = await registryStore.personIdByBidx(ctx.db, districtCode, bidx);
  if (existing) return existing.id;
  const created = await registry.createPerson(ctx, actor, {
    name: ref.person.name,
    idType: 'resident',
    idNumber: ref.person.idNumber,
    gender: ref.person.gender,
    phone: ref.person.phone,
    placeCode: communityCode,
  });
  return created.id;
}

export interface WorkerInput extends PersonRef {
  communityCode: string;
  education: Education;
  major?: string;
  fullTime?: boolean;
  political?: Political;
  workStart: string;
  partyAffairs?: boolean;
  duties?: string[];
  onboardedOn?: string | null;
  note?: string;
  post: PostKind;
  title?: string;
  postStart?: string;
}

/** Inserts a worker and their first post inside the caller's transaction. */
export async function insertWorkerTx(
  tx: Kysely<DB>,
  actor: Actor,
  personId: string,
  community: NonNullable<Awaited<ReturnType<typeof store.findCommunity>>>,
  input: WorkerInput,
  sourceApplicationId: string | null = null,
) {
  const districtCode = community.code.slice(0, 6);
  const active = await tx
    .selectFrom('worker')
    .select('id')
    .where('district_code', '=', districtCode)
    .where('person_id', '=', personId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  if (active) throw new AppError('WORKER_EXISTS', { workerId: active.id });
  const id = await store.insertWorker(tx, {
    districtCode,
    personId,
    communityCode: community.code,
    path: community.path,
    education: input.education,
    major: input.major ?? '',
    fullTime: input.fullTime ?? true,
    political: input.political ?? 'masses',
    workStart: input.workStart,
    partyAffairs: input.partyAffairs ?? false,
    duties: input.duties ?? EIGHT_DUTIES,
    onboardedOn: input.onboardedOn ?? null,
    sourceApplicationId,
    note: input.note ?? '',
  });
  await store.insertPost(tx, {
    districtCode,
    workerId: id,
    communityCode: community.code,
    post: input.post,
    title: input.title ?? '',
    startOn: input.postStart ?? input.workStart,
    reason: sourceApplicationId ? '公开招聘聘用' : '建档',
  });
  await appendAudit(tx, auditOf(actor, 'workforce.worker.create', 'worker', id, community.code, { personId, sourceApplicationId }));
  return id;
}

function checkDate(field: string, v: string | null | undefined, today: string) {
  if (v && v > today) throw new AppError('VALIDATION_FAILED', { problems: [{ field, reason: '日期不能晚于今天' }] });
}

export async function createWorker(ctx: AppContext, actor: Actor, input: WorkerInput) {
  const community = await store.findCommunity(ctx.db, input.communityCode);
  if (!community) throw new AppError('TERRITORY_NOT_FOUND', { communityCode: input.communityCode });
  if (!pathInScope(actor.scope('workforce.manage'), community.path))
    throw new AppError('OUT_OF_SCOPE', { communityCode: input.communityCode });
  const today = todayInShanghai();
  checkDate('workStart', input.workStart, today);
  const personId = await ensurePerson(ctx, actor, community.code.slice(0, 6), community.code, input);
  const id = await ctx.db.transaction().execute((tx) => insertWorkerTx(tx, actor, personId, community, input));
  return getArchive(ctx, actor, id);
}

export interface WorkerPatch {
  version: number;
  education?: Education;
  major?: string;
  fullTime?: boolean;
  political?: Political;
  workStart?: string;
  partyAffairs?: boolean;
  duties?: string[];
  note?: string;
}

export async function updateWorker(ctx: AppContext, actor: Actor, id: string, input: WorkerPatch) {
  const before = await loadForManage(ctx, actor, id);
  checkDate('workStart', input.workStart, todayInShanghai());
  await ctx.db.transaction().execute(async (tx) => {
    const ok = await store.touchWorker(tx, before.district_code, id, input.version, {
      ...(input.education !== undefined ? { education: input.education } : {}),
      ...(input.major !== undefined ? { major: input.major } : {}),
      ...(input.fullTime !== undefined ? { full_time: input.fullTime } : {}),
      ...(input.political !== undefined ? { political: input.political } : {}),
      ...(input.workStart !== undefined ? { work_start: input.workStart } : {}),
      ...(input.partyAffairs !== undefined ? { party_affairs: input.partyAffairs } : {}),
      ...(input.duties !== undefined ? { duties: input.duties } : {}),
      ...(input.note !== undefined ? { note: input.note } : {}),
    });
    if (!ok) throw new AppError('VERSION_CONFLICT', { currentVersion: before.version });
    const { version: _v, ...fields } = input;
    await appendAudit(tx, auditOf(actor, 'workforce.worker.update', 'worker', id, before.community_code, { fields: Object.keys(fields) }));
  });
  return getArchive(ctx, actor, id);
}

const dayBefore = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

export interface PostChange {
  version: number;
  post: PostKind;
  title?: string;
  communityCode?: string;
  startOn: string;
  reason: string;
}

/** A new post closes the current one the day before (post history); moving community moves the archive. */
export async function changePost(ctx: AppContext, actor: Actor, id: string, input: PostChange) {
  const before = await loadForManage(ctx, actor, id);
  if (before.status !== 'active') throw new AppError('CONFLICT', { reason: 'worker_not_active' });
  if (before.post_since && input.startOn <= before.post_since)
    throw new AppError('VALIDATION_FAILED', { problems: [{ field: 'startOn', reason: '新任职日期须晚于现任职开始日期' }] });
  let community = { code: before.community_code, path: before.path };
  if (input.communityCode && input.communityCode !== before.community_code) {
    const c = await store.findCommunity(ctx.db, input.communityCode);
    if (!c || c.code.slice(0, 6) !== before.district_code)
      throw new AppError('TERRITORY_NOT_FOUND', { communityCode: input.communityCode });
    if (!pathInScope(actor.scope('workforce.manage'), c.path)) throw new AppError('OUT_OF_SCOPE', { communityCode: input.communityCode });
    community = c;
  }
  await ctx.db.transaction().execute(async (tx) => {
    const ok = await store.touchWorker(tx, before.district_code, id, input.version, {
      community_code: community.code,
      path: community.path,
    });
    if (!ok) throw new AppError('VERSION_CONFLICT', { currentVersion: before.version });
    await store.closeCurrentPost(tx, before.district_code, id, dayBefore(input.startOn));
    await store.insertPost(tx, {
      districtCode: before.district_code,
      workerId: id,
      communityCode: community.code,
      post: input.post,
      title: input.title ?? '',
      startOn: input.startOn,
      reason: input.reason,
    });
    await appendAudit(tx, auditOf(actor, 'workforce.post.change', 'worker', id, community.code, { post: input.post, from: before.post }));
  });
  return getArchive(ctx, actor, id);
}

export async function leave(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { version: number; on: string; reason: string; retired?: boolean },
) {
  const before = await loadForManage(ctx, actor, id);
  if (before.status !== 'active') throw new AppError('CONFLICT', { reason: 'worker_not_active' });
  await ctx.db.transaction().execute(async (tx) => {
    const ok = await store.touchWorker(tx, before.district_code, id, input.version, {
      status: input.retired ? 'retired' : 'left',
      left_on: input.on,
    });
    if (!ok) throw new AppError('VERSION_CONFLICT', { currentVersion: before.version });
    await store.closeCurrentPost(tx, before.district_code, id, input.on);
    await appendAudit(tx, auditOf(actor, 'workforce.worker.leave', 'worker', id, before.community_code, { reason: input.reason }));
  });
  return getArchive(ctx, actor, id);
}

export interface CertificateInput {
  kind: CertificateKind;
  name?: string;
  number?: string;
  issuedOn: string;
  scan?: { name: string; type: string; base64: string };
}

const CERT_NAMES: Record<CertificateKind, string> = {
  assistant_social_worker: '助理社会工作师职业资格证书',
  social_worker: '社会工作师职业资格证书',
  senior_social_worker: '高级社会工作师职业资格证书',
  counsellor: '心理咨询师证书',
  other: '其他证书',
};

export async function addCertificate(ctx: AppContext, actor: Actor, id: string, input: CertificateInput) {
  const w = await loadForManage(ctx, actor, id);
  checkDate('issuedOn', input.issuedOn, todayInShanghai());
  let scan: Buffer | null = null;
  if (input.scan) {
    scan = Buffer.from(input.scan.base64, 'base64');
    if (!scan.length || scan.length > 700_000 || !/^(image\/(png|jpeg)|application\/pdf)$/.test(input.scan.type))
      throw new AppError('VALIDATION_FAILED', { problems: [{ field: 'scan', reason: '扫描件须为不超过 700KB 的 PNG、JPEG 或 PDF' }] });
  }
  await ctx.db.transaction().execute(async (tx) => {
    const r = await tx
      .insertInto('worker_certificate')
      .values({
        district_code: w.district_code,
        worker_id: id,
        kind: input.kind,
        name: input.name?.trim() || CERT_NAMES[input.kind],
        number: input.number ?? '',
        issued_on: input.issuedOn,
        scan_name: input.scan?.name ?? null,
        scan_type: input.scan?.type ?? null,
        scan_data: scan,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendAudit(
      tx,
      auditOf(actor, 'workforce.certificate.add', 'worker', id, w.community_code, { certificateId: r.id, kind: input.kind }),
    );
  });
  return getArchive(ctx, actor, id);
}

export async function certificateScan(ctx: AppContext, actor: Actor, id: string, certId: string) {
  const w = await loadWorker(ctx, actor, id);
  const r = await ctx.db
    .selectFrom('worker_certificate')
    .select(['scan_name', 'scan_type', 'scan_data'])
    .where('district_code', '=', w.district_code)
    .where('worker_id', '=', id)
    .where('id', '=', certId)
    .executeTakeFirst();
  if (!r?.scan_data) throw new AppError('NOT_FOUND', { certificateId: certId });
  return { name: r.scan_name ?? 'scan', type: r.scan_type ?? 'application/octet-stream', data: r.scan_data };
}

export async function setAppraisal(
  ctx: AppContext,
  actor: Actor,
  id: string,
  year: number,
  input: { result: AppraisalResult; note?: string },
) {
  const w = await loadForManage(ctx, actor, id);
  if (year > Number(todayInShanghai().slice(0, 4)))
    throw new AppError('VALIDATION_FAILED', { problems: [{ field: 'year', reason: '不能考核未来年度' }] });
  await ctx.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('worker_appraisal')
      .values({ district_code: w.district_code, worker_id: id, year, result: input.result, note: input.note ?? '' })
      .onConflict((oc) =>
        oc.columns(['district_code', 'worker_id', 'year']).doUpdateSet({
          result: input.result,
          note: input.note ?? '',
          updated_at: new Date(),
          version: (eb) => eb('worker_appraisal.version', '+', 1),
        }),
      )
      .execute();
    await appendAudit(tx, auditOf(actor, 'workforce.appraisal.set', 'worker', id, w.community_code, { year, result: input.result }));
  });
  return getArchive(ctx, actor, id);
}
