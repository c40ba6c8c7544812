import pg from 'pg';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './connection.ts';

// A PostgreSQL restart or an administrator ending idle connections must not crash the server.
describe.skipIf(!process.env.DATABASE_URL)('PostgreSQL connection pool', () => {
  it('survives the server ending its idle connections, and answers the next query', async () => {
    const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL! });
    try {
      const pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(database.db)).rows[0].pid;
      const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await admin.connect();
      await admin.query('select pg_terminate_backend($1)', [pid]);
      await admin.end();
      await new Promise((r) => setTimeout(r, 200)); // the pool sees the idle connection end
      const r = await sql<{ one: number }>`select 1 as one`.execute(database.db);
      expect(r.rows[0].one).toBe(1);
    } finally {
      await database.close();
    }
  });

  it('opens its connections without JIT and under the name gongzhi', async () => {
    const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL! });
    try {
      const r = await sql<{
        jit: string;
        app: string;
      }>`select current_setting('jit') as jit, current_setting('application_name') as app`.execute(database.db);
      expect(r.rows[0]).toEqual({ jit: 'off', app: 'gongzhi' });
    } finally {
      await database.close();
    }
  });
});
