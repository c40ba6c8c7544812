/**
 * Baseline for casting ballots (issue 7): a bare Fastify route doing one INSERT into
 * `delib_ballot` with the raw driver — no sign-in, no eligibility, no window check, no counted
 * person, no audit. The house comes in the body. The least a stored ballot costs on this database.
 *
 * Run: node --import tsx bench/baseline/ballot-insert-server.ts
 * Env: PORT; BENCH_DATABASE_URL (PostgreSQL) or BENCH_PGLITE_DIR (a PGlite data directory).
 */
import crypto from 'node:crypto';
import Fastify from 'fastify';
import { connect } from './connect.ts';

const { query } = await connect();
const app = Fastify();
app.post<{ Params: { id: string }; Body: { houseCode: string; choice: string } }>(
  '/api/deliberation/votes/:id/ballots',
  async (req, reply) => {
    const { houseCode, choice } = req.body;
    const receipt = crypto.randomBytes(5).toString('hex').toUpperCase();
    await query(
      `insert into delib_ballot (district_code, vote_id, voter_key, house_code, channel, choice, receipt)
     values ($1, $2, $3, $4, 'online', $5, $6)`,
      [houseCode.slice(0, 6), req.params.id, `house:${houseCode}`, houseCode, choice, receipt],
    );
    return reply.status(201).send({ receipt });
  },
);
app.get('/api/health', async () => ({ status: 'ok' }));
await app.listen({ port: Number(process.env.PORT ?? 3001), host: '127.0.0.1' });
