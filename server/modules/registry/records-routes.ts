import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { requireActor, requirePermission } from '../../core/auth/hook.ts';
import { StringEnum } from '../../core/schema.ts';
import * as unitsService from './units-service.ts';
import * as visitors from './visitors-service.ts';
import { HistoryList, IdParams } from './schemas.ts';

/** Units, vehicles, tenancies and visitors (R1, R5). */

const UnitType = StringEnum(['enterprise', 'individual', 'government', 'institution', 'social', 'other'] as const);
const VehicleType = StringEnum(['car', 'suv', 'van', 'truck', 'motorcycle', 'ebike', 'other'] as const);
const PlateKind = StringEnum(['ordinary', 'new_energy'] as const);
const NStr = Type.Union([Type.String(), Type.Null()]);
const Place = Type.String({ pattern: '^[0-9]{12}$|^[0-9]{24}$' });
const Paging = { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })), offset: Type.Optional(Type.Integer({ minimum: 0 })) };

const UnitView = Type.Object({
  id: Type.String(),
  communityCode: Type.String(),
  houseCode: NStr,
  name: Type.String(),
  creditCode: NStr,
  unitType: UnitType,
  industry: Type.String(),
  address: Type.String(),
  contactName: Type.String(),
  contactPhoneMasked: NStr,
  employees: Type.Union([Type.Integer(), Type.Null()]),
  note: Type.String(),
  version: Type.Integer(),
});
const UnitFields = {
  name: Type.String({ minLength: 1, maxLength: 100 }),
  creditCode: Type.Optional(Type.Union([Type.String({ maxLength: 20 }), Type.Null()])),
  unitType: UnitType,
  industry: Type.Optional(Type.String({ maxLength: 40 })),
  address: Type.Optional(Type.String({ maxLength: 200 })),
  contactName: Type.Optional(Type.String({ maxLength: 40 })),
  contactPhone: Type.Optional(Type.Union([Type.String({ maxLength: 30 }), Type.Null()])),
  employees: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 1_000_000 }), Type.Null()])),
  note: Type.Optional(Type.String({ maxLength: 500 })),
};
const VehicleView = Type.Object({
  id: Type.String(),
  communityCode: Type.String(),
  plate: Type.String(),
  plateKind: PlateKind,
  vehicleType: VehicleType,
  brand: Type.String(),
  color: Type.String(),
  ownerPersonId: NStr,
  ownerName: NStr,
  ownerUnitId: NStr,
  parking: Type.String(),
  version: Type.Integer(),
});
const TenancyView = Type.Object({
  id: Type.String(),
  houseCode: Type.String(),
  status: Type.String(),
  startDate: Type.String(),
  endDate: Type.String(),
  daysLeft: Type.Integer(),
  tenantName: Type.String(),
  tenantId: Type.String(),
  landlordName: NStr,
  hasPhoto: Type.Boolean(),
  version: Type.Integer(),
});
const VisitorView = Type.Object({
  id: Type.String(),
  houseCode: Type.String(),
  address: Type.String(),
  name: Type.String(),
  idMasked: NStr,
  phoneMasked: NStr,
  purpose: Type.String(),
  plate: NStr,
  arrivedAt: Type.String(),
  leftAt: NStr,
  registeredBy: Type.String(),
  version: Type.Integer(),
});
const Territory = Type.Optional(Type.String({ pattern: '^[0-9]{6,24}$' }));

export const recordsRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const read = { preHandler: requirePermission('registry.read') };
  const write = { preHandler: requirePermission('registry.write') };
  const tags = ['registry'];

  app.get(
    '/api/registry/units',
    {
      ...read,
      schema: {
        tags,
        summary: 'Units (实有单位) by name, credit code or address',
        querystring: Type.Object({
          q: Type.Optional(Type.String({ maxLength: 60 })),
          unitType: Type.Optional(UnitType),
          territoryCode: Territory,
          ...Paging,
        }),
        response: { 200: Type.Object({ items: Type.Array(UnitView) }) },
      },
    },
    async (req) => ({ items: await unitsService.listUnits(ctx, requireActor(req), req.query) }),
  );
  app.post(
    '/api/registry/units',
    {
      ...write,
      schema: {
        tags,
        summary: 'Register a unit',
        body: Type.Object({ placeCode: Place, ...UnitFields }, { additionalProperties: false }),
        response: { 201: UnitView },
      },
    },
    async (req, reply) => reply.status(201).send(await unitsService.createUnit(ctx, requireActor(req), req.body)),
  );
  app.get(
    '/api/registry/units/:id',
    { ...read, schema: { tags, summary: 'A unit', params: IdParams, response: { 200: UnitView } } },
    async (req) => unitsService.getUnit(ctx, requireActor(req), req.params.id),
  );
  app.patch(
    '/api/registry/units/:id',
    {
      ...write,
      schema: {
        tags,
        summary: 'Change a unit; needs the current version',
        params: IdParams,
        body: Type.Object(
          { version: Type.Integer({ minimum: 1 }), ...Type.Partial(Type.Object(UnitFields)).properties },
          { additionalProperties: false },
        ),
        response: { 200: UnitView },
      },
    },
    async (req) => unitsService.updateUnit(ctx, requireActor(req), req.params.id, req.body),
  );
  app.get(
    '/api/registry/units/:id/history',
    { ...read, schema: { tags, summary: 'Changes of a unit', params: IdParams, response: { 200: HistoryList } } },
    async (req) => ({
      items: await unitsService.unitHistoryList(ctx, requireActor(req), req.params.id),
    }),
  );

  app.get(
    '/api/registry/vehicles',
    {
      ...read,
      schema: {
        tags,
        summary: 'Vehicles by plate or owner name',
        querystring: Type.Object({
          q: Type.Optional(Type.String({ maxLength: 20 })),
          plateKind: Type.Optional(PlateKind),
          territoryCode: Territory,
          ownerPersonId: Type.Optional(Type.String({ format: 'uuid' })),
          ...Paging,
        }),
        response: { 200: Type.Object({ items: Type.Array(VehicleView) }) },
      },
    },
    async (req) => ({ items: await unitsService.listVehicles(ctx, requireActor(req), req.query) }),
  );
  app.post(
    '/api/registry/vehicles',
    {
      ...write,
      schema: {
        tags,
        summary: 'Register a vehicle (ordinary or new-energy plate)',
        body: Type.Object(
          {
            placeCode: Place,
            plate: Type.String({ maxLength: 12 }),
            vehicleType: Type.Optional(VehicleType),
            brand: Type.Optional(Type.String({ maxLength: 30 })),
            color: Type.Optional(Type.String({ maxLength: 10 })),
            ownerPersonId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
            parking: Type.Optional(Type.String({ maxLength: 40 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: VehicleView },
      },
    },
    async (req, reply) => reply.status(201).send(await unitsService.createVehicle(ctx, requireActor(req), req.body)),
  );
  app.patch(
    '/api/registry/vehicles/:id',
    {
      ...write,
      schema: {
        tags,
        summary: 'Change a vehicle; needs the current version',
        params: IdParams,
        body: Type.Object(
          {
            version: Type.Integer({ minimum: 1 }),
            vehicleType: Type.Optional(VehicleType),
            brand: Type.Optional(Type.String({ maxLength: 30 })),
            color: Type.Optional(Type.String({ maxLength: 10 })),
            ownerPersonId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
            parking: Type.Optional(Type.String({ maxLength: 40 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: VehicleView },
      },
    },
    async (req) => unitsService.updateVehicle(ctx, requireActor(req), req.params.id, req.body),
  );
  app.get(
    '/api/registry/vehicles/:id/history',
    { ...read, schema: { tags, summary: 'Changes of a vehicle', params: IdParams, response: { 200: HistoryList } } },
    async (req) => ({
      items: await unitsService.vehicleHistoryList(ctx, requireActor(req), req.params.id),
    }),
  );

  app.get(
    '/api/registry/tenancies',
    {
      ...read,
      schema: {
        tags,
        summary: 'Tenancies; expiringWithinDays lists the reminders (到期提醒)',
        querystring: Type.Object({
          territoryCode: Territory,
          expiringWithinDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(TenancyView) }) },
      },
    },
    async (req) => ({ items: await visitors.listTenancies(ctx, requireActor(req), req.query) }),
  );
  app.post(
    '/api/registry/tenancies',
    {
      ...write,
      schema: {
        tags,
        summary: 'Register a tenancy (租赁登记); links the tenant to the house',
        body: Type.Object(
          {
            houseCode: Type.String({ pattern: '^[0-9]{24}$' }),
            tenantPersonId: Type.String({ format: 'uuid' }),
            landlordPersonId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
            startDate: Type.String({ format: 'date' }),
            endDate: Type.String({ format: 'date' }),
          },
          { additionalProperties: false },
        ),
        response: { 201: TenancyView },
      },
    },
    async (req, reply) => reply.status(201).send(await visitors.createTenancy(ctx, requireActor(req), req.body)),
  );
  app.put(
    '/api/registry/tenancies/:id/photo',
    { ...write, schema: { tags, summary: 'Upload the contract photo (multipart field "file": JPEG, PNG or WebP)', params: IdParams } },
    async (req, reply) => {
      const file = req.isMultipart() ? await req.file({ limits: { fileSize: 8 * 1024 * 1024 } }) : undefined;
      if (!file) throw new AppError('VALIDATION_FAILED', { problems: [{ field: 'file', reason: '请选择合同照片' }] });
      const data = await file.toBuffer();
      await visitors.setContractPhoto(ctx, requireActor(req), req.params.id, file.mimetype, data);
      return reply.status(204).send();
    },
  );
  app.get(
    '/api/registry/tenancies/:id/photo',
    { ...read, schema: { tags, summary: 'The contract photo', params: IdParams } },
    async (req, reply) => {
      const photo = await visitors.contractPhoto(ctx, requireActor(req), req.params.id);
      return reply.header('content-type', photo.mime).header('cache-control', 'private, no-store').send(photo.data);
    },
  );

  app.get(
    '/api/registry/visitors',
    {
      ...read,
      schema: {
        tags,
        summary: 'Visitors, newest first',
        querystring: Type.Object({
          territoryCode: Territory,
          onlyPresent: Type.Optional(Type.Boolean()),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(VisitorView) }) },
      },
    },
    async (req) => ({ items: await visitors.listVisitors(ctx, requireActor(req), req.query) }),
  );
  app.post(
    '/api/registry/visitors',
    {
      ...write,
      schema: {
        tags,
        summary: 'Register a visitor (访客登记)',
        body: Type.Object(
          {
            houseCode: Type.String({ pattern: '^[0-9]{24}$' }),
            name: Type.String({ minLength: 1, maxLength: 40 }),
            idNumber: Type.Optional(Type.String({ maxLength: 20 })),
            phone: Type.Optional(Type.String({ maxLength: 30 })),
            purpose: Type.Optional(Type.String({ maxLength: 100 })),
            plate: Type.Optional(Type.String({ maxLength: 12 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: VisitorView },
      },
    },
    async (req, reply) => reply.status(201).send(await visitors.registerVisitor(ctx, requireActor(req), req.body)),
  );
  app.post(
    '/api/registry/visitors/:id/leave',
    { ...write, schema: { tags, summary: 'The visitor has left', params: IdParams, response: { 200: VisitorView } } },
    async (req) => visitors.visitorLeft(ctx, requireActor(req), req.params.id),
  );
};
