import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../core/context.ts';
import { requireActor, requirePermission } from '../../core/auth/hook.ts';
import * as points from './points.ts';

/** HTTP for points (积分 P3): my balance, the shop, a community's earning rules, awards and the ledger check. */

const Uuid = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Items = Type.Object({ items: Type.Array(Type.Object({}, { additionalProperties: true })) });
const Community = Type.String({ pattern: '^[0-9]{12}$' });

export const pointsRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const tags = ['volunteering'];
  app.get(
    '/api/points/me',
    { preHandler: requirePermission('points.read'), schema: { tags, summary: 'My points balance (from the ledger) and history' } },
    async (req) => points.myPoints(ctx, requireActor(req)),
  );
  app.get(
    '/api/points/shop',
    {
      preHandler: requirePermission('service.read'),
      schema: {
        tags,
        summary: 'The points shop of my community',
        querystring: Type.Object({ communityCode: Type.Optional(Community) }),
        response: { 200: Items },
      },
    },
    async (req) => ({ items: await points.shopItems(ctx, requireActor(req), req.query.communityCode) }),
  );
  app.post(
    '/api/points/shop',
    {
      preHandler: requirePermission('points.manage'),
      schema: {
        tags,
        summary: 'Add a shop item',
        body: Type.Object(
          {
            communityCode: Community,
            name: Type.String({ minLength: 2, maxLength: 40 }),
            cost: Type.Integer({ minimum: 1 }),
            stock: Type.Integer({ minimum: 0 }),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => reply.status(201).send(await points.addShopItem(ctx, requireActor(req), req.body)),
  );
  app.patch(
    '/api/points/shop/:id',
    {
      preHandler: requirePermission('points.manage'),
      schema: {
        tags,
        summary: 'Restock a shop item, or take it off the shelf (active: false) and back',
        params: Uuid,
        body: Type.Object(
          {
            version: Type.Integer({ minimum: 1 }),
            stock: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
            active: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => points.updateShopItem(ctx, requireActor(req), req.params.id, req.body),
  );
  app.post(
    '/api/points/shop/:id/redeem',
    { preHandler: requirePermission('points.read'), schema: { tags, summary: 'Spend points on a shop item', params: Uuid } },
    async (req) => points.redeem(ctx, requireActor(req), req.params.id),
  );
  app.get(
    '/api/points/rules/:communityCode',
    {
      preHandler: requirePermission('points.manage'),
      schema: { tags, summary: "A community's earning rules", params: Type.Object({ communityCode: Community }) },
    },
    async (req) => points.getRules(ctx, requireActor(req), req.params.communityCode),
  );
  app.put(
    '/api/points/rules/:communityCode',
    {
      preHandler: requirePermission('points.manage'),
      schema: {
        tags,
        summary: "Set a community's earning rules",
        params: Type.Object({ communityCode: Community }),
        body: Type.Object(
          {
            help_order: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
            volunteer_hour: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
            participation: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => points.setRules(ctx, requireActor(req), req.params.communityCode, req.body),
  );
  app.post(
    '/api/points/awards',
    {
      preHandler: requirePermission('points.manage'),
      schema: {
        tags,
        summary: 'Award participation points to a resident',
        body: Type.Object(
          {
            personId: Type.String({ format: 'uuid' }),
            activity: Type.String({ minLength: 2, maxLength: 60 }),
            times: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => reply.status(201).send(await points.awardParticipation(ctx, requireActor(req), req.body)),
  );
  app.get(
    '/api/points/verify',
    {
      preHandler: requirePermission('points.manage'),
      schema: {
        tags,
        summary: 'Verify the hash chain of the points ledger',
        querystring: Type.Object({ districtCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })) }),
      },
    },
    async (req) => points.verify(ctx, requireActor(req), req.query.districtCode),
  );
};
