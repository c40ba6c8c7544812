import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, ENGINES, Client, type TestApp } from '../../test/harness.ts';
import { TEST_PASSWORD } from '../../test/constants.ts';
import { totpNow } from '../totp.ts';

describe.each(ENGINES)('authentication on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => t?.close());

  it('signs in, reports the user with roles and scope, and signs out', async () => {
    const res = await t.anonymous.post('/api/auth/login', { username: 'jiangcheng', password: TEST_PASSWORD });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.user.username).toBe('jiangcheng');
    expect(body.roles).toEqual([expect.objectContaining({ role: 'community_worker', scopeCode: '330212014027', scopeName: '江城社区' })]);
    expect(body.permissions).toContain('territory.read');
    expect(body.csrfToken).toMatch(/.{20,}/);
    const cookie = res.cookies.find((c) => c.name === 'gz_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    const client = new Client(t.app, `gz_session=${cookie.value}`, body.csrfToken);
    expect((await client.get('/api/me')).json().user.username).toBe('jiangcheng');
    expect((await client.post('/api/auth/logout')).statusCode).toBe(204);
    const after = await client.get('/api/me');
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a wrong password with the same answer as an unknown user, in Chinese or English', async () => {
    const wrong = await t.anonymous.post('/api/auth/login', { username: 'fuming', password: 'nope-Nope-1' });
    const unknown = await t.anonymous.post(
      '/api/auth/login',
      { username: 'nobody-here', password: 'nope-Nope-1' },
      { 'accept-language': 'en-US,en;q=0.9' },
    );
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error).toMatchObject({ code: 'INVALID_CREDENTIALS', message: '用户名或密码错误' });
    expect(unknown.json().error).toMatchObject({ code: 'INVALID_CREDENTIALS', message: 'Wrong username or password' });
    const failures = await t.ctx.db
      .selectFrom('audit_log')
      .select(['actor_name', 'outcome'])
      .where('action', '=', 'auth.login')
      .where('outcome', '=', 'failure')
      .execute();
    expect(failures.map((f) => f.actor_name)).toEqual(expect.arrayContaining(['fuming', 'nobody-here']));
  });

  it('locks an account for 15 minutes after 5 failures, even against the right password', async () => {
    for (let i = 0; i < 4; i++) {
      expect((await t.anonymous.post('/api/auth/login', { username: 'wuhua', password: `Wrong-pass${i}` })).statusCode).toBe(401);
    }
    const fifth = await t.anonymous.post('/api/auth/login', { username: 'wuhua', password: 'Wrong-pass5' });
    expect(fifth.statusCode).toBe(401);
    const locked = await t.anonymous.post('/api/auth/login', { username: 'wuhua', password: TEST_PASSWORD });
    expect(locked.statusCode).toBe(423);
    const until = new Date(locked.json().error.details.lockedUntil).getTime();
    expect(until - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(until - Date.now()).toBeLessThanOrEqual(15 * 60_000 + 5000);
    const lockouts = await t.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'auth.lockout')
      .where('actor_name', '=', 'wuhua')
      .execute();
    expect(lockouts).toHaveLength(1);
    // When the lock has run out, the right password works again.
    await t.ctx.db
      .updateTable('app_user')
      .set({ locked_until: new Date(Date.now() - 1000) })
      .where('username', '=', 'wuhua')
      .execute();
    expect((await t.anonymous.post('/api/auth/login', { username: 'wuhua', password: TEST_PASSWORD })).statusCode).toBe(200);
  });

  it('expires a session after 30 idle minutes', async () => {
    const client = await t.login('fuming');
    expect((await client.get('/api/me')).statusCode).toBe(200);
    await sql`update user_session set last_seen_at = now() - interval '31 minutes'`.execute(t.ctx.db);
    const res = await client.get('/api/me');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('SESSION_EXPIRED');
    // and a session active 29 minutes ago is still alive
    const again = await t.login('fuming');
    await sql`update user_session set last_seen_at = now() - interval '29 minutes'`.execute(t.ctx.db);
    expect((await again.get('/api/me')).statusCode).toBe(200);
  });

  it('refuses cookie-authenticated writes without the CSRF token', async () => {
    const client = await t.login('jiangcheng');
    const noToken = await client.post('/api/me/tokens', { name: 'x' }, { 'x-csrf-token': '' });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().error.code).toBe('CSRF_INVALID');
    const wrongToken = await client.post('/api/me/tokens', { name: 'x' }, { 'x-csrf-token': 'forged-token-value' });
    expect(wrongToken.statusCode).toBe(403);
    expect((await client.post('/api/me/tokens', { name: 'script' })).statusCode).toBe(201);
  });

  it('personal API tokens work as Bearer without CSRF and stop working when revoked', async () => {
    const client = await t.login('fuming');
    const created = (await client.post('/api/me/tokens', { name: 'nightly export' })).json();
    expect(created.token).toMatch(/^gzp_/);
    const bearer = { authorization: `Bearer ${created.token}` };
    const res = await t.app.inject({ method: 'GET', url: '/api/territory/330212014027', headers: bearer });
    expect(res.statusCode).toBe(200);
    const list = (await client.get('/api/me/tokens')).json();
    expect(list.items.map((x: { name: string }) => x.name)).toContain('nightly export');
    expect(JSON.stringify(list)).not.toContain(created.token);
    expect((await client.delete(`/api/me/tokens/${created.id}`)).statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/api/territory/330212014027', headers: bearer });
    expect(after.statusCode).toBe(401);
  });

  it('enrols TOTP, then demands and checks the code at sign-in, refusing a replayed code', async () => {
    const client = await t.login('yinzhou');
    const setup = (await client.post('/api/me/totp/setup')).json();
    expect(setup.otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
    expect((await client.post('/api/me/totp/enable', { code: '000000' })).json().error.code).toBe('TOTP_INVALID');
    // Enrol with the code of the previous 30 s step, so the sign-in below can use the current one.
    const previous = totpNow(setup.secret, new Date(Date.now() - 30_000));
    expect((await client.post('/api/me/totp/enable', { code: previous })).statusCode).toBe(204);

    const noCode = await t.anonymous.post('/api/auth/login', { username: 'yinzhou', password: TEST_PASSWORD });
    expect(noCode.statusCode).toBe(401);
    expect(noCode.json().error.code).toBe('TOTP_REQUIRED');
    const bad = await t.anonymous.post('/api/auth/login', {
      username: 'yinzhou',
      password: TEST_PASSWORD,
      totpCode: '123456' === totpNow(setup.secret) ? '654321' : '123456',
    });
    expect(bad.json().error.code).toBe('TOTP_INVALID');
    const code = totpNow(setup.secret);
    const ok = await t.anonymous.post('/api/auth/login', { username: 'yinzhou', password: TEST_PASSWORD, totpCode: code });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user.totpEnabled).toBe(true);
    const replay = await t.anonymous.post('/api/auth/login', { username: 'yinzhou', password: TEST_PASSWORD, totpCode: code });
    expect(replay.json().error.code).toBe('TOTP_INVALID');
    const stored = await t.ctx.db.selectFrom('app_user').select('totp_secret').where('username', '=', 'yinzhou').executeTakeFirstOrThrow();
    expect(stored.totp_secret).not.toContain(setup.secret);
  });

  it('holds an account that must set up TOTP to its profile until it does', async () => {
    await t.ctx.db.updateTable('app_user').set({ totp_required: true }).where('username', '=', 'tianning').execute();
    const client = await t.login('tianning');
    const me = (await client.get('/api/me')).json();
    expect(me.user).toMatchObject({ totpRequired: true, totpEnabled: false });
    const blocked = await client.get('/api/territory/320402');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('SETUP_REQUIRED');
    const setup = (await client.post('/api/me/totp/setup')).json();
    expect((await client.post('/api/me/totp/enable', { code: totpNow(setup.secret) })).statusCode).toBe(204);
    expect((await client.get('/api/territory/320402')).statusCode).toBe(200);
  });

  it('changes the password under the policy and ends the other sessions', async () => {
    const a = await t.login('xinfengyuan');
    const b = await t.login('xinfengyuan');
    const weak = await a.post('/api/me/password', { currentPassword: TEST_PASSWORD, newPassword: 'password' });
    expect(weak.json().error.code).toBe('WEAK_PASSWORD');
    const wrong = await a.post('/api/me/password', { currentPassword: 'Not-the-1', newPassword: 'N3w-Passw0rd!' });
    expect(wrong.json().error.code).toBe('WRONG_PASSWORD');
    expect((await a.post('/api/me/password', { currentPassword: TEST_PASSWORD, newPassword: 'N3w-Passw0rd!' })).statusCode).toBe(204);
    expect((await a.get('/api/me')).statusCode).toBe(200);
    expect((await b.get('/api/me')).statusCode).toBe(401);
    expect((await t.anonymous.post('/api/auth/login', { username: 'xinfengyuan', password: 'N3w-Passw0rd!' })).statusCode).toBe(200);
  });
});
