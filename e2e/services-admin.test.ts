import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import fs from 'node:fs';
import { pickOption, shot, startE2E, type E2E } from './support.ts';
import { makeIdNumber } from '../server/modules/registry/id-number.ts';
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

  it('a community worker issues a certificate at the counter; an unlisted one is refused with the department; the register revokes', async () => {
    const desk = await e.browser.newPage(DESK);
    await login(desk, e.url, 'jiangcheng');
    await desk.goto(`${e.url}/services`);
    await desk.getByRole('tab', { name: '证明开具' }).click();
    const form = desk.getByTestId('cert-issue-form');
    // The one-window lookup: 刘淑珍 by her ID card number.
    await form
      .getByTestId('cert-lookup')
      .locator('input')
      .fill(makeIdNumber('330212', '1942-01-08', 946));
    await form.getByTestId('cert-lookup').locator('input').press('Enter');
    await form.getByTestId('cert-person').filter({ hasText: '刘淑珍' }).waitFor();
    await form.getByTestId('cert-purpose').fill('银行要求开具');

    // 亲属关系证明 is the police's or a notary's to certify: refused, with where to send her.
    const types = (await (await desk.request.get(`${e.url}/api/certificates/types`)).json()) as {
      items: { key: string; verifiedBy: string | null }[];
    };
    await pickOption(desk, 'cert-type', '亲属关系证明', '亲属');
    await form.getByTestId('cert-submit').click();
    const refusal = form.getByTestId('cert-refusal');
    await refusal.waitFor();
    expect(await refusal.innerText()).toContain('该证明事项不在本社区证明事项清单内');
    expect(await refusal.innerText()).toContain('亲属关系由户籍档案或公证证明');
    const department = types.items.find((x) => x.key === 'kinship')!.verifiedBy!;
    expect(department).toContain('公安派出所');
    expect(await form.getByTestId('cert-refusal-department').innerText()).toBe(department);
    await shot(desk, 'services-certificate-refused');
    // A name typed by hand is not on the list either.
    await pickOption(desk, 'cert-type', '其他（手动输入名称）', '其他');
    await form.getByTestId('cert-type-other').fill('独生子女证明');
    await form.getByTestId('cert-submit').click();
    await refusal.filter({ hasText: '该证明事项（独生子女证明）不在本社区证明事项清单内' }).waitFor();
    expect(await form.getByTestId('cert-refusal-department').count()).toBe(0);
    const refusedAudit = await e.db.ctx.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'certificate.issue')
      .where('place_code', '=', '330212014027')
      .execute();
    expect(refusedAudit.filter((a) => JSON.stringify(a.details).includes('refused'))).toHaveLength(2);

    // 居住证明 is on the list: its legal basis shows, and issuing gives a number and a PDF.
    await pickOption(desk, 'cert-type', '居住证明', '居住');
    expect(await form.getByTestId('cert-basis').innerText()).toContain('居住证暂行条例');
    await form.getByTestId('cert-purpose').fill('子女入学');
    await form.getByTestId('cert-submit').click();
    const issued = desk.getByTestId('cert-issued');
    await issued.waitFor();
    const number = (await issued.getByTestId('cert-issued-number').innerText()).replace(/^已出具\s*/, '');
    expect(number).toMatch(/^江城社区证〔\d{4}〕\d{4}号$/);
    const row = await e.db.ctx.db
      .selectFrom('certificate as c')
      .innerJoin('person as p', (j) => j.onRef('p.district_code', '=', 'c.district_code').onRef('p.id', '=', 'c.person_id'))
      .select(['c.type_key', 'c.purpose', 'c.verify_code', 'c.revoked_at', 'p.name'])
      .where('c.number', '=', number)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ type_key: 'residence', purpose: '子女入学', name: '刘淑珍', revoked_at: null });
    expect(await issued.getByTestId('cert-issued-code').innerText()).toContain(row.verify_code);
    const [download] = await Promise.all([desk.waitForEvent('download'), issued.getByTestId('cert-issued-pdf').click()]);
    expect(download.suggestedFilename()).toBe(`${number}.pdf`);
    const pdf = fs.readFileSync((await download.path())!);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await shot(desk, 'services-certificate-issue');

    // The register lists it first, the holder masked; revoking needs a reason.
    const line = desk.getByTestId(`issued-${number}`);
    await line.getByTestId('issued-state').filter({ hasText: '有效' }).waitFor();
    expect(await line.innerText()).toContain('刘*珍');
    expect(await desk.getByTestId('issued-list').innerText()).not.toContain('刘淑珍');
    await line.getByTestId('issued-revoke').click();
    const submit = desk.getByTestId('revoke-submit');
    await submit.waitFor();
    expect(await submit.isDisabled()).toBe(true);
    await desk.getByTestId('revoke-reason').fill('用途填写有误，已重新出具');
    await submit.click();
    await line.getByTestId('issued-state').filter({ hasText: '已作废' }).waitFor();
    expect(await line.innerText()).toContain('用途填写有误，已重新出具');
    const verified = (await (await desk.request.get(`${e.url}/api/certificates/verify/${row.verify_code}`)).json()) as { status: string };
    expect(verified.status).toBe('revoked');

    // The register as .xlsx: the same masked rows, the revoked one with its reason.
    const [sheet] = await Promise.all([desk.waitForEvent('download'), desk.getByTestId('issued-export').click()]);
    expect(sheet.suggestedFilename()).toMatch(/^证明出具登记-江城社区-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await sheet.path())!);
    const rows = (wb.worksheets[0].getSheetValues() as unknown[][]).slice(3).map((r) => r.slice(1).map((v) => String(v ?? '')));
    const mine = rows.find((r) => r[0] === number);
    expect(mine?.slice(2, 3)).toEqual(['刘*珍']);
    expect(mine?.slice(10)).toEqual(['已撤销', '用途填写有误，已重新出具']);
    expect(JSON.stringify(rows)).not.toContain('刘淑珍');

    // At phone width: the form stacks, and the register folds holder and date under the certificate.
    await desk.setViewportSize(PHONE.viewport);
    await issued.getByTestId('cert-again').click();
    await form.getByTestId('cert-lookup').locator('input').fill('13405746606');
    await form.getByTestId('cert-lookup').locator('input').press('Enter');
    await form.getByTestId('cert-person').filter({ hasText: '刘淑珍' }).waitFor();
    await pickOption(desk, 'cert-type', '居住证明', '居住');
    await form.getByTestId('cert-basis').waitFor();
    await form.getByTestId('cert-purpose').fill('申请公租房');
    await desk.locator('.ant-select-dropdown').waitFor({ state: 'hidden' });
    await shot(desk, 'services-certificate-issue-phone');
    await line.scrollIntoViewIfNeeded();
    expect(await line.innerText()).toContain('刘*珍');
    await shot(desk, 'services-certificate-register-phone');
  }, 180_000);

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
