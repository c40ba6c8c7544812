import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../core/context.ts';
import { requireActor, requirePermission } from '../../core/auth/hook.ts';
import { StringEnum } from '../../core/schema.ts';
import { LEVELS } from './state-machine.ts';
import { CategoryView } from './schemas.ts';
import { adminCategories, createCategory, followCategoryChanges } from './category-admin.ts';
import { calendarYear } from './calendar-view.ts';

/** The category editor and the working-day calendar (event.configure / event.read). */

const AdminCategory = Type.Intersect([CategoryView, Type.Object({ active: Type.Boolean() })]);

export const categoryRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const tags = ['events'];
  // Every instance drops its cached tree when any instance edits a category.
  const stop = followCategoryChanges(ctx.live, ctx.db);
  app.addHook('onClose', async () => stop());

  app.get(
    '/api/events/categories/admin',
    {
      preHandler: requirePermission('event.configure'),
      schema: {
        tags,
        summary: 'The whole category tree for the editor (disabled ones too) and the departments a category can go to',
        response: {
          200: Type.Object({
            items: Type.Array(AdminCategory),
            departments: Type.Array(Type.Object({ key: Type.String(), name: Type.String() })),
          }),
        },
      },
    },
    async (req) => adminCategories(ctx, requireActor(req)),
  );

  app.post(
    '/api/events/categories',
    {
      preHandler: requirePermission('event.configure'),
      schema: {
        tags,
        summary: 'Create a category (top level or under a top-level one); the first department is the lead',
        body: Type.Object(
          {
            code: Type.String({ pattern: '^[a-z0-9_.-]{2,40}$' }),
            parentCode: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
            name: Type.String({ minLength: 2, maxLength: 40 }),
            nameEn: Type.Optional(Type.String({ maxLength: 80 })),
            description: Type.Optional(Type.String({ maxLength: 500 })),
            closingLevel: StringEnum(LEVELS),
            acceptHours: Type.Integer({ minimum: 1, maximum: 240, description: 'working hours to accept' }),
            respondHours: Type.Integer({ minimum: 1, maximum: 240, description: 'working hours for a department to respond' }),
            handleDays: Type.Integer({ minimum: 1, maximum: 90, description: 'working days to handle' }),
            departments: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 10 })),
            photoRequired: Type.Optional(Type.Boolean()),
            anonymousAllowed: Type.Optional(Type.Boolean()),
            autoEscalate: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 201: AdminCategory },
      },
    },
    async (req, reply) => reply.code(201).send(await createCategory(ctx, requireActor(req), req.body)),
  );

  app.get(
    '/api/events/calendar/:year',
    {
      preHandler: requirePermission('event.read'),
      schema: {
        tags,
        summary: 'The working-day calendar of a year as deadlines use it (holidays, make-up working days, office hours)',
        params: Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) }),
      },
    },
    async (req) => calendarYear(ctx, req.params.year),
  );
};
