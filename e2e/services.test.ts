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

const PHONE = { viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true };

describe('browser: services and help orders', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  }, 120_000);
  afterAll(async () => e?.close());

  it('a resident applies on a phone and tracks it; the worker handles it at the window; the certificate PDF', async () => {
    const phone = await e.browser.newPage(PHONE);
    await login(phone, e.url, 'jc-resident');
    await phone.goto(`${e.url}/services`);
    await phone.getByTestId('catalogue').waitFor();
    await phone.getByText('综合便民（7）').click();
    await phone.getByTestId('apply-居住证明开具').click();
    await phone.getByTestId('apply-note').fill('孩子入学需要居住证明');
    await shot(phone, 'services-apply-phone');
    await phone.getByTestId('apply-submit').click();
    await phone.getByText(/已受理，办件号/).waitFor();
    await phone.getByRole('tab', { name: '我的办件' }).click();
    const card = phone.locator('[data-testid^="application-FW"]').filter({ hasText: '居住证明开具' }).first();
    await card.waitFor();
    expect(await card.getByTestId('application-state').innerText()).toBe('已受理');
    await shot(phone, 'services-my-applications-phone');

    const desk = await e.browser.newPage({ viewport: { width: 1366, height: 820 }, locale: 'zh-CN' });
    await login(desk, e.url, 'jiangcheng');
    await desk.getByTestId('nav-services').click();
    await desk.getByRole('tab', { name: '办件收件箱' }).click();
    const first = desk.locator('[data-testid^="application-FW"]').filter({ hasText: '居住证明开具' }).filter({ hasText: '已受理' }).first();
    const inbox = desk.getByTestId((await first.getAttribute('data-testid'))!);
    await inbox.click();
    await inbox.getByTestId('action-start').click();
    await inbox.getByTestId('application-state').filter({ hasText: '办理中' }).waitFor();
    await inbox.getByTestId('action-complete').click();
    await inbox.getByTestId('application-state').filter({ hasText: '已办结' }).waitFor();
    await shot(desk, 'services-window-inbox');

    await desk.getByRole('tab', { name: '一窗受理' }).click();
    await desk.getByTestId('window-lookup').locator('input').fill('13405746606');
    await desk.getByTestId('window-lookup').locator('input').press('Enter');
    await desk.getByTestId('window-person').filter({ hasText: '刘淑珍' }).waitFor();
    await shot(desk, 'services-one-window');

    // The resident sees the finished application and prints the certificate.
    await phone.reload();
    await phone.getByRole('tab', { name: '我的办件' }).click();
    await phone
      .locator('[data-testid^="application-FW"]')
      .filter({ hasText: '居住证明开具' })
      .filter({ hasText: '已办结' })
      .first()
      .waitFor();
    await phone.getByRole('tab', { name: '证明' }).click();
    const pdfLink = phone.locator('[data-testid^="cert-pdf-"]').first();
    const href = await pdfLink.getAttribute('href');
    const pdf = await phone.request.get(`${e.url}${href}`);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    const viewer = await e.browser.newPage({ viewport: { width: 900, height: 1200 } });
    await viewer.context().addCookies((await phone.context().cookies()).map((c) => ({ ...c })));
    await viewer.goto(`${e.url}${href}`).catch(() => undefined);
    await viewer.waitForTimeout(2500);
    await shot(viewer, 'services-certificate-pdf');
  });

  it('a resident posts a help order on a phone; a volunteer takes and completes it; the resident confirms; points appear', async () => {
    const phone = await e.browser.newPage(PHONE);
    await login(phone, e.url, 'jc-resident');
    await phone.goto(`${e.url}/orders`);
    await phone.getByRole('tab', { name: '我要求助' }).click();
    await phone.getByTestId('order-title').fill('帮忙取一下快递');
    await phone.getByTestId('order-description').fill('菜鸟驿站，两件，放门口即可');
    await shot(phone, 'services-order-post-phone');
    await phone.getByTestId('order-submit').click();
    await phone.getByText('已发布，等待党员、志愿者接单').waitFor();

    const vol = await e.browser.newPage(PHONE);
    await login(vol, e.url, 'jc-volunteer');
    await vol.goto(`${e.url}/orders`);
    const card = vol.getByTestId('order-帮忙取一下快递');
    await card.getByTestId('order-take').click();
    await card
      .getByTestId('order-state')
      .filter({ hasText: '已接单' })
      .waitFor()
      .catch(async () => {
        await vol.getByRole('tab', { name: '我的求助' }).click();
      });
    await vol.getByRole('tab', { name: '我的求助' }).click();
    const mine = vol.getByTestId('order-帮忙取一下快递');
    await mine.getByTestId('order-complete').click();
    await mine.getByTestId('order-state').filter({ hasText: '已完成待确认' }).waitFor();
    await shot(vol, 'services-order-board-volunteer');
    await vol.getByRole('tab', { name: '我的积分' }).click();
    // The balance as the server has it (the page may still be loading it).
    const balance = async () => ((await (await vol.request.get(`${e.url}/api/points/me`)).json()) as { balance: number }).balance;
    const before = await balance();

    await phone.getByRole('tab', { name: '我的求助' }).click();
    const own = phone.getByTestId('order-帮忙取一下快递');
    await own.getByTestId('order-confirm').click();
    await own.getByTestId('order-state').filter({ hasText: '已确认' }).waitFor();

    await vol.reload();
    await vol.getByRole('tab', { name: '我的积分' }).click();
    await vol.getByText('完成求助工单').first().waitFor();
    expect(await balance()).toBe(before + 10);
    await expect
      .poll(async () => Number((await vol.getByTestId('points-balance').innerText()).replace(/\D/g, '')))
      .toBe(before + 10);
    await shot(vol, 'services-points-phone');
  });
});
