import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createTestContext, type TestContext } from '../server/test/harness.ts';
import { buildApp } from '../server/app.ts';
import type { FastifyInstance } from 'fastify';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = path.resolve('docs/screenshots');

/** The flags QUALITY.md prescribes: headless, no sandbox (root), and no background traffic. */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface E2E {
  url: string;
  browser: Browser;
  app: FastifyInstance;
  db: TestContext;
  close(): Promise<void>;
}

/** Serves the built web app and the API from a copy of the demo database on a free port. */
export async function startE2E(): Promise<E2E> {
  if (!fs.existsSync(path.resolve('web/dist/index.html'))) throw new Error('web/dist is missing: run `npm run build:web` first');
  const db = await createTestContext('pglite');
  const app = await buildApp(db.ctx, { serveWeb: true });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  // Playwright gives every launch a fresh, empty --user-data-dir of its own.
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  return {
    url: `http://127.0.0.1:${port}`,
    browser,
    app,
    db,
    close: async () => {
      await browser.close();
      await app.close();
      await db.close();
    },
  };
}

export async function shot(page: Page, name: string) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: false });
}

/**
 * Chooses the option of an antd Select (the element carrying `testId`) whose label contains `text`:
 * types `typed` to filter, clicks the option in the open dropdown, and checks the choice took. Under
 * load a click can land on a dropdown still animating open or closed; then it closes and tries again.
 */
export async function pickOption(page: Page, testId: string, text: string, typed = text) {
  const select = page.getByTestId(testId);
  // The test id sits on the search <input> or on the root, depending on the Select's mode.
  const root = select.locator("xpath=ancestor-or-self::div[contains(concat(' ', @class, ' '), ' ant-select ')][1]");
  for (let attempt = 1; ; attempt++) {
    await select.click();
    await page.keyboard.type(typed);
    const option = page
      .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option')
      .filter({ hasText: text })
      .first();
    await option.click();
    try {
      // The chosen label shows as the Select's text (typed search text lives in the input's value, not here).
      await root.filter({ hasText: text }).waitFor({ timeout: 3_000 });
      return;
    } catch (err) {
      if (attempt >= 3) throw err;
      await page.keyboard.press('Escape');
      await page
        .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)')
        .waitFor({ state: 'detached', timeout: 3_000 })
        .catch(() => {});
    }
  }
}
