import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { requireActor, requirePermission } from '../../core/auth/hook.ts';
import { StringEnum } from '../../core/schema.ts';
import * as imports from './import-service.ts';
import * as preview from './import-preview.ts';
import { exportPersons, exportRecords } from './export-service.ts';
import { PersonSearchQuery } from './schemas.ts';
import { templateCsv, writeTemplate, writeProblemReport } from './spreadsheets.ts';
import { IMPORT_KINDS, KIND_TITLE, type ImportKind } from './import-columns.ts';

/**
 * Uploads go to the system temp directory (never the data directory: the file holds ID numbers in
 * clear), mode 0600, and are deleted as soon as validation has read them. One directory per
 * process, so instances (and test workers) on one machine never see each other's files.
 */
export const UPLOAD_DIR = path.join(os.tmpdir(), 'gongzhi-import', String(process.pid));
const MAX_UPLOAD = 60 * 1024 * 1024;

const Mode = StringEnum(['all', 'valid'] as const);
const Kind = StringEnum(IMPORT_KINDS);
/** The wizard's column mapping: one field key per column of the file, comma-separated, empty for a column left out. */
const Columns = Type.String({ maxLength: 2000, pattern: '^[A-Za-z,]*$' });
const JobView = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  districtCode: Type.String(),
  communityCode: Type.String(),
  fileName: Type.String(),
  mode: Type.Union([Mode, Type.Null()]),
  status: Type.String(),
  total: Type.Integer(),
  processed: Type.Integer(),
  progress: Type.Integer(),
  imported: Type.Integer(),
  updated: Type.Integer(),
  rejected: Type.Integer(),
  valid: Type.Integer(),
  problemCount: Type.Integer(),
  problems: Type.Array(Type.Object({ row: Type.Integer(), column: Type.String(), reason: Type.String() })),
  message: Type.Union([Type.String(), Type.Null()]),
  createdBy: Type.String(),
  createdAt: Type.String(),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
});
const JobParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function attachment(name: string) {
  return `attachment; filename="${encodeURIComponent(name).replace(/%[0-9A-F]{2}/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export const importRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const tags = ['registry'];
  const canImport = { preHandler: requirePermission('registry.import') };

  for (const kind of IMPORT_KINDS) {
    const name = `${KIND_TITLE[kind]}导入模板`;
    app.get(
      `/api/registry/templates/${kind}.xlsx`,
      { preHandler: requirePermission('registry.read'), schema: { tags, summary: `The ${kind} import template (Chinese headers)` } },
      async (_req, reply) => {
        const out = new PassThrough();
        reply.header('content-type', XLSX).header('content-disposition', attachment(`${name}.xlsx`));
        void writeTemplate(out, kind).catch((err) => out.destroy(err));
        return reply.send(out);
      },
    );
    app.get(
      `/api/registry/templates/${kind}.csv`,
      { preHandler: requirePermission('registry.read'), schema: { tags, summary: `The ${kind} import template as UTF-8 CSV` } },
      async (_req, reply) =>
        reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', attachment(`${name}.csv`))
          .send(templateCsv(kind)),
    );
  }

  /** Saves the multipart field "file" under UPLOAD_DIR (0600); the caller removes it. */
  async function receive(req: FastifyRequest) {
    if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
    const file = await req.file();
    if (!file) throw new AppError('VALIDATION_FAILED', { problems: [{ field: 'file', reason: '请选择要导入的文件' }] });
    await fs.promises.mkdir(UPLOAD_DIR, { recursive: true, mode: 0o700 });
    const ext = /\.csv$/i.test(file.filename) ? '.csv' : '.xlsx';
    const tmp = path.join(UPLOAD_DIR, `${crypto.randomUUID()}${ext}`);
    try {
      await pipeline(file.file, fs.createWriteStream(tmp, { mode: 0o600 }));
    } catch (err) {
      await fs.promises.rm(tmp, { force: true });
      throw err;
    }
    if (file.file.truncated) {
      await fs.promises.rm(tmp, { force: true });
      throw new AppError('PAYLOAD_TOO_LARGE', { maxBytes: MAX_UPLOAD });
    }
    return { tmp, fileName: file.filename };
  }

  app.post(
    '/api/registry/imports/preview',
    {
      ...canImport,
      schema: {
        tags,
        summary: 'The column-mapping step: headers, suggested fields, sample rows (long numbers masked); nothing is kept',
        querystring: Type.Object({ kind: Type.Optional(Kind) }),
        response: {
          200: Type.Object({
            kind: Type.String(),
            headers: Type.Array(Type.String()),
            suggested: Type.Array(Type.Union([Type.String(), Type.Null()])),
            matchedByName: Type.Boolean(),
            fields: Type.Array(Type.Object({ key: Type.String(), header: Type.String(), required: Type.Boolean(), note: Type.String() })),
            samples: Type.Array(Type.Array(Type.String())),
          }),
        },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const { tmp, fileName } = await receive(req);
      try {
        return await preview.previewFile(ctx, actor, { filePath: tmp, fileName, kind: req.query.kind });
      } finally {
        await fs.promises.rm(tmp, { force: true });
      }
    },
  );

  app.post(
    '/api/registry/imports',
    {
      ...canImport,
      schema: {
        tags,
        summary: 'Upload .xlsx or .csv (multipart field "file"); validation runs in the background',
        querystring: Type.Object({
          communityCode: Type.String({ pattern: '^[0-9]{12}$' }),
          mode: Type.Optional(Mode),
          kind: Type.Optional(Kind),
          columns: Type.Optional(Columns),
        }),
        response: { 202: JobView },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const { tmp, fileName } = await receive(req);
      const jobId = await imports.startImport(ctx, actor, {
        kind: req.query.kind as ImportKind | undefined,
        filePath: tmp,
        fileName,
        communityCode: req.query.communityCode,
        mode: req.query.mode,
        columns: req.query.columns === undefined ? undefined : req.query.columns.split(',').map((k) => k || null),
        deleteFile: true,
      });
      return reply.status(202).send(await imports.getJob(ctx, actor, jobId));
    },
  );

  app.get(
    '/api/registry/imports/:id',
    {
      ...canImport,
      schema: { tags, summary: 'An import: status, progress, counts, the first problems', params: JobParams, response: { 200: JobView } },
    },
    async (req) => imports.getJob(ctx, requireActor(req), req.params.id),
  );

  app.post(
    '/api/registry/imports/:id/commit',
    {
      ...canImport,
      schema: {
        tags,
        summary: 'Import a validated file: all or nothing, or only the good rows',
        params: JobParams,
        body: Type.Object({ mode: Mode }, { additionalProperties: false }),
        response: { 202: JobView },
      },
    },
    async (req, reply) => reply.status(202).send(await imports.commitInBackground(ctx, requireActor(req), req.params.id, req.body.mode)),
  );

  app.post(
    '/api/registry/imports/:id/cancel',
    { ...canImport, schema: { tags, summary: 'Drop a validated import', params: JobParams, response: { 200: JobView } } },
    async (req) => imports.cancel(ctx, requireActor(req), req.params.id),
  );

  app.get(
    '/api/registry/imports/:id/report.xlsx',
    { ...canImport, schema: { tags, summary: 'Every bad row: row number, column, reason', params: JobParams } },
    async (req, reply) => {
      const actor = requireActor(req);
      const job = await imports.getJob(ctx, actor, req.params.id);
      const problems = await imports.jobProblems(ctx, actor, req.params.id);
      const out = new PassThrough();
      reply.header('content-type', XLSX).header('content-disposition', attachment(`导入错误报告-${job.fileName}.xlsx`));
      void writeProblemReport(out, job.fileName, problems).catch((err) => out.destroy(err));
      return reply.send(out);
    },
  );

  app.get(
    '/api/registry/persons/export.xlsx',
    {
      preHandler: requirePermission('registry.read'),
      schema: {
        tags,
        summary: 'Export a filtered list of people (masked; in clear with reveal=true, a reason and registry.reveal)',
        querystring: Type.Object({
          ...PersonSearchQuery.properties,
          reveal: Type.Optional(Type.Boolean()),
          reason: Type.Optional(Type.String({ maxLength: 200 })),
        }),
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const { reveal, reason, cursor: _c, limit: _l, ...filter } = req.query;
      void _c;
      void _l;
      if (reveal && !actor.can('registry.reveal')) throw new AppError('FORBIDDEN', { permission: 'registry.reveal' });
      if (reveal && (reason ?? '').trim().length < 2) {
        throw new AppError('VALIDATION_FAILED', { problems: [{ field: 'reason', reason: '请填写导出明文的原因' }] });
      }
      const out = new PassThrough();
      reply.header('content-type', XLSX).header('content-disposition', attachment('人口信息导出.xlsx'));
      void exportPersons(ctx, actor, filter, reveal ? { reason: reason ?? '' } : null, out).catch((err) => out.destroy(err));
      return reply.send(out);
    },
  );

  app.get(
    '/api/registry/units/export.xlsx',
    {
      preHandler: requirePermission('registry.read'),
      schema: {
        tags,
        summary: 'Export a filtered list of units under the import template headers (phones masked)',
        querystring: Type.Object({
          q: Type.Optional(Type.String({ maxLength: 60 })),
          unitType: Type.Optional(StringEnum(['enterprise', 'individual', 'government', 'institution', 'social', 'other'] as const)),
          territoryCode: Type.Optional(Type.String({ pattern: '^[0-9]{6,24}$' })),
        }),
      },
    },
    async (req, reply) => {
      const out = new PassThrough();
      reply.header('content-type', XLSX).header('content-disposition', attachment('单位信息导出.xlsx'));
      void exportRecords(ctx, requireActor(req), 'units', req.query, out).catch((err) => out.destroy(err));
      return reply.send(out);
    },
  );

  app.get(
    '/api/registry/vehicles/export.xlsx',
    {
      preHandler: requirePermission('registry.read'),
      schema: {
        tags,
        summary: 'Export a filtered list of vehicles under the import template headers',
        querystring: Type.Object({
          q: Type.Optional(Type.String({ maxLength: 20 })),
          plateKind: Type.Optional(StringEnum(['ordinary', 'new_energy'] as const)),
          territoryCode: Type.Optional(Type.String({ pattern: '^[0-9]{6,24}$' })),
        }),
      },
    },
    async (req, reply) => {
      const out = new PassThrough();
      reply.header('content-type', XLSX).header('content-disposition', attachment('车辆信息导出.xlsx'));
      void exportRecords(ctx, requireActor(req), 'vehicles', req.query, out).catch((err) => out.destroy(err));
      return reply.send(out);
    },
  );
};
