import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../core/context.ts';
import { requireActor } from '../../core/auth/hook.ts';
import * as meetings from './meetings-service.ts';
import { BodyKind, Decision, Id, MeetingStatus, PlaceCode, Seat, TaskBody, Version } from './schemas.ts';

/** Bodies (议事机构) with seats, and meetings from agenda to published outcome. */
export const meetingRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const tags = ['deliberation'];
  const strict = { additionalProperties: false };

  app.get(
    '/api/deliberation/bodies',
    { schema: { tags, summary: 'Deliberation bodies in my area', querystring: Type.Object({ placeCode: Type.Optional(PlaceCode) }) } },
    async (req) => ({ items: await meetings.listBodies(ctx, requireActor(req), req.query.placeCode) }),
  );
  app.get('/api/deliberation/bodies/:id', { schema: { tags, summary: 'A body with its members and meetings', params: Id } }, async (req) =>
    meetings.getBody(ctx, requireActor(req), req.params.id),
  );
  app.post(
    '/api/deliberation/bodies',
    {
      schema: {
        tags,
        summary: 'Create a body (四方, 六方, 圆桌会议, 议事厅, 百姓议事堂, 四老论坛)',
        body: Type.Object(
          {
            placeCode: PlaceCode,
            kind: BodyKind,
            name: Type.String({ minLength: 2, maxLength: 60 }),
            description: Type.Optional(Type.String({ maxLength: 1000 })),
          },
          strict,
        ),
      },
    },
    async (req, reply) => reply.status(201).send(await meetings.createBody(ctx, requireActor(req), req.body)),
  );
  app.post(
    '/api/deliberation/bodies/:id/members',
    {
      schema: {
        tags,
        summary: 'Seat a member; fixed bodies take only their own seats',
        params: Id,
        body: Type.Object(
          {
            seat: Seat,
            name: Type.String({ minLength: 1, maxLength: 60 }),
            title: Type.Optional(Type.String({ maxLength: 60 })),
            orgId: Type.Optional(Type.String({ format: 'uuid' })),
          },
          strict,
        ),
      },
    },
    async (req) => meetings.addMember(ctx, requireActor(req), req.params.id, req.body),
  );
  app.delete(
    '/api/deliberation/bodies/:id/members/:memberId',
    {
      schema: {
        tags,
        summary: 'Remove a member',
        params: Type.Object({ id: Type.String({ format: 'uuid' }), memberId: Type.String({ format: 'uuid' }) }),
      },
    },
    async (req) => meetings.removeMember(ctx, requireActor(req), req.params.id, req.params.memberId),
  );

  app.get(
    '/api/deliberation/meetings',
    {
      schema: {
        tags,
        summary: 'Meetings in my area',
        querystring: Type.Object({
          status: Type.Optional(Type.Array(MeetingStatus)),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
        }),
      },
    },
    async (req) => ({ items: await meetings.listMeetings(ctx, requireActor(req), { status: req.query.status }, req.query.limit ?? 100) }),
  );
  app.post(
    '/api/deliberation/bodies/:id/meetings',
    {
      schema: {
        tags,
        summary: 'Plan a meeting with its agenda',
        params: Id,
        body: Type.Object(
          {
            title: Type.String({ minLength: 2, maxLength: 100 }),
            scheduledAt: Type.String({ format: 'date-time' }),
            location: Type.Optional(Type.String({ maxLength: 100 })),
            agenda: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 30 })),
          },
          strict,
        ),
      },
    },
    async (req, reply) => reply.status(201).send(await meetings.createMeeting(ctx, requireActor(req), req.params.id, req.body)),
  );
  app.get(
    '/api/deliberation/meetings/:id',
    { schema: { tags, summary: 'A meeting: agenda, attendance, minutes, resolutions, tasks', params: Id } },
    async (req) => meetings.getMeeting(ctx, requireActor(req), req.params.id),
  );
  app.post(
    '/api/deliberation/meetings/:id/agenda',
    {
      schema: {
        tags,
        summary: 'Add an agenda item',
        params: Id,
        body: Type.Object({ title: Type.String({ minLength: 2, maxLength: 200 }) }, strict),
      },
    },
    async (req) => meetings.addAgendaItem(ctx, requireActor(req), req.params.id, req.body.title),
  );
  app.post(
    '/api/deliberation/meetings/:id/transition',
    {
      schema: {
        tags,
        summary: 'Give notice, mark held, or publish the outcome',
        params: Id,
        body: Type.Object(
          {
            version: Version,
            to: MeetingStatus,
            notice: Type.Optional(Type.String({ maxLength: 4000 })),
            outcome: Type.Optional(Type.String({ maxLength: 4000 })),
          },
          strict,
        ),
      },
    },
    async (req) => meetings.moveMeeting(ctx, requireActor(req), req.params.id, req.body),
  );
  app.put(
    '/api/deliberation/meetings/:id/minutes',
    {
      schema: {
        tags,
        summary: 'Save the minutes',
        params: Id,
        body: Type.Object({ version: Version, minutes: Type.String({ maxLength: 50000 }) }, strict),
      },
    },
    async (req) => meetings.saveMinutes(ctx, requireActor(req), req.params.id, req.body),
  );
  app.post(
    '/api/deliberation/meetings/:id/attendance',
    {
      schema: {
        tags,
        summary: 'Mark a member present',
        params: Id,
        body: Type.Object({ memberId: Type.String({ format: 'uuid' }) }, strict),
      },
    },
    async (req) => meetings.markAttendance(ctx, requireActor(req), req.params.id, req.body.memberId),
  );
  app.post(
    '/api/deliberation/meetings/:id/checkin',
    {
      schema: {
        tags,
        summary: "Check in by scanning the meeting's QR code",
        params: Id,
        body: Type.Object({ token: Type.String({ maxLength: 64 }) }, strict),
      },
    },
    async (req) => meetings.checkIn(ctx, requireActor(req), req.params.id, req.body.token),
  );
  app.post(
    '/api/deliberation/meetings/:id/resolutions',
    {
      schema: {
        tags,
        summary: 'Record a resolution, with follow-up tasks',
        params: Id,
        body: Type.Object(
          {
            agendaItemId: Type.Optional(Type.String({ format: 'uuid' })),
            text: Type.String({ minLength: 2, maxLength: 2000 }),
            decision: Decision,
            tasks: Type.Optional(Type.Array(TaskBody, { maxItems: 20 })),
          },
          strict,
        ),
      },
    },
    async (req) => meetings.addResolution(ctx, requireActor(req), req.params.id, req.body),
  );
  app.post(
    '/api/deliberation/resolutions/:id/tasks',
    { schema: { tags, summary: 'Add a follow-up task to a resolution', params: Id, body: TaskBody } },
    async (req) => meetings.addTask(ctx, requireActor(req), req.params.id, req.body),
  );
  app.post(
    '/api/deliberation/tasks/:id/done',
    {
      schema: {
        tags,
        summary: 'Mark a follow-up task done',
        params: Id,
        body: Type.Object({ version: Version, note: Type.String({ minLength: 1, maxLength: 1000 }) }, strict),
      },
    },
    async (req) => meetings.completeTask(ctx, requireActor(req), req.params.id, req.body),
  );
};
