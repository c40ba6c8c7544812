import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { sql } from 'kysely';
import { pickOption, shot, startE2E, type E2E } from './support.ts';
import { TEST_PASSWORD } from '../server/test/constants.ts';
import { personRow, tmpFile, writeCsv } from '../server/modules/registry/test-support/sheets.ts';
import { makeIdNumber } from '../server/modules/registry/id-number.ts';

async function login(page: Page, url: string, username: string) {
  await page.goto(url);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(TEST_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('logout').waitFor();
}

describe('browser: the base data registry', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  }, 120_000);
  afterAll(async () => e?.close());

  it('a community worker finds a person by pinyin initials, reveals the ID with a reason, opens the household and the building', async () => {
    const target = await e.db.ctx.db
      .selectFrom('person')
      .select(['id', 'name', 'name_initials', 'house_code'])
      .where('community_code', '=', '330212014027')
      .where('house_code', 'is not', null)
      .where(sql<boolean>`'独居' = any(tags)`)
      .orderBy('name_pinyin')
      .executeTakeFirstOrThrow();
    const page = await e.browser.newPage({ viewport: { width: 1366, height: 860 }, locale: 'zh-CN' });
    await login(page, e.url, 'jiangcheng');
    await page.getByTestId('nav-registry').click();
    await page.waitForURL(/\/registry$/);
    await page.getByTestId('people-table').locator('tr.ant-table-row').first().waitFor();
    await shot(page, 'registry-people');

    await page.getByTestId('people-search').fill(target.name_initials);
    const link = page.getByTestId(`person-${target.id}`);
    await link.waitFor();
    expect(await link.innerText()).toBe(target.name);
    await shot(page, 'registry-search-initials');
    await link.click();
    await page.waitForURL(new RegExp(`/registry/persons/${target.id}$`));
    const masked = await page.getByTestId('person-id-masked').innerText();
    expect(masked).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);

    await page.getByTestId('reveal-open').click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /查\s*看/ })
      .click();
    await page.getByText('请填写至少2个字的原因').waitFor();
    await page.getByTestId('reveal-reason').fill('入户走访核对身份');
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /查\s*看/ })
      .click();
    const revealed = await page.getByTestId('reveal-result').innerText();
    const full = /\d{17}[\dX]/.exec(revealed)?.[0];
    expect(full?.slice(0, 6)).toBe(masked.slice(0, 6));
    expect(full?.slice(14)).toBe(masked.slice(14));
    await shot(page, 'registry-reveal');
    const audit = await e.db.ctx.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'registry.person.reveal')
      .where('target_id', '=', target.id)
      .executeTakeFirst();
    expect(audit?.details).toMatchObject({ reason: '入户走访核对身份' });
    await page
      .getByRole('button', { name: /关\s*闭/ })
      .last()
      .click();

    await page.goto(`${e.url}/registry/houses/${target.house_code}`);
    await page.getByTestId('household').waitFor();
    expect(await page.getByTestId('household').innerText()).toContain(target.name);
    await shot(page, 'registry-household');

    await page.getByText('楼栋图').click();
    await page.getByTestId('building-diagram').waitFor();
    await page.getByTestId(`room-${target.house_code}`).waitFor();
    expect(await page.getByTestId(`room-${target.house_code}`).innerText()).toContain('独');
    await page.getByTestId('household').waitFor();
    await shot(page, 'registry-building');
    await page.close();
  });

  it('an import with bad rows shows its error report, then imports the good rows', async () => {
    const houses = await e.db.ctx.db
      .selectFrom('house')
      .select('code')
      .where('code', 'like', '330212014027%')
      .where('use', '=', 'vacant')
      .orderBy('code')
      .limit(2)
      .execute();
    const bad = personRow(901, '错校验');
    bad[1] = bad[1].slice(0, 17) + (bad[1][17] === '1' ? '2' : '1');
    const file = writeCsv(
      tmpFile('江城社区人口.csv'),
      [
        personRow(902, '柳如烟', houses[0].code, { relation: '业主', head: '户主' }),
        bad,
        personRow(902, '柳如烟重复'),
        personRow(903, '闻一多', houses[1].code, { relation: '租户' }),
        personRow(904, '房屋错', '330212014027999001010101'),
      ],
      'gbk',
    );
    const page = await e.browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    await login(page, e.url, 'jiangcheng');
    await page.goto(`${e.url}/registry/import`);
    await page.getByTestId('import-wizard').waitFor();
    expect(await page.getByTestId('import-community').inputValue()).toBe('330212014027');
    await page.locator('[data-testid="import-upload"] input[type=file], .ant-upload input[type=file]').first().setInputFiles(file);
    // Every header is the template's: the mapping step only asks to confirm.
    await page.getByTestId('import-mapping').waitFor();
    expect(await page.getByTestId('import-mapping').innerText()).toContain('列名已全部识别');
    await page.getByTestId('import-map-next').click();
    await page.getByTestId('import-summary').waitFor();
    expect(await page.getByTestId('import-summary').innerText()).toContain('共 5 行：2 行正确，3 行有错误');
    const problems = await page.getByTestId('import-problems').innerText();
    expect(problems).toContain('身份证号校验位错误');
    expect(problems).toContain('身份证号在文件中重复（与第2行相同）');
    expect(problems).toContain('房屋编码不存在或不属于本社区');
    await shot(page, 'registry-import-errors');
    await page.getByTestId('import-commit').click();
    await page.getByTestId('import-done').waitFor();
    expect(await page.getByTestId('import-done').innerText()).toContain('新增 2 人');
    await shot(page, 'registry-import-done');
    fs.rmSync(file, { force: true });

    // A file with its own headers: the user maps them column by column.
    await page.getByRole('button', { name: '再导入一个文件' }).click();
    const own = personRow(905, '欧阳修');
    const wrong = tmpFile('社区自制名单.csv');
    fs.writeFileSync(wrong, `居民姓名,手机,工作单位,公民身份证\n欧阳修,${own[2]},江城小学,${own[1]}\n`);
    await page.locator('.ant-upload input[type=file]').first().setInputFiles(wrong);
    await page.getByTestId('import-mapping').waitFor();
    const mapping = await page.getByTestId('import-mapping').innerText();
    expect(mapping).toContain('缺少的列：证件号码');
    expect(mapping).not.toContain(own[1]); // sample numbers are masked
    expect(await page.getByTestId('import-map-next').isDisabled()).toBe(true);
    await pickOption(page, 'import-map-1', '联系电话');
    await pickOption(page, 'import-map-3', '证件号码');
    expect(await page.getByTestId('import-map-next').isEnabled()).toBe(true);
    await page.keyboard.press('Escape');
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').waitFor({ state: 'hidden' });
    await shot(page, 'registry-import-mapping');
    await page.getByTestId('import-map-next').click();
    await page.getByTestId('import-summary').waitFor();
    expect(await page.getByTestId('import-summary').innerText()).toContain('共 1 行：1 行正确，0 行有错误');
    await page.getByTestId('import-commit').click();
    await page.getByTestId('import-done').waitFor();
    expect(await page.getByTestId('import-done').innerText()).toContain('新增 1 人');
    fs.rmSync(wrong, { force: true });

    // Units through the same wizard.
    await page.getByRole('button', { name: '再导入一个文件' }).click();
    await page.getByTestId('import-kind').getByText('单位').click();
    const units = writeCsv(
      tmpFile('江城社区单位.csv'),
      [
        ['江城e2e茶馆', '', '个体工商户', '13905748801', '3'],
        ['江城e2e书店', '', '企业', '0574-88776655', '6'],
      ],
      'utf8',
      ['单位名称', '统一社会信用代码', '单位类型', '联系电话', '从业人数'],
    );
    await page.locator('.ant-upload input[type=file]').first().setInputFiles(units);
    await page.getByTestId('import-map-next').click();
    await page.getByTestId('import-summary').waitFor();
    await page.getByTestId('import-commit').click();
    await page.getByTestId('import-done').waitFor();
    expect(await page.getByTestId('import-done').innerText()).toContain('新增 2 个单位');
    await shot(page, 'registry-import-units');
    fs.rmSync(units, { force: true });
    await page.close();
  });

  it('a community worker registers a person through the form, is told in Chinese what is wrong, then edits them and sees the history', async () => {
    const house = await e.db.ctx.db
      .selectFrom('house')
      .select('code')
      .where('code', 'like', '330212014027%')
      .where('use', '=', 'vacant')
      .orderBy('code', 'desc')
      .executeTakeFirstOrThrow();
    const idNumber = makeIdNumber('330212', '1986-04-23', 917);
    const badChecksum = idNumber.slice(0, 17) + (idNumber[17] === '1' ? '2' : '1');
    const page = await e.browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    await login(page, e.url, 'jiangcheng');
    await page.goto(`${e.url}/registry`);
    await page.getByTestId('person-new').click();
    const dialog = page.getByRole('dialog');
    // Empty and malformed input is caught by the form itself…
    await page.getByTestId('person-form-submit').click();
    await dialog.getByText('请填写24位房屋编码或12位社区编码').waitFor();
    await dialog.getByText('请填写姓名（最多40个字）').waitFor();
    await page.getByTestId('person-form-place').fill(house.code);
    await page.getByTestId('person-form-name').fill('司马青衫');
    await page.getByTestId('person-form-id').fill(idNumber.slice(0, 17));
    await page.getByTestId('person-form-submit').click();
    await dialog.getByText('居民身份证号应为18位（最后一位可为X）').waitFor();
    // …the checksum by the server, whose reason appears under the field.
    await page.getByTestId('person-form-id').fill(badChecksum);
    await page.getByTestId('person-form-phone').fill('1390000');
    await page.getByTestId('person-form-submit').click();
    await dialog.getByText('联系电话格式不正确（手机号11位，固话需带区号）').waitFor();
    await page.getByTestId('person-form-phone').fill('13905741234');
    await page.getByTestId('person-form-submit').click();
    await dialog.getByText('身份证号校验位错误').waitFor();
    await shot(page, 'registry-person-form-errors');
    expect(await e.db.ctx.db.selectFrom('person').select('id').where('name', '=', '司马青衫').executeTakeFirst()).toBeUndefined();

    await page.getByTestId('person-form-id').fill(idNumber);
    await page.getByTestId('person-form-submit').click();
    await page.waitForURL(/\/registry\/persons\/[0-9a-f-]{36}$/);
    expect(await page.getByTestId('person-name').innerText()).toBe('司马青衫');
    expect(await page.getByTestId('person-id-masked').innerText()).toBe(`${idNumber.slice(0, 6)}********${idNumber.slice(14)}`);
    const created = await e.db.ctx.db
      .selectFrom('person')
      .select(['id', 'house_code', 'gender', 'version'])
      .where('name', '=', '司马青衫')
      .executeTakeFirstOrThrow();
    expect(created).toMatchObject({ house_code: house.code, gender: 'M', version: 1 });

    // Edit: a new household registration place and a tag; the history shows who changed what.
    await page.getByTestId('person-edit').click();
    await page.getByRole('dialog').getByLabel('户籍地').fill('浙江省宁波市鄞州区');
    await pickOption(page, 'person-form-tags', '党员');
    await page.getByRole('dialog').locator('.ant-modal-title').click();
    await page.getByTestId('person-form-submit').click();
    await page.getByTestId('person-history').getByText('修改').waitFor();
    const history = await page.getByTestId('person-history').innerText();
    expect(history).toContain('jiangcheng');
    expect(history).toContain('浙江省宁波市鄞州区');
    expect(history).toContain('党员');
    const edited = await e.db.ctx.db
      .selectFrom('person')
      .select(['household_place', 'tags', 'version'])
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(edited).toMatchObject({ household_place: '浙江省宁波市鄞州区', tags: ['党员'], version: 2 });
    await shot(page, 'registry-person-edited');
    await page.close();
  });

  it('a community worker edits a unit through its form and sees its history; a bad credit code is refused in Chinese', async () => {
    const unit = await e.db.ctx.db
      .selectFrom('org_unit')
      .select(['id', 'name', 'credit_code'])
      .where('community_code', '=', '330212014027')
      .orderBy('name')
      .executeTakeFirstOrThrow();
    const page = await e.browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    await login(page, e.url, 'jiangcheng');
    await page.goto(`${e.url}/registry/units`);
    await page.getByTestId(`unit-edit-${unit.id}`).click();
    await page.getByTestId('unit-form-credit').fill('91330212MA2AB1234');
    await page.getByTestId('unit-form-submit').click();
    await page.getByRole('dialog').getByText('统一社会信用代码应为18位数字或大写字母').waitFor();
    await page.getByTestId('unit-form-credit').fill(unit.credit_code ?? '');
    await page.getByRole('dialog').getByLabel('从业人数').fill('17');
    await page.getByTestId('unit-form-submit').click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    expect(
      await e.db.ctx.db.selectFrom('org_unit').select(['employees', 'credit_code']).where('id', '=', unit.id).executeTakeFirstOrThrow(),
    ).toEqual({
      employees: 17,
      credit_code: unit.credit_code,
    });
    await page.getByTestId(`unit-edit-${unit.id}`).click();
    await page.getByTestId('unit-history').getByText('修改').waitFor();
    expect(await page.getByTestId('unit-history').innerText()).toContain('jiangcheng');
    await shot(page, 'registry-unit-edit');
    await page.close();
  });

  it('works at phone width', async () => {
    const page = await e.browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true });
    await login(page, e.url, 'grid-jc-001');
    await page.goto(`${e.url}/registry`);
    await page.getByTestId('people-table').locator('tr.ant-table-row').first().waitFor();
    await shot(page, 'registry-phone');
    await page.close();
  });
});
