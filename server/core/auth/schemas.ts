import { Type } from 'typebox';

export const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 128 }),
    totpCode: Type.Optional(Type.String({ maxLength: 10 })),
  },
  { additionalProperties: false },
);

export const RoleView = Type.Object({
  id: Type.String(),
  role: Type.String(),
  roleName: Type.String(),
  scopeType: Type.String(),
  scopeCode: Type.String(),
  scopeName: Type.String(),
});

export const MeView = Type.Object({
  user: Type.Object({
    id: Type.String(),
    username: Type.String(),
    displayName: Type.String(),
    locale: Type.String(),
    totpEnabled: Type.Boolean(),
    totpRequired: Type.Boolean(),
    mustChangePassword: Type.Boolean(),
  }),
  roles: Type.Array(RoleView),
  permissions: Type.Array(Type.String()),
  csrfToken: Type.Union([Type.String(), Type.Null()]),
});

export const PasswordBody = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: 128 }), newPassword: Type.String({ minLength: 1, maxLength: 128 }) },
  { additionalProperties: false },
);

export const CodeBody = Type.Object({ code: Type.String({ minLength: 6, maxLength: 6 }) }, { additionalProperties: false });

export const TokenBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });

export const TokenView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: Type.String(),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
});

export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
