import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { pathInScope } from '../../core/permissions.ts';
import { requireActor, requirePermission } from '../../core/auth/hook.ts';
import { parseTerritoryCode } from '../territory/codes.ts';
import * as territoryStore from '../territory/store.ts';
import { serviceStats } from './measures.ts';

/** The services section of the dashboard (数智大脑): measures for a territory node and period. */

const Rate = Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], {
  description: 'share 0–1; null when nothing to divide by',
});

const Figures = {
  applications: Type.Object(
    {
      received: Type.Integer({ description: 'applications accepted in the period' }),
      done: Type.Integer(),
      refused: Type.Integer(),
      withdrawn: Type.Integer(),
      open: Type.Integer({ description: 'of those received, not yet done, refused or withdrawn' }),
      overdue: Type.Integer({ description: 'open and past their due time now' }),
      onTimeRate: { ...Rate, description: 'done no later than due ÷ done (按期办结率)' },
    },
    { description: 'applications (办件) received in the period and where they stand' },
  ),
  orders: Type.Object(
    {
      posted: Type.Integer(),
      taken: Type.Integer(),
      completed: Type.Integer({ description: 'completed by the taker (confirmed or not)' }),
      escalated: Type.Integer({ description: 'nobody took them in time: went to the community worker' }),
    },
    { description: 'help orders (海多多) posted in the period' },
  ),
  volunteerHours: Type.Number({ description: 'hours confirmed by project organisers in the period' }),
  points: Type.Object(
    { issued: Type.Integer(), spent: Type.Integer() },
    { description: 'points ledger entries in the period: earned (positive) and spent in the shop (negative)' },
  ),
};

export const ServiceStatsView = Type.Object({
  scope: Type.String({ description: 'territory code of the node' }),
  from: Type.String(),
  to: Type.String(),
  ...Figures,
  byArea: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), ...Figures }), {
    description: 'one row per child of the node that had any service in the period (streets, or communities; a community: itself)',
  }),
});

export const serviceMeasureRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/api/services/stats',
    {
      preHandler: requirePermission('service.handle'),
      schema: {
        tags: ['services'],
        summary: 'Services measures for a territory node and period: applications, on-time rate, help orders, volunteer hours, points',
        querystring: Type.Object({
          scope: Type.String({ maxLength: 12, description: 'territory code: district, street or community' }),
          from: Type.Optional(Type.String({ format: 'date' })),
          to: Type.Optional(Type.String({ format: 'date', description: 'exclusive' })),
        }),
        response: { 200: ServiceStatsView },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const parsed = parseTerritoryCode(req.query.scope);
      if (!parsed || !['province', 'city', 'district', 'street', 'community'].includes(parsed.level)) {
        throw new AppError('INVALID_CODE', { scope: req.query.scope, expected: 'district, street or community' });
      }
      const node = await territoryStore.findNode(ctx.db, parsed.code, parsed.level, null);
      if (!node) throw new AppError('TERRITORY_NOT_FOUND', { scope: req.query.scope });
      // A community worker sees their own community only; a street its communities; a district all of it.
      if (!pathInScope(actor.scope('service.handle'), node.path)) throw new AppError('OUT_OF_SCOPE', { scope: req.query.scope });
      const to = req.query.to ? new Date(`${req.query.to}T00:00:00+08:00`) : new Date();
      const from = req.query.from ? new Date(`${req.query.from}T00:00:00+08:00`) : new Date(to.getTime() - 365 * 86_400_000);
      if (!(from < to)) throw new AppError('VALIDATION_FAILED', { reason: 'from_before_to' });
      return serviceStats(ctx.db, { scopePath: node.path, from, to });
    },
  );
};
