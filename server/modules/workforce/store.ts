import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { DB } from '../../db/types.ts';
import type { Education, PostKind, Political, WorkerStatus } from '../../db/types-workforce.ts';
import type { Scope } from '../../core/permissions.ts';
import { inTerritoryScope } from '../../core/scope-sql.ts';

/**
 * SQL for worker archives (一人一档). Who sees a worker (the reach): anyone with
 * workforce.manage over the worker's community; the worker themself (their person record is
 * linked to their account); the community's 书记/主任 (a current dual_head or head post there)
 * with workforce.read over it.
 */
export interface Reach {
  manage: Scope;
  read: Scope;
  userId: string;
}

export const ymd = (col: string) => sql<string>`to_char(${sql.ref(col)}, 'YYYY-MM-DD')`;
export const ymdOrNull = (col: string) => sql<string | null>`to_char(${sql.ref(col)}, 'YYYY-MM-DD')`;

export function workerVisible(reach: Reach): Expression<SqlBool> {
  return sql<SqlBool>`(${inTerritoryScope(reach.manage, 'w.path')}
    or p.user_id = ${reach.userId}
    or (${inTerritoryScope(reach.read, 'w.path')} and exists (
      select 1 from worker_post hp
      join worker hw on hw.district_code = hp.district_code and hw.id = hp.worker_id and hw.status = 'active'
      join person pp on pp.district_code = hw.district_code and pp.id = hw.person_id
      where pp.user_id = ${reach.userId} and hp.end_on is null and hp.post in ('dual_head','head')
        and hp.community_code = w.community_code)))`;
}

export function workerSelect(db: Kysely<DB>) {
  return db
    .selectFrom('worker as w')
    .innerJoin('person as p', (j) => j.onRef('p.district_code', '=', 'w.district_code').onRef('p.id', '=', 'w.person_id'))
    .innerJoin('division as c', 'c.code', 'w.community_code')
    .innerJoin('division as s', 's.code', 'c.parent_code')
    .leftJoin('worker_post as cp', (j) =>
      j.onRef('cp.district_code', '=', 'w.district_code').onRef('cp.worker_id', '=', 'w.id').on('cp.end_on', 'is', null),
    )
    .select([
      'w.district_code',
      'w.id',
      'w.person_id',
      'w.community_code',
      sql<string>`w.path::text`.as('path'),
      'c.name as community_name',
      's.code as street_code',
      's.name as street_name',
      'p.name',
      'p.gender',
      'p.id_enc',
      'p.phone_enc',
      'p.user_id',
      ymdOrNull('p.birth_date').as('birth_date'),
      'w.education',
      'w.major',
      'w.full_time',
      'w.political',
      ymd('w.work_start').as('work_start'),
      'w.party_affairs',
      'w.duties',
      'w.status',
      ymdOrNull('w.left_on').as('left_on'),
      ymdOrNull('w.onboarded_on').as('onboarded_on'),
      'w.note',
      'w.version',
      'w.updated_at',
      'cp.post',
      'cp.title',
      ymdOrNull('cp.start_on').as('post_since'),
      sql<string | null>`(select c2.kind from worker_certificate c2 where c2.district_code = w.district_code and c2.worker_id = w.id
        and c2.kind in ('assistant_social_worker','social_worker','senior_social_worker')
        order by case c2.kind when 'senior_social_worker' then 3 when 'social_worker' then 2 else 1 end desc limit 1)`.as(
        'top_certificate',
      ),
    ]);
}

export type WorkerRow = NonNullable<Awaited<ReturnType<typeof findWorker>>>;

export async function findWorker(db: Kysely<DB>, reach: Reach | null, id: string) {
  let q = workerSelect(db).where('w.id', '=', id);
  if (reach) q = q.where(workerVisible(reach));
  return q.executeTakeFirst();
}

export interface WorkerFilter {
  territoryPath?: string;
  q?: string;
  post?: PostKind;
  status?: WorkerStatus;
  partyAffairs?: boolean;
  certified?: boolean;
}

export async function listWorkers(db: Kysely<DB>, reach: Reach, f: WorkerFilter, limit: number) {
  let q = workerSelect(db).where(workerVisible(reach));
  if (f.territoryPath) q = q.where(sql<SqlBool>`w.path <@ ${f.territoryPath}::ltree`);
  if (f.q) q = q.where('p.name', 'like', `%${f.q.replace(/[%_\\]/g, (c) => '\\' + c)}%`);
  if (f.post) q = q.where('cp.post', '=', f.post);
  q = q.where('w.status', '=', f.status ?? 'active');
  if (f.partyAffairs !== undefined) q = q.where('w.party_affairs', '=', f.partyAffairs);
  if (f.certified !== undefined) {
    const has = sql<SqlBool>`exists (select 1 from worker_certificate x where x.district_code = w.district_code and x.worker_id = w.id
      and x.kind in ('assistant_social_worker','social_worker','senior_social_worker'))`;
    q = q.where(f.certified ? has : sql<SqlBool>`not ${has}`);
  }
  return q
    .orderBy('w.community_code')
    .orderBy(sql`case cp.post when 'dual_head' then 0 when 'head' then 1 when 'deputy' then 2 else 3 end`)
    .orderBy('w.work_start')
    .orderBy('w.id')
    .limit(limit)
    .execute();
}

export interface NewWorker {
  districtCode: string;
  personId: string;
  communityCode: string;
  path: string;
  education: Education;
  major: string;
  fullTime: boolean;
  political: Political;
  workStart: string;
  partyAffairs: boolean;
  duties: string[];
  onboardedOn: string | null;
  sourceApplicationId: string | null;
  note: string;
}

export async function insertWorker(db: Kysely<DB>, w: NewWorker): Promise<string> {
  const r = await db
    .insertInto('worker')
    .values({
      district_code: w.districtCode,
      person_id: w.personId,
      community_code: w.communityCode,
      path: w.path,
      education: w.education,
      major: w.major,
      full_time: w.fullTime,
      political: w.political,
      work_start: w.workStart,
      party_affairs: w.partyAffairs,
      duties: w.duties,
      onboarded_on: w.onboardedOn,
      source_application_id: w.sourceApplicationId,
      note: w.note,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function insertPost(
  db: Kysely<DB>,
  p: { districtCode: string; workerId: string; communityCode: string; post: PostKind; title: string; startOn: string; reason: string },
) {
  await db
    .insertInto('worker_post')
    .values({
      district_code: p.districtCode,
      worker_id: p.workerId,
      community_code: p.communityCode,
      post: p.post,
      title: p.title,
      start_on: p.startOn,
      reason: p.reason,
    })
    .execute();
}

export async function closeCurrentPost(db: Kysely<DB>, districtCode: string, workerId: string, endOn: string) {
  await db
    .updateTable('worker_post')
    .set({ end_on: sql<string>`greatest(start_on, ${endOn}::date)`, updated_at: sql`now()`, version: sql`version + 1` })
    .where('district_code', '=', districtCode)
    .where('worker_id', '=', workerId)
    .where('end_on', 'is', null)
    .execute();
}

/** Bumps the version when it matches; false on a stale version. */
export async function touchWorker(
  db: Kysely<DB>,
  districtCode: string,
  id: string,
  version: number | null,
  patch: Partial<{
    education: Education;
    major: string;
    full_time: boolean;
    political: Political;
    work_start: string;
    party_affairs: boolean;
    duties: string[];
    status: WorkerStatus;
    left_on: string | null;
    onboarded_on: string | null;
    note: string;
    community_code: string;
    path: string;
  }>,
): Promise<boolean> {
  let q = db
    .updateTable('worker')
    .set({ ...patch, updated_at: sql`now()`, version: sql`version + 1` })
    .where('district_code', '=', districtCode)
    .where('id', '=', id);
  if (version !== null) q = q.where('version', '=', version);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function postsOf(db: Kysely<DB>, districtCode: string, workerId: string) {
  return db
    .selectFrom('worker_post as wp')
    .innerJoin('division as d', 'd.code', 'wp.community_code')
    .select([
      'wp.id',
      'wp.post',
      'wp.title',
      'wp.community_code',
      'd.name as community_name',
      ymd('wp.start_on').as('start_on'),
      ymdOrNull('wp.end_on').as('end_on'),
      'wp.reason',
    ])
    .where('wp.district_code', '=', districtCode)
    .where('wp.worker_id', '=', workerId)
    .orderBy('wp.start_on', 'desc')
    .execute();
}

export async function certificatesOf(db: Kysely<DB>, districtCode: string, workerIds: string[]) {
  if (!workerIds.length) return [];
  return db
    .selectFrom('worker_certificate')
    .select(['id', 'worker_id', 'kind', 'name', 'number', ymd('issued_on').as('issued_on'), 'scan_name'])
    .where('district_code', '=', districtCode)
    .where('worker_id', 'in', workerIds)
    .orderBy('issued_on')
    .execute();
}

export async function appraisalsOf(db: Kysely<DB>, districtCode: string, workerIds: string[]) {
  if (!workerIds.length) return [];
  return db
    .selectFrom('worker_appraisal')
    .select(['worker_id', 'year', 'result', 'note', 'version'])
    .where('district_code', '=', districtCode)
    .where('worker_id', 'in', workerIds)
    .orderBy('year', 'desc')
    .execute();
}

export async function trainingOf(db: Kysely<DB>, districtCode: string, workerId: string) {
  return db
    .selectFrom('training_attendance as a')
    .innerJoin('training_session as s', (j) => j.onRef('s.district_code', '=', 'a.district_code').onRef('s.id', '=', 'a.session_id'))
    .innerJoin('training_programme as g', (j) => j.onRef('g.district_code', '=', 's.district_code').onRef('g.id', '=', 's.programme_id'))
    .select(['s.id', 's.title', 'g.name as programme', 'g.kind', ymd('s.start_on').as('start_on'), 's.days', 's.hours'])
    .where('a.district_code', '=', districtCode)
    .where('a.worker_id', '=', workerId)
    .orderBy('s.start_on', 'desc')
    .execute();
}

export async function honoursOf(db: Kysely<DB>, districtCode: string, workerId: string) {
  return db
    .selectFrom('worker_honour')
    .select(['id', 'kind', 'title', 'year', 'amount_fen', ymd('awarded_on').as('awarded_on')])
    .where('district_code', '=', districtCode)
    .where('worker_id', '=', workerId)
    .orderBy('awarded_on', 'desc')
    .execute();
}

export async function careOf(db: Kysely<DB>, districtCode: string, workerId: string) {
  return db
    .selectFrom('worker_care')
    .select(['id', 'kind', 'year', 'amount_fen', 'reason', 'status', 'decided_by', 'version'])
    .where('district_code', '=', districtCode)
    .where('worker_id', '=', workerId)
    .orderBy('year', 'desc')
    .orderBy('created_at', 'desc')
    .execute();
}

export async function gradesOf(db: Kysely<DB>, districtCode: string, workerId: string) {
  return db
    .selectFrom('worker_grade')
    .select(['scheme_code', 'grade', 'effective_from', 'reason'])
    .where('district_code', '=', districtCode)
    .where('worker_id', '=', workerId)
    .orderBy('effective_from', 'desc')
    .execute();
}

export async function mentorsOf(db: Kysely<DB>, districtCode: string, workerId: string) {
  return db
    .selectFrom('mentor_pair as m')
    .innerJoin('worker as a', (j) => j.onRef('a.district_code', '=', 'm.district_code').onRef('a.id', '=', 'm.mentor_id'))
    .innerJoin('person as pa', (j) => j.onRef('pa.district_code', '=', 'a.district_code').onRef('pa.id', '=', 'a.person_id'))
    .innerJoin('worker as b', (j) => j.onRef('b.district_code', '=', 'm.district_code').onRef('b.id', '=', 'm.mentee_id'))
    .innerJoin('person as pb', (j) => j.onRef('pb.district_code', '=', 'b.district_code').onRef('pb.id', '=', 'b.person_id'))
    .select(['m.id', 'm.mentor_id', 'pa.name as mentor_name', 'm.mentee_id', 'pb.name as mentee_name', ymd('m.start_on').as('start_on')])
    .where('m.district_code', '=', districtCode)
    .where((eb) => eb.or([eb('m.mentor_id', '=', workerId), eb('m.mentee_id', '=', workerId)]))
    .execute();
}

/** A community (12 digits) from the division list with its street and path. */
export async function findCommunity(db: Kysely<DB>, code: string) {
  return db
    .selectFrom('division as c')
    .innerJoin('division as s', 's.code', 'c.parent_code')
    .select(['c.code', 'c.name', sql<string>`c.path::text`.as('path'), 's.code as street_code', 's.name as street_name'])
    .where('c.code', '=', code)
    .where('c.level', '=', 'community')
    .executeTakeFirst();
}

export async function findDivision(db: Kysely<DB>, code: string) {
  return db
    .selectFrom('division')
    .select(['code', 'name', 'level', sql<string>`path::text`.as('path')])
    .where('code', '=', code)
    .executeTakeFirst();
}
