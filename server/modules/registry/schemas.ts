import { Type } from 'typebox';
import { StringEnum } from '../../core/schema.ts';

/** TypeBox schemas of the registry API, shared with web/. */

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const NStr = Type.Union([Type.String(), Type.Null()]);
const NNum = Type.Union([Type.Number(), Type.Null()]);

export const Gender = StringEnum(['M', 'F'] as const);
export const Residency = StringEnum(['registered', 'migrant', 'foreign'] as const);
export const IdTypeSchema = StringEnum(['resident', 'passport', 'hk_macao', 'taiwan'] as const);
export const Relation = StringEnum(['owner', 'tenant', 'family', 'other'] as const);
export const PersonStatus = StringEnum(['active', 'moved_out', 'deceased'] as const);
export const HouseUse = StringEnum(['self', 'rented', 'vacant', 'business'] as const);

export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const CodeParams = Type.Object({ code: Type.String({ pattern: '^[0-9]{6,24}$' }) });

export const PersonView = Type.Object({
  id: Type.String(),
  districtCode: Type.String(),
  communityCode: Type.String(),
  houseCode: NStr,
  address: NStr,
  name: Type.String(),
  gender: Type.Union([Gender, Type.Null()]),
  age: Type.Union([Type.Integer(), Type.Null()]),
  ageTags: Type.Array(Type.String()),
  idType: IdTypeSchema,
  idMasked: Type.String(),
  phoneMasked: NStr,
  ethnicity: Type.String(),
  householdPlace: Type.String(),
  residency: Residency,
  tags: Type.Array(Type.String()),
  status: PersonStatus,
  version: Type.Integer(),
  updatedAt: Type.String(),
});

export const LinkView = Type.Object({
  id: Type.String(),
  personId: Type.String(),
  houseCode: Type.String(),
  address: Type.String(),
  relation: Relation,
  headRelation: Type.String(),
  resides: Type.Boolean(),
  share: NNum,
  moveIn: NStr,
  moveOut: NStr,
  version: Type.Integer(),
});

export const PersonDetail = Type.Object({
  ...PersonView.properties,
  note: Type.String(),
  tagDetails: Type.Array(Type.Object({ tag: Type.String(), level: NStr, setBy: Type.String(), setAt: Type.String() })),
  houses: Type.Array(LinkView),
});

export const PersonList = Type.Object({ items: Type.Array(PersonView), nextCursor: NStr });

export const PersonSearchQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 60 })),
  address: Type.Optional(Type.String({ maxLength: 60 })),
  tags: Type.Optional(Type.Array(Type.String({ maxLength: 10 }), { maxItems: 10 })),
  residency: Type.Optional(Residency),
  gender: Type.Optional(Gender),
  minAge: Type.Optional(Type.Integer({ minimum: 0, maximum: 150 })),
  maxAge: Type.Optional(Type.Integer({ minimum: 0, maximum: 150 })),
  territoryCode: Type.Optional(Type.String({ pattern: '^[0-9]{6,24}$' })),
  status: Type.Optional(PersonStatus),
  cursor: Type.Optional(Type.String({ maxLength: 400 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
});

export const NewPersonBody = Type.Object(
  {
    placeCode: Type.String({ pattern: '^[0-9]{12}$|^[0-9]{24}$' }),
    name: Type.String({ maxLength: 60 }),
    idType: Type.Optional(IdTypeSchema),
    idNumber: Type.String({ maxLength: 30 }),
    phone: Type.Optional(Type.String({ maxLength: 30 })),
    gender: Type.Optional(Type.String({ maxLength: 2 })),
    birthDate: Type.Optional(Type.String({ maxLength: 12 })),
    ethnicity: Type.Optional(Type.String({ maxLength: 20 })),
    householdPlace: Type.Optional(Type.String({ maxLength: 100 })),
    residency: Type.Optional(Residency),
    tags: Type.Optional(Type.Array(Type.String({ maxLength: 20 }), { maxItems: 20 })),
    relation: Type.Optional(Relation),
    headRelation: Type.Optional(Type.String({ maxLength: 10 })),
    moveIn: Type.Optional(Type.String({ format: 'date' })),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

export const PersonPatchBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    name: Type.Optional(Type.String({ maxLength: 60 })),
    phone: Type.Optional(Nullable(Type.String({ maxLength: 30 }))),
    ethnicity: Type.Optional(Type.String({ maxLength: 20 })),
    householdPlace: Type.Optional(Type.String({ maxLength: 100 })),
    residency: Type.Optional(Residency),
    tags: Type.Optional(Type.Array(Type.String({ maxLength: 20 }), { maxItems: 20 })),
    status: Type.Optional(PersonStatus),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

export const RevealBody = Type.Object({ reason: Type.String({ minLength: 2, maxLength: 200 }) }, { additionalProperties: false });
export const RevealView = Type.Object({ idNumber: Type.String(), phone: NStr, birthDate: NStr });

export const NewLinkBody = Type.Object(
  {
    houseCode: Type.String({ pattern: '^[0-9]{24}$' }),
    relation: Relation,
    headRelation: Type.Optional(Type.String({ maxLength: 10 })),
    resides: Type.Optional(Type.Boolean()),
    share: Type.Optional(Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()])),
    moveIn: Type.Optional(Type.String({ format: 'date' })),
  },
  { additionalProperties: false },
);

export const LinkPatchBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    relation: Type.Optional(Relation),
    headRelation: Type.Optional(Type.String({ maxLength: 10 })),
    resides: Type.Optional(Type.Boolean()),
    share: Type.Optional(Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()])),
    moveOut: Type.Optional(Type.Union([Type.String({ format: 'date' }), Type.Null()])),
  },
  { additionalProperties: false },
);

export const HistoryList = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      action: Type.String(),
      actorName: Type.String(),
      at: Type.String(),
      before: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
      after: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
    }),
  ),
});

export const HouseholdView = Type.Object({
  house: Type.Object({
    code: Type.String(),
    address: Type.String(),
    buildingCode: Type.String(),
    floor: Type.Integer(),
    room: Type.Integer(),
    roomLabel: Type.String(),
    area: NNum,
    use: HouseUse,
    version: Type.Integer(),
  }),
  members: Type.Array(
    Type.Object({
      linkId: Type.String(),
      personId: Type.String(),
      name: Type.String(),
      gender: Type.Union([Gender, Type.Null()]),
      age: Type.Union([Type.Integer(), Type.Null()]),
      ageTags: Type.Array(Type.String()),
      tags: Type.Array(Type.String()),
      idMasked: Type.String(),
      phoneMasked: NStr,
      relation: Relation,
      headRelation: Type.String(),
      resides: Type.Boolean(),
      share: NNum,
      moveIn: NStr,
      moveOut: NStr,
      version: Type.Integer(),
    }),
  ),
  tenancies: Type.Array(
    Type.Object({
      id: Type.String(),
      status: Type.String(),
      startDate: Type.String(),
      endDate: Type.String(),
      tenantName: Type.String(),
      tenantId: Type.String(),
      landlordName: NStr,
      hasPhoto: Type.Boolean(),
      version: Type.Integer(),
    }),
  ),
  units: Type.Array(
    Type.Object({ id: Type.String(), name: Type.String(), unitType: Type.String(), creditCode: NStr, industry: Type.String() }),
  ),
});

export const OccupancyView = Type.Object({
  code: Type.String(),
  name: Type.String(),
  houses: Type.Array(
    Type.Object({
      code: Type.String(),
      unitCode: Type.String(),
      floor: Type.Integer(),
      room: Type.Integer(),
      roomLabel: Type.String(),
      use: HouseUse,
      area: NNum,
      residents: Type.Integer(),
      owners: Type.Integer(),
      tenants: Type.Integer(),
      elderly: Type.Integer(),
      alone: Type.Integer(),
      headName: NStr,
      units: Type.Integer(),
    }),
  ),
});
