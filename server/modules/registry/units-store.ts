import { sql, type Insertable, type Kysely, type SqlBool } from 'kysely';
import type { DB, UnitType, VehicleType } from '../../db/types.ts';
import type { Scope } from '../../core/permissions.ts';
import { inTerritoryScope } from '../../core/scope-sql.ts';

/** SQL for units (实有单位) and vehicles (实有车辆). */

const esc = (s: string) => s.replace(/[%_\\]/g, '\\$&');

export function unitSelect(db: Kysely<DB>, scope: Scope) {
  return db
    .selectFrom('org_unit as o')
    .select([
      'o.district_code',
      'o.id',
      'o.community_code',
      'o.house_code',
      sql<string>`o.path::text`.as('path'),
      'o.name',
      'o.credit_code',
      'o.unit_type',
      'o.industry',
      'o.address',
      'o.contact_name',
      'o.contact_phone_enc',
      'o.employees',
      'o.note',
      'o.version',
    ])
    .where(inTerritoryScope(scope, 'o.path'));
}
export type UnitRow = NonNullable<Awaited<ReturnType<typeof findUnit>>>;

export async function findUnit(db: Kysely<DB>, scope: Scope, id: string) {
  return unitSelect(db, scope).where('o.id', '=', id).executeTakeFirst();
}

export async function listUnits(
  db: Kysely<DB>,
  scope: Scope,
  f: { q?: string; unitType?: UnitType; territoryPath?: string },
  limit: number,
  offset: number,
) {
  let q = unitSelect(db, scope);
  if (f.q) {
    const code = f.q.toUpperCase();
    q = q.where((eb) =>
      eb.or([eb('o.name', 'like', `%${esc(f.q!)}%`), eb('o.credit_code', '=', code), eb('o.address', 'like', `%${esc(f.q!)}%`)]),
    );
  }
  if (f.unitType) q = q.where('o.unit_type', '=', f.unitType);
  if (f.territoryPath) q = q.where(sql<SqlBool>`o.path <@ ${f.territoryPath}::ltree`);
  return q.orderBy('o.name').orderBy('o.id').limit(limit).offset(offset).execute();
}

export async function creditCodeTaken(db: Kysely<DB>, districtCode: string, code: string, exceptId: string | null) {
  let q = db.selectFrom('org_unit').select('id').where('district_code', '=', districtCode).where('credit_code', '=', code);
  if (exceptId) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

export function vehicleSelect(db: Kysely<DB>, scope: Scope) {
  return db
    .selectFrom('vehicle as v')
    .leftJoin('person as p', (j) => j.onRef('p.district_code', '=', 'v.district_code').onRef('p.id', '=', 'v.owner_person_id'))
    .leftJoin('org_unit as o', (j) => j.onRef('o.district_code', '=', 'v.district_code').onRef('o.id', '=', 'v.owner_unit_id'))
    .select([
      'v.district_code',
      'v.id',
      'v.community_code',
      sql<string>`v.path::text`.as('path'),
      'v.plate',
      'v.plate_kind',
      'v.vehicle_type',
      'v.brand',
      'v.color',
      'v.owner_person_id',
      'v.owner_unit_id',
      'p.name as owner_person_name',
      'o.name as owner_unit_name',
      'v.parking',
      'v.version',
    ])
    .where(inTerritoryScope(scope, 'v.path'));
}
export type VehicleRow = NonNullable<Awaited<ReturnType<typeof findVehicle>>>;

export async function findVehicle(db: Kysely<DB>, scope: Scope, id: string) {
  return vehicleSelect(db, scope).where('v.id', '=', id).executeTakeFirst();
}

export async function listVehicles(
  db: Kysely<DB>,
  scope: Scope,
  f: { q?: string; plateKind?: 'ordinary' | 'new_energy'; territoryPath?: string; ownerPersonId?: string },
  limit: number,
  offset: number,
) {
  let q = vehicleSelect(db, scope);
  if (f.q) q = q.where((eb) => eb.or([eb('v.plate', 'like', `%${esc(f.q!.toUpperCase())}%`), eb('p.name', 'like', `${esc(f.q!)}%`)]));
  if (f.plateKind) q = q.where('v.plate_kind', '=', f.plateKind);
  if (f.ownerPersonId) q = q.where('v.owner_person_id', '=', f.ownerPersonId);
  if (f.territoryPath) q = q.where(sql<SqlBool>`v.path <@ ${f.territoryPath}::ltree`);
  return q.orderBy('v.plate').limit(limit).offset(offset).execute();
}

export async function plateTaken(db: Kysely<DB>, districtCode: string, plate: string, exceptId: string | null) {
  let q = db.selectFrom('vehicle').select('id').where('district_code', '=', districtCode).where('plate', '=', plate);
  if (exceptId) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

export type VehicleInsert = {
  district_code: string;
  community_code: string;
  path: string;
  plate: string;
  plate_kind: 'ordinary' | 'new_energy';
  vehicle_type: VehicleType;
  brand: string;
  color: string;
  owner_person_id: string | null;
  owner_unit_id: string | null;
  parking: string;
};

/** Registers a unit; answers its id. */
export async function insertUnit(db: Kysely<DB>, row: Insertable<DB['org_unit']>): Promise<string> {
  return (await db.insertInto('org_unit').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

/** Registers a vehicle; answers its id. */
export async function insertVehicle(db: Kysely<DB>, row: Insertable<DB['vehicle']>): Promise<string> {
  return (await db.insertInto('vehicle').values(row).returning('id').executeTakeFirstOrThrow()).id;
}
