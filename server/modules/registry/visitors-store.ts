import { sql, type Insertable, type Kysely, type SqlBool } from 'kysely';
import type { DB } from '../../db/types.ts';
import type { Scope } from '../../core/permissions.ts';
import { inTerritoryScope } from '../../core/scope-sql.ts';

/** SQL for tenancies (租赁登记) and visitors (访客登记), R5. */

export async function insertTenancy(db: Kysely<DB>, row: Insertable<DB['tenancy']>): Promise<string> {
  return (await db.insertInto('tenancy').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

/** A tenancy as lists show it: tenant and landlord by name, dates as ISO days. */
export function selectTenancies(db: Kysely<DB>) {
  return db
    .selectFrom('tenancy as t')
    .innerJoin('person as tp', (j) => j.onRef('tp.district_code', '=', 't.district_code').onRef('tp.id', '=', 't.tenant_person_id'))
    .leftJoin('person as lp', (j) => j.onRef('lp.district_code', '=', 't.district_code').onRef('lp.id', '=', 't.landlord_person_id'))
    .select([
      't.id',
      't.house_code',
      't.status',
      sql<string>`to_char(t.start_date, 'YYYY-MM-DD')`.as('start_date'),
      sql<string>`to_char(t.end_date, 'YYYY-MM-DD')`.as('end_date'),
      'tp.name as tenant_name',
      'tp.id as tenant_id',
      'lp.name as landlord_name',
      sql<boolean>`t.contract_photo is not null`.as('has_photo'),
      't.version',
    ]);
}

export async function listTenancies(
  db: Kysely<DB>,
  scope: Scope,
  f: { id?: string; path?: string | null; endingBy?: { today: string; days: number }; limit: number },
) {
  let q = selectTenancies(db).where(inTerritoryScope(scope, 't.path'));
  if (f.id) q = q.where('t.id', '=', f.id);
  if (f.path) q = q.where(sql<SqlBool>`t.path <@ ${f.path}::ltree`);
  if (f.endingBy) {
    q = q.where('t.status', '=', 'active').where(sql<SqlBool>`t.end_date <= ${f.endingBy.today}::date + ${f.endingBy.days}::int`);
  }
  return q.orderBy('t.end_date').limit(f.limit).execute();
}

/** Where a tenancy belongs, if the caller may see it. */
export async function tenancyPlace(db: Kysely<DB>, scope: Scope, id: string) {
  return db
    .selectFrom('tenancy')
    .select(['district_code', 'id', sql<string>`path::text`.as('path'), 'house_code'])
    .where('id', '=', id)
    .where(inTerritoryScope(scope, 'path'))
    .executeTakeFirst();
}

export async function tenancyPhoto(db: Kysely<DB>, scope: Scope, id: string) {
  return db
    .selectFrom('tenancy')
    .select(['contract_photo', 'contract_photo_type'])
    .where('id', '=', id)
    .where(inTerritoryScope(scope, 'path'))
    .executeTakeFirst();
}

export async function insertVisitor(db: Kysely<DB>, row: Insertable<DB['visitor']>): Promise<string> {
  return (await db.insertInto('visitor').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export async function listVisitors(
  db: Kysely<DB>,
  scope: Scope,
  f: { id?: string; path?: string | null; onlyPresent?: boolean; limit: number },
) {
  let q = db
    .selectFrom('visitor as v')
    .innerJoin('house as h', (j) => j.onRef('h.district_code', '=', 'v.district_code').onRef('h.code', '=', 'v.house_code'))
    .innerJoin('building_unit as u', (j) => j.onRef('u.district_code', '=', 'h.district_code').onRef('u.code', '=', 'h.unit_code'))
    .innerJoin('building as b', (j) => j.onRef('b.district_code', '=', 'h.district_code').onRef('b.code', '=', 'h.building_code'))
    .select([
      'v.id',
      'v.house_code',
      'v.name',
      'v.id_enc',
      'v.phone_enc',
      'v.purpose',
      'v.plate',
      'v.arrived_at',
      'v.left_at',
      'v.registered_by',
      'v.version',
      sql<string>`b.address || u.name || h.room_label || '室'`.as('address'),
    ])
    .where(inTerritoryScope(scope, 'v.path'));
  if (f.id) q = q.where('v.id', '=', f.id);
  if (f.path) q = q.where(sql<SqlBool>`v.path <@ ${f.path}::ltree`);
  if (f.onlyPresent) q = q.where('v.left_at', 'is', null);
  return q.orderBy('v.arrived_at', 'desc').limit(f.limit).execute();
}
