import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { pickOption, shot, startE2E, type E2E } from './support.ts';
import { TEST_PASSWORD } from '../server/test/constants.ts';

async function login(page: Page, url: string, username: string) {
  await page.goto(`${url}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(TEST_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('logout').waitFor();
}

const phone = (b: Browser) => b.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true });
const desk = (b: Browser) => b.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });

async function noWiderThan(page: Page, width: number) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width + 1);
}

describe('browser: residents decide together', () => {
  let e: E2E;
  let topicUrl = '';
  let liftVoteId = '';
  beforeAll(async () => {
    e = await startE2E();
    const v = await e.db.ctx.db
      .selectFrom('delib_vote')
      .select('id')
      .where('place_code', '=', '330212014027001003')
      .where('status', '=', 'open')
      .executeTakeFirstOrThrow();
    liftVoteId = v.id;
  }, 120_000);
  afterAll(async () => e?.close());

  it('a resident raises a topic on a phone', async () => {
    const page = await phone(e.browser);
    await login(page, e.url, 'jc-resident');
    await page.goto(`${e.url}/topics`);
    await page.getByTestId('topic-raise').waitFor();
    await page.locator('[data-testid^="support-"]').first().waitFor();
    await noWiderThan(page, 390);
    await shot(page, 'deliberation-topics-phone');
    await page.getByTestId('topic-raise').click();
    await page.getByTestId('topic-title').fill('江城花园3幢门口路灯太暗');
    await page.getByTestId('topic-body').fill('3幢门口的路灯晚上很暗，老人进出容易摔倒，希望换成亮一点的灯。');
    await page.waitForTimeout(600); // the drawer's slide-in animation
    await shot(page, 'deliberation-raise-phone');
    await page.getByTestId('topic-submit').click();
    await page.waitForURL(/\/topics\/[0-9a-f-]{36}$/);
    topicUrl = page.url().replace(e.url, '');
    await page.getByTestId('topic-status').filter({ hasText: '待处理' }).waitFor();
    await noWiderThan(page, 390);
    await shot(page, 'deliberation-topic-phone');
    await page.close();
  }, 120_000);

  it('a worker puts it on the next 六方 meeting, which adopts a resolution and publishes it', async () => {
    const page = await desk(e.browser);
    await login(page, e.url, 'jiangcheng');
    await page.goto(`${e.url}${topicUrl}`);
    await page.getByTestId('triage-card').waitFor();
    await page.getByTestId('triage-meeting').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '第十一期' }).click();
    await shot(page, 'deliberation-triage');
    await page.getByTestId('triage-submit').click();
    await page.getByTestId('topic-status').filter({ hasText: '已上会' }).waitFor();

    await page.getByRole('link', { name: /第十一期/ }).click();
    await page.waitForURL(/\/meetings\//);
    await page.getByTestId('checkin-qr').waitFor();
    expect(await page.locator('body').innerText()).toContain('江城花园3幢门口路灯太暗');
    await page.getByTestId('meeting-hold').click();
    await page.getByTestId('meeting-status').filter({ hasText: '已召开' }).waitFor();
    await page.getByTestId('minutes-editor').fill('一、路灯：居民反映3幢门口路灯太暗，物业同意更换为LED灯。\n二、文明养犬：纳入物业日常巡查。');
    await page.getByRole('button', { name: '保存纪要' }).click();
    await page.getByRole('button', { name: '保存纪要' }).and(page.locator('[disabled]')).waitFor();
    await page.getByTestId('resolution-item').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '路灯' }).click();
    await page.getByTestId('resolution-text').fill('物业本月内更换3幢门口路灯为LED灯');
    await page.getByTestId('resolution-add').click();
    await page.getByTestId('resolutions').getByText('物业本月内更换3幢门口路灯为LED灯').waitFor();
    await page.getByTestId('meeting-outcome').fill('议定：更换3幢门口路灯；文明养犬劝导纳入物业日常巡查。');
    await page.getByTestId('meeting-publish').click();
    await page.getByTestId('meeting-status').filter({ hasText: '已公开' }).waitFor();
    await shot(page, 'deliberation-meeting');
    await page.close();

    // the resident sees what became of the topic
    const res = await phone(e.browser);
    await login(res, e.url, 'jc-resident');
    await res.goto(`${e.url}${topicUrl}`);
    await res.getByTestId('topic-reply').waitFor();
    expect(await res.getByTestId('topic-reply').innerText()).toContain('LED');
    await res.close();
  }, 120_000);

  it('owners vote on the lift on their phones; the management page shows both thresholds and the result', async () => {
    for (const user of ['jc-resident', 'jc-owner-01']) {
      const page = await phone(e.browser);
      await login(page, e.url, user);
      await page.goto(`${e.url}/votes/${liftVoteId}`);
      await page.getByTestId('ballot-agree').waitFor();
      await page.getByTestId('vote-live').waitFor();
      await noWiderThan(page, 390);
      if (user === 'jc-resident') await shot(page, 'deliberation-vote-phone');
      await page.getByTestId('ballot-agree').click();
      await page.locator('.ant-popconfirm .ant-btn-primary').click();
      await page.getByTestId('vote-receipt').waitFor();
      expect(await page.getByTestId('vote-receipt').innerText()).toMatch(/^[A-Z2-9]{10}$/);
      if (user === 'jc-resident') await shot(page, 'deliberation-vote-receipt-phone');
      await page.close();
    }

    const page = await desk(e.browser);
    await login(page, e.url, 'jiangcheng');
    await page.goto(`${e.url}/votes/${liftVoteId}`);
    await page.getByTestId('live-area').waitFor();
    // Paper ballots collected door to door by the owners' committee, entered by the worker.
    const voted = await e.db.ctx.db.selectFrom('delib_ballot').select('house_code').where('vote_id', '=', liftVoteId).execute();
    const roll = await e.db.ctx.db.selectFrom('delib_vote_roll').select('house_code').where('vote_id', '=', liftVoteId).orderBy('house_code', 'desc').execute();
    const pending = roll.map((r) => r.house_code).filter((h) => !voted.some((v) => v.house_code === h));
    for (const house of pending.slice(0, 7)) {
      await page.getByTestId('paper-house').fill(house);
      await page.getByTestId('paper-submit').click();
      await page.getByText('已录入').last().waitFor();
      await page.getByTestId('paper-house').and(page.locator('[value=""]')).waitFor();
    }
    await page.getByTestId('live-headcount').waitFor();
    expect(await page.getByTestId('vote-live').innerText()).toMatch(/2\/3/);
    await shot(page, 'deliberation-vote-live');
    await page.getByTestId('vote-close').click();
    await page.locator('.ant-popconfirm .ant-btn-primary').click();
    await page.getByTestId('vote-result').waitFor();
    for (const id of ['result-participation-area', 'result-participation-headcount', 'result-approval-area', 'result-approval-headcount'])
      await page.getByTestId(id).waitFor();
    const text = await page.getByTestId('vote-result').innerText();
    expect(text).toMatch(/表决通过|表决未通过/);
    expect(text).toContain('3/4');
    await page.getByTestId('vote-result').scrollIntoViewIfNeeded();
    await page.locator('.ant-message-notice').first().waitFor({ state: 'detached' });
    await shot(page, 'deliberation-vote-result');
    await page.close();
  }, 180_000);

  it('the public board shows the result to anyone, without signing in', async () => {
    const page = await phone(e.browser);
    await page.goto(`${e.url}/board/330212014027`);
    await page.getByTestId('board-votes').waitFor();
    const text = await page.locator('body').innerText();
    expect(text).toContain('江城花园3幢加装电梯业主表决');
    expect(text).toContain('江城社区居民公约');
    expect(text).toContain('更换3幢门口路灯');
    expect(text).not.toMatch(/\d{24}/);
    await noWiderThan(page, 390);
    await shot(page, 'deliberation-board-phone');
    await page.close();
  }, 60_000);

  it('a worker drafts an owners’ vote through the form, sets up a body with its seats and publishes a notice', async () => {
    const page = await desk(e.browser);
    await login(page, e.url, 'jiangcheng');
    await page.goto(`${e.url}/votes`);
    await page.getByTestId('vote-new').click();
    await page.getByTestId('vote-title').fill('江城花园2幢筹集维修资金业主表决');
    await page.getByTestId('vote-description').fill('2幢外墙渗水，拟按专有部分面积每平方米20元续筹维修资金。');
    await page.getByTestId('vote-place').fill('330212014027001002');
    // Under load a click can land while the dropdown is still animating in; pick again until the rule shows.
    const rule = page.getByText('四分之三以上同意').first();
    for (let attempt = 0; attempt < 3 && !(await rule.isVisible()); attempt++) {
      await page.getByTestId('vote-matter').click();
      await page.locator('.ant-select-item-option').filter({ hasText: '筹集建筑物及其附属设施的维修资金' }).click();
      await rule.waitFor({ timeout: 10_000 }).catch(() => undefined);
    }
    await rule.waitFor();
    await page.waitForTimeout(600); // the drawer's slide-in animation
    await shot(page, 'deliberation-vote-create');
    await page.getByTestId('vote-create-submit').click();
    await page.waitForURL(/\/votes\/[0-9a-f-]{36}$/);
    await page.getByTestId('vote-manage').waitFor();
    expect(await page.locator('body').innerText()).toContain('江城花园2幢筹集维修资金业主表决');
    const created = await e.db.ctx.db
      .selectFrom('delib_vote')
      .select(['kind', 'matter', 'place_code', 'status'])
      .where('title', '=', '江城花园2幢筹集维修资金业主表决')
      .executeTakeFirstOrThrow();
    expect(created).toEqual({ kind: 'owners', matter: 6, place_code: '330212014027001002', status: 'draft' });

    await page.goto(`${e.url}/meetings`);
    await page.getByTestId('body-new').click();
    await pickOption(page, 'body-kind', '圆桌会议');
    await page.getByTestId('body-name').fill('江城花园2幢楼道圆桌会');
    await page.getByTestId('body-create-submit').click();
    await page.getByTestId('body-round_table').filter({ hasText: '江城花园2幢楼道圆桌会' }).waitFor();
    const card = page.getByTestId('body-round_table').filter({ hasText: '江城花园2幢楼道圆桌会' });
    await card.getByTestId('seat-name-round_table').fill('王建国');
    await card.getByTestId('seat-add-round_table').click();
    await card.getByText('王建国').waitFor();

    await page.getByTestId('notice-new').click();
    await page.getByTestId('notice-kind').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '财务公开' }).click();
    await page.getByTestId('notice-title').fill('2026年第四季度社区公益金收支公示');
    await page.getByTestId('notice-body').fill('收入：上级拨付公益金5万元；支出：楼道照明改造1.2万元，老年食堂补贴0.8万元。');
    await page.getByTestId('notice-submit').click();
    await page.getByText('已发布到公开栏').waitFor();
    await card.scrollIntoViewIfNeeded();
    await shot(page, 'deliberation-bodies-admin');
    await page.close();

    const board = await phone(e.browser);
    await board.goto(`${e.url}/board/330212014027`);
    await board.getByTestId('board-votes').waitFor();
    expect(await board.locator('body').innerText()).toContain('2026年第四季度社区公益金收支公示');
    await board.close();
  }, 180_000);
});
