/**
 * The raw database connection of the bare baseline servers: the driver alone (pg, or PGlite
 * in-process like Gongzhi's default), no Kysely, the same pool size Gongzhi uses
 * (GONGZHI_DB_POOL, default 10), so a baseline costs only its own statements.
 * Env: BENCH_DATABASE_URL (PostgreSQL) or BENCH_PGLITE_DIR (a PGlite data directory).
 */
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { ltree } from '@electric-sql/pglite/contrib/ltree';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';

export type Rows = <T>(text: string, params: unknown[]) => Promise<T[]>;

export async function connect(): Promise<{ query: Rows; close(): Promise<void> }> {
  const url = process.env.BENCH_DATABASE_URL;
  if (url) {
    const pool = new pg.Pool({ connectionString: url, max: Number(process.env.GONGZHI_DB_POOL ?? 10) });
    return { query: async <T>(t: string, p: unknown[]) => (await pool.query(t, p)).rows as T[], close: () => pool.end() };
  }
  const dir = process.env.BENCH_PGLITE_DIR;
  if (!dir) throw new Error('set BENCH_DATABASE_URL or BENCH_PGLITE_DIR');
  const db = await PGlite.create(dir, { extensions: { ltree, pg_trgm } });
  return { query: async <T>(t: string, p: unknown[]) => (await db.query<T>(t, p)).rows, close: () => db.close() };
}
