import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../core/context.ts';
import { requireActor, requirePermission } from '../../core/auth/hook.ts';
import * as service from './service.ts';
import {
  PasswordResetBody,
  RoleBindingView,
  RoleCatalogue,
  RoleGrantBody,
  RoleIdParams,
  UserCreateBody,
  UserIdParams,
  UserList,
  UserListQuery,
  UserPatchBody,
  UserView,
} from './schemas.ts';

/** Users and their place-bound roles (用户与角色). Rules live in service.ts. */
export const userRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const read = { preHandler: requirePermission('user.read') };
  const write = { preHandler: requirePermission('user.write') };
  const tags = ['users'];
  const NoContent = { 204: Type.Null() };

  app.get(
    '/api/users',
    {
      ...read,
      schema: {
        tags,
        summary: 'Users in my scope (username or name search, paged)',
        querystring: UserListQuery,
        response: { 200: UserList },
      },
    },
    async (req) => service.listUsers(ctx, requireActor(req), req.query),
  );

  app.get(
    '/api/users/:id',
    { ...read, schema: { tags, summary: 'One user with their roles', params: UserIdParams, response: { 200: UserView } } },
    async (req) => service.getUser(ctx, requireActor(req), req.params.id),
  );

  app.post(
    '/api/users',
    {
      ...write,
      schema: {
        tags,
        summary: 'Create a user (must change the password at first sign-in)',
        body: UserCreateBody,
        response: { 201: UserView },
      },
    },
    async (req, reply) => reply.status(201).send(await service.createUser(ctx, requireActor(req), req.body)),
  );

  app.patch(
    '/api/users/:id',
    {
      ...write,
      schema: {
        tags,
        summary: 'Change name, disabled or TOTP requirement; needs the current version',
        params: UserIdParams,
        body: UserPatchBody,
        response: { 200: UserView },
      },
    },
    async (req) => service.updateUser(ctx, requireActor(req), { userId: req.params.id, ...req.body }),
  );

  app.post(
    '/api/users/:id/roles',
    {
      ...write,
      schema: {
        tags,
        summary: 'Bind a role to a place, an organisation or globally',
        params: UserIdParams,
        body: RoleGrantBody,
        response: { 201: RoleBindingView },
      },
    },
    async (req, reply) => reply.status(201).send(await service.grantRole(ctx, requireActor(req), { userId: req.params.id, ...req.body })),
  );

  app.delete(
    '/api/users/:id/roles/:roleId',
    { ...write, schema: { tags, summary: 'Remove a role binding', params: RoleIdParams, response: NoContent } },
    async (req, reply) => {
      await service.revokeRole(ctx, requireActor(req), { userId: req.params.id, bindingId: req.params.roleId });
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/users/:id/unlock',
    { ...write, schema: { tags, summary: 'Lift a sign-in lockout', params: UserIdParams, response: NoContent } },
    async (req, reply) => {
      await service.unlockUser(ctx, requireActor(req), { userId: req.params.id });
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/users/:id/reset-password',
    {
      ...write,
      schema: {
        tags,
        summary: "Set a new initial password and end the user's sessions",
        params: UserIdParams,
        body: PasswordResetBody,
        response: NoContent,
      },
    },
    async (req, reply) => {
      await service.resetPassword(ctx, requireActor(req), { userId: req.params.id, password: req.body.password });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/roles',
    { ...read, schema: { tags, summary: 'Roles and where each may be bound (role picker)', response: { 200: RoleCatalogue } } },
    async (req) => ({ items: service.roleCatalogue(requireActor(req)) }),
  );
};
