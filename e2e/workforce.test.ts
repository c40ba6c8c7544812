import zlib from 'node:zlib';
import fs from 'node:fs';
import ExcelJS from 'exceljs';
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

/** The Unicode text of a PDF's ToUnicode maps (pdfkit subsets the CJK font and maps each glyph). */
function pdfText(pdf: Buffer): string {
  const s = pdf.toString('latin1');
  let out = '';
  for (const m of s.matchAll(/stream\r?\n/g)) {
    const start = m.index! + m[0].length;
    const end = s.indexOf('endstream', start);
    try {
      const text = zlib.inflateSync(Buffer.from(s.slice(start, end), 'latin1')).toString('latin1');
      if (text.includes('beginbf')) for (const h of text.matchAll(/<([0-9a-fA-F]{4})>/g)) out += String.fromCharCode(parseInt(h[1], 16));
    } catch {
      // not deflated
    }
  }
  return out;
}

describe('browser: the community workforce', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  }, 120_000);
  afterAll(async () => e?.close());

  it('the street staff opens staffing, an archive with its PDF, the .xlsx list and the recruitment ranking', async () => {
    const page = await e.browser.newPage({ viewport: { width: 1366, height: 860 }, locale: 'zh-CN', acceptDownloads: true });
    await login(page, e.url, 'fuming');
    await page.getByTestId('nav-workforce').click();
    await page.waitForURL(/\/workforce$/);
    await page.getByTestId('wf-worker-link').first().waitFor();
    expect(await page.getByTestId('wf-tab-pay').count()).toBe(0); // pay is the district's
    await shot(page, 'workforce-workers');

    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('wf-export-workers').click()]);
    expect(xlsx.suggestedFilename()).toBe('社区工作者名册.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(fs.readFileSync((await xlsx.path())!) as unknown as ArrayBuffer);
    expect(wb.worksheets[0].getColumn(3).values).toContain('陈丽华');

    await page.getByTestId('wf-tab-staffing').click();
    await page.getByTestId('wf-staffing-chart').waitFor();
    expect(await page.getByTestId('wf-staffing-table').innerText()).toContain('江城社区');
    await shot(page, 'workforce-staffing');

    await page.getByTestId('wf-tab-workers').click();
    await page.getByRole('link', { name: '陈丽华' }).click();
    await page.getByTestId('wf-archive-name').waitFor();
    expect(await page.getByTestId('wf-archive-name').innerText()).toContain('陈丽华');
    await shot(page, 'workforce-archive');
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByTestId('wf-archive-pdf').click()]);
    const bytes = fs.readFileSync((await pdf.path())!);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(bytes);
    for (const ch of '社区工作者档案陈丽华江城') expect(text).toContain(ch);

    await page.getByTestId('wf-tab-recruitment').click();
    await page.getByTestId('wf-rec-ranking').waitFor();
    await page.getByTestId('wf-rec-ranking').getByText('公示中').first().waitFor();
    expect(await page.getByTestId('wf-rec-board').innerText()).toContain('公示中');
    await shot(page, 'workforce-recruitment');

    // Phone width: the list still reads.
    await page.setViewportSize({ width: 390, height: 820 });
    await page.getByTestId('wf-tab-workers').click();
    await page.getByTestId('wf-worker-link').first().waitFor();
    await shot(page, 'workforce-workers-phone');
    await page.close();
  });

  it('the district previews a worker’s pay and reviews the grade run', async () => {
    const page = await e.browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    await login(page, e.url, 'yinzhou');
    await page.goto(`${e.url}/workforce/pay`);
    await page.getByTestId('wf-pay-worker').click();
    await page.keyboard.type('张蕾');
    await page.keyboard.press('Enter');
    await page.getByTestId('wf-pay-compute').click();
    await page.getByTestId('wf-pay-total').waitFor();
    const preview = await page.getByTestId('wf-pay-preview').innerText();
    expect(preview).toContain('等级工资');
    expect(preview).toContain('持助理社会工作师证书');
    expect(await page.getByTestId('wf-pay-total').innerText()).toMatch(/^\d{1,3}(,\d{3})*\.\d{2}$/);
    await shot(page, 'workforce-pay');

    await page.getByTestId('wf-tab-care').click();
    await page.getByText('耕耘奖').first().waitFor();
    await shot(page, 'workforce-training-honours');
    await page.getByTestId('wf-tab-rota').click();
    await page.getByTestId('wf-rota').waitFor();
    await shot(page, 'workforce-rota');
    await page.close();
  });
});
