import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { numberInput, pickOption, setNumber, shot, signedInPage, startE2E, type E2E } from './support.ts';
import { todayInShanghai } from '../server/modules/registry/person-rules.ts';

const okButton = (page: Page) => page.locator('.ant-modal').getByRole('button', { name: /确\s*定|OK/ });
const money = (s: string) => Number(s.replace(/,/g, ''));
const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

describe('browser: training forms, the duty gate, the pay scheme editor and grid scores', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  }, 120_000);
  afterAll(async () => e?.close());

  it('a newcomer is refused duty until onboarding is recorded from the training page; mentors and compliance', async () => {
    const page = await signedInPage(e, 'yinzhou');
    const today = todayInShanghai();
    const dutyDay = addDays(today, 7);
    await page.goto(`${e.url}/workforce/rota`);
    await page.getByTestId('wf-rota').waitFor();
    const tryDuty = async () => {
      await pickOption(page, 'wf-duty-worker', '吴思远');
      await page.getByTestId('wf-duty-day').fill(dutyDay);
      await page.getByTestId('wf-duty-assign').click();
      return page.getByTestId('wf-duty-result');
    };
    const refused = await tryDuty();
    await refused.waitFor();
    expect(await refused.innerText()).toContain('未完成岗前培训，不能安排上岗值班');
    expect(await refused.innerText()).toContain('吴思远 尚未参加岗前培训');
    await shot(page, 'workforce-rota-refused');

    await page.getByTestId('wf-tab-training').click();
    await page.getByTestId('wf-tr-programmes').waitFor();
    await page.getByTestId('wf-tr-new-programme').click();
    await page.getByTestId('wf-tr-programme-name').fill('2026年第三期岗前培训');
    await okButton(page).click();
    // Under load the first click can land while the dialog is still animating in: click again
    // while the dialog is open and the new programme is not listed yet (flaked once in a full run).
    const addSession = page.getByTestId('wf-tr-add-session-2026年第三期岗前培训');
    await expect
      .poll(
        async () => {
          if (await addSession.isVisible()) return true;
          if (await okButton(page).isVisible())
            await okButton(page)
              .click({ timeout: 2_000 })
              .catch(() => undefined);
          return false;
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    await addSession.click();
    await page.getByTestId('wf-tr-session-title').fill('岗前集中培训（第三期）');
    await setNumber(page, 'wf-tr-session-days', '3');
    await setNumber(page, 'wf-tr-session-hours', '24');
    await okButton(page).click();
    const row = page.locator('tr', { hasText: '2026年第三期岗前培训' });
    await row.getByText('3', { exact: true }).first().waitFor(); // 3 days credited
    await row.locator('.ant-table-row-expand-icon').click();
    await page.getByTestId('wf-tr-attend-岗前集中培训（第三期）').click();
    await pickOption(page, 'wf-tr-attendees', '吴思远');
    await page.locator('.ant-modal-title').click(); // close the dropdown
    await okButton(page).click();
    await page.getByText('已登记 1 人出勤').waitFor();

    await page.getByTestId('wf-tr-new-mentor').click();
    await pickOption(page, 'wf-tr-mentor', '陈丽华');
    await pickOption(page, 'wf-tr-mentee', '吴思远');
    await okButton(page).click();
    await page.getByTestId('wf-tr-mentors').getByText('吴思远').waitFor();
    const [pairs] = await Promise.all([page.waitForEvent('download'), page.getByTestId('wf-tr-mentors-export').click()]);
    expect(pairs.suggestedFilename()).toBe('导师帮带.xlsx');
    const pairsWb = new ExcelJS.Workbook();
    await pairsWb.xlsx.load(fs.readFileSync((await pairs.path())!) as unknown as ArrayBuffer);
    expect((pairsWb.worksheets[0].getRow(2).values as unknown[]).slice(1)).toEqual(['导师', '学员', '学员所在社区', '结对日期']);
    expect(pairsWb.worksheets[0].getColumn(2).values).toContain('吴思远');

    const compliance = page.getByTestId('wf-tr-compliance');
    await compliance.getByText('胡志强').waitFor();
    await shot(page, 'workforce-training');
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('wf-tr-export').click()]);
    expect(xlsx.suggestedFilename()).toMatch(/^培训未达标-\d{4}\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(fs.readFileSync((await xlsx.path())!) as unknown as ArrayBuffer);
    const names = wb.worksheets[0].getColumn(2).values.map(String);
    expect(names).toContain('胡志强');

    // Onboarded today: the same duty a week on is now accepted.
    await page.getByTestId('wf-tab-rota').click();
    const ok = await tryDuty();
    await ok.getByText(`已安排 吴思远 于 ${dutyDay}`).waitFor();
    const month = await page.locator('input[type=month]').inputValue();
    const [rota] = await Promise.all([page.waitForEvent('download'), page.getByTestId('wf-rota-export').click()]);
    expect(rota.suggestedFilename()).toBe(`值班表-江城社区-${month}.xlsx`);
    const rotaWb = new ExcelJS.Workbook();
    await rotaWb.xlsx.load(fs.readFileSync((await rota.path())!) as unknown as ArrayBuffer);
    expect((rotaWb.worksheets[0].getRow(2).values as unknown[]).slice(1)).toEqual(['日期', '星期', '班次', '值班人']);
    const days = rotaWb.worksheets[0].getColumn(1).values.slice(3);
    expect(days.length).toBeGreaterThan(0);
    expect(days.every((d) => String(d).startsWith(month))).toBe(true);
    await page.close();
  });

  it('the district edits 三岗十八级 as a form, previews the draft beside it and saves a version; 四级六档 refuses a subsidy above 2000 at its cell', async () => {
    const page = await signedInPage(e, 'yinzhou');
    await page.goto(`${e.url}/workforce/pay`);
    await page.getByTestId('wf-scheme-editor').waitFor();
    await pickOption(page, 'wf-pay-worker', '张蕾');
    await page.getByTestId('wf-pay-compute').click();
    await page.getByTestId('wf-pay-total').waitFor();
    const stored = money(await page.getByTestId('wf-pay-total').innerText());
    expect(await page.getByTestId('wf-pay-preview').innerText()).toContain('持助理社会工作师证书');

    // +50 yuan for 助理社会工作师: the draft preview moves by exactly that.
    const qual = await numberInput(page, 'wf-rule-qualificationFen.assistant_social_worker');
    expect(await qual.inputValue()).toBe('100');
    await setNumber(page, 'wf-rule-qualificationFen.assistant_social_worker', '150');
    await page.getByTestId('wf-pay-draft').click();
    await page.getByText('按编辑中的规则', { exact: true }).waitFor();
    await expect.poll(async () => money(await page.getByTestId('wf-pay-total').innerText())).toBe(stored + 50);

    // A wrong value is refused by the server and marked at its field.
    await setNumber(page, 'wf-rule-yearsPerGrade', '0');
    await page.getByTestId('wf-scheme-save').click();
    await page.getByTestId('wf-rule-error-yearsPerGrade').waitFor();
    expect(await page.getByTestId('wf-rule-error-yearsPerGrade').innerText()).toContain('1');
    await setNumber(page, 'wf-rule-yearsPerGrade', '3');
    await page.getByTestId('wf-scheme-save').click();
    await page.getByTestId('wf-scheme-versions').getByText('2', { exact: true }).waitFor();
    await shot(page, 'workforce-pay-editor');
    await page.close();

    const wuhua = await signedInPage(e, 'wuhua');
    await wuhua.goto(`${e.url}/workforce/pay`);
    await wuhua.getByTestId('wf-rule-grade-table').waitFor();
    expect(await wuhua.getByTestId('wf-rule-grade-table').innerText()).toContain('第6档');
    await setNumber(wuhua, 'wf-rule-subsidyFen.staff.0', '2500');
    await wuhua.getByTestId('wf-scheme-save').click();
    const err = wuhua.getByTestId('wf-rule-error-subsidyFen.staff.0');
    await err.waitFor();
    expect(await err.innerText()).toBe('职级补贴须在每月 400–2000 元之间');
    expect(await wuhua.getByTestId('wf-scheme-problem').innerText()).toContain('不符合规则');
    await err.scrollIntoViewIfNeeded();
    await shot(wuhua, 'workforce-pay-editor-error');
    await wuhua.close();
  }, 180_000);

  it('a grid worker logs a visit; the district sees it in the monthly grid score with its parts', async () => {
    const grid = await signedInPage(e, 'grid-jc-001', 1100);
    await grid.goto(`${e.url}/workforce/visits`);
    await grid.getByTestId('wf-visit-place').fill('江城花园3幢1单元502');
    await grid.getByTestId('wf-visit-note').fill('独居老人，血压正常');
    await grid.getByTestId('wf-visit-submit').click();
    await grid.getByTestId('wf-visit-list').getByText('江城花园3幢1单元502').waitFor();
    await shot(grid, 'workforce-visits');
    await grid.close();

    const page = await signedInPage(e, 'yinzhou');
    await page.goto(`${e.url}/workforce/grid`);
    await page.getByTestId('wf-grid-compute').click();
    await page.getByTestId('wf-grid-score-王建国').waitFor();
    const row = page.locator('tr', { hasText: '王建国' });
    await row.getByText('走访 1 次').waitFor();
    const before = Number(await page.getByTestId('wf-grid-score-王建国').innerText());
    await row.locator('.ant-table-row-expand-icon').click();
    await page.getByTestId('wf-visit-place').fill('江城农贸市场');
    await page.getByTestId('wf-visit-submit').click();
    await page.getByTestId('wf-visit-list').getByText('江城农贸市场').waitFor();
    await page.getByTestId('wf-grid-compute').click();
    await row.getByText('走访 2 次').waitFor();
    expect(Number(await page.getByTestId('wf-grid-score-王建国').innerText())).toBeGreaterThan(before);
    for (const part of ['发现上报', '入户走访', '按时办结', '群众满意'])
      expect(await page.getByTestId('wf-grid-scores').innerText()).toContain(part);
    await shot(page, 'workforce-grid-scores');
    const [scores] = await Promise.all([page.waitForEvent('download'), page.getByTestId('wf-grid-export').click()]);
    expect(scores.suggestedFilename()).toMatch(/^网格考评-\d{4}-\d{2}\.xlsx$/);
    const scoresWb = new ExcelJS.Workbook();
    await scoresWb.xlsx.load(fs.readFileSync((await scores.path())!) as unknown as ArrayBuffer);
    expect((scoresWb.worksheets[0].getRow(2).values as unknown[]).slice(1, 4)).toEqual(['社区', '姓名', '考评分']);
    expect(scoresWb.worksheets[0].getColumn(2).values).toContain('王建国');
    await page.close();
  }, 120_000);
});
