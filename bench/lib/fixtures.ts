import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { onCleanup } from './cleanup.ts';
import { withDatabaseName } from './db.ts';
import type { BenchEnv, DbTarget } from './types.ts';

/**
 * Fixtures: databases a scenario needs filled before it measures anything (the demo district, a
 * generated district of N residents and M events). Building one takes from seconds to minutes, so
 * each is built once and then copied:
 * - on PostgreSQL into a template database (`CREATE DATABASE … TEMPLATE gz_bench_tpl_…`, a file
 *   copy inside the server), plus the data directory (the installation key the rows are sealed
 *   with) in a cache directory;
 * - on PGlite as a copy of the whole data directory.
 * Within one run a fixture is built at most once. With the persistent cache (default for --quick;
 * BENCH_CACHE=1 turns it on for full runs, BENCH_CACHE=0 off) the templates outlive the run, so
 * the next run on the same machine skips building them. The cache key covers the fixture's inputs
 * (sizes, seed), the database kind, the day (the demo counts ages and deadlines from today) and a
 * hash of every server and generator source file, so a changed migration, seed or generator
 * builds afresh; an older template of the same fixture is dropped when its successor is saved.
 */

export interface FixtureInfo<T> {
  target: DbTarget;
  /** What the build returned (e.g. the generator's report), also when the copy came from the cache. */
  info: T;
  /** True when this run copied a fixture built earlier instead of building it. */
  cached: boolean;
  /** How long building took (this run, or the run that built the cached copy). */
  buildMs: number;
  /** How long copying took (0 when built in this run). */
  copyMs: number;
  builtAt: string;
}

interface Meta {
  key: string;
  label: string;
  inputs: Record<string, unknown>;
  builtAt: string;
  buildMs: number;
  info: unknown;
}

const TEMPLATE_PREFIX = 'gz_bench_tpl_';

export function persistentCache(quick: boolean): boolean {
  const v = process.env.BENCH_CACHE?.trim();
  if (v === '0' || v === 'false') return false;
  if (v === '1' || v === 'true') return true;
  return quick;
}

export function cacheRoot(): string {
  return process.env.BENCH_CACHE_DIR?.trim() || path.join(os.homedir(), '.cache', 'gongzhi-bench');
}

let fingerprint: string | null = null;

/** A hash of every non-test .ts file under server/ and bench/generate/ (what shapes a fixture's rows), taken once per run. */
export function sourceFingerprint(root: string): string {
  fingerprint ??= currentSourceFingerprint(root);
  return fingerprint;
}

/** The same hash read again now: differs from `sourceFingerprint` when the sources changed during the run. */
export function currentSourceFingerprint(root: string): string {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) files.push(p);
    }
  };
  walk(path.join(root, 'server'));
  walk(path.join(root, 'bench', 'generate'));
  const h = crypto.createHash('sha256');
  for (const f of files.sort()) h.update(path.relative(root, f)).update('\0').update(fs.readFileSync(f)).update('\0');
  return h.digest('hex');
}

/** Today in China (the demo's ages and deadlines count from it). */
function shanghaiDay(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
}

export function fixtureKey(root: string, kind: string, label: string, inputs: Record<string, unknown>): string {
  const material = JSON.stringify({ label, kind, inputs, day: shanghaiDay(), sources: sourceFingerprint(root) });
  return crypto.createHash('sha256').update(material).digest('hex').slice(0, 12);
}

async function admin<T>(adminUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function copyDataDir(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const f of fs.readdirSync(from)) {
    if (f === 'notifications.log' || f === 'logs') continue;
    fs.cpSync(path.join(from, f), path.join(to, f), { recursive: true });
  }
}

function safeLabel(label: string): string {
  return label.replace(/[^a-z0-9]/gi, '_').toLowerCase();
}

export class Fixtures {
  private readonly building = new Map<string, Promise<FixtureInfo<unknown>>>();
  private readonly dir: string;

  constructor(private readonly env: Pick<BenchEnv, 'opts' | 'root' | 'workDir' | 'log' | 'newTarget'>) {
    this.persist = persistentCache(env.opts.quick);
    this.dir = this.persist ? cacheRoot() : path.join(env.workDir, 'fixtures');
  }

  readonly persist: boolean;

  /** Where a saved fixture's data directory and meta live; one per database kind (PGlite and PostgreSQL runs share the cache). */
  private savedDir(label: string, key: string): string {
    return path.join(this.dir, `${this.env.opts.db}-${label}-${key}`);
  }

  private templateName(label: string, key: string): string {
    return `${TEMPLATE_PREFIX}${safeLabel(label)}_${key}`;
  }

  /**
   * A new database holding the fixture `label` built with `inputs`: a copy of the saved fixture,
   * or one built now by `build` on a target `base()` gives (a new empty one by default) and saved.
   */
  async copy<T>(
    label: string,
    inputs: Record<string, unknown>,
    build: (target: DbTarget) => Promise<T>,
    base?: () => Promise<DbTarget>,
  ): Promise<FixtureInfo<T>> {
    const key = fixtureKey(this.env.root, this.env.opts.db, label, inputs);
    const saved = await this.saved<T>(label, key);
    if (saved) return saved;
    // First use in this run (and nothing saved): build, save, and hand out the built database itself.
    let pending = this.building.get(key) as Promise<FixtureInfo<T>> | undefined;
    if (!pending) {
      pending = this.buildAndSave(label, key, inputs, build, base);
      this.building.set(key, pending);
      return pending;
    }
    await pending;
    const again = await this.saved<T>(label, key);
    if (!again) throw new Error(`fixture ${label} was built but could not be saved; see the log above`);
    return again;
  }

  /** Saves an already built database as the fixture `label` (e.g. startup's freshly seeded demo). */
  async adopt(label: string, inputs: Record<string, unknown>, target: DbTarget, buildMs: number, info: unknown = null): Promise<void> {
    const key = fixtureKey(this.env.root, this.env.opts.db, label, inputs);
    if (this.building.has(key) || fs.existsSync(path.join(this.savedDir(label, key), 'meta.json'))) return;
    const done = this.save(label, key, inputs, target, buildMs, info).then(() => ({
      target,
      info,
      cached: false,
      buildMs,
      copyMs: 0,
      builtAt: new Date().toISOString(),
    }));
    this.building.set(key, done);
    await done;
  }

  private async buildAndSave<T>(
    label: string,
    key: string,
    inputs: Record<string, unknown>,
    build: (target: DbTarget) => Promise<T>,
    base?: () => Promise<DbTarget>,
  ): Promise<FixtureInfo<T>> {
    const target = base ? await base() : await this.env.newTarget(label);
    const t0 = performance.now();
    const info = await build(target);
    const buildMs = performance.now() - t0;
    await this.save(label, key, inputs, target, buildMs, info);
    return { target, info, cached: false, buildMs, copyMs: 0, builtAt: new Date().toISOString() };
  }

  private async save(label: string, key: string, inputs: Record<string, unknown>, target: DbTarget, buildMs: number, info: unknown) {
    const dir = this.savedDir(label, key);
    const t0 = performance.now();
    try {
      fs.rmSync(dir, { recursive: true, force: true });
      copyDataDir(target.dataDir, path.join(dir, 'data'));
      const adminUrl = this.env.opts.adminUrl;
      if (target.kind === 'postgres' && adminUrl) {
        const tpl = this.templateName(label, key);
        const source = new URL(target.databaseUrl!).pathname.slice(1);
        await admin(adminUrl, async (c) => {
          await c.query(`drop database if exists ${tpl}`);
          await c.query(`create database ${tpl} template ${source}`);
          // A template nobody can connect to cannot drift from what was saved.
          await c.query(`alter database ${tpl} with is_template true allow_connections false`);
        });
        if (!this.persist) onCleanup(`template ${tpl}`, () => dropTemplate(adminUrl, tpl));
      }
      const meta: Meta = { key, label, inputs, builtAt: new Date().toISOString(), buildMs, info };
      fs.writeFileSync(path.join(dir, 'meta.json'), JSON.stringify(meta));
      if (this.persist) await this.dropOlder(label, key);
      this.env.log(`fixture ${label}: saved for reuse in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    } catch (err) {
      fs.rmSync(dir, { recursive: true, force: true });
      this.env.log(`fixture ${label}: could not be saved for reuse (${(err as Error).message}); it will be built again next time`);
    }
  }

  /** A copy of the saved fixture, or null when there is none. */
  private async saved<T>(label: string, key: string): Promise<FixtureInfo<T> | null> {
    const dir = this.savedDir(label, key);
    const metaFile = path.join(dir, 'meta.json');
    if (!fs.existsSync(metaFile)) return null;
    const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8')) as Meta;
    const t0 = performance.now();
    const id = crypto.randomBytes(4).toString('hex');
    const dataDir = path.join(this.env.workDir, `${label}-${id}`);
    copyDataDir(path.join(dir, 'data'), dataDir);
    onCleanup(`directory ${dataDir}`, () => fs.rmSync(dataDir, { recursive: true, force: true }));
    let target: DbTarget = { kind: 'pglite', dataDir, databaseUrl: null, name: `pglite:${label}-${id} (copy of fixture)` };
    const adminUrl = this.env.opts.adminUrl;
    if (this.env.opts.db === 'postgres' && adminUrl) {
      const tpl = this.templateName(label, key);
      const name = `gz_bench_${id}`;
      try {
        await admin(adminUrl, (c) => c.query(`create database ${name} template ${tpl}`));
      } catch (err) {
        // The template is gone (dropped by hand, another machine's cache directory): build again.
        this.env.log(`fixture ${label}: saved copy unusable (${(err as Error).message}); building it again`);
        fs.rmSync(dir, { recursive: true, force: true });
        return null;
      }
      onCleanup(`database ${name}`, () =>
        admin(adminUrl, async (c) => {
          await c.query(`drop database if exists ${name} with (force)`);
        }),
      );
      target = { kind: 'postgres', dataDir, databaseUrl: withDatabaseName(adminUrl, name), name: `${name} (copy of ${tpl})` };
    }
    const copyMs = performance.now() - t0;
    this.env.log(`fixture ${label}: copied the saved one (built ${meta.builtAt}) in ${(copyMs / 1000).toFixed(1)} s`);
    return { target, info: meta.info as T, cached: true, buildMs: meta.buildMs, copyMs, builtAt: meta.builtAt };
  }

  /** Older saved versions of the same fixture (other sources, another day, other inputs of the same label). */
  private async dropOlder(label: string, key: string) {
    if (fs.existsSync(this.dir)) {
      for (const d of fs.readdirSync(this.dir)) {
        const prefix = `${this.env.opts.db}-${label}-`;
        if (d.startsWith(prefix) && d !== path.basename(this.savedDir(label, key)) && /^[0-9a-f]{12}$/.test(d.slice(prefix.length)))
          fs.rmSync(path.join(this.dir, d), { recursive: true, force: true });
      }
    }
    const adminUrl = this.env.opts.adminUrl;
    if (this.env.opts.db !== 'postgres' || !adminUrl) return;
    const keep = this.templateName(label, key);
    const prefix = `${TEMPLATE_PREFIX}${safeLabel(label)}_`;
    const old = await admin(adminUrl, (c) =>
      c.query<{ datname: string }>(`select datname from pg_database where starts_with(datname, $1) and datname <> $2`, [prefix, keep]),
    );
    for (const r of old.rows) if (/^[0-9a-f]{12}$/.test(r.datname.slice(prefix.length))) await dropTemplate(adminUrl, r.datname);
  }
}

async function dropTemplate(adminUrl: string, name: string): Promise<void> {
  await admin(adminUrl, async (c) => {
    await c.query(`alter database ${name} with is_template false`);
    await c.query(`drop database if exists ${name}`);
  }).catch(() => undefined);
}
