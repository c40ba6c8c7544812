import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../../core/audit.ts';
import { pathInScope } from '../../core/permissions.ts';
import type { OrgKind } from '../../db/types.ts';
import { parseTerritoryCode } from '../territory/codes.ts';
import * as territoryStore from '../territory/store.ts';
import * as store from './store.ts';

/** Organisations beside the territory (T3): party tree, departments, property companies, ... */

type Row = NonNullable<Awaited<ReturnType<typeof store.findOrg>>>;

/** Which party level may sit under which: 镇党委—社区大党委—小区党支部—楼栋党小组. */
export const PARTY_LEVELS = ['street_committee', 'community_committee', 'estate_branch', 'building_group'] as const;

function view(r: Row) {
  return {
    id: r.id,
    districtCode: r.district_code,
    kind: r.kind,
    level: r.level,
    name: r.name,
    parentId: r.parent_id,
    territoryCode: r.territory_code,
    territoryName: r.territory_name ?? '',
    contactName: r.contact_name,
    version: r.version,
  };
}

async function placePath(ctx: AppContext, code: string) {
  const parsed = parseTerritoryCode(code);
  if (!parsed) throw new AppError('INVALID_CODE', { territoryCode: code });
  const node = await territoryStore.findNode(ctx.db, parsed.code, parsed.level, null);
  if (!node) throw new AppError('TERRITORY_NOT_FOUND', { territoryCode: code });
  return node;
}

export async function list(ctx: AppContext, actor: Actor, f: store.OrgFilter, limit: number) {
  const territoryPath = f.territoryCode ? (await placePath(ctx, f.territoryCode)).path : null;
  const rows = await store.listOrgs(ctx.db, actor.scope('org.read'), f, territoryPath, limit);
  return rows.map(view);
}

export async function get(ctx: AppContext, actor: Actor, id: string) {
  const row = await store.findOrg(ctx.db, actor.scope('org.read'), id);
  if (row) return view(row);
  if (await store.orgExists(ctx.db, id)) throw new AppError('OUT_OF_SCOPE');
  throw new AppError('NOT_FOUND', { id });
}

export async function create(
  ctx: AppContext,
  actor: Actor,
  input: { kind: OrgKind; level?: string; name: string; parentId?: string; territoryCode: string; contactName?: string },
) {
  const place = await placePath(ctx, input.territoryCode);
  const writeScope = actor.scope('org.write');
  if (!pathInScope(writeScope, place.path)) throw new AppError('OUT_OF_SCOPE', { territoryCode: input.territoryCode });
  let parent: Row | undefined;
  if (input.parentId) {
    parent = await store.findOrg(ctx.db, actor.scope('org.read'), input.parentId);
    if (!parent) throw new AppError('NOT_FOUND', { parentId: input.parentId });
    // Organisations nest within one district: the territorial key must match.
    if (parent.district_code !== input.territoryCode.slice(0, 6))
      throw new AppError('VALIDATION_FAILED', { reason: 'parent_in_other_district' });
  }
  if (input.kind === 'party') {
    const level = input.level ?? '';
    const idx = PARTY_LEVELS.indexOf(level as (typeof PARTY_LEVELS)[number]);
    if (idx < 0) throw new AppError('VALIDATION_FAILED', { reason: 'party_level_required', allowed: PARTY_LEVELS });
    if (parent && PARTY_LEVELS.indexOf(parent.level as (typeof PARTY_LEVELS)[number]) !== idx - 1) {
      throw new AppError('VALIDATION_FAILED', { reason: 'party_level_must_be_one_below_parent', parentLevel: parent.level });
    }
  }
  if (input.territoryCode.length < 6 || ['province', 'city'].includes(place.level)) {
    throw new AppError('VALIDATION_FAILED', { reason: 'organisations_belong_to_a_district_or_below' });
  }
  const districtCode = input.territoryCode.slice(0, 6);
  const id = await ctx.db.transaction().execute(async (tx) => {
    const newId = await store.insertOrg(tx, {
      districtCode,
      kind: input.kind,
      level: input.level ?? null,
      name: input.name,
      parentId: parent?.id ?? null,
      parentPath: parent?.org_path ?? null,
      territoryCode: place.code,
      territoryPath: place.path,
      contactName: input.contactName ?? null,
    });
    await appendAudit(tx, {
      actorId: actor.userId,
      actorName: actor.username,
      action: 'org.create',
      targetType: 'org',
      targetId: newId,
      placeCode: place.code,
      ip: actor.ip,
      details: { kind: input.kind, name: input.name },
    });
    return newId;
  });
  return get(ctx, actor, id);
}

export async function update(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { name?: string; contactName?: string | null; version: number },
) {
  const before = await store.findOrg(ctx.db, actor.scope('org.read'), id);
  if (!before) return get(ctx, actor, id);
  if (!pathInScope(actor.scope('org.write'), before.territory_path)) throw new AppError('FORBIDDEN', { permission: 'org.write' });
  await ctx.db.transaction().execute(async (tx) => {
    const after = await store.updateOrg(tx, before.district_code, id, input.version, input);
    if (!after) throw new AppError('VERSION_CONFLICT', { currentVersion: before.version });
    await appendAudit(tx, {
      actorId: actor.userId,
      actorName: actor.username,
      action: 'org.update',
      targetType: 'org',
      targetId: id,
      placeCode: before.territory_code,
      ip: actor.ip,
      details: {
        before: { name: before.name, contactName: before.contact_name },
        after: { name: input.name, contactName: input.contactName },
      },
    });
  });
  return get(ctx, actor, id);
}
