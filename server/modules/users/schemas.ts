import { Type } from 'typebox';
import { ROLE_KEYS } from '../../core/permissions.ts';

/** Request and response shapes of the users-and-roles API, shared with web/. */

export const RoleKeySchema = Type.Enum(ROLE_KEYS);

export const RoleBindingView = Type.Object({
  id: Type.String(),
  role: Type.String(),
  roleName: Type.String(),
  scopeType: Type.String(),
  scopeCode: Type.String(),
  scopeName: Type.String(),
});

export const UserView = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  disabled: Type.Boolean(),
  lockedUntil: Type.Union([Type.String(), Type.Null()]),
  totpEnabled: Type.Boolean(),
  totpRequired: Type.Boolean(),
  mustChangePassword: Type.Boolean(),
  roles: Type.Array(RoleBindingView),
  version: Type.Integer(),
  createdAt: Type.String(),
});

export const UserList = Type.Object({ items: Type.Array(UserView), total: Type.Integer() });

export const UserListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 64 })),
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});

/** '' for the global roles, a territory code (社区编码), or `org:<uuid>`. */
const ScopeCode = Type.String({ maxLength: 64 });

export const RoleGrantBody = Type.Object({ role: RoleKeySchema, scopeCode: ScopeCode }, { additionalProperties: false });

export const USERNAME_PATTERN = '^[A-Za-z0-9._-]{3,32}$';

export const UserCreateBody = Type.Object(
  {
    username: Type.String({ pattern: USERNAME_PATTERN }),
    displayName: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 128 }),
    totpRequired: Type.Optional(Type.Boolean()),
    roles: Type.Optional(
      Type.Array(Type.Object({ role: RoleKeySchema, scopeCode: ScopeCode }, { additionalProperties: false }), { maxItems: 20 }),
    ),
  },
  { additionalProperties: false },
);

export const UserPatchBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    disabled: Type.Optional(Type.Boolean()),
    totpRequired: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const PasswordResetBody = Type.Object({ password: Type.String({ minLength: 1, maxLength: 128 }) }, { additionalProperties: false });

export const UserIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const RoleIdParams = Type.Object({ id: Type.String({ format: 'uuid' }), roleId: Type.String({ format: 'uuid' }) });

export const RoleCatalogue = Type.Object({
  items: Type.Array(
    Type.Object({
      key: Type.String(),
      zh: Type.String(),
      en: Type.String(),
      binds: Type.Array(Type.String()),
      levels: Type.Array(Type.String()),
    }),
  ),
});
