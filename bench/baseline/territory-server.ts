/**
 * Baseline for the territory reads: a bare Fastify server with hand-written SQL on the raw driver
 * (pg, or PGlite in-process like Gongzhi's default), answering the same URLs with the same JSON
 * shape. No sign-in, no scope, no Kysely, no response schema: the fastest thing doing the same
 * work on the same data. It serves division-level nodes, a community's grids and subtree counts,
 * which is what the scenario asks for.
 *
 * Run: node --import tsx bench/baseline/territory-server.ts
 * Env: PORT; BENCH_DATABASE_URL (PostgreSQL) or BENCH_PGLITE_DIR (a PGlite data directory).
 */
import Fastify from 'fastify';
import { connect } from './connect.ts';

interface PathItem {
  code: string;
  name: string;
  level: string;
}

// The names along a path: its labels are the codes themselves.
const ANCESTORS = `coalesce((select json_agg(json_build_object('code', a.code, 'name', a.name, 'level', a.level) order by nlevel(a.path))
  from division a where a.code = any(string_to_array(n.path::text, '.'))), '[]'::json)`;

const NODE_SQL = `
  select n.code, n.name, n.level, n.parent_code as "parentCode", null::int as version,
    case when n.level = 'community' then (select count(*)::int from grid g where g.community_code = n.code)
         else (select count(*)::int from division c where c.parent_code = n.code) end as "childCount",
    ${ANCESTORS} as path
  from division n where n.code = $1`;

const GRIDS_SQL = `
  with parent as (select ${ANCESTORS} as path from division n where n.code = $2)
  select g.code, g.name, g.community_code as "parentCode", g.version, parent.path as "parentPath",
    (select count(*)::int from building b where b.district_code = g.district_code and b.grid_code = g.code) as "childCount"
  from grid g cross join parent
  where g.district_code = $1 and g.community_code = $2
  order by g.code`;

const STATS_SQL = `
  with p as (select path from division where code = $1)
  select
    (select count(*)::int from division d where d.level = 'street' and d.path <@ p.path) as streets,
    (select count(*)::int from division d where d.level = 'community' and d.path <@ p.path) as communities,
    (select count(*)::int from grid g where g.path <@ p.path) as grids,
    (select count(*)::int from building b where b.path <@ p.path) as buildings,
    (select count(*)::int from house h where h.path <@ p.path) as houses
  from p`;

const db = await connect();
const app = Fastify({ logger: false });

app.get('/api/health', async () => ({ status: 'ok' }));

app.get<{ Params: { code: string } }>('/api/territory/:code', async (req, reply) => {
  const [node] = await db.query(NODE_SQL, [req.params.code]);
  return node ?? reply.status(404).send({ error: { code: 'NOT_FOUND' } });
});

app.get<{ Params: { code: string } }>('/api/territory/:code/children', async (req) => {
  const code = req.params.code;
  const rows = await db.query<PathItem & { parentCode: string; parentPath: PathItem[]; childCount: number; version: number }>(GRIDS_SQL, [
    code.slice(0, 6),
    code,
  ]);
  return {
    items: rows.map((r) => ({
      code: r.code,
      name: r.name,
      level: 'grid',
      parentCode: r.parentCode,
      path: [...r.parentPath, { code: r.code, name: r.name, level: 'grid' }],
      childCount: r.childCount,
      version: r.version,
    })),
  };
});

app.get<{ Params: { code: string } }>('/api/territory/:code/stats', async (req, reply) => {
  const [counts] = await db.query<Record<string, number>>(STATS_SQL, [req.params.code]);
  return counts ? { code: req.params.code, ...counts } : reply.status(404).send({ error: { code: 'NOT_FOUND' } });
});

const shutdown = async () => {
  await app.close();
  await db.close();
  process.exit(0);
};
process.once('SIGTERM', () => void shutdown());
process.once('SIGINT', () => void shutdown());

await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
