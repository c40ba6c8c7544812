import { sql, type Kysely } from 'kysely';
import type { DB, NoticeKind } from '../../db/types.ts';
import type { Scope } from '../../core/permissions.ts';
import { inTerritoryScope } from '../../core/scope-sql.ts';

/** SQL for conventions (公约) with versions, 四公开 notices, and the public board's reads. */

export async function listConventions(db: Kysely<DB>, scope: Scope | null, communityCode: string | null) {
  let q = db
    .selectFrom('delib_convention as c')
    .leftJoin('delib_convention_version as cv', (j) =>
      j
        .onRef('cv.district_code', '=', 'c.district_code')
        .onRef('cv.convention_id', '=', 'c.id')
        .onRef('cv.version_no', '=', 'c.current_version'),
    )
    .select([
      'c.district_code',
      'c.id',
      'c.community_code',
      'c.place_code',
      sql<string>`c.path::text`.as('path'),
      'c.title',
      'c.current_version',
      'c.version',
      'cv.text',
      sql<string | null>`to_char(cv.adopted_on, 'YYYY-MM-DD')`.as('adopted_on'),
      'cv.adopted_by',
    ]);
  if (scope) q = q.where(inTerritoryScope(scope, 'c.path'));
  if (communityCode) q = q.where('c.community_code', '=', communityCode);
  return q.orderBy('c.title').execute();
}

export async function findConvention(db: Kysely<DB>, scope: Scope, id: string) {
  return (await listConventions(db, scope, null)).find((c) => c.id === id);
}

export async function versionsOf(db: Kysely<DB>, districtCode: string, conventionId: string) {
  return db
    .selectFrom('delib_convention_version')
    .select(['version_no', 'text', sql<string>`to_char(adopted_on, 'YYYY-MM-DD')`.as('adopted_on'), 'adopted_by', 'vote_id', 'meeting_id'])
    .where('district_code', '=', districtCode)
    .where('convention_id', '=', conventionId)
    .orderBy('version_no', 'desc')
    .execute();
}

export async function insertConvention(
  db: Kysely<DB>,
  r: { districtCode: string; communityCode: string; placeCode: string; path: string; title: string },
) {
  const row = await db
    .insertInto('delib_convention')
    .values({ district_code: r.districtCode, community_code: r.communityCode, place_code: r.placeCode, path: r.path, title: r.title })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Adds the next version and makes it current; false when the convention changed meanwhile. */
export async function addVersion(
  db: Kysely<DB>,
  r: {
    districtCode: string;
    conventionId: string;
    expectedVersion: number;
    text: string;
    adoptedOn: string;
    adoptedBy: string;
    voteId: string | null;
    meetingId: string | null;
  },
) {
  const c = await db
    .updateTable('delib_convention')
    .set({ current_version: sql<number>`current_version + 1`, updated_at: new Date(), version: sql<number>`version + 1` })
    .where('district_code', '=', r.districtCode)
    .where('id', '=', r.conventionId)
    .where('version', '=', r.expectedVersion)
    .returning('current_version')
    .executeTakeFirst();
  if (!c) return false;
  await db
    .insertInto('delib_convention_version')
    .values({
      district_code: r.districtCode,
      convention_id: r.conventionId,
      version_no: c.current_version,
      text: r.text,
      adopted_on: r.adoptedOn,
      adopted_by: r.adoptedBy,
      vote_id: r.voteId,
      meeting_id: r.meetingId,
    })
    .execute();
  return true;
}

export async function insertNotice(
  db: Kysely<DB>,
  r: { districtCode: string; communityCode: string; path: string; kind: NoticeKind; title: string; body: string; by: string; at?: Date },
) {
  const row = await db
    .insertInto('delib_notice')
    .values({
      district_code: r.districtCode,
      community_code: r.communityCode,
      path: r.path,
      kind: r.kind,
      title: r.title,
      body: r.body,
      published_by_name: r.by,
      ...(r.at ? { published_at: r.at } : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function noticesOf(db: Kysely<DB>, communityCode: string, limit: number) {
  return db
    .selectFrom('delib_notice')
    .select(['id', 'kind', 'title', 'body', 'published_at'])
    .where('community_code', '=', communityCode)
    .orderBy('published_at', 'desc')
    .limit(limit)
    .execute();
}

export async function publishedMeetings(db: Kysely<DB>, communityCode: string, limit: number) {
  return db
    .selectFrom('delib_meeting as m')
    .innerJoin('delib_body as b', (j) => j.onRef('b.district_code', '=', 'm.district_code').onRef('b.id', '=', 'm.body_id'))
    .select([
      'm.district_code',
      'm.id',
      'm.title',
      'm.scheduled_at',
      'm.outcome',
      'm.published_at',
      'b.name as body_name',
      'b.kind as body_kind',
    ])
    .where('b.community_code', '=', communityCode)
    .where('m.status', '=', 'published')
    .orderBy('m.scheduled_at', 'desc')
    .limit(limit)
    .execute();
}

export async function closedVotes(db: Kysely<DB>, communityCode: string, limit: number) {
  return db
    .selectFrom('delib_vote')
    .select(['district_code', 'id', 'kind', 'title', 'matter', 'place_code', 'closed_at', 'result'])
    .where('community_code', '=', communityCode)
    .where('status', '=', 'closed')
    .orderBy('closed_at', 'desc')
    .limit(limit)
    .execute();
}

export async function taskProgress(db: Kysely<DB>, districtCode: string, meetingIds: string[]) {
  if (!meetingIds.length) return [];
  return db
    .selectFrom('delib_task as t')
    .innerJoin('delib_resolution as r', (j) => j.onRef('r.district_code', '=', 't.district_code').onRef('r.id', '=', 't.resolution_id'))
    .select([
      'r.meeting_id',
      sql<number>`count(*)::int`.as('total'),
      sql<number>`count(*) filter (where t.status = 'done')::int`.as('done'),
    ])
    .where('t.district_code', '=', districtCode)
    .where('r.meeting_id', 'in', meetingIds)
    .groupBy('r.meeting_id')
    .execute();
}
