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
app.post<{ Params: { id: string }; Body: { houseCode: string; choice: string } }>(
  '/api/deliberation/votes/:id/ballots',
  async (req, reply) => {
    const { houseCode, choice } = req.body;
    const receipt = crypto.randomBytes(5).toString('hex').toUpperCase();
    await exec(
      `insert into delib_ballot (district_code, vote_id, voter_key, house_code, channel, choice, receipt)
     values ($1, $2, $3, $4, 'online', $5, $6)`,
      [houseCode.slice(0, 6), req.params.id, `house:${houseCode}`, houseCode, choice, receipt],
    );
    return reply.status(201).send({ receipt });
  },
);
app.get('/api/health', async () => ({ status: 'ok' }));
await app.listen({ port: Number(process.env.PORT ?? 3001), host: '127.0.0.1' });
