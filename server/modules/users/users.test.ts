import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { Client, createTestApp, ENGINES, type TestApp } from '../../test/harness.ts';
import { TEST_PASSWORD } from '../../test/constants.ts';
import { verifyAuditChain } from '../../core/audit.ts';
import { ROLE_KEYS } from '../../core/permissions.ts';
import { findUserIdByUsername } from './service.ts';

/**
 * Users and roles, walked end to end through the API as the people who do it: the security
 * administrator (secadmin), the 鄞州区 district administrator (yinzhou), a new community worker,
 * and the administrators who must not manage users (sysadmin, auditor).
 */

const JIANGCHENG = '330212014027'; // 江城社区, 福明街道, 鄞州区
const JIANGCHENG_GRID = '330212014027001';
const WUHUA = '530102'; // 五华区, 昆明
const HUASHAN_STREET = '530102001'; // 华山街道, 五华区

const NEW_USER = 'sun-min';
const INITIAL_PASSWORD = 'Init#2024jc';
const CHANGED_PASSWORD = 'Work#2024jc';
const RESET_PASSWORD = 'Reset#2024jc';

describe.each(ENGINES)('users and roles (%s)', (engine) => {
  let t: TestApp;
  let secadmin: Client;
  let yinzhou: Client;
  let newUserId: string;
  let ipSeq = 0;

  // Every sign-in comes from its own address: the login route's rate limit is not under test here.
  function loginRequest(username: string, password: string) {
    ipSeq++;
    return t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password },
      remoteAddress: `10.0.${Math.floor(ipSeq / 250)}.${(ipSeq % 250) + 1}`,
    });
  }

  async function signIn(username: string, password = TEST_PASSWORD): Promise<Client> {
    const res = await loginRequest(username, password);
    expect(res.statusCode, `login ${username}: ${res.body}`).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'gz_session')!;
    return new Client(t.app, `gz_session=${cookie.value}`, res.json().csrfToken);
  }

  async function idOf(username: string): Promise<string> {
    const id = await findUserIdByUsername(t.ctx, username);
    if (!id) throw new Error(`no user ${username}`);
    return id;
  }

  async function rolesInDb(userId: string) {
    return t.ctx.db
      .selectFrom('role_binding')
      .select([
        'role',
        'scope_type',
        'scope_code',
        sql<string | null>`scope_path::text`.as('scope_path'),
        sql<string | null>`org_path::text`.as('org_path'),
      ])
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute();
  }

  async function orgId(seedKey: string): Promise<string> {
    const row = await t.ctx.db.selectFrom('org').select('id').where('seed_key', '=', seedKey).executeTakeFirstOrThrow();
    return row.id;
  }

  const usernames = (body: { items: { username: string }[] }) => body.items.map((u) => u.username);

  beforeAll(async () => {
    t = await createTestApp(engine);
    secadmin = await signIn('secadmin');
    yinzhou = await signIn('yinzhou');
  });

  afterAll(async () => {
    await t?.close();
  });

  it('secadmin creates a user: weak password and taken username are refused; the account must change its password', async () => {
    const weak = await secadmin.post('/api/users', { username: NEW_USER, displayName: '江城社区 孙敏', password: 'password1' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.code).toBe('WEAK_PASSWORD');
    expect(weak.json().error.details.problems).toContain('too_few_classes');
    expect(await findUserIdByUsername(t.ctx, NEW_USER)).toBeNull();

    const badName = await secadmin.post('/api/users', { username: 'sun min', displayName: '孙敏', password: INITIAL_PASSWORD });
    expect(badName.statusCode).toBe(400);
    expect(badName.json().error.code).toBe('VALIDATION_FAILED');

    const created = await secadmin.post('/api/users', { username: NEW_USER, displayName: '江城社区 孙敏', password: INITIAL_PASSWORD });
    expect(created.statusCode, created.body).toBe(201);
    const user = created.json();
    expect(user).toMatchObject({
      username: NEW_USER,
      displayName: '江城社区 孙敏',
      disabled: false,
      lockedUntil: null,
      totpEnabled: false,
      totpRequired: false,
      mustChangePassword: true,
      roles: [],
      version: 1,
    });
    expect(Number.isNaN(Date.parse(user.createdAt))).toBe(false);
    newUserId = user.id;
    const stored = await t.ctx.db
      .selectFrom('app_user')
      .select(['password_hash', 'must_change_password'])
      .where('id', '=', newUserId)
      .executeTakeFirstOrThrow();
    expect(stored.must_change_password).toBe(true);
    expect(stored.password_hash).toMatch(/^scrypt\$/);

    const dup = await secadmin.post('/api/users', { username: 'SUN-MIN', displayName: '另一个孙敏', password: INITIAL_PASSWORD });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('USERNAME_TAKEN');

    expect((await secadmin.get(`/api/users/${newUserId}`)).json().username).toBe(NEW_USER);
  });

  it('secadmin binds community_worker at 江城社区; the new user works there after changing the initial password', async () => {
    const wrongLevel = await secadmin.post(`/api/users/${newUserId}/roles`, { role: 'community_worker', scopeCode: '330212014' });
    expect(wrongLevel.statusCode).toBe(400);
    expect(wrongLevel.json().error).toMatchObject({ code: 'ROLE_SCOPE_INVALID', details: { reason: 'wrong_level', level: 'street' } });
    const malformed = await secadmin.post(`/api/users/${newUserId}/roles`, { role: 'community_worker', scopeCode: '33021201402' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error).toMatchObject({ code: 'ROLE_SCOPE_INVALID', details: { reason: 'malformed_code' } });
    const noScope = await secadmin.post(`/api/users/${newUserId}/roles`, { role: 'community_worker', scopeCode: '' });
    expect(noScope.json().error).toMatchObject({ code: 'ROLE_SCOPE_INVALID', details: { reason: 'scope_required' } });
    const nowhere = await secadmin.post(`/api/users/${newUserId}/roles`, { role: 'community_worker', scopeCode: '330212014999' });
    expect(nowhere.statusCode).toBe(404);
    expect(nowhere.json().error.code).toBe('TERRITORY_NOT_FOUND');
    const orgForTerritoryRole = await secadmin.post(`/api/users/${newUserId}/roles`, {
      role: 'community_worker',
      scopeCode: `org:${await orgId('dept:330212:law-enforcement')}`,
    });
    expect(orgForTerritoryRole.json().error).toMatchObject({ code: 'ROLE_SCOPE_INVALID', details: { reason: 'role_cannot_bind_to_org' } });
    expect(await rolesInDb(newUserId)).toEqual([]);

    const granted = await secadmin.post(`/api/users/${newUserId}/roles`, { role: 'community_worker', scopeCode: JIANGCHENG });
    expect(granted.statusCode, granted.body).toBe(201);
    expect(granted.json()).toMatchObject({
      role: 'community_worker',
      roleName: '社区工作者',
      scopeType: 'territory',
      scopeCode: JIANGCHENG,
      scopeName: '江城社区',
    });
    expect(await rolesInDb(newUserId)).toEqual([
      {
        role: 'community_worker',
        scope_type: 'territory',
        scope_code: JIANGCHENG,
        scope_path: '330000.330200.330212.330212014.330212014027',
        org_path: null,
      },
    ]);

    const again = await secadmin.post(`/api/users/${newUserId}/roles`, { role: 'community_worker', scopeCode: JIANGCHENG });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('CONFLICT');

    const worker = await signIn(NEW_USER, INITIAL_PASSWORD);
    const early = await worker.get(`/api/territory/${JIANGCHENG}`);
    expect(early.statusCode).toBe(403);
    expect(early.json().error.code).toBe('SETUP_REQUIRED');
    const me = await worker.get('/api/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().user.mustChangePassword).toBe(true);
    expect(me.json().roles.map((r: { role: string; scopeCode: string }) => `${r.role}@${r.scopeCode}`)).toEqual([
      `community_worker@${JIANGCHENG}`,
    ]);

    const changed = await worker.post('/api/me/password', { currentPassword: INITIAL_PASSWORD, newPassword: CHANGED_PASSWORD });
    expect(changed.statusCode, changed.body).toBe(204);
    const place = await worker.get(`/api/territory/${JIANGCHENG}`);
    expect(place.statusCode).toBe(200);
    expect(place.json().name).toBe('江城社区');
    // The role reaches only 江城社区: a neighbouring district stays closed.
    expect((await worker.get(`/api/territory/${WUHUA}`)).statusCode).toBe(403);
  });

  it('a change carrying a stale version is refused and changes nothing', async () => {
    const current = (await secadmin.get(`/api/users/${newUserId}`)).json();
    const ok = await secadmin.patch(`/api/users/${newUserId}`, { version: current.version, displayName: '江城社区 孙敏（网格支持）' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ displayName: '江城社区 孙敏（网格支持）', version: current.version + 1 });

    const stale = await secadmin.patch(`/api/users/${newUserId}`, { version: current.version, displayName: '覆盖' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'VERSION_CONFLICT', details: { currentVersion: current.version + 1 } });
    expect((await secadmin.get(`/api/users/${newUserId}`)).json().displayName).toBe('江城社区 孙敏（网格支持）');
  });

  it('secadmin lists and searches everyone, page by page', async () => {
    const all = (await secadmin.get('/api/users?pageSize=100')).json();
    expect(usernames(all)).toEqual(expect.arrayContaining(['sysadmin', 'auditor', 'jiangcheng', 'wuhua', NEW_USER]));
    expect(all.total).toBe(all.items.length);

    const byUsername = (await secadmin.get('/api/users?q=JIANGCH')).json();
    expect(usernames(byUsername)).toEqual(['jiangcheng']);
    const byName = (await secadmin.get(`/api/users?q=${encodeURIComponent('陈丽华')}`)).json();
    expect(usernames(byName)).toEqual(['jiangcheng']);
    expect(byName.total).toBe(1);
    expect(byName.items[0].roles).toEqual([
      expect.objectContaining({ role: 'community_worker', scopeCode: JIANGCHENG, scopeName: '江城社区' }),
    ]);
    expect((await secadmin.get(`/api/users?q=${encodeURIComponent('%')}`)).json().total).toBe(0);

    const p1 = (await secadmin.get('/api/users?pageSize=5&page=1')).json();
    const p2 = (await secadmin.get('/api/users?pageSize=5&page=2')).json();
    expect(p1.items).toHaveLength(5);
    expect(p2.items).toHaveLength(5);
    expect(p1.total).toBe(all.total);
    expect(usernames(p1).filter((u: string) => usernames(p2).includes(u))).toEqual([]);
    expect((await secadmin.get('/api/users?pageSize=101')).statusCode).toBe(400);
  });

  it('the 鄞州区 administrator sees the people working in 鄞州区 only; anyone else is 404', async () => {
    const list = (await yinzhou.get('/api/users?pageSize=100')).json();
    const names = usernames(list);
    expect(names).toEqual(expect.arrayContaining(['yinzhou', 'fuming', 'jiangcheng', 'grid-jc-001', 'chengguan', NEW_USER]));
    for (const other of ['wuhua', 'tianning', 'xinfengyuan', 'secadmin', 'sysadmin', 'auditor']) expect(names).not.toContain(other);
    expect(list.total).toBe(list.items.length);

    const wuhuaId = await idOf('wuhua');
    for (const res of [
      await yinzhou.get(`/api/users/${wuhuaId}`),
      await yinzhou.patch(`/api/users/${wuhuaId}`, { version: 1, disabled: true }),
      await yinzhou.post(`/api/users/${wuhuaId}/reset-password`, { password: RESET_PASSWORD }),
      await yinzhou.post(`/api/users/${wuhuaId}/unlock`),
      await yinzhou.post(`/api/users/${wuhuaId}/roles`, { role: 'volunteer', scopeCode: JIANGCHENG }),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
    }
    expect(await rolesInDb(wuhuaId)).toHaveLength(1);
    expect((await t.ctx.db.selectFrom('app_user').select('disabled').where('id', '=', wuhuaId).executeTakeFirstOrThrow()).disabled).toBe(
      false,
    );
  });

  it('the 鄞州区 administrator creates users only together with a role inside 鄞州区', async () => {
    const base = { displayName: '江城社区网格员 钱多', password: INITIAL_PASSWORD };
    const noRole = await yinzhou.post('/api/users', { ...base, username: 'qian-duo' });
    expect(noRole.statusCode).toBe(400);
    expect(noRole.json().error.code).toBe('ROLE_SCOPE_INVALID');
    const outside = await yinzhou.post('/api/users', {
      ...base,
      username: 'qian-duo',
      roles: [{ role: 'street_staff', scopeCode: HUASHAN_STREET }],
    });
    expect(outside.statusCode).toBe(403);
    expect(outside.json().error.code).toBe('OUT_OF_SCOPE');
    const admin = await yinzhou.post('/api/users', { ...base, username: 'qian-duo', roles: [{ role: 'secadmin', scopeCode: '' }] });
    expect(admin.statusCode).toBe(403);
    expect(admin.json().error.code).toBe('FORBIDDEN');
    expect(await findUserIdByUsername(t.ctx, 'qian-duo')).toBeNull();

    const created = await yinzhou.post('/api/users', {
      ...base,
      username: 'qian-duo',
      roles: [{ role: 'grid_worker', scopeCode: JIANGCHENG_GRID }],
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().roles).toEqual([
      expect.objectContaining({ role: 'grid_worker', scopeCode: JIANGCHENG_GRID, scopeName: expect.stringContaining('网格') }),
    ]);
    expect((await yinzhou.get(`/api/users/${created.json().id}`)).statusCode).toBe(200);
  });

  it('the 鄞州区 administrator cannot grant at 五华区, nor administrator roles, nor for organisations elsewhere', async () => {
    const wuhua = await yinzhou.post(`/api/users/${newUserId}/roles`, { role: 'district_admin', scopeCode: WUHUA });
    expect(wuhua.statusCode).toBe(403);
    expect(wuhua.json().error.code).toBe('OUT_OF_SCOPE');
    const sysadmin = await yinzhou.post(`/api/users/${newUserId}/roles`, { role: 'sysadmin', scopeCode: '' });
    expect(sysadmin.statusCode).toBe(403);
    expect(sysadmin.json().error.code).toBe('FORBIDDEN');
    const farOrg = await yinzhou.post(`/api/users/${newUserId}/roles`, {
      role: 'department_staff',
      scopeCode: `org:${await orgId(`dept:${WUHUA}:law-enforcement`)}`,
    });
    expect(farOrg.statusCode).toBe(403);
    expect(farOrg.json().error.code).toBe('OUT_OF_SCOPE');
    expect((await rolesInDb(newUserId)).map((r) => r.role)).toEqual(['community_worker']);

    // Inside the district, business roles are the district administrator's to give and take.
    const lawId = await orgId('dept:330212:law-enforcement');
    const dept = await yinzhou.post(`/api/users/${newUserId}/roles`, { role: 'department_staff', scopeCode: `org:${lawId.toUpperCase()}` });
    expect(dept.statusCode, dept.body).toBe(201);
    expect(dept.json()).toMatchObject({
      role: 'department_staff',
      scopeType: 'org',
      scopeCode: `org:${lawId}`,
      scopeName: '鄞州区综合行政执法局（城管）',
    });
    const org = await t.ctx.db
      .selectFrom('org')
      .select([sql<string>`territory_path::text`.as('tp'), sql<string>`org_path::text`.as('op')])
      .where('id', '=', lawId)
      .executeTakeFirstOrThrow();
    expect((await rolesInDb(newUserId)).find((r) => r.role === 'department_staff')).toMatchObject({ scope_path: org.tp, org_path: org.op });
    const revoked = await yinzhou.delete(`/api/users/${newUserId}/roles/${dept.json().id}`);
    expect(revoked.statusCode).toBe(204);
    expect((await rolesInDb(newUserId)).map((r) => r.role)).toEqual(['community_worker']);
  });

  it('a person who also works outside 鄞州区 stays beyond the district administrator for account changes and outside roles', async () => {
    const far = await secadmin.post(`/api/users/${newUserId}/roles`, { role: 'volunteer', scopeCode: HUASHAN_STREET });
    expect(far.statusCode, far.body).toBe(201);

    const revokeFar = await yinzhou.delete(`/api/users/${newUserId}/roles/${far.json().id}`);
    expect(revokeFar.statusCode).toBe(403);
    expect(revokeFar.json().error.code).toBe('OUT_OF_SCOPE');
    const reset = await yinzhou.post(`/api/users/${newUserId}/reset-password`, { password: RESET_PASSWORD });
    expect(reset.statusCode).toBe(403);
    expect(reset.json().error.code).toBe('OUT_OF_SCOPE');
    const wuhua = await signIn('wuhua');
    expect((await wuhua.get(`/api/users/${newUserId}`)).statusCode).toBe(200);
    expect((await wuhua.post(`/api/users/${newUserId}/unlock`)).json().error.code).toBe('OUT_OF_SCOPE');

    expect((await secadmin.delete(`/api/users/${newUserId}/roles/${far.json().id}`)).statusCode).toBe(204);
    expect((await wuhua.get(`/api/users/${newUserId}`)).statusCode).toBe(404);
    expect((await secadmin.delete(`/api/users/${newUserId}/roles/${far.json().id}`)).statusCode).toBe(404);
  });

  it('三员分立: secadmin cannot give an administrator a second duty or a business role, nor a worker an administrator role', async () => {
    const sysadminId = await idOf('sysadmin');
    const auditor = await secadmin.post(`/api/users/${sysadminId}/roles`, { role: 'auditor', scopeCode: '' });
    expect(auditor.statusCode).toBe(403);
    expect(auditor.json().error).toMatchObject({ code: 'SEPARATION_OF_DUTIES', details: { role: 'auditor', conflictsWith: 'sysadmin' } });
    const business = await secadmin.post(`/api/users/${sysadminId}/roles`, { role: 'community_worker', scopeCode: JIANGCHENG });
    expect(business.statusCode).toBe(403);
    expect(business.json().error.code).toBe('SEPARATION_OF_DUTIES');
    expect((await rolesInDb(sysadminId)).map((r) => r.role)).toEqual(['sysadmin']);

    const toWorker = await secadmin.post(`/api/users/${newUserId}/roles`, { role: 'sysadmin', scopeCode: '' });
    expect(toWorker.statusCode).toBe(403);
    expect(toWorker.json().error.code).toBe('SEPARATION_OF_DUTIES');

    const both = await secadmin.post('/api/users', {
      username: 'two-hats',
      displayName: '兼任者',
      password: INITIAL_PASSWORD,
      roles: [
        { role: 'sysadmin', scopeCode: '' },
        { role: 'auditor', scopeCode: '' },
      ],
    });
    expect(both.statusCode).toBe(403);
    expect(both.json().error.code).toBe('SEPARATION_OF_DUTIES');
    expect(await findUserIdByUsername(t.ctx, 'two-hats')).toBeNull();

    // A second administrator of one duty is fine.
    const second = await secadmin.post('/api/users', {
      username: 'sys-2',
      displayName: '系统管理员二',
      password: INITIAL_PASSWORD,
      totpRequired: true,
      roles: [{ role: 'sysadmin', scopeCode: '' }],
    });
    expect(second.statusCode, second.body).toBe(201);
    expect(second.json()).toMatchObject({
      totpRequired: true,
      roles: [expect.objectContaining({ role: 'sysadmin', scopeType: 'global', scopeCode: '' })],
    });
    const globalWithCode = await secadmin.post(`/api/users/${second.json().id}/roles`, { role: 'sysadmin', scopeCode: '330212' });
    expect(globalWithCode.json().error).toMatchObject({ code: 'ROLE_SCOPE_INVALID', details: { reason: 'global_role_takes_no_scope' } });
  });

  it('nobody changes their own roles, disables themselves or resets their own password here', async () => {
    const secadminId = await idOf('secadmin');
    const ownBinding = (await secadmin.get(`/api/users/${secadminId}`)).json().roles[0];
    const refusals = [
      await secadmin.post(`/api/users/${secadminId}/roles`, { role: 'secadmin', scopeCode: '' }),
      await secadmin.delete(`/api/users/${secadminId}/roles/${ownBinding.id}`),
      await secadmin.patch(`/api/users/${secadminId}`, { version: 1, disabled: true }),
      await secadmin.patch(`/api/users/${secadminId}`, { version: 1, totpRequired: false }),
      await secadmin.post(`/api/users/${secadminId}/reset-password`, { password: RESET_PASSWORD }),
    ];
    for (const res of refusals) {
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json().error.code).toBe('FORBIDDEN');
    }
    expect((await rolesInDb(secadminId)).map((r) => r.role)).toEqual(['secadmin']);

    const yinzhouId = await idOf('yinzhou');
    const ownGrid = await yinzhou.post(`/api/users/${yinzhouId}/roles`, { role: 'grid_worker', scopeCode: JIANGCHENG_GRID });
    expect(ownGrid.statusCode).toBe(403);
    expect(ownGrid.json().error.code).toBe('FORBIDDEN');
    const current = (await yinzhou.get(`/api/users/${yinzhouId}`)).json();
    const disableSelf = await yinzhou.patch(`/api/users/${yinzhouId}`, { version: current.version, disabled: true });
    expect(disableSelf.statusCode).toBe(403);
    expect((await rolesInDb(yinzhouId)).map((r) => r.role)).toEqual(['district_admin']);
    // Their own name is theirs to fix.
    const rename = await yinzhou.patch(`/api/users/${yinzhouId}`, { version: current.version, displayName: '鄞州区民政局 系统管理员' });
    expect(rename.statusCode, rename.body).toBe(200);
  });

  it('the system administrator, the auditor and workers have no user management', async () => {
    for (const username of ['sysadmin', 'auditor', 'jiangcheng']) {
      const c = await signIn(username);
      for (const res of [
        await c.get('/api/users'),
        await c.get(`/api/users/${newUserId}`),
        await c.get('/api/roles'),
        await c.post('/api/users', { username: 'intruder', displayName: 'x', password: INITIAL_PASSWORD }),
        await c.post(`/api/users/${newUserId}/reset-password`, { password: RESET_PASSWORD }),
      ]) {
        expect(res.statusCode, `${username}: ${res.body}`).toBe(403);
        expect(res.json().error.code).toBe('FORBIDDEN');
      }
    }
  });

  it('the role picker lists every role with where it binds', async () => {
    const res = await yinzhou.get('/api/roles');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { key: string; zh: string; binds: string[]; levels: string[] }[];
    expect(items.map((r) => r.key)).toEqual(ROLE_KEYS);
    expect(items.find((r) => r.key === 'community_worker')).toMatchObject({
      zh: '社区工作者',
      binds: ['territory'],
      levels: ['community'],
    });
    expect(items.find((r) => r.key === 'auditor')).toMatchObject({ binds: ['global'], levels: [] });
  });

  it('disabling an account ends its sessions at once', async () => {
    const worker = await signIn(NEW_USER, CHANGED_PASSWORD);
    expect((await worker.get('/api/me')).statusCode).toBe(200);
    const v = (await yinzhou.get(`/api/users/${newUserId}`)).json().version;
    const off = await yinzhou.patch(`/api/users/${newUserId}`, { version: v, disabled: true });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json().disabled).toBe(true);
    expect((await worker.get('/api/me')).statusCode).toBe(401);
    expect(await t.ctx.db.selectFrom('user_session').select('id').where('user_id', '=', newUserId).execute()).toEqual([]);
    const refused = await loginRequest(NEW_USER, CHANGED_PASSWORD);
    expect(refused.json().error.code).toBe('ACCOUNT_DISABLED');

    const on = await yinzhou.patch(`/api/users/${newUserId}`, { version: v + 1, disabled: false });
    expect(on.statusCode).toBe(200);
    expect((await loginRequest(NEW_USER, CHANGED_PASSWORD)).statusCode).toBe(200);
  });

  it('a password reset ends every session and asks for a new password at the next sign-in', async () => {
    const worker = await signIn(NEW_USER, CHANGED_PASSWORD);
    expect((await worker.get(`/api/territory/${JIANGCHENG}`)).statusCode).toBe(200);

    const weak = await secadmin.post(`/api/users/${newUserId}/reset-password`, { password: 'abcdefgh' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.code).toBe('WEAK_PASSWORD');
    expect((await worker.get('/api/me')).statusCode).toBe(200);

    const reset = await secadmin.post(`/api/users/${newUserId}/reset-password`, { password: RESET_PASSWORD });
    expect(reset.statusCode, reset.body).toBe(204);
    expect((await worker.get('/api/me')).statusCode).toBe(401);
    expect((await loginRequest(NEW_USER, CHANGED_PASSWORD)).statusCode).toBe(401);

    const again = await signIn(NEW_USER, RESET_PASSWORD);
    expect((await again.get('/api/me')).json().user.mustChangePassword).toBe(true);
    expect((await again.get(`/api/territory/${JIANGCHENG}`)).json().error.code).toBe('SETUP_REQUIRED');
    expect((await again.post('/api/me/password', { currentPassword: RESET_PASSWORD, newPassword: CHANGED_PASSWORD })).statusCode).toBe(204);
  });

  it('unlock lifts a lockout and clears the count of failed sign-ins', async () => {
    for (let i = 0; i < 5; i++) expect((await loginRequest(NEW_USER, 'Wrong#pass1')).statusCode).toBe(401);
    const locked = await loginRequest(NEW_USER, CHANGED_PASSWORD);
    expect(locked.statusCode).toBe(423);
    expect((await yinzhou.get(`/api/users/${newUserId}`)).json().lockedUntil).not.toBeNull();

    expect((await yinzhou.post(`/api/users/${newUserId}/unlock`)).statusCode).toBe(204);
    expect((await yinzhou.get(`/api/users/${newUserId}`)).json().lockedUntil).toBeNull();
    expect((await loginRequest(NEW_USER, CHANGED_PASSWORD)).statusCode).toBe(200);

    // Three failures, an unlock, then four more: had the count survived, the fifth would lock.
    for (let i = 0; i < 3; i++) await loginRequest(NEW_USER, 'Wrong#pass1');
    expect(
      (await t.ctx.db.selectFrom('app_user').select('failed_logins').where('id', '=', newUserId).executeTakeFirstOrThrow()).failed_logins,
    ).toBe(3);
    expect((await secadmin.post(`/api/users/${newUserId}/unlock`)).statusCode).toBe(204);
    for (let i = 0; i < 4; i++) await loginRequest(NEW_USER, 'Wrong#pass1');
    expect((await loginRequest(NEW_USER, CHANGED_PASSWORD)).statusCode).toBe(200);
  });

  it('every write is in the audit log, with the place and without passwords', async () => {
    const rows = await t.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'actor_name', 'target_type', 'target_id', 'place_code', 'details'])
      .where('target_id', '=', newUserId)
      .where('action', 'like', 'user.%')
      .orderBy('id')
      .execute();
    const actions = rows.map((r) => r.action);
    for (const a of ['user.create', 'user.role_grant', 'user.role_revoke', 'user.update', 'user.password_reset', 'user.unlock'])
      expect(actions).toContain(a);
    for (const r of rows) expect(r.target_type).toBe('user');

    expect(rows.find((r) => r.action === 'user.create')).toMatchObject({ actor_name: 'secadmin', details: { username: NEW_USER } });
    expect(rows.find((r) => r.action === 'user.role_grant')).toMatchObject({
      actor_name: 'secadmin',
      place_code: JIANGCHENG,
      details: { role: 'community_worker', scopeCode: JIANGCHENG },
    });
    expect(rows.filter((r) => r.action === 'user.role_revoke').map((r) => r.actor_name)).toEqual(['yinzhou', 'secadmin']);
    expect(rows.find((r) => r.action === 'user.update' && r.actor_name === 'yinzhou')).toMatchObject({
      details: { before: { disabled: false }, after: { disabled: true } },
    });
    expect(rows.filter((r) => r.action === 'user.unlock').map((r) => r.actor_name)).toEqual(['yinzhou', 'secadmin']);
    // Refused writes left nothing behind: exactly the three grants that happened.
    expect(rows.filter((r) => r.action === 'user.role_grant').map((r) => (r.details as { role: string }).role)).toEqual([
      'community_worker',
      'department_staff',
      'volunteer',
    ]);

    const everything = JSON.stringify(rows);
    for (const secret of [INITIAL_PASSWORD, CHANGED_PASSWORD, RESET_PASSWORD, 'scrypt$']) expect(everything).not.toContain(secret);
    expect((await verifyAuditChain(t.ctx.db)).ok).toBe(true);
  });
});
