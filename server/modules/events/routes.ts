import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import type { Permission } from '../../core/permissions.ts';
import { requireActor, requirePermission } from '../../core/auth/hook.ts';
import { StringEnum } from '../../core/schema.ts';
import * as service from './service.ts';
import * as store from './store.ts';
import { ActionBody, CategoryView, Duplicate, EventDetail, EventView, ReportBody } from './schemas.ts';
import { ACTIONS, LEVELS } from './state-machine.ts';
import { inboxRoutes } from './inbox-routes.ts';
import { measureRoutes } from './measures-routes.ts';
import { dashboardLiveRoutes } from './dashboard-live.ts';
import { import12345, importTemplate } from './import.ts';
import { mediationRoutes } from './mediation-routes.ts';
import { categoryRoutes } from './category-routes.ts';

/** HTTP of the events module: schemas in and out, the rules are in service.ts and actions.ts. */

export function requireAnyPermission(...perms: Permission[]) {
  return async (request: FastifyRequest) => {
    const actor = requireActor(request);
    if (!perms.some((p) => actor.can(p))) throw new AppError('FORBIDDEN', { permission: perms.join('|') });
  };
}

export const eventRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const tags = ['events'];
  await app.register(inboxRoutes, { ctx });
  await app.register(measureRoutes, { ctx });
  await app.register(dashboardLiveRoutes, { ctx });
  await app.register(mediationRoutes, { ctx });
  await app.register(categoryRoutes, { ctx });
  const readers = requireAnyPermission('event.read', 'event.report');

  app.get(
    '/api/events/categories',
    {
      preHandler: readers,
      schema: {
        tags,
        summary: 'Event categories (事件分类) with time limits',
        response: { 200: Type.Object({ items: Type.Array(CategoryView) }) },
      },
    },
    async () => ({ items: await service.categories(ctx) }),
  );

  app.patch(
    '/api/events/categories/:code',
    {
      preHandler: requirePermission('event.configure'),
      schema: {
        tags,
        summary: 'Change a category: closing level, time limits, departments, photo and anonymity rules',
        params: Type.Object({ code: Type.String({ maxLength: 40 }) }),
        body: Type.Object(
          {
            version: Type.Integer({ minimum: 1 }),
            name: Type.Optional(Type.String({ minLength: 2, maxLength: 40 })),
            closingLevel: Type.Optional(StringEnum(LEVELS)),
            acceptHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 240 })),
            respondHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 240 })),
            handleDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 90 })),
            departments: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 10 })),
            photoRequired: Type.Optional(Type.Boolean()),
            anonymousAllowed: Type.Optional(Type.Boolean()),
            autoEscalate: Type.Optional(Type.Boolean()),
            active: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 200: CategoryView },
      },
    },
    async (req) => service.updateCategory(ctx, requireActor(req), req.params.code, req.body),
  );

  app.get(
    '/api/events',
    {
      preHandler: readers,
      schema: {
        tags,
        summary: 'Events I may see; box=todo|due_soon|overdue|watched|mine|all',
        querystring: Type.Object({
          box: Type.Optional(StringEnum(['todo', 'due_soon', 'overdue', 'watched', 'mine', 'all'] as const)),
          state: Type.Optional(Type.String({ maxLength: 200 })),
          categoryCode: Type.Optional(Type.String({ maxLength: 40 })),
          placeCode: Type.Optional(Type.String({ maxLength: 24 })),
          q: Type.Optional(Type.String({ maxLength: 60 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
          offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(EventView) }) },
      },
    },
    async (req) => service.list(ctx, requireActor(req), req.query),
  );

  app.post(
    '/api/events',
    {
      preHandler: requirePermission('event.report'),
      bodyLimit: 40 * 1024 * 1024,
      schema: {
        tags,
        summary: 'Report an event (grid patrol, hotline entry, resident on the web); offers open duplicates nearby',
        body: ReportBody,
        response: { '2xx': Type.Object({ event: EventDetail, duplicates: Type.Array(Duplicate), replayed: Type.Boolean() }) },
      },
    },
    async (req, reply) => {
      const r = await service.report(ctx, requireActor(req), req.body);
      return reply.status(r.replayed ? 200 : 201).send({
        ...r,
        duplicates: r.duplicates.map((d) => ({
          id: d.id,
          number: d.number,
          title: d.title,
          state: d.state,
          address: d.address,
          reportedAt: new Date(d.reported_at).toISOString(),
          distance: Math.round(Number(d.distance)),
        })),
      });
    },
  );

  app.get(
    '/api/events/track/:number',
    {
      preHandler: readers,
      schema: {
        tags,
        summary: 'Follow an event by its tracking number (only events I may see: a resident, only my own)',
        params: Type.Object({ number: Type.String({ maxLength: 20 }) }),
        response: { 200: EventDetail },
      },
    },
    async (req) => service.track(ctx, requireActor(req), req.params.number),
  );

  app.get(
    '/api/events/:id',
    {
      preHandler: readers,
      schema: {
        tags,
        summary: 'One event with its timeline and the actions I may take',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: EventDetail },
      },
    },
    async (req) => service.get(ctx, requireActor(req), req.params.id),
  );

  app.post(
    '/api/events/:id/actions/:action',
    {
      preHandler: readers,
      bodyLimit: 40 * 1024 * 1024,
      schema: {
        tags,
        summary: 'Take a step of the closed loop. 409 EVENT_ACTION_NOT_ALLOWED answers with the current state and the allowed actions',
        params: Type.Object({ id: Type.String({ format: 'uuid' }), action: StringEnum(ACTIONS) }),
        body: ActionBody,
        response: { 200: EventDetail },
      },
    },
    async (req) => service.act(ctx, requireActor(req), req.params.id, req.params.action, req.body),
  );

  app.get(
    '/api/events/:id/attachments/:attachmentId',
    {
      preHandler: readers,
      schema: {
        tags,
        summary: 'A photo (metadata stripped); `size=thumb`: a JPEG of at most 320 px (the photo itself when it has none)',
        params: Type.Object({ id: Type.String({ format: 'uuid' }), attachmentId: Type.String({ format: 'uuid' }) }),
        querystring: Type.Object({ size: Type.Optional(Type.Literal('thumb')) }, { additionalProperties: false }),
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const row = await store.findVisibleEvent(ctx.db, store.visibilityOf(actor), req.params.id);
      if (!row) throw new AppError('EVENT_NOT_FOUND', { id: req.params.id });
      const thumb = req.query.size === 'thumb';
      const a = await store.findAttachment(ctx.db, row.district_code, row.id, req.params.attachmentId, thumb);
      if (!a) throw new AppError('NOT_FOUND', { attachmentId: req.params.attachmentId });
      const mime = thumb && a.has_thumb ? 'image/jpeg' : a.mime;
      return reply.type(mime).header('cache-control', 'private, max-age=3600').send(Buffer.from(a.bytes));
    },
  );

  app.post(
    '/api/events/import',
    {
      preHandler: requirePermission('event.supervise'),
      bodyLimit: 40 * 1024 * 1024,
      schema: {
        tags,
        summary: 'Import 12345 work orders from .xlsx: every bad row is reported; commit nothing or exactly the good rows',
        body: Type.Object(
          {
            file: Type.String({ maxLength: 40_000_000, description: 'the .xlsx file, base64' }),
            mode: StringEnum(['all_or_nothing', 'good_rows'] as const),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            rows: Type.Integer(),
            imported: Type.Integer(),
            committed: Type.Boolean(),
            numbers: Type.Array(Type.String()),
            problems: Type.Array(Type.Object({ row: Type.Integer(), problems: Type.Array(Type.String()) })),
          }),
        },
      },
    },
    async (req) => import12345(ctx, requireActor(req), Buffer.from(req.body.file, 'base64'), req.body.mode),
  );

  app.get(
    '/api/events/import/template.xlsx',
    { preHandler: requirePermission('event.supervise'), schema: { tags, summary: 'The 12345 import template' } },
    async (_req, reply) =>
      reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', 'attachment; filename="12345-import-template.xlsx"')
        .send(await importTemplate()),
  );

  app.get(
    '/api/events/departments/:districtCode',
    {
      preHandler: requireAnyPermission('event.dispatch', 'event.supervise'),
      schema: {
        tags,
        summary: 'Departments of a district a street may whistle to',
        params: Type.Object({ districtCode: Type.String({ pattern: '^[0-9]{6}$' }) }),
        response: { 200: Type.Object({ items: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), key: Type.String() })) }) },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const scope = actor.scope('event.read');
      if (!scope.all && !scope.territoryPaths.some((p) => p.split('.').includes(req.params.districtCode)))
        throw new AppError('OUT_OF_SCOPE', { districtCode: req.params.districtCode });
      const rows = await store.departmentsOf(ctx.db, req.params.districtCode);
      return { items: rows.map((d) => ({ id: d.id, name: d.name, key: d.seed_key?.split(':').pop() ?? '' })) };
    },
  );
};
