import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../core/context.ts';
import { openEventStream } from '../../core/live.ts';
import { requireActor } from '../../core/auth/hook.ts';
import { inbox, markRead, unreadCount } from './notify.ts';

/** The re-read interval of a stream: a safety net when announcements arrive, the only way when they cannot. */
const POLL_WITH_LIVE_MS = 30_000;
const POLL_WITHOUT_LIVE_MS = 5_000;

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

  // Server-sent events: the unread count, pushed when it changes. Any instance that writes a
  // notification announces it (LISTEN/NOTIFY, server/core/live.ts), so the push is immediate even
  // when the change happened on another app instance; a slow poll stays as the safety net (and the
  // keep-alive) for a listener that lost its connection, or a context without one.
  app.get('/api/notifications/stream', { schema: { tags, summary: 'Live unread count (text/event-stream)' } }, async (req, reply) => {
    const actor = requireActor(req);
    const res = openEventStream(reply);
    let last = -1;
    let closed = false;
    let reading: Promise<void> | null = null;
    let again = false;
    const read = async (keepAlive: boolean) => {
      if (closed) return;
      try {
        const n = await unreadCount(ctx.db, actor.userId);
        if (closed) return;
        if (n !== last) {
          last = n;
          res.write(`event: unread\ndata: ${JSON.stringify({ unread: n })}\n\n`);
        } else if (keepAlive) res.write(': keep-alive\n\n');
      } catch {
        // the database is busy or gone; the client reconnects
      }
    };
    // Announcements in a burst collapse into one read (plus one more if any came during it).
    const push = (keepAlive = false) => {
      if (reading) {
        again = true;
        return;
      }
      reading = read(keepAlive).finally(() => {
        reading = null;
        if (again) {
          again = false;
          push();
        }
      });
    };
    const unsubscribe = ctx.live?.subscribe('inbox', actor.userId, () => push()) ?? (() => {});
    push();
    const timer = setInterval(() => push(true), ctx.live ? POLL_WITH_LIVE_MS : POLL_WITHOUT_LIVE_MS);
    req.raw.on('close', () => {
      closed = true;
      unsubscribe();
      clearInterval(timer);
    });
  });
};
