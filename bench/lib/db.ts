import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import pg from 'pg';
import { onCleanup } from './cleanup.ts';
import type { DbKind, DbTarget } from './types.ts';

/** Temporary databases for a run: PGlite directories, or PostgreSQL databases created and dropped here. */

export function withDatabaseName(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function adminQuery(adminUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export async function postgresVersion(adminUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return (await client.query<{ v: string }>('select version() as v')).rows[0].v;
  } finally {
    await client.end();
  }
}

/**
 * A new empty target: a fresh directory under workDir, plus on PostgreSQL a database named
 * gz_bench_<random> (dropped by the run's cleanup, also on Ctrl-C).
 */
export async function createTarget(kind: DbKind, workDir: string, adminUrl: string | null, label: string): Promise<DbTarget> {
  const id = crypto.randomBytes(4).toString('hex');
  const dataDir = path.join(workDir, `${label}-${id}`);
  fs.mkdirSync(dataDir, { recursive: true });
  onCleanup(`directory ${dataDir}`, () => fs.rmSync(dataDir, { recursive: true, force: true }));
  if (kind === 'pglite') return { kind, dataDir, databaseUrl: null, name: `pglite:${label}-${id}` };
  if (!adminUrl) throw new Error('--db postgres needs DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)');
  const name = `gz_bench_${id}`;
  await adminQuery(adminUrl, `create database ${name}`);
  onCleanup(`database ${name}`, () => adminQuery(adminUrl, `drop database if exists ${name} with (force)`));
  return { kind, dataDir, databaseUrl: withDatabaseName(adminUrl, name), name };
}

/**
 * A target a second process can open while the first has it open. PGlite allows one process per
 * directory, so this copies the (stopped) directory; PostgreSQL shares the database itself.
 */
export function shareTarget(target: DbTarget, workDir: string, label: string): DbTarget {
  if (target.kind === 'postgres') return target;
  const dataDir = path.join(workDir, `${label}-${crypto.randomBytes(4).toString('hex')}`);
  fs.cpSync(target.dataDir, dataDir, { recursive: true });
  onCleanup(`directory ${dataDir}`, () => fs.rmSync(dataDir, { recursive: true, force: true }));
  return { ...target, dataDir, name: `${target.name} (copy)` };
}

export function directorySizeMb(dir: string): number {
  let bytes = 0;
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) bytes += fs.statSync(p).size;
    }
  };
  walk(dir);
  return bytes / 1024 / 1024;
}
