import { sql, type Kysely } from 'kysely';
import type { DB, ScopeType } from '../../db/types.ts';
import type { Scope } from '../../core/permissions.ts';
import { inTerritoryScope } from '../../core/scope-sql.ts';

/**
 * SQL for accounts and their role bindings. Reads take the caller's scope: a user is within a
 * territorial scope when at least one of their bindings sits at or under one of its paths.
 */

const USER_COLUMNS = [
  'u.id',
  'u.username',
  'u.display_name',
  'u.disabled',
  'u.locked_until',
  'u.failed_logins',
  'u.totp_enabled',
  'u.totp_required',
  'u.must_change_password',
  'u.version',
  'u.created_at',
] as const;

function usersIn(db: Kysely<DB>, scope: Scope) {
  let q = db.selectFrom('app_user as u');
  if (!scope.all) {
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('role_binding as rb')
          .select(sql<number>`1`.as('one'))
          .whereRef('rb.user_id', '=', 'u.id')
          .where(inTerritoryScope(scope, 'rb.scope_path')),
      ),
    );
  }
  return q;
}

export type UserRow = NonNullable<Awaited<ReturnType<typeof findUser>>>;

export async function findUser(db: Kysely<DB>, scope: Scope, id: string) {
  return usersIn(db, scope).select(USER_COLUMNS).where('u.id', '=', id).executeTakeFirst();
}

export async function listUsers(db: Kysely<DB>, scope: Scope, f: { q?: string; limit: number; offset: number }) {
  let q = usersIn(db, scope);
  const text = f.q?.trim();
  if (text) {
    const pattern = `%${text.replace(/[\\%_]/g, '\\$&')}%`;
    q = q.where((eb) => eb.or([eb('u.username', 'ilike', pattern), eb('u.display_name', 'ilike', pattern)]));
  }
  const [rows, count] = await Promise.all([
    q
      .select(USER_COLUMNS)
      .orderBy(sql`lower(u.username)`)
      .orderBy('u.id')
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export async function findUserIdByUsername(db: Kysely<DB>, username: string): Promise<string | null> {
  const row = await db
    .selectFrom('app_user')
    .select('id')
    .where(sql`lower(username)`, '=', username.toLowerCase())
    .executeTakeFirst();
  return row?.id ?? null;
}

export interface BindingRow {
  id: string;
  user_id: string;
  role: string;
  scope_type: ScopeType;
  scope_code: string;
  scope_path: string | null;
  org_path: string | null;
}

export async function bindingsOf(db: Kysely<DB>, userIds: string[]): Promise<BindingRow[]> {
  if (!userIds.length) return [];
  return db
    .selectFrom('role_binding')
    .select([
      'id',
      'user_id',
      'role',
      'scope_type',
      'scope_code',
      sql<string | null>`scope_path::text`.as('scope_path'),
      sql<string | null>`org_path::text`.as('org_path'),
    ])
    .where('user_id', 'in', userIds)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Serialises changes to one user's roles, so two concurrent grants cannot both pass 三员分立. */
export async function lockUserRow(db: Kysely<DB>, id: string): Promise<boolean> {
  const row = await db.selectFrom('app_user').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
  return row !== undefined;
}

/** Inserts unless the username is taken (case-insensitively); returns the new id or null. */
export async function insertUser(
  db: Kysely<DB>,
  u: { username: string; displayName: string; passwordHash: string; totpRequired: boolean },
): Promise<string | null> {
  const row = await db
    .insertInto('app_user')
    .values({
      username: u.username,
      display_name: u.displayName,
      password_hash: u.passwordHash,
      must_change_password: true,
      totp_required: u.totpRequired,
    })
    .onConflict((oc) => oc.expression(sql`lower(username)`).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

/** Inserts unless the same role is already bound at the same node; returns the id or null. */
export async function insertBinding(
  db: Kysely<DB>,
  b: {
    userId: string;
    role: string;
    scopeType: ScopeType;
    scopeCode: string;
    scopePath: string | null;
    orgPath: string | null;
    createdBy: string;
  },
): Promise<string | null> {
  const row = await db
    .insertInto('role_binding')
    .values({
      user_id: b.userId,
      role: b.role,
      scope_type: b.scopeType,
      scope_code: b.scopeCode,
      scope_path: b.scopePath,
      org_path: b.orgPath,
      created_by: b.createdBy,
    })
    .onConflict((oc) => oc.columns(['user_id', 'role', 'scope_type', 'scope_code']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function deleteBinding(db: Kysely<DB>, userId: string, bindingId: string): Promise<boolean> {
  const r = await db.deleteFrom('role_binding').where('id', '=', bindingId).where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Optimistic update: applies only at the version the caller saw; returns the new version or null. */
export async function updateUser(
  db: Kysely<DB>,
  id: string,
  version: number,
  patch: { displayName?: string; disabled?: boolean; totpRequired?: boolean },
): Promise<number | null> {
  const row = await db
    .updateTable('app_user')
    .set({
      ...(patch.displayName !== undefined ? { display_name: patch.displayName } : {}),
      ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}),
      ...(patch.totpRequired !== undefined ? { totp_required: patch.totpRequired } : {}),
      updated_at: new Date(),
      version: sql`version + 1`,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .returning('version')
    .executeTakeFirst();
  return row?.version ?? null;
}

export async function currentVersion(db: Kysely<DB>, id: string): Promise<number | null> {
  const row = await db.selectFrom('app_user').select('version').where('id', '=', id).executeTakeFirst();
  return row?.version ?? null;
}

export async function clearLock(db: Kysely<DB>, id: string) {
  await db
    .updateTable('app_user')
    .set({ locked_until: null, failed_logins: 0, updated_at: new Date(), version: sql`version + 1` })
    .where('id', '=', id)
    .execute();
}

export async function findOrg(db: Kysely<DB>, id: string) {
  return db
    .selectFrom('org')
    .select([
      'id',
      'name',
      'territory_code',
      sql<string>`territory_path::text`.as('territory_path'),
      sql<string>`org_path::text`.as('org_path'),
    ])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function orgNames(db: Kysely<DB>, ids: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!ids.length) return out;
  const rows = await db.selectFrom('org').select(['id', 'name']).where('id', 'in', ids).execute();
  for (const r of rows) out.set(r.id, r.name);
  return out;
}
