import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.ts';
import { ROLE_KEYS, type RoleKey, type Scope } from '../../core/permissions.ts';
import { accountWithinReach, assertRoleAuthority, assertSeparation, isAdministratorRole, type BindingTarget } from './rules.ts';

const GLOBAL: Scope = { all: true };
const YINZHOU: Scope = { all: false, territoryPaths: ['330000.330200.330212'], orgPaths: [] };
const JIANGCHENG = '330000.330200.330212.330212014.330212014027';
const HUASHAN = '530000.530100.530102.530102001';

const at = (role: RoleKey, scopePath: string | null): BindingTarget => ({ role, scopePath, scopeCode: scopePath?.split('.').at(-1) ?? '' });

function codeOf(fn: () => void): string | null {
  try {
    fn();
    return null;
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
}

describe('users rules', () => {
  it('administrator roles are exactly the three of 三员分立', () => {
    expect(ROLE_KEYS.filter(isAdministratorRole)).toEqual(['sysadmin', 'secadmin', 'auditor']);
  });

  it('administrator roles need a global user.write scope; business roles a place inside the scope', () => {
    for (const admin of ['sysadmin', 'secadmin', 'auditor'] as const) {
      expect(codeOf(() => assertRoleAuthority(GLOBAL, at(admin, null)))).toBeNull();
      expect(codeOf(() => assertRoleAuthority(YINZHOU, at(admin, null)))).toBe('FORBIDDEN');
    }
    expect(codeOf(() => assertRoleAuthority(YINZHOU, at('community_worker', JIANGCHENG)))).toBeNull();
    expect(codeOf(() => assertRoleAuthority(YINZHOU, at('district_admin', '330000.330200.330212')))).toBeNull();
    expect(codeOf(() => assertRoleAuthority(YINZHOU, at('district_admin', '330000.330200')))).toBe('OUT_OF_SCOPE');
    expect(codeOf(() => assertRoleAuthority(YINZHOU, at('street_staff', HUASHAN)))).toBe('OUT_OF_SCOPE');
    // A label prefix is not a parent: 3302120 is not under 330212.
    expect(codeOf(() => assertRoleAuthority(YINZHOU, at('volunteer', '330000.330200.3302120')))).toBe('OUT_OF_SCOPE');
    expect(codeOf(() => assertRoleAuthority(GLOBAL, at('street_staff', HUASHAN)))).toBeNull();
  });

  it('account changes need every role of the person inside the scope', () => {
    expect(accountWithinReach(YINZHOU, [at('community_worker', JIANGCHENG)])).toBe(true);
    expect(accountWithinReach(YINZHOU, [at('community_worker', JIANGCHENG), at('volunteer', HUASHAN)])).toBe(false);
    expect(accountWithinReach(YINZHOU, [])).toBe(false);
    expect(accountWithinReach(YINZHOU, [at('secadmin', null)])).toBe(false);
    expect(accountWithinReach(GLOBAL, [at('volunteer', HUASHAN), at('secadmin', null)])).toBe(true);
  });

  it('三员分立 refuses a second duty and mixing duties with business roles', () => {
    expect(codeOf(() => assertSeparation(['sysadmin'], 'auditor'))).toBe('SEPARATION_OF_DUTIES');
    expect(codeOf(() => assertSeparation(['auditor'], 'resident'))).toBe('SEPARATION_OF_DUTIES');
    expect(codeOf(() => assertSeparation(['community_worker'], 'secadmin'))).toBe('SEPARATION_OF_DUTIES');
    expect(codeOf(() => assertSeparation(['community_worker', 'volunteer'], 'grid_worker'))).toBeNull();
    expect(codeOf(() => assertSeparation(['sysadmin'], 'sysadmin'))).toBeNull();
  });
});
