import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../core/context.ts';
import { requireActor, requirePermission } from '../../core/auth/hook.ts';
import * as service from './service.ts';
import * as houses from './houses-service.ts';
import multipart from '@fastify/multipart';
import { importRoutes } from './import-routes.ts';
import { recordsRoutes } from './records-routes.ts';
import {
  CodeParams,
  HistoryList,
  HouseholdView,
  IdParams,
  LinkPatchBody,
  LinkView,
  NewLinkBody,
  NewPersonBody,
  OccupancyView,
  PersonDetail,
  PersonList,
  PersonPatchBody,
  PersonSearchQuery,
  RevealBody,
  RevealView,
} from './schemas.ts';

/** Persons, their links to houses and the household / building views (R1, R3, R4). */
export const registryRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const read = { preHandler: requirePermission('registry.read') };
  const write = { preHandler: requirePermission('registry.write') };
  const tags = ['registry'];
  // Uploads (imports, contract photos) are streamed; 60 MB is ~500,000 rows of .xlsx.
  await app.register(multipart, { limits: { fileSize: 60 * 1024 * 1024, files: 1, fields: 5 } });
  await app.register(importRoutes, { ctx });
  await app.register(recordsRoutes, { ctx });

  app.get(
    '/api/registry/persons',
    {
      ...read,
      schema: {
        tags,
        summary: 'Search people: exact ID number or phone, name, pinyin initials, address, tags, age; keyset pages',
        querystring: PersonSearchQuery,
        response: { 200: PersonList },
      },
    },
    async (req) => service.searchPersons(ctx, requireActor(req), req.query),
  );

  app.post(
    '/api/registry/persons',
    { ...write, schema: { tags, summary: 'Register a person', body: NewPersonBody, response: { 201: PersonDetail } } },
    async (req, reply) => reply.status(201).send(await service.createPerson(ctx, requireActor(req), req.body)),
  );

  app.get(
    '/api/registry/persons/:id',
    { ...read, schema: { tags, summary: 'A person, masked, with tags and houses', params: IdParams, response: { 200: PersonDetail } } },
    async (req) => service.getPerson(ctx, requireActor(req), req.params.id),
  );

  app.patch(
    '/api/registry/persons/:id',
    {
      ...write,
      schema: {
        tags,
        summary: 'Change a person; needs the current version',
        params: IdParams,
        body: PersonPatchBody,
        response: { 200: PersonDetail },
      },
    },
    async (req) => service.updatePerson(ctx, requireActor(req), req.params.id, req.body),
  );

  app.post(
    '/api/registry/persons/:id/reveal',
    {
      preHandler: requirePermission('registry.reveal'),
      schema: {
        tags,
        summary: 'Show ID number and phone in clear, with a reason (audited)',
        params: IdParams,
        body: RevealBody,
        response: { 200: RevealView },
      },
    },
    async (req) => service.revealPerson(ctx, requireActor(req), req.params.id, req.body.reason),
  );

  app.get(
    '/api/registry/persons/:id/history',
    {
      ...read,
      schema: { tags, summary: 'Every change to a person and their house links', params: IdParams, response: { 200: HistoryList } },
    },
    async (req) => ({ items: await service.personHistory(ctx, requireActor(req), req.params.id) }),
  );

  app.post(
    '/api/registry/persons/:id/houses',
    {
      ...write,
      schema: {
        tags,
        summary: 'Link a person to a house (owner, tenant, family)',
        params: IdParams,
        body: NewLinkBody,
        response: { 201: LinkView },
      },
    },
    async (req, reply) => reply.status(201).send(await service.addLink(ctx, requireActor(req), req.params.id, req.body)),
  );

  app.patch(
    '/api/registry/persons/:id/houses/:linkId',
    {
      ...write,
      schema: {
        tags,
        summary: 'Change or end (move out) a person-house link',
        params: Type.Object({ id: Type.String({ format: 'uuid' }), linkId: Type.String({ format: 'uuid' }) }),
        body: LinkPatchBody,
        response: { 200: LinkView },
      },
    },
    async (req) => service.updateLink(ctx, requireActor(req), req.params.id, req.params.linkId, req.body),
  );

  app.get(
    '/api/registry/houses/:code',
    {
      ...read,
      schema: {
        tags,
        summary: 'A household (户): members now (and before with past=1), tenancies, units',
        params: CodeParams,
        querystring: Type.Object({ past: Type.Optional(Type.Boolean()) }),
        response: { 200: HouseholdView },
      },
    },
    async (req) => houses.household(ctx, requireActor(req), req.params.code, req.query.past ?? false),
  );

  app.get(
    '/api/registry/buildings/:code/occupancy',
    {
      ...read,
      schema: { tags, summary: 'A building as floors × rooms with occupancy', params: CodeParams, response: { 200: OccupancyView } },
    },
    async (req) => houses.occupancy(ctx, requireActor(req), req.params.code),
  );

  app.get(
    '/api/registry/rented-without-tenant',
    {
      ...read,
      schema: {
        tags,
        summary: 'Rented houses with no registered tenant (to visit)',
        querystring: Type.Object({
          territoryCode: Type.Optional(Type.String({ pattern: '^[0-9]{6,24}$' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(Type.Object({ code: Type.String(), address: Type.String() })) }) },
      },
    },
    async (req) => ({ items: await houses.rentedWithoutTenant(ctx, requireActor(req), req.query.territoryCode, req.query.limit ?? 200) }),
  );
};
