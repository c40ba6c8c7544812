import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../core/context.ts';
import { requireActor } from '../../core/auth/hook.ts';
import { inbox, markRead, unreadCount } from './notify.ts';

/** The in-app inbox (站内通知): list, unread count, mark read, and a live stream of the count. */
export const inboxRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const tags = ['notifications'];
  const Item = Type.Object({
    id: Type.Integer(),
    eventId: Type.Union([Type.String(), Type.Null()]),
    eventNumber: Type.Union([Type.String(), Type.Null()]),
    kind: Type.String(),
    title: Type.String(),
    body: Type.String(),
    createdAt: Type.String(),
    read: Type.Boolean(),
  });

  app.get(
    '/api/notifications',
    {
      schema: {
        tags,
        summary: 'My notifications, newest first',
        querystring: Type.Object({
          unread: Type.Optional(Type.Boolean()),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
        }),
        response: { 200: Type.Object({ unread: Type.Integer(), items: Type.Array(Item) }) },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const rows = await inbox(ctx.db, actor.userId, req.query.limit ?? 50, req.query.unread ?? false);
      return {
        unread: await unreadCount(ctx.db, actor.userId),
        items: rows.map((r) => ({
          id: Number(r.id),
          eventId: r.event_id,
          eventNumber: r.event_number ?? null,
          kind: r.kind,
          title: r.title,
          body: r.body,
          createdAt: new Date(r.created_at).toISOString(),
          read: r.read_at !== null,
        })),
      };
    },
  );

  app.post(
    '/api/notifications/read',
    {
      schema: {
        tags,
        summary: 'Mark notifications read (all when no ids are given)',
        body: Type.Object({ ids: Type.Optional(Type.Array(Type.Integer(), { maxItems: 500 })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ marked: Type.Integer(), unread: Type.Integer() }) },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const marked = await markRead(ctx.db, actor.userId, req.body.ids ?? 'all');
      return { marked, unread: await unreadCount(ctx.db, actor.userId) };
    },
  );

  // Server-sent events: the unread count, pushed when it changes (polled from the database every
  // few seconds per open tab, which keeps working across several app instances).
  app.get('/api/notifications/stream', { schema: { tags, summary: 'Live unread count (text/event-stream)' } }, async (req, reply) => {
    const actor = requireActor(req);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    let last = -1;
    let closed = false;
    const push = async () => {
      if (closed) return;
      try {
        const n = await unreadCount(ctx.db, actor.userId);
        if (n !== last) {
          last = n;
          res.write(`event: unread\ndata: ${JSON.stringify({ unread: n })}\n\n`);
        } else res.write(': keep-alive\n\n');
      } catch {
        // the database is busy or gone; the client reconnects
      }
    };
    await push();
    const timer = setInterval(() => void push(), 5000);
    req.raw.on('close', () => {
      closed = true;
      clearInterval(timer);
    });
  });
};
