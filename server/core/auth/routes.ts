import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../context.ts';
import { requestMeta, requireActor, SESSION_COOKIE } from './hook.ts';
import * as service from './service.ts';
import { CodeBody, IdParams, LoginBody, MeView, PasswordBody, TokenBody, TokenView } from './schemas.ts';

export const authRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const cookieOptions = {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: ctx.config.cookieSecure,
  };

  app.post(
    '/api/auth/login',
    {
      config: { public: true, rateLimit: { max: ctx.config.loginRateLimit, timeWindow: '1 minute' } },
      schema: { tags: ['auth'], summary: 'Sign in (登录)', body: LoginBody, response: { 200: MeView } },
    },
    async (request, reply) => {
      const result = await service.login(ctx, request.body, requestMeta(request));
      reply.setCookie(SESSION_COOKIE, result.sessionToken, cookieOptions);
      const actorless = await service.resolveSession(ctx, result.sessionToken, request.ip);
      if (actorless.kind !== 'ok') throw new Error('session vanished after login');
      return { ...(await service.me(ctx, actorless.actor)), csrfToken: result.csrfToken };
    },
  );

  app.post(
    '/api/auth/logout',
    { config: { allowDuringSetup: true }, schema: { tags: ['auth'], summary: 'Sign out', response: { 204: Type.Null() } } },
    async (request, reply) => {
      await service.logout(ctx, requireActor(request), requestMeta(request));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/me',
    {
      config: { allowDuringSetup: true },
      schema: { tags: ['auth'], summary: 'The signed-in user, roles and scope', response: { 200: MeView } },
    },
    async (request) => {
      const actor = requireActor(request);
      const session = actor.sessionId
        ? await ctx.db.selectFrom('user_session').select('csrf_token').where('id', '=', actor.sessionId).executeTakeFirst()
        : undefined;
      return { ...(await service.me(ctx, actor)), csrfToken: session?.csrf_token ?? null };
    },
  );

  app.post(
    '/api/me/password',
    {
      config: { allowDuringSetup: true },
      schema: { tags: ['auth'], summary: 'Change my password', body: PasswordBody, response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      await service.changePassword(ctx, requireActor(request), request.body, requestMeta(request));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/me/totp/setup',
    {
      config: { allowDuringSetup: true },
      schema: {
        tags: ['auth'],
        summary: 'Start TOTP enrolment',
        response: { 200: Type.Object({ secret: Type.String(), otpauthUrl: Type.String() }) },
      },
    },
    async (request) => service.totpSetup(ctx, requireActor(request)),
  );

  app.post(
    '/api/me/totp/enable',
    {
      config: { allowDuringSetup: true },
      schema: { tags: ['auth'], summary: 'Confirm TOTP with a code', body: CodeBody, response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      await service.totpEnable(ctx, requireActor(request), request.body.code, requestMeta(request));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/me/totp/disable',
    {
      schema: {
        tags: ['auth'],
        summary: 'Turn TOTP off (not allowed where it is required)',
        body: CodeBody,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await service.totpDisable(ctx, requireActor(request), request.body.code, requestMeta(request));
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/me/tokens',
    { schema: { tags: ['auth'], summary: 'My personal API tokens', response: { 200: Type.Object({ items: Type.Array(TokenView) }) } } },
    async (request) => ({ items: await service.listApiTokens(ctx, requireActor(request)) }),
  );

  app.post(
    '/api/me/tokens',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create a personal API token (shown once)',
        body: TokenBody,
        response: { 201: Type.Object({ id: Type.String(), name: Type.String(), token: Type.String(), createdAt: Type.String() }) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.createApiToken(ctx, requireActor(request), request.body.name, requestMeta(request))),
  );

  app.delete(
    '/api/me/tokens/:id',
    { schema: { tags: ['auth'], summary: 'Revoke a token', params: IdParams, response: { 204: Type.Null() } } },
    async (request, reply) => {
      await service.revokeApiToken(ctx, requireActor(request), request.params.id, requestMeta(request));
      return reply.status(204).send(null);
    },
  );
};
