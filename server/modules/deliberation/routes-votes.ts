import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../core/context.ts';
import { requireActor } from '../../core/auth/hook.ts';
import * as votes from './votes-service.ts';
import * as ballotsService from './ballots-service.ts';
import { Choice, CreateVoteBody, Id, Version, VoteKind, VoteStatus } from './schemas.ts';

/** Votes: selections (十佳公约) and owners' decisions counted under Civil Code Art. 278. */
export const voteRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const tags = ['deliberation'];
  const strict = { additionalProperties: false };

  app.get(
    '/api/deliberation/votes',
    {
      schema: {
        tags,
        summary: 'Votes in my community or area, with whether I have voted',
        querystring: Type.Object({
          status: Type.Optional(VoteStatus),
          kind: Type.Optional(VoteKind),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
        }),
      },
    },
    async (req) => ({ items: await votes.listVotes(ctx, requireActor(req), req.query, req.query.limit ?? 50) }),
  );
  app.post('/api/deliberation/votes', { schema: { tags, summary: 'Create a vote (draft)', body: CreateVoteBody } }, async (req, reply) =>
    reply.status(201).send(await votes.createVote(ctx, requireActor(req), req.body)),
  );
  app.get(
    '/api/deliberation/votes/:id',
    { schema: { tags, summary: 'A vote: my eligibility and receipt, live participation while open, the result once closed', params: Id } },
    async (req) => votes.getVote(ctx, requireActor(req), req.params.id),
  );
  app.post(
    '/api/deliberation/votes/:id/open',
    {
      schema: {
        tags,
        summary: "Open a vote; an owners' vote freezes the owners' roll from the registry",
        params: Id,
        body: Type.Object({ version: Version }, strict),
      },
    },
    async (req) => votes.openVote(ctx, requireActor(req), req.params.id, req.body.version),
  );
  app.post(
    '/api/deliberation/votes/:id/close',
    { schema: { tags, summary: 'Close a vote and count it', params: Id, body: Type.Object({ version: Version }, strict) } },
    async (req) => votes.closeVote(ctx, requireActor(req), req.params.id, req.body.version),
  );
  app.post(
    '/api/deliberation/votes/:id/ballots',
    {
      schema: {
        tags,
        summary: "Cast my ballot (one per house for owners' votes, one per resident for selections); returns a receipt",
        params: Id,
        body: Type.Object(
          { choice: Type.Optional(Choice), optionIds: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: 100 })) },
          strict,
        ),
      },
    },
    async (req, reply) => reply.status(201).send(await ballotsService.castBallot(ctx, requireActor(req), req.params.id, req.body)),
  );
  app.post(
    '/api/deliberation/votes/:id/paper-ballots',
    {
      schema: {
        tags,
        summary: 'Enter a paper ballot for a house',
        params: Id,
        body: Type.Object({ houseCode: Type.String({ pattern: '^[0-9]{24}$' }), choice: Choice }, strict),
      },
    },
    async (req, reply) => reply.status(201).send(await ballotsService.enterPaperBallot(ctx, requireActor(req), req.params.id, req.body)),
  );
  app.get(
    '/api/deliberation/votes/:id/ballots',
    { schema: { tags, summary: 'Who voted (houses, channel, time); choices only after the close of a non-secret vote', params: Id } },
    async (req) => ({ items: await ballotsService.listBallots(ctx, requireActor(req), req.params.id) }),
  );
};
