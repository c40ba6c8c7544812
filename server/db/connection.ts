import fs from 'node:fs';
import path from 'node:path';
import { Kysely, Migrator, PostgresDialect, type MigrationResultSet } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { PGlite } from '@electric-sql/pglite';
import { ltree } from '@electric-sql/pglite/contrib/ltree';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import pg from 'pg';
import type { DB } from './types.ts';
import { migrations } from './migrations/index.ts';

export type DbKind = 'pglite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  kind: DbKind;
  /** The PGlite instance (for dumps); null on PostgreSQL. */
  pglite: PGlite | null;
  /** Runs a multi-statement SQL script outside the extended protocol. */
  exec(sqlText: string): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres://… selects PostgreSQL; otherwise PGlite. */
  databaseUrl?: string | null;
  /** PGlite data directory, or 'memory' for an in-memory database (tests). */
  pgliteDir?: string;
  /** Start an in-memory PGlite from a dumped data directory (test templates). */
  pgliteLoad?: Blob;
}

const INT8_OID = 20;

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl);
  return openPglite(opts.pgliteDir ?? 'memory', opts.pgliteLoad);
}

async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: Number(process.env.GONGZHI_DB_POOL ?? 10),
    application_name: 'gongzhi',
    // No JIT (DECISIONS D43): compiling a plan costs tens of milliseconds of CPU, which an OLTP
    // statement never earns back. With it on, the rollup folder's statement alone (estimated
    // above jit_above_cost because its temp table has no statistics) took half of PostgreSQL's
    // CPU under filing load.
    options: '-c jit=off',
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection the server ends (a PostgreSQL restart, a failover, an administrator) must not
  // take the whole process down: the pool drops it and opens a fresh one on the next query.
  pool.on('error', (err) => {
    process.emitWarning(`PostgreSQL closed an idle connection: ${err.message}`, { code: 'GONGZHI_DB_IDLE_ERROR' });
  });
  // Fail fast with a clear message when the server is not there.
  const client = await pool.connect();
  client.release();
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  const exec = async (text: string) => {
    await pool.query(text);
  };
  // Kysely ends the pool only if it ever ran a query; the pool itself holds the probe's connection.
  const close = async () => {
    await db.destroy();
    if (!pool.ended) await pool.end();
  };
  return { db, kind: 'postgres', pglite: null, exec, close };
}

async function openPglite(dir: string, load?: Blob): Promise<Database> {
  let dataDir: string | undefined;
  if (dir !== 'memory') {
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    dataDir = dir;
  }
  const client = await PGlite.create(dataDir ?? 'memory://', {
    extensions: { ltree, pg_trgm },
    ...(load ? { loadDataDir: load } : {}),
    parsers: { [INT8_OID]: (v: string) => Number(v) },
  });
  const db = new Kysely<DB>({ dialect: new PGliteDialect(client) });
  const exec = async (text: string) => {
    await client.exec(text);
  };
  return {
    db,
    kind: 'pglite',
    pglite: client,
    exec,
    close: async () => {
      await db.destroy();
      if (!client.closed) await client.close();
    },
  };
}

export async function migrateToLatest(db: Kysely<DB>): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    // Modules add migrations in parallel (several 0007_*): a database that ran one module's before
    // another's landed must still take the other; they are independent by rule (DECISIONS D39).
    allowUnorderedMigrations: true,
  });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error;
  return result;
}
