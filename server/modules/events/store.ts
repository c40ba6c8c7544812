import { sql, type Expression, type Insertable, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { DB, EventTable } from '../../db/types.ts';
import type { Actor } from '../../core/context.ts';
import { ROLES } from '../../core/permissions.ts';
import { auditInsertSql, type AuditEntry } from '../../core/audit.ts';
import { announceCommitted, announceSql, LIVE_BY_APP } from '../../core/live.ts';

/** SQL of events: every read goes through `visibleTo`, the event scope filter. */

type Db = Kysely<DB> | Transaction<DB>;

/**
 * Who sees which events: territory roles see the events of their place and below; department
 * staff see only events their organisation was summoned to (not the whole district); everyone
 * sees the events they reported themselves (a resident sees nothing else).
 */
export interface Visibility {
  all: boolean;
  territoryPaths: string[];
  orgPaths: string[];
  userId: string;
}

export function visibilityOf(actor: Actor): Visibility {
  if (actor.scope('event.read').all) return { all: true, territoryPaths: [], orgPaths: [], userId: actor.userId };
  const territoryPaths: string[] = [];
  const orgPaths: string[] = [];
  for (const b of actor.bindings) {
    if (!ROLES[b.role]?.permissions.includes('event.read')) continue;
    if (b.scopeType === 'global') return { all: true, territoryPaths: [], orgPaths: [], userId: actor.userId };
    if (b.scopeType === 'org' && b.orgPath) orgPaths.push(b.orgPath);
    else if (b.scopeType === 'territory' && b.scopePath) territoryPaths.push(b.scopePath);
  }
  return { all: false, territoryPaths, orgPaths, userId: actor.userId };
}

export function visibleTo(v: Visibility, alias = 'e'): Expression<SqlBool> {
  if (v.all) return sql<SqlBool>`true`;
  const parts = [sql`${sql.ref(`${alias}.reporter_id`)} = ${v.userId}::uuid`];
  if (v.territoryPaths.length) parts.push(sql`${sql.ref(`${alias}.place_path`)} <@ ${sql.val(v.territoryPaths)}::text[]::ltree[]`);
  if (v.orgPaths.length) {
    parts.push(sql`exists (select 1 from org vo where vo.district_code = ${sql.ref(`${alias}.district_code`)}
      and (vo.id = ${sql.ref(`${alias}.lead_org_id`)} or vo.id = any(${sql.ref(`${alias}.assist_org_ids`)}))
      and vo.org_path <@ ${sql.val(v.orgPaths)}::text[]::ltree[])`);
  }
  return sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
}

function detailQuery(db: Db) {
  return db
    .selectFrom('event as e')
    .innerJoin('event_category as c', 'c.code', 'e.category_code')
    .leftJoin('org as lo', (j) => j.onRef('lo.district_code', '=', 'e.district_code').onRef('lo.id', '=', 'e.lead_org_id'))
    .selectAll('e')
    .select([
      sql<string>`e.place_path::text`.as('place_path'),
      'c.name as category_name',
      'c.name_en as category_name_en',
      'c.photo_required',
      'c.accept_hours',
      'c.respond_hours',
      'c.handle_days',
      'c.auto_escalate',
      'c.departments as category_departments',
      'lo.name as lead_org_name',
      sql<string | null>`lo.org_path::text`.as('lead_org_path'),
      sql<
        { id: string; name: string; path: string }[]
      >`coalesce((select json_agg(json_build_object('id', ao.id, 'name', ao.name, 'path', ao.org_path::text))
        from org ao where ao.district_code = e.district_code and ao.id = any(e.assist_org_ids)), '[]'::json)`.as('assist_orgs'),
      sql<string | null>`coalesce((select g.name from grid g where g.code = left(e.place_code, 15) and length(e.place_code) >= 15),
        (select d.name from division d where d.code = left(e.place_code, 12)))`.as('place_name'),
    ]);
}

export type EventRow = NonNullable<Awaited<ReturnType<typeof findEvent>>>;

export async function findEvent(db: Db, id: string, forUpdate = false) {
  let q = detailQuery(db).where('e.id', '=', id);
  if (forUpdate) q = q.forUpdate('e');
  return q.executeTakeFirst();
}

export async function findVisibleEvent(db: Db, v: Visibility, id: string) {
  return detailQuery(db).where('e.id', '=', id).where(visibleTo(v)).executeTakeFirst();
}

export async function findByNumber(db: Db, v: Visibility, number: string) {
  return detailQuery(db).where('e.number', '=', number).where(visibleTo(v)).executeTakeFirst();
}

export interface ListFilter {
  states?: string[];
  open?: boolean;
  categoryCode?: string;
  placePath?: string;
  dueSoon?: boolean;
  overdue?: boolean;
  supervised?: boolean;
  watchedBy?: string;
  reporterId?: string;
  q?: string;
  from?: Date;
  to?: Date;
}

export const CLOSED_STATES = ['closed', 'evaluated', 'merged'];

export async function listEvents(db: Db, v: Visibility, f: ListFilter, limit: number, offset: number) {
  let q = detailQuery(db).where(visibleTo(v));
  if (f.states?.length) q = q.where('e.state', 'in', f.states);
  if (f.open) q = q.where('e.state', 'not in', CLOSED_STATES);
  if (f.categoryCode) q = q.where(sql<SqlBool>`(e.category_code = ${f.categoryCode} or c.parent_code = ${f.categoryCode})`);
  if (f.placePath) q = q.where(sql<SqlBool>`e.place_path <@ ${f.placePath}::ltree`);
  if (f.dueSoon) q = q.where('e.warned', '=', true).where('e.overdue', '=', false).where('e.stage', 'is not', null);
  if (f.overdue) q = q.where('e.overdue', '=', true).where('e.state', 'not in', CLOSED_STATES);
  if (f.supervised) q = q.where('e.supervised_count', '>', 0);
  if (f.reporterId) q = q.where('e.reporter_id', '=', f.reporterId);
  if (f.watchedBy)
    q = q.where(
      sql<SqlBool>`(e.reporter_id = ${f.watchedBy}::uuid or exists (select 1 from event_step s
        where s.district_code = e.district_code and s.event_id = e.id and s.actor_id = ${f.watchedBy}::uuid))`,
    );
  if (f.from) q = q.where('e.reported_at', '>=', f.from);
  if (f.to) q = q.where('e.reported_at', '<', f.to);
  if (f.q) {
    const like = `%${f.q.replace(/[%_\\]/g, '\\$&')}%`;
    q = q.where(sql<SqlBool>`(e.title like ${like} or e.number = ${f.q} or e.address like ${like})`);
  }
  return q.orderBy('e.reported_at', 'desc').limit(limit).offset(offset).execute();
}

export async function insertEvent(db: Db, row: Insertable<EventTable>) {
  const r = await db.insertInto('event').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function updateEvent(db: Db, districtCode: string, id: string, version: number, patch: Record<string, unknown>) {
  return db
    .updateTable('event')
    .set({ ...patch, updated_at: new Date(), version: sql`version + 1` } as never)
    .where('district_code', '=', districtCode)
    .where('id', '=', id)
    .where('version', '=', version)
    .returning(['id', 'version'])
    .executeTakeFirst();
}

export async function insertStep(
  db: Db,
  s: {
    districtCode: string;
    eventId: string;
    at?: Date;
    actorId: string | null;
    actorName: string;
    action: string;
    fromState: string | null;
    toState: string;
    level: string;
    note?: string;
    details?: Record<string, unknown>;
  },
): Promise<number> {
  const r = await db
    .insertInto('event_step')
    .values({
      district_code: s.districtCode,
      event_id: s.eventId,
      at: s.at ?? new Date(),
      actor_id: s.actorId,
      actor_name: s.actorName,
      action: s.action,
      from_state: s.fromState,
      to_state: s.toState,
      level: s.level,
      note: s.note ?? '',
      details: JSON.stringify(s.details ?? {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function insertAttachment(
  db: Db,
  a: {
    districtCode: string;
    eventId: string;
    stepId: number | null;
    mime: 'image/jpeg' | 'image/png' | 'image/webp';
    bytes: Buffer;
    thumb?: Buffer | null;
  },
) {
  const r = await db
    .insertInto('event_attachment')
    .values({
      district_code: a.districtCode,
      event_id: a.eventId,
      step_id: a.stepId,
      mime: a.mime,
      size: a.bytes.length,
      bytes: a.bytes,
      thumb: a.thumb ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function timeline(db: Db, districtCode: string, eventId: string) {
  return db
    .selectFrom('event_step as s')
    .select([
      's.id',
      's.at',
      's.actor_name',
      's.action',
      's.from_state',
      's.to_state',
      's.level',
      's.note',
      's.details',
      sql<string[]>`coalesce((select array_agg(a.id::text order by a.created_at) from event_attachment a
        where a.district_code = s.district_code and a.step_id = s.id), '{}')`.as('attachment_ids'),
    ])
    .where('s.district_code', '=', districtCode)
    .where('s.event_id', '=', eventId)
    .orderBy('s.id')
    .execute();
}

export async function findAttachment(db: Db, districtCode: string, eventId: string, id: string, thumb = false) {
  return db
    .selectFrom('event_attachment')
    .select([
      'mime',
      'size',
      thumb ? sql<Buffer>`coalesce(thumb, bytes)`.as('bytes') : 'bytes',
      sql<boolean>`thumb is not null`.as('has_thumb'),
    ])
    .where('district_code', '=', districtCode)
    .where('event_id', '=', eventId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function listCategories(db: Db, includeInactive = false) {
  let q = db.selectFrom('event_category').selectAll().orderBy('sort').orderBy('code');
  if (!includeInactive) q = q.where('active', '=', true);
  return q.execute();
}

export async function findCategory(db: Db, code: string) {
  return db.selectFrom('event_category').selectAll().where('code', '=', code).executeTakeFirst();
}

/** Departments of a district by their demo seed keys' last part (dept:<district>:<id>), or by id. */
export async function departmentsOf(db: Db, districtCode: string) {
  return db
    .selectFrom('org')
    .select(['id', 'name', 'seed_key', sql<string>`org_path::text`.as('org_path'), 'territory_code'])
    .where('district_code', '=', districtCode)
    .where('kind', '=', 'department')
    .orderBy('name')
    .execute();
}

/** Open events of a category near a point and recent (duplicate candidates, E7). */
export async function nearbyOpen(db: Db, districtCode: string, category: string, lng: number, lat: number, since: Date, metres: number) {
  // Equirectangular distance: exact enough at 200 m and needs no PostGIS. The box around the point
  // (in degrees) lets event_dup_geo_idx take a latitude range instead of every open event.
  const dLat = (metres / 6371000) * (180 / Math.PI);
  const dLng = dLat / Math.max(Math.cos((lat * Math.PI) / 180), 0.01);
  const dist = sql<number>`6371000 * sqrt(power(radians(e.lat - ${lat}), 2) + power(radians(e.lng - ${lng}) * cos(radians(${lat})), 2))`;
  return db
    .selectFrom('event as e')
    .select(['e.id', 'e.number', 'e.title', 'e.state', 'e.reported_at', 'e.address', dist.as('distance')])
    .where('e.district_code', '=', districtCode)
    .where('e.category_code', '=', category)
    .where('e.state', 'not in', CLOSED_STATES)
    .where('e.reported_at', '>=', since)
    .where('e.lat', 'is not', null)
    .where('e.lat', '>=', lat - dLat)
    .where('e.lat', '<=', lat + dLat)
    .where('e.lng', '>=', lng - dLng)
    .where('e.lng', '<=', lng + dLng)
    .where(sql<SqlBool>`${dist} <= ${metres}`)
    .orderBy(dist)
    .limit(5)
    .execute();
}

/** One filed event as `insertFiledEvents` takes it: the event, its first step, whom to notify. */
export interface FiledEvent {
  event: Insertable<EventTable> & { id: string; place_path: string; reported_at: Date };
  step: { actorId: string | null; actorName: string; note: string; details: Record<string, unknown> };
  /** The territory role (at or above the place) whose holders get an inbox row, or null. */
  notice: { role: string; kind: string; title: string; at: Date } | null;
}

const FILED_COLUMNS = [
  'district_code',
  'id',
  'number',
  'category_code',
  'title',
  'description',
  'source',
  'state',
  'level',
  'origin_level',
  'place_code',
  'place_path',
  'address',
  'lng',
  'lat',
  'reporter_id',
  'reporter_name',
  'reporter_phone_enc',
  'reporter_phone_idx',
  'anonymous',
  'stage',
  'stage_started_at',
  'warn_at',
  'due_at',
  'reported_at',
  'idempotency_key',
  'external_ref',
] as const;

const FILED_RECORD = sql.raw(`district_code text, id uuid, number text, category_code text, title text, description text,
  source text, state text, level text, origin_level text, place_code text, place_path ltree, address text,
  lng double precision, lat double precision, reporter_id uuid, reporter_name text, reporter_phone_enc text,
  reporter_phone_idx text, anonymous boolean, stage text, stage_started_at timestamptz, warn_at timestamptz,
  due_at timestamptz, reported_at timestamptz, idempotency_key text, external_ref text,
  step_actor_id uuid, step_actor_name text, step_note text, step_details jsonb,
  notice_role text, notice_kind text, notice_title text, notice_at timestamptz`);

/**
 * Filed events, their first timeline steps, the inbox rows of whoever must accept them, the
 * batch's audit rows and the live announcement of those inboxes, all in one statement (one round
 * trip for a whole batch): the rows travel as JSON parameters. The recipients are the users bound
 * to the notice's role on a territory at or above the place. Answers, per event in order, its
 * step's id and the recipients (for the channels after commit).
 */
export async function insertFiledEvents(
  db: Db,
  filed: FiledEvent[],
  audit: AuditEntry[],
): Promise<{ stepId: number; recipients: string[] }[]> {
  if (!filed.length) return [];
  const records = filed.map((f, ord) => ({
    ...f.event,
    ord,
    step_actor_id: f.step.actorId,
    step_actor_name: f.step.actorName,
    step_note: f.step.note,
    step_details: f.step.details,
    notice_role: f.notice?.role ?? null,
    notice_kind: f.notice?.kind ?? null,
    notice_title: f.notice?.title ?? null,
    notice_at: f.notice?.at ?? null,
  }));
  const cols = sql.join(FILED_COLUMNS.map((c) => sql.ref(c)));
  // Autocommitted (a group-commit batch on its own): the live announcements go out after the
  // commit (announceCommitted), and the event table's trigger is told so. Inside a caller's
  // transaction they are sent on its commit, from the statement and the trigger.
  const later = !db.isTransaction;
  const r = await sql<{ id: string; step_id: string; recipients: string[] | null }>`
    with r as materialized (select x.* from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as x(ord int, ${FILED_RECORD})
      ${later ? sql`, (select set_config(${LIVE_BY_APP}, 'on', true)) live` : sql``}),
    ev as (insert into event (${cols}) select ${cols} from r order by r.ord returning id),
    st as (insert into event_step (district_code, event_id, at, actor_id, actor_name, action, from_state, to_state, level, note, details)
      select r.district_code, r.id, r.reported_at, r.step_actor_id, r.step_actor_name, 'report', null, r.state, r.level, r.step_note,
        r.step_details from r order by r.ord
      returning id, event_id),
    nt as (insert into event_notification (district_code, user_id, event_id, kind, title, body, created_at)
      select distinct r.district_code, rb.user_id, r.id, r.notice_kind, r.notice_title, '', r.notice_at
      from r join role_binding rb on rb.role = r.notice_role and rb.scope_type = 'territory' and rb.scope_path @> r.place_path
      returning event_id, user_id),
    au as (${audit.length ? sql`${auditInsertSql(audit)} returning 1` : sql`select 1 where false`}),
    an as (${later ? sql`select 0 as messages` : announceSql('inbox', sql`select nt.user_id::text as key from nt`)})
    select r.id::text as id, st.id::text as step_id,
      (select array_agg(nt.user_id::text) from nt where nt.event_id = r.id) as recipients,
      (select messages from an) as announced
    from r join st on st.event_id = r.id order by r.ord`.execute(db);
  if (later) {
    announceCommitted(db, [
      { topic: 'events', keys: filed.map((f) => f.event.district_code) },
      { topic: 'inbox', keys: r.rows.flatMap((x) => x.recipients ?? []) },
    ]);
  }
  const byId = new Map(r.rows.map((x) => [x.id, x]));
  return filed.map((f) => {
    const x = byId.get(f.event.id)!;
    return { stepId: Number(x.step_id), recipients: x.recipients ?? [] };
  });
}
