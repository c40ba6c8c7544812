import { Type } from 'typebox';
import { StringEnum } from '../../core/schema.ts';

const Level = StringEnum(['province', 'city', 'district', 'street', 'community', 'grid', 'building', 'unit', 'house'] as const);

export const NodeView = Type.Object({
  code: Type.String(),
  name: Type.String(),
  level: Level,
  parentCode: Type.Union([Type.String(), Type.Null()]),
  path: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), level: Level })),
  childCount: Type.Integer(),
  version: Type.Union([Type.Integer(), Type.Null()]),
});

export const NodeList = Type.Object({ items: Type.Array(NodeView) });

// Any string: the service answers malformed codes with a 400 that says what a code looks like.
export const CodeParams = Type.Object({ code: Type.String({ maxLength: 64 }) });

export const SearchQuery = Type.Object({
  q: Type.String({ maxLength: 64 }),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});

const HouseUse = Type.Union([Type.Literal('self'), Type.Literal('rented'), Type.Literal('vacant'), Type.Literal('business')]);

export const LayoutView = Type.Object({
  building: Type.Intersect([
    NodeView,
    Type.Object({
      floors: Type.Integer(),
      hasLift: Type.Boolean(),
      address: Type.String(),
      builtYear: Type.Union([Type.Integer(), Type.Null()]),
    }),
  ]),
  units: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      floors: Type.Array(
        Type.Object({
          floor: Type.Integer(),
          houses: Type.Array(
            Type.Object({
              code: Type.String(),
              roomLabel: Type.String(),
              area: Type.Union([Type.Number(), Type.Null()]),
              use: HouseUse,
              version: Type.Integer(),
            }),
          ),
        }),
      ),
    }),
  ),
});

export const HouseView = Type.Intersect([
  NodeView,
  Type.Object({
    floor: Type.Integer(),
    roomLabel: Type.String(),
    area: Type.Union([Type.Number(), Type.Null()]),
    use: HouseUse,
  }),
]);

export const HousePatch = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    area: Type.Optional(Type.Union([Type.Number({ exclusiveMinimum: 0, maximum: 100000 }), Type.Null()])),
    use: Type.Optional(HouseUse),
  },
  { additionalProperties: false },
);

export const GridPatch = Type.Object(
  { version: Type.Integer({ minimum: 1 }), name: Type.String({ minLength: 1, maxLength: 60 }) },
  { additionalProperties: false },
);

export const StatsView = Type.Object({
  code: Type.String(),
  streets: Type.Integer(),
  communities: Type.Integer(),
  grids: Type.Integer(),
  buildings: Type.Integer(),
  houses: Type.Integer(),
});

export const NewGridBody = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })) },
  { additionalProperties: false },
);

export const NewBuildingBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 40 }),
    floors: Type.Integer({ minimum: 1, maximum: 99 }),
    unitsCount: Type.Integer({ minimum: 1, maximum: 50 }),
    roomsPerFloor: Type.Integer({ minimum: 1, maximum: 50 }),
    hasLift: Type.Optional(Type.Boolean()),
    builtYear: Type.Optional(Type.Integer({ minimum: 1900, maximum: 2100 })),
    address: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
