import { Type } from 'typebox';
import { StringEnum } from '../../core/schema.ts';
import { APPLICATION_ACTIONS, APPLICATION_STATES } from './application-rules.ts';

/** TypeBox schemas of the services API, shared with web/ through the OpenAPI document. */

const open = { additionalProperties: true } as const;

export const Material = Type.Object({ name: Type.String({ minLength: 1, maxLength: 60 }), required: Type.Boolean() });

export const ItemView = Type.Object(
  {
    id: Type.String(),
    districtCode: Type.String(),
    categoryName: Type.String(),
    code: Type.String(),
    name: Type.String(),
    description: Type.String(),
    eligibility: Type.String(),
    materials: Type.Array(Material),
    handlerRole: Type.String(),
    timeLimitDays: Type.Integer(),
    feeFen: Type.Integer(),
    certificateType: Type.Union([Type.String(), Type.Null()]),
    givesCertificate: Type.Boolean(),
    homeVisit: Type.Boolean(),
    active: Type.Boolean(),
    version: Type.Integer(),
  },
  open,
);

export const Catalogue = Type.Object(
  {
    categories: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), items: Type.Array(ItemView) })),
  },
  open,
);

export const Upload = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 60 }),
  fileName: Type.String({ minLength: 1, maxLength: 120 }),
  mime: Type.String({ maxLength: 60 }),
  dataBase64: Type.String({ maxLength: 2_900_000 }),
});

export const ApplicationState = StringEnum(APPLICATION_STATES);
export const ApplicationView = Type.Object(
  {
    id: Type.String(),
    number: Type.String(),
    itemName: Type.String(),
    communityName: Type.String(),
    personName: Type.String(),
    channel: Type.String(),
    state: ApplicationState,
    stateName: Type.String(),
    dueAt: Type.String(),
    deadline: StringEnum(['green', 'yellow', 'red', 'paused', 'closed'] as const),
    actions: Type.Array(StringEnum(APPLICATION_ACTIONS)),
    version: Type.Integer(),
  },
  open,
);

export const ApplyBody = Type.Object(
  {
    itemId: Type.String({ format: 'uuid' }),
    personId: Type.Optional(Type.String({ format: 'uuid' })),
    channel: Type.Optional(StringEnum(['online', 'counter', 'home_visit'] as const)),
    note: Type.Optional(Type.String({ maxLength: 500 })),
    materials: Type.Optional(Type.Array(Upload, { maxItems: 8 })),
    idempotencyKey: Type.Optional(Type.String({ minLength: 8, maxLength: 64 })),
  },
  { additionalProperties: false },
);

export const ActionBody = Type.Object(
  {
    action: StringEnum(APPLICATION_ACTIONS),
    version: Type.Integer({ minimum: 1 }),
    note: Type.Optional(Type.String({ maxLength: 500 })),
    materials: Type.Optional(Type.Array(Upload, { maxItems: 8 })),
  },
  { additionalProperties: false },
);

export const SlotView = Type.Object(
  {
    id: Type.String(),
    workerName: Type.String(),
    startsAt: Type.String(),
    endsAt: Type.String(),
    state: Type.String(),
    version: Type.Integer(),
  },
  open,
);

export const CertificateView = Type.Object(
  {
    id: Type.String(),
    number: Type.String(),
    verifyCode: Type.String(),
    communityName: Type.String(),
    personName: Type.String(),
    typeKey: Type.String(),
    typeName: Type.String(),
    purpose: Type.String(),
    validUntil: Type.String(),
    issuedAt: Type.String(),
    revokedAt: Type.Union([Type.String(), Type.Null()]),
    version: Type.Integer(),
  },
  open,
);

/** One line of the register of issued certificates (出具登记): the holder masked, the state as of today. */
export const IssuedCertificate = Type.Object({
  id: Type.String(),
  number: Type.String(),
  communityCode: Type.String(),
  communityName: Type.String(),
  personMasked: Type.String(),
  idMasked: Type.String(),
  typeKey: Type.String(),
  typeName: Type.String(),
  purpose: Type.String(),
  issuedAt: Type.String(),
  issuedByName: Type.String(),
  validUntil: Type.String(),
  fromApplication: Type.Boolean(),
  state: StringEnum(['valid', 'revoked', 'expired'] as const),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
  revokeReason: Type.String(),
  version: Type.Integer(),
});

export const IssuedCertificatePage = Type.Object({ total: Type.Integer(), items: Type.Array(IssuedCertificate) });

export const CertificateList = Type.Object(
  {
    community: Type.Object({ code: Type.String(), name: Type.String() }),
    entries: Type.Array(
      Type.Object({
        id: Type.String(),
        typeKey: Type.String(),
        name: Type.String(),
        legalBasis: Type.String(),
        validityDays: Type.Integer(),
        version: Type.Integer(),
      }),
    ),
  },
  open,
);

export const Verification = Type.Object({
  valid: Type.Boolean(),
  status: StringEnum(['valid', 'revoked', 'expired'] as const),
  number: Type.String(),
  typeName: Type.String(),
  communityName: Type.String(),
  issuedAt: Type.String(),
  validUntil: Type.String(),
});

export const Uuid = Type.Object({ id: Type.String({ format: 'uuid' }) });
