import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { createTestContext, type TestContext } from '../server/test/harness.ts';
import { buildApp } from '../server/app.ts';
import type { FastifyInstance } from 'fastify';
import { TEST_PASSWORD } from '../server/test/constants.ts';

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

const PDFJS_DIR = path.resolve('node_modules/pdfjs-dist');
const PDF_ORIGIN = 'http://pdf.localhost';

// Renders page 1 of /doc.pdf with pdf.js into the canvas at A4 and 96 dpi, then reports on <body>.
const PDF_HTML = `<!doctype html><html><head><meta charset="utf-8"><style>
body { margin: 0; background: #fff; } canvas { display: block; }
</style></head><body><canvas id="page"></canvas><script type="module">
import * as pdfjs from '/build/pdf.mjs';
pdfjs.GlobalWorkerOptions.workerSrc = '/build/pdf.worker.mjs';
try {
  const doc = await pdfjs.getDocument({ url: '/doc.pdf', cMapUrl: '/cmaps/', cMapPacked: true, standardFontDataUrl: '/standard_fonts/' }).promise;
  const page = await doc.getPage(1);
  const viewport = page.getViewport({ scale: 96 / 72 });
  const canvas = document.getElementById('page');
  canvas.width = Math.round(viewport.width);
  canvas.height = Math.round(viewport.height);
  await page.render({ canvas, viewport }).promise;
  const text = (await page.getTextContent()).items.map((it) => it.str ?? '').join('');
  const px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let ink = 0;
  for (let i = 0; i < px.length; i += 4) if (px[i] + px[i + 1] + px[i + 2] < 384) ink++;
  Object.assign(document.body.dataset, { pages: doc.numPages, text, ink: ink / (px.length / 4), width: canvas.width, height: canvas.height });
  document.body.dataset.state = 'done';
} catch (e) {
  document.body.dataset.state = 'error: ' + e.message;
}
</script></body></html>`;

export interface RenderedPdf {
  pages: number;
  /** The text pdf.js extracted from page 1. */
  text: string;
  /** Share of page 1's pixels that are dark: a blank render has none. */
  ink: number;
}

/**
 * Headless Chromium has no PDF viewer, so a PDF opened in a tab screenshots as an empty frame.
 * This draws page 1 with pdf.js (pdfjs-dist from node_modules, served with the bytes from a
 * routed local origin) onto a canvas the size of an A4 sheet at 96 dpi, sized to fill `page`,
 * so `shot(page, …)` shows the document as it prints.
 */
export async function renderPdf(page: Page, bytes: Buffer): Promise<RenderedPdf> {
  await page.route(`${PDF_ORIGIN}/**`, async (route) => {
    const { pathname } = new URL(route.request().url());
    if (pathname === '/') return route.fulfill({ body: PDF_HTML, contentType: 'text/html; charset=utf-8' });
    if (pathname === '/doc.pdf') return route.fulfill({ body: bytes, contentType: 'application/pdf' });
    const file = path.join(PDFJS_DIR, decodeURIComponent(pathname));
    if (!file.startsWith(PDFJS_DIR + path.sep) || !fs.existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
    const type = file.endsWith('.mjs') ? 'text/javascript' : 'application/octet-stream';
    return route.fulfill({ path: file, contentType: type });
  });
  await page.goto(`${PDF_ORIGIN}/`);
  const body = page.locator('body[data-state]');
  await body.waitFor({ timeout: 60_000 });
  const state = await body.getAttribute('data-state');
  if (state !== 'done') throw new Error(`pdf.js could not render the PDF: ${state}`);
  const read = async (k: string) => (await body.getAttribute(`data-${k}`)) ?? '';
  await page.setViewportSize({ width: Number(await read('width')), height: Number(await read('height')) });
  return { pages: Number(await read('pages')), text: await read('text'), ink: Number(await read('ink')) };
}

/** A new desktop page (downloads allowed) signed in as `username` with the test password. */
export async function signedInPage(e: E2E, username: string, width = 1440): Promise<Page> {
  const page = await e.browser.newPage({ viewport: { width, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
  await page.goto(e.url);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(TEST_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('logout').waitFor();
  return page;
}

/** The <input> of an antd InputNumber carrying a test id (on the input or on its wrapper). */
export async function numberInput(page: Page, testId: string): Promise<Locator> {
  const el = page.getByTestId(testId);
  return (await el.evaluate((n) => n.tagName)) === 'INPUT' ? el : el.locator('input');
}

/** Types a value into an antd InputNumber and leaves it, so the form takes the value. */
export async function setNumber(page: Page, testId: string, value: string) {
  const input = await numberInput(page, testId);
  await input.fill(value);
  await input.press('Tab');
}
