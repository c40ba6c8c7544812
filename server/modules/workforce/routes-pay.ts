import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../core/context.ts';
import { requireActor, requirePermission } from '../../core/auth/hook.ts';
import * as pay from './pay.ts';
import * as gridScores from './grid-score-service.ts';
import { attachment, fenToYuan, toXlsx } from '../../core/xlsx.ts';
import * as S from './schemas.ts';

export const payRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const tags = ['workforce-pay'];
  const payP = requirePermission('workforce.pay');
  const base = '/api/workforce/pay';
  const District = Type.Object({ districtCode: Type.String({ pattern: '^\\d{6}$' }) });

  app.get(
    `${base}/schemes`,
    { preHandler: payP, schema: { tags, summary: 'Pay schemes and their versions', querystring: District } },
    async (req) => pay.listSchemes(ctx, requireActor(req), req.query.districtCode),
  );
  app.post(
    `${base}/schemes`,
    { preHandler: payP, schema: { tags, summary: 'A new version of a scheme from a month on', body: S.SchemeCreate } },
    async (req, reply) => reply.status(201).send(await pay.createSchemeVersion(ctx, requireActor(req), req.body)),
  );
  app.post(
    `${base}/preview`,
    { preHandler: payP, schema: { tags, summary: 'What would this worker get (draft or stored rules)', body: S.Preview } },
    async (req) => pay.preview(ctx, requireActor(req), req.body),
  );
  app.get(
    `${base}/runs`,
    { preHandler: payP, schema: { tags, summary: 'Grade runs and pay runs of a district', querystring: District } },
    async (req) => pay.listRuns(ctx, requireActor(req), req.query.districtCode),
  );
  app.post(
    `${base}/grade-runs`,
    {
      preHandler: payP,
      schema: {
        tags,
        summary: 'Propose the yearly grade run (自然晋升)',
        body: Type.Object({ districtCode: Type.String({ pattern: '^\\d{6}$' }), year: S.Year }),
      },
    },
    async (req, reply) => reply.status(201).send(await pay.startGradeRun(ctx, requireActor(req), req.body)),
  );
  app.get(
    `${base}/grade-runs/:id`,
    {
      preHandler: payP,
      schema: {
        tags,
        summary: 'A grade run with each worker’s reason',
        params: S.IdParams,
        querystring: Type.Object({ onlyChanged: Type.Optional(Type.Boolean()) }),
      },
    },
    async (req) => pay.getGradeRun(ctx, requireActor(req), req.params.id, req.query),
  );
  app.post(
    `${base}/grade-runs/:id/approve`,
    {
      preHandler: payP,
      schema: {
        tags,
        summary: 'Approve: the grades take effect from January',
        params: S.IdParams,
        body: Type.Object({ version: S.Version }),
      },
    },
    async (req) => pay.approveGradeRun(ctx, requireActor(req), req.params.id, req.body.version),
  );
  app.post(
    `${base}/pay-runs`,
    {
      preHandler: payP,
      schema: {
        tags,
        summary: 'Compute (or recompute) a month’s pay',
        body: Type.Object({ districtCode: Type.String({ pattern: '^\\d{6}$' }), month: S.Month }),
      },
    },
    async (req, reply) => reply.status(201).send(await pay.computePayRun(ctx, requireActor(req), req.body)),
  );
  app.get(
    `${base}/pay-runs/:id`,
    {
      preHandler: payP,
      schema: {
        tags,
        summary: 'A month’s pay lines, explained (paged)',
        params: S.IdParams,
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })),
          offset: Type.Optional(Type.Integer({ minimum: 0 })),
        }),
      },
    },
    async (req) => pay.getPayRun(ctx, requireActor(req), req.params.id, { limit: req.query.limit ?? 500, offset: req.query.offset ?? 0 }),
  );
  app.get(
    `${base}/pay-runs/:id/export.xlsx`,
    { preHandler: payP, schema: { tags, summary: 'A month’s pay as .xlsx', params: S.IdParams } },
    async (req, reply) => {
      const run = await pay.getPayRun(ctx, requireActor(req), req.params.id);
      const codes = [...new Map(run.lines.flatMap((l) => l.items.map((i) => [i.code, i.label] as const))).entries()];
      const buf = await toXlsx(
        `${run.month} 薪酬`,
        [
          { header: '社区', value: (l: (typeof run.lines)[number]) => l.communityName, width: 14 },
          { header: '姓名', value: (l) => l.name },
          { header: '等级/档', value: (l) => l.grade },
          ...codes.map(([code, label]) => ({
            header: `${label}（元）`,
            value: (l: (typeof run.lines)[number]) => fenToYuan(l.items.find((i) => i.code === code)?.amountFen ?? 0),
            width: 14,
          })),
          { header: '合计（元）', value: (l) => fenToYuan(l.totalFen), width: 12 },
        ],
        run.lines,
        `${run.month} 社区工作者薪酬（${run.scheme.name} 第 ${run.scheme.versionNo} 版）`,
      );
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', attachment(`薪酬-${run.month}.xlsx`))
        .send(buf);
    },
  );
  app.post(
    `${base}/pay-runs/:id/confirm`,
    {
      preHandler: payP,
      schema: { tags, summary: 'Confirm a month (no recompute after)', params: S.IdParams, body: Type.Object({ version: S.Version }) },
    },
    async (req) => pay.confirmPayRun(ctx, requireActor(req), req.params.id, req.body.version),
  );
  const DistrictMonth = Type.Object({
    districtCode: Type.String({ pattern: '^\\d{6}$' }),
    month: Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$' }),
  });
  app.get(
    `${base}/grid-scores`,
    { preHandler: payP, schema: { tags, summary: "Grid workers' monthly scores with their parts", querystring: DistrictMonth } },
    async (req) => gridScores.listGridScores(ctx, requireActor(req), req.query),
  );
  app.post(
    `${base}/grid-scores`,
    { preHandler: payP, schema: { tags, summary: "Count the month's events per grid worker and score them", body: DistrictMonth } },
    async (req) => gridScores.computeGridScores(ctx, requireActor(req), req.body),
  );
};
