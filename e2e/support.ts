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
