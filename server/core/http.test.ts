import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test/harness.ts';

describe('API conventions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite', { loginRateLimit: 10 });
  });
  afterAll(async () => t?.close());

  it('answers health once the database answers', async () => {
    const res = await t.anonymous.get('/api/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok' });
  });

  it('gives malformed JSON a 400 in the error shape', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'MALFORMED_JSON', message: '请求体不是有效的 JSON' });
  });

  it('gives a body over 1 MiB a 413', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json', 'accept-language': 'en' },
      payload: JSON.stringify({ username: 'x', password: 'y'.repeat(1_100_000) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large' });
  });

  it('gives an unknown route a 404 in the error shape, signed in or not', async () => {
    const res = await t.anonymous.get('/api/no-such-thing');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('ROUTE_NOT_FOUND');
  });

  it('reports schema violations with the offending field', async () => {
    const res = await t.anonymous.post('/api/auth/login', { username: '' }, { 'accept-language': 'zh-CN' });
    expect(res.statusCode).toBe(400);
    const err = res.json().error;
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.message).toBe('请求内容不符合要求');
    expect(err.details.problems.length).toBeGreaterThan(0);
  });

  it('refuses anonymous access to protected routes', async () => {
    const res = await t.anonymous.get('/api/territory/330212');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('publishes OpenAPI with every route documented', async () => {
    const res = await t.anonymous.get('/api/openapi.json');
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of [
      '/api/auth/login',
      '/api/territory/{code}',
      '/api/territory/{code}/children',
      '/api/users',
      '/api/audit',
      '/api/orgs',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect((await t.anonymous.get('/api/docs')).statusCode).toBeLessThan(400);
  });

  it('sets security headers', async () => {
    const res = await t.anonymous.get('/api/health');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-frame-options']).toBeDefined();
    // Over plain HTTP (no GONGZHI_COOKIE_SECURE) nothing may push the browser to https://.
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
  });

  it('rate-limits sign-in attempts', async () => {
    let limited = 0;
    for (let i = 0; i < 14; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: `flood${i}`, password: 'x' },
        remoteAddress: '10.9.9.9',
      });
      if (res.statusCode === 429) {
        limited++;
        expect(res.json().error.code).toBe('RATE_LIMITED');
      }
    }
    expect(limited).toBeGreaterThan(0);
  });
});
