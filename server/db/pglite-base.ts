import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { migrateToLatest, openDatabase } from './connection.ts';
import { ensureDivisions } from '../modules/territory/seed.ts';

/**
 * The embedded database's base image (DECISIONS D46): a PGlite data directory that has been
 * through initdb, every migration and the national division list — the state every fresh
 * installation reaches before anything of its own is written. Reaching it takes ~6 s of a first
 * start (PGlite's initdb in WebAssembly ~3.4 s, migrations ~0.8 s, 46,217 divisions ~2 s); a copy
 * of the image opens in about one. `npm install` builds it (the prepare script runs
 * `gongzhi pglite-image`); a start that finds none does the work itself, as before.
 *
 * The image holds nothing of an installation: no key (that is a file of the data directory),
 * no account, no audit row. Its name carries a hash of every source that decides its contents,
 * so a new migration, division list, category list or PGlite version never reuses an old image;
 * and a start from it still runs the migrations (a no-op when it is current).
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Sources whose output the image holds, relative to the repository: the migrations and what they
 * import, and the division loader with its data. `pglite-base.test.ts` checks that this covers
 * every module the migrations and `ensureDivisions` import.
 */
export const IMAGE_SOURCES = [
  'server/db/migrations',
  'server/db/sql-script.ts',
  'server/db/connection.ts',
  'server/core/calendar-data.ts',
  'server/core/calendar.ts',
  'server/modules/events/categories.ts',
  'server/modules/territory/seed.ts',
  'server/modules/territory/divisions.ts',
  'server/modules/territory/data',
];

/** Packages whose version changes the image: the engine itself and the holiday calendar. */
const IMAGE_PACKAGES = ['@electric-sql/pglite', 'chinese-days'];

function filesUnder(p: string): string[] {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return [p];
  return fs
    .readdirSync(p)
    .sort()
    .flatMap((name) => filesUnder(path.join(p, name)))
    .filter((f) => !f.endsWith('.test.ts'));
}

function packageVersion(name: string): string {
  const require = createRequire(path.join(ROOT, 'package.json'));
  try {
    return (JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
  } catch {
    // A package whose exports hide package.json: find it under node_modules.
    return (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  }
}

/** The hash that names the image: every source file's path and content, and the package versions. */
export function imageKey(root = ROOT, sources = IMAGE_SOURCES, packages = IMAGE_PACKAGES.map((p) => `${p}@${packageVersion(p)}`)): string {
  const h = crypto.createHash('sha256');
  for (const p of packages) h.update(`pkg\0${p}\0`);
  for (const source of sources) {
    for (const file of filesUnder(path.join(root, source))) {
      h.update(`file\0${path.relative(root, file)}\0`);
      h.update(fs.readFileSync(file));
    }
  }
  return h.digest('hex').slice(0, 20);
}

/** Where images live: GONGZHI_PGLITE_IMAGE_DIR, or node_modules/.cache/gongzhi of the checkout. */
export function imageDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.GONGZHI_PGLITE_IMAGE_DIR?.trim() || path.join(ROOT, 'node_modules', '.cache', 'gongzhi');
}

export function imagePath(env: NodeJS.ProcessEnv = process.env, key = imageKey()): string {
  return path.join(imageDir(env), `pglite-base-${key}`);
}

/** True when `dir` holds no PGlite database yet (a first start). */
export function isFreshDataDir(dir: string): boolean {
  return !fs.existsSync(path.join(dir, 'PG_VERSION'));
}

/** The current image (a PGlite data directory), or null when there is none or GONGZHI_PGLITE_IMAGE=0. */
export function findImage(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.GONGZHI_PGLITE_IMAGE === '0') return null;
  const dir = imagePath(env);
  return isFreshDataDir(dir) ? null : dir;
}

/**
 * Starts a new data directory as a copy of the image: a plain file copy of a cleanly closed
 * database (~120 MB, a fraction of a second), which PGlite then opens as an existing one (~0.6 s).
 * Loading the same state from a dumped tarball took 2–3 s, as long as initdb itself.
 */
export function copyImage(image: string, dataDir: string): void {
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  fs.cpSync(image, dataDir, { recursive: true });
}

function sizeOf(p: string): number {
  const st = fs.statSync(p);
  return st.isDirectory() ? fs.readdirSync(p).reduce((n, name) => n + sizeOf(path.join(p, name)), 0) : st.size;
}

export interface BuiltImage {
  dir: string;
  bytes: number;
  ms: number;
  built: boolean;
}

/**
 * Builds the current image unless it exists (force: build anyway): a PGlite data directory
 * initialised, migrated and holding the divisions, closed cleanly and renamed into place in one
 * step (so a concurrent start never sees half of one). Older images beside it are removed.
 */
export async function buildImage(env: NodeJS.ProcessEnv = process.env, opts: { force?: boolean } = {}): Promise<BuiltImage> {
  const started = performance.now();
  const dir = imagePath(env);
  if (!opts.force && findImage(env)) return { dir, bytes: sizeOf(dir), ms: 0, built: false };
  const tmp = `${dir}.${process.pid}.tmp`;
  fs.rmSync(tmp, { recursive: true, force: true });
  const database = await openDatabase({ pgliteDir: tmp });
  try {
    await migrateToLatest(database.db);
    await ensureDivisions(database.db);
  } finally {
    await database.close();
  }
  fs.rmSync(dir, { recursive: true, force: true });
  try {
    fs.renameSync(tmp, dir);
  } catch (err) {
    // Another process put the same image in place first.
    fs.rmSync(tmp, { recursive: true, force: true });
    if (isFreshDataDir(dir)) throw err;
  }
  const parent = path.dirname(dir);
  for (const old of fs.readdirSync(parent)) {
    const p = path.join(parent, old);
    if (/^pglite-base-[0-9a-f]+(\.tar\.gz)?$/.test(old) && p !== dir) fs.rmSync(p, { recursive: true, force: true });
  }
  return { dir, bytes: sizeOf(dir), ms: performance.now() - started, built: true };
}
