import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { sql } from 'kysely';
import type { AppContext } from '../../core/context.ts';
import { openEventStream } from '../../core/live.ts';
import { requireActor, requirePermission } from '../../core/auth/hook.ts';
import { resolveStatsScope } from './measures-routes.ts';

/**
 * The command dashboard's live feed (server-sent events): `changed` whenever events of the
 * districts under the scope change, on any app instance (migration 0009_events_live announces
 * every statement that writes `event`), at most once per THROTTLE_MS so a burst of filings is one
 * re-read; a comment line every KEEP_ALIVE_MS keeps proxies from closing an idle stream. The
 * dashboard re-reads its measures on `changed`; its slow poll stays as the safety net.
 */
export const EVENTS_TOPIC = 'events';
const THROTTLE_MS = 2_000;
const KEEP_ALIVE_MS = 25_000;

/** The district codes whose events a node's measures count. */
async function districtsUnder(ctx: AppContext, node: { code: string; path: string }): Promise<string[]> {
  if (node.code.length > 6 || !node.code.endsWith('00')) return [node.code.slice(0, 6)];
  const rows = await sql<{ code: string }>`
    select code from division where level = 'district' and path <@ ${node.path}::ltree`.execute(ctx.db);
  return rows.rows.map((r) => r.code);
}

export const dashboardLiveRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/api/events/stats/stream',
    {
      preHandler: requirePermission('event.supervise'),
      schema: {
        tags: ['events'],
        summary: 'Live feed of a dashboard (text/event-stream): `changed` when the events under the scope change',
        querystring: Type.Object({ scope: Type.String({ maxLength: 15 }) }, { additionalProperties: false }),
      },
    },
    async (req, reply) => {
      const { node } = await resolveStatsScope(ctx, requireActor(req), { scope: req.query.scope });
      const districts = await districtsUnder(ctx, node);
      const res = openEventStream(reply);
      res.write(`event: ready\ndata: ${JSON.stringify({ scope: node.code, live: !!ctx.live })}\n\n`);
      let closed = false;
      let lastSent = 0;
      let later: NodeJS.Timeout | null = null;
      const changed = () => {
        if (closed || later) return;
        const wait = lastSent + THROTTLE_MS - Date.now();
        if (wait > 0) {
          later = setTimeout(() => {
            later = null;
            changed();
          }, wait);
          return;
        }
        lastSent = Date.now();
        res.write('event: changed\ndata: {}\n\n');
      };
      const offs = districts.map((d) => ctx.live?.subscribe(EVENTS_TOPIC, d, changed) ?? (() => {}));
      const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
      req.raw.on('close', () => {
        closed = true;
        offs.forEach((off) => off());
        clearInterval(keepAlive);
        if (later) clearTimeout(later);
      });
    },
  );
};
