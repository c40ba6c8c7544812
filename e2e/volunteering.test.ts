import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { numberInput, setNumber, shot, startE2E, type E2E } from './support.ts';
import { TEST_PASSWORD } from '../server/test/constants.ts';
import { hashPassword } from '../server/core/passwords.ts';

async function login(page: Page, url: string, username: string) {
  await page.goto(url);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(TEST_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('logout').waitFor();
}

const PHONE = { viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true };
const DESK = { viewport: { width: 1366, height: 860 }, locale: 'zh-CN' };
const PROJECT = '甬江沿岸环境清洁志愿行动';

// Several pages and logins per test: on the shared, loaded machine one test took 45 s of the default 60.
describe(
  'browser: volunteers, pairs, projects, party posts, home-visit calendar, catalogue, certificate check',
  { timeout: 120_000 },
  () => {
    let e: E2E;
    beforeAll(async () => {
      e = await startE2E();
      // jc-party (李建华) is a demo account. A party-member login for 陈志强, a resident of 江城社区 not yet
      // registered as a party member there: the 双报到 test registers him.
      const db = e.db.ctx.db;
      const u = await db
        .insertInto('app_user')
        .values({ username: 'jc-chen', display_name: '党员 陈志强', password_hash: await hashPassword(TEST_PASSWORD) })
        .returning('id')
        .executeTakeFirstOrThrow();
      const path = (await sql<{ p: string }>`select path::text as p from division where code = '330212014027'`.execute(db)).rows[0].p;
      await db
        .insertInto('role_binding')
        .values({ user_id: u.id, role: 'party_member', scope_type: 'territory', scope_code: '330212014027', scope_path: path })
        .execute();
      await db.updateTable('person').set({ user_id: u.id }).where('name', '=', '陈志强').where('district_code', '=', '330212').execute();
    }, 120_000);
    afterAll(async () => e?.close());

    it('the worker sees volunteers and hours, the overdue pair warning, logs a visit, and shows the venue QR', async () => {
      const desk = await e.browser.newPage(DESK);
      await login(desk, e.url, 'jiangcheng');
      await desk.getByTestId('nav-volunteering').click();
      const list = desk.getByTestId('volunteer-list');
      await list.getByText('赵小宇').waitFor();
      await shot(desk, 'volunteering-volunteers');

      await desk.getByRole('tab', { name: '一帮一结对' }).click();
      await desk.getByTestId('pairs-overdue').waitFor();
      const overdue = desk.locator('[data-testid^="pair-"]').filter({ has: desk.getByTestId('pair-warning') });
      expect(await overdue.count()).toBe(1);
      const name = (await overdue.getAttribute('data-testid'))!.slice('pair-'.length);
      expect(await desk.getByTestId(`pair-${name}`).getByTestId('pair-warning').innerText()).toBe('超过30天未走访');
      await shot(desk, 'volunteering-pairs-warning');
      const card = desk.getByTestId(`pair-${name}`);
      await card.getByTestId('pair-log').click();
      await card.getByTestId('visit-note').fill('上门走访，了解康复情况，送去轮椅坐垫');
      await card.getByTestId('visit-submit').click();
      await card.getByText('近期已走访').waitFor();
      expect(await card.getByTestId('pair-warning').count()).toBe(0);
      expect(await desk.getByTestId('pairs-overdue').count()).toBe(0);

      await desk.getByRole('tab', { name: '志愿项目' }).click();
      const project = desk.getByTestId(`project-${PROJECT}`);
      await project.getByTestId('project-qr').locator('canvas, svg').first().waitFor();
      await shot(desk, 'volunteering-project-qr');
    });

    it('a volunteer signs up on a phone, checks in and out through the QR link; the organiser confirms the hours', async () => {
      const desk = await e.browser.newPage(DESK);
      await login(desk, e.url, 'jiangcheng');
      const projects = (await (await desk.request.get(`${e.url}/api/volunteer-projects`)).json()) as {
        items: { id: string; title: string; checkinCode: string }[];
      };
      const p = projects.items.find((x) => x.title === PROJECT)!;
      const hours = async () =>
        ((await (await desk.request.get(`${e.url}/api/volunteers`)).json()) as { items: { name: string; hours: number }[] }).items.find(
          (v) => v.name === '赵小宇',
        )!.hours;
      const before = await hours();

      const phone = await e.browser.newPage(PHONE);
      await login(phone, e.url, 'jc-volunteer');
      await phone.goto(`${e.url}/volunteering`);
      await phone.getByRole('tab', { name: '志愿项目' }).click();
      const card = phone.getByTestId(`project-${PROJECT}`);
      await card.getByTestId('project-signup').click();
      await card.getByTestId('project-slots').filter({ hasText: '已报名 1/20' }).waitFor();
      expect(await card.getByTestId('project-qr').count()).toBe(0); // the code is the organiser's
      await shot(phone, 'volunteering-projects-phone');

      await phone.goto(`${e.url}/volunteering/checkin/${p.id}?code=${p.checkinCode}`);
      await phone.getByTestId('checkin-in').click();
      await phone.getByTestId('checkin-done').filter({ hasText: '签到成功' }).waitFor();
      await shot(phone, 'volunteering-checkin-phone');
      // A wrong code (not scanned at the venue) is refused with the reason.
      await phone.goto(`${e.url}/volunteering/checkin/${p.id}?code=WRONG1`);
      await phone.getByTestId('checkin-out').click();
      await phone.getByText('签到码不正确').waitFor();
      await phone.goto(`${e.url}/volunteering/checkin/${p.id}?code=${p.checkinCode}`);
      await phone.getByTestId('checkin-out').click();
      await phone.getByTestId('checkin-done').filter({ hasText: '签退成功' }).waitFor();

      await desk.goto(`${e.url}/volunteering`);
      await desk.getByRole('tab', { name: '志愿项目' }).click();
      await desk.getByTestId(`project-${PROJECT}`).getByTestId('project-confirm').click();
      // The project starts in three days: time on site before its start is not credited (creditedHours clips).
      await desk.getByText('已确认 1 人，共 0 小时，积分已发放').waitFor();
      expect(await hours()).toBe(before);
    });

    it('a party member claims a post with a plan on a phone and logs the work', async () => {
      const phone = await e.browser.newPage(PHONE);
      await login(phone, e.url, 'jc-party');
      await phone.goto(`${e.url}/volunteering`);
      await phone.getByRole('tab', { name: '党员认岗' }).click();
      const post = phone
        .locator('[data-testid^="post-"]')
        .filter({ has: phone.getByTestId('post-claim') })
        .first();
      const id = (await post.getAttribute('data-testid'))!;
      const card = phone.getByTestId(id);
      await card.getByTestId('post-plan-input').fill('每周走访楼道住户一次，每月组织一次楼道议事');
      await card.getByTestId('post-claim').click();
      await card.getByTestId('post-state').filter({ hasText: '李建华 已认领' }).waitFor();
      await card.getByTestId('post-plan').filter({ hasText: '每周走访楼道住户一次' }).waitFor();
      await card.getByTestId('post-log-input').fill('走访1幢12户，收集楼道照明问题2条');
      await card.getByTestId('post-log').click();
      await card.getByText('工作记录 1 条').waitFor();
      await shot(phone, 'volunteering-party-post-phone');
    });

    it('双报到: the worker registers 陈志强 as an in-service party member; on his phone the order board then fills', async () => {
      const phone = await e.browser.newPage(PHONE);
      await login(phone, e.url, 'jc-chen');
      await phone.goto(`${e.url}/orders`);
      // Not yet registered with the community: nothing to take.
      await phone.getByText('暂无工单').waitFor();
      expect(await phone.getByTestId('order-take').count()).toBe(0);

      const desk = await e.browser.newPage(DESK);
      await login(desk, e.url, 'jiangcheng');
      await desk.goto(`${e.url}/volunteering`);
      await desk.getByRole('tab', { name: '党员双报到' }).click();
      const list = desk.getByTestId('party-list');
      await list.getByTestId('party-孙卫国').getByText('在职党员（双报到）').waitFor();
      await list.getByTestId('party-李建华').getByText('自管党员').waitFor();
      const form = desk.getByTestId('party-register');
      await form.getByTestId('party-person').click();
      await desk.keyboard.type('陈志强');
      await desk.locator('.ant-select-item-option').filter({ hasText: '陈志强' }).first().click();
      await form.getByTestId('party-org').click();
      await desk.keyboard.type('大党委');
      await desk.getByTitle('江城社区大党委').click();
      await form.getByTestId('party-workplace').fill('鄞州区教育局');
      await form.getByTestId('party-submit').click();
      await desk.getByText('陈志强 已到社区报到，可在接单大厅接单').waitFor();
      const row = list.getByTestId('party-陈志强');
      await row.getByText('江城社区大党委').waitFor();
      expect(await row.innerText()).toContain('鄞州区教育局');
      expect(await row.innerText()).toContain('已开通');
      await desk.getByTestId('party-summary').filter({ hasText: '其中在职党员报到 2 名' }).waitFor();
      await shot(desk, 'volunteering-party-members');

      await phone.reload();
      const board = phone.getByTestId('order-board');
      await board.getByTestId('order-take').first().waitFor();
      const card = board
        .locator('[data-testid^="order-"]')
        .filter({ has: phone.getByTestId('order-take') })
        .first();
      const title = (await card.getAttribute('data-testid'))!;
      await card.getByTestId('order-take').click();
      await phone.getByTestId(title).getByTestId('order-state').filter({ hasText: '已接单' }).waitFor();
      await shot(phone, 'volunteering-party-board-phone');
      await desk.reload();
      await desk.getByRole('tab', { name: '党员双报到' }).click();
      await list.getByTestId('party-陈志强').locator('td').nth(5).filter({ hasText: '1' }).waitFor();
    });

    it('积分管理: the worker changes a rule, stocks and shelves a shop item, awards points and checks the ledger', async () => {
      const desk = await e.browser.newPage(DESK);
      await login(desk, e.url, 'jiangcheng');
      await desk.goto(`${e.url}/volunteering`);
      await desk.getByRole('tab', { name: '积分管理' }).click();
      const admin = desk.getByTestId('points-admin');
      await admin.getByText('江城社区的积分').waitFor();
      // The rule in force is shown, then changed; the next award counts by the new one.
      const participation = await numberInput(desk, 'points-rule-participation');
      await expect.poll(() => participation.inputValue()).toBe('2');
      await setNumber(desk, 'points-rule-participation', '3');
      await desk.getByTestId('points-rules-save').click();
      await desk.getByText('积分规则已保存').waitFor();
      const rule = await e.db.ctx.db
        .selectFrom('points_rule')
        .select('points')
        .where('community_code', '=', '330212014027')
        .where('reason', '=', 'participation')
        .executeTakeFirstOrThrow();
      expect(rule.points).toBe(3);

      // A new item, sold out at first, restocked, then taken off the shelf: residents no longer see it.
      await desk.getByTestId('shop-add-name').fill('环保布袋');
      await setNumber(desk, 'shop-add-cost', '6');
      await setNumber(desk, 'shop-add-stock', '0');
      await desk.getByTestId('shop-add-submit').click();
      const item = desk.getByTestId('shop-环保布袋');
      await item.waitFor();
      const row = desk.getByTestId('shop-list').locator('tr').filter({ has: item });
      await row.getByText('已兑完').waitFor();
      await item.locator('input').first().fill('40');
      await item.getByTestId('shop-restock').click();
      await row.locator('td').nth(2).filter({ hasText: '40' }).waitFor();
      await item.getByTestId('shop-toggle').click();
      await row.getByText('已下架').waitFor();

      // Participation points for a resident, by the new rule: 2 times × 3.
      await desk.getByTestId('award-person').click();
      await desk.keyboard.type('刘淑珍');
      await desk.locator('.ant-select-item-option').filter({ hasText: '刘淑珍' }).first().click();
      await desk.getByTestId('award-activity').fill('楼道清洁');
      await setNumber(desk, 'award-times', '2');
      await desk.getByTestId('award-submit').click();
      await desk.getByText(/已为刘淑珍记入 6 分/).waitFor();

      await desk.getByTestId('ledger-verify').click();
      await desk.getByTestId('ledger-result').filter({ hasText: '账本完整' }).waitFor();
      await shot(desk, 'volunteering-points-admin');

      const phone = await e.browser.newPage(PHONE);
      await login(phone, e.url, 'jc-resident');
      await phone.goto(`${e.url}/orders`);
      await phone.getByRole('tab', { name: '我的积分' }).click();
      await phone.getByTestId('points-balance').waitFor();
      expect(await phone.getByText('环保布袋').count()).toBe(0);
      await item.getByTestId('shop-toggle').click();
      await row.getByText('上架中').waitFor();
      await phone.reload();
      await phone.getByRole('tab', { name: '我的积分' }).click();
      await phone.getByText('环保布袋').first().waitFor();
    });

    it('anyone checks a certificate by its code without signing in; no personal data is shown', async () => {
      const c = await e.db.ctx.db
        .selectFrom('certificate as c')
        .innerJoin('person as p', (j) => j.onRef('p.district_code', '=', 'c.district_code').onRef('p.id', '=', 'c.person_id'))
        .select(['c.verify_code', 'c.number', 'p.name'])
        .executeTakeFirstOrThrow();
      const phone = await e.browser.newPage(PHONE);
      await phone.goto(`${e.url}/verify/${c.verify_code}`);
      const result = phone.getByTestId('verify-result');
      await result.getByText('真实有效').waitFor();
      const text = await result.innerText();
      expect(text).toContain(c.number);
      expect(text).toContain('江城社区');
      expect(text).not.toContain(c.name);
      expect(await phone.getByTestId('logout').count()).toBe(0);
      await shot(phone, 'certificate-verify-phone');

      await phone.getByTestId('verify-input').locator('input').fill('ZZZZ9999');
      await phone.getByTestId('verify-input').locator('input').press('Enter');
      await phone.getByTestId('verify-result').getByText('查无此证明').waitFor();
    });

    it("the worker keeps a home-visit calendar: next week's demo slots, one booked; opening a new slot", async () => {
      const desk = await e.browser.newPage(DESK);
      await login(desk, e.url, 'jiangcheng');
      await desk.goto(`${e.url}/services`);
      await desk.getByRole('tab', { name: '预约上门' }).click();
      await desk.getByTestId('slots-next').click();
      const cal = desk.getByTestId('slots-calendar');
      await cal.getByText('已预约').first().waitFor();
      expect(await cal.getByText('可预约').count()).toBe(5);
      const monday = (await desk.getByTestId('slots-week').innerText()).slice(0, 10);
      const thursday = new Date(Date.parse(`${monday}T12:00:00+08:00`) + 3 * 86_400_000).toISOString().slice(0, 10);
      await desk.getByTestId('slots-day').click();
      await desk.keyboard.type(thursday);
      await desk.keyboard.press('Enter');
      await desk.getByTestId('slots-times').click();
      await desk.getByText('15:00（1小时）').click();
      await desk.keyboard.press('Escape');
      await desk.getByTestId('slots-open').click();
      await desk.getByText('已开放 1 个时段').waitFor();
      await cal.getByTestId(`slot-${thursday.slice(5)}-15:00`).waitFor();
      expect(await cal.getByText('可预约').count()).toBe(6);
      await shot(desk, 'services-home-visit-calendar');
    });

    it('the district configures its catalogue: 5 categories and 36 items; an item withdrawn from one community', async () => {
      const desk = await e.browser.newPage(DESK);
      await login(desk, e.url, 'yinzhou');
      await desk.goto(`${e.url}/services`);
      await desk.getByRole('tab', { name: '事项管理' }).click();
      const admin = desk.getByTestId('catalogue-admin');
      await admin.getByText('服务事项清单：5 类 36 项').waitFor();
      // Long lists are virtual: type to filter, then pick.
      await desk.getByTestId('catalogue-street').click();
      await desk.keyboard.type('福明');
      await desk.getByTitle('福明街道').click();
      await desk.getByTestId('catalogue-community').click();
      await desk.keyboard.type('江城');
      await desk.getByTitle('江城社区').click();
      const sw = admin.locator('[data-testid^="publish-"][aria-checked="true"]').first();
      const item = (await sw.getAttribute('data-testid'))!.slice('publish-'.length);
      await admin.getByTestId(`publish-${item}`).click();
      await admin.locator(`[data-testid="publish-${item}"][aria-checked="false"]`).waitFor();
      const cat = (await (await desk.request.get(`${e.url}/api/services/districts/330212/catalogue`)).json()) as {
        categories: { items: { name: string; communities: string[] }[] }[];
      };
      const after = cat.categories.flatMap((c) => c.items).find((i) => i.name === item)!;
      expect(after.communities).not.toContain('330212014027');
      await shot(desk, 'services-catalogue-admin');
    });
  },
);
