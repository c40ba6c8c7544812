import { sql, type Kysely, type SqlBool } from 'kysely';
import type { DB } from '../../db/types.ts';
import type { Scope } from '../../core/permissions.ts';
import { inTerritoryScope } from '../../core/scope-sql.ts';
import { selectTenancies } from './visitors-store.ts';

/** SQL for the house side of the registry: a household, a building's occupancy, rented houses. */

export async function findHouseWithAddress(db: Kysely<DB>, code: string) {
  return db
    .selectFrom('house as h')
    .innerJoin('building_unit as u', (j) => j.onRef('u.district_code', '=', 'h.district_code').onRef('u.code', '=', 'h.unit_code'))
    .innerJoin('building as b', (j) => j.onRef('b.district_code', '=', 'h.district_code').onRef('b.code', '=', 'h.building_code'))
    .select([
      'h.district_code',
      'h.code',
      'h.floor',
      'h.room',
      'h.room_label',
      sql<string | null>`h.area::text`.as('area'),
      'h.use',
      'h.version',
      sql<string>`h.path::text`.as('path'),
      'b.code as building_code',
      'b.name as building_name',
      'u.name as unit_name',
      sql<string>`b.address || u.name || h.room_label || '室'`.as('address'),
    ])
    .where('h.district_code', '=', code.slice(0, 6))
    .where('h.code', '=', code)
    .executeTakeFirst();
}

/** Per house of a building: use, residents now, owners, flags that matter on a visit. */
export async function buildingOccupancy(db: Kysely<DB>, buildingCode: string, today: string) {
  return sql<{
    code: string;
    unit_code: string;
    floor: number;
    room: number;
    room_label: string;
    use: string;
    area: string | null;
    residents: number;
    owners: number;
    tenants: number;
    elderly: number;
    alone: number;
    head_name: string | null;
    units: number;
  }>`
    select h.code, h.unit_code, h.floor, h.room, h.room_label, h.use, h.area::text as area,
      count(*) filter (where l.resides and l.move_out is null)::int as residents,
      count(*) filter (where l.relation = 'owner' and l.move_out is null)::int as owners,
      count(*) filter (where l.relation = 'tenant' and l.move_out is null)::int as tenants,
      count(*) filter (where l.resides and l.move_out is null and p.birth_date <= (${today}::date - interval '60 years'))::int as elderly,
      count(*) filter (where l.resides and l.move_out is null and '独居' = any(p.tags))::int as alone,
      (array_agg(p.name order by (l.head_relation = '户主') desc, l.relation = 'owner' desc) filter (where l.resides and l.move_out is null))[1] as head_name,
      (select count(*)::int from org_unit o where o.district_code = h.district_code and o.house_code = h.code) as units
    from house h
    left join person_house l on l.district_code = h.district_code and l.house_code = h.code
    left join person p on p.district_code = l.district_code and p.id = l.person_id
    where h.district_code = ${buildingCode.slice(0, 6)} and h.building_code = ${buildingCode}
    group by h.district_code, h.code
    order by h.unit_code, h.floor desc, h.room`.execute(db);
}

export async function unitsAtHouse(db: Kysely<DB>, districtCode: string, houseCode: string) {
  return db
    .selectFrom('org_unit')
    .select(['id', 'name', 'unit_type', 'credit_code', 'industry'])
    .where('district_code', '=', districtCode)
    .where('house_code', '=', houseCode)
    .execute();
}

export async function tenanciesOfHouse(db: Kysely<DB>, districtCode: string, houseCode: string) {
  return selectTenancies(db)
    .where('t.district_code', '=', districtCode)
    .where('t.house_code', '=', houseCode)
    .orderBy('t.start_date', 'desc')
    .execute();
}

/** Houses used as rented with no current tenant registered (R5): a visit list for grid workers. */
export async function rentedWithoutTenant(db: Kysely<DB>, scope: Scope, territoryPath: string | null, limit: number) {
  let q = db
    .selectFrom('house as h')
    .innerJoin('building_unit as u', (j) => j.onRef('u.district_code', '=', 'h.district_code').onRef('u.code', '=', 'h.unit_code'))
    .innerJoin('building as b', (j) => j.onRef('b.district_code', '=', 'h.district_code').onRef('b.code', '=', 'h.building_code'))
    .select(['h.code', sql<string>`b.address || u.name || h.room_label || '室'`.as('address')])
    .where('h.use', '=', 'rented')
    .where(inTerritoryScope(scope, 'h.path'))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('person_house as l')
            .select('l.id')
            .whereRef('l.district_code', '=', 'h.district_code')
            .whereRef('l.house_code', '=', 'h.code')
            .where('l.relation', '=', 'tenant')
            .where('l.move_out', 'is', null),
        ),
      ),
    );
  if (territoryPath) q = q.where(sql<SqlBool>`h.path <@ ${territoryPath}::ltree`);
  return q.orderBy('h.code').limit(limit).execute();
}
