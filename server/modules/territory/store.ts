import { sql, type Kysely } from 'kysely';
import type { DB, TerritoryLevel } from '../../db/types.ts';
import type { Scope } from '../../core/permissions.ts';
import { inTerritoryScope } from '../../core/scope-sql.ts';

/** SQL for the territory tree. Every read takes the caller's scope and filters by ltree path. */

export interface NodeRow {
  code: string;
  name: string;
  level: TerritoryLevel;
  parent_code: string | null;
  path: string;
  child_count: number;
  /** Places carry a version for optimistic updates; divisions (reference data) do not. */
  version: number | null;
}

const DIVISION_LEVEL_SET = new Set(['province', 'city', 'district', 'street', 'community']);

export async function findNode(db: Kysely<DB>, code: string, level: TerritoryLevel, scope: Scope | null): Promise<NodeRow | undefined> {
  const rows = await nodeQuery(db, level, scope).where('n.code', '=', code).execute();
  return rows[0];
}

/** Is there a node with this code at all (ignoring scope)? Tells 404 from 403. */
export async function nodeExists(db: Kysely<DB>, code: string, level: TerritoryLevel): Promise<boolean> {
  return (await findNode(db, code, level, null)) !== undefined;
}

function nodeQuery(db: Kysely<DB>, level: TerritoryLevel, scope: Scope | null) {
  const scoped = <T extends { where: (e: ReturnType<typeof inTerritoryScope>) => T }>(q: T) =>
    scope ? q.where(inTerritoryScope(scope, 'n.path')) : q;
  if (DIVISION_LEVEL_SET.has(level)) {
    return scoped(
      db.selectFrom('division as n').select([
        'n.code',
        'n.name',
        'n.level',
        'n.parent_code',
        sql<string>`n.path::text`.as('path'),
        sql<number>`case when n.level = 'community'
          then (select count(*)::int from grid g where g.community_code = n.code)
          else (select count(*)::int from division c where c.parent_code = n.code) end`.as('child_count'),
        sql<number | null>`null::int`.as('version'),
      ]),
    ) as unknown as ReturnType<typeof divisionSelect>;
  }
  return placeQuery(db, level, scope);
}

/** The row shape every level's query is cast to (used as a type only). */
// eslint-disable-next-line @typescript-eslint/no-unused-vars
function divisionSelect(db: Kysely<DB>) {
  return db
    .selectFrom('division as n')
    .select([
      'n.code',
      'n.name',
      'n.level',
      'n.parent_code',
      sql<string>`n.path::text`.as('path'),
      sql<number>`0`.as('child_count'),
      sql<number | null>`null::int`.as('version'),
    ]);
}

function placeQuery(db: Kysely<DB>, level: TerritoryLevel, scope: Scope | null) {
  const filter = (q: ReturnType<typeof divisionSelect>) => (scope ? q.where(inTerritoryScope(scope, 'n.path')) : q);
  switch (level) {
    case 'grid':
      return filter(
        db
          .selectFrom('grid as n')
          .select([
            'n.code',
            'n.name',
            sql<TerritoryLevel>`'grid'`.as('level'),
            'n.community_code as parent_code',
            sql<string>`n.path::text`.as('path'),
            'n.version',
            sql<number>`(select count(*)::int from building b where b.district_code = n.district_code and b.grid_code = n.code)`.as(
              'child_count',
            ),
          ]) as unknown as ReturnType<typeof divisionSelect>,
      );
    case 'building':
      return filter(
        db
          .selectFrom('building as n')
          .select([
            'n.code',
            'n.name',
            sql<TerritoryLevel>`'building'`.as('level'),
            'n.grid_code as parent_code',
            sql<string>`n.path::text`.as('path'),
            'n.version',
            sql<number>`(select count(*)::int from building_unit u where u.district_code = n.district_code and u.building_code = n.code)`.as(
              'child_count',
            ),
          ]) as unknown as ReturnType<typeof divisionSelect>,
      );
    case 'unit':
      return filter(
        db
          .selectFrom('building_unit as n')
          .select([
            'n.code',
            'n.name',
            sql<TerritoryLevel>`'unit'`.as('level'),
            'n.building_code as parent_code',
            sql<string>`n.path::text`.as('path'),
            'n.version',
            sql<number>`(select count(*)::int from house h where h.district_code = n.district_code and h.unit_code = n.code)`.as(
              'child_count',
            ),
          ]) as unknown as ReturnType<typeof divisionSelect>,
      );
    default:
      return filter(
        db
          .selectFrom('house as n')
          .select([
            'n.code',
            'n.room_label as name',
            sql<TerritoryLevel>`'house'`.as('level'),
            'n.unit_code as parent_code',
            sql<string>`n.path::text`.as('path'),
            'n.version',
            sql<number>`0`.as('child_count'),
          ]) as unknown as ReturnType<typeof divisionSelect>,
      );
  }
}

const CHILD_LEVEL: Partial<Record<TerritoryLevel, TerritoryLevel>> = {
  community: 'grid',
  grid: 'building',
  building: 'unit',
  unit: 'house',
};

export async function findChildren(db: Kysely<DB>, parent: NodeRow, scope: Scope): Promise<NodeRow[]> {
  const childLevel = CHILD_LEVEL[parent.level];
  if (!childLevel) {
    return nodeQuery(db, 'province', scope).where('n.parent_code', '=', parent.code).orderBy('n.code').execute();
  }
  const districtCode = parent.code.slice(0, 6);
  const q = placeQuery(db, childLevel, scope);
  const parentColumn = { grid: 'n.community_code', building: 'n.grid_code', unit: 'n.building_code', house: 'n.unit_code' }[
    childLevel as 'grid'
  ];
  return (q as unknown as ReturnType<typeof divisionSelect>)
    .where(sql.ref('n.district_code'), '=', districtCode)
    .where(sql.ref(parentColumn), '=', parent.code)
    .orderBy('n.code')
    .execute();
}

/** Top-level nodes a caller may browse: the provinces for a global scope, else the scope nodes. */
export async function findProvinces(db: Kysely<DB>): Promise<NodeRow[]> {
  return nodeQuery(db, 'province', null).where('n.level', '=', 'province').orderBy('n.code').execute();
}

/**
 * Division names are reference data loaded at start and never edited through the API, so each
 * database handle keeps the ones it has looked up: breadcrumbs then cost one query for places only.
 */
const divisionNameCache = new WeakMap<object, Map<string, { name: string; level: TerritoryLevel }>>();
const PLACE_TABLES = {
  15: ['grid', 'name'],
  18: ['building', 'name'],
  20: ['building_unit', 'name'],
  24: ['house', 'room_label'],
} as const;
const PLACE_LEVEL_BY_LENGTH: Record<number, TerritoryLevel> = { 15: 'grid', 18: 'building', 20: 'unit', 24: 'house' };

/** Names for a set of codes at any level (for breadcrumbs); no scope: names on a path are shown with it. */
export async function namesOf(db: Kysely<DB>, codes: string[]): Promise<Map<string, { name: string; level: TerritoryLevel }>> {
  const out = new Map<string, { name: string; level: TerritoryLevel }>();
  let cache = divisionNameCache.get(db);
  if (!cache) divisionNameCache.set(db, (cache = new Map()));
  const missingDivisions: string[] = [];
  const places = new Map<number, string[]>();
  for (const code of new Set(codes)) {
    if (PLACE_LEVEL_BY_LENGTH[code.length]) {
      places.set(code.length, [...(places.get(code.length) ?? []), code]);
    } else {
      const hit = cache.get(code);
      if (hit) out.set(code, hit);
      else missingDivisions.push(code);
    }
  }
  const parts = [];
  if (missingDivisions.length) parts.push(sql`select code, name, level from division where code = any(${missingDivisions}::text[])`);
  for (const [length, list] of places) {
    const [table, nameColumn] = PLACE_TABLES[length as keyof typeof PLACE_TABLES];
    // Places are keyed (district_code, code); the district (as char(6), the column's type) lets the primary key serve.
    const districts = [...new Set(list.map((c) => c.slice(0, 6)))];
    parts.push(
      sql`select code, ${sql.ref(nameColumn)} as name, ${PLACE_LEVEL_BY_LENGTH[length]}::text as level from ${sql.table(table)}
          where district_code = any(${districts}::char(6)[]) and code = any(${list}::text[])`,
    );
  }
  if (!parts.length) return out;
  const rows = await sql<{ code: string; name: string; level: TerritoryLevel }>`${sql.join(parts, sql` union all `)}`.execute(db);
  for (const r of rows.rows) {
    out.set(r.code, { name: r.name, level: r.level });
    if (!PLACE_LEVEL_BY_LENGTH[r.code.length]) cache.set(r.code, { name: r.name, level: r.level });
  }
  return out;
}

export async function searchNodes(db: Kysely<DB>, q: string, scope: Scope, limit: number): Promise<NodeRow[]> {
  const isCode = /^[0-9]+$/.test(q);
  const tables: TerritoryLevel[] = isCode ? ['province', 'grid', 'building', 'house'] : ['province', 'grid', 'building'];
  const results: NodeRow[] = [];
  for (const level of tables) {
    if (results.length >= limit) break;
    let query = nodeQuery(db, level, scope);
    query = isCode ? query.where('n.code', 'like', `${q}%`) : query.where('n.name', 'like', `%${q.replace(/[%_\\]/g, '\\$&')}%`);
    const rows = await query
      .orderBy(sql`length(n.code)`)
      .orderBy('n.code')
      .limit(limit - results.length)
      .execute();
    results.push(...rows);
  }
  return results;
}

export async function findBuilding(db: Kysely<DB>, code: string, scope: Scope) {
  return db
    .selectFrom('building as n')
    .selectAll()
    .where('n.district_code', '=', code.slice(0, 6))
    .where('n.code', '=', code)
    .where(inTerritoryScope(scope, 'n.path'))
    .executeTakeFirst();
}

export async function unitsWithHouses(db: Kysely<DB>, buildingCode: string) {
  const districtCode = buildingCode.slice(0, 6);
  const units = await db
    .selectFrom('building_unit')
    .select(['code', 'name', 'number'])
    .where('district_code', '=', districtCode)
    .where('building_code', '=', buildingCode)
    .orderBy('code')
    .execute();
  const houses = await db
    .selectFrom('house')
    .select(['code', 'unit_code', 'floor', 'room', 'room_label', 'area', 'use', 'version'])
    .where('district_code', '=', districtCode)
    .where('building_code', '=', buildingCode)
    .orderBy('floor', 'desc')
    .orderBy('room')
    .execute();
  return { units, houses };
}

export async function findHouse(db: Kysely<DB>, code: string, scope: Scope) {
  return db
    .selectFrom('house as n')
    .selectAll()
    .where('n.district_code', '=', code.slice(0, 6))
    .where('n.code', '=', code)
    .where(inTerritoryScope(scope, 'n.path'))
    .executeTakeFirst();
}

/** Optimistic update: only when the caller saw the current version; returns the new row or null. */
export async function updateHouse(
  db: Kysely<DB>,
  code: string,
  version: number,
  patch: { area?: number | null; use?: 'self' | 'rented' | 'vacant' | 'business' },
) {
  return db
    .updateTable('house')
    .set({
      ...(patch.area !== undefined ? { area: patch.area } : {}),
      ...(patch.use !== undefined ? { use: patch.use } : {}),
      updated_at: new Date(),
      version: sql`version + 1`,
    })
    .where('district_code', '=', code.slice(0, 6))
    .where('code', '=', code)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}

export async function updateGridName(db: Kysely<DB>, code: string, version: number, name: string) {
  return db
    .updateTable('grid')
    .set({ name, updated_at: new Date(), version: sql`version + 1` })
    .where('district_code', '=', code.slice(0, 6))
    .where('code', '=', code)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}

/** Counts of everything under a node (one indexed `<@` per table). */
export async function subtreeCounts(db: Kysely<DB>, node: { code: string; level: TerritoryLevel; path: string }) {
  const { path } = node;
  // Places carry their district: a district's own counts need no path test, and below a district
  // the district narrows the scan before the path does.
  const district = ['province', 'city'].includes(node.level) ? null : node.code.slice(0, 6);
  const places = (table: 'grid' | 'building' | 'house') =>
    district === null
      ? sql`(select count(*)::int from ${sql.table(table)} where path <@ ${path}::ltree)`
      : node.level === 'district'
        ? sql`(select count(*)::int from ${sql.table(table)} where district_code = ${district}::char(6))`
        : sql`(select count(*)::int from ${sql.table(table)} where district_code = ${district}::char(6) and path <@ ${path}::ltree)`;
  const r = await sql<{ streets: number; communities: number; grids: number; buildings: number; houses: number }>`
    select
      (select count(*)::int from division where level = 'street' and path <@ ${path}::ltree) as streets,
      (select count(*)::int from division where level = 'community' and path <@ ${path}::ltree) as communities,
      ${places('grid')} as grids,
      ${places('building')} as buildings,
      ${places('house')} as houses`.execute(db);
  return r.rows[0];
}
