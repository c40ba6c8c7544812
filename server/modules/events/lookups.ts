import { sql, type Kysely, type Selectable } from 'kysely';
import type { DB, EventCategoryTable } from '../../db/types.ts';

/**
 * What every filing looks up and almost never changes, kept in memory per database: the category
 * tree (事件分类) and the places events are filed at. Filing is the hottest write of the system
 * (a district's grid workers on foot, the 12345 hotline, residents), and these two reads were a
 * third of its round trips.
 *
 * Staleness is bounded: a category edit through this process invalidates at once
 * (`invalidateCategories`); another app instance's edit is announced over LISTEN/NOTIFY and
 * drops this cache when it commits (category-admin.ts `followCategoryChanges`), with
 * CATEGORY_TTL_MS as the bound should a notification be lost. Places are
 * kept for PLACE_TTL_MS and the cache is bounded; a renamed or moved place is seen after that.
 */

export type CategoryRow = Selectable<EventCategoryTable>;

export interface PlaceRow {
  code: string;
  path: string;
  /** The grid's name for places in a grid, else the community's (what the event list shows). */
  name: string | null;
}

const CATEGORY_TTL_MS = 30_000;
const PLACE_TTL_MS = 5 * 60_000;
const PLACE_MAX = 50_000;

const categoryCache = new WeakMap<object, { byCode: Map<string, CategoryRow>; loadedAt: number }>();
const placeCache = new WeakMap<object, Map<string, { place: PlaceRow | null; loadedAt: number }>>();

/** A category by code (active or not), from the cached tree. */
export async function cachedCategory(db: Kysely<DB>, code: string): Promise<CategoryRow | undefined> {
  const hit = categoryCache.get(db);
  if (hit && Date.now() - hit.loadedAt < CATEGORY_TTL_MS) return hit.byCode.get(code);
  const rows = await db.selectFrom('event_category').selectAll().execute();
  const byCode = new Map(rows.map((r) => [r.code, r]));
  categoryCache.set(db, { byCode, loadedAt: Date.now() });
  return byCode.get(code);
}

export function invalidateCategories(db: Kysely<DB>): void {
  categoryCache.delete(db);
}

const PLACE_TABLES: Record<string, 'division' | 'grid' | 'building' | 'building_unit' | 'house'> = {
  street: 'division',
  community: 'division',
  grid: 'grid',
  building: 'building',
  unit: 'building_unit',
  house: 'house',
};

/** A place (street or below) by its parsed code and level; null when there is none. */
export async function cachedPlace(db: Kysely<DB>, code: string, level: string): Promise<PlaceRow | null> {
  const table = PLACE_TABLES[level];
  if (!table) return null;
  let byCode = placeCache.get(db);
  if (!byCode) placeCache.set(db, (byCode = new Map()));
  const key = `${level}:${code}`;
  const hit = byCode.get(key);
  if (hit && Date.now() - hit.loadedAt < PLACE_TTL_MS) return hit.place;
  const r = await sql<PlaceRow>`select n.code, n.path::text as path,
      coalesce((select g.name from grid g where g.code = left(n.code, 15) and length(n.code) >= 15),
               (select d.name from division d where d.code = left(n.code, 12))) as name
    from ${sql.table(table)} n where n.code = ${code}
      ${table === 'division' ? sql`and n.level = ${level}` : sql`and n.district_code = ${code.slice(0, 6)}`}`.execute(db);
  const place = r.rows[0] ?? null;
  if (byCode.size >= PLACE_MAX) byCode.clear();
  byCode.set(key, { place, loadedAt: Date.now() });
  return place;
}

export function invalidatePlaces(db: Kysely<DB>): void {
  placeCache.delete(db);
}
