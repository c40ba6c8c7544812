import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../core/context.ts';
import { requireActor, requirePermission } from '../../core/auth/hook.ts';
import * as recruitment from './recruitment.ts';
import * as online from './recruitment-public.ts';
import { EDUCATION_ZH } from './pay-rules.ts';
import { attachment, toXlsx } from '../../core/xlsx.ts';
import * as S from './schemas.ts';

const STATUS_ZH: Record<string, string> = {
  submitted: '已报名',
  ineligible: '资格审查未通过',
  eligible: '资格审查通过',
  failed: '未通过',
  ranked: '合格待聘',
  selected: '拟聘（体检考察）',
  notice: '公示中',
  struck: '公示异议成立',
  appointed: '已聘用',
  reserve: '储备人才',
  reserve_used: '已递补聘用',
};

export const recruitmentRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const tags = ['workforce-recruitment'];
  const read = requirePermission('workforce.read');
  const recruit = requirePermission('workforce.recruit');
  const base = '/api/workforce/recruitment';

  app.get(`${base}/plans`, { preHandler: read, schema: { tags, summary: 'Recruitment plans' } }, async (req) => ({
    items: await recruitment.listPlans(ctx, requireActor(req)),
  }));
  app.post(
    `${base}/plans`,
    { preHandler: recruit, schema: { tags, summary: 'A plan with posts and quotas per street', body: S.PlanCreate } },
    async (req, reply) => reply.status(201).send(await recruitment.createPlan(ctx, requireActor(req), req.body)),
  );
  app.get(
    `${base}/plans/:id`,
    { preHandler: read, schema: { tags, summary: 'A plan with its posts and counts by status', params: S.IdParams } },
    async (req) => recruitment.getPlan(ctx, requireActor(req), req.params.id),
  );
  app.post(
    `${base}/plans/:id/advance`,
    { preHandler: recruit, schema: { tags, summary: 'Move the plan to its next stage', params: S.IdParams, body: S.Advance } },
    async (req) => recruitment.advance(ctx, requireActor(req), req.params.id, req.body),
  );
  app.post(
    `${base}/plans/:id/applications`,
    { preHandler: recruit, schema: { tags, summary: 'An application (报名)', params: S.IdParams, body: S.ApplicationCreate } },
    async (req, reply) => reply.status(201).send(await recruitment.apply(ctx, requireActor(req), req.params.id, req.body)),
  );
  const AppQuery = Type.Object({ status: Type.Optional(S.AppStatus), postId: Type.Optional(S.Uuid) });
  app.get(
    `${base}/plans/:id/applications`,
    { preHandler: read, schema: { tags, summary: 'Applications, ranked', params: S.IdParams, querystring: AppQuery } },
    async (req) => ({
      items: await recruitment.listApplications(ctx, requireActor(req), req.params.id, req.query),
    }),
  );
  app.get(
    `${base}/plans/:id/applications.xlsx`,
    { preHandler: read, schema: { tags, summary: "A stage's list as .xlsx", params: S.IdParams, querystring: AppQuery } },
    async (req, reply) => {
      const items = await recruitment.listApplications(ctx, requireActor(req), req.params.id, req.query);
      const buf = await toXlsx(
        '招聘名单',
        [
          { header: '街道', value: (a) => a.streetName, width: 14 },
          { header: '岗位', value: (a) => a.postName, width: 18 },
          { header: '姓名', value: (a) => a.name },
          { header: '证件号码', value: (a) => a.idMasked, width: 22 },
          { header: '学历', value: (a) => EDUCATION_ZH[a.education] },
          { header: '专业', value: (a) => a.major, width: 14 },
          { header: '笔试', value: (a) => a.writtenScore },
          { header: '加分', value: (a) => a.bonusPoints },
          { header: '面试', value: (a) => a.interviewScore },
          { header: '总成绩', value: (a) => a.totalScore },
          { header: '名次', value: (a) => a.rank },
          { header: '状态', value: (a) => STATUS_ZH[a.status] ?? a.status, width: 16 },
          { header: '储备序号', value: (a) => a.reserveRank },
          { header: '说明', value: (a) => [...a.screening, a.statusReason].filter(Boolean).join('；'), width: 40 },
        ],
        items,
      );
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', attachment(req.query.status ? `招聘名单-${STATUS_ZH[req.query.status]}.xlsx` : '招聘名单.xlsx'))
        .send(buf);
    },
  );
  app.put(
    `${base}/plans/:id/scores`,
    { preHandler: recruit, schema: { tags, summary: 'Written or interview scores', params: S.IdParams, body: S.Scores } },
    async (req) => ({
      items: await recruitment.recordScores(ctx, requireActor(req), req.params.id, req.body),
    }),
  );
  app.get(
    `${base}/plans/:id/objections`,
    { preHandler: read, schema: { tags, summary: 'Objections raised during the notice', params: S.IdParams } },
    async (req) => ({
      items: await recruitment.objectionsOf(ctx, requireActor(req), req.params.id),
    }),
  );
  app.post(
    `${base}/applications/:id/screen`,
    { preHandler: recruit, schema: { tags, summary: 'Screening decision by hand', params: S.IdParams, body: S.Screen } },
    async (req) => recruitment.screenApplication(ctx, requireActor(req), req.params.id, req.body),
  );
  app.post(
    `${base}/applications/:id/checks`,
    { preHandler: recruit, schema: { tags, summary: 'Medical and background results', params: S.IdParams, body: S.Checks } },
    async (req) => recruitment.recordChecks(ctx, requireActor(req), req.params.id, req.body),
  );
  app.post(
    `${base}/applications/:id/objections`,
    { preHandler: recruit, schema: { tags, summary: 'Record an objection (公示异议)', params: S.IdParams, body: S.Objection } },
    async (req, reply) => reply.status(201).send(await recruitment.addObjection(ctx, requireActor(req), req.params.id, req.body)),
  );
  app.post(
    `${base}/objections/:id/decide`,
    { preHandler: recruit, schema: { tags, summary: 'Decide an objection', params: S.IdParams, body: S.ObjectionDecision } },
    async (req) => recruitment.decideObjection(ctx, requireActor(req), req.params.id, req.body),
  );
  // ---- the public online form (no sign-in; rate-limited per address)
  const pub = '/api/public/recruitment';
  const publicTags = ['workforce-recruitment-public'];
  app.get(
    `${pub}/plans`,
    {
      config: { public: true, rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: { tags: publicTags, security: [], summary: 'Plans taking applications now' },
    },
    async () => ({ items: await online.openPlans(ctx) }),
  );
  app.get(
    `${pub}/plans/:id`,
    {
      config: { public: true, rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: { tags: publicTags, security: [], summary: 'A plan, its posts and requirements, for applicants', params: S.IdParams },
    },
    async (req) => online.publicPlan(ctx, req.params.id),
  );
  app.post(
    `${pub}/plans/:id/applications`,
    {
      config: { public: true, rateLimit: { max: 10, timeWindow: '1 minute' } },
      bodyLimit: 16 * 1024 * 1024,
      schema: {
        tags: publicTags,
        security: [],
        summary: 'Apply online with certificate scans (PDF/JPEG/PNG ≤ 2 MB); answers with a pre-check of the requirements',
        params: S.IdParams,
        body: S.OnlineApplication,
      },
    },
    async (req, reply) => {
      const r = await online.applyOnline(ctx, req.params.id, req.body, req.ip);
      return reply.status(r.replayed ? 200 : 201).send(r);
    },
  );
  app.get(
    `${base}/applications/:id/files/:fileId`,
    {
      preHandler: read,
      schema: { tags, summary: "An applicant's uploaded certificate scan", params: Type.Object({ id: S.Uuid, fileId: S.Uuid }) },
    },
    async (req, reply) => {
      const f = await online.applicationFile(ctx, requireActor(req), req.params.id, req.params.fileId);
      return reply.header('content-type', f.mime).header('content-disposition', attachment(f.fileName)).send(f.content);
    },
  );
};
