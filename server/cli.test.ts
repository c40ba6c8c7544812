import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ENGINES } from './test/harness.ts';
import { openDatabase } from './db/connection.ts';
import { withDatabase } from './test/global-setup.ts';

const run = promisify(execFile);
const BIN = path.resolve('bin/gongzhi.js');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function gongzhi(args: string[], env: Record<string, string>): Promise<Result> {
  try {
    const r = await run(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, timeout: 120_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('gongzhi command: arguments', () => {
  it('prints help and lists every command', async () => {
    const r = await gongzhi(['--help'], {});
    expect(r.code).toBe(0);
    for (const c of ['serve', 'migrate', 'pglite-image', 'seed', 'users', 'audit', 'backup', 'restore']) expect(r.stdout).toContain(c);
    const users = await gongzhi(['users', '--help'], {});
    for (const c of ['create', 'list', 'reset-password', 'unlock']) expect(users.stdout).toContain(c);
  });

  it('refuses bad arguments with a message and a non-zero exit', async () => {
    const unknown = await gongzhi(['frobnicate'], {});
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/unknown command/i);
    const missing = await gongzhi(['users', 'create', 'someone'], {});
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/--name|required/i);
    const noFile = await gongzhi(['backup'], {});
    expect(noFile.code).not.toBe(0);
    expect(noFile.stderr).toMatch(/missing required argument/i);
  });
});

describe.each(ENGINES)('gongzhi command on %s', (engine) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gz-cli-'));
  const env: Record<string, string> = { GONGZHI_DATA_DIR: dir, GONGZHI_DEMO_PASSWORD: 'Demo-Passw0rd', LOG_LEVEL: 'silent' };
  const dbName = `gz_cli_${crypto.randomBytes(4).toString('hex')}`;
  beforeAll(async () => {
    if (engine === 'postgres') {
      const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await admin.connect();
      await admin.query(`create database ${dbName}`);
      await admin.end();
      env.DATABASE_URL = withDatabase(process.env.DATABASE_URL!, dbName);
    } else {
      env.DATABASE_URL = '';
    }
  });
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    if (engine === 'postgres') {
      const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await admin.connect();
      await admin.query(`drop database if exists ${dbName} with (force)`);
      await admin.end();
    }
  });

  it('migrates, seeds the demo once, manages users, verifies the audit chain and round-trips a backup', async () => {
    expect((await gongzhi(['migrate'], env)).code).toBe(0);
    const seeded = await gongzhi(['seed', '--demo'], env);
    expect(seeded.code, seeded.stderr).toBe(0);
    expect(seeded.stdout).toMatch(/demo seeded/);
    expect((await gongzhi(['seed', '--demo'], env)).stdout).toMatch(/already present/);

    const list = await gongzhi(['users', 'list'], env);
    expect(list.stdout).toMatch(/jiangcheng\s+.*community_worker@330212014027/);

    const weak = await gongzhi(['users', 'create', 'tester', '--name', '测试员', '--password', 'weak'], env);
    expect(weak.code).not.toBe(0);
    expect(weak.stderr).toContain('WEAK_PASSWORD');
    const created = await gongzhi(
      [
        'users',
        'create',
        'tester',
        '--name',
        '测试员',
        '--password',
        'Good-Passw0rd',
        '--role',
        'community_worker',
        '--scope',
        '330212014027',
      ],
      env,
    );
    expect(created.code, created.stderr).toBe(0);
    const outOfWorld = await gongzhi(
      ['users', 'create', 'tester2', '--name', '测试员', '--password', 'Good-Passw0rd', '--role', 'community_worker', '--scope', '330212'],
      env,
    );
    expect(outOfWorld.code).not.toBe(0);
    expect(outOfWorld.stderr).toContain('ROLE_SCOPE_INVALID');
    expect((await gongzhi(['users', 'unlock', 'nobody'], env)).stderr).toContain('no user named nobody');
    expect((await gongzhi(['users', 'reset-password', 'tester', '--password', 'Other-Passw0rd'], env)).code).toBe(0);

    const verified = await gongzhi(['audit', 'verify'], env);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/intact: \d+ rows/);

    const file = path.join(dir, 'backup.gz');
    const backup = await gongzhi(['backup', file], env);
    expect(backup.code, backup.stderr).toBe(0);
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');
    // Change something after the backup; the restore must take it away again.
    expect((await gongzhi(['users', 'create', 'after-backup', '--name', '备份后', '--password', 'Good-Passw0rd'], env)).code).toBe(0);
    const restored = await gongzhi(['restore', file], env);
    expect(restored.code, restored.stderr).toBe(0);
    const after = await gongzhi(['users', 'list'], env);
    expect(after.stdout).toContain('tester');
    expect(after.stdout).not.toContain('after-backup');
    expect((await gongzhi(['audit', 'verify'], env)).code).toBe(0);
    expect((await gongzhi(['restore', path.join(dir, 'missing.gz')], env)).code).not.toBe(0);

    // Someone with database access changes a row (the append-only trigger switched off first):
    // the command names the row where the chain breaks and exits 2.
    const database = await openDatabase({ databaseUrl: env.DATABASE_URL || null, pgliteDir: path.join(dir, 'pglite') });
    let tampered: number;
    try {
      await database.exec('alter table audit_log disable trigger audit_log_no_update');
      tampered = (await sql<{ seq: number }>`select min(seq) + 1 as seq from audit_log`.execute(database.db)).rows[0].seq;
      await sql`update audit_log set details = '{"tampered": true}' where seq = ${tampered}`.execute(database.db);
    } finally {
      await database.close();
    }
    const broken = await gongzhi(['audit', 'verify'], env);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain(`BROKEN at row ${tampered}`);
  }, 400_000);

  // Runs on the database the test above migrated and seeded.
  it('verifies the points ledger: intact exits 0; a tampered amount exits 2 naming the entry', async () => {
    const intact = await gongzhi(['points', 'verify'], env);
    expect(intact.code, intact.stderr).toBe(0);
    expect(intact.stdout).toMatch(/district 330212: intact, \d+ entries/);
    expect(intact.stdout).toMatch(/points ledger intact: \d+ entries verified/);

    const database = await openDatabase({ databaseUrl: env.DATABASE_URL || null, pgliteDir: path.join(dir, 'pglite') });
    let tampered: number;
    try {
      tampered = Number(
        (await sql<{ seq: string }>`select min(seq) + 1 as seq from points_ledger where district_code = '330212'`.execute(database.db))
          .rows[0].seq,
      );
      const raise = sql`update points_ledger set delta = delta + 100 where district_code = '330212' and seq = ${tampered}`;
      // The ledger refuses the change itself (migration 0011); with the guard switched off it goes through.
      await expect(raise.execute(database.db)).rejects.toThrow(/append-only/);
      await database.exec('alter table points_ledger disable trigger points_ledger_no_update');
      await raise.execute(database.db);
      await database.exec('alter table points_ledger enable trigger points_ledger_no_update');
    } finally {
      await database.close();
    }
    const broken = await gongzhi(['points', 'verify'], env);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain(`district 330212: BROKEN at entry ${tampered}: entry content does not match its hash (changed)`);
    expect(broken.stdout).not.toContain('points ledger intact');
    // One district at a time names the same entry.
    const one = await gongzhi(['points', 'verify', '--district', '330212'], env);
    expect(one.code).toBe(2);
    expect(one.stderr).toContain(`BROKEN at entry ${tampered}`);
  }, 200_000);
});
