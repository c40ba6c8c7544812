import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { pickOption, shot, startE2E, type E2E } from './support.ts';
import { TEST_PASSWORD } from '../server/test/constants.ts';

const DESKTOP = { viewport: { width: 1366, height: 860 }, locale: 'zh-CN' };

/** Signs in from a fresh browser context (its own cookies). */
async function signIn(browser: E2E['browser'], url: string, username: string): Promise<Page> {
  const ctx: BrowserContext = await browser.newContext(DESKTOP);
  const page = await ctx.newPage();
  await page.goto(url);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(TEST_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('logout').waitFor();
  return page;
}

async function noDialog(page: Page) {
  await page.waitForFunction(() => document.querySelectorAll('.ant-modal-wrap:not([style*="display: none"])').length === 0);
}

/** Waits until no antd Select dropdown is open or still animating closed. */
async function dropdownsClosed(page: Page) {
  await page.waitForFunction(() => document.querySelectorAll('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').length === 0);
}

/** Picks an option in an antd Select by typing part of its label; returns once its dropdown has closed. */
async function choose(page: Page, testId: string, text: string) {
  await pickOption(page, testId, text);
  await dropdownsClosed(page);
}

/** The district administrator's category editor and working-day calendar; a mediation case end to end. */
describe('browser: event categories, the working-day calendar and mediation', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  }, 180_000);
  afterAll(async () => e?.close());

  it('creates a category with limits and a lead department, edits it and disables it', async () => {
    const page = await signIn(e.browser, e.url, 'yinzhou');
    await page.goto(`${e.url}/events/categories`);
    await page.getByTestId('category-new').click();
    await page.getByTestId('category-code').fill('e2e-fly-wire');
    await choose(page, 'category-parent', '消防');
    await page.getByTestId('category-name').fill('楼道飞线充电');
    await page.getByTestId('category-accept').fill('2');
    await page.getByTestId('category-handle').fill('1');
    // The first department, by keyboard: the parent's dropdown may still be animating closed.
    await page.getByTestId('category-lead').click();
    await page.keyboard.press('Enter');
    await dropdownsClosed(page);
    await page.getByTestId('category-photo').check();
    await page.getByTestId('category-save').click();
    const row = page.locator('tr', { hasText: 'e2e-fly-wire' });
    await row.waitFor();
    expect(await row.innerText()).toContain('2 工时 / 8 工时 / 1 工作日');
    expect(await row.innerText()).toContain('牵头');
    expect(await row.innerText()).toContain('办结须拍照');

    await page.getByTestId('category-edit-e2e-fly-wire').click();
    await page.getByTestId('category-handle').fill('4');
    await page.getByTestId('category-save').click();
    await row
      .filter({ hasText: '1 工作日' })
      .waitFor({ state: 'detached' })
      .catch(() => undefined);
    await page.locator('tr', { hasText: 'e2e-fly-wire' }).filter({ hasText: '4 工作日' }).waitFor();
    await page.getByTestId('category-active-e2e-fly-wire').click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="category-active-e2e-fly-wire"]')?.getAttribute('aria-checked') === 'false',
    );
    const db = e.db.ctx.db;
    const stored = await db.selectFrom('event_category').selectAll().where('code', '=', 'e2e-fly-wire').executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ accept_hours: 2, handle_days: 4, photo_required: true, active: false });
    expect(stored.departments).toHaveLength(1);
    await page.getByTestId('category-edit-e2e-fly-wire').scrollIntoViewIfNeeded();
    await shot(page, 'events-categories');
    await page.context().close();
  }, 120_000);

  it('shows the year of working days with holidays and make-up working days', async () => {
    const page = await signIn(e.browser, e.url, 'yinzhou');
    await page.goto(`${e.url}/events/calendar`);
    await page.getByTestId('calendar-year').waitFor();
    // Go to 2026 whatever year the browser's clock says.
    for (let i = 0; i < 5 && (await page.getByTestId('calendar-year').innerText()) !== '2026'; i++) {
      const y = Number(await page.getByTestId('calendar-year').innerText());
      await page.getByLabel(y > 2026 ? 'previous year' : 'next year').click();
    }
    await page.getByTestId('day-2026-10-01').waitFor();
    expect(await page.getByTestId('day-2026-10-01').getAttribute('data-kind')).toBe('holiday');
    expect(await page.getByTestId('day-2026-02-17').getAttribute('data-kind')).toBe('holiday');
    expect(await page.locator('[data-kind="workday"]').count()).toBeGreaterThan(2);
    expect(await page.getByTestId('calendar-summary').innerText()).toMatch(/全年 \d{3} 个工作日/);
    await shot(page, 'events-calendar');
    await page.context().close();
  }, 120_000);

  it('opens a mediation case, records a session, closes it agreed and downloads the agreement PDF', async () => {
    const page = await signIn(e.browser, e.url, 'jiangcheng');
    await page.goto(`${e.url}/mediation`);
    await page.getByTestId('mediation-new').click();
    await page.locator('#title').fill('楼上漏水纠纷');
    await page.locator('#applicant').fill('王大伟');
    await page.locator('#respondent').fill('李小红');
    await page.locator('#mediatorName').fill('和事佬 陈阿姨');
    await page.locator('.ant-modal button[type="submit"]').click();
    await noDialog(page);
    await page.locator('.ant-card-head', { hasText: '楼上漏水纠纷' }).waitFor();
    await page.getByPlaceholder('本次调解情况').fill('双方到场，约定先请物业查明漏水点。');
    await page.getByRole('button', { name: '记录调解' }).click();
    await page.getByText('约定先请物业查明漏水点').waitFor();
    await page.getByRole('button', { name: '结案' }).click();
    await page.locator('#summary').fill('查明为楼上水管老化，楼上负责维修并赔偿。');
    await page.locator('#agreement').fill('一、李小红于七日内修复水管；二、赔偿王大伟装修损失人民币贰仟元整。');
    await page.locator('.ant-modal button[type="submit"]').click();
    await noDialog(page);
    const link = page.locator('a[href$="/agreement.pdf"]');
    await link.waitFor();
    await shot(page, 'events-mediation');
    const pdf = await page.request.get(`${e.url}${await link.getAttribute('href')}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toContain('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await page.context().close();
  }, 120_000);

  it('sends a dispute event to mediation in one click, carrying over what the event says (矛盾一键化解)', async () => {
    // A resident reports a quarrel with a neighbour.
    const login = await e.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'jc-resident', password: TEST_PASSWORD },
    });
    const cookie = login.cookies.find((c) => c.name === 'gz_session')!;
    const filed = await e.app.inject({
      method: 'POST',
      url: '/api/events',
      headers: { cookie: `gz_session=${cookie.value}`, 'x-csrf-token': login.json().csrfToken },
      payload: {
        categoryCode: 'dispute.neighbour',
        title: '楼上深夜装修与邻居争吵',
        placeCode: '330212014027001',
        description: '已发生口角',
      },
    });
    expect(filed.statusCode, filed.body).toBe(201);
    const event = filed.json().event as { id: string; reporterName: string };

    const page = await signIn(e.browser, e.url, 'jiangcheng');
    await page.goto(`${e.url}/events/${event.id}`);
    await page.getByTestId('event-mediate').click();
    expect(await page.getByTestId('mediate-title').inputValue()).toBe('楼上深夜装修与邻居争吵');
    expect(await page.getByTestId('mediate-applicant').inputValue()).toBe(event.reporterName);
    await page.getByTestId('mediate-respondent').fill('楼上住户 周某');
    await page.getByTestId('mediate-mediator').fill('和事佬 陈阿姨');
    await page.getByTestId('mediate-submit').click();
    await page.waitForURL(/\/mediation\?case=/);
    await page.locator('.ant-card-head', { hasText: '楼上深夜装修与邻居争吵' }).waitFor();
    await page.locator('.ant-descriptions-item-content', { hasText: '被申请人 楼上住户 周某' }).waitFor();
    await shot(page, 'events-mediation-from-event');
    // Back on the event: the case is linked and the timeline says it went to mediation.
    await page.getByTestId('mediation-event-link').click();
    await page.getByTestId('event-mediation-case').waitFor();
    await page.getByTestId('event-timeline').getByText('转入调解').waitFor();
    await page.context().close();
  }, 120_000);

  it('gives a city its command dashboard over its districts (常州市 and its seed districts)', async () => {
    const page = await signIn(e.browser, e.url, 'changzhou');
    await page.goto(`${e.url}/events/dashboard`);
    await page.getByTestId('chart-721').waitFor();
    await page.getByTestId('dash-live').waitFor(); // the live feed is open
    await page.getByTestId('chart-area').waitFor();
    const stats = await page.evaluate(async () => {
      const from = new Date(Date.now() - 365 * 86_400_000 + 8 * 3600_000).toISOString().slice(0, 10);
      return (await fetch(`/api/events/stats?scope=320400&from=${from}`)).json();
    });
    const areas = (stats.byArea as { code: string; name: string; count: number }[]).filter((a) => a.count > 0).map((a) => a.name);
    expect(areas).toEqual(expect.arrayContaining(['天宁区', '武进区']));
    expect(stats.total).toBeGreaterThan(0);
    await expect.poll(async () => (await page.getByTestId('kpi-total').innerText()).replace(/,/g, '')).toContain(String(stats.total));
    await page.waitForTimeout(800); // let the charts finish their entry animation
    await shot(page, 'events-dashboard-city');
    // A district of another province is not the city's to see.
    expect(await page.evaluate(async () => (await fetch('/api/events/stats?scope=330212')).status)).toBe(403);
    await page.context().close();
  }, 120_000);
});
