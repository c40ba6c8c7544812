import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrateToLatest, openDatabase } from '../db/connection.ts';
import { buildImage } from '../db/pglite-base.ts';
import { ensureDivisions } from '../modules/territory/seed.ts';
import { seedDemo } from '../modules/demo/seed.ts';
import { createKeyring } from '../core/crypto.ts';
import { loadConfig } from '../core/config.ts';
import { TEST_PASSWORD, TEST_SECRET } from './constants.ts';

/**
 * Builds one migrated, demo-seeded database per test run, so each test file starts from a copy
 * in about a second instead of seeding its own: a dumped PGlite data directory, and — when
 * DATABASE_URL is set — a PostgreSQL template database that files clone and drop.
 */
export default async function setup(project: TestProject) {
  const tmp = path.resolve('.tmp');
  fs.mkdirSync(tmp, { recursive: true });
  const config = { ...loadConfig({}), secretKey: TEST_SECRET };
  const keyring = createKeyring(Buffer.from(TEST_SECRET, 'base64'));

  // The base image new PGlite data directories start from (npm install builds it; built here if not),
  // for the tests that start `gongzhi serve` on a new data directory.
  await buildImage();
  const lite = await openDatabase({ pgliteDir: 'memory' });
  await migrateToLatest(lite.db);
  await ensureDivisions(lite.db);
  await seedDemo({ db: lite.db, dbKind: 'pglite', config, keyring }, TEST_PASSWORD);
  const dump = await lite.pglite!.dumpDataDir('gzip');
  const file = path.join(tmp, `pglite-template-${process.pid}.tar.gz`);
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await lite.close();
  project.provide('pgliteTemplate', file);

  const url = process.env.DATABASE_URL;
  let template: string | null = null;
  if (url) {
    template = `gz_tpl_${crypto.randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${template}`);
    await admin.end();
    const pgdb = await openDatabase({ databaseUrl: withDatabase(url, template) });
    await migrateToLatest(pgdb.db);
    await ensureDivisions(pgdb.db);
    await seedDemo({ db: pgdb.db, dbKind: 'postgres', config, keyring }, TEST_PASSWORD);
    await pgdb.close();
  }
  project.provide('pgTemplate', template ?? '');

  return async () => {
    fs.rmSync(file, { force: true });
    if (url && template) {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`drop database if exists ${template} with (force)`);
      await admin.end();
    }
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    pgTemplate: string;
  }
}
