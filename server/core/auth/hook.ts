import crypto from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor, AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import type { Permission } from '../permissions.ts';
import { resolveApiToken, resolveSession } from './service.ts';

export const SESSION_COOKIE = 'gz_session';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Reachable without signing in. */
    public?: boolean;
    /** Reachable while the account still has to change its password or set up TOTP. */
    allowDuringSetup?: boolean;
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function safeEqual(a: string, b: string) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/**
 * Authenticates every request (session cookie or `Authorization: Bearer`), refuses anonymous
 * access to any route not marked public, and checks CSRF on cookie-authenticated writes.
 */
export const authHook = fp(async (app: FastifyInstance, opts: { ctx: AppContext }) => {
  app.decorateRequest('actor', null);
  // onRequest (after the cookie parser): refusals come before body parsing and validation.
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config ?? {};
    const route = request.routeOptions.url ?? '';
    // Only API routes authenticate; static files and the not-found handler do not. The API docs UI is public.
    if (!route.startsWith('/api/') || route.startsWith('/api/docs') || request.is404) return;
    const ip = request.ip ?? null;
    const auth = request.headers.authorization;
    let resolved: Awaited<ReturnType<typeof resolveSession>> = { kind: 'none' };
    if (auth?.startsWith('Bearer ')) {
      resolved = await resolveApiToken(opts.ctx, auth.slice(7).trim(), ip);
      if (resolved.kind === 'none' && !config.public) throw new AppError('UNAUTHENTICATED', { reason: 'invalid_token' });
    } else {
      const token = request.cookies?.[SESSION_COOKIE];
      if (token) resolved = await resolveSession(opts.ctx, token, ip);
    }
    if (resolved.kind === 'ok') {
      request.actor = resolved.actor;
      if (resolved.csrfToken && UNSAFE.has(request.method) && !config.public) {
        const sent = request.headers['x-csrf-token'];
        if (typeof sent !== 'string' || !safeEqual(sent, resolved.csrfToken)) throw new AppError('CSRF_INVALID');
      }
      if (resolved.setupRequired && !config.public && !config.allowDuringSetup) throw new AppError('SETUP_REQUIRED');
      return;
    }
    if (config.public) return;
    if (resolved.kind === 'expired') throw new AppError('SESSION_EXPIRED');
    throw new AppError('UNAUTHENTICATED');
  });
});

export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('UNAUTHENTICATED');
  return request.actor;
}

/** A preHandler that refuses callers without the permission anywhere. */
export function requirePermission(permission: Permission) {
  return async (request: FastifyRequest) => {
    const actor = requireActor(request);
    if (!actor.can(permission)) throw new AppError('FORBIDDEN', { permission });
  };
}

export function requestMeta(request: FastifyRequest) {
  return { ip: request.ip ?? null, userAgent: request.headers['user-agent'] ?? null };
}
