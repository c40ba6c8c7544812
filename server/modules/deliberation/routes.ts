import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../core/context.ts';
import { requireActor } from '../../core/auth/hook.ts';
import * as topics from './topics-service.ts';
import * as board from './board-service.ts';
import { AdoptionBody, Id, NoticeKind, PlaceCode, RaiseTopicBody, TopicStatus, TriageBody, Version } from './schemas.ts';
import { meetingRoutes } from './routes-meetings.ts';
import { voteRoutes } from './routes-votes.ts';

/**
 * Residents decide together (issue 7): topics, bodies and meetings, votes, conventions and the
 * public board. Routes only translate HTTP; the rules live in the *-service.ts files.
 */
export const deliberationRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const tags = ['deliberation'];

  app.get(
    '/api/deliberation/topics',
    {
      schema: {
        tags,
        summary: '居民说事: topics in my community (residents) or my area (workers), newest or most supported first',
        querystring: Type.Object({
          placeCode: Type.Optional(PlaceCode),
          status: Type.Optional(TopicStatus),
          mine: Type.Optional(Type.Boolean()),
          order: Type.Optional(Type.Union([Type.Literal('new'), Type.Literal('support')])),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
        }),
      },
    },
    async (req) => {
      const { limit = 100, ...f } = req.query;
      return { items: await topics.listTopics(ctx, requireActor(req), f, limit) };
    },
  );

  app.post(
    '/api/deliberation/topics',
    {
      schema: {
        tags,
        summary: 'Raise a topic (text, up to 3 photos, a place); a retry with the same clientKey creates nothing new',
        body: RaiseTopicBody,
      },
    },
    async (req, reply) => {
      const r = await topics.raiseTopic(ctx, requireActor(req), req.body);
      return reply.status(r.created ? 201 : 200).send(r.topic);
    },
  );

  app.get('/api/deliberation/topics/:id', { schema: { tags, summary: 'One topic and what became of it', params: Id } }, async (req) =>
    topics.getTopic(ctx, requireActor(req), req.params.id),
  );

  app.get(
    '/api/deliberation/topics/:id/photos/:seq',
    {
      schema: {
        tags,
        summary: "A topic's photo",
        params: Type.Object({ id: Type.String({ format: 'uuid' }), seq: Type.Integer({ minimum: 1, maximum: 3 }) }),
      },
    },
    async (req, reply) => {
      const p = await topics.topicPhoto(ctx, requireActor(req), req.params.id, req.params.seq);
      return reply.type(p.content_type).header('cache-control', 'private, max-age=3600').send(p.data);
    },
  );

  app.post(
    '/api/deliberation/topics/:id/support',
    { schema: { tags, summary: 'Support a topic (once per resident)', params: Id } },
    async (req) => topics.supportTopic(ctx, requireActor(req), req.params.id, true),
  );
  app.delete('/api/deliberation/topics/:id/support', { schema: { tags, summary: 'Withdraw support', params: Id } }, async (req) =>
    topics.supportTopic(ctx, requireActor(req), req.params.id, false),
  );

  app.post(
    '/api/deliberation/topics/:id/triage',
    { schema: { tags, summary: 'Triage: put on a meeting agenda, turn into an event, reply, or close', params: Id, body: TriageBody } },
    async (req) => topics.triageTopic(ctx, requireActor(req), req.params.id, req.body),
  );

  // ------------------------------------------------------------ conventions and notices

  app.get('/api/deliberation/conventions', { schema: { tags, summary: 'Conventions (公约) in my area' } }, async (req) => ({
    items: await board.listConventions(ctx, requireActor(req)),
  }));
  app.get('/api/deliberation/conventions/:id', { schema: { tags, summary: 'A convention with every version', params: Id } }, async (req) =>
    board.getConvention(ctx, requireActor(req), req.params.id),
  );
  app.post(
    '/api/deliberation/conventions',
    {
      schema: {
        tags,
        summary: 'Record an adopted convention (version 1)',
        body: Type.Object(
          { placeCode: PlaceCode, title: Type.String({ minLength: 2, maxLength: 100 }), ...AdoptionBody },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => reply.status(201).send(await board.createConvention(ctx, requireActor(req), req.body)),
  );
  app.post(
    '/api/deliberation/conventions/:id/versions',
    {
      schema: {
        tags,
        summary: 'Record a revised version with its adoption',
        params: Id,
        body: Type.Object({ version: Version, ...AdoptionBody }, { additionalProperties: false }),
      },
    },
    async (req) => board.reviseConvention(ctx, requireActor(req), req.params.id, req.body),
  );

  app.post(
    '/api/deliberation/notices',
    {
      schema: {
        tags,
        summary: '四公开: publish an affairs, finance, service or party notice on the public board',
        body: Type.Object(
          {
            communityCode: Type.String({ pattern: '^[0-9]{12}$' }),
            kind: NoticeKind,
            title: Type.String({ minLength: 2, maxLength: 100 }),
            body: Type.String({ minLength: 2, maxLength: 20000 }),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => reply.status(201).send(await board.publishNotice(ctx, requireActor(req), req.body)),
  );

  app.get(
    '/api/public/board/:communityCode',
    {
      config: { public: true, rateLimit: { max: 120, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: "A community's public board (no sign-in): conventions, meeting outcomes, vote results, 四公开 notices",
        params: Type.Object({ communityCode: Type.String({ pattern: '^[0-9]{12}$' }) }),
      },
    },
    async (req) => board.publicBoard(ctx, req.params.communityCode),
  );

  await app.register(meetingRoutes, { ctx });
  await app.register(voteRoutes, { ctx });
};
