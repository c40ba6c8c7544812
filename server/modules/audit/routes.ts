import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../core/context.ts';
import { requireActor, requirePermission } from '../../core/auth/hook.ts';
import * as service from './service.ts';

const Filter = {
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  actor: Type.Optional(Type.String({ maxLength: 64 })),
  action: Type.Optional(Type.String({ maxLength: 64 })),
  outcome: Type.Optional(Type.Union([Type.Literal('success'), Type.Literal('failure'), Type.Literal('denied')])),
  q: Type.Optional(Type.String({ maxLength: 100 })),
};

const AuditRow = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  actorId: Type.Union([Type.String(), Type.Null()]),
  actorName: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  outcome: Type.String(),
  targetType: Type.Union([Type.String(), Type.Null()]),
  targetId: Type.Union([Type.String(), Type.Null()]),
  placeCode: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  details: Type.Record(Type.String(), Type.Unknown()),
  /** Position in the hash chain; null for a moment after the write, until the sealer chains it. */
  seq: Type.Union([Type.Integer(), Type.Null()]),
  hash: Type.Union([Type.String(), Type.Null()]),
});

export const auditRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const guard = { preHandler: requirePermission('audit.read') };
  const tags = ['audit'];

  app.get(
    '/api/audit',
    {
      ...guard,
      schema: {
        tags,
        summary: 'Search the audit log (审计日志)',
        querystring: Type.Object({
          ...Filter,
          page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
          pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(AuditRow), total: Type.Integer() }) },
      },
    },
    async (req) => {
      const { page = 1, pageSize = 50, ...f } = req.query;
      return service.search(ctx, f, page, pageSize);
    },
  );

  app.get(
    '/api/audit/export',
    { ...guard, schema: { tags, summary: 'Export matching rows as CSV', querystring: Type.Object(Filter) } },
    async (req, reply) => {
      const stamp = new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '');
      reply.header('content-type', 'text/csv; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="audit-${stamp}.csv"`);
      return reply.send(Readable.from(service.exportCsv(ctx, requireActor(req), req.query)));
    },
  );

  app.get(
    '/api/audit/verify',
    {
      ...guard,
      schema: {
        tags,
        summary: 'Verify the hash chain',
        response: {
          200: Type.Object({
            ok: Type.Boolean(),
            checked: Type.Integer(),
            brokenAt: Type.Union([Type.Integer(), Type.Null()]),
            reason: Type.Union([Type.String(), Type.Null()]),
          }),
        },
      },
    },
    async (req) => service.verify(ctx, requireActor(req)),
  );
};
