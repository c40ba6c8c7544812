import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { shot, startE2E, type E2E } from './support.ts';
import { TEST_PASSWORD } from '../server/test/constants.ts';

async function login(page: Page, url: string, username: string) {
  await page.goto(url);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(TEST_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('logout').waitFor();
}

async function openFirstChild(page: Page, expectLevelCodeLength: number) {
  const link = page.getByTestId('node-children').locator('a').first();
  await link.waitFor();
  await link.click();
  await page.waitForURL(new RegExp(`/territory/\\d{${expectLevelCodeLength}}$`));
  return page.url().split('/').pop()!;
}

describe('browser: the territory browser', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  }, 120_000);
  afterAll(async () => e?.close());

  it('a community worker signs in, walks from the community down to a house, switches language and signs out', async () => {
    const page = await e.browser.newPage({ viewport: { width: 1366, height: 820 }, locale: 'zh-CN' });
    await page.goto(e.url);
    await page.getByTestId('login-submit').waitFor();
    await shot(page, 'login-zh');
    await login(page, e.url, 'jiangcheng');
    expect(await page.getByTestId('nav-users').count()).toBe(0); // the menu follows permissions
    await page.getByTestId('nav-territory').click();

    await page.getByTestId('tree-node-330212014027').click();
    await page.waitForURL(/\/territory\/330212014027$/);
    expect(await page.getByTestId('node-detail').innerText()).toContain('江城社区');

    const grid = await openFirstChild(page, 15);
    expect(grid).toBe('330212014027001');
    const building = await openFirstChild(page, 18);
    await page.getByTestId('building-layout').waitFor();
    const firstHouse = page.locator(`[data-testid^="house-${building}"]`).first();
    await firstHouse.click();
    await page.getByTestId('house-detail').waitFor();
    const detail = await page.getByTestId('house-detail').innerText();
    expect(detail).toMatch(/m²|平方米/);
    await shot(page, 'territory-building-zh');

    await page.getByTestId('house-open').click();
    await page.waitForURL(/\/territory\/\d{24}$/);
    expect(await page.getByTestId('node-detail').innerText()).toContain('江城社区');

    await page.getByTestId('lang-switch').click();
    await page.getByTestId('nav-territory').filter({ hasText: 'Territory' }).waitFor();
    await shot(page, 'territory-house-en');
    await page.getByTestId('lang-switch').click();
    await page.getByTestId('nav-territory').filter({ hasText: '区域' }).waitFor();

    await page.getByTestId('logout').click();
    await page.getByTestId('login-submit').waitFor();
    // The session is gone on the server too.
    const me = await page.evaluate(async () => (await fetch('/api/me')).status);
    expect(me).toBe(401);
    await page.close();
  }, 120_000);

  it('a grid worker opens a door-plate link on a phone and cannot leave the grid', async () => {
    const page = await e.browser.newPage({ viewport: { width: 375, height: 812 }, locale: 'zh-CN', isMobile: true, hasTouch: true });
    await login(page, e.url, 'grid-jc-001');
    await page.goto(`${e.url}/territory/330212014027001`);
    await page.getByTestId('node-detail').waitFor();
    expect(await page.getByTestId('node-detail').innerText()).toContain('第1网格');
    await shot(page, 'territory-grid-phone');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(375 + 1); // nothing wider than the phone
    await page.goto(`${e.url}/territory/330212014027002`);
    await page
      .getByText(/管辖范围|outside/)
      .first()
      .waitFor();
    await page.close();
  }, 120_000);

  it('the audit administrator verifies the chain in the audit viewer', async () => {
    const page = await e.browser.newPage({ viewport: { width: 1366, height: 820 }, locale: 'zh-CN' });
    await login(page, e.url, 'auditor');
    await page.getByTestId('nav-audit').click();
    await page.getByTestId('audit-verify-button').click();
    await page
      .getByTestId('audit-verify')
      .filter({ hasText: /完整|intact|通过/ })
      .waitFor();
    await shot(page, 'audit-zh');
    await page.close();
  }, 120_000);
});

describe('web serving', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  }, 120_000);
  afterAll(async () => e?.close());

  it('opens the app on any page path but keeps missing assets and API routes as 404', async () => {
    const page = await fetch(`${e.url}/territory/330212014027001`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const asset = await fetch(`${e.url}/assets/does-not-exist.js`);
    expect(asset.status).toBe(404);
    const api = await fetch(`${e.url}/api/nothing-here`);
    expect(api.status).toBe(404);
    expect((await api.json()).error.code).toBe('ROUTE_NOT_FOUND');
  });
});
