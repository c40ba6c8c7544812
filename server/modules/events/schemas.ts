import { Type } from 'typebox';
import { StringEnum } from '../../core/schema.ts';
import { ACTIONS, LEVELS, STATES } from './state-machine.ts';

/** TypeBox schemas of the events API (shared with web/ as types). */

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Org = Type.Object({ id: Type.String(), name: Type.String() });

export const EventView = Type.Object({
  id: Type.String(),
  number: Type.String({ description: 'tracking number (受理编号)' }),
  districtCode: Type.String(),
  categoryCode: Type.String(),
  categoryName: Type.String(),
  title: Type.String(),
  description: Type.String(),
  source: StringEnum(['grid', 'hotline', 'web', 'import', 'open311'] as const),
  state: StringEnum(STATES),
  level: StringEnum(LEVELS),
  originLevel: StringEnum(LEVELS),
  whistled: Type.Boolean(),
  placeCode: Type.String(),
  placeName: Type.String(),
  address: Type.String(),
  lng: Nullable(Type.Number()),
  lat: Nullable(Type.Number()),
  anonymous: Type.Boolean(),
  reporterName: Nullable(Type.String()),
  reporterPhone: Nullable(Type.String({ description: 'masked' })),
  leadOrg: Nullable(Org),
  assistOrgs: Type.Array(Org),
  mergedInto: Nullable(Type.String()),
  stage: Nullable(StringEnum(['accept', 'respond', 'handle'] as const)),
  warnAt: Nullable(Type.String()),
  dueAt: Nullable(Type.String()),
  deadline: StringEnum(['green', 'yellow', 'red', 'none'] as const),
  overdue: Type.Boolean(),
  everOverdue: Type.Boolean(),
  supervisedCount: Type.Integer(),
  satisfaction: Nullable(Type.Integer()),
  photoRequired: Type.Boolean(),
  reportedAt: Type.String(),
  acceptedAt: Nullable(Type.String()),
  respondedAt: Nullable(Type.String()),
  handledAt: Nullable(Type.String()),
  closedAt: Nullable(Type.String()),
  closedLevel: Nullable(StringEnum(LEVELS)),
  closedOnTime: Nullable(Type.Boolean()),
  version: Type.Integer(),
  relations: Type.Array(Type.String(), { description: 'how the caller stands to the event' }),
  allowedActions: Type.Array(StringEnum(ACTIONS), { description: 'what the caller may do now' }),
});

export const Step = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  actorName: Type.String(),
  action: Type.String(),
  fromState: Nullable(Type.String()),
  toState: Type.String(),
  level: Type.String(),
  note: Type.String(),
  details: Type.Record(Type.String(), Type.Unknown()),
  attachments: Type.Array(Type.String()),
});

export const EventDetail = Type.Intersect([EventView, Type.Object({ timeline: Type.Array(Step) })]);

export const Photos = Type.Array(Type.String({ maxLength: 7_000_000, description: 'base64 or data: URL; JPEG, PNG or WebP' }), {
  maxItems: 6,
});

export const ReportBody = Type.Object(
  {
    categoryCode: Type.String({ maxLength: 40 }),
    title: Type.String({ minLength: 2, maxLength: 100 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    placeCode: Type.String({ maxLength: 24 }),
    address: Type.Optional(Type.String({ maxLength: 200 })),
    lng: Type.Optional(Type.Number({ minimum: 73, maximum: 136 })),
    lat: Type.Optional(Type.Number({ minimum: 3, maximum: 54 })),
    source: Type.Optional(StringEnum(['grid', 'hotline', 'web'] as const)),
    reporterName: Type.Optional(Type.String({ maxLength: 40 })),
    reporterPhone: Type.Optional(Type.String({ pattern: '^[0-9 +-]{5,20}$' })),
    anonymous: Type.Optional(Type.Boolean()),
    photos: Type.Optional(Photos),
    escalate: Type.Optional(Type.Boolean({ description: 'send it one level up at once' })),
    idempotencyKey: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);

export const Duplicate = Type.Object({
  id: Type.String(),
  number: Type.String(),
  title: Type.String(),
  state: Type.String(),
  address: Type.String(),
  reportedAt: Type.String(),
  distance: Type.Number({ description: 'metres' }),
});

export const ActionBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    photos: Type.Optional(Photos),
    satisfaction: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
    targetId: Type.Optional(Type.String({ format: 'uuid' })),
    leadOrgId: Type.Optional(Type.String({ format: 'uuid' })),
    assistOrgIds: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: 10 })),
    dueDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 30 })),
  },
  { additionalProperties: false },
);

export const CategoryView = Type.Object({
  code: Type.String(),
  parentCode: Nullable(Type.String()),
  name: Type.String(),
  nameEn: Type.String(),
  description: Type.String(),
  closingLevel: StringEnum(LEVELS),
  acceptHours: Type.Integer(),
  respondHours: Type.Integer(),
  handleDays: Type.Integer(),
  departments: Type.Array(Type.String()),
  photoRequired: Type.Boolean(),
  anonymousAllowed: Type.Boolean(),
  autoEscalate: Type.Boolean(),
  version: Type.Integer(),
});
