import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/types.ts';
import type { PlannedBuilding } from './building-plan.ts';

/** SQL for adding places under a community: grids, and buildings with their units and houses. */

/** Serialises code allocation under one parent, so two clerks never get the same next number. */
export async function lockParent(db: Kysely<DB>, parentCode: string) {
  await sql`select pg_advisory_xact_lock(hashtext(${'territory:' + parentCode}))`.execute(db);
}

export async function gridSeqs(db: Kysely<DB>, communityCode: string): Promise<number[]> {
  const rows = await db
    .selectFrom('grid')
    .select('seq')
    .where('district_code', '=', communityCode.slice(0, 6))
    .where('community_code', '=', communityCode)
    .execute();
  return rows.map((r) => r.seq);
}

export async function buildingNumbers(db: Kysely<DB>, gridCode: string): Promise<number[]> {
  const rows = await db
    .selectFrom('building')
    .select('code')
    .where('district_code', '=', gridCode.slice(0, 6))
    .where('grid_code', '=', gridCode)
    .execute();
  return rows.map((r) => Number(r.code.slice(15)));
}

export async function insertGrid(db: Kysely<DB>, row: { code: string; communityCode: string; seq: number; name: string; path: string }) {
  await db
    .insertInto('grid')
    .values({
      district_code: row.code.slice(0, 6),
      code: row.code,
      community_code: row.communityCode,
      seq: row.seq,
      name: row.name,
      path: row.path,
    })
    .execute();
}

export async function insertBuilding(
  db: Kysely<DB>,
  plan: PlannedBuilding,
  b: {
    gridCode: string;
    gridPath: string;
    number: number;
    name: string;
    floors: number;
    unitsCount: number;
    roomsPerFloor: number;
    builtYear: number | null;
    hasLift: boolean;
    address: string;
  },
) {
  const district = plan.code.slice(0, 6);
  const buildingPath = `${b.gridPath}.${plan.code}`;
  await db
    .insertInto('building')
    .values({
      district_code: district,
      code: plan.code,
      grid_code: b.gridCode,
      community_code: b.gridCode.slice(0, 12),
      number: b.number,
      name: b.name,
      floors: b.floors,
      units_count: b.unitsCount,
      rooms_per_floor: b.roomsPerFloor,
      built_year: b.builtYear,
      has_lift: b.hasLift,
      address: b.address,
      path: buildingPath,
    })
    .execute();
  await db
    .insertInto('building_unit')
    .values(
      plan.units.map((u) => ({
        district_code: district,
        code: u.code,
        building_code: plan.code,
        number: u.number,
        name: u.name,
        path: `${buildingPath}.${u.code}`,
      })),
    )
    .execute();
  for (let i = 0; i < plan.houses.length; i += 1000) {
    await db
      .insertInto('house')
      .values(
        plan.houses.slice(i, i + 1000).map((h) => ({
          district_code: district,
          code: h.code,
          unit_code: h.unitCode,
          building_code: plan.code,
          floor: h.floor,
          room: h.room,
          room_label: h.roomLabel,
          use: 'self' as const,
          path: `${buildingPath}.${h.unitCode}.${h.code}`,
        })),
      )
      .execute();
  }
}
