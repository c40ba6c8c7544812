import { sendXlsxFile } from '../../core/xlsx.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../core/context.ts';
import { requireActor, requirePermission } from '../../core/auth/hook.ts';
import { StringEnum } from '../../core/schema.ts';
import * as certificates from './certificates.ts';
import * as register from './certificate-register.ts';
import { CertificateList, CertificateView, IssuedCertificatePage, Uuid, Verification } from './schemas.ts';

/** HTTP for certificate lists, issuing, printing and the public verification. */
export const certificateRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const tags = ['certificates'];
  const CommunityParam = Type.Object({ communityCode: Type.String({ pattern: '^[0-9]{12}$' }) });

  app.get(
    '/api/certificates/types',
    {
      preHandler: requirePermission('service.read'),
      schema: { tags, summary: 'Known certificate types: which a community may list, and who verifies the others' },
    },
    async () => ({ items: certificates.listTypes() }),
  );

  app.get(
    '/api/certificates/lists/:communityCode',
    {
      preHandler: requirePermission('service.read'),
      schema: {
        tags,
        summary: "A community's certificate list (证明事项清单) with legal bases",
        params: CommunityParam,
        response: { 200: CertificateList },
      },
    },
    async (req) => certificates.getList(ctx, requireActor(req), req.params.communityCode),
  );

  app.post(
    '/api/certificates/lists/:communityCode',
    {
      preHandler: requirePermission('service.configure'),
      schema: {
        tags,
        summary: "Add a type to a community's certificate list",
        params: CommunityParam,
        body: Type.Object(
          {
            typeKey: Type.String({ maxLength: 40 }),
            legalBasis: Type.Optional(Type.String({ maxLength: 300 })),
            validityDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: CertificateList },
      },
    },
    async (req) => certificates.addListEntry(ctx, requireActor(req), { communityCode: req.params.communityCode, ...req.body }),
  );

  app.delete(
    '/api/certificates/lists/:communityCode/:entryId',
    {
      preHandler: requirePermission('service.configure'),
      schema: {
        tags,
        summary: "Remove a type from a community's certificate list",
        params: Type.Object({ communityCode: Type.String({ pattern: '^[0-9]{12}$' }), entryId: Type.String({ format: 'uuid' }) }),
        response: { 200: CertificateList },
      },
    },
    async (req) => certificates.removeListEntry(ctx, requireActor(req), req.params.communityCode, req.params.entryId),
  );

  app.post(
    '/api/certificates',
    {
      preHandler: requirePermission('certificate.issue'),
      schema: {
        tags,
        summary: 'Issue a certificate (refused when the type is not on the community list)',
        body: Type.Object(
          {
            communityCode: Type.String({ pattern: '^[0-9]{12}$' }),
            personId: Type.String({ format: 'uuid' }),
            typeKey: Type.String({ maxLength: 40 }),
            purpose: Type.String({ minLength: 2, maxLength: 100 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: CertificateView },
      },
    },
    async (req, reply) => reply.status(201).send(await certificates.issue(ctx, requireActor(req), req.body)),
  );

  app.get(
    '/api/certificates',
    {
      preHandler: requirePermission('service.read'),
      schema: {
        tags,
        summary: 'Issued certificates in my scope, or my own',
        querystring: Type.Object({ communityCode: Type.Optional(Type.String({ pattern: '^[0-9]{12}$' })) }),
        response: { 200: Type.Object({ items: Type.Array(CertificateView) }) },
      },
    },
    async (req) => ({ items: await certificates.listCertificates(ctx, requireActor(req), req.query.communityCode) }),
  );

  app.get(
    '/api/certificates/issued',
    {
      preHandler: requirePermission('certificate.issue'),
      schema: {
        tags,
        summary: 'The register of certificates issued in my communities (holders masked), newest first',
        querystring: Type.Object(
          {
            communityCode: Type.Optional(Type.String({ pattern: '^[0-9]{12}$' })),
            state: Type.Optional(StringEnum(['valid', 'revoked', 'expired'] as const)),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: IssuedCertificatePage },
      },
    },
    async (req) => register.listIssued(ctx, requireActor(req), req.query),
  );

  app.get(
    '/api/certificates/issued.xlsx',
    {
      preHandler: requirePermission('certificate.issue'),
      schema: {
        tags,
        summary: `The issued-certificate register as .xlsx (holders masked; at most ${register.ISSUED_EXPORT_MAX} rows)`,
        querystring: Type.Object(
          {
            communityCode: Type.Optional(Type.String({ pattern: '^[0-9]{12}$' })),
            state: Type.Optional(StringEnum(['valid', 'revoked', 'expired'] as const)),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => sendXlsxFile(reply, await register.issuedXlsx(ctx, requireActor(req), req.query)),
  );

  // Public, rate-limited, and registered before /:id so "verify" is never read as an id.
  app.get(
    '/api/certificates/verify/:code',
    {
      config: { public: true, rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'Verify a certificate by its code (public; shows no personal data)',
        security: [],
        params: Type.Object({ code: Type.String({ minLength: 6, maxLength: 20 }) }),
        response: { 200: Verification },
      },
    },
    async (req) => certificates.verify(ctx, req.params.code),
  );

  app.get(
    '/api/certificates/:id',
    {
      preHandler: requirePermission('service.read'),
      schema: { tags, summary: 'One certificate', params: Uuid, response: { 200: CertificateView } },
    },
    async (req) => certificates.getCertificate(ctx, requireActor(req), req.params.id),
  );

  app.get(
    '/api/certificates/:id/pdf',
    { preHandler: requirePermission('service.read'), schema: { tags, summary: 'The certificate as a printable A4 PDF', params: Uuid } },
    async (req, reply) => {
      const origin = `${req.protocol}://${req.headers.host ?? 'localhost'}`;
      const { pdf, number } = await certificates.certificatePdf(ctx, requireActor(req), req.params.id, origin);
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(number)}.pdf`)
        .header('cache-control', 'private, no-store')
        .send(pdf);
    },
  );

  app.post(
    '/api/certificates/:id/revoke',
    {
      preHandler: requirePermission('certificate.issue'),
      schema: {
        tags,
        summary: 'Revoke a certificate (verification then says revoked)',
        params: Uuid,
        body: Type.Object(
          { reason: Type.String({ minLength: 2, maxLength: 200 }), version: Type.Integer({ minimum: 1 }) },
          { additionalProperties: false },
        ),
        response: { 200: CertificateView },
      },
    },
    async (req) => certificates.revoke(ctx, requireActor(req), req.params.id, req.body.reason, req.body.version),
  );
};
