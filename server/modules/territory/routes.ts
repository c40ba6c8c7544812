import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../core/context.ts';
import { requireActor, requirePermission } from '../../core/auth/hook.ts';
import * as service from './service.ts';
import * as places from './places-service.ts';
import {
  CodeParams,
  NewBuildingBody,
  NewGridBody,
  GridPatch,
  HousePatch,
  HouseView,
  LayoutView,
  NodeList,
  NodeView,
  SearchQuery,
  StatsView,
} from './schemas.ts';

export const territoryRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const read = { preHandler: requirePermission('territory.read') };
  const write = { preHandler: requirePermission('territory.write') };
  const tags = ['territory'];

  app.get(
    '/api/territory/roots',
    { ...read, schema: { tags, summary: 'Top nodes of my scope', response: { 200: NodeList } } },
    async (req) => ({
      items: await service.getRoots(ctx, requireActor(req)),
    }),
  );

  app.get(
    '/api/territory/search',
    { ...read, schema: { tags, summary: 'Find places by code prefix or name', querystring: SearchQuery, response: { 200: NodeList } } },
    async (req) => ({ items: await service.search(ctx, requireActor(req), req.query.q, req.query.limit ?? 20) }),
  );

  app.get(
    '/api/territory/:code',
    { ...read, schema: { tags, summary: 'A node at any level (社区编码)', params: CodeParams, response: { 200: NodeView } } },
    async (req) => service.getNode(ctx, requireActor(req), req.params.code),
  );

  app.get(
    '/api/territory/:code/children',
    { ...read, schema: { tags, summary: "A node's children", params: CodeParams, response: { 200: NodeList } } },
    async (req) => ({ items: await service.getChildren(ctx, requireActor(req), req.params.code) }),
  );

  app.get(
    '/api/territory/:code/stats',
    { ...read, schema: { tags, summary: 'Counts of everything under a node', params: CodeParams, response: { 200: StatsView } } },
    async (req) => service.stats(ctx, requireActor(req), req.params.code),
  );

  app.get(
    '/api/territory/:code/layout',
    { ...read, schema: { tags, summary: 'A building as floors × rooms', params: CodeParams, response: { 200: LayoutView } } },
    async (req) => service.buildingLayout(ctx, requireActor(req), req.params.code),
  );

  app.get(
    '/api/territory/houses/:code',
    { ...read, schema: { tags, summary: 'A house', params: CodeParams, response: { 200: HouseView } } },
    async (req) => service.getHouse(ctx, requireActor(req), req.params.code),
  );

  app.patch(
    '/api/territory/houses/:code',
    {
      ...write,
      schema: {
        tags,
        summary: 'Change a house (area, use); needs the current version',
        params: CodeParams,
        body: HousePatch,
        response: { 200: HouseView },
      },
    },
    async (req) => service.updateHouse(ctx, requireActor(req), req.params.code, req.body),
  );

  app.patch(
    '/api/territory/grids/:code',
    {
      ...write,
      schema: {
        tags,
        summary: 'Rename a grid; needs the current version',
        params: CodeParams,
        body: GridPatch,
        response: { 200: NodeView },
      },
    },
    async (req) => service.renameGrid(ctx, requireActor(req), req.params.code, req.body),
  );

  app.post(
    '/api/territory/:code/grids',
    {
      ...write,
      schema: {
        tags,
        summary: 'Add a grid to a community (next 3-digit number)',
        params: CodeParams,
        body: NewGridBody,
        response: { 201: NodeView },
      },
    },
    async (req, reply) => reply.status(201).send(await places.createGrid(ctx, requireActor(req), req.params.code, req.body)),
  );

  app.post(
    '/api/territory/:code/buildings',
    {
      ...write,
      schema: {
        tags,
        summary: 'Add a building to a grid, with its units and houses',
        params: CodeParams,
        body: NewBuildingBody,
        response: { 201: NodeView },
      },
    },
    async (req, reply) => reply.status(201).send(await places.createBuilding(ctx, requireActor(req), req.params.code, req.body)),
  );
};
