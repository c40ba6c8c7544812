import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../core/context.ts';
import { requireActor, requirePermission } from '../../core/auth/hook.ts';
import * as training from './training.ts';
import { honourRoutes } from './routes-honours.ts';
import * as rota from './rota-service.ts';
import * as visits from './visits.ts';
import { attachment, toXlsx } from '../../core/xlsx.ts';
import * as S from './schemas.ts';

/** Training and the rota; honours and care in their own plugin (routes-honours.ts). */
export const careRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const tags = ['workforce-training-honours-rota'];
  const read = requirePermission('workforce.read');
  const manage = requirePermission('workforce.manage');
  const b = '/api/workforce';
  const District = Type.Object({ districtCode: Type.String({ pattern: '^\\d{6}$' }), year: Type.Optional(S.Year) });

  app.get(
    `${b}/training/programmes`,
    { preHandler: manage, schema: { tags, summary: 'Training programmes and sessions', querystring: District } },
    async (req) => ({
      items: await training.listProgrammes(ctx, requireActor(req), req.query.districtCode, req.query.year),
    }),
  );
  app.post(
    `${b}/training/programmes`,
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'A programme',
        body: Type.Object({
          districtCode: Type.String({ pattern: '^\\d{6}$' }),
          name: Type.String({ minLength: 2, maxLength: 60 }),
          kind: S.TrainingKind,
          year: S.Year,
        }),
      },
    },
    async (req, reply) => reply.status(201).send(await training.createProgramme(ctx, requireActor(req), req.body)),
  );
  app.post(
    `${b}/training/programmes/:id/sessions`,
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'A session of a programme',
        params: S.IdParams,
        body: Type.Object({
          title: Type.String({ minLength: 2, maxLength: 80 }),
          startOn: S.Day,
          days: Type.Number({ exclusiveMinimum: 0, maximum: 60 }),
          hours: Type.Number({ exclusiveMinimum: 0, maximum: 500 }),
          place: Type.Optional(Type.String({ maxLength: 80 })),
        }),
      },
    },
    async (req, reply) => reply.status(201).send(await training.createSession(ctx, requireActor(req), req.params.id, req.body)),
  );
  app.post(
    `${b}/training/sessions/:id/attendance`,
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'Who attended (onboarding marks them onboarded)',
        params: S.IdParams,
        body: Type.Object({ workerIds: Type.Array(S.Uuid, { minItems: 1, maxItems: 500 }) }),
      },
    },
    async (req) => training.recordAttendance(ctx, requireActor(req), req.params.id, req.body.workerIds),
  );
  const Compliance = Type.Object({ code: Type.String({ pattern: '^\\d{6,12}$' }), year: S.Year });
  app.get(
    `${b}/training/compliance`,
    { preHandler: manage, schema: { tags, summary: 'Workers under the yearly minimum of training days', querystring: Compliance } },
    async (req) => training.compliance(ctx, requireActor(req), req.query.code, req.query.year),
  );
  app.get(
    `${b}/training/compliance.xlsx`,
    { preHandler: manage, schema: { tags, summary: 'The compliance list as .xlsx', querystring: Compliance } },
    async (req, reply) => {
      const c = await training.compliance(ctx, requireActor(req), req.query.code, req.query.year);
      const buf = await toXlsx(
        '培训未达标',
        [
          { header: '社区', value: (r: (typeof c.below)[number]) => r.communityName, width: 16 },
          { header: '姓名', value: (r) => r.name },
          { header: '培训天数', value: (r) => r.days },
          { header: '岗前培训', value: (r) => (r.onboarded ? '已完成' : '未完成') },
        ],
        c.below,
        `${c.year} 年度培训不足 ${c.minDays} 天名单`,
      );
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', attachment(`培训未达标-${c.year}.xlsx`))
        .send(buf);
    },
  );
  app.post(
    `${b}/training/mentors`,
    {
      preHandler: manage,
      schema: { tags, summary: 'A mentor pair (导师帮带)', body: Type.Object({ mentorId: S.Uuid, menteeId: S.Uuid, startOn: S.Day }) },
    },
    async (req, reply) => reply.status(201).send(await training.addMentor(ctx, requireActor(req), req.body)),
  );
  app.get(
    `${b}/training/mentors`,
    {
      preHandler: manage,
      schema: { tags, summary: 'Mentor pairs under a place', querystring: Type.Object({ code: Type.String({ pattern: '^\\d{6,12}$' }) }) },
    },
    async (req) => training.listMentors(ctx, requireActor(req), req.query.code),
  );

  const RotaQuery = Type.Object({ communityCode: Type.String({ pattern: '^\\d{12}$' }), month: S.Month });
  app.get(
    `${b}/rota`,
    { preHandler: read, schema: { tags, summary: "A community's rota for a month", querystring: RotaQuery } },
    async (req) => rota.getRota(ctx, requireActor(req), req.query.communityCode, req.query.month),
  );
  app.post(
    `${b}/rota/generate`,
    { preHandler: manage, schema: { tags, summary: 'Generate a fair rota for a month', body: RotaQuery } },
    async (req) => rota.generateRota(ctx, requireActor(req), req.body.communityCode, req.body.month),
  );
  app.post(
    `${b}/rota/duties`,
    {
      preHandler: manage,
      schema: { tags, summary: 'Put a worker on duty (refused before onboarding)', body: Type.Object({ workerId: S.Uuid, day: S.Day }) },
    },
    async (req, reply) => reply.status(201).send(await rota.assignDuty(ctx, requireActor(req), req.body)),
  );

  app.get(
    `${b}/visits`,
    {
      preHandler: read,
      schema: { tags, summary: "A grid worker's visits (走访) in a month: one's own, or HR's", querystring: S.VisitQuery },
    },
    async (req) => visits.listVisits(ctx, requireActor(req), req.query),
  );
  app.post(
    `${b}/visits`,
    { preHandler: read, schema: { tags, summary: 'Log a visit (走访); counted in the grid score', body: S.VisitCreate } },
    async (req, reply) => reply.status(201).send(await visits.logVisit(ctx, requireActor(req), req.body)),
  );
  await app.register(honourRoutes, { ctx });
};
