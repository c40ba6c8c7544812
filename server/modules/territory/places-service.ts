import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../../core/audit.ts';
import { pathInScope } from '../../core/permissions.ts';
import { BUILDING_LIMITS, nextSequence, planBuilding } from './building-plan.ts';
import { parseTerritoryCode } from './codes.ts';
import * as store from './store.ts';
import * as places from './places-store.ts';
import { getNode, type TerritoryNode } from './service.ts';

/** Adding places (T1/T2): a district or system administrator enters grids and buildings. */

async function writableParent(ctx: AppContext, actor: Actor, code: string, level: 'community' | 'grid') {
  const parsed = parseTerritoryCode(code);
  if (!parsed || parsed.level !== level)
    throw new AppError('INVALID_CODE', { code, expected: level === 'community' ? 'a 12-digit community code' : 'a 15-digit grid code' });
  const node = await store.findNode(ctx.db, parsed.code, parsed.level, actor.scope('territory.read'));
  if (!node) {
    if (await store.nodeExists(ctx.db, parsed.code, parsed.level)) throw new AppError('OUT_OF_SCOPE', { code });
    throw new AppError('TERRITORY_NOT_FOUND', { code });
  }
  if (!pathInScope(actor.scope('territory.write'), node.path)) throw new AppError('FORBIDDEN', { permission: 'territory.write' });
  return node;
}

export async function createGrid(ctx: AppContext, actor: Actor, communityCode: string, input: { name?: string }): Promise<TerritoryNode> {
  const community = await writableParent(ctx, actor, communityCode, 'community');
  const code = await ctx.db.transaction().execute(async (tx) => {
    await places.lockParent(tx, community.code);
    const seq = nextSequence(await places.gridSeqs(tx, community.code), BUILDING_LIMITS.maxGridsPerCommunity);
    if (seq == null) throw new AppError('CONFLICT', { reason: 'grid_numbers_exhausted' });
    const gridCode = community.code + String(seq).padStart(3, '0');
    const name = input.name?.trim() || `${community.name}第${seq}网格`;
    await places.insertGrid(tx, { code: gridCode, communityCode: community.code, seq, name, path: `${community.path}.${gridCode}` });
    await appendAudit(tx, {
      actorId: actor.userId,
      actorName: actor.username,
      action: 'territory.grid_create',
      targetType: 'grid',
      targetId: gridCode,
      placeCode: gridCode,
      ip: actor.ip,
      details: { name },
    });
    return gridCode;
  });
  return getNode(ctx, actor, code);
}

export interface NewBuilding {
  name: string;
  floors: number;
  unitsCount: number;
  roomsPerFloor: number;
  hasLift?: boolean;
  builtYear?: number;
  address?: string;
}

export async function createBuilding(ctx: AppContext, actor: Actor, gridCode: string, input: NewBuilding): Promise<TerritoryNode> {
  const grid = await writableParent(ctx, actor, gridCode, 'grid');
  const code = await ctx.db.transaction().execute(async (tx) => {
    await places.lockParent(tx, grid.code);
    const number = nextSequence(await places.buildingNumbers(tx, grid.code), BUILDING_LIMITS.maxBuildingsPerGrid);
    if (number == null) throw new AppError('CONFLICT', { reason: 'building_numbers_exhausted' });
    const plan = planBuilding(grid.code, number, input);
    await places.insertBuilding(tx, plan, {
      gridCode: grid.code,
      gridPath: grid.path,
      number,
      name: input.name.trim(),
      floors: input.floors,
      unitsCount: input.unitsCount,
      roomsPerFloor: input.roomsPerFloor,
      builtYear: input.builtYear ?? null,
      hasLift: input.hasLift ?? input.floors > 7,
      address: input.address?.trim() ?? '',
    });
    await appendAudit(tx, {
      actorId: actor.userId,
      actorName: actor.username,
      action: 'territory.building_create',
      targetType: 'building',
      targetId: plan.code,
      placeCode: plan.code,
      ip: actor.ip,
      details: {
        name: input.name,
        floors: input.floors,
        units: input.unitsCount,
        roomsPerFloor: input.roomsPerFloor,
        houses: plan.houses.length,
      },
    });
    return plan.code;
  });
  return getNode(ctx, actor, code);
}
