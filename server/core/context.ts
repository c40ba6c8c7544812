import type { Kysely } from 'kysely';
import type { DB } from '../db/types.ts';
import type { DbKind } from '../db/connection.ts';
import type { Config } from './config.ts';
import type { Keyring } from './crypto.ts';
import type { LiveBus } from './live.ts';
import type { Binding, Permission, Scope } from './permissions.ts';

/** What every service receives: the database and the installation's settings and keys. */
export interface AppContext {
  db: Kysely<DB>;
  dbKind: DbKind;
  config: Config;
  keyring: Keyring;
  /** Changes announced by any app instance (LISTEN/NOTIFY); absent in CLI commands and most tests. */
  live?: LiveBus;
}

/** The authenticated caller, as the stores see it: who, from where, and how far their reach goes. */
export interface Actor {
  userId: string;
  username: string;
  displayName: string;
  bindings: Binding[];
  permissions: Set<Permission>;
  via: 'session' | 'token';
  sessionId: string | null;
  ip: string | null;
  can(permission: Permission): boolean;
  scope(permission: Permission): Scope;
}

/**
 * The installation itself acting (the `gongzhi` command run by an operator on the server):
 * global reach on every permission, audited under the name `cli:<os user>`.
 */
export function systemActor(name = `cli:${process.env.USER ?? 'operator'}`): Actor {
  return {
    userId: '00000000-0000-0000-0000-000000000000',
    username: name,
    displayName: name,
    bindings: [],
    permissions: new Set(),
    via: 'token',
    sessionId: null,
    ip: null,
    can: () => true,
    scope: () => ({ all: true }),
  };
}
