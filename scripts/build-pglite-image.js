#!/usr/bin/env node
// Builds the embedded database's base image (server/db/pglite-base.ts) unless the current one
// exists, so the first `npm start` on a new data directory skips initdb, migrations and the
// division list (~7 s). Run by `npm install` (the "prepare" script) after the web build.
// A failure only warns: a start without an image does the same work itself.
// GONGZHI_PGLITE_IMAGE=0 skips it.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (process.env.GONGZHI_PGLITE_IMAGE === '0') {
  console.log('[pglite-image] skipped (GONGZHI_PGLITE_IMAGE=0)');
} else {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'gongzhi.js'), 'pglite-image'], { cwd: root, encoding: 'utf8' });
  if (r.status === 0) console.log(`[pglite-image] ${r.stdout.trim()}`);
  else console.warn(`[pglite-image] not built (a first start will initialise the database itself): ${(r.stderr || r.stdout || String(r.error)).trim().split('\n')[0]}`);
}
