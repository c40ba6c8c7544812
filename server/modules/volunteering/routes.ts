import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../core/context.ts';
import { requireActor, requirePermission } from '../../core/auth/hook.ts';
import { StringEnum } from '../../core/schema.ts';
import * as orders from './orders.ts';
import { pointsRoutes } from './routes-points.ts';
import * as people from './people.ts';
import * as party from './party-members.ts';
import { ORDER_KINDS, ORDER_STATES } from './order-rules.ts';

/** HTTP for help orders, volunteers, pairs, projects and party posts; points in routes-points.ts. */

const Uuid = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Obj = Type.Object({}, { additionalProperties: true });
const Items = Type.Object({ items: Type.Array(Obj) });
const OrderView = Type.Object(
  {
    id: Type.String(),
    number: Type.String(),
    title: Type.String(),
    state: StringEnum(ORDER_STATES),
    actions: Type.Array(Type.String()),
    version: Type.Integer(),
  },
  { additionalProperties: true },
);
const Community = Type.String({ pattern: '^[0-9]{12}$' });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

export const volunteeringRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const tags = ['volunteering'];

  // The escalation tick: orders nobody took in time go to the community worker.
  const timer = setInterval(() => void orders.escalateOverdueOrders(ctx).catch((e) => app.log.error(e)), 60_000);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));

  // ------------------------------------------------------------ help orders
  app.post(
    '/api/orders',
    {
      preHandler: requirePermission('service.read'),
      schema: {
        tags,
        summary: 'Post a help order (resident for themselves, or a worker on behalf of a resident)',
        body: Type.Object(
          {
            kind: StringEnum(ORDER_KINDS),
            title: Type.String({ minLength: 2, maxLength: 60 }),
            description: Type.Optional(Type.String({ maxLength: 500 })),
            personId: Type.Optional(Type.String({ format: 'uuid' })),
            takeWithinHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 168 })),
            idempotencyKey: Type.Optional(Type.String({ minLength: 8, maxLength: 64 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: OrderView },
      },
    },
    async (req, reply) => reply.status(201).send(await orders.postOrder(ctx, requireActor(req), req.body)),
  );
  app.get(
    '/api/orders',
    {
      preHandler: requirePermission('service.read'),
      schema: {
        tags,
        summary: 'The order board (open orders where I serve) and my own orders',
        querystring: Type.Object({ state: Type.Optional(StringEnum(ORDER_STATES)), mine: Type.Optional(Type.Boolean()) }),
        response: { 200: Type.Object({ items: Type.Array(OrderView) }) },
      },
    },
    async (req) => ({ items: await orders.listOrders(ctx, requireActor(req), req.query) }),
  );
  app.get(
    '/api/orders/:id',
    {
      preHandler: requirePermission('service.read'),
      schema: { tags, summary: 'One help order', params: Uuid, response: { 200: OrderView } },
    },
    async (req) => orders.getOrder(ctx, requireActor(req), req.params.id),
  );
  app.post(
    '/api/orders/:id/take',
    {
      preHandler: requirePermission('order.take'),
      schema: { tags, summary: 'Take an order (only one taker wins)', params: Uuid, response: { 200: OrderView } },
    },
    async (req) => orders.takeOrder(ctx, requireActor(req), req.params.id),
  );
  for (const action of ['complete', 'confirm', 'cancel'] as const) {
    app.post(
      `/api/orders/:id/${action}`,
      {
        preHandler: requirePermission('service.read'),
        schema: {
          tags,
          summary: {
            complete: 'The taker completes the order',
            confirm: 'The resident confirms and rates',
            cancel: 'Cancel an untaken order',
          }[action],
          params: Uuid,
          body: Type.Object(
            {
              version: Type.Integer({ minimum: 1 }),
              note: Type.Optional(Type.String({ maxLength: 500 })),
              rating: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
              comment: Type.Optional(Type.String({ maxLength: 300 })),
            },
            { additionalProperties: false },
          ),
          response: { 200: OrderView },
        },
      },
      async (req) => orders.orderAction(ctx, requireActor(req), req.params.id, action, req.body),
    );
  }

  // ------------------------------------------------------------ volunteers and pairs
  app.get(
    '/api/volunteers',
    {
      preHandler: requirePermission('volunteer.manage'),
      schema: { tags, summary: 'Volunteers in my scope with confirmed hours', response: { 200: Items } },
    },
    async (req) => ({
      items: await people.listVolunteers(ctx, requireActor(req)),
    }),
  );
  app.post(
    '/api/volunteers',
    {
      preHandler: requirePermission('volunteer.manage'),
      schema: {
        tags,
        summary: 'Register a resident as a volunteer',
        body: Type.Object(
          {
            personId: Type.String({ format: 'uuid' }),
            skills: Type.Optional(Type.Array(Type.String({ maxLength: 20 }), { maxItems: 10 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => reply.status(201).send(await people.registerVolunteer(ctx, requireActor(req), req.body)),
  );
  app.get(
    '/api/volunteers/pairs',
    {
      preHandler: requirePermission('service.read'),
      schema: { tags, summary: '一帮一 pairs with the no-visit-for-a-month warning', response: { 200: Items } },
    },
    async (req) => ({
      items: await people.listPairs(ctx, requireActor(req)),
    }),
  );
  app.post(
    '/api/volunteers/pairs',
    {
      preHandler: requirePermission('volunteer.manage'),
      schema: {
        tags,
        summary: 'Pair a volunteer with a person in need',
        body: Type.Object(
          { volunteerId: Type.String({ format: 'uuid' }), personId: Type.String({ format: 'uuid' }) },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => reply.status(201).send(await people.createPair(ctx, requireActor(req), req.body)),
  );
  app.post(
    '/api/volunteers/pairs/:id/visits',
    {
      preHandler: requirePermission('service.read'),
      schema: {
        tags,
        summary: 'Log a visit of a pair',
        params: Uuid,
        body: Type.Object({ visitedOn: Day, note: Type.String({ minLength: 2, maxLength: 500 }) }, { additionalProperties: false }),
      },
    },
    async (req, reply) => reply.status(201).send(await people.logVisit(ctx, requireActor(req), req.params.id, req.body)),
  );

  // ------------------------------------------------------------ projects
  app.get(
    '/api/volunteer-projects',
    {
      preHandler: requirePermission('service.read'),
      schema: { tags, summary: 'Volunteer projects of my community', response: { 200: Items } },
    },
    async (req) => ({
      items: await people.listProjects(ctx, requireActor(req)),
    }),
  );
  app.post(
    '/api/volunteer-projects',
    {
      preHandler: requirePermission('volunteer.manage'),
      schema: {
        tags,
        summary: 'Publish a volunteer project with slots; returns the check-in code for the venue QR',
        body: Type.Object(
          {
            communityCode: Community,
            title: Type.String({ minLength: 2, maxLength: 60 }),
            description: Type.Optional(Type.String({ maxLength: 500 })),
            startsAt: Type.String({ format: 'date-time' }),
            endsAt: Type.String({ format: 'date-time' }),
            slots: Type.Integer({ minimum: 1, maximum: 10000 }),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => reply.status(201).send(await people.createProject(ctx, requireActor(req), req.body)),
  );
  app.post(
    '/api/volunteer-projects/:id/signup',
    { preHandler: requirePermission('order.take'), schema: { tags, summary: 'Sign up for a project', params: Uuid } },
    async (req, reply) => reply.status(201).send(await people.signUp(ctx, requireActor(req), req.params.id)),
  );
  for (const kind of ['in', 'out'] as const) {
    app.post(
      `/api/volunteer-projects/:id/check-${kind}`,
      {
        preHandler: requirePermission('order.take'),
        schema: {
          tags,
          summary: `Check ${kind} with the code from the venue QR`,
          params: Uuid,
          body: Type.Object({ code: Type.String({ maxLength: 40 }) }, { additionalProperties: false }),
        },
      },
      async (req) => people.checkInOut(ctx, requireActor(req), req.params.id, req.body.code, kind),
    );
  }
  app.post(
    '/api/volunteer-projects/:id/confirm-hours',
    {
      preHandler: requirePermission('volunteer.manage'),
      schema: { tags, summary: 'The organiser confirms hours (points per hour)', params: Uuid },
    },
    async (req) => people.confirmHours(ctx, requireActor(req), req.params.id),
  );

  // ------------------------------------------------------------ party members and posts
  app.post(
    '/api/party/members',
    {
      preHandler: requirePermission('volunteer.manage'),
      schema: {
        tags,
        summary: 'Register a party member (自管党员, or 在职党员 reporting to their home community)',
        body: Type.Object(
          {
            personId: Type.String({ format: 'uuid' }),
            kind: StringEnum(['self_managed', 'in_service'] as const),
            orgId: Type.Optional(Type.String({ format: 'uuid' })),
            workplace: Type.Optional(Type.String({ maxLength: 60 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => reply.status(201).send(await party.registerPartyMember(ctx, requireActor(req), req.body)),
  );
  app.get(
    '/api/party/members',
    {
      preHandler: requirePermission('volunteer.manage'),
      schema: { tags, summary: 'Party members in my scope with their organisation (双报到)', response: { 200: Items } },
    },
    async (req) => ({
      items: await party.listPartyMembers(ctx, requireActor(req)),
    }),
  );
  app.get(
    '/api/party/posts',
    {
      preHandler: requirePermission('service.read'),
      schema: { tags, summary: 'Service posts (岗位) of my community', response: { 200: Items } },
    },
    async (req) => ({
      items: await people.listPosts(ctx, requireActor(req)),
    }),
  );
  app.post(
    '/api/party/posts',
    {
      preHandler: requirePermission('volunteer.manage'),
      schema: {
        tags,
        summary: 'Create a service post with target households',
        body: Type.Object(
          {
            communityCode: Community,
            title: Type.String({ minLength: 2, maxLength: 60 }),
            description: Type.Optional(Type.String({ maxLength: 500 })),
            targetHouses: Type.Optional(Type.Array(Type.String({ maxLength: 24 }), { maxItems: 200 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => reply.status(201).send(await people.createPost(ctx, requireActor(req), req.body)),
  );
  app.post(
    '/api/party/posts/:id/claim',
    {
      preHandler: requirePermission('party.post'),
      schema: {
        tags,
        summary: 'Claim a post with a service plan',
        params: Uuid,
        body: Type.Object(
          { plan: Type.String({ minLength: 4, maxLength: 1000 }), version: Type.Integer({ minimum: 1 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => people.claimPost(ctx, requireActor(req), req.params.id, req.body),
  );
  app.post(
    '/api/party/posts/:id/logs',
    {
      preHandler: requirePermission('party.post'),
      schema: {
        tags,
        summary: 'Log work done on a claimed post',
        params: Uuid,
        body: Type.Object({ doneOn: Day, note: Type.String({ minLength: 2, maxLength: 500 }) }, { additionalProperties: false }),
      },
    },
    async (req, reply) => reply.status(201).send(await people.logPostWork(ctx, requireActor(req), req.params.id, req.body)),
  );

  await app.register(pointsRoutes, { ctx });
};
