import type { Actor } from '../../core/context.ts';
import { isRoleKey, pathInScope, ROLES, scopeFor, type Scope } from '../../core/permissions.ts';
import type { ApplicationRole } from './application-rules.ts';
import { HANDLER_ROLES } from './catalogue.ts';

/**
 * Who handles an application (办理): the catalogue item names a handling role (办理角色, e.g. the
 * street's staff for an item the street decides), and the application goes to the holders of that
 * role whose binding covers the applicant's place. Accepting at the counter is not handling: any
 * one-window worker (全科社工) accepts any item for a resident of their community and can follow it
 * afterwards, but only the handling role takes its steps.
 */

/** Where the caller holds `handlerRole` with service.handle: the bindings of that role only. */
export function handlingScope(actor: Actor, handlerRole: string): Scope {
  // The installation itself (CLI, demo seed) has no bindings and acts with every role everywhere.
  if (actor.bindings.length === 0) return actor.scope('service.handle');
  return scopeFor(
    actor.bindings.filter((b) => b.role === handlerRole),
    'service.handle',
  );
}

/** The caller's handling scope per handling role, for the inbox query (roles with no reach left out). */
export function handlingScopes(actor: Actor): { role: string; scope: Scope }[] {
  return HANDLER_ROLES.map((role) => ({ role, scope: handlingScope(actor, role) })).filter(
    ({ scope }) => scope.all || scope.territoryPaths.length > 0,
  );
}

/** The handling role's name as users know it (街道工作人员, 社区工作者, 区级管理员). */
export function handlerRoleName(role: string): string {
  return isRoleKey(role) ? ROLES[role].zh : role;
}

/**
 * The caller's part in one application: handler (holds the item's handling role over its place),
 * window (a one-window worker over its place without that role: sees it, takes no step) and/or
 * applicant (the resident it is for).
 */
export function rolesOn(
  actor: Actor,
  row: { path: string; person_id: string; handler_role: string },
  ownPersonId: string | null,
): Set<ApplicationRole> {
  const roles = new Set<ApplicationRole>();
  if (pathInScope(handlingScope(actor, row.handler_role), row.path)) roles.add('handler');
  else if (actor.can('service.handle') && pathInScope(actor.scope('service.handle'), row.path)) roles.add('window');
  if (ownPersonId && row.person_id === ownPersonId) roles.add('applicant');
  return roles;
}
