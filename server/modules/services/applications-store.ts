import { sql, type Kysely } from 'kysely';
import type { ApplicationState, DB } from '../../db/types.ts';
import type { Scope } from '../../core/permissions.ts';
import { inTerritoryScope } from '../../core/scope-sql.ts';

/** SQL for applications (办件), their steps and materials. */

export function applicationSelect(db: Kysely<DB>) {
  return db
    .selectFrom('service_application as a')
    .innerJoin('service_item as i', (j) => j.onRef('i.district_code', '=', 'a.district_code').onRef('i.id', '=', 'a.item_id'))
    .innerJoin('service_category as c', (j) => j.onRef('c.district_code', '=', 'i.district_code').onRef('c.id', '=', 'i.category_id'))
    .innerJoin('person as p', (j) => j.onRef('p.district_code', '=', 'a.district_code').onRef('p.id', '=', 'a.person_id'))
    .innerJoin('division as d', 'd.code', 'a.community_code')
    .select([
      'a.district_code',
      'a.id',
      'a.number',
      'a.item_id',
      'i.name as item_name',
      'i.time_limit_days',
      'i.certificate_type',
      'i.home_visit',
      'i.handler_role',
      'c.name as category_name',
      'a.community_code',
      'd.name as community_name',
      sql<string>`a.path::text`.as('path'),
      'a.person_id',
      'p.name as person_name',
      'p.user_id as person_user_id',
      'a.applicant_user_id',
      'a.channel',
      'a.state',
      'a.note',
      'a.materials_note',
      'a.result_note',
      'a.refusal_reason',
      'a.handler_user_id',
      'a.handler_name',
      'a.accepted_at',
      'a.due_at',
      'a.waiting_since',
      'a.finished_at',
      'a.certificate_id',
      'a.created_at',
      'a.updated_at',
      'a.version',
    ]);
}
export type ApplicationRow = NonNullable<Awaited<ReturnType<typeof findApplication>>>;

export async function findApplication(db: Kysely<DB>, id: string) {
  return applicationSelect(db).where('a.id', '=', id).executeTakeFirst();
}

export async function findApplicationByNumber(db: Kysely<DB>, number: string) {
  return applicationSelect(db).where('a.number', '=', number).executeTakeFirst();
}

export interface ApplicationFilter {
  state?: ApplicationState | 'open';
  itemId?: string;
  communityCode?: string;
  overdue?: boolean;
  q?: string;
}

/**
 * The inbox: applications for items whose handling role (办理角色) the caller holds, each within
 * that role's scope; or one person's own.
 */
export async function listApplications(
  db: Kysely<DB>,
  who: { handling: { role: string; scope: Scope }[] } | { personId: string },
  f: ApplicationFilter,
  now: Date,
  limit: number,
) {
  let q = applicationSelect(db);
  if ('personId' in who) q = q.where('a.person_id', '=', who.personId);
  else if (!who.handling.length) q = q.where(sql<boolean>`false`);
  else {
    const { handling } = who;
    q = q.where((eb) => eb.or(handling.map((h) => eb.and([eb('i.handler_role', '=', h.role), inTerritoryScope(h.scope, 'a.path')]))));
  }
  if (f.state === 'open') q = q.where('a.state', 'not in', ['done', 'refused', 'withdrawn']);
  else if (f.state) q = q.where('a.state', '=', f.state);
  if (f.itemId) q = q.where('a.item_id', '=', f.itemId);
  if (f.communityCode) q = q.where('a.community_code', '=', f.communityCode);
  if (f.overdue) q = q.where('a.state', 'not in', ['done', 'refused', 'withdrawn', 'materials_requested']).where('a.due_at', '<', now);
  if (f.q) q = q.where((eb) => eb.or([eb('a.number', '=', f.q!), eb('p.name', 'like', `${f.q!.replace(/[%_\\]/g, '\\$&')}%`)]));
  return q.orderBy('a.created_at', 'desc').limit(limit).execute();
}

export async function stepsOf(db: Kysely<DB>, districtCode: string, applicationId: string) {
  return db
    .selectFrom('service_application_step')
    .select(['id', 'at', 'action', 'from_state', 'to_state', 'actor_name', 'note'])
    .where('district_code', '=', districtCode)
    .where('application_id', '=', applicationId)
    .orderBy('id')
    .execute();
}

export async function materialsOf(db: Kysely<DB>, districtCode: string, applicationId: string) {
  return db
    .selectFrom('service_material')
    .select(['id', 'name', 'file_name', 'mime', 'size', 'uploaded_by', 'created_at'])
    .where('district_code', '=', districtCode)
    .where('application_id', '=', applicationId)
    .orderBy('created_at')
    .execute();
}

export async function insertStep(
  db: Kysely<DB>,
  s: {
    districtCode: string;
    applicationId: string;
    action: string;
    from: string | null;
    to: string;
    actorId: string | null;
    actorName: string;
    note: string;
    at: Date;
  },
) {
  await db
    .insertInto('service_application_step')
    .values({
      district_code: s.districtCode,
      application_id: s.applicationId,
      action: s.action,
      from_state: s.from,
      to_state: s.to,
      actor_id: s.actorId,
      actor_name: s.actorName,
      note: s.note,
      at: s.at,
    })
    .execute();
}

export interface UploadedMaterial {
  name: string;
  fileName: string;
  mime: string;
  content: Buffer;
}

export async function insertMaterials(db: Kysely<DB>, districtCode: string, applicationId: string, files: UploadedMaterial[], by: string) {
  if (!files.length) return;
  await db
    .insertInto('service_material')
    .values(
      files.map((f) => ({
        district_code: districtCode,
        application_id: applicationId,
        name: f.name,
        file_name: f.fileName,
        mime: f.mime,
        size: f.content.length,
        content: f.content,
        uploaded_by: by,
      })),
    )
    .execute();
}
