import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import { Type } from 'typebox';
import type { AppContext } from './core/context.ts';
import { installErrorHandling, sendError } from './core/http.ts';
import { authHook } from './core/auth/hook.ts';
import { authRoutes } from './core/auth/routes.ts';
import { territoryRoutes } from './modules/territory/routes.ts';
import { orgRoutes } from './modules/orgs/routes.ts';
import { userRoutes } from './modules/users/routes.ts';
import { auditRoutes } from './modules/audit/routes.ts';
import { registryRoutes } from './modules/registry/routes.ts';
import { serviceRoutes } from './modules/services/routes.ts';
import { volunteeringRoutes } from './modules/volunteering/routes.ts';
import { workforceRoutes } from './modules/workforce/routes.ts';
import { deliberationRoutes } from './modules/deliberation/routes.ts';
import { eventRoutes } from './modules/events/routes.ts';
import { open311Routes } from './modules/events/open311-routes.ts';

const HealthView = Type.Object({ status: Type.String(), database: Type.String() });
const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../web/dist');

export interface BuildOptions {
  logger?: boolean | object;
  /** Serve the built web app from web/dist (off in API tests). */
  serveWeb?: boolean;
}

/** Builds the Fastify app from plugins; no business logic lives here. */
export async function buildApp(ctx: AppContext, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    trustProxy: ctx.config.trustProxy,
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  installErrorHandling(app);
  const web = opts.serveWeb === true && fs.existsSync(path.join(WEB_DIST, 'index.html'));
  // Set before any plugin: Fastify allows one not-found handler per context.
  app.setNotFoundHandler((req, reply) => {
    const url = req.url.split('?')[0];
    // SPA fallback: a page path (a door-plate QR link, a reload) opens the app; a missing asset or API route stays a 404.
    if (web && req.method === 'GET' && !url.startsWith('/api/') && !url.startsWith('/assets/') && !path.extname(url)) {
      return reply.type('text/html').sendFile('index.html');
    }
    return sendError(req, reply, 'ROUTE_NOT_FOUND', 404, { method: req.method, url });
  });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Gongzhi 共治 API', version: '0.1.0', description: 'Grassroots community governance platform' },
      components: {
        securitySchemes: {
          cookie: { type: 'apiKey', in: 'cookie', name: 'gz_session' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ cookie: [] }, { bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  // HSTS and upgrade-insecure-requests only behind TLS: over plain HTTP (a first install on
  // the LAN) they would send the browser to an https:// that does not exist.
  const tls = ctx.config.cookieSecure;
  await app.register(helmet, {
    hsts: tls ? { maxAge: 31536000, includeSubDomains: true } : false,
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        upgradeInsecureRequests: tls ? [] : null,
      },
    },
  });
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(authHook, { ctx });

  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
  app.get(
    '/api/health',
    {
      config: { public: true },
      schema: { tags: ['system'], summary: 'Liveness: ok once the database answers', response: { 200: HealthView, 503: HealthView } },
    },
    async (_req, reply) => {
      try {
        await ctx.db.selectFrom('app_setting').select('key').limit(1).execute();
        return { status: 'ok', database: ctx.dbKind };
      } catch {
        return reply.status(503).send({ status: 'unavailable', database: ctx.dbKind });
      }
    },
  );

  await app.register(authRoutes, { ctx });
  await app.register(territoryRoutes, { ctx });
  await app.register(orgRoutes, { ctx });
  await app.register(userRoutes, { ctx });
  await app.register(auditRoutes, { ctx });
  await app.register(registryRoutes, { ctx });
  await app.register(serviceRoutes, { ctx });
  await app.register(volunteeringRoutes, { ctx });
  await app.register(workforceRoutes, { ctx });
  await app.register(deliberationRoutes, { ctx });
  await app.register(eventRoutes, { ctx });
  await app.register(open311Routes, { ctx });

  if (web) {
    // wildcard: files are looked up on each request, so a rebuilt web app is served without a restart.
    await app.register(fastifyStatic, { root: WEB_DIST, wildcard: true, index: ['index.html'] });
  }
  return app;
}
