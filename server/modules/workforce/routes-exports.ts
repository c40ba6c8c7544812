import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../core/context.ts';
import { requireActor, requirePermission } from '../../core/auth/hook.ts';
import * as pay from './pay.ts';
import * as gridScores from './grid-score-service.ts';
import * as rota from './rota-service.ts';
import * as training from './training.ts';
import * as recruitment from './recruitment.ts';
import * as sheets from './list-exports.ts';
import { sendXlsxFile } from '../../core/xlsx.ts';
import * as S from './schemas.ts';

/**
 * Excel out for the workforce lists that the other route files do not export themselves (the
 * sheets are built in list-exports.ts). Each reads through the same service as its JSON list, so
 * the caller's scope applies unchanged.
 */

export const exportRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const tags = ['workforce-exports'];
  const read = requirePermission('workforce.read');
  const manage = requirePermission('workforce.manage');
  const payP = requirePermission('workforce.pay');
  const b = '/api/workforce';

  app.get(
    `${b}/pay/grade-runs/:id/export.xlsx`,
    { preHandler: payP, schema: { tags, summary: 'A grade run’s proposals with their reasons as .xlsx', params: S.IdParams } },
    async (req, reply) =>
      sendXlsxFile(reply, await sheets.gradeRunXlsx(await pay.getGradeRun(ctx, requireActor(req), req.params.id, { limit: 100_000 }))),
  );

  app.get(
    `${b}/rota.xlsx`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: "A community's rota for a month as .xlsx",
        querystring: Type.Object({ communityCode: Type.String({ pattern: '^\\d{12}$' }), month: S.Month }),
      },
    },
    async (req, reply) =>
      sendXlsxFile(reply, await sheets.rotaXlsx(await rota.getRota(ctx, requireActor(req), req.query.communityCode, req.query.month))),
  );

  app.get(
    `${b}/pay/grid-scores.xlsx`,
    {
      preHandler: payP,
      schema: {
        tags,
        summary: "Grid workers' scores of a month with their parts as .xlsx",
        querystring: Type.Object({ districtCode: Type.String({ pattern: '^\\d{6}$' }), month: S.Month }),
      },
    },
    async (req, reply) =>
      sendXlsxFile(reply, await sheets.gridScoresXlsx(await gridScores.listGridScores(ctx, requireActor(req), req.query), req.query.month)),
  );

  app.get(
    `${b}/training/mentors.xlsx`,
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'Mentor pairs (导师帮带) under a place as .xlsx',
        querystring: Type.Object({ code: Type.String({ pattern: '^\\d{6,12}$' }) }),
      },
    },
    async (req, reply) => sendXlsxFile(reply, await sheets.mentorsXlsx(await training.listMentors(ctx, requireActor(req), req.query.code))),
  );

  app.get(
    `${b}/recruitment/plans/:id/objections.xlsx`,
    { preHandler: read, schema: { tags, summary: 'Objections to the notice (公示异议) as .xlsx', params: S.IdParams } },
    async (req, reply) => {
      const actor = requireActor(req);
      const plan = await recruitment.getPlan(ctx, actor, req.params.id);
      const items = await recruitment.objectionsOf(ctx, actor, req.params.id);
      return sendXlsxFile(reply, await sheets.objectionsXlsx(plan, items));
    },
  );
};
