import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../core/context.ts';
import { requireActor, requirePermission } from '../../core/auth/hook.ts';
import { StringEnum } from '../../core/schema.ts';
import * as honours from './honours-care.ts';
import * as views from './care-views.ts';
import * as xlsx from './care-export.ts';
import { sendXlsxFile } from '../../core/xlsx.ts';
import * as S from './schemas.ts';

/**
 * Honours and care (W6): honour candidates and award records, care-fund applications and their
 * decisions, the yearly health-check list; each list also as .xlsx. Street and district HR
 * (workforce.manage) within their place; care-fund decisions need workforce.pay (the district).
 */
export const honourRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const tags = ['workforce-honours-care'];
  const manage = requirePermission('workforce.manage');
  const b = '/api/workforce';
  const Place = Type.String({ pattern: '^\\d{6,12}$', description: 'A district, street or community code' });
  const PlaceYear = Type.Object({ code: Place, year: S.Year });
  const AwardQuery = Type.Object({ code: Place, year: Type.Optional(S.Year), kind: Type.Optional(S.HonourKind) });
  const CareQuery = Type.Object({
    code: Place,
    year: Type.Optional(S.Year),
    status: Type.Optional(StringEnum(['applied', 'approved', 'rejected'] as const)),
  });

  app.get(
    `${b}/honours/candidates`,
    { preHandler: manage, schema: { tags, summary: 'Who qualifies for service honours in a year', querystring: PlaceYear } },
    async (req) => honours.candidates(ctx, requireActor(req), req.query.code, req.query.year),
  );
  app.get(
    `${b}/honours/candidates.xlsx`,
    { preHandler: manage, schema: { tags, summary: 'The honour candidates as .xlsx', querystring: PlaceYear } },
    async (req, reply) =>
      sendXlsxFile(reply, await xlsx.candidatesXlsx(await honours.candidates(ctx, requireActor(req), req.query.code, req.query.year))),
  );
  app.post(
    `${b}/honours`,
    { preHandler: manage, schema: { tags, summary: 'Record an honour or award (capped)', body: S.HonourCreate } },
    async (req, reply) => reply.status(201).send(await honours.award(ctx, requireActor(req), req.body)),
  );
  app.get(
    `${b}/honours`,
    { preHandler: manage, schema: { tags, summary: 'Award records under a place, by year and kind', querystring: AwardQuery } },
    async (req) => views.listAwards(ctx, requireActor(req), req.query.code, req.query),
  );
  app.get(
    `${b}/honours.xlsx`,
    { preHandler: manage, schema: { tags, summary: 'The award records as .xlsx', querystring: AwardQuery } },
    async (req, reply) =>
      sendXlsxFile(reply, await xlsx.awardsXlsx(await views.listAwards(ctx, requireActor(req), req.query.code, req.query), req.query.year)),
  );

  app.post(
    `${b}/workers/:id/care`,
    { preHandler: manage, schema: { tags, summary: 'Care-fund application or health check', params: S.IdParams, body: S.CareCreate } },
    async (req, reply) => reply.status(201).send(await honours.applyCare(ctx, requireActor(req), req.params.id, req.body)),
  );
  app.get(
    `${b}/care`,
    { preHandler: manage, schema: { tags, summary: 'Care-fund applications under a place, pending first', querystring: CareQuery } },
    async (req) => views.listCareFund(ctx, requireActor(req), req.query.code, req.query),
  );
  app.get(
    `${b}/care.xlsx`,
    { preHandler: manage, schema: { tags, summary: 'The care-fund applications as .xlsx', querystring: CareQuery } },
    async (req, reply) =>
      sendXlsxFile(
        reply,
        await xlsx.careFundXlsx(await views.listCareFund(ctx, requireActor(req), req.query.code, req.query), req.query.year),
      ),
  );
  app.post(
    `${b}/care/:id/decide`,
    {
      preHandler: requirePermission('workforce.pay'),
      schema: {
        tags,
        summary: 'Approve or refuse a care-fund application (a refusal needs a reason)',
        params: S.IdParams,
        body: Type.Object(
          { version: S.Version, approve: Type.Boolean(), note: Type.Optional(Type.String({ maxLength: 200 })) },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => honours.decideCare(ctx, requireActor(req), req.params.id, req.body),
  );

  app.get(
    `${b}/health-checks`,
    { preHandler: manage, schema: { tags, summary: "Who has had the year's health check: done, due or overdue", querystring: PlaceYear } },
    async (req) => views.healthChecks(ctx, requireActor(req), req.query.code, req.query.year),
  );
  app.get(
    `${b}/health-checks.xlsx`,
    { preHandler: manage, schema: { tags, summary: 'The health-check list as .xlsx', querystring: PlaceYear } },
    async (req, reply) =>
      sendXlsxFile(reply, await xlsx.healthChecksXlsx(await views.healthChecks(ctx, requireActor(req), req.query.code, req.query.year))),
  );
};
