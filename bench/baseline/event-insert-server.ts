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
import { connect } from './connect.ts';

const { query } = await connect();
const app = Fastify();
app.post<{ Body: { categoryCode: string; title: string; placeCode: string; description?: string } }>('/api/events', async (req, reply) => {
  const b = req.body;
  const number = `SJ${crypto.randomBytes(6).toString('hex').toUpperCase()}`;
  await query(
    `insert into event (district_code, number, category_code, title, description, source, state, level, origin_level, place_code, place_path)
     values ($1, $2, $3, $4, $5, 'web', 'reported', 'grid', 'grid', $6, (select path from grid where code = left($6, 15)))`,
    [b.placeCode.slice(0, 6), number, b.categoryCode, b.title, b.description ?? '', b.placeCode],
  );
  return reply.status(201).send({ number });
});
app.get('/api/health', async () => ({ status: 'ok' }));
await app.listen({ port: Number(process.env.PORT ?? 3001), host: '127.0.0.1' });
