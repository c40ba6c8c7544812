import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { pathInScope } from '../../core/permissions.ts';
import { requireActor, requirePermission } from '../../core/auth/hook.ts';
import { parseTerritoryCode } from '../territory/codes.ts';
import * as territoryStore from '../territory/store.ts';
import { eventStats, type EventStats } from './measures.ts';

/** Measures (E4) and the command dashboard's map: JSON, and the same figures as .xlsx. */

const rate = (description: string) => Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], { description });
const Rate = rate('share 0–1; null when nothing to divide by');
const Hours = Type.Union([Type.Number(), Type.Null()]);

export const StatsView = Type.Object({
  scope: Type.String({ description: 'territory code of the node' }),
  from: Type.String(),
  to: Type.String(),
  total: Type.Integer({ description: 'events reported in the period under the node (merged duplicates excluded)' }),
  closed: Type.Integer(),
  open: Type.Integer(),
  openOverdue: Type.Integer({ description: 'still open and past their due time' }),
  supervised: Type.Integer({ description: 'supervised (督办) at least once' }),
  whistled: Type.Integer({ description: 'whistled (吹哨) to departments' }),
  split721: Type.Object(
    {
      grid: Rate,
      community: Rate,
      street: Rate,
      counts: Type.Object({ grid: Type.Integer(), community: Type.Integer(), street: Type.Integer() }),
    },
    { description: 'share of closed events closed at grid / community / street (target 70/20/10)' },
  ),
  closureRate: rate('closed ÷ reported (办结率)'),
  onTimeRate: rate('closed without ever running overdue ÷ closed (按期办结率)'),
  responseRate: rate('accepted ÷ reported (响应率)'),
  resolutionRate: rate('closed and not rated unsatisfied ÷ reported (解决率)'),
  satisfactionRate: rate('rated 4–5 ÷ rated (满意率)'),
  averageSatisfaction: Hours,
  averageAcceptHours: Hours,
  averageCloseHours: Hours,
  byState: Type.Array(Type.Object({ state: Type.String(), count: Type.Integer() })),
  byCategory: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), count: Type.Integer(), closed: Type.Integer() })),
  byArea: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      count: Type.Integer(),
      open: Type.Integer(),
      overdue: Type.Integer(),
      closureRate: Rate,
      onTimeRate: Rate,
      satisfactionRate: Rate,
    }),
    { description: 'one row per child of the node (streets, communities or grids)' },
  ),
  departments: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      whistled: Type.Integer(),
      responded: Type.Integer(),
      closed: Type.Integer(),
      averageResponseHours: Hours,
    }),
    { description: 'lead departments: whistles received, responses and their average time' },
  ),
  trend: Type.Object({
    bucket: Type.String({ description: 'day, week or month' }),
    points: Type.Array(Type.Object({ period: Type.String(), reported: Type.Integer(), closed: Type.Integer() })),
  }),
});

const StatsQuery = Type.Object({
  scope: Type.String({ maxLength: 15, description: 'territory code: district, street, community or grid' }),
  from: Type.Optional(Type.String({ format: 'date' })),
  to: Type.Optional(Type.String({ format: 'date', description: 'exclusive' })),
});

/** The node (scope-checked) and period of a measures request. */
export async function resolveStatsScope(ctx: AppContext, actor: Actor, q: { scope: string; from?: string; to?: string }) {
  const parsed = parseTerritoryCode(q.scope);
  if (!parsed || !['district', 'street', 'community', 'grid', 'city', 'province'].includes(parsed.level))
    throw new AppError('INVALID_CODE', { scope: q.scope });
  const node = await territoryStore.findNode(ctx.db, parsed.code, parsed.level, null);
  if (!node) throw new AppError('TERRITORY_NOT_FOUND', { scope: q.scope });
  if (!pathInScope(actor.scope('event.supervise'), node.path)) throw new AppError('OUT_OF_SCOPE', { scope: q.scope });
  const to = q.to ? new Date(`${q.to}T00:00:00+08:00`) : new Date();
  const from = q.from ? new Date(`${q.from}T00:00:00+08:00`) : new Date(to.getTime() - 365 * 86_400_000);
  if (!(from < to)) throw new AppError('VALIDATION_FAILED', { reason: 'from_before_to' });
  return { node, from, to };
}

export const measureRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const tags = ['events'];
  app.get(
    '/api/events/stats',
    {
      preHandler: requirePermission('event.supervise'),
      schema: {
        tags,
        summary: 'Measures of the closed loop for a territory node and period (721, closure, on-time, three rates)',
        querystring: StatsQuery,
        response: { 200: StatsView },
      },
    },
    async (req) => {
      const { node, from, to } = await resolveStatsScope(ctx, requireActor(req), req.query);
      return eventStats(ctx.db, { scopePath: node.path, scopeLevelDepth: node.path.split('.').length, from, to });
    },
  );

  app.get(
    '/api/events/stats.xlsx',
    {
      preHandler: requirePermission('event.supervise'),
      schema: { tags, summary: 'The same measures as an Excel workbook', querystring: StatsQuery },
    },
    async (req, reply) => {
      const { node, from, to } = await resolveStatsScope(ctx, requireActor(req), req.query);
      const s = await eventStats(ctx.db, { scopePath: node.path, scopeLevelDepth: node.path.split('.').length, from, to });
      const buf = await statsWorkbook(s, node.name);
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="event-stats-${node.code}.xlsx"`)
        .send(buf);
    },
  );

  app.get(
    '/api/events/map',
    {
      preHandler: requirePermission('event.supervise'),
      schema: {
        tags,
        summary: 'Grids under a node as GeoJSON rectangles with their open and overdue events (for the dashboard map)',
        querystring: Type.Object({ scope: Type.String({ maxLength: 15 }) }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const { node } = await resolveStatsScope(ctx, actor, { scope: req.query.scope });
      const rows = (
        await sql<{
          code: string;
          name: string;
          bounds: { west: number; south: number; east: number; north: number } | null;
          open: number;
          overdue: number;
        }>`
        select g.code, g.name, g.bounds,
          (select count(*)::int from event e where e.place_path <@ g.path and e.state not in ('closed','evaluated','merged')) as open,
          (select count(*)::int from event e where e.place_path <@ g.path and e.overdue and e.state not in ('closed','evaluated','merged')) as overdue
        from grid g where g.path <@ ${node.path}::ltree order by g.code limit 2000`.execute(ctx.db)
      ).rows;
      return {
        type: 'FeatureCollection',
        features: rows
          .filter((r) => r.bounds)
          .map((r) => {
            const b = r.bounds!;
            return {
              type: 'Feature',
              properties: { name: r.name, code: r.code, open: r.open, overdue: r.overdue },
              geometry: {
                type: 'Polygon',
                coordinates: [
                  [
                    [b.west, b.south],
                    [b.east, b.south],
                    [b.east, b.north],
                    [b.west, b.north],
                    [b.west, b.south],
                  ],
                ],
              },
            };
          }),
      };
    },
  );
};

const pct = (v: number | null) => (v === null ? '' : v);

export async function statsWorkbook(s: EventStats, placeName: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Gongzhi 共治';
  const sum = wb.addWorksheet('总览');
  sum.columns = [
    { header: '指标', key: 'k', width: 28 },
    { header: '数值', key: 'v', width: 16 },
  ];
  const rows: [string, number | string | null][] = [
    ['区域', placeName],
    ['统计起', s.from.slice(0, 10)],
    ['统计止', s.to.slice(0, 10)],
    ['事件总数', s.total],
    ['已办结', s.closed],
    ['未办结', s.open],
    ['超期未办结', s.openOverdue],
    ['督办', s.supervised],
    ['吹哨', s.whistled],
    ['网格办结占比', pct(s.split721.grid)],
    ['社区办结占比', pct(s.split721.community)],
    ['街道办结占比', pct(s.split721.street)],
    ['办结率', pct(s.closureRate)],
    ['按期办结率', pct(s.onTimeRate)],
    ['响应率', pct(s.responseRate)],
    ['解决率', pct(s.resolutionRate)],
    ['满意率', pct(s.satisfactionRate)],
    ['平均满意度', s.averageSatisfaction],
  ];
  for (const [k, v] of rows) sum.addRow({ k, v });
  for (let r = 11; r <= 18; r++) sum.getCell(`B${r}`).numFmt = '0.0%';
  const area = wb.addWorksheet('分区域');
  area.columns = [
    { header: '编码', key: 'code', width: 18 },
    { header: '名称', key: 'name', width: 24 },
    { header: '事件数', key: 'count', width: 10 },
    { header: '未办结', key: 'open', width: 10 },
    { header: '超期', key: 'overdue', width: 8 },
    { header: '办结率', key: 'closureRate', width: 10 },
    { header: '按期率', key: 'onTimeRate', width: 10 },
    { header: '满意率', key: 'satisfactionRate', width: 10 },
  ];
  for (const a of s.byArea) area.addRow(a);
  const cat = wb.addWorksheet('分类别');
  cat.columns = [
    { header: '分类', key: 'name', width: 20 },
    { header: '事件数', key: 'count', width: 10 },
    { header: '已办结', key: 'closed', width: 10 },
  ];
  for (const c of s.byCategory) cat.addRow(c);
  const dep = wb.addWorksheet('部门响应');
  dep.columns = [
    { header: '部门', key: 'name', width: 36 },
    { header: '吹哨', key: 'whistled', width: 8 },
    { header: '响应', key: 'responded', width: 8 },
    { header: '办结', key: 'closed', width: 8 },
    { header: '平均响应(小时)', key: 'averageResponseHours', width: 16 },
  ];
  for (const d of s.departments) dep.addRow(d);
  const trend = wb.addWorksheet('趋势');
  trend.columns = [
    { header: '时间', key: 'period', width: 14 },
    { header: '上报', key: 'reported', width: 10 },
    { header: '办结', key: 'closed', width: 10 },
  ];
  for (const p of s.trend.points) trend.addRow(p);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
