import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { shot, startE2E, type E2E } from './support.ts';
import { TEST_PASSWORD } from '../server/test/constants.ts';

/** Browser: the dashboard's services section, a resident's home-visit booking on a phone, the certificate list, editing an item. */

async function login(page: Page, url: string, username: string) {
  await page.goto(url);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(TEST_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('logout').waitFor();
}

async function pick(page: Page, testId: string, typed: string, title: string) {
  await page.getByTestId(testId).click();
  await page.keyboard.type(typed);
  await page.getByTitle(title).click();
}

const PHONE = { viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true };
const DESK = { viewport: { width: 1366, height: 900 }, locale: 'zh-CN' };

describe('browser: services administration', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  }, 120_000);
  afterAll(async () => e?.close());

  it('a resident books a home visit on a phone; the worker sees it in the calendar', async () => {
    const phone = await e.browser.newPage(PHONE);
    await login(phone, e.url, 'jc-resident');
    await phone.goto(`${e.url}/services`);
    await phone.getByRole('tab', { name: '预约上门' }).click();
    await phone.getByTestId('appointment-item').click();
    await phone.locator('.ant-select-item-option').filter({ hasText: '居家养老服务补贴申请' }).click();
    const free = phone.locator('[data-testid^="free-slot-"]');
    await free.first().waitFor();
    const before = await free.count();
    expect(before).toBeGreaterThanOrEqual(4); // the demo week: six slots, one already booked
    await free.first().click();
    await phone.getByTestId('appointment-note').fill('老人腿脚不便，住5楼无电梯');
    await phone.locator('.ant-select-dropdown').waitFor({ state: 'hidden' });
    await shot(phone, 'services-appointment-phone');
    await phone.getByTestId('appointment-submit').click();
    const done = phone.getByTestId('appointment-done');
    await done.waitFor();
    expect(await done.innerText()).toMatch(/预约成功.*居家养老服务补贴申请.*FW330212/s);
    await shot(phone, 'services-appointment-booked-phone');
    // The page now offers one time fewer.
    await done.getByRole('button').click();
    await phone.getByTestId('appointment-item').waitFor();
    await free.first().waitFor();
    expect(await free.count()).toBe(before - 1);

    const desk = await e.browser.newPage(DESK);
    await login(desk, e.url, 'jiangcheng');
    await desk.goto(`${e.url}/services`);
    await desk.getByRole('tab', { name: '预约上门' }).click();
    await desk.getByTestId('slots-calendar').waitFor();
    await desk.getByTestId('slots-next').click();
    const booked = desk.getByTestId('slots-calendar').getByText('已预约');
    await booked.nth(1).waitFor();
    expect(await booked.count()).toBe(2);
    await desk.getByText('老人腿脚不便，住5楼无电梯').waitFor();
    await shot(desk, 'services-appointment-worker-calendar');
  });

  it('the dashboard shows the services section for the street and drills into the community', async () => {
    const desk = await e.browser.newPage(DESK);
    await login(desk, e.url, 'fuming');
    await desk.goto(`${e.url}/events/dashboard`);
    const section = desk.getByTestId('services-dashboard');
    await section.waitFor();
    const from = new Date(Date.now() - 365 * 86_400_000 + 8 * 3600_000).toISOString().slice(0, 10);
    const stats = await desk.evaluate(async (f) => (await fetch(`/api/services/stats?scope=330212014&from=${f}`)).json(), from);
    expect(stats.applications.received).toBeGreaterThan(5);
    expect(await section.getByTestId('skpi-received').innerText()).toContain(String(stats.applications.received));
    expect(await section.getByTestId('skpi-overdue').innerText()).toContain(String(stats.applications.overdue));
    expect(await section.getByTestId('skpi-points').innerText()).toContain(String(stats.points.issued));
    expect(stats.byArea.map((a: { name: string }) => a.name)).toEqual(['江城社区']);
    await section.scrollIntoViewIfNeeded();
    await desk.waitForTimeout(800); // let the charts finish their entry animation
    await section.screenshot({ path: 'docs/screenshots/services-dashboard-section.png' });
    // Click 江城社区's bar (the one row; its first segment starts at the axis) to drill the whole dashboard down.
    const chart = section.getByTestId('chart-services-area');
    const box = (await chart.boundingBox())!;
    await desk.mouse.click(box.x + 104, box.y + (8 + box.height - 48) / 2);
    await desk.getByTestId('dash-crumb-330212014').waitFor();
    const community = await desk.evaluate(async (f) => (await fetch(`/api/services/stats?scope=330212014027&from=${f}`)).json(), from);
    await section.getByTestId('skpi-received').getByText(String(community.applications.received)).waitFor();
    await desk.waitForTimeout(800);
    await section.screenshot({ path: 'docs/screenshots/services-dashboard-community.png' });
  });

  it('the district manages 江城社区’s certificate list; the community worker reads it', async () => {
    const desk = await e.browser.newPage(DESK);
    await login(desk, e.url, 'yinzhou');
    await desk.goto(`${e.url}/services`);
    await desk.getByRole('tab', { name: '证明事项清单' }).click();
    await pick(desk, 'clist-street', '福明', '福明街道');
    await pick(desk, 'clist-community', '江城', '江城社区');
    const list = desk.getByTestId('certificate-list');
    await list.getByTestId('clist-entry-家庭经济困难情况证明').waitFor();
    await list.getByTestId('clist-remove-家庭经济困难情况证明').click();
    await desk
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /确\s*定|OK/ })
      .click();
    await list.getByTestId('clist-entry-家庭经济困难情况证明').waitFor({ state: 'detached' });
    await list.getByTestId('clist-type').click();
    await desk.locator('.ant-select-item-option').filter({ hasText: '家庭经济困难情况证明' }).click();
    expect(await list.getByTestId('clist-basis').inputValue()).toContain('社会救助暂行办法');
    await list.getByTestId('clist-submit').click();
    await list.getByTestId('clist-entry-家庭经济困难情况证明').waitFor();
    await list.getByText('户籍所在地公安派出所').first().waitFor();
    await shot(desk, 'services-certificate-list');
    const audit = await e.db.ctx.db.selectFrom('audit_log').select('action').where('place_code', '=', '330212014027').execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['certificate.list.add', 'certificate.list.remove']));

    const worker = await e.browser.newPage(DESK);
    await login(worker, e.url, 'jiangcheng');
    await worker.goto(`${e.url}/services`);
    await worker.getByRole('tab', { name: '证明事项清单' }).click();
    await worker.getByTestId('clist-entry-居住证明').waitFor();
    expect(await worker.locator('[data-testid^="clist-remove-"]').count()).toBe(0);
  });

  it('the district edits an item; the change is saved with its version', async () => {
    const desk = await e.browser.newPage(DESK);
    await login(desk, e.url, 'yinzhou');
    await desk.goto(`${e.url}/services`);
    await desk.getByRole('tab', { name: '事项管理' }).click();
    const admin = desk.getByTestId('catalogue-admin');
    const button = admin.locator('[data-testid^="edit-"]').first();
    await button.waitFor();
    const name = (await button.getAttribute('data-testid'))!.slice('edit-'.length);
    const read = async () => {
      const cat = (await (await desk.request.get(`${e.url}/api/services/districts/330212/catalogue`)).json()) as {
        categories: { items: { name: string; eligibility: string; materials: unknown[]; timeLimitDays: number; version: number }[] }[];
      };
      return cat.categories.flatMap((c) => c.items).find((i) => i.name === name)!;
    };
    const before = await read();
    await button.click();
    const dialog = desk.getByTestId('item-edit');
    await dialog.waitFor();
    await dialog.getByTestId('edit-eligibility').fill('本社区户籍或居住满半年的居民（测试修改）');
    await dialog.getByTestId('edit-add-material').click();
    await dialog.getByTestId(`edit-material-${before.materials.length}`).fill('近期免冠照片');
    await dialog.getByTestId('edit-limit').fill(String(before.timeLimitDays + 2));
    await shot(desk, 'services-item-edit');
    await desk.getByTestId('edit-save').click();
    await desk.getByText('在办件仍按原承诺时限办结').waitFor();
    const after = await read();
    expect(after.version).toBe(before.version + 1);
    expect(after.eligibility).toBe('本社区户籍或居住满半年的居民（测试修改）');
    expect(after.materials).toHaveLength(before.materials.length + 1);
    expect(after.timeLimitDays).toBe(before.timeLimitDays + 2);
  });
});
