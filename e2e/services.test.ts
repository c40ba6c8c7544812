import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { sql } from 'kysely';
import { renderPdf, shot, startE2E, type E2E } from './support.ts';
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
    const number = (await pdfLink.getAttribute('data-testid'))!.slice('cert-pdf-'.length);
    const pdf = await phone.request.get(`${e.url}${href}`);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    const bytes = await pdf.body();
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    // Headless Chromium shows no PDF: pdf.js draws page 1 onto a canvas, and that is what the screenshot shows.
    const viewer = await e.browser.newPage();
    const rendered = await renderPdf(viewer, bytes);
    expect(rendered.pages).toBe(1);
    expect(rendered.text).toContain(number);
    expect(rendered.text.replace(/\s/g, '')).toContain('居住证明');
    const holder = await e.db.ctx.db
      .selectFrom('certificate as c')
      .innerJoin('person as p', (j) => j.onRef('p.district_code', '=', 'c.district_code').onRef('p.id', '=', 'c.person_id'))
      .select('p.name')
      .where('c.number', '=', number)
      .executeTakeFirstOrThrow();
    expect(rendered.text).toContain(holder.name);
    expect(rendered.ink).toBeGreaterThan(0.003);
    await shot(viewer, 'services-certificate-pdf');
  }, 180_000);

  it('a resident posts a help order on a phone; the party member 李建华 takes and completes it; the resident confirms; his points appear', async () => {
    const TITLE = '帮忙取一下快递';
    const db = e.db.ctx.db;
    const li = await db
      .selectFrom('person as p')
      .innerJoin('app_user as u', 'u.id', 'p.user_id')
      .select(['p.id', 'p.name'])
      .where('u.username', '=', 'jc-party')
      .executeTakeFirstOrThrow();
    expect(li.name).toBe('李建华');
    // The balance as the points ledger has it.
    const ledger = async () =>
      Number(
        (
          await db
            .selectFrom('points_ledger')
            .select(sql<string>`coalesce(sum(delta), 0)`.as('n'))
            .where('district_code', '=', '330212')
            .where('person_id', '=', li.id)
            .executeTakeFirstOrThrow()
        ).n,
      );

    const phone = await e.browser.newPage(PHONE);
    await login(phone, e.url, 'jc-resident');
    await phone.goto(`${e.url}/orders`);
    await phone.getByRole('tab', { name: '我要求助' }).click();
    await phone.getByTestId('order-title').fill(TITLE);
    await phone.getByTestId('order-description').fill('菜鸟驿站，两件，放门口即可');
    await shot(phone, 'services-order-post-phone');
    await phone.getByTestId('order-submit').click();
    await phone.getByText('已发布，等待党员、志愿者接单').waitFor();

    // A volunteer has the board open too: the order is offered to both.
    const vol = await e.browser.newPage(PHONE);
    await login(vol, e.url, 'jc-volunteer');
    await vol.goto(`${e.url}/orders`);
    const offered = vol.getByTestId('order-board').getByTestId(`order-${TITLE}`);
    await offered.getByTestId('order-take').waitFor();

    const party = await e.browser.newPage(PHONE);
    await login(party, e.url, 'jc-party');
    await party.goto(`${e.url}/orders`);
    await party.getByTestId('order-board').getByTestId(`order-${TITLE}`).getByTestId('order-take').click();
    await party.getByRole('tab', { name: '我的求助' }).click();
    const taken = party.getByTestId('my-orders').getByTestId(`order-${TITLE}`);
    await taken.getByTestId('order-state').filter({ hasText: '已接单' }).waitFor();
    await taken.getByTestId('order-complete').click();
    await taken.getByTestId('order-state').filter({ hasText: '已完成待确认' }).waitFor();
    await shot(party, 'services-order-party-phone');

    // The volunteer was a moment late: the server refuses and says why.
    await offered.getByTestId('order-take').click();
    await vol.getByText('该工单已被其他人接单，请选择其他工单').waitFor();

    const before = await ledger();
    await phone.getByRole('tab', { name: '我的求助' }).click();
    const own = phone.getByTestId(`order-${TITLE}`);
    expect(await own.innerText()).toContain('接单人：党员 李建华');
    await own.getByTestId('order-confirm').click();
    await own.getByTestId('order-state').filter({ hasText: '已确认' }).waitFor();

    const order = await db.selectFrom('help_order').select('id').where('title', '=', TITLE).executeTakeFirstOrThrow();
    const earned = await db
      .selectFrom('points_ledger')
      .select('delta')
      .where('person_id', '=', li.id)
      .where('ref_type', '=', 'help_order')
      .where('ref_id', '=', order.id)
      .execute();
    expect(earned).toHaveLength(1);
    expect(earned[0].delta).toBeGreaterThan(0);
    const after = await ledger();
    expect(after).toBe(before + earned[0].delta);

    await party.getByRole('tab', { name: '我的积分' }).click();
    await party.getByText('完成求助工单').first().waitFor();
    const api = (await (await party.request.get(`${e.url}/api/points/me`)).json()) as { balance: number };
    expect(api.balance).toBe(after);
    await expect.poll(async () => Number((await party.getByTestId('points-balance').innerText()).replace(/\D/g, ''))).toBe(after);
    await shot(party, 'services-points-party-phone');
  }, 180_000);
});
