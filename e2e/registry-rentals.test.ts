import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { shot, startE2E, type E2E } from './support.ts';
import { TEST_PASSWORD } from '../server/test/constants.ts';

/** Renters and visitors (R5) in the browser: the tenancy and visitor forms and the three lists. */

const JIANGCHENG = '330212014027';

async function login(page: Page, url: string, username: string) {
  await page.goto(url);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(TEST_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('logout').waitFor();
}

function isoDay(offsetDays: number) {
  return new Date(Date.now() + 8 * 3600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

describe('browser: renters and visitors', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  }, 120_000);
  afterAll(async () => e?.close());

  it('a community worker registers a tenancy with its contract photo and a visitor, and sees them in the lists', async () => {
    const house = await e.db.ctx.db
      .selectFrom('house')
      .select('code')
      .where('code', 'like', `${JIANGCHENG}%`)
      .where('use', '=', 'vacant')
      .orderBy('code')
      .executeTakeFirstOrThrow();
    const tenant = await e.db.ctx.db
      .selectFrom('person')
      .select(['id', 'name'])
      .where('community_code', '=', JIANGCHENG)
      .where('status', '=', 'active')
      .orderBy('name_pinyin', 'desc')
      .executeTakeFirstOrThrow();
    const page = await e.browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    await login(page, e.url, 'jiangcheng');
    await page.goto(`${e.url}/registry/rentals`);
    await page.getByTestId('rentals-expiring').waitFor();
    await page.getByTestId('rentals-no-tenant').waitFor();
    await shot(page, 'registry-rentals');

    // The tenancy form: a period that ends before it starts is refused in Chinese before sending.
    await page.getByTestId('tenancy-new').click();
    const dialog = page.getByRole('dialog');
    await page.getByTestId('tenancy-form-house').fill(house.code);
    await page.getByTestId('tenancy-form-tenant').click();
    await page.keyboard.type(tenant.name);
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: tenant.name }).first().click();
    await page.getByTestId('tenancy-form-start').fill(isoDay(-300));
    await page.getByTestId('tenancy-form-end').fill(isoDay(-400));
    await page.getByTestId('tenancy-form-submit').click();
    await dialog.getByText('租期结束日期不能早于开始日期').waitFor();

    await page.getByTestId('tenancy-form-end').fill(isoDay(10));
    await dialog.locator('input[type=file]').setInputFiles(path.resolve('e2e/fixtures/street-photo.png'));
    await page.getByTestId('tenancy-form-photo-name').getByText('street-photo.png').waitFor();
    await shot(page, 'registry-tenancy-form');
    await page.getByTestId('tenancy-form-submit').click();
    await dialog.waitFor({ state: 'hidden' });

    // It ends in 10 days: in the 30-day reminders, with its photo; not among those ending within 7.
    const reminders = page.getByTestId('rentals-expiring');
    const row = reminders.locator('tr.ant-table-row').filter({ hasText: tenant.name });
    await row.waitFor();
    expect(await row.innerText()).toContain('剩余 10 天');
    await row.getByText('查看').waitFor();
    const saved = await e.db.ctx.db
      .selectFrom('tenancy')
      .select(['id', 'house_code', 'end_date'])
      .where('tenant_person_id', '=', tenant.id)
      .where('house_code', '=', house.code)
      .executeTakeFirstOrThrow();
    const photo = await page.request.get(`${e.url}/api/registry/tenancies/${saved.id}/photo`);
    expect(photo.status()).toBe(200);
    expect(photo.headers()['content-type']).toBe('image/png');
    await shot(page, 'registry-rentals-reminder');
    await page.getByTestId('rentals-days').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '7天内' }).click();
    await reminders.getByText('7天内到期的租赁').waitFor();
    await expect.poll(() => row.count()).toBe(0);

    // A visitor: a bad phone is refused, then the visitor is listed and can be marked as left.
    await page.getByTestId('visitor-new').click();
    await page.getByTestId('visitor-form-house').fill(house.code);
    await page.getByTestId('visitor-form-name').fill('访客周末');
    await page.getByTestId('visitor-form-phone').fill('12');
    await page.getByTestId('visitor-form-purpose').fill('探亲');
    await page.getByTestId('visitor-form-submit').click();
    await page.getByRole('dialog').getByText('联系电话格式不正确（手机号11位，固话需带区号）').waitFor();
    await page.getByTestId('visitor-form-phone').fill('13812345678');
    await shot(page, 'registry-visitor-form');
    await page.getByTestId('visitor-form-submit').click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    const visitors = page.getByTestId('rentals-visitors');
    const visitor = visitors.locator('tr.ant-table-row').filter({ hasText: '访客周末' });
    await visitor.waitFor();
    expect(await visitor.innerText()).toContain('138****5678');
    expect(await visitor.innerText()).toContain('探亲');
    await visitors.scrollIntoViewIfNeeded();
    await shot(page, 'registry-visitors');
    await visitor.getByRole('button', { name: '登记离开' }).click();
    await expect.poll(async () => (await visitor.getByRole('button', { name: '登记离开' }).count()) === 0).toBe(true);
    // Nothing in clear at rest: the phone is sealed.
    const row2 = await e.db.ctx.db.selectFrom('visitor').selectAll().where('name', '=', '访客周末').executeTakeFirstOrThrow();
    expect(JSON.stringify(row2)).not.toContain('13812345678');
    await page.close();
  }, 180_000);
});
