import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import type { DB } from './types.ts';
import { loadConfig } from '../core/config.ts';
import { openContext } from '../core/boot.ts';
import { IMAGE_SOURCES, buildImage, findImage, imageKey, imagePath, isFreshDataDir } from './pglite-base.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gz-image-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('the base image key', () => {
  const root = path.join(tmp, 'src');
  fs.mkdirSync(path.join(root, 'migrations'), { recursive: true });
  fs.writeFileSync(path.join(root, 'migrations', '0001.ts'), 'create table a');
  fs.writeFileSync(path.join(root, 'loader.ts'), 'load divisions');
  const key = () => imageKey(root, ['migrations', 'loader.ts'], ['engine@1.0.0']);

  it('is stable, and changes with any source, a new file or a package version', () => {
    const k0 = key();
    expect(key()).toBe(k0);
    fs.writeFileSync(path.join(root, 'migrations', '0001.ts'), 'create table b');
    const k1 = key();
    expect(k1).not.toBe(k0);
    fs.writeFileSync(path.join(root, 'migrations', '0002.ts'), 'alter table b');
    const k2 = key();
    expect(k2).not.toBe(k1);
    expect(imageKey(root, ['migrations', 'loader.ts'], ['engine@1.0.1'])).not.toBe(k2);
    fs.writeFileSync(path.join(root, 'loader.ts'), 'load divisions v2');
    expect(key()).not.toBe(k2);
  });

  it('ignores test files beside the sources', () => {
    const k = key();
    fs.writeFileSync(path.join(root, 'migrations', '0002.test.ts'), 'it()');
    expect(key()).toBe(k);
  });

  it('covers every module the migrations and the division loader import', () => {
    // Follow the value imports (type-only imports decide nothing at run time) from both entry points.
    const repo = path.resolve('.');
    const covered = (file: string) =>
      IMAGE_SOURCES.some((s) => {
        const rel = path.relative(repo, file);
        return rel === s || rel.startsWith(s + path.sep);
      });
    const seen = new Set<string>();
    const walk = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/^import\s+(?!type\s)[^;]*?from\s+'(\.[^']+)'/gms)) walk(path.resolve(path.dirname(file), m[1]));
    };
    walk(path.resolve('server/db/migrations/index.ts'));
    walk(path.resolve('server/modules/territory/seed.ts'));
    expect(seen.size).toBeGreaterThan(20);
    expect([...seen].filter((f) => !covered(f)).map((f) => path.relative(repo, f))).toEqual([]);
    expect(fs.readFileSync('server/modules/territory/divisions.ts', 'utf8')).toContain('divisions.tsv.gz');
  });
});

describe('a new PGlite data directory from the base image', () => {
  const count = async (db: Kysely<DB>, q: string) => Number((await sql<{ n: number }>`${sql.raw(q)}`.execute(db)).rows[0].n);

  async function open(dir: string, env: Record<string, string | undefined>) {
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    const set = (vars: Record<string, string | undefined>) => {
      for (const [k, v] of Object.entries(vars)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    };
    set(env);
    try {
      const t0 = performance.now();
      const opened = await openContext(loadConfig({ GONGZHI_DATA_DIR: dir, DATABASE_URL: '' }));
      return { ...opened, ms: performance.now() - t0 };
    } finally {
      set(saved);
    }
  }

  async function contents(db: Kysely<DB>) {
    return {
      migrations: (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db)).rows.map((r) => r.name),
      divisions: await count(db, 'select count(*)::int as n from division'),
      categories: await count(db, 'select count(*)::int as n from event_category'),
      calendar: await count(db, 'select count(*)::int as n from calendar_day'),
      users: await count(db, 'select count(*)::int as n from app_user'),
      audit: await count(db, 'select count(*)::int as n from audit_log'),
      extensions: (await sql<{ extname: string }>`select extname from pg_extension order by extname`.execute(db)).rows.map(
        (r) => r.extname,
      ),
    };
  }

  it('holds exactly what initdb, the migrations and the divisions give, and nothing of an installation', async () => {
    const image = await buildImage();
    expect(image.dir).toBe(imagePath());
    expect(findImage()).toBe(image.dir);
    expect(isFreshDataDir(image.dir)).toBe(false);

    const fromImage = await open(path.join(tmp, 'a'), {});
    const plain = await open(path.join(tmp, 'b'), { GONGZHI_PGLITE_IMAGE: '0' });
    try {
      expect(fromImage.fromImage).toBe(true);
      expect(plain.fromImage).toBe(false);
      const a = await contents(fromImage.ctx.db);
      const b = await contents(plain.ctx.db);
      expect(a).toEqual(b);
      expect(a.divisions).toBeGreaterThan(40_000);
      expect(a.users).toBe(0);
      expect(a.audit).toBe(0);
      // Each installation has its own key, written beside the database, never in the image.
      expect(fs.readFileSync(path.join(tmp, 'a', 'secret.key'))).not.toEqual(fs.readFileSync(path.join(tmp, 'b', 'secret.key')));
      // The data directory is an ordinary one: writes stay, and it opens again as an existing database.
      await sql`insert into app_user (username, display_name, password_hash) values ('image-check', '检查', 'x')`.execute(fromImage.ctx.db);
    } finally {
      await fromImage.database.close();
      await plain.database.close();
    }
    expect(isFreshDataDir(path.join(tmp, 'a', 'pglite'))).toBe(false);
    const again = await open(path.join(tmp, 'a'), {});
    try {
      expect(again.fromImage).toBe(false);
      expect(await count(again.ctx.db, `select count(*)::int as n from app_user where username = 'image-check'`)).toBe(1);
    } finally {
      await again.database.close();
    }
    expect(fromImage.ms).toBeLessThan(plain.ms);
    // The image itself is left as it was: the copy took the write.
    const third = await open(path.join(tmp, 'c'), {});
    try {
      expect(third.fromImage).toBe(true);
      expect(await count(third.ctx.db, `select count(*)::int as n from app_user`)).toBe(0);
    } finally {
      await third.database.close();
    }
  });

  it('builds into place in one step and removes older images beside it', async () => {
    const env = { ...process.env, GONGZHI_PGLITE_IMAGE_DIR: path.join(tmp, 'images') };
    fs.mkdirSync(path.join(tmp, 'images', 'pglite-base-0123abcd'), { recursive: true });
    fs.writeFileSync(path.join(tmp, 'images', 'pglite-base-0123abcd.tar.gz'), 'old');
    fs.writeFileSync(path.join(tmp, 'images', 'unrelated.txt'), 'keep');
    expect(findImage(env)).toBeNull();
    const built = await buildImage(env);
    expect(built.built).toBe(true);
    expect(built.bytes).toBeGreaterThan(50 * 1024 * 1024);
    expect(fs.readdirSync(path.join(tmp, 'images')).sort()).toEqual([path.basename(built.dir), 'unrelated.txt']);
    expect(findImage(env)).toBe(built.dir);
    expect((await buildImage(env)).built).toBe(false);
  });

  it('is not used when GONGZHI_PGLITE_IMAGE=0 or when none matches the sources', () => {
    expect(findImage({ ...process.env, GONGZHI_PGLITE_IMAGE: '0' })).toBeNull();
    expect(findImage({ ...process.env, GONGZHI_PGLITE_IMAGE_DIR: path.join(tmp, 'empty') })).toBeNull();
  });
});
