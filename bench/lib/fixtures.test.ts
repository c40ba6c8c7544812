import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCleanups } from './cleanup.ts';
import { createTarget } from './db.ts';
import { currentSourceFingerprint, Fixtures, fixtureKey } from './fixtures.ts';
import type { BenchOptions, DbKind, DbTarget } from './types.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const URL_ = process.env.DATABASE_URL;

function options(db: DbKind): BenchOptions {
  return {
    quick: true,
    db,
    adminUrl: db === 'postgres' ? URL_! : null,
    runs: 1,
    loadSeconds: 1,
    warmupSeconds: 1,
    connections: 1,
    singleSeconds: 1,
  };
}

let workDir: string;
let cacheDir: string;
const saved = { cache: process.env.BENCH_CACHE, dir: process.env.BENCH_CACHE_DIR };

beforeEach(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gz-fixtures-test-'));
  cacheDir = path.join(workDir, 'cache');
  process.env.BENCH_CACHE = '1';
  process.env.BENCH_CACHE_DIR = cacheDir;
});

afterEach(async () => {
  await runCleanups();
  fs.rmSync(workDir, { recursive: true, force: true });
  process.env.BENCH_CACHE = saved.cache;
  process.env.BENCH_CACHE_DIR = saved.dir;
  if (saved.cache === undefined) delete process.env.BENCH_CACHE;
  if (saved.dir === undefined) delete process.env.BENCH_CACHE_DIR;
});

function fixtures(db: DbKind, run = crypto.randomBytes(3).toString('hex')) {
  const dir = path.join(workDir, `run-${run}`);
  fs.mkdirSync(dir, { recursive: true });
  return new Fixtures({
    opts: options(db),
    root: ROOT,
    workDir: dir,
    log: () => undefined,
    newTarget: (label) => createTarget(db, dir, options(db).adminUrl, label),
  });
}

describe('fixtures on PGlite (data directories)', () => {
  it('builds once, hands out copies, and a later run copies the saved one without building', async () => {
    let builds = 0;
    const build = async (t: DbTarget) => {
      builds++;
      fs.writeFileSync(path.join(t.dataDir, 'secret.key'), 'k');
      fs.writeFileSync(path.join(t.dataDir, 'rows'), 'one');
      return { rows: 1 };
    };
    const f = fixtures('pglite');
    const a = await f.copy('thing', { n: 1 }, build);
    const b = await f.copy('thing', { n: 1 }, build);
    expect(builds).toBe(1);
    expect(a.cached).toBe(false);
    expect(b.cached).toBe(true);
    expect(b.info).toEqual({ rows: 1 });
    expect(b.target.dataDir).not.toBe(a.target.dataDir);
    expect(fs.readFileSync(path.join(b.target.dataDir, 'rows'), 'utf8')).toBe('one');
    // A copy is its own: writing to it leaves the saved fixture alone.
    fs.writeFileSync(path.join(b.target.dataDir, 'rows'), 'changed');

    const later = await fixtures('pglite').copy('thing', { n: 1 }, build);
    expect(builds).toBe(1);
    expect(later.cached).toBe(true);
    expect(fs.readFileSync(path.join(later.target.dataDir, 'rows'), 'utf8')).toBe('one');

    // The same label from other inputs (another day, changed sources) replaces the saved one.
    await fixtures('pglite').copy('thing', { n: 2 }, build);
    expect(builds).toBe(2);
    expect(fs.readdirSync(cacheDir)).toHaveLength(1);
    expect((await fixtures('pglite').copy('thing', { n: 1 }, build)).cached).toBe(false);
    expect(builds).toBe(3);
  });

  it('keys on the inputs and the kind of database', () => {
    const k = fixtureKey(ROOT, 'pglite', 'demo', { a: 1 });
    expect(k).toMatch(/^[0-9a-f]{12}$/);
    expect(fixtureKey(ROOT, 'pglite', 'demo', { a: 1 })).toBe(k);
    expect(fixtureKey(ROOT, 'pglite', 'demo', { a: 2 })).not.toBe(k);
    expect(fixtureKey(ROOT, 'postgres', 'demo', { a: 1 })).not.toBe(k);
  });

  it('keeps nothing between runs with BENCH_CACHE=0', async () => {
    process.env.BENCH_CACHE = '0';
    let builds = 0;
    const build = async (t: DbTarget) => {
      builds++;
      fs.writeFileSync(path.join(t.dataDir, 'rows'), 'x');
      return null;
    };
    const f = fixtures('pglite');
    await f.copy('thing', {}, build);
    expect((await f.copy('thing', {}, build)).cached).toBe(true);
    await fixtures('pglite').copy('thing', {}, build);
    expect(builds).toBe(2);
    expect(fs.existsSync(cacheDir)).toBe(false);
  });
});

describe.skipIf(!URL_)('fixtures on PostgreSQL (template databases)', () => {
  const count = async (url: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      return (await c.query<{ n: number }>('select count(*)::int as n from t')).rows[0].n;
    } finally {
      await c.end();
    }
  };
  const templates = async (label: string) => {
    const c = new pg.Client({ connectionString: URL_ });
    await c.connect();
    try {
      return (
        await c.query<{ datname: string; datallowconn: boolean }>(
          `select datname, datallowconn from pg_database where datname like $1 order by datname`,
          [`gz_bench_tpl_${label}_%`],
        )
      ).rows;
    } finally {
      await c.end();
    }
  };

  it('saves a template nobody can connect to, clones it, and drops it when a newer one replaces it', async () => {
    const label = `t${crypto.randomBytes(3).toString('hex')}`;
    let builds = 0;
    const build = async (t: DbTarget) => {
      builds++;
      const c = new pg.Client({ connectionString: t.databaseUrl! });
      await c.connect();
      await c.query('create table t (x int); insert into t values (1), (2)');
      await c.end();
      return null;
    };
    const a = await fixtures('postgres').copy(label, { v: 1 }, build);
    const b = await fixtures('postgres').copy(label, { v: 1 }, build);
    expect(builds).toBe(1);
    expect(b.cached).toBe(true);
    expect(b.target.databaseUrl).not.toBe(a.target.databaseUrl);
    expect(await count(b.target.databaseUrl!)).toBe(2);
    const [tpl] = await templates(label);
    expect(tpl.datallowconn).toBe(false);

    // The same label built from other inputs replaces the saved one (as a new day or new sources do).
    await fixtures('postgres').copy(label, { v: 2 }, build);
    const after = await templates(label);
    expect(after).toHaveLength(1);
    expect(after[0].datname).not.toBe(tpl.datname);

    // PGlite and PostgreSQL runs share the cache directory: saving one kind keeps the other's.
    let liteBuilds = 0;
    const liteBuild = async (t: DbTarget) => {
      liteBuilds++;
      fs.writeFileSync(path.join(t.dataDir, 'rows'), 'lite');
      return null;
    };
    await fixtures('pglite').copy(label, { v: 2 }, liteBuild);
    await fixtures('postgres').copy(label, { v: 3 }, build);
    expect((await fixtures('pglite').copy(label, { v: 2 }, liteBuild)).cached).toBe(true);
    expect(liteBuilds).toBe(1);

    // Not persistent: the template goes with the run.
    process.env.BENCH_CACHE = '0';
    const f = fixtures('postgres');
    const other = `${label}x`;
    await f.copy(other, {}, build);
    expect(await templates(other)).toHaveLength(1);
    await runCleanups();
    expect(await templates(other)).toHaveLength(0);
    // Leave no persistent template of this test behind.
    process.env.BENCH_CACHE = '1';
    const c = new pg.Client({ connectionString: URL_ });
    await c.connect();
    for (const r of await templates(label)) {
      await c.query(`alter database ${r.datname} with is_template false`);
      await c.query(`drop database ${r.datname}`);
    }
    await c.end();
  });
});

describe('source fingerprint', () => {
  it('changes when a server or generator source changes, and not for a test file', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gz-fp-'));
    try {
      fs.mkdirSync(path.join(root, 'server', 'db'), { recursive: true });
      fs.mkdirSync(path.join(root, 'bench', 'generate'), { recursive: true });
      fs.writeFileSync(path.join(root, 'server', 'db', 'a.ts'), 'export const a = 1;\n');
      const before = currentSourceFingerprint(root);
      fs.writeFileSync(path.join(root, 'server', 'db', 'a.test.ts'), 'test\n');
      expect(currentSourceFingerprint(root)).toBe(before);
      fs.writeFileSync(path.join(root, 'server', 'db', '0011_new.ts'), 'export const m = 1;\n');
      const added = currentSourceFingerprint(root);
      expect(added).not.toBe(before);
      fs.writeFileSync(path.join(root, 'bench', 'generate', 'g.ts'), 'export const g = 1;\n');
      expect(currentSourceFingerprint(root)).not.toBe(added);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
