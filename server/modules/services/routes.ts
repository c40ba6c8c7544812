import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../core/context.ts';
import { requireActor, requirePermission } from '../../core/auth/hook.ts';
import { StringEnum } from '../../core/schema.ts';
import * as catalogue from './catalogue.ts';
import * as applications from './applications.ts';
import * as window from './window.ts';
import { bookAppointment } from './appointments.ts';
import { certificateRoutes } from './certificate-routes.ts';
import { serviceMeasureRoutes } from './measures-routes.ts';
import { ActionBody, ApplicationState, ApplicationView, ApplyBody, Catalogue, ItemView, Material, SlotView, Uuid } from './schemas.ts';

/** HTTP for the catalogue, applications, the one window, home-visit slots and notifications. */
export const serviceRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const tags = ['services'];
  const Community = Type.Optional(Type.String({ pattern: '^[0-9]{12}$' }));

  app.get(
    '/api/services/catalogue',
    {
      preHandler: requirePermission('service.read'),
      schema: {
        tags,
        summary: 'Service items published in a community (default: my community)',
        querystring: Type.Object({ communityCode: Community }),
        response: { 200: Catalogue },
      },
    },
    async (req) => catalogue.communityCatalogue(ctx, requireActor(req), req.query.communityCode),
  );

  app.get(
    '/api/services/districts/:districtCode/catalogue',
    {
      preHandler: requirePermission('service.configure'),
      schema: {
        tags,
        summary: "A district's whole catalogue with the communities each item is published in",
        params: Type.Object({ districtCode: Type.String({ pattern: '^[0-9]{6}$' }) }),
        response: { 200: Catalogue },
      },
    },
    async (req) => catalogue.districtCatalogue(ctx, requireActor(req), req.params.districtCode),
  );

  app.get(
    '/api/services/items/:id',
    {
      preHandler: requirePermission('service.read'),
      schema: { tags, summary: 'One service item', params: Uuid, response: { 200: ItemView } },
    },
    async (req) => catalogue.getItem(ctx, req.params.id),
  );

  app.post(
    '/api/services/items',
    {
      preHandler: requirePermission('service.configure'),
      schema: {
        tags,
        summary: 'Add an item to a district catalogue',
        body: Type.Object(
          {
            districtCode: Type.String({ pattern: '^[0-9]{6}$' }),
            categoryName: Type.String({ minLength: 2, maxLength: 30 }),
            name: Type.String({ minLength: 2, maxLength: 60 }),
            description: Type.Optional(Type.String({ maxLength: 500 })),
            eligibility: Type.String({ minLength: 2, maxLength: 300 }),
            materials: Type.Array(Material, { maxItems: 20 }),
            timeLimitDays: Type.Integer({ minimum: 0, maximum: 60 }),
            feeFen: Type.Optional(Type.Integer({ minimum: 0 })),
            certificateType: Type.Optional(Type.Union([Type.String(), Type.Null()])),
            homeVisit: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 201: ItemView },
      },
    },
    async (req, reply) => reply.status(201).send(await catalogue.createItem(ctx, requireActor(req), req.body)),
  );

  app.patch(
    '/api/services/items/:id',
    {
      preHandler: requirePermission('service.configure'),
      schema: {
        tags,
        summary: 'Change an item; needs the current version. Open applications keep the deadline they were given',
        params: Uuid,
        body: Type.Object(
          {
            version: Type.Integer({ minimum: 1 }),
            name: Type.Optional(Type.String({ minLength: 2, maxLength: 60 })),
            description: Type.Optional(Type.String({ maxLength: 500 })),
            eligibility: Type.Optional(Type.String({ maxLength: 300 })),
            materials: Type.Optional(Type.Array(Material, { maxItems: 20 })),
            timeLimitDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 60 })),
            feeFen: Type.Optional(Type.Integer({ minimum: 0 })),
            certificateType: Type.Optional(Type.Union([Type.String(), Type.Null()])),
            homeVisit: Type.Optional(Type.Boolean()),
            active: Type.Optional(Type.Boolean()),
            handlerRole: Type.Optional(StringEnum(catalogue.HANDLER_ROLES)),
          },
          { additionalProperties: false },
        ),
        response: { 200: ItemView },
      },
    },
    async (req) => catalogue.updateItem(ctx, requireActor(req), req.params.id, req.body),
  );

  app.put(
    '/api/services/items/:id/communities/:communityCode',
    {
      preHandler: requirePermission('service.configure'),
      schema: {
        tags,
        summary: 'Publish an item in a community (published: false withdraws it)',
        params: Type.Object({ id: Type.String({ format: 'uuid' }), communityCode: Type.String({ pattern: '^[0-9]{12}$' }) }),
        body: Type.Object({ published: Type.Boolean() }, { additionalProperties: false }),
      },
    },
    async (req) => catalogue.publishItem(ctx, requireActor(req), req.params.id, req.params.communityCode, req.body.published),
  );

  // ------------------------------------------------------------ applications

  app.post(
    '/api/services/applications',
    {
      preHandler: requirePermission('service.read'),
      bodyLimit: 24 * 1024 * 1024,
      schema: {
        tags,
        summary: 'Apply (resident online) or accept at the counter for a resident (window worker)',
        body: ApplyBody,
        response: { 201: ApplicationView },
      },
    },
    async (req, reply) => reply.status(201).send(await applications.apply(ctx, requireActor(req), req.body)),
  );

  app.get(
    '/api/services/applications',
    {
      preHandler: requirePermission('service.read'),
      schema: {
        tags,
        summary:
          "The inbox (applications for items whose handling role the caller holds, in that role's scope) or my own (residents, or mine=true)",
        querystring: Type.Object({
          state: Type.Optional(Type.Union([ApplicationState, StringEnum(['open'] as const)])),
          itemId: Type.Optional(Type.String({ format: 'uuid' })),
          communityCode: Community,
          overdue: Type.Optional(Type.Boolean()),
          mine: Type.Optional(Type.Boolean()),
          q: Type.Optional(Type.String({ maxLength: 40 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(ApplicationView) }) },
      },
    },
    async (req) => {
      const { limit, ...f } = req.query;
      return { items: await applications.listApplications(ctx, requireActor(req), f, limit ?? 100) };
    },
  );

  app.get(
    '/api/services/applications/by-number/:number',
    {
      preHandler: requirePermission('service.read'),
      schema: {
        tags,
        summary: 'Follow an application by its number',
        params: Type.Object({ number: Type.String({ maxLength: 40 }) }),
        response: { 200: ApplicationView },
      },
    },
    async (req) => applications.getByNumber(ctx, requireActor(req), req.params.number),
  );

  app.get(
    '/api/services/applications/:id',
    {
      preHandler: requirePermission('service.read'),
      schema: { tags, summary: 'One application with its steps and materials', params: Uuid, response: { 200: ApplicationView } },
    },
    async (req) => applications.getApplication(ctx, requireActor(req), req.params.id),
  );

  app.post(
    '/api/services/applications/:id/actions',
    {
      preHandler: requirePermission('service.read'),
      bodyLimit: 24 * 1024 * 1024,
      schema: {
        tags,
        summary: 'Take a step: request_materials, supplement, start, complete, refuse, withdraw',
        params: Uuid,
        body: ActionBody,
        response: { 200: ApplicationView },
      },
    },
    async (req) => applications.act(ctx, requireActor(req), req.params.id, req.body),
  );

  app.get(
    '/api/services/applications/:id/materials/:materialId',
    {
      preHandler: requirePermission('service.read'),
      schema: {
        tags,
        summary: 'Download one uploaded material',
        params: Type.Object({ id: Type.String({ format: 'uuid' }), materialId: Type.String({ format: 'uuid' }) }),
      },
    },
    async (req, reply) => {
      const m = await applications.material(ctx, requireActor(req), req.params.id, req.params.materialId);
      return reply
        .type(m.mime)
        .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(m.file_name)}`)
        .header('cache-control', 'private, no-store')
        .send(m.content);
    },
  );

  // ------------------------------------------------------------ one window and slots

  app.get(
    '/api/services/window/lookup',
    {
      preHandler: requirePermission('service.handle'),
      schema: {
        tags,
        summary: 'One window: find a resident by ID card number or phone, with their open applications',
        querystring: Type.Object({ q: Type.String({ minLength: 6, maxLength: 30 }) }),
        response: { 200: Type.Object({ items: Type.Array(Type.Object({}, { additionalProperties: true })) }) },
      },
    },
    async (req) => ({ items: await window.lookupResident(ctx, requireActor(req), req.query.q) }),
  );

  app.get(
    '/api/services/slots',
    {
      preHandler: requirePermission('service.read'),
      schema: {
        tags,
        summary: "Home-visit slots: a worker's calendar, or my community's open slots",
        querystring: Type.Object({
          communityCode: Community,
          workerUserId: Type.Optional(Type.String({ format: 'uuid' })),
          from: Type.String({ format: 'date-time' }),
          to: Type.String({ format: 'date-time' }),
        }),
        response: { 200: Type.Object({ items: Type.Array(SlotView) }) },
      },
    },
    async (req) => ({ items: await window.listSlots(ctx, requireActor(req), req.query) }),
  );

  app.post(
    '/api/services/slots',
    {
      preHandler: requirePermission('service.handle'),
      schema: {
        tags,
        summary: 'Open home-visit slots in my calendar',
        body: Type.Object(
          {
            communityCode: Type.String({ pattern: '^[0-9]{12}$' }),
            slots: Type.Array(
              Type.Object({ startsAt: Type.String({ format: 'date-time' }), endsAt: Type.String({ format: 'date-time' }) }),
              { minItems: 1, maxItems: 50 },
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ items: Type.Array(SlotView) }) },
      },
    },
    async (req, reply) => reply.status(201).send({ items: await window.createSlots(ctx, requireActor(req), req.body) }),
  );

  app.post(
    '/api/services/slots/:id/book',
    {
      preHandler: requirePermission('service.read'),
      schema: {
        tags,
        summary: 'Book a slot for an application that offers a home visit',
        params: Uuid,
        body: Type.Object(
          { applicationId: Type.String({ format: 'uuid' }), note: Type.Optional(Type.String({ maxLength: 200 })) },
          { additionalProperties: false },
        ),
        response: { 200: SlotView },
      },
    },
    async (req) => window.bookSlot(ctx, requireActor(req), req.params.id, req.body),
  );

  app.post(
    '/api/services/appointments',
    {
      preHandler: requirePermission('service.apply'),
      schema: {
        tags,
        summary: "A resident books a home visit (预约上门): applies for an item and takes a free slot in a worker's calendar, in one step",
        body: Type.Object(
          {
            itemId: Type.String({ format: 'uuid' }),
            slotId: Type.String({ format: 'uuid' }),
            note: Type.Optional(Type.String({ maxLength: 200 })),
            idempotencyKey: Type.Optional(Type.String({ minLength: 8, maxLength: 64 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ application: ApplicationView, slot: SlotView }) },
      },
    },
    async (req, reply) => reply.status(201).send(await bookAppointment(ctx, requireActor(req), req.body)),
  );

  app.post(
    '/api/services/slots/:id/cancel',
    { preHandler: requirePermission('service.handle'), schema: { tags, summary: 'Cancel a slot', params: Uuid } },
    async (req) => window.cancelSlot(ctx, requireActor(req), req.params.id),
  );

  app.get(
    '/api/services/notifications',
    {
      schema: {
        tags,
        summary: 'My notifications (application steps, orders)',
        querystring: Type.Object({ unread: Type.Optional(Type.Boolean()) }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object(
                { id: Type.String(), title: Type.String(), body: Type.String(), read: Type.Boolean() },
                { additionalProperties: true },
              ),
            ),
          }),
        },
      },
    },
    async (req) => ({ items: await window.myNotifications(ctx, requireActor(req), req.query.unread ?? false) }),
  );

  app.post('/api/services/notifications/:id/read', { schema: { tags, summary: 'Mark a notification read', params: Uuid } }, async (req) =>
    window.markRead(ctx, requireActor(req), req.params.id),
  );

  await app.register(certificateRoutes, { ctx });
  await app.register(serviceMeasureRoutes, { ctx });
};
