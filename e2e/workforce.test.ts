import zlib from 'node:zlib';
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { shot, startE2E, type E2E } from './support.ts';
import { TEST_PASSWORD } from '../server/test/constants.ts';
import { makeIdNumber } from '../server/modules/registry/id-number.ts';

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
    // The newest plan (taking applications online) opens first; pick November's, at its notice.
    await page.getByTestId('wf-plan-select').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '第二批' }).click();
    await page.getByTestId('wf-rec-ranking').getByText('公示中').first().waitFor();
    expect(await page.getByTestId('wf-rec-board').innerText()).toContain('公示中');
    await shot(page, 'workforce-recruitment');
    // Picking a stage on the board narrows the ranking, and the export follows the stage.
    const onNotice = Number(/\d+/.exec(await page.getByTestId('wf-rec-board-notice').innerText())![0]);
    await page.getByTestId('wf-rec-board-notice').click();
    await page.getByTestId('wf-rec-show-all').waitFor();
    const rows = await page.getByTestId('wf-rec-ranking').locator('.ant-table-row').allInnerTexts();
    expect(rows).toHaveLength(onNotice);
    expect(rows.every((r) => r.includes('公示中'))).toBe(true);
    const [stageXlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('wf-rec-export').click()]);
    expect(stageXlsx.suggestedFilename()).toBe('招聘名单-公示中.xlsx');
    const stageWb = new ExcelJS.Workbook();
    await stageWb.xlsx.load(fs.readFileSync((await stageXlsx.path())!) as unknown as ArrayBuffer);
    const statusColumn = stageWb.worksheets[0].getColumn(12).values.slice(2);
    expect(statusColumn).toEqual(Array(onNotice).fill('公示中'));

    // Phone width: the list still reads.
    await page.setViewportSize({ width: 390, height: 820 });
    await page.getByTestId('wf-tab-workers').click();
    await page.getByTestId('wf-worker-link').first().waitFor();
    await shot(page, 'workforce-workers-phone');
    await page.close();
  });

  it('the district previews a worker’s pay and reviews the grade run', async () => {
    const page = await e.browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
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

    // The grade run: next year's is proposed; a line shows its proposed grade with the reasons for it.
    await page.getByTestId('wf-grade-run-start').click();
    await page.getByTestId('wf-grade-run-approve').waitFor();
    const line = page.getByTestId('wf-grade-run').locator('.ant-table-row').first();
    await line.waitFor();
    const reason = await line.innerText();
    expect(reason).toContain('工作年限');
    // The last reason says what happens: a first grading, kept, or moved up.
    const change = /首次定级：(\d+)|维持 (\d+)|(\d+) → (\d+)/.exec(reason);
    expect(change, reason).not.toBeNull();
    expect(await line.getByTestId('wf-grade-proposed').innerText()).toBe(change![1] ?? change![2] ?? change![4]);
    await line.scrollIntoViewIfNeeded();
    await shot(page, 'workforce-grade-run');
    const [runXlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('wf-grade-run-export').click()]);
    expect(runXlsx.suggestedFilename()).toMatch(/^年度定级-\d{4}\.xlsx$/);
    const runWb = new ExcelJS.Workbook();
    await runWb.xlsx.load(fs.readFileSync((await runXlsx.path())!) as unknown as ArrayBuffer);
    expect((runWb.worksheets[0].getRow(2).values as unknown[]).slice(1)).toEqual(['社区', '姓名', '原等级', '拟定等级', '变动', '依据']);
    expect(reason).toContain(String(runWb.worksheets[0].getRow(3).getCell(2).value));

    await page.getByTestId('wf-tab-care').click();
    await page.getByText('耕耘奖').first().waitFor();
    await shot(page, 'workforce-training-honours');
    await page.getByTestId('wf-tab-rota').click();
    await page.getByTestId('wf-rota').waitFor();
    await shot(page, 'workforce-rota');
    await page.close();
  });
  it('an applicant applies online without signing in; the district runs the board from the web', async () => {
    const page = await e.browser.newPage({ viewport: { width: 1100, height: 900 }, locale: 'zh-CN' });
    await page.goto(`${e.url}/apply`);
    await page.getByTestId('wf-apply-post').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '东柳街道' }).click();
    await page.getByTestId('wf-apply-name').fill('韩晓雪');
    await page.getByTestId('wf-apply-id').fill(makeIdNumber('330212', '2000-02-02', 882));
    await page.getByTestId('wf-apply-phone').fill('13757418802');
    await page.getByTestId('wf-apply-major').fill('社会工作');
    await page.getByTestId('wf-apply-add-cert').click();
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    await page.locator('input[type=file]').first().setInputFiles({ name: '社工师证书.png', mimeType: 'image/png', buffer: png });
    await page.getByText('社工师证书.png').waitFor();
    // Typed, then the field left with Tab (Enter would submit the form).
    await page.getByTestId('wf-apply-cert-date-0').click();
    await page.keyboard.type('2025-06-21');
    await page.keyboard.press('Tab');
    await shot(page, 'workforce-apply');
    await page.getByTestId('wf-apply-submit').click();
    await page.getByTestId('wf-apply-result').waitFor();
    const result = await page.getByTestId('wf-apply-result').innerText();
    expect(result).toContain('报名已提交');
    expect(result).toContain('社会工作师 加 3 分');
    await shot(page, 'workforce-apply-result');
    await page.close();

    const hr = await e.browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
    await login(hr, e.url, 'yinzhou');
    await hr.goto(`${e.url}/workforce/recruitment`);
    const ranking = hr.getByTestId('wf-rec-ranking');
    await ranking.getByText('韩晓雪').waitFor();
    expect(await ranking.innerText()).toContain('网上报名');
    const [scan] = await Promise.all([
      hr.waitForEvent('download'),
      ranking.getByRole('button', { name: /(^|\s)社工师证书\.png$/ }).click(),
    ]);
    expect(fs.readFileSync((await scan.path())!).equals(png)).toBe(true);
    const confirm = async () => {
      await hr.getByTestId('wf-rec-advance').click();
      await hr
        .locator('.ant-popconfirm')
        .getByRole('button', { name: /确\s*定|OK/ })
        .click();
    };
    await confirm(); // → screening: the rules run, reasons shown
    await ranking.getByText('资格通过').first().waitFor();
    await confirm(); // → written exam
    await hr.getByTestId('wf-rec-scores').waitFor();
    await hr.getByTestId('wf-score-韩晓雪').fill('78');
    await hr.getByTestId('wf-score-沈思远').fill('74');
    await hr.getByTestId('wf-rec-save-scores').click();
    await ranking.getByText('78').waitFor();
    await shot(hr, 'workforce-recruitment-board');

    // The archive page edits: an appraisal recorded from the web.
    await hr.goto(`${e.url}/workforce`);
    await hr.getByRole('link', { name: '陈丽华' }).click();
    await hr.getByTestId('wf-archive-actions').waitFor();
    await hr.getByTestId('wf-hr-post').click();
    await hr.getByTestId('wf-hr-post-reason').fill('换届后调整分工');
    await shot(hr, 'workforce-archive-actions');
    await hr
      .locator('.ant-modal')
      .getByRole('button', { name: /确\s*定|OK/ })
      .click();
    await hr.getByText('换届后调整分工').waitFor();

    // A health check done last year, recorded with its day: the year follows the date.
    await hr.getByTestId('wf-hr-care').click();
    const picker = hr.getByTestId('wf-hr-care-checked-on');
    await picker.waitFor();
    const lastYear = new Date().getFullYear() - 1;
    await picker.click();
    await picker.fill(`${lastYear}-06-15`);
    await picker.press('Enter');
    await hr
      .locator('.ant-modal')
      .getByRole('button', { name: /确\s*定|OK/ })
      .click();
    await hr.locator('.ant-modal').waitFor({ state: 'hidden' });
    const check = await e.db.ctx.db
      .selectFrom('worker_care as c')
      .innerJoin('worker as w', 'w.id', 'c.worker_id')
      .innerJoin('person as p', 'p.id', 'w.person_id')
      .select(['c.year', sql<string>`to_char(c.checked_on, 'YYYY-MM-DD')`.as('checked_on'), 'c.status'])
      .where('p.name', '=', '陈丽华')
      .where('c.kind', '=', 'health_check')
      .where('c.checked_on', '=', `${lastYear}-06-15`)
      .executeTakeFirst();
    expect(check).toEqual({ year: lastYear, checked_on: `${lastYear}-06-15`, status: 'done' });
    await hr.close();
  }, 300_000);
});
