import type { Actor, AppContext } from '../../server/core/context.ts';
import { permissionsOf, scopeFor } from '../../server/core/permissions.ts';
import { bindingsOf, findUserByUsername } from '../../server/core/auth/store.ts';

/**
 * A real user as the services see them after sign-in: their role bindings read from the database,
 * permissions and scopes derived exactly as the auth service does (server/core/auth/service.ts).
 * For measuring services in-process where no HTTP route exists yet.
 */
export async function actorOf(ctx: AppContext, username: string): Promise<Actor> {
  const user = await findUserByUsername(ctx.db, username);
  if (!user) throw new Error(`no user named ${username} (seed the demo first)`);
  const bindings = (await bindingsOf(ctx.db, user.id)).map(({ role, scopeType, scopePath, orgPath }) => ({
    role,
    scopeType,
    scopePath,
    orgPath,
  }));
  const permissions = permissionsOf(bindings);
  return {
    userId: user.id,
    username: user.username,
    displayName: user.display_name,
    bindings,
    permissions,
    via: 'session',
    sessionId: null,
    ip: '127.0.0.1',
    can: (p) => permissions.has(p),
    scope: (p) => scopeFor(bindings, p),
  };
}
