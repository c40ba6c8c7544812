import { sql, type Kysely } from 'kysely';
import type { BodyKind, DB, MeetingStatus, ResolutionDecision } from '../../db/types.ts';
import type { Scope } from '../../core/permissions.ts';
import { inTerritoryScope } from '../../core/scope-sql.ts';

/** SQL for deliberation bodies (议事机构), their seats, meetings and what meetings decide. */

// ---------------------------------------------------------------- bodies

function bodySelect(db: Kysely<DB>, scope: Scope) {
  return db
    .selectFrom('delib_body as b')
    .select([
      'b.district_code',
      'b.id',
      'b.community_code',
      'b.place_code',
      sql<string>`b.path::text`.as('path'),
      'b.kind',
      'b.name',
      'b.description',
      'b.version',
      sql<string>`(select d.name from division d where d.code = b.community_code)`.as('community_name'),
      sql<
        string[]
      >`coalesce((select array_agg(m.seat) from delib_body_member m where m.district_code = b.district_code and m.body_id = b.id), '{}')`.as(
        'seats',
      ),
      sql<number>`(select count(*)::int from delib_meeting mt where mt.district_code = b.district_code and mt.body_id = b.id)`.as(
        'meeting_count',
      ),
    ])
    .where(inTerritoryScope(scope, 'b.path'));
}

export type BodyRow = NonNullable<Awaited<ReturnType<typeof findBody>>>;

export async function findBody(db: Kysely<DB>, scope: Scope, id: string) {
  return bodySelect(db, scope).where('b.id', '=', id).executeTakeFirst();
}

export async function listBodies(db: Kysely<DB>, scope: Scope, placePath: string | null) {
  let q = bodySelect(db, scope);
  if (placePath) q = q.where(sql<boolean>`b.path <@ ${placePath}::ltree`);
  return q.orderBy('b.community_code').orderBy('b.name').execute();
}

export async function insertBody(
  db: Kysely<DB>,
  r: { districtCode: string; communityCode: string; placeCode: string; path: string; kind: BodyKind; name: string; description: string },
) {
  const row = await db
    .insertInto('delib_body')
    .values({
      district_code: r.districtCode,
      community_code: r.communityCode,
      place_code: r.placeCode,
      path: r.path,
      kind: r.kind,
      name: r.name,
      description: r.description,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function membersOf(db: Kysely<DB>, districtCode: string, bodyId: string) {
  return db
    .selectFrom('delib_body_member')
    .select(['id', 'seat', 'name', 'title', 'org_id', 'user_id', 'version'])
    .where('district_code', '=', districtCode)
    .where('body_id', '=', bodyId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function insertMember(
  db: Kysely<DB>,
  r: { districtCode: string; bodyId: string; seat: string; name: string; title: string; orgId: string | null },
) {
  const row = await db
    .insertInto('delib_body_member')
    .values({ district_code: r.districtCode, body_id: r.bodyId, seat: r.seat, name: r.name, title: r.title, org_id: r.orgId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function deleteMember(db: Kysely<DB>, districtCode: string, bodyId: string, memberId: string) {
  const r = await db
    .deleteFrom('delib_body_member')
    .where('district_code', '=', districtCode)
    .where('body_id', '=', bodyId)
    .where('id', '=', memberId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

// ---------------------------------------------------------------- meetings

function meetingSelect(db: Kysely<DB>, scope: Scope) {
  return db
    .selectFrom('delib_meeting as m')
    .innerJoin('delib_body as b', (j) => j.onRef('b.district_code', '=', 'm.district_code').onRef('b.id', '=', 'm.body_id'))
    .select([
      'm.district_code',
      'm.id',
      'm.body_id',
      'b.name as body_name',
      'b.kind as body_kind',
      'b.community_code',
      'b.place_code',
      sql<string>`b.path::text`.as('body_path'),
      'm.title',
      'm.scheduled_at',
      'm.location',
      'm.status',
      'm.notice',
      'm.minutes',
      'm.outcome',
      'm.checkin_token',
      'm.noticed_at',
      'm.published_at',
      'm.version',
      sql<number>`(select count(*)::int from delib_attendance a where a.district_code = m.district_code and a.meeting_id = m.id)`.as(
        'attendance_count',
      ),
    ])
    .where(inTerritoryScope(scope, 'b.path'));
}

export type MeetingRow = NonNullable<Awaited<ReturnType<typeof findMeeting>>>;

export async function findMeeting(db: Kysely<DB>, scope: Scope, id: string) {
  return meetingSelect(db, scope).where('m.id', '=', id).executeTakeFirst();
}

export async function listMeetings(db: Kysely<DB>, scope: Scope, f: { bodyId?: string; status?: MeetingStatus[] }, limit: number) {
  let q = meetingSelect(db, scope);
  if (f.bodyId) q = q.where('m.body_id', '=', f.bodyId);
  if (f.status?.length) q = q.where('m.status', 'in', f.status);
  return q.orderBy('m.scheduled_at', 'desc').limit(limit).execute();
}

export async function insertMeeting(
  db: Kysely<DB>,
  r: { districtCode: string; bodyId: string; title: string; scheduledAt: Date; location: string; checkinToken: string },
) {
  const row = await db
    .insertInto('delib_meeting')
    .values({
      district_code: r.districtCode,
      body_id: r.bodyId,
      title: r.title,
      scheduled_at: r.scheduledAt,
      location: r.location,
      checkin_token: r.checkinToken,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateMeeting(
  db: Kysely<DB>,
  districtCode: string,
  id: string,
  version: number,
  patch: Partial<{ status: MeetingStatus; notice: string; minutes: string; outcome: string; noticed_at: Date; published_at: Date }>,
) {
  const r = await db
    .updateTable('delib_meeting')
    .set({ ...patch, updated_at: new Date(), version: sql<number>`version + 1` })
    .where('district_code', '=', districtCode)
    .where('id', '=', id)
    .where('version', '=', version)
    .returning('id')
    .executeTakeFirst();
  return r !== undefined;
}

export async function agendaOf(db: Kysely<DB>, districtCode: string, meetingId: string) {
  return db
    .selectFrom('delib_agenda_item as a')
    .leftJoin('delib_topic as t', (j) => j.onRef('t.district_code', '=', 'a.district_code').onRef('t.id', '=', 'a.topic_id'))
    .select(['a.id', 'a.seq', 'a.title', 'a.topic_id', 't.support_count'])
    .where('a.district_code', '=', districtCode)
    .where('a.meeting_id', '=', meetingId)
    .orderBy('a.seq')
    .execute();
}

export async function insertAgendaItem(db: Kysely<DB>, districtCode: string, meetingId: string, title: string, topicId: string | null) {
  const next = await db
    .selectFrom('delib_agenda_item')
    .select(sql<number>`coalesce(max(seq), 0)::int + 1`.as('n'))
    .where('district_code', '=', districtCode)
    .where('meeting_id', '=', meetingId)
    .executeTakeFirstOrThrow();
  const r = await db
    .insertInto('delib_agenda_item')
    .values({ district_code: districtCode, meeting_id: meetingId, seq: next.n, title, topic_id: topicId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function attendanceOf(db: Kysely<DB>, districtCode: string, meetingId: string) {
  return db
    .selectFrom('delib_attendance')
    .select(['id', 'member_id', 'user_id', 'name', 'seat', 'method', 'checked_in_at'])
    .where('district_code', '=', districtCode)
    .where('meeting_id', '=', meetingId)
    .orderBy('checked_in_at')
    .execute();
}

/** Records one attendance; false when this member or account is already checked in. */
export async function insertAttendance(
  db: Kysely<DB>,
  r: {
    districtCode: string;
    meetingId: string;
    memberId: string | null;
    userId: string | null;
    name: string;
    seat: string;
    method: 'qr' | 'manual';
  },
) {
  const row = await db
    .insertInto('delib_attendance')
    .values({
      district_code: r.districtCode,
      meeting_id: r.meetingId,
      member_id: r.memberId,
      user_id: r.userId,
      name: r.name,
      seat: r.seat,
      method: r.method,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

// ---------------------------------------------------------------- resolutions and follow-up tasks

export async function resolutionsOf(db: Kysely<DB>, districtCode: string, meetingIds: string[]) {
  if (!meetingIds.length) return [];
  return db
    .selectFrom('delib_resolution')
    .select(['id', 'meeting_id', 'agenda_item_id', 'text', 'decision', 'version'])
    .where('district_code', '=', districtCode)
    .where('meeting_id', 'in', meetingIds)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function tasksOf(db: Kysely<DB>, districtCode: string, resolutionIds: string[]) {
  if (!resolutionIds.length) return [];
  return db
    .selectFrom('delib_task')
    .select([
      'id',
      'resolution_id',
      'title',
      'owner_name',
      sql<string>`to_char(due_date, 'YYYY-MM-DD')`.as('due_date'),
      'status',
      'done_at',
      'done_note',
      'version',
    ])
    .where('district_code', '=', districtCode)
    .where('resolution_id', 'in', resolutionIds)
    .orderBy('due_date')
    .orderBy('id')
    .execute();
}

export async function insertResolution(
  db: Kysely<DB>,
  r: { districtCode: string; meetingId: string; agendaItemId: string | null; text: string; decision: ResolutionDecision },
) {
  const row = await db
    .insertInto('delib_resolution')
    .values({ district_code: r.districtCode, meeting_id: r.meetingId, agenda_item_id: r.agendaItemId, text: r.text, decision: r.decision })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findResolution(db: Kysely<DB>, scope: Scope, id: string) {
  return db
    .selectFrom('delib_resolution as r')
    .innerJoin('delib_meeting as m', (j) => j.onRef('m.district_code', '=', 'r.district_code').onRef('m.id', '=', 'r.meeting_id'))
    .innerJoin('delib_body as b', (j) => j.onRef('b.district_code', '=', 'm.district_code').onRef('b.id', '=', 'm.body_id'))
    .select(['r.district_code', 'r.id', 'r.meeting_id', 'm.status as meeting_status', sql<string>`b.path::text`.as('path'), 'b.place_code'])
    .where('r.id', '=', id)
    .where(inTerritoryScope(scope, 'b.path'))
    .executeTakeFirst();
}

export async function insertTask(
  db: Kysely<DB>,
  r: { districtCode: string; resolutionId: string; title: string; ownerName: string; dueDate: string },
) {
  const row = await db
    .insertInto('delib_task')
    .values({ district_code: r.districtCode, resolution_id: r.resolutionId, title: r.title, owner_name: r.ownerName, due_date: r.dueDate })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findTask(db: Kysely<DB>, scope: Scope, id: string) {
  return db
    .selectFrom('delib_task as t')
    .innerJoin('delib_resolution as r', (j) => j.onRef('r.district_code', '=', 't.district_code').onRef('r.id', '=', 't.resolution_id'))
    .innerJoin('delib_meeting as m', (j) => j.onRef('m.district_code', '=', 'r.district_code').onRef('m.id', '=', 'r.meeting_id'))
    .innerJoin('delib_body as b', (j) => j.onRef('b.district_code', '=', 'm.district_code').onRef('b.id', '=', 'm.body_id'))
    .select([
      't.district_code',
      't.id',
      't.status',
      't.version',
      'm.id as meeting_id',
      sql<string>`b.path::text`.as('path'),
      'b.place_code',
    ])
    .where('t.id', '=', id)
    .where(inTerritoryScope(scope, 'b.path'))
    .executeTakeFirst();
}

export async function completeTask(db: Kysely<DB>, districtCode: string, id: string, version: number, note: string) {
  const r = await db
    .updateTable('delib_task')
    .set({ status: 'done', done_at: new Date(), done_note: note, updated_at: new Date(), version: sql<number>`version + 1` })
    .where('district_code', '=', districtCode)
    .where('id', '=', id)
    .where('version', '=', version)
    .returning('id')
    .executeTakeFirst();
  return r !== undefined;
}

/** On publication, every topic on the agenda learns what became of it. */
export async function answerAgendaTopics(db: Kysely<DB>, districtCode: string, meetingId: string, meetingTitle: string) {
  const items = await db
    .selectFrom('delib_agenda_item as a')
    .select(['a.id', 'a.topic_id'])
    .where('a.district_code', '=', districtCode)
    .where('a.meeting_id', '=', meetingId)
    .where('a.topic_id', 'is not', null)
    .execute();
  for (const item of items) {
    const res = await db
      .selectFrom('delib_resolution')
      .select(['text', 'decision'])
      .where('district_code', '=', districtCode)
      .where('agenda_item_id', '=', item.id)
      .orderBy('created_at')
      .execute();
    const label = { adopted: '通过', rejected: '未通过', deferred: '暂缓' } as const;
    const reply = res.length
      ? `${meetingTitle}：${res.map((r) => `${r.text}（${label[r.decision]}）`).join('；')}`
      : `已在${meetingTitle}上讨论。`;
    await db
      .updateTable('delib_topic')
      .set({ status: 'replied', reply, updated_at: new Date(), version: sql<number>`version + 1` })
      .where('district_code', '=', districtCode)
      .where('id', '=', item.topic_id!)
      .where('status', '=', 'agenda')
      .execute();
  }
}
