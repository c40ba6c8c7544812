import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Download, Page } from 'playwright-core';
import { pickOption, setNumber, shot, signedInPage, startE2E, type E2E } from './support.ts';

/** The rows of the first sheet of a downloaded .xlsx (row 1 is the title, row 2 the header). */
async function sheetRows(download: Download): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(fs.readFileSync((await download.path())!) as unknown as ArrayBuffer);
  const rows: unknown[][] = [];
  wb.worksheets[0].eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
  return rows;
}

const modal = (page: Page) => page.locator('.ant-modal:visible');
const year = () => new Date(Date.now() + 8 * 3600_000).getUTCFullYear();

describe('browser: honours and awards, the care fund and yearly health checks', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  }, 120_000);
  afterAll(async () => e?.close());

  it('the street records an individual award with an amount; one over the cap is refused with the server’s message', async () => {
    const page = await signedInPage(e, 'fuming');
    await page.goto(`${e.url}/workforce/care`);
    await page.getByTestId('wf-award-records').waitFor();
    await page.getByTestId('wf-honour-candidates').getByText('耕耘奖').first().waitFor();

    await page.getByTestId('wf-award-new').click();
    await pickOption(page, 'wf-award-worker', '周海涛');
    await page.getByTestId('wf-award-title').fill('优秀社区工作者');
    await setNumber(page, 'wf-award-amount', '60000');
    await page.getByTestId('wf-award-by').fill('福明街道党工委');
    await page.getByTestId('wf-award-ok').click();
    const refusal = page.getByTestId('wf-award-refusal');
    await refusal.waitFor();
    expect(await refusal.innerText()).toContain('奖励金额超过上限');
    expect(await refusal.innerText()).toContain('个人奖励不得超过 5 万元');
    await modal(page).locator('.ant-form-item-explain-error', { hasText: '个人奖励不得超过 5 万元' }).waitFor(); // beside the amount

    await setNumber(page, 'wf-award-amount', '8000');
    await page.getByTestId('wf-award-ok').click();
    const records = page.getByTestId('wf-award-records');
    const row = records.locator('tr', { hasText: '优秀社区工作者' });
    await row.getByText('8,000.00').waitFor();
    expect(await row.innerText()).toContain('周海涛（江城社区）');
    expect(await row.innerText()).toContain('福明街道党工委');
    await pickOption(page, 'wf-award-kind', '表彰奖励');
    await row.waitFor();
    expect(await page.getByTestId('wf-award-total').innerText()).toContain('8,000.00');
    await shot(page, 'workforce-honours');

    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('wf-award-export').click()]);
    expect(xlsx.suggestedFilename()).toBe(`表彰奖励-${year()}.xlsx`);
    const rows = await sheetRows(xlsx);
    expect(rows[1]).toEqual(['授予日期', '年度', '类别', '名称', '对象', '姓名', '社区', '金额（元）', '授予单位']);
    expect(rows.find((r) => r[3] === '优秀社区工作者')?.slice(4)).toEqual(['个人', '周海涛', '江城社区', 8000, '福明街道党工委']);
    await page.close();
  }, 180_000);

  it('the street applies to the care fund for a worker; the district refuses only with a reason, then approves', async () => {
    const street = await signedInPage(e, 'fuming');
    await street.goto(`${e.url}/workforce/care?view=fund`);
    await street.getByTestId('wf-cf-list').waitFor();
    await street.getByTestId('wf-cf-apply').click();
    await pickOption(street, 'wf-cf-worker', '李晓敏');
    await setNumber(street, 'wf-cf-amount', '5000');
    await street.getByTestId('wf-cf-reason').fill('本人重病住院治疗，申请社工关爱基金');
    await street.getByTestId('wf-cf-apply-ok').click();
    await street.getByTestId('wf-cf-status-李晓敏').getByText('待审批').waitFor();
    expect(await street.getByTestId('wf-cf-decide-李晓敏').count()).toBe(0); // the street cannot decide
    await street.close();

    const page = await signedInPage(e, 'yinzhou');
    await page.goto(`${e.url}/workforce/care?view=fund`);
    await page.getByTestId('wf-cf-decide-李晓敏').click();
    await modal(page).getByText('5,000.00').waitFor();
    // Under load a click on a modal's footer that is still settling can be lost (as in events' act):
    // click again, up to three times, before calling the refusal missing.
    const refusal = modal(page).getByText('不予批准须说明理由');
    for (let attempt = 1; ; attempt++) {
      await page.getByTestId('wf-cf-refuse').click();
      try {
        await refusal.waitFor({ timeout: 10_000 });
        break;
      } catch (err) {
        if (attempt === 3) throw err;
      }
    }
    await page.getByTestId('wf-cf-approve').click();
    const status = page.getByTestId('wf-cf-status-李晓敏');
    await status.getByText('已批准').waitFor();
    expect(await page.locator('tr', { has: status }).innerText()).toContain('yinzhou');
    await expect.poll(() => page.locator('.ant-modal:visible').count()).toBe(0); // closed, not fading out
    await shot(page, 'workforce-care-fund');
    await page.close();
  }, 180_000);

  it('the health-check tab moves a worker from due to done when the district records the check', async () => {
    const page = await signedInPage(e, 'yinzhou');
    await page.goto(`${e.url}/workforce/care`);
    await page.getByTestId('wf-care-view-health').click();
    await page.getByTestId('wf-hc-list').waitFor();
    const count = async (s: string) =>
      Number((await page.getByTestId(`wf-hc-count-${s}`).locator('.ant-statistic-content-value').innerText()).trim());
    await page.getByTestId('wf-hc-count-done').waitFor();
    const doneBefore = await count('done');
    const dueBefore = await count('due');
    await page.getByTestId('wf-hc-search').fill('张蕾');
    await page.getByTestId('wf-hc-status-张蕾').getByText('待体检').waitFor();
    expect(await page.locator('tr', { hasText: '张蕾' }).innerText()).toContain('从未体检');
    await page.getByTestId('wf-hc-record-张蕾').click();
    // As for the care fund above: a click on the settling modal can be lost under load.
    const done = page.getByTestId('wf-hc-status-张蕾').getByText('已体检');
    for (let attempt = 1; ; attempt++) {
      const ok = page.getByTestId('wf-hc-ok');
      if (await ok.isVisible()) await ok.click();
      try {
        await done.waitFor({ timeout: 10_000 });
        break;
      } catch (err) {
        if (attempt === 3) throw err;
      }
    }
    await expect.poll(() => count('done')).toBe(doneBefore + 1);
    expect(await count('due')).toBe(dueBefore - 1);
    await page.getByTestId('wf-hc-search').fill('');
    await shot(page, 'workforce-health-checks');

    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('wf-hc-export').click()]);
    const rows = await sheetRows(xlsx);
    expect(rows[1]).toEqual(['社区', '姓名', '状态', '最近体检日期', '应检截止日期']);
    expect(rows.find((r) => r[1] === '张蕾')?.[2]).toBe('已体检');
    await page.close();
  }, 180_000);
});
