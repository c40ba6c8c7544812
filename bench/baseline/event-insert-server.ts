/**
 * Baseline for event filing (issue 4): a bare Fastify route doing one INSERT into `event` with the
 * raw driver — no sign-in, no validation beyond JSON, no scope, no timeline, audit, deadline or
 * notification. The fastest thing that stores a reported event on the same database.
 *
 * Run: node --import tsx bench/baseline/event-insert-server.ts
 * Env: PORT; BENCH_DATABASE_URL (PostgreSQL) or BENCH_PGLITE_DIR (a PGlite data directory).
 */
import crypto from 'node:crypto';
import Fastify from 'fastify';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { ltree } from '@electric-sql/pglite/contrib/ltree';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';

type Exec = (text: string, params: unknown[]) => Promise<unknown>;

async function connect(): Promise<Exec> {
  const url = process.env.BENCH_DATABASE_URL;
  if (url) {
    const pool = new pg.Pool({ connectionString: url, max: Number(process.env.GONGZHI_DB_POOL ?? 10) });
    return (t, p) => pool.query(t, p);
  }
  const dir = process.env.BENCH_PGLITE_DIR;
  if (!dir) throw new Error('set BENCH_DATABASE_URL or BENCH_PGLITE_DIR');
  const db = await PGlite.create(dir, { extensions: { ltree, pg_trgm } });
  return (t, p) => db.query(t, p);
}

const exec = await connect();
const app = Fastify();
app.post<{ Body: { categoryCode: string; title: string; placeCode: string; description?: string } }>('/api/events', async (req, reply) => {
  const b = req.body;
  const number = `SJ${crypto.randomBytes(6).toString('hex').toUpperCase()}`;
  await exec(
    `insert into event (district_code, number, category_code, title, description, source, state, level, origin_level, place_code, place_path)
     values ($1, $2, $3, $4, $5, 'web', 'reported', 'grid', 'grid', $6, (select path from grid where code = left($6, 15)))`,
    [b.placeCode.slice(0, 6), number, b.categoryCode, b.title, b.description ?? '', b.placeCode],
  );
  return reply.status(201).send({ number });
});
app.get('/api/health', async () => ({ status: 'ok' }));
await app.listen({ port: Number(process.env.PORT ?? 3001), host: '127.0.0.1' });
