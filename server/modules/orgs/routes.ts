import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../core/context.ts';
import { requireActor, requirePermission } from '../../core/auth/hook.ts';
import * as service from './service.ts';
import { StringEnum } from '../../core/schema.ts';

const Kind = StringEnum(['party', 'department', 'property_company', 'owners_committee', 'resident_unit', 'social_org'] as const);

const OrgView = Type.Object({
  id: Type.String(),
  districtCode: Type.String(),
  kind: Kind,
  level: Type.Union([Type.String(), Type.Null()]),
  name: Type.String(),
  parentId: Type.Union([Type.String(), Type.Null()]),
  territoryCode: Type.String(),
  territoryName: Type.String(),
  contactName: Type.Union([Type.String(), Type.Null()]),
  version: Type.Integer(),
});

export const orgRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const tags = ['orgs'];
  app.get(
    '/api/orgs',
    {
      preHandler: requirePermission('org.read'),
      schema: {
        tags,
        summary: 'Organisations in my scope (党组织、部门、物业、业委会、驻区单位、社会组织)',
        querystring: Type.Object({
          kind: Type.Optional(Kind),
          territoryCode: Type.Optional(Type.String({ maxLength: 24 })),
          parentId: Type.Optional(Type.String({ format: 'uuid' })),
          q: Type.Optional(Type.String({ maxLength: 60 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 500 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(OrgView) }) },
      },
    },
    async (req) => {
      const { limit = 500, ...f } = req.query;
      return { items: await service.list(ctx, requireActor(req), f as Parameters<typeof service.list>[2], limit) };
    },
  );

  app.get(
    '/api/orgs/:id',
    {
      preHandler: requirePermission('org.read'),
      schema: {
        tags,
        summary: 'One organisation',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: OrgView },
      },
    },
    async (req) => service.get(ctx, requireActor(req), req.params.id),
  );

  app.post(
    '/api/orgs',
    {
      preHandler: requirePermission('org.write'),
      schema: {
        tags,
        summary: 'Create an organisation',
        body: Type.Object(
          {
            kind: Kind,
            level: Type.Optional(Type.String({ maxLength: 40 })),
            name: Type.String({ minLength: 2, maxLength: 100 }),
            parentId: Type.Optional(Type.String({ format: 'uuid' })),
            territoryCode: Type.String({ maxLength: 24 }),
            contactName: Type.Optional(Type.String({ maxLength: 40 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: OrgView },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await service.create(ctx, requireActor(req), req.body as Parameters<typeof service.create>[2])),
  );

  app.patch(
    '/api/orgs/:id',
    {
      preHandler: requirePermission('org.write'),
      schema: {
        tags,
        summary: 'Change an organisation; needs the current version',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: Type.Object(
          {
            version: Type.Integer({ minimum: 1 }),
            name: Type.Optional(Type.String({ minLength: 2, maxLength: 100 })),
            contactName: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
          },
          { additionalProperties: false },
        ),
        response: { 200: OrgView },
      },
    },
    async (req) => service.update(ctx, requireActor(req), req.params.id, req.body),
  );
};
