import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { shot, startE2E, type E2E } from './support.ts';
import { TEST_PASSWORD } from '../server/test/constants.ts';

const PHOTO = path.resolve('e2e/fixtures/street-photo.png');
const PHONE = { viewport: { width: 375, height: 812 }, locale: 'zh-CN', isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1366, height: 860 }, locale: 'zh-CN' };

async function signIn(ctx: BrowserContext, url: string, username: string): Promise<Page> {
  const page = await ctx.newPage();
  await page.goto(url);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(TEST_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('logout').waitFor();
  return page;
}

/** Picks an option in an antd Select by typing part of its label. */
async function choose(page: Page, testId: string, text: string) {
  await page.getByTestId(testId).click();
  await page.keyboard.type(text);
  await page.locator('.ant-select-item-option', { hasText: text }).first().click();
}

/** Waits until no dialog is left on the page (a closing one animates out for a moment). */
async function noDialog(page: Page) {
  await page.waitForFunction(() => document.querySelectorAll('.ant-modal').length === 0);
}

/**
 * Takes one step through its dialog. Under load a confirm click can be lost (nothing is sent and the
 * dialog stays open); then it clicks again, and if the dialog stays open with a message showing, the
 * failure names that message instead of timing out blind.
 */
async function act(page: Page, action: string, note?: string, photo = false) {
  await noDialog(page);
  await page.getByTestId(`action-${action}`).click();
  if (note) await page.locator('textarea[data-testid="action-note"]').fill(note);
  if (photo) await page.getByTestId('action-photo-input').setInputFiles(PHOTO);
  for (let attempt = 1; ; attempt++) {
    await page.getByTestId('action-confirm').click();
    try {
      await page.waitForFunction(() => document.querySelectorAll('.ant-modal').length === 0, undefined, { timeout: 20_000 });
      return;
    } catch {
      const shown = await page.locator('.ant-message-notice').allInnerTexts();
      if (attempt >= 3 || shown.length) throw new Error(`the ${action} dialog is still open after ${attempt} confirm click(s); messages: ${shown.join(' | ') || 'none'}`);
    }
  }
}

/**
 * The event's state as the page shows it, once it shows `expected`: the page refetches after an
 * action, so reading the tag straight after the dialog closes can still see the previous state.
 */
async function stateOf(page: Page, expected: string) {
  await page
    .getByTestId('event-state')
    .filter({ hasText: expected })
    .waitFor({ timeout: 10_000 })
    .catch(() => undefined);
  return (await page.getByTestId('event-state').innerText()).trim();
}

describe('browser: an event from the grid to a department and back', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  }, 120_000);
  afterAll(async () => e?.close());

  it('grid reports on a phone, community escalates, street whistles, 城管 handles, the reporter verifies, the dashboard shows it', async () => {
    // 1. The grid worker reports on foot, with a photo, and sends it up at once.
    const gridCtx = await e.browser.newContext(PHONE);
    const grid = await signIn(gridCtx, e.url, 'grid-jc-001');
    await grid.goto(`${e.url}/events/report`);
    await choose(grid, 'report-category', '占道经营');
    await grid.getByTestId('report-title').fill('江城路口早点摊占用人行道');
    await grid.getByTestId('report-description').fill('三个摊位占用盲道，行人绕行');
    await choose(grid, 'report-building', '幢');
    await grid.getByTestId('report-photo-input').setInputFiles(PHOTO);
    await grid.getByTestId('report-escalate').click();
    await shot(grid, 'events-report-phone');
    expect(await grid.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(376);
    await grid.getByTestId('report-submit').click();
    await grid.getByTestId('report-view').click();
    await grid.getByTestId('event-timeline').waitFor();
    const eventUrl = grid.url();
    expect(await stateOf(grid, '已上报')).toBe('已上报');
    await shot(grid, 'events-detail-phone');

    // 2. The community worker accepts and escalates to the street.
    const communityCtx = await e.browser.newContext(DESKTOP);
    const community = await signIn(communityCtx, e.url, 'jiangcheng');
    await community.getByTestId('nav-events').click();
    await community.getByTestId('event-boxes').waitFor();
    await community.goto(eventUrl);
    await act(community, 'accept');
    await act(community, 'escalate', '需执法部门处置');
    expect(await stateOf(community, '已上报')).toBe('已上报');

    // 3. The street accepts and whistles to 城管 (lead) and 市场监管 (assisting).
    const streetCtx = await e.browser.newContext(DESKTOP);
    const street = await signIn(streetCtx, e.url, 'fuming');
    await street.goto(eventUrl);
    await act(street, 'accept');
    await noDialog(street);
    await street.getByTestId('action-whistle').click();
    await choose(street, 'action-lead', '综合行政执法局');
    await choose(street, 'action-assist', '市场监督管理局');
    await street.locator('textarea[data-testid="action-note"]').fill('请城管牵头，市场监管协办');
    await shot(street, 'events-whistle');
    await street.getByTestId('action-confirm').click();
    await noDialog(street);
    expect(await stateOf(street, '已吹哨')).toBe('已吹哨');

    // 4. 城管 responds and handles with a photo.
    const deptCtx = await e.browser.newContext(DESKTOP);
    const dept = await signIn(deptCtx, e.url, 'chengguan');
    await dept.goto(eventUrl);
    await act(dept, 'respond', '执法中队已出发');
    await act(dept, 'handle', '摊位已劝离，盲道已清理', true);
    expect(await stateOf(dept, '待核查')).toBe('待核查');

    // 5. The reporter (the grid worker) verifies on the phone; the street closes it.
    await grid.reload();
    await act(grid, 'verify', '现场已恢复');
    await street.reload();
    await act(street, 'close');
    expect(await stateOf(street, '已结案')).toBe('已结案');
    const steps = await street.getByTestId('event-timeline').innerText();
    for (const word of ['上报', '受理', '上报上级', '吹哨派单', '部门响应', '处置完成', '核查通过', '结案']) expect(steps).toContain(word);
    expect(await street.locator('[data-testid="event-timeline"] img').count()).toBeGreaterThanOrEqual(2);
    await shot(street, 'events-detail-closed');

    // 6. The street's dashboard shows it: the KPIs match the measures, which count this event as closed.
    await street.getByTestId('nav-events/dashboard').click();
    await street.getByTestId('chart-721').waitFor();
    await street.getByTestId('chart-map').waitFor();
    const stats = await street.evaluate(async () => {
      const from = new Date(Date.now() - 365 * 86_400_000 + 8 * 3600_000).toISOString().slice(0, 10);
      return (await fetch(`/api/events/stats?scope=330212014&from=${from}`)).json();
    });
    const closedToday = await street.evaluate(async () => (await fetch(`/api/events?box=watched&limit=5`)).json());
    expect(
      closedToday.items.some((x: { state: string; title: string }) => x.title === '江城路口早点摊占用人行道' && x.state === 'closed'),
    ).toBe(true);
    expect(await street.getByTestId('kpi-total').innerText()).toContain(String(stats.total));
    await street.waitForTimeout(800); // let the charts finish their entry animation
    await shot(street, 'events-dashboard');

    // A resident sees only their own reports.
    const residentCtx = await e.browser.newContext(PHONE);
    const resident = await signIn(residentCtx, e.url, 'jc-resident');
    await resident.goto(`${e.url}/events`);
    await resident.getByTestId('event-boxes').waitFor();
    await resident.locator('[data-testid^="event-row-"]').first().waitFor();
    expect(await resident.locator('[data-testid^="event-row-"]', { hasText: '江城路口早点摊占用人行道' }).count()).toBe(0);
    await resident.waitForFunction(() => !document.querySelector('.ant-spin-blur'));
    await resident.waitForTimeout(400);
    await shot(resident, 'events-resident-phone');
    for (const c of [gridCtx, communityCtx, streetCtx, deptCtx, residentCtx]) await c.close();
  }, 180_000);
});
