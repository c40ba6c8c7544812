import { AppError } from '../../core/errors.ts';
import { pathInScope, ROLES, separationConflict, type RoleKey, type Scope } from '../../core/permissions.ts';

/**
 * Who may hand out which role where: pure functions over the caller's user.write scope, so the
 * rules can be read (and tested) without a database.
 */

/** The three administrator roles of 三员分立 (sysadmin, secadmin, auditor). */
export function isAdministratorRole(role: RoleKey): boolean {
  return ROLES[role].duty !== undefined;
}

export interface BindingTarget {
  role: RoleKey;
  /** The territory the binding covers (an organisation's own place for org bindings); null when global. */
  scopePath: string | null;
  scopeCode: string;
}

/**
 * Granting or revoking: administrator roles only with a global user.write scope (the security
 * administrator); business roles only at places inside the caller's scope.
 */
export function assertRoleAuthority(writeScope: Scope, b: BindingTarget): void {
  if (isAdministratorRole(b.role)) {
    if (!writeScope.all) throw new AppError('FORBIDDEN', { reason: 'administrator_roles_need_global_user_write', role: b.role });
    return;
  }
  if (writeScope.all) return;
  if (!b.scopePath || !pathInScope(writeScope, b.scopePath)) {
    throw new AppError('OUT_OF_SCOPE', { role: b.role, scopeCode: b.scopeCode });
  }
}

/**
 * Account-level changes (password, lock, disabling, TOTP) reach the whole person: a territorial
 * administrator may make them only when every role the user holds lies inside their own scope,
 * so nobody can take over an account whose reach is wider than theirs.
 */
export function accountWithinReach(writeScope: Scope, bindings: readonly BindingTarget[]): boolean {
  if (writeScope.all) return true;
  return (
    bindings.length > 0 &&
    bindings.every((b) => !isAdministratorRole(b.role) && b.scopePath !== null && pathInScope(writeScope, b.scopePath))
  );
}

/** 三员分立: throws when `adding` may not sit beside the roles already held. */
export function assertSeparation(held: readonly RoleKey[], adding: RoleKey): void {
  const conflict = separationConflict(held, adding);
  if (conflict) throw new AppError('SEPARATION_OF_DUTIES', { role: adding, conflictsWith: conflict });
}
