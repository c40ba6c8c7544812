import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import { loadDivisions } from './divisions.ts';
import type { DemoTerritory } from './demo-data.ts';

/** Loads the national division list (reference data) once; later starts skip it. */
export async function ensureDivisions(db: Kysely<DB>): Promise<number> {
  const existing = await db
    .selectFrom('division')
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  if (existing.n > 0) return 0;
  const divisions = loadDivisions();
  const paths = new Map<string, string>();
  const rows = divisions.map((d) => {
    // The extract lists parents before children, so a parent's path is always known here.
    const path = d.parentCode ? `${paths.get(d.parentCode)}.${d.code}` : d.code;
    paths.set(d.code, path);
    return { code: d.code, name: d.name, level: d.level, parent_code: d.parentCode, path };
  });
  await db.transaction().execute(async (tx) => {
    for (let i = 0; i < rows.length; i += 2000) {
      await tx
        .insertInto('division')
        .values(rows.slice(i, i + 2000))
        .execute();
    }
  });
  return rows.length;
}

async function insertChunked<T extends keyof DB & string>(tx: Transaction<DB>, table: T, rows: readonly Insertable<DB[T]>[], chunk = 1000) {
  for (let i = 0; i < rows.length; i += chunk) {
    await tx
      .insertInto(table)
      .values(rows.slice(i, i + chunk) as never)
      .execute();
  }
}

/**
 * Writes the generated demo territory and organisations. Paths are the division path of the
 * community followed by the place codes, so `<@` on any ancestor finds every place below it.
 * Returns a map from org seed key to org id, for binding demo users.
 */
export async function insertDemoTerritory(tx: Transaction<DB>, t: DemoTerritory): Promise<Map<string, string>> {
  const communityCodes = [...new Set(t.grids.map((g) => g.communityCode))];
  const communityPaths = new Map<string, string>();
  const divisionRows = await tx
    .selectFrom('division')
    .select(['code', sql<string>`path::text`.as('path')])
    .execute();
  for (const r of divisionRows) communityPaths.set(r.code, r.path);
  for (const c of communityCodes) if (!communityPaths.has(c)) throw new Error(`demo community ${c} is not in the division list`);

  const gridPath = new Map<string, string>();
  await insertChunked(
    tx,
    'grid',
    t.grids.map((g) => {
      const path = `${communityPaths.get(g.communityCode)}.${g.code}`;
      gridPath.set(g.code, path);
      return {
        district_code: g.districtCode,
        code: g.code,
        community_code: g.communityCode,
        seq: g.seq,
        name: g.name,
        path,
        bounds: JSON.stringify({ ...g.bbox, leader: g.leader ?? null }),
      };
    }),
  );
  const buildingPath = new Map<string, string>();
  await insertChunked(
    tx,
    'building',
    t.buildings.map((b) => {
      const path = `${gridPath.get(b.gridCode)}.${b.code}`;
      buildingPath.set(b.code, path);
      return {
        district_code: b.districtCode,
        code: b.code,
        grid_code: b.gridCode,
        community_code: b.communityCode,
        number: b.number,
        name: b.name,
        floors: b.floors,
        units_count: b.unitsCount,
        rooms_per_floor: b.roomsPerFloor,
        built_year: b.builtYear,
        has_lift: b.hasLift,
        address: b.address,
        path,
      };
    }),
  );
  const unitPath = new Map<string, string>();
  await insertChunked(
    tx,
    'building_unit',
    t.units.map((u) => {
      const path = `${buildingPath.get(u.buildingCode)}.${u.code}`;
      unitPath.set(u.code, path);
      return { district_code: u.districtCode, code: u.code, building_code: u.buildingCode, number: u.number, name: u.name, path };
    }),
  );
  await insertChunked(
    tx,
    'house',
    t.houses.map((h) => ({
      district_code: h.districtCode,
      code: h.code,
      unit_code: h.unitCode,
      building_code: h.buildingCode,
      floor: h.floor,
      room: h.room,
      room_label: h.roomLabel,
      area: h.area,
      use: h.use,
      path: `${unitPath.get(h.unitCode)}.${h.code}`,
    })),
  );

  // Organisations: parents are generated before children; ids come from the database.
  const ids = new Map<string, string>();
  const orgPaths = new Map<string, string>();
  const territoryPathOf = (code: string) => communityPaths.get(code) ?? gridPath.get(code) ?? buildingPath.get(code) ?? unitPath.get(code);
  const pending = [...t.orgs];
  while (pending.length) {
    const ready = pending.filter((o) => !o.parentKey || ids.has(o.parentKey));
    if (!ready.length) throw new Error('demo orgs have a parent cycle or a missing parent');
    for (const o of ready) pending.splice(pending.indexOf(o), 1);
    for (let i = 0; i < ready.length; i += 500) {
      const batch = ready.slice(i, i + 500);
      const inserted = await tx
        .insertInto('org')
        .values(
          batch.map((o) => {
            const territoryPath = territoryPathOf(o.territoryCode);
            if (!territoryPath) throw new Error(`org ${o.key} sits at unknown place ${o.territoryCode}`);
            return {
              district_code: o.districtCode,
              seed_key: o.key,
              kind: o.kind,
              level: o.level ?? null,
              name: o.name,
              parent_id: o.parentKey ? ids.get(o.parentKey)! : null,
              territory_code: o.territoryCode,
              territory_path: territoryPath,
              org_path: 'pending',
            };
          }),
        )
        .returning(['id', 'seed_key'])
        .execute();
      for (const r of inserted) ids.set(r.seed_key!, r.id);
    }
    for (const o of ready) {
      const label = 'o' + ids.get(o.key)!.replace(/-/g, '');
      orgPaths.set(o.key, o.parentKey ? `${orgPaths.get(o.parentKey)}.${label}` : label);
    }
  }
  const updates = t.orgs.map((o) => ({ id: ids.get(o.key)!, district: o.districtCode, path: orgPaths.get(o.key)! }));
  for (let i = 0; i < updates.length; i += 500) {
    const batch = updates.slice(i, i + 500);
    await sql`update org set org_path = v.path::ltree from (values ${sql.join(
      batch.map((u) => sql`(${u.district}, ${u.id}::uuid, ${u.path})`),
    )}) as v(district_code, id, path) where org.district_code = v.district_code and org.id = v.id`.execute(tx);
  }
  return ids;
}
