import { sql, type Kysely } from 'kysely';
import type { Actor } from '../../core/context.ts';
import type { AuditEntry } from '../../core/audit.ts';
import { AppError } from '../../core/errors.ts';
import type { Scope } from '../../core/permissions.ts';
import type { DB } from '../../db/types.ts';
import { parseTerritoryCode } from '../territory/codes.ts';
import * as territoryStore from '../territory/store.ts';

/** Shared by the deliberation services: places, scopes, the resident behind an account, audit entries. */

export interface Place {
  code: string;
  name: string;
  level: string;
  path: string;
  districtCode: string;
  communityCode: string;
}

/** A community or anything inside one (grid, building, unit, house): deliberation happens there. */
export async function resolvePlace(db: Kysely<DB>, code: string): Promise<Place> {
  const parsed = parseTerritoryCode(code);
  if (!parsed || parsed.code.length < 12)
    throw new AppError('INVALID_CODE', { code, expected: 'a community (12 digits) or a place inside one' });
  const node = await territoryStore.findNode(db, parsed.code, parsed.level, null);
  if (!node) throw new AppError('TERRITORY_NOT_FOUND', { code });
  return {
    code: node.code,
    name: node.name,
    level: parsed.level,
    path: node.path,
    districtCode: node.code.slice(0, 6),
    communityCode: node.code.slice(0, 12),
  };
}

function union(a: Scope, b: Scope): Scope {
  if (a.all || b.all) return { all: true };
  return {
    all: false,
    territoryPaths: [...new Set([...a.territoryPaths, ...b.territoryPaths])],
    orgPaths: [...new Set([...a.orgPaths, ...b.orgPaths])],
  };
}

/** The community a path lies in (its 12-digit label), or the path itself when it is above one. */
export function communityPath(path: string): string {
  const labels = path.split('.');
  const i = labels.findIndex((l) => /^\d{12}$/.test(l));
  return i >= 0 ? labels.slice(0, i + 1).join('.') : path;
}

/** A resident takes part in their whole community, even when their role is bound to their house. */
export function participateScope(actor: Actor): Scope {
  const s = actor.scope('deliberation.participate');
  if (s.all) return s;
  return { all: false, territoryPaths: [...new Set(s.territoryPaths.map(communityPath))], orgPaths: [] };
}

/** What a caller may read: workers' deliberation.read, and residents' own community. */
export function readScope(actor: Actor): Scope {
  return union(actor.scope('deliberation.read'), participateScope(actor));
}

export function canRead(actor: Actor): boolean {
  return actor.can('deliberation.read') || actor.can('deliberation.participate');
}

/** The ltree ancestor test, in SQL terms, for places a resident is bound to *above* (not only under). */
export function pathsCover(scopePaths: readonly string[], path: string): boolean {
  return scopePaths.some((p) => path === p || path.startsWith(p + '.'));
}

/** The active registry person behind an account (one query; the cast path uses it). */
export async function personOfUser(db: Kysely<DB>, userId: string) {
  return db
    .selectFrom('person')
    .select(['district_code', 'id', sql<string>`path::text`.as('path')])
    .where('user_id', '=', userId)
    .where('status', '=', 'active')
    .executeTakeFirst();
}

export function auditEntry(
  actor: Actor,
  action: string,
  targetType: string,
  targetId: string,
  placeCode: string,
  details?: Record<string, unknown>,
): AuditEntry {
  return { actorId: actor.userId, actorName: actor.username, action, targetType, targetId, placeCode, ip: actor.ip, details };
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A short receipt code a resident can keep (no 0/O/1/I to misread). */
export function receiptCode(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(10));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

export function requireManage(actor: Actor, path: string) {
  const s = actor.scope('deliberation.manage');
  if (!actor.can('deliberation.manage')) throw new AppError('FORBIDDEN', { permission: 'deliberation.manage' });
  if (!s.all && !pathsCover(s.territoryPaths, path)) throw new AppError('OUT_OF_SCOPE');
}

export function requireParticipate(actor: Actor, path: string) {
  if (!actor.can('deliberation.participate')) throw new AppError('FORBIDDEN', { permission: 'deliberation.participate' });
  const s = participateScope(actor);
  if (!s.all && !pathsCover(s.territoryPaths, path)) throw new AppError('OUT_OF_SCOPE');
}

export function mayManage(actor: Actor, path: string): boolean {
  if (!actor.can('deliberation.manage')) return false;
  const s = actor.scope('deliberation.manage');
  return s.all || pathsCover(s.territoryPaths, path);
}
