import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/types.ts';

/** SQL of importing units and vehicles: who is registered already, and the staged rows in order. */

/** Units of the district with one of these credit codes, or (with no credit code in the file) one of these names in the community. */
export async function existingUnits(db: Kysely<DB>, districtCode: string, communityCode: string, creditCodes: string[], names: string[]) {
  if (!creditCodes.length && !names.length) return [];
  return db
    .selectFrom('org_unit')
    .select(['id', 'credit_code', 'name', 'community_code', sql<string>`path::text`.as('path'), 'version'])
    .where('district_code', '=', districtCode)
    .where((eb) =>
      eb.or([
        eb('credit_code', '=', sql<string>`any(${creditCodes}::text[])`),
        eb.and([eb('community_code', '=', communityCode), eb('name', '=', sql<string>`any(${names}::text[])`)]),
      ]),
    )
    .orderBy('created_at')
    .execute();
}

export type ExistingUnit = Awaited<ReturnType<typeof existingUnits>>[number];

export async function existingVehicles(db: Kysely<DB>, districtCode: string, plates: string[]) {
  if (!plates.length) return [];
  return db
    .selectFrom('vehicle')
    .select(['id', 'plate', sql<string>`path::text`.as('path'), 'version'])
    .where('district_code', '=', districtCode)
    .where('plate', '=', sql<string>`any(${plates}::text[])`)
    .execute();
}

export type ExistingVehicle = Awaited<ReturnType<typeof existingVehicles>>[number];

/** People of the district registered under one of these document blind indexes. */
export async function personsByBidx(db: Kysely<DB>, districtCode: string, bidx: string[]) {
  if (!bidx.length) return [];
  return db
    .selectFrom('person')
    .select(['id', 'id_bidx', sql<string>`path::text`.as('path')])
    .where('district_code', '=', districtCode)
    .where('id_bidx', '=', sql<string>`any(${bidx}::text[])`)
    .execute();
}

export async function unitsByCreditCode(db: Kysely<DB>, districtCode: string, codes: string[]) {
  if (!codes.length) return [];
  return db
    .selectFrom('org_unit')
    .select(['id', 'credit_code', sql<string>`path::text`.as('path')])
    .where('district_code', '=', districtCode)
    .where('credit_code', '=', sql<string>`any(${codes}::text[])`)
    .execute();
}

/** A page of a job's staged rows after `afterRow`, in file order. */
export async function stagedPage(db: Kysely<DB>, districtCode: string, jobId: string, afterRow: number, limit: number) {
  return db
    .selectFrom('import_staging')
    .select(['row_no', 'data'])
    .where('district_code', '=', districtCode)
    .where('job_id', '=', jobId)
    .where('row_no', '>', afterRow)
    .orderBy('row_no')
    .limit(limit)
    .execute();
}
