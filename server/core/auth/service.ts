import { AppError } from '../errors.ts';
import type { Actor, AppContext } from '../context.ts';
import { appendAudit } from '../audit.ts';
import { hashPassword, passwordPolicyProblems, verifyPassword } from '../passwords.ts';
import { randomToken, sha256 } from '../crypto.ts';
import { checkTotp, newTotpSecret, totpUri } from '../totp.ts';
import { permissionsOf, scopeFor, ROLES, type Binding } from '../permissions.ts';
import * as store from './store.ts';
import { forgetUserSessions, sessionCacheOf } from './session-cache.ts';

export const LOGIN_FAILURE_LIMIT = 5;
export const LOCK_MINUTES = 15;
export const API_TOKEN_PREFIX = 'gzp_';

// A real hash to compare against when the username is unknown, so timing does not reveal it.
const DUMMY_HASH = hashPassword('dummy-password-for-timing');

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}

export interface LoginResult {
  sessionToken: string;
  csrfToken: string;
  userId: string;
}

export async function login(
  ctx: AppContext,
  input: { username: string; password: string; totpCode?: string },
  meta: RequestMeta,
): Promise<LoginResult> {
  const { db } = ctx;
  const user = await store.findUserByUsername(db, input.username);
  const fail = async (reason: string, code: 'INVALID_CREDENTIALS' | 'TOTP_INVALID' | 'ACCOUNT_DISABLED') => {
    await appendAudit(db, {
      actorId: user?.id ?? null,
      actorName: input.username.slice(0, 64),
      action: 'auth.login',
      outcome: 'failure',
      targetType: 'user',
      targetId: user?.id ?? null,
      ip: meta.ip,
      details: { reason },
    });
    throw new AppError(code);
  };
  if (!user) {
    await verifyPassword(input.password, await DUMMY_HASH);
    return fail('unknown_user', 'INVALID_CREDENTIALS');
  }
  if (user.locked_until && user.locked_until > new Date()) {
    await appendAudit(db, {
      actorId: user.id,
      actorName: user.username,
      action: 'auth.login',
      outcome: 'denied',
      targetType: 'user',
      targetId: user.id,
      ip: meta.ip,
      details: { reason: 'locked' },
    });
    throw new AppError('ACCOUNT_LOCKED', { lockedUntil: user.locked_until.toISOString() });
  }
  const passwordOk = await verifyPassword(input.password, user.password_hash);
  if (!passwordOk || (user.totp_enabled && input.totpCode && !totpMatches(ctx, user, input.totpCode))) {
    const after = await store.recordLoginFailure(db, user.id, LOGIN_FAILURE_LIMIT, LOCK_MINUTES);
    if (after.locked_until && after.locked_until > new Date()) {
      await appendAudit(db, {
        actorId: user.id,
        actorName: user.username,
        action: 'auth.lockout',
        outcome: 'success',
        targetType: 'user',
        targetId: user.id,
        ip: meta.ip,
        details: { minutes: LOCK_MINUTES, failures: LOGIN_FAILURE_LIMIT },
      });
    }
    return fail(passwordOk ? 'totp_invalid' : 'wrong_password', passwordOk ? 'TOTP_INVALID' : 'INVALID_CREDENTIALS');
  }
  if (user.disabled) return fail('disabled', 'ACCOUNT_DISABLED');
  if (user.totp_enabled) {
    if (!input.totpCode) throw new AppError('TOTP_REQUIRED');
    // totpMatches above already verified; record the step so the code cannot be replayed.
    const step = checkTotp(ctx.keyring.decrypt(user.totp_secret!), input.totpCode, toStep(user.totp_last_step));
    if (step == null) return fail('totp_replayed', 'TOTP_INVALID');
    await store.setTotp(db, user.id, { lastStep: step });
  }
  await store.recordLoginSuccess(db, user.id);
  const sessionToken = randomToken();
  const csrfToken = randomToken();
  await store.insertSession(db, {
    id: sha256(sessionToken),
    userId: user.id,
    csrfToken,
    ip: meta.ip,
    userAgent: meta.userAgent?.slice(0, 300) ?? null,
  });
  await appendAudit(db, {
    actorId: user.id,
    actorName: user.username,
    action: 'auth.login',
    targetType: 'user',
    targetId: user.id,
    ip: meta.ip,
    details: { totp: user.totp_enabled },
  });
  return { sessionToken, csrfToken, userId: user.id };
}

function toStep(v: string | number | null): number | null {
  return v == null ? null : Number(v);
}

function totpMatches(ctx: AppContext, user: { totp_secret: string | null; totp_last_step: string | number | null }, code: string) {
  if (!user.totp_secret) return false;
  return checkTotp(ctx.keyring.decrypt(user.totp_secret), code, toStep(user.totp_last_step)) != null;
}

export async function logout(ctx: AppContext, actor: Actor, meta: RequestMeta): Promise<void> {
  if (actor.sessionId) await store.deleteSession(ctx.db, actor.sessionId);
  forgetUserSessions(ctx, actor.userId);
  await appendAudit(ctx.db, { actorId: actor.userId, actorName: actor.username, action: 'auth.logout', ip: meta.ip });
}

export type ResolveResult =
  { kind: 'none' } | { kind: 'expired' } | { kind: 'ok'; actor: Actor; csrfToken: string | null; setupRequired: boolean };

function buildActor(
  ctx: AppContext,
  row: { user_id: string; username: string; display_name: string; bindings: store.RawBinding[] },
  via: 'session' | 'token',
  sessionId: string | null,
  ip: string | null,
): Actor {
  const bindings: Binding[] = store.toBindings(row.bindings);
  const permissions = permissionsOf(bindings);
  return {
    userId: row.user_id,
    username: row.username,
    displayName: row.display_name,
    bindings,
    permissions,
    via,
    sessionId,
    ip,
    can: (p) => permissions.has(p),
    scope: (p) => scopeFor(bindings, p),
  };
}

type SessionRow = NonNullable<Awaited<ReturnType<typeof store.findSession>>>;

/**
 * Resolves a session cookie: idle sessions expire (and are deleted), activity keeps them alive.
 * Served from this instance's session cache when it has one (session-cache.ts, D42).
 */
export async function resolveSession(ctx: AppContext, token: string, ip: string | null): Promise<ResolveResult> {
  const id = sha256(token);
  const cache = sessionCacheOf<SessionRow>(ctx);
  let entry = cache?.get(id);
  if (!entry) {
    const epoch = cache?.epoch ?? 0;
    const row = await store.findSession(ctx.db, id);
    if (!row) return { kind: 'none' };
    entry = { row, userId: row.user_id, fetchedAt: Date.now(), lastSeen: row.last_seen_at.getTime() };
    cache?.put(id, row.user_id, row, entry.lastSeen, epoch);
  }
  const row = entry.row;
  const now = Date.now();
  const idleMs = now - entry.lastSeen;
  if (idleMs > ctx.config.sessionIdleMinutes * 60_000 || row.disabled) {
    cache?.forgetSession(id);
    await store.deleteSession(ctx.db, id);
    return { kind: 'expired' };
  }
  if (idleMs > 15_000) {
    await store.touchSession(ctx.db, id);
    entry.lastSeen = now;
  }
  const actor = buildActor(ctx, row, 'session', id, ip);
  return { kind: 'ok', actor, csrfToken: row.csrf_token, setupRequired: setupRequired(row) };
}

export async function resolveApiToken(ctx: AppContext, token: string, ip: string | null): Promise<ResolveResult> {
  if (!token.startsWith(API_TOKEN_PREFIX)) return { kind: 'none' };
  const row = await store.findToken(ctx.db, sha256(token));
  if (!row || row.disabled) return { kind: 'none' };
  if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > 60_000) await store.touchToken(ctx.db, row.token_id);
  const actor = buildActor(ctx, row, 'token', null, ip);
  return { kind: 'ok', actor, csrfToken: null, setupRequired: setupRequired(row) };
}

function setupRequired(u: { totp_required: boolean; totp_enabled: boolean; must_change_password: boolean }) {
  return (u.totp_required && !u.totp_enabled) || u.must_change_password;
}

export async function me(ctx: AppContext, actor: Actor) {
  const user = await store.findUserById(ctx.db, actor.userId);
  if (!user) throw new AppError('UNAUTHENTICATED');
  const bindings = await store.bindingsOf(ctx.db, actor.userId);
  const names = await scopeNames(
    ctx,
    bindings.map((b) => b.scopeCode),
  );
  return {
    user: {
      id: user.id,
      username: user.username,
      displayName: user.display_name,
      locale: user.locale,
      totpEnabled: user.totp_enabled,
      totpRequired: user.totp_required,
      mustChangePassword: user.must_change_password,
    },
    roles: bindings.map((b) => ({
      id: b.id,
      role: b.role,
      roleName: ROLES[b.role]?.zh ?? b.role,
      scopeType: b.scopeType,
      scopeCode: b.scopeCode,
      scopeName: names.get(b.scopeCode) ?? '',
    })),
    permissions: [...actor.permissions].sort(),
  };
}

/** Display names for role scopes: territory codes or `org:<id>`. */
export async function scopeNames(ctx: AppContext, codes: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const orgIds = codes.filter((c) => c.startsWith('org:')).map((c) => c.slice(4));
  const terr = codes.filter((c) => c && !c.startsWith('org:'));
  if (orgIds.length) {
    const rows = await ctx.db.selectFrom('org').select(['id', 'name']).where('id', 'in', orgIds).execute();
    for (const r of rows) out.set(`org:${r.id}`, r.name);
  }
  if (terr.length) {
    const divs = await ctx.db.selectFrom('division').select(['code', 'name']).where('code', 'in', terr).execute();
    for (const r of divs) out.set(r.code, r.name);
    const grids = await ctx.db.selectFrom('grid').select(['code', 'name']).where('code', 'in', terr).execute();
    for (const r of grids) out.set(r.code, r.name);
  }
  return out;
}

export function assertPasswordPolicy(password: string, username?: string) {
  const problems = passwordPolicyProblems(password, username);
  if (problems.length) throw new AppError('WEAK_PASSWORD', { problems });
}

export async function changePassword(
  ctx: AppContext,
  actor: Actor,
  input: { currentPassword: string; newPassword: string },
  meta: RequestMeta,
) {
  const user = await store.findUserById(ctx.db, actor.userId);
  if (!user) throw new AppError('UNAUTHENTICATED');
  if (!(await verifyPassword(input.currentPassword, user.password_hash))) {
    await appendAudit(ctx.db, {
      actorId: user.id,
      actorName: user.username,
      action: 'auth.password_change',
      outcome: 'failure',
      ip: meta.ip,
      details: { reason: 'wrong_current' },
    });
    throw new AppError('WRONG_PASSWORD');
  }
  if (input.currentPassword === input.newPassword) throw new AppError('PASSWORD_REUSED');
  assertPasswordPolicy(input.newPassword, user.username);
  await ctx.db.transaction().execute(async (tx) => {
    await store.setPassword(tx, user.id, await hashPassword(input.newPassword), false);
    // Other sessions of this user end: a changed password must lock out whoever had the old one.
    await store.deleteSessionsOfUser(tx, user.id, actor.sessionId ?? undefined);
    await appendAudit(tx, {
      actorId: user.id,
      actorName: user.username,
      action: 'auth.password_change',
      targetType: 'user',
      targetId: user.id,
      ip: meta.ip,
    });
  });
  forgetUserSessions(ctx, user.id);
}

export async function totpSetup(ctx: AppContext, actor: Actor) {
  const user = await store.findUserById(ctx.db, actor.userId);
  if (!user) throw new AppError('UNAUTHENTICATED');
  if (user.totp_enabled) throw new AppError('CONFLICT', { reason: 'totp_already_enabled' });
  const secret = newTotpSecret();
  await store.setTotp(ctx.db, user.id, { secret: ctx.keyring.encrypt(secret), enabled: false, lastStep: null });
  forgetUserSessions(ctx, user.id);
  return { secret, otpauthUrl: totpUri(user.username, secret) };
}

export async function totpEnable(ctx: AppContext, actor: Actor, code: string, meta: RequestMeta) {
  const user = await store.findUserById(ctx.db, actor.userId);
  if (!user?.totp_secret) throw new AppError('CONFLICT', { reason: 'run_setup_first' });
  if (user.totp_enabled) throw new AppError('CONFLICT', { reason: 'totp_already_enabled' });
  const step = checkTotp(ctx.keyring.decrypt(user.totp_secret), code, null);
  if (step == null) throw new AppError('TOTP_INVALID');
  await ctx.db.transaction().execute(async (tx) => {
    await store.setTotp(tx, user.id, { enabled: true, lastStep: step });
    await appendAudit(tx, {
      actorId: user.id,
      actorName: user.username,
      action: 'auth.totp_enable',
      targetType: 'user',
      targetId: user.id,
      ip: meta.ip,
    });
  });
  forgetUserSessions(ctx, user.id);
}

export async function totpDisable(ctx: AppContext, actor: Actor, code: string, meta: RequestMeta) {
  const user = await store.findUserById(ctx.db, actor.userId);
  if (!user?.totp_enabled || !user.totp_secret) throw new AppError('CONFLICT', { reason: 'totp_not_enabled' });
  if (user.totp_required) throw new AppError('FORBIDDEN', { reason: 'totp_required_for_this_account' });
  if (checkTotp(ctx.keyring.decrypt(user.totp_secret), code, Number(user.totp_last_step ?? 0)) == null) throw new AppError('TOTP_INVALID');
  await ctx.db.transaction().execute(async (tx) => {
    await store.setTotp(tx, user.id, { enabled: false, secret: null, lastStep: null });
    await appendAudit(tx, {
      actorId: user.id,
      actorName: user.username,
      action: 'auth.totp_disable',
      targetType: 'user',
      targetId: user.id,
      ip: meta.ip,
    });
  });
  forgetUserSessions(ctx, user.id);
}

export async function createApiToken(ctx: AppContext, actor: Actor, name: string, meta: RequestMeta) {
  const token = API_TOKEN_PREFIX + randomToken();
  return ctx.db.transaction().execute(async (tx) => {
    const row = await store.insertToken(tx, actor.userId, name, sha256(token));
    await appendAudit(tx, {
      actorId: actor.userId,
      actorName: actor.username,
      action: 'auth.token_create',
      targetType: 'api_token',
      targetId: row.id,
      ip: meta.ip,
      details: { name },
    });
    return { id: row.id, name: row.name, token, createdAt: row.created_at.toISOString() };
  });
}

export async function revokeApiToken(ctx: AppContext, actor: Actor, id: string, meta: RequestMeta) {
  await ctx.db.transaction().execute(async (tx) => {
    if (!(await store.revokeToken(tx, actor.userId, id))) throw new AppError('NOT_FOUND');
    await appendAudit(tx, {
      actorId: actor.userId,
      actorName: actor.username,
      action: 'auth.token_revoke',
      targetType: 'api_token',
      targetId: id,
      ip: meta.ip,
    });
  });
}

export async function listApiTokens(ctx: AppContext, actor: Actor) {
  const rows = await store.listTokens(ctx.db, actor.userId);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    createdAt: r.created_at.toISOString(),
    lastUsedAt: r.last_used_at?.toISOString() ?? null,
  }));
}
