#!/usr/bin/env node
// Builds the web app (web/ → web/dist) unless the last build is newer than every source file.
// Run by `npm install` (the "prepare" script), so a fresh checkout serves a working UI.
// Set GONGZHI_SKIP_WEB_BUILD=1 to skip; pass --force to rebuild regardless.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const webDir = join(root, 'web');
const distIndex = join(webDir, 'dist', 'index.html');
const configFile = join(webDir, 'vite.config.ts');
const force = process.argv.includes('--force');

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs; // a deleted file changes its directory's mtime
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function isFresh() {
  if (!existsSync(distIndex)) return false;
  const built = statSync(distIndex).mtimeMs;
  const sources = [join(webDir, 'src'), join(webDir, 'index.html'), configFile, join(webDir, 'tsconfig.json')];
  return sources.every((p) => newestMtime(p) <= built);
}

async function main() {
  if (process.env.GONGZHI_SKIP_WEB_BUILD === '1') {
    console.log('[build-web] skipped (GONGZHI_SKIP_WEB_BUILD=1)');
    return;
  }
  if (!existsSync(join(webDir, 'src'))) {
    console.log('[build-web] no web/src here; nothing to build');
    return;
  }
  if (!force && isFresh()) {
    console.log(`[build-web] ${relative(root, distIndex)} is up to date`);
    return;
  }

  let vite;
  try {
    vite = await import('vite');
  } catch {
    // An install without dev dependencies cannot build; serve the dist that shipped, if any.
    const msg = existsSync(distIndex)
      ? '[build-web] vite is not installed; keeping the existing web/dist'
      : '[build-web] vite is not installed and web/dist is missing: run `npm install` with dev dependencies, then `npm run build:web`';
    console.warn(msg);
    return;
  }

  console.log('[build-web] building web/ → web/dist …');
  const started = Date.now();
  await vite.build({ configFile, logLevel: 'warn' });
  console.log(`[build-web] done in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

main().catch((err) => {
  console.error('[build-web] build failed:', err?.message ?? err);
  process.exit(1);
});
