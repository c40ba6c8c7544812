import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/types.ts';
import type { Binding, RoleKey } from '../permissions.ts';

/** SQL for users' credentials, sessions and API tokens. */

export async function findUserByUsername(db: Kysely<DB>, username: string) {
  return db
    .selectFrom('app_user')
    .selectAll()
    .where(sql`lower(username)`, '=', username.toLowerCase())
    .executeTakeFirst();
}

export async function findUserById(db: Kysely<DB>, id: string) {
  return db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function bindingsOf(db: Kysely<DB>, userId: string): Promise<(Binding & { id: string; scopeCode: string })[]> {
  const rows = await db
    .selectFrom('role_binding')
    .select(['id', 'role', 'scope_type', 'scope_code', 'scope_path', 'org_path'])
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    role: r.role as RoleKey,
    scopeType: r.scope_type,
    scopeCode: r.scope_code,
    scopePath: r.scope_path,
    orgPath: r.org_path,
  }));
}

/** Atomically counts a failed sign-in and locks the account when the limit is reached. */
export async function recordLoginFailure(db: Kysely<DB>, userId: string, limit: number, lockMinutes: number) {
  const row = await sql<{ failed_logins: number; locked_until: Date | null }>`
    update app_user set
      failed_logins = case when failed_logins + 1 >= ${limit} then 0 else failed_logins + 1 end,
      locked_until = case when failed_logins + 1 >= ${limit}
                          then now() + make_interval(mins => ${lockMinutes}) else locked_until end
    where id = ${userId}
    returning failed_logins, locked_until`.execute(db);
  return row.rows[0];
}

export async function recordLoginSuccess(db: Kysely<DB>, userId: string) {
  await db.updateTable('app_user').set({ failed_logins: 0, locked_until: null }).where('id', '=', userId).execute();
}

export async function insertSession(
  db: Kysely<DB>,
  s: { id: string; userId: string; csrfToken: string; ip: string | null; userAgent: string | null },
) {
  await db
    .insertInto('user_session')
    .values({ id: s.id, user_id: s.userId, csrf_token: s.csrfToken, ip: s.ip, user_agent: s.userAgent, last_seen_at: new Date() })
    .execute();
}

/** The caller's role bindings, read in the same query as the session or token (one round trip per request). */
const bindingsJson = sql<RawBinding[]>`coalesce((
  select json_agg(json_build_object('role', b.role, 'scopeType', b.scope_type, 'scopePath', b.scope_path::text, 'orgPath', b.org_path::text)
                  order by b.created_at)
  from role_binding b where b.user_id = u.id), '[]'::json)`;

export interface RawBinding {
  role: string;
  scopeType: Binding['scopeType'];
  scopePath: string | null;
  orgPath: string | null;
}

export function toBindings(raw: RawBinding[]): Binding[] {
  return raw.map((r) => ({ role: r.role as RoleKey, scopeType: r.scopeType, scopePath: r.scopePath, orgPath: r.orgPath }));
}

export async function findSession(db: Kysely<DB>, id: string) {
  return db
    .selectFrom('user_session as s')
    .innerJoin('app_user as u', 'u.id', 's.user_id')
    .select([
      's.id as session_id',
      's.csrf_token',
      's.last_seen_at',
      'u.id as user_id',
      'u.username',
      'u.display_name',
      'u.disabled',
      'u.totp_required',
      'u.totp_enabled',
      'u.must_change_password',
      bindingsJson.as('bindings'),
    ])
    .where('s.id', '=', id)
    .executeTakeFirst();
}

export async function touchSession(db: Kysely<DB>, id: string) {
  await db.updateTable('user_session').set({ last_seen_at: new Date() }).where('id', '=', id).execute();
}

export async function deleteSession(db: Kysely<DB>, id: string) {
  await db.deleteFrom('user_session').where('id', '=', id).execute();
}

export async function deleteSessionsOfUser(db: Kysely<DB>, userId: string, exceptId?: string) {
  let q = db.deleteFrom('user_session').where('user_id', '=', userId);
  if (exceptId) q = q.where('id', '<>', exceptId);
  await q.execute();
}

export async function deleteIdleSessions(db: Kysely<DB>, idleMinutes: number) {
  await sql`delete from user_session where last_seen_at < now() - make_interval(mins => ${idleMinutes})`.execute(db);
}

export async function findToken(db: Kysely<DB>, tokenHash: string) {
  return db
    .selectFrom('api_token as t')
    .innerJoin('app_user as u', 'u.id', 't.user_id')
    .select([
      't.id as token_id',
      't.last_used_at',
      'u.id as user_id',
      'u.username',
      'u.display_name',
      'u.disabled',
      'u.totp_required',
      'u.totp_enabled',
      'u.must_change_password',
      bindingsJson.as('bindings'),
    ])
    .where('t.token_hash', '=', tokenHash)
    .where('t.revoked_at', 'is', null)
    .executeTakeFirst();
}

export async function touchToken(db: Kysely<DB>, id: string) {
  await db.updateTable('api_token').set({ last_used_at: new Date() }).where('id', '=', id).execute();
}

export async function listTokens(db: Kysely<DB>, userId: string) {
  return db
    .selectFrom('api_token')
    .select(['id', 'name', 'created_at', 'last_used_at'])
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc')
    .execute();
}

export async function insertToken(db: Kysely<DB>, userId: string, name: string, tokenHash: string) {
  return db
    .insertInto('api_token')
    .values({ user_id: userId, name, token_hash: tokenHash })
    .returning(['id', 'name', 'created_at'])
    .executeTakeFirstOrThrow();
}

export async function revokeToken(db: Kysely<DB>, userId: string, id: string) {
  const r = await db
    .updateTable('api_token')
    .set({ revoked_at: new Date() })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function setPassword(db: Kysely<DB>, userId: string, hash: string, mustChange: boolean) {
  await db
    .updateTable('app_user')
    .set({
      password_hash: hash,
      password_changed_at: new Date(),
      must_change_password: mustChange,
      updated_at: new Date(),
      version: sql`version + 1`,
    })
    .where('id', '=', userId)
    .execute();
}

export async function setTotp(
  db: Kysely<DB>,
  userId: string,
  patch: { secret?: string | null; enabled?: boolean; lastStep?: number | null },
) {
  await db
    .updateTable('app_user')
    .set({
      ...(patch.secret !== undefined ? { totp_secret: patch.secret } : {}),
      ...(patch.enabled !== undefined ? { totp_enabled: patch.enabled } : {}),
      ...(patch.lastStep !== undefined ? { totp_last_step: patch.lastStep } : {}),
      updated_at: new Date(),
    })
    .where('id', '=', userId)
    .execute();
}
