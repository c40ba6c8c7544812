import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../../core/audit.ts';
import { pathInScope } from '../../core/permissions.ts';
import type { TerritoryLevel } from '../../db/types.ts';
import { parseTerritoryCode, pathLabels } from './codes.ts';
import * as store from './store.ts';

export interface TerritoryNode {
  code: string;
  name: string;
  level: TerritoryLevel;
  parentCode: string | null;
  path: { code: string; name: string; level: TerritoryLevel }[];
  childCount: number;
  version: number | null;
}

function parseOrThrow(code: string) {
  const parsed = parseTerritoryCode(code);
  if (!parsed)
    throw new AppError('INVALID_CODE', {
      code,
      expected: '6, 9, 12, 15, 18, 20 or 24 digits (2 and 4 digit province and city codes are accepted)',
    });
  return parsed;
}

async function withPaths(ctx: AppContext, rows: store.NodeRow[], known: store.NodeRow[] = []): Promise<TerritoryNode[]> {
  // Names already in hand (the rows themselves, the parent of a list of children) need no lookup.
  const names = new Map<string, { name: string; level: TerritoryLevel }>();
  for (const r of [...rows, ...known]) names.set(r.code, { name: r.name, level: r.level });
  const missing = new Set<string>();
  for (const r of rows) for (const label of pathLabels(r.path)) if (!names.has(label)) missing.add(label);
  if (missing.size) for (const [code, v] of await store.namesOf(ctx.db, [...missing])) names.set(code, v);
  return rows.map((r) => ({
    code: r.code,
    name: r.name,
    level: r.level,
    parentCode: r.parent_code,
    childCount: r.child_count,
    version: r.version,
    path: pathLabels(r.path).map((c) => ({ code: c, name: names.get(c)?.name ?? c, level: names.get(c)?.level ?? r.level })),
  }));
}

/** A node the caller may read: 400 malformed, 404 unknown, 403 outside the caller's scope. */
async function readableNode(ctx: AppContext, actor: Actor, code: string) {
  const parsed = parseOrThrow(code);
  const scope = actor.scope('territory.read');
  const row = await store.findNode(ctx.db, parsed.code, parsed.level, scope);
  if (row) return row;
  if (await store.nodeExists(ctx.db, parsed.code, parsed.level)) throw new AppError('OUT_OF_SCOPE', { code: parsed.code });
  throw new AppError('TERRITORY_NOT_FOUND', { code: parsed.code });
}

export async function getNode(ctx: AppContext, actor: Actor, code: string): Promise<TerritoryNode> {
  const [node] = await withPaths(ctx, [await readableNode(ctx, actor, code)]);
  return node;
}

export async function getChildren(ctx: AppContext, actor: Actor, code: string): Promise<TerritoryNode[]> {
  const parent = await readableNode(ctx, actor, code);
  return withPaths(ctx, await store.findChildren(ctx.db, parent, actor.scope('territory.read')), [parent]);
}

export async function getRoots(ctx: AppContext, actor: Actor): Promise<TerritoryNode[]> {
  const scope = actor.scope('territory.read');
  if (scope.all) return withPaths(ctx, await store.findProvinces(ctx.db));
  const rows: store.NodeRow[] = [];
  const paths = [...scope.territoryPaths].sort();
  // A scope path under another scope path adds nothing to browse.
  const tops = paths.filter((p) => !paths.some((q) => q !== p && p.startsWith(q + '.')));
  for (const p of tops) {
    const code = pathLabels(p).at(-1)!;
    const parsed = parseTerritoryCode(code);
    if (!parsed) continue;
    const row = await store.findNode(ctx.db, parsed.code, parsed.level, scope);
    if (row) rows.push(row);
  }
  return withPaths(ctx, rows);
}

export async function search(ctx: AppContext, actor: Actor, q: string, limit: number): Promise<TerritoryNode[]> {
  const query = q.trim();
  if (!query) return [];
  return withPaths(ctx, await store.searchNodes(ctx.db, query, actor.scope('territory.read'), limit));
}

export async function stats(ctx: AppContext, actor: Actor, code: string) {
  const node = await readableNode(ctx, actor, code);
  return { code: node.code, ...(await store.subtreeCounts(ctx.db, node)) };
}

export async function buildingLayout(ctx: AppContext, actor: Actor, code: string) {
  const parsed = parseOrThrow(code);
  if (parsed.level !== 'building') throw new AppError('INVALID_CODE', { code, expected: 'an 18-digit building code' });
  const node = await getNode(ctx, actor, parsed.code);
  const b = await store.findBuilding(ctx.db, parsed.code, actor.scope('territory.read'));
  if (!b) throw new AppError('TERRITORY_NOT_FOUND', { code });
  const { units, houses } = await store.unitsWithHouses(ctx.db, parsed.code);
  return {
    building: { ...node, floors: b.floors, hasLift: b.has_lift, address: b.address, builtYear: b.built_year },
    units: units.map((u) => {
      const own = houses.filter((h) => h.unit_code === u.code);
      const floors = [...new Set(own.map((h) => h.floor))].sort((a, b) => b - a);
      return {
        code: u.code,
        name: u.name,
        floors: floors.map((floor) => ({
          floor,
          houses: own
            .filter((h) => h.floor === floor)
            .map((h) => ({
              code: h.code,
              roomLabel: h.room_label,
              area: h.area == null ? null : Number(h.area),
              use: h.use,
              version: h.version,
            })),
        })),
      };
    }),
  };
}

export async function getHouse(ctx: AppContext, actor: Actor, code: string) {
  const parsed = parseOrThrow(code);
  if (parsed.level !== 'house') throw new AppError('INVALID_CODE', { code, expected: 'a 24-digit house code' });
  const node = await getNode(ctx, actor, parsed.code);
  const h = (await store.findHouse(ctx.db, parsed.code, actor.scope('territory.read')))!;
  return { ...node, floor: h.floor, roomLabel: h.room_label, area: h.area == null ? null : Number(h.area), use: h.use, version: h.version };
}

export async function updateHouse(
  ctx: AppContext,
  actor: Actor,
  code: string,
  input: { version: number; area?: number | null; use?: 'self' | 'rented' | 'vacant' | 'business' },
) {
  const parsed = parseOrThrow(code);
  if (parsed.level !== 'house') throw new AppError('INVALID_CODE', { code, expected: 'a 24-digit house code' });
  const before = await store.findHouse(ctx.db, parsed.code, actor.scope('territory.write'));
  if (!before) {
    await readableNode(ctx, actor, parsed.code); // 404 / 403 with the right reason
    throw new AppError('FORBIDDEN', { permission: 'territory.write' });
  }
  await ctx.db.transaction().execute(async (tx) => {
    const after = await store.updateHouse(tx, parsed.code, input.version, input);
    if (!after) throw new AppError('VERSION_CONFLICT', { currentVersion: before.version });
    await appendAudit(tx, {
      actorId: actor.userId,
      actorName: actor.username,
      action: 'territory.house_update',
      targetType: 'house',
      targetId: parsed.code,
      placeCode: parsed.code,
      ip: actor.ip,
      details: { before: { area: before.area, use: before.use }, after: { area: after.area, use: after.use } },
    });
  });
  return getHouse(ctx, actor, parsed.code);
}

export async function renameGrid(ctx: AppContext, actor: Actor, code: string, input: { name: string; version: number }) {
  const parsed = parseOrThrow(code);
  if (parsed.level !== 'grid') throw new AppError('INVALID_CODE', { code, expected: 'a 15-digit grid code' });
  const node = await readableNode(ctx, actor, parsed.code);
  if (!pathInScope(actor.scope('territory.write'), node.path)) throw new AppError('FORBIDDEN', { permission: 'territory.write' });
  await ctx.db.transaction().execute(async (tx) => {
    const after = await store.updateGridName(tx, parsed.code, input.version, input.name);
    if (!after) throw new AppError('VERSION_CONFLICT');
    await appendAudit(tx, {
      actorId: actor.userId,
      actorName: actor.username,
      action: 'territory.grid_rename',
      targetType: 'grid',
      targetId: parsed.code,
      placeCode: parsed.code,
      ip: actor.ip,
      details: { before: node.name, after: input.name },
    });
  });
  return getNode(ctx, actor, parsed.code);
}
