import { sql, type Kysely } from 'kysely';
import type { DB, TopicStatus } from '../../db/types.ts';
import type { Scope } from '../../core/permissions.ts';
import { inTerritoryScope } from '../../core/scope-sql.ts';

/** SQL for topics raised by residents (居民说事), their photos and supporters. */

function topicSelect(db: Kysely<DB>, scope: Scope, userId: string) {
  return db
    .selectFrom('delib_topic as t')
    .leftJoin('delib_meeting as m', (j) => j.onRef('m.district_code', '=', 't.district_code').onRef('m.id', '=', 't.meeting_id'))
    .select([
      't.district_code',
      't.id',
      't.community_code',
      't.place_code',
      sql<string>`t.path::text`.as('path'),
      't.title',
      't.body',
      't.raised_by',
      't.raised_by_name',
      't.status',
      't.reply',
      't.event_ref',
      // The event a topic became, when its reference is an event's number (issue 4's events module).
      sql<string | null>`(select e.id::text from event e where e.number = t.event_ref)`.as('event_id'),
      't.meeting_id',
      'm.title as meeting_title',
      'm.scheduled_at as meeting_at',
      'm.status as meeting_status',
      't.support_count',
      't.triaged_by_name',
      't.triaged_at',
      't.created_at',
      't.version',
      sql<string>`(select d.name from division d where d.code = t.community_code)`.as('community_name'),
      sql<number>`(select count(*)::int from delib_topic_photo ph where ph.district_code = t.district_code and ph.topic_id = t.id)`.as(
        'photo_count',
      ),
      sql<boolean>`exists (select 1 from delib_topic_support s where s.district_code = t.district_code and s.topic_id = t.id and s.user_id = ${userId}::uuid)`.as(
        'supported_by_me',
      ),
    ])
    .where(inTerritoryScope(scope, 't.path'));
}

export type TopicRow = NonNullable<Awaited<ReturnType<typeof findTopic>>>;

export async function findTopic(db: Kysely<DB>, scope: Scope, userId: string, id: string) {
  return topicSelect(db, scope, userId).where('t.id', '=', id).executeTakeFirst();
}

export async function listTopics(
  db: Kysely<DB>,
  scope: Scope,
  userId: string,
  f: { placePath?: string; status?: TopicStatus; mine?: boolean; order?: 'new' | 'support' },
  limit: number,
) {
  let q = topicSelect(db, scope, userId);
  if (f.placePath) q = q.where(sql<boolean>`t.path <@ ${f.placePath}::ltree`);
  if (f.status) q = q.where('t.status', '=', f.status);
  if (f.mine) q = q.where('t.raised_by', '=', userId);
  q = f.order === 'support' ? q.orderBy('t.support_count', 'desc').orderBy('t.created_at', 'desc') : q.orderBy('t.created_at', 'desc');
  return q.limit(limit).execute();
}

export async function topicByClientKey(db: Kysely<DB>, districtCode: string, userId: string, clientKey: string) {
  return db
    .selectFrom('delib_topic')
    .select('id')
    .where('district_code', '=', districtCode)
    .where('raised_by', '=', userId)
    .where('client_key', '=', clientKey)
    .executeTakeFirst();
}

export async function insertTopic(
  db: Kysely<DB>,
  row: {
    districtCode: string;
    communityCode: string;
    placeCode: string;
    path: string;
    title: string;
    body: string;
    raisedBy: string | null;
    raisedByName: string;
    clientKey: string | null;
    createdAt?: Date;
  },
) {
  const r = await db
    .insertInto('delib_topic')
    .values({
      district_code: row.districtCode,
      community_code: row.communityCode,
      place_code: row.placeCode,
      path: row.path,
      title: row.title,
      body: row.body,
      raised_by: row.raisedBy,
      raised_by_name: row.raisedByName,
      client_key: row.clientKey,
      ...(row.createdAt ? { created_at: row.createdAt } : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function insertPhoto(db: Kysely<DB>, districtCode: string, topicId: string, seq: number, contentType: string, data: Buffer) {
  await db
    .insertInto('delib_topic_photo')
    .values({ district_code: districtCode, topic_id: topicId, seq, content_type: contentType, data })
    .execute();
}

export async function findPhoto(db: Kysely<DB>, districtCode: string, topicId: string, seq: number) {
  return db
    .selectFrom('delib_topic_photo')
    .select(['content_type', 'data'])
    .where('district_code', '=', districtCode)
    .where('topic_id', '=', topicId)
    .where('seq', '=', seq)
    .executeTakeFirst();
}

/** Adds or removes one supporter and recounts; returns the new count. */
export async function setSupport(db: Kysely<DB>, districtCode: string, topicId: string, userId: string, on: boolean) {
  if (on) {
    await db
      .insertInto('delib_topic_support')
      .values({ district_code: districtCode, topic_id: topicId, user_id: userId })
      .onConflict((oc) => oc.doNothing())
      .execute();
  } else {
    await db
      .deleteFrom('delib_topic_support')
      .where('district_code', '=', districtCode)
      .where('topic_id', '=', topicId)
      .where('user_id', '=', userId)
      .execute();
  }
  const r = await db
    .updateTable('delib_topic')
    .set({
      support_count: sql<number>`(select count(*)::int from delib_topic_support s where s.district_code = ${districtCode} and s.topic_id = ${topicId}::uuid)`,
    })
    .where('district_code', '=', districtCode)
    .where('id', '=', topicId)
    .returning('support_count')
    .executeTakeFirstOrThrow();
  return r.support_count;
}

export async function updateTopic(
  db: Kysely<DB>,
  districtCode: string,
  id: string,
  version: number,
  patch: { status: TopicStatus; reply?: string | null; event_ref?: string | null; meeting_id?: string | null; triaged_by_name?: string },
) {
  const r = await db
    .updateTable('delib_topic')
    .set({ ...patch, triaged_at: new Date(), updated_at: new Date(), version: sql<number>`version + 1` })
    .where('district_code', '=', districtCode)
    .where('id', '=', id)
    .where('version', '=', version)
    .returning('id')
    .executeTakeFirst();
  return r !== undefined;
}
