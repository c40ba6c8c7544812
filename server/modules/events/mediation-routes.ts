import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../core/context.ts';
import { requireActor, requirePermission } from '../../core/auth/hook.ts';
import { StringEnum } from '../../core/schema.ts';
import * as mediation from './mediation.ts';

/** Mediation cases (E5): parties, mediator, sessions, outcome, the agreement as a PDF. */
export const mediationRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const tags = ['mediation'];
  const pre = requirePermission('event.handle');
  const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });

  app.get(
    '/api/mediation',
    {
      preHandler: pre,
      schema: {
        tags,
        summary: 'Mediation cases of my place (optionally those opened from one event)',
        querystring: Type.Object({ eventId: Type.Optional(Type.String({ format: 'uuid' })) }, { additionalProperties: false }),
      },
    },
    async (req) => ({ items: await mediation.listCases(ctx, requireActor(req), req.query) }),
  );

  app.post(
    '/api/mediation',
    {
      preHandler: pre,
      schema: {
        tags,
        summary: 'Open a mediation case (矛盾纠纷调解)',
        body: Type.Object(
          {
            placeCode: Type.String({ maxLength: 24 }),
            title: Type.String({ minLength: 2, maxLength: 100 }),
            kind: Type.Optional(Type.String({ maxLength: 30 })),
            parties: Type.Array(
              Type.Object({
                side: StringEnum(['applicant', 'respondent'] as const),
                name: Type.String({ minLength: 1, maxLength: 40 }),
                phone: Type.Optional(Type.String({ pattern: '^[0-9 +-]{5,20}$' })),
              }),
              { minItems: 2, maxItems: 20 },
            ),
            mediatorName: Type.String({ minLength: 1, maxLength: 40 }),
            mediatorOrgId: Type.Optional(Type.String({ format: 'uuid' })),
            eventId: Type.Optional(Type.String({ format: 'uuid' })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => reply.status(201).send(await mediation.createCase(ctx, requireActor(req), req.body)),
  );

  app.get('/api/mediation/:id', { preHandler: pre, schema: { tags, summary: 'One case with its sessions', params: Id } }, async (req) =>
    mediation.getCase(ctx, requireActor(req), req.params.id),
  );

  app.post(
    '/api/mediation/:id/sessions',
    {
      preHandler: pre,
      schema: {
        tags,
        summary: 'Record a mediation session',
        params: Id,
        body: Type.Object(
          { notes: Type.String({ minLength: 2, maxLength: 4000 }), mediatorName: Type.Optional(Type.String({ maxLength: 40 })) },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => mediation.addSession(ctx, requireActor(req), req.params.id, req.body),
  );

  app.post(
    '/api/mediation/:id/close',
    {
      preHandler: pre,
      schema: {
        tags,
        summary: 'Close a case: agreed (with the agreement text) or failed',
        params: Id,
        body: Type.Object(
          {
            version: Type.Integer({ minimum: 1 }),
            outcome: StringEnum(['agreed', 'failed'] as const),
            summary: Type.String({ minLength: 2, maxLength: 2000 }),
            agreement: Type.Optional(Type.String({ maxLength: 8000 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => mediation.closeCase(ctx, requireActor(req), req.params.id, req.body),
  );

  app.get(
    '/api/mediation/:id/agreement.pdf',
    { preHandler: pre, schema: { tags, summary: 'The mediation agreement (人民调解协议书) as PDF', params: Id } },
    async (req, reply) => {
      const { number, pdf } = await mediation.agreement(ctx, requireActor(req), req.params.id);
      return reply.type('application/pdf').header('content-disposition', `inline; filename="${number}.pdf"`).send(pdf);
    },
  );
};
