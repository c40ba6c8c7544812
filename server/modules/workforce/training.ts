import { sql } from 'kysely';
import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../../core/audit.ts';
import { pathInScope } from '../../core/permissions.ts';
import type { TrainingKind } from '../../db/types-workforce.ts';
import { inTerritoryScope } from '../../core/scope-sql.ts';
import { auditOf, loadForManage } from './archive.ts';
import { settingsOf } from './staffing.ts';
import * as store from './store.ts';

/**
 * Training (W5, seed 003): programmes (onboarding, 领雁/良雁/雏雁 tiers, 头雁学院 courses,
 * external), sessions with attendance and credited days; attending an onboarding session marks
 * the worker onboarded (the rota refuses anyone who is not); the yearly list of workers under
 * the minimum days (3 by default); mentor pairs (导师帮带).
 */

export const TRAINING_KIND_ZH: Record<TrainingKind, string> = {
  onboarding: '岗前培训',
  lingyan: '领雁（书记主任）',
  liangyan: '良雁（骨干）',
  chuyan: '雏雁（新任）',
  academy: '头雁学院课程',
  external: '外出培训',
};

async function districtFor(ctx: AppContext, actor: Actor, districtCode: string) {
  const d = await store.findDivision(ctx.db, districtCode);
  if (!d || d.level !== 'district') throw new AppError('TERRITORY_NOT_FOUND', { districtCode });
  return d;
}

export async function listProgrammes(ctx: AppContext, actor: Actor, districtCode: string, year?: number) {
  await districtFor(ctx, actor, districtCode);
  const rows = await ctx.db
    .selectFrom('training_programme as g')
    .leftJoin('training_session as s', (j) => j.onRef('s.district_code', '=', 'g.district_code').onRef('s.programme_id', '=', 'g.id'))
    .select(['g.id', 'g.name', 'g.kind', 'g.year', 'g.version'])
    .select([
      sql<number>`count(s.id)::int`.as('sessions'),
      sql<number>`coalesce(sum(s.days), 0)::float`.as('days'),
      sql<unknown>`coalesce(jsonb_agg(jsonb_build_object('id', s.id, 'title', s.title, 'startOn', to_char(s.start_on, 'YYYY-MM-DD'), 'days', s.days,
        'attendees', (select count(*)::int from training_attendance a where a.district_code = s.district_code and a.session_id = s.id))
        order by s.start_on) filter (where s.id is not null), '[]'::jsonb)`.as('session_list'),
    ])
    .where('g.district_code', '=', districtCode)
    .$if(year !== undefined, (q) => q.where('g.year', '=', year!))
    .groupBy(['g.id', 'g.name', 'g.kind', 'g.year', 'g.version'])
    .orderBy('g.year', 'desc')
    .orderBy('g.name')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind,
    year: r.year,
    sessions: r.sessions,
    days: r.days,
    sessionList: r.session_list,
    version: r.version,
  }));
}

export async function createProgramme(
  ctx: AppContext,
  actor: Actor,
  input: { districtCode: string; name: string; kind: TrainingKind; year: number },
) {
  const d = await districtFor(ctx, actor, input.districtCode);
  if (!pathInScope(actor.scope('workforce.manage'), d.path)) throw new AppError('OUT_OF_SCOPE', { districtCode: input.districtCode });
  const id = await ctx.db.transaction().execute(async (tx) => {
    const r = await tx
      .insertInto('training_programme')
      .values({ district_code: input.districtCode, name: input.name, kind: input.kind, year: input.year })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendAudit(
      tx,
      auditOf(actor, 'workforce.training.programme', 'training_programme', r.id, input.districtCode, { name: input.name }),
    );
    return r.id;
  });
  return { id };
}

export async function createSession(
  ctx: AppContext,
  actor: Actor,
  programmeId: string,
  input: { title: string; startOn: string; days: number; hours: number; place?: string },
) {
  const g = await ctx.db.selectFrom('training_programme').selectAll().where('id', '=', programmeId).executeTakeFirst();
  if (!g) throw new AppError('NOT_FOUND', { programmeId });
  const d = await districtFor(ctx, actor, g.district_code);
  if (!pathInScope(actor.scope('workforce.manage'), d.path)) throw new AppError('NOT_FOUND', { programmeId });
  const id = await ctx.db.transaction().execute(async (tx) => {
    const r = await tx
      .insertInto('training_session')
      .values({
        district_code: g.district_code,
        programme_id: programmeId,
        title: input.title,
        start_on: input.startOn,
        days: input.days,
        hours: input.hours,
        place: input.place ?? '',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendAudit(tx, auditOf(actor, 'workforce.training.session', 'training_session', r.id, g.district_code, { programmeId }));
    return r.id;
  });
  return { id };
}

/**
 * Records attendance. Workers outside the caller's manage scope are refused one by one; an
 * onboarding session marks the worker onboarded from its date.
 */
export async function recordAttendance(ctx: AppContext, actor: Actor, sessionId: string, workerIds: string[]) {
  const s = await ctx.db
    .selectFrom('training_session as s')
    .innerJoin('training_programme as g', (j) => j.onRef('g.district_code', '=', 's.district_code').onRef('g.id', '=', 's.programme_id'))
    .select(['s.district_code', 's.id', 'g.kind', store.ymd('s.start_on').as('start_on')])
    .where('s.id', '=', sessionId)
    .executeTakeFirst();
  if (!s) throw new AppError('NOT_FOUND', { sessionId });
  const workers: store.WorkerRow[] = [];
  for (const id of workerIds) {
    const w = await loadForManage(ctx, actor, id);
    if (w.district_code !== s.district_code)
      throw new AppError('VALIDATION_FAILED', { problems: [{ field: 'workerIds', reason: '培训与社工须属同一区' }] });
    workers.push(w);
  }
  await ctx.db.transaction().execute(async (tx) => {
    for (const w of workers) {
      await tx
        .insertInto('training_attendance')
        .values({ district_code: s.district_code, session_id: sessionId, worker_id: w.id })
        .onConflict((oc) => oc.doNothing())
        .execute();
      if (s.kind === 'onboarding' && (!w.onboarded_on || w.onboarded_on > s.start_on))
        await store.touchWorker(tx, s.district_code, w.id, null, { onboarded_on: s.start_on });
    }
    await appendAudit(
      tx,
      auditOf(actor, 'workforce.training.attendance', 'training_session', sessionId, s.district_code, { workers: workerIds.length }),
    );
  });
  return { sessionId, recorded: workers.length };
}

/** Workers under the yearly minimum of training days, with their days. */
export async function compliance(ctx: AppContext, actor: Actor, code: string, year: number) {
  const node = await store.findDivision(ctx.db, code);
  if (!node) throw new AppError('TERRITORY_NOT_FOUND', { code });
  if (!pathInScope(actor.scope('workforce.manage'), node.path)) throw new AppError('OUT_OF_SCOPE', { code });
  const min = (await settingsOf(ctx, code.slice(0, 6))).trainingMinDays;
  const rows = await ctx.db
    .selectFrom('worker as w')
    .innerJoin('person as p', (j) => j.onRef('p.district_code', '=', 'w.district_code').onRef('p.id', '=', 'w.person_id'))
    .innerJoin('division as c', 'c.code', 'w.community_code')
    .select(['w.id', 'p.name', 'c.name as community_name', store.ymdOrNull('w.onboarded_on').as('onboarded_on')])
    .select(
      sql<number>`coalesce((select sum(s.days) from training_attendance a join training_session s on s.district_code = a.district_code and s.id = a.session_id
        where a.district_code = w.district_code and a.worker_id = w.id and extract(year from s.start_on) = ${year}), 0)::float`.as('days'),
    )
    .where('w.status', '=', 'active')
    .where(inTerritoryScope(actor.scope('workforce.manage'), 'w.path'))
    .where(sql<boolean>`w.path <@ ${node.path}::ltree`)
    .orderBy('w.community_code')
    .orderBy('p.name')
    .execute();
  const all = rows.map((r) => ({
    workerId: r.id,
    name: r.name,
    communityName: r.community_name,
    days: r.days,
    onboarded: r.onboarded_on !== null,
  }));
  return {
    year,
    minDays: min,
    total: all.length,
    compliant: all.filter((r) => r.days >= min).length,
    below: all.filter((r) => r.days < min),
  };
}

export async function addMentor(ctx: AppContext, actor: Actor, input: { mentorId: string; menteeId: string; startOn: string }) {
  if (input.mentorId === input.menteeId)
    throw new AppError('VALIDATION_FAILED', { problems: [{ field: 'menteeId', reason: '导师与学员不能是同一人' }] });
  const a = await loadForManage(ctx, actor, input.mentorId);
  const b = await loadForManage(ctx, actor, input.menteeId);
  if (a.district_code !== b.district_code)
    throw new AppError('VALIDATION_FAILED', { problems: [{ field: 'menteeId', reason: '须属同一区' }] });
  const id = await ctx.db.transaction().execute(async (tx) => {
    const r = await tx
      .insertInto('mentor_pair')
      .values({ district_code: a.district_code, mentor_id: a.id, mentee_id: b.id, start_on: input.startOn })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendAudit(
      tx,
      auditOf(actor, 'workforce.training.mentor', 'mentor_pair', r.id, b.community_code, { mentorId: a.id, menteeId: b.id }),
    );
    return r.id;
  });
  return { id };
}

/** Mentor pairs (导师帮带) whose mentee works under a place in the caller's manage scope. */
export async function listMentors(ctx: AppContext, actor: Actor, code: string) {
  const node = await store.findDivision(ctx.db, code);
  if (!node) throw new AppError('TERRITORY_NOT_FOUND', { code });
  if (!pathInScope(actor.scope('workforce.manage'), node.path)) throw new AppError('OUT_OF_SCOPE', { code });
  const rows = await ctx.db
    .selectFrom('mentor_pair as m')
    .innerJoin('worker as a', (j) => j.onRef('a.district_code', '=', 'm.district_code').onRef('a.id', '=', 'm.mentor_id'))
    .innerJoin('person as pa', (j) => j.onRef('pa.district_code', '=', 'a.district_code').onRef('pa.id', '=', 'a.person_id'))
    .innerJoin('worker as b', (j) => j.onRef('b.district_code', '=', 'm.district_code').onRef('b.id', '=', 'm.mentee_id'))
    .innerJoin('person as pb', (j) => j.onRef('pb.district_code', '=', 'b.district_code').onRef('pb.id', '=', 'b.person_id'))
    .innerJoin('division as c', 'c.code', 'b.community_code')
    .select([
      'm.id',
      'pa.name as mentor_name',
      'pb.name as mentee_name',
      'c.name as community_name',
      store.ymd('m.start_on').as('start_on'),
    ])
    .where('m.district_code', '=', code.slice(0, 6))
    .where(inTerritoryScope(actor.scope('workforce.manage'), 'b.path'))
    .where(sql<boolean>`b.path <@ ${node.path}::ltree`)
    .orderBy('m.start_on', 'desc')
    .execute();
  return {
    items: rows.map((r) => ({
      id: r.id,
      mentorName: r.mentor_name,
      menteeName: r.mentee_name,
      communityName: r.community_name,
      startOn: r.start_on,
    })),
  };
}
