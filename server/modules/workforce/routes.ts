import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../core/context.ts';
import { requireActor, requirePermission } from '../../core/auth/hook.ts';
import { localDay } from '../../core/calendar.ts';
import * as archive from './archive.ts';
import { archivePdf } from './archive-pdf.ts';
import * as staffing from './staffing.ts';
import { POST_ZH, EDUCATION_ZH, CERTIFICATE_ZH } from './pay-rules.ts';
import { attachment, toXlsx } from '../../core/xlsx.ts';
import * as S from './schemas.ts';
import { recruitmentRoutes } from './routes-recruitment.ts';
import { payRoutes } from './routes-pay.ts';
import { careRoutes } from './routes-care.ts';
import { exportRoutes } from './routes-exports.ts';

/** Workforce API (/api/workforce): archives and staffing here; recruitment, pay, training/honours/rota and more .xlsx exports beside. */
export const workforceRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const tags = ['workforce'];
  const read = requirePermission('workforce.read');
  const manage = requirePermission('workforce.manage');

  app.get(
    '/api/workforce/workers',
    { preHandler: read, schema: { tags, summary: 'Workers I may see (一人一档 list)', querystring: S.WorkerQuery } },
    async (req) => ({
      items: await archive.listWorkers(ctx, requireActor(req), req.query),
    }),
  );

  app.get(
    '/api/workforce/workers.xlsx',
    { preHandler: read, schema: { tags, summary: 'The worker list as .xlsx', querystring: S.WorkerQuery } },
    async (req, reply) => {
      const items = await archive.listWorkers(ctx, requireActor(req), { ...req.query, limit: req.query.limit ?? 5000 });
      const buf = await toXlsx(
        '社区工作者',
        [
          { header: '街道', value: (w) => w.streetName, width: 14 },
          { header: '社区', value: (w) => w.communityName, width: 14 },
          { header: '姓名', value: (w) => w.name, width: 10 },
          { header: '性别', value: (w) => (w.gender === 'M' ? '男' : w.gender === 'F' ? '女' : '') },
          { header: '年龄', value: (w) => w.age },
          { header: '岗位', value: (w) => (w.post ? POST_ZH[w.post] : ''), width: 16 },
          { header: '职务', value: (w) => w.title, width: 16 },
          { header: '学历', value: (w) => EDUCATION_ZH[w.education] },
          {
            header: '职业资格',
            value: (w) => (w.topCertificate ? CERTIFICATE_ZH[w.topCertificate as keyof typeof CERTIFICATE_ZH] : ''),
            width: 16,
          },
          { header: '参加工作', value: (w) => w.workStart, width: 12 },
          { header: '工作年限', value: (w) => w.yearsOfService },
          { header: '党务工作者', value: (w) => (w.partyAffairs ? '是' : '') },
          { header: '岗前培训', value: (w) => w.onboardedOn ?? '未完成', width: 12 },
        ],
        items,
        '社区工作者名册',
      );
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', attachment('社区工作者名册.xlsx'))
        .send(buf);
    },
  );

  app.post(
    '/api/workforce/workers',
    { preHandler: manage, schema: { tags, summary: 'Open an archive (finds or registers the person)', body: S.WorkerCreate } },
    async (req, reply) => reply.status(201).send(await archive.createWorker(ctx, requireActor(req), req.body)),
  );
  app.get(
    '/api/workforce/workers/:id',
    { preHandler: read, schema: { tags, summary: 'A worker archive', params: S.IdParams } },
    async (req) => archive.getArchive(ctx, requireActor(req), req.params.id),
  );
  app.get(
    '/api/workforce/workers/:id/archive.pdf',
    { preHandler: read, schema: { tags, summary: 'The printable archive sheet (PDF)', params: S.IdParams } },
    async (req, reply) => {
      const a = await archive.getArchive(ctx, requireActor(req), req.params.id);
      const pdf = await archivePdf(a, localDay(new Date()));
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', attachment(`社区工作者档案-${a.name}.pdf`))
        .send(pdf);
    },
  );
  app.patch(
    '/api/workforce/workers/:id',
    { preHandler: manage, schema: { tags, summary: 'Change archive fields', params: S.IdParams, body: S.WorkerPatch } },
    async (req) => archive.updateWorker(ctx, requireActor(req), req.params.id, req.body),
  );
  app.post(
    '/api/workforce/workers/:id/posts',
    { preHandler: manage, schema: { tags, summary: 'A new post (closes the current one)', params: S.IdParams, body: S.PostChange } },
    async (req) => archive.changePost(ctx, requireActor(req), req.params.id, req.body),
  );
  app.post(
    '/api/workforce/workers/:id/leave',
    { preHandler: manage, schema: { tags, summary: 'Leaving or retiring (opens a vacancy)', params: S.IdParams, body: S.Leave } },
    async (req) => archive.leave(ctx, requireActor(req), req.params.id, req.body),
  );
  app.post(
    '/api/workforce/workers/:id/certificates',
    {
      preHandler: manage,
      schema: { tags, summary: 'Add a certificate (with an optional scan)', params: S.IdParams, body: S.CertificateCreate },
      bodyLimit: 1_100_000,
    },
    async (req, reply) => reply.status(201).send(await archive.addCertificate(ctx, requireActor(req), req.params.id, req.body)),
  );
  app.get(
    '/api/workforce/workers/:id/certificates/:certId/scan',
    { preHandler: read, schema: { tags, summary: 'A certificate scan', params: Type.Object({ id: S.Uuid, certId: S.Uuid }) } },
    async (req, reply) => {
      const s = await archive.certificateScan(ctx, requireActor(req), req.params.id, req.params.certId);
      return reply.header('content-type', s.type).header('content-disposition', attachment(s.name)).send(s.data);
    },
  );
  app.put(
    '/api/workforce/workers/:id/appraisals/:year',
    {
      preHandler: manage,
      schema: { tags, summary: 'Annual appraisal (年度考核)', params: Type.Object({ id: S.Uuid, year: S.Year }), body: S.AppraisalSet },
    },
    async (req) => archive.setAppraisal(ctx, requireActor(req), req.params.id, req.params.year, req.body),
  );

  // ---------------------------------------------------------------- staffing
  app.get(
    '/api/workforce/staffing/:code',
    { preHandler: read, schema: { tags, summary: 'Staffing of a district, street or community', params: S.CodeParams } },
    async (req) => staffing.overview(ctx, requireActor(req), req.params.code),
  );
  app.get(
    '/api/workforce/staffing/:code/export.xlsx',
    { preHandler: read, schema: { tags, summary: 'Staffing as .xlsx', params: S.CodeParams } },
    async (req, reply) => {
      const o = await staffing.overview(ctx, requireActor(req), req.params.code);
      const buf = await toXlsx(
        '队伍配置',
        [
          { header: '街道', value: (c) => c.streetName, width: 14 },
          { header: '社区', value: (c) => c.name, width: 16 },
          { header: '常住人口', value: (c) => c.residents },
          { header: '社工人数', value: (c) => c.workers },
          { header: '每万人社工数', value: (c) => c.per10k },
          { header: '目标', value: (c) => c.target },
          { header: '缺口', value: (c) => c.shortfall },
          { header: '党务工作者', value: (c) => c.partyAffairs },
          { header: '职数', value: (c) => c.authorizedPosts },
          { header: '空缺', value: (c) => c.vacancies },
          { header: '可递补储备', value: (c) => c.reserveAvailable },
        ],
        o.communities,
        `${o.name} 社区工作者配置（目标每万人 ${o.target} 名）`,
      );
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', attachment(`队伍配置-${o.name}.xlsx`))
        .send(buf);
    },
  );
  app.put(
    '/api/workforce/staffing/communities/:code',
    {
      preHandler: manage,
      schema: { tags, summary: 'Residents and posts (职数) of a community', params: S.CodeParams, body: S.CommunityStaffing },
    },
    async (req) => staffing.setCommunity(ctx, requireActor(req), req.params.code, req.body),
  );
  app.post(
    '/api/workforce/staffing/communities/:code/fill',
    { preHandler: manage, schema: { tags, summary: 'Fill a vacancy from the reserve pool (随缺随补)', params: S.CodeParams } },
    async (req, reply) => reply.status(201).send(await staffing.fillVacancy(ctx, requireActor(req), req.params.code)),
  );
  app.get(
    '/api/workforce/settings/:code',
    { preHandler: read, schema: { tags, summary: "A district's workforce settings", params: S.CodeParams } },
    async (req) => staffing.settingsOf(ctx, req.params.code.slice(0, 6)),
  );
  app.patch(
    '/api/workforce/settings/:code',
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'Change the target ratio, honour thresholds, training minimum, pay scheme',
        params: S.CodeParams,
        body: S.SettingsPatch,
      },
    },
    async (req) => staffing.updateSettings(ctx, requireActor(req), req.params.code, req.body),
  );

  await app.register(recruitmentRoutes, { ctx });
  await app.register(payRoutes, { ctx });
  await app.register(careRoutes, { ctx });
  await app.register(exportRoutes, { ctx });
};
