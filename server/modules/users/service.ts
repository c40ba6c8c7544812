import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../../core/audit.ts';
import { hashPassword, passwordPolicyProblems } from '../../core/passwords.ts';
import { isRoleKey, ROLES, ROLE_KEYS, type Permission, type RoleKey } from '../../core/permissions.ts';
import * as authStore from '../../core/auth/store.ts';
import { forgetUserSessions } from '../../core/auth/session-cache.ts';
import type { ScopeType } from '../../db/types.ts';
import { parseTerritoryCode } from '../territory/codes.ts';
import * as territoryStore from '../territory/store.ts';
import { accountWithinReach, assertRoleAuthority, assertSeparation, type BindingTarget } from './rules.ts';
import * as store from './store.ts';

/**
 * Accounts and their place-bound roles, managed by the security administrator (everyone) and by
 * district administrators (people working inside their district). A user the caller cannot see
 * answers 404, whatever the caller asked to do with them.
 */

export interface RoleBindingView {
  id: string;
  role: string;
  roleName: string;
  scopeType: string;
  scopeCode: string;
  scopeName: string;
}

export interface UserView {
  id: string;
  username: string;
  displayName: string;
  disabled: boolean;
  lockedUntil: string | null;
  totpEnabled: boolean;
  totpRequired: boolean;
  mustChangePassword: boolean;
  roles: RoleBindingView[];
  version: number;
  createdAt: string;
}

export interface RoleInput {
  role: string;
  scopeCode: string;
}

/** A role's node, checked and resolved: what goes into role_binding. */
interface ResolvedBinding extends BindingTarget {
  scopeType: ScopeType;
  orgPath: string | null;
  /** The territory code written to the audit log (territory bindings only). */
  placeCode: string | null;
  /** For org bindings: the place the organisation belongs to. */
  orgPlaceCode?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function requirePermission(actor: Actor, permission: Permission) {
  if (!actor.can(permission)) throw new AppError('FORBIDDEN', { permission });
}

function assertPasswordPolicy(password: string, username: string) {
  const problems = passwordPolicyProblems(password, username);
  if (problems.length) throw new AppError('WEAK_PASSWORD', { problems });
}

function roleKeyOrThrow(role: string): RoleKey {
  if (!isRoleKey(role)) throw new AppError('VALIDATION_FAILED', { reason: 'unknown_role', role, allowed: ROLE_KEYS });
  return role;
}

function toTarget(b: store.BindingRow): BindingTarget {
  return { role: b.role as RoleKey, scopePath: b.scope_path, scopeCode: b.scope_code };
}

/** Checks a (role, scopeCode) pair against the role's kinds of node and levels, and finds the node. */
async function resolveBinding(ctx: AppContext, roleName: string, rawCode: string): Promise<ResolvedBinding> {
  const role = roleKeyOrThrow(roleName);
  const def = ROLES[role];
  const code = rawCode.trim();
  const invalid = (reason: string, extra: Record<string, unknown> = {}) =>
    new AppError('ROLE_SCOPE_INVALID', { reason, role, scopeCode: code, binds: def.binds, levels: def.levels ?? [], ...extra });

  if (code === '') {
    if (!def.binds.includes('global')) throw invalid('scope_required');
    return { role, scopeType: 'global', scopeCode: '', scopePath: null, orgPath: null, placeCode: null };
  }
  if (code.startsWith('org:')) {
    if (!def.binds.includes('org')) throw invalid('role_cannot_bind_to_org');
    const id = code.slice(4);
    if (!UUID.test(id)) throw invalid('malformed_org_id');
    const org = await store.findOrg(ctx.db, id.toLowerCase());
    if (!org) throw new AppError('NOT_FOUND', { scopeCode: code, reason: 'no_such_org' });
    return {
      role,
      scopeType: 'org',
      scopeCode: `org:${org.id}`,
      scopePath: org.territory_path,
      orgPath: org.org_path,
      placeCode: null,
      orgPlaceCode: org.territory_code,
    };
  }
  if (!def.binds.includes('territory'))
    throw invalid(def.binds.includes('global') ? 'global_role_takes_no_scope' : 'role_cannot_bind_to_territory');
  const parsed = parseTerritoryCode(code);
  if (!parsed) throw invalid('malformed_code');
  if (!def.levels?.includes(parsed.level)) throw invalid('wrong_level', { level: parsed.level });
  const node = await territoryStore.findNode(ctx.db, parsed.code, parsed.level, null);
  if (!node) throw new AppError('TERRITORY_NOT_FOUND', { code: parsed.code });
  return { role, scopeType: 'territory', scopeCode: parsed.code, scopePath: node.path, orgPath: null, placeCode: parsed.code };
}

/** Display names of the nodes roles are bound to: territory codes at any level, or `org:<id>`. */
async function scopeNames(ctx: AppContext, codes: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const unique = [...new Set(codes.filter(Boolean))];
  const orgIds = unique.filter((c) => c.startsWith('org:')).map((c) => c.slice(4));
  const places = unique.filter((c) => !c.startsWith('org:'));
  const [orgs, nodes] = await Promise.all([store.orgNames(ctx.db, orgIds), territoryStore.namesOf(ctx.db, places)]);
  for (const [id, name] of orgs) out.set(`org:${id}`, name);
  for (const [code, n] of nodes) out.set(code, n.name);
  return out;
}

function bindingView(b: store.BindingRow, names: Map<string, string>): RoleBindingView {
  return {
    id: b.id,
    role: b.role,
    roleName: isRoleKey(b.role) ? ROLES[b.role].zh : b.role,
    scopeType: b.scope_type,
    scopeCode: b.scope_code,
    scopeName: names.get(b.scope_code) ?? '',
  };
}

async function userViews(ctx: AppContext, rows: store.UserRow[]): Promise<UserView[]> {
  const bindings = await store.bindingsOf(
    ctx.db,
    rows.map((r) => r.id),
  );
  const names = await scopeNames(
    ctx,
    bindings.map((b) => b.scope_code),
  );
  return rows.map((r) => ({
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    disabled: r.disabled,
    lockedUntil: r.locked_until ? r.locked_until.toISOString() : null,
    totpEnabled: r.totp_enabled,
    totpRequired: r.totp_required,
    mustChangePassword: r.must_change_password,
    roles: bindings.filter((b) => b.user_id === r.id).map((b) => bindingView(b, names)),
    version: r.version,
    createdAt: r.created_at.toISOString(),
  }));
}

/** The user if the caller may see them (user.read scope), else 404. */
async function visibleUser(ctx: AppContext, actor: Actor, userId: string): Promise<store.UserRow> {
  const row = UUID.test(userId) ? await store.findUser(ctx.db, actor.scope('user.read'), userId) : undefined;
  if (!row) throw new AppError('NOT_FOUND', { userId });
  return row;
}

function notSelf(actor: Actor, userId: string, reason: string) {
  if (actor.userId === userId) throw new AppError('FORBIDDEN', { reason });
}

/** A user the caller may change as an account (password, lock, disabled, TOTP). */
async function manageableUser(ctx: AppContext, actor: Actor, userId: string): Promise<store.UserRow> {
  requirePermission(actor, 'user.write');
  const row = await visibleUser(ctx, actor, userId);
  const bindings = await store.bindingsOf(ctx.db, [row.id]);
  if (!accountWithinReach(actor.scope('user.write'), bindings.map(toTarget))) {
    throw new AppError('OUT_OF_SCOPE', { reason: 'user_has_roles_outside_your_scope', userId });
  }
  return row;
}

function audit(actor: Actor) {
  return { actorId: actor.userId, actorName: actor.username, targetType: 'user', ip: actor.ip };
}

export async function listUsers(
  ctx: AppContext,
  actor: Actor,
  input: { q?: string; page?: number; pageSize?: number } = {},
): Promise<{ items: UserView[]; total: number }> {
  requirePermission(actor, 'user.read');
  const pageSize = Math.min(Math.max(Math.trunc(input.pageSize ?? 20), 1), 100);
  const page = Math.max(Math.trunc(input.page ?? 1), 1);
  const { rows, total } = await store.listUsers(ctx.db, actor.scope('user.read'), {
    q: input.q,
    limit: pageSize,
    offset: (page - 1) * pageSize,
  });
  return { items: await userViews(ctx, rows), total };
}

export async function getUser(ctx: AppContext, actor: Actor, userId: string): Promise<UserView> {
  requirePermission(actor, 'user.read');
  const [view] = await userViews(ctx, [await visibleUser(ctx, actor, userId)]);
  return view;
}

export async function findUserIdByUsername(ctx: AppContext, username: string): Promise<string | null> {
  return store.findUserIdByUsername(ctx.db, username);
}

export async function createUser(
  ctx: AppContext,
  actor: Actor,
  input: { username: string; displayName: string; password: string; totpRequired?: boolean; roles?: RoleInput[] },
): Promise<UserView> {
  requirePermission(actor, 'user.write');
  const username = input.username.trim();
  const displayName = input.displayName.trim();
  if (!/^[A-Za-z0-9._-]{3,32}$/.test(username)) throw new AppError('VALIDATION_FAILED', { reason: 'username_format', username });
  if (!displayName) throw new AppError('VALIDATION_FAILED', { reason: 'display_name_required' });
  assertPasswordPolicy(input.password, username);

  const writeScope = actor.scope('user.write');
  const roles: ResolvedBinding[] = [];
  for (const r of input.roles ?? []) {
    const resolved = await resolveBinding(ctx, r.role, r.scopeCode);
    assertRoleAuthority(writeScope, resolved);
    assertSeparation(
      roles.map((x) => x.role),
      resolved.role,
    );
    roles.push(resolved);
  }
  // A district administrator creates people only for work inside the district: without a role
  // there, the new account would be invisible to its own creator.
  if (!writeScope.all && roles.length === 0) {
    throw new AppError('ROLE_SCOPE_INVALID', { reason: 'role_in_your_scope_required' });
  }
  if (await store.findUserIdByUsername(ctx.db, username)) throw new AppError('USERNAME_TAKEN', { username });

  const passwordHash = await hashPassword(input.password);
  const id = await ctx.db.transaction().execute(async (tx) => {
    const userId = await store.insertUser(tx, { username, displayName, passwordHash, totpRequired: input.totpRequired ?? false });
    if (!userId) throw new AppError('USERNAME_TAKEN', { username });
    await appendAudit(tx, {
      ...audit(actor),
      action: 'user.create',
      targetId: userId,
      placeCode: roles.find((r) => r.placeCode)?.placeCode ?? null,
      details: {
        username,
        displayName,
        totpRequired: input.totpRequired ?? false,
        roles: roles.map((r) => ({ role: r.role, scopeCode: r.scopeCode })),
      },
    });
    for (const r of roles) await insertGrant(tx, actor, userId, r);
    return userId;
  });
  return getUser(ctx, actor, id);
}

async function insertGrant(tx: AppContext['db'], actor: Actor, userId: string, r: ResolvedBinding): Promise<string> {
  const bindingId = await store.insertBinding(tx, {
    userId,
    role: r.role,
    scopeType: r.scopeType,
    scopeCode: r.scopeCode,
    scopePath: r.scopePath,
    orgPath: r.orgPath,
    createdBy: actor.userId,
  });
  if (!bindingId) throw new AppError('CONFLICT', { reason: 'role_already_bound', role: r.role, scopeCode: r.scopeCode });
  await appendAudit(tx, {
    ...audit(actor),
    action: 'user.role_grant',
    targetId: userId,
    placeCode: r.placeCode,
    details: {
      bindingId,
      role: r.role,
      scopeType: r.scopeType,
      scopeCode: r.scopeCode,
      ...(r.orgPlaceCode ? { orgPlaceCode: r.orgPlaceCode } : {}),
    },
  });
  return bindingId;
}

export async function updateUser(
  ctx: AppContext,
  actor: Actor,
  input: { userId: string; version: number; displayName?: string; disabled?: boolean; totpRequired?: boolean },
): Promise<UserView> {
  const before = await manageableUser(ctx, actor, input.userId);
  if (input.disabled !== undefined || input.totpRequired !== undefined) {
    notSelf(actor, before.id, 'cannot_change_own_account_security');
  }
  const displayName = input.displayName?.trim();
  if (displayName === '') throw new AppError('VALIDATION_FAILED', { reason: 'display_name_required' });
  const patch = { displayName, disabled: input.disabled, totpRequired: input.totpRequired };
  await ctx.db.transaction().execute(async (tx) => {
    const version = await store.updateUser(tx, before.id, input.version, patch);
    if (version === null)
      throw new AppError('VERSION_CONFLICT', { currentVersion: (await store.currentVersion(tx, before.id)) ?? before.version });
    // A disabled account must stop working now, not when its sessions idle out.
    if (input.disabled === true) await authStore.deleteSessionsOfUser(tx, before.id);
    const was = { displayName: before.display_name, disabled: before.disabled, totpRequired: before.totp_required };
    const changed = (Object.keys(patch) as (keyof typeof patch)[]).filter((k) => patch[k] !== undefined && patch[k] !== was[k]);
    await appendAudit(tx, {
      ...audit(actor),
      action: 'user.update',
      targetId: before.id,
      details: {
        username: before.username,
        before: Object.fromEntries(changed.map((k) => [k, was[k]])),
        after: Object.fromEntries(changed.map((k) => [k, patch[k]])),
      },
    });
  });
  forgetUserSessions(ctx, before.id);
  return getUser(ctx, actor, before.id);
}

export async function grantRole(ctx: AppContext, actor: Actor, input: { userId: string } & RoleInput): Promise<RoleBindingView> {
  requirePermission(actor, 'user.write');
  const user = await visibleUser(ctx, actor, input.userId);
  notSelf(actor, user.id, 'cannot_change_own_roles');
  const resolved = await resolveBinding(ctx, input.role, input.scopeCode);
  assertRoleAuthority(actor.scope('user.write'), resolved);
  const bindingId = await ctx.db.transaction().execute(async (tx) => {
    await store.lockUserRow(tx, user.id);
    const held = await store.bindingsOf(tx, [user.id]);
    assertSeparation(
      held.map((b) => b.role as RoleKey),
      resolved.role,
    );
    return insertGrant(tx, actor, user.id, resolved);
  });
  forgetUserSessions(ctx, user.id);
  const binding = (await store.bindingsOf(ctx.db, [user.id])).find((b) => b.id === bindingId)!;
  return bindingView(binding, await scopeNames(ctx, [binding.scope_code]));
}

export async function revokeRole(ctx: AppContext, actor: Actor, input: { userId: string; bindingId: string }): Promise<void> {
  requirePermission(actor, 'user.write');
  const user = await visibleUser(ctx, actor, input.userId);
  notSelf(actor, user.id, 'cannot_change_own_roles');
  const binding = (await store.bindingsOf(ctx.db, [user.id])).find((b) => b.id === input.bindingId);
  if (!binding) throw new AppError('NOT_FOUND', { roleId: input.bindingId });
  assertRoleAuthority(actor.scope('user.write'), toTarget(binding));
  await ctx.db.transaction().execute(async (tx) => {
    if (!(await store.deleteBinding(tx, user.id, binding.id))) throw new AppError('NOT_FOUND', { roleId: input.bindingId });
    await appendAudit(tx, {
      ...audit(actor),
      action: 'user.role_revoke',
      targetId: user.id,
      placeCode: binding.scope_type === 'territory' ? binding.scope_code : null,
      details: { bindingId: binding.id, role: binding.role, scopeType: binding.scope_type, scopeCode: binding.scope_code },
    });
  });
  forgetUserSessions(ctx, user.id);
}

export async function unlockUser(ctx: AppContext, actor: Actor, input: { userId: string }): Promise<void> {
  const user = await manageableUser(ctx, actor, input.userId);
  await ctx.db.transaction().execute(async (tx) => {
    await store.clearLock(tx, user.id);
    await appendAudit(tx, {
      ...audit(actor),
      action: 'user.unlock',
      targetId: user.id,
      details: { username: user.username, lockedUntil: user.locked_until?.toISOString() ?? null, failedLogins: user.failed_logins },
    });
  });
}

/** Sets a new initial password: the user must change it at the next sign-in, and every session ends. */
export async function resetPassword(ctx: AppContext, actor: Actor, input: { userId: string; password: string }): Promise<void> {
  const user = await manageableUser(ctx, actor, input.userId);
  // People change their own password at /api/me/password, which asks for the current one.
  notSelf(actor, user.id, 'use_me_password_for_own_password');
  assertPasswordPolicy(input.password, user.username);
  const hash = await hashPassword(input.password);
  await ctx.db.transaction().execute(async (tx) => {
    await authStore.setPassword(tx, user.id, hash, true);
    await authStore.deleteSessionsOfUser(tx, user.id);
    await appendAudit(tx, {
      ...audit(actor),
      action: 'user.password_reset',
      targetId: user.id,
      details: { username: user.username, sessionsEnded: true },
    });
  });
  forgetUserSessions(ctx, user.id);
}

/** The role picker's catalogue: what each role is called and where it may be bound. */
export function roleCatalogue(actor: Actor) {
  requirePermission(actor, 'user.read');
  return ROLE_KEYS.map((key) => {
    const r = ROLES[key];
    return { key, zh: r.zh, en: r.en, binds: [...r.binds], levels: [...(r.levels ?? [])] };
  });
}
