import fs from 'node:fs';
import crypto from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { openDatabase, type Database } from '../db/connection.ts';
import { loadConfig, type Config } from '../core/config.ts';
import { createKeyring } from '../core/crypto.ts';
import type { AppContext } from '../core/context.ts';
import { buildApp } from '../app.ts';
import { TEST_PASSWORD, TEST_SECRET } from './constants.ts';
import { withDatabase } from './global-setup.ts';

export type Engine = 'pglite' | 'postgres';

/** Every API test runs on PGlite, and on PostgreSQL as well when DATABASE_URL is set (CI). */
export const ENGINES: Engine[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export interface TestContext {
  ctx: AppContext;
  database: Database;
  close(): Promise<void>;
}

/** A private copy of the demo-seeded template database. */
export async function createTestContext(engine: Engine, overrides: Partial<Config> = {}): Promise<TestContext> {
  const config: Config = { ...loadConfig({}), secretKey: TEST_SECRET, demoPassword: TEST_PASSWORD, loginRateLimit: 10_000, ...overrides };
  const keyring = createKeyring(Buffer.from(TEST_SECRET, 'base64'));
  if (engine === 'pglite') {
    const file = inject('pgliteTemplate');
    const database = await openDatabase({ pgliteDir: 'memory', pgliteLoad: new Blob([fs.readFileSync(file)]) });
    return { ctx: { db: database.db, dbKind: 'pglite', config, keyring }, database, close: () => database.close() };
  }
  const url = process.env.DATABASE_URL!;
  const name = `gz_t_${crypto.randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name} template ${inject('pgTemplate')}`);
  await admin.end();
  const database = await openDatabase({ databaseUrl: withDatabase(url, name) });
  return {
    ctx: { db: database.db, dbKind: 'postgres', config: { ...config, databaseUrl: withDatabase(url, name) }, keyring },
    database,
    close: async () => {
      await database.close();
      const a = new pg.Client({ connectionString: url });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

export interface TestApp extends TestContext {
  app: FastifyInstance;
  /** Signs in through the API and returns a client that sends the cookie and CSRF token. */
  login(username: string, password?: string, totpCode?: string): Promise<Client>;
  anonymous: Client;
}

export async function createTestApp(engine: Engine, overrides: Partial<Config> = {}): Promise<TestApp> {
  const tc = await createTestContext(engine, overrides);
  const app = await buildApp(tc.ctx);
  await app.ready();
  const anonymous = new Client(app, null, null);
  return {
    ...tc,
    app,
    anonymous,
    async login(username, password = TEST_PASSWORD, totpCode) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username, password, ...(totpCode ? { totpCode } : {}) },
      });
      if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
      const cookie = res.cookies.find((c) => c.name === 'gz_session');
      return new Client(app, cookie ? `gz_session=${cookie.value}` : null, res.json().csrfToken);
    },
    close: async () => {
      await app.close();
      await tc.close();
    },
  };
}

export class Client {
  constructor(
    readonly app: FastifyInstance,
    readonly cookie: string | null,
    readonly csrf: string | null,
  ) {}

  request(method: InjectOptions['method'], url: string, payload?: unknown, headers: Record<string, string> = {}) {
    const h: Record<string, string> = { ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (this.csrf && method !== 'GET' && !('x-csrf-token' in headers)) h['x-csrf-token'] = this.csrf;
    return this.app.inject({ method, url, headers: h, ...(payload !== undefined ? { payload: payload as InjectOptions['payload'] } : {}) });
  }
  get(url: string, headers?: Record<string, string>) {
    return this.request('GET', url, undefined, headers);
  }
  post(url: string, payload?: unknown, headers?: Record<string, string>) {
    return this.request('POST', url, payload ?? {}, headers);
  }
  patch(url: string, payload: unknown, headers?: Record<string, string>) {
    return this.request('PATCH', url, payload, headers);
  }
  put(url: string, payload: unknown, headers?: Record<string, string>) {
    return this.request('PUT', url, payload, headers);
  }
  delete(url: string, headers?: Record<string, string>) {
    return this.request('DELETE', url, undefined, headers);
  }
}

/** The phone (in clear) of the registry person linked to a demo account, for lookups a worker makes by phone. */
export async function phoneOfAccount(t: TestContext, username: string): Promise<string> {
  const row = await t.ctx.db
    .selectFrom('person as p')
    .innerJoin('app_user as u', 'u.id', 'p.user_id')
    .select('p.phone_enc')
    .where('u.username', '=', username)
    .executeTakeFirst();
  if (!row?.phone_enc) throw new Error(`no person with a phone is linked to ${username}`);
  return t.ctx.keyring.decrypt(row.phone_enc);
}
