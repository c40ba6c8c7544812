import type { Config } from './config.ts';
import type { AppContext } from './context.ts';
import { createKeyring, loadMasterKey } from './crypto.ts';
import { migrateToLatest, openDatabase, type Database } from '../db/connection.ts';
import { copyImage, findImage, isFreshDataDir } from '../db/pglite-base.ts';
import { ensureDivisions } from '../modules/territory/seed.ts';
import path from 'node:path';

export interface OpenedContext {
  ctx: AppContext;
  database: Database;
  /** A new PGlite data directory started from the base image (pglite-base.ts) instead of initdb. */
  fromImage: boolean;
}

/** Opens the configured database, migrates it and loads reference data. */
export async function openContext(config: Config, opts: { migrate?: boolean } = {}): Promise<OpenedContext> {
  const pgliteDir = path.join(config.dataDir, 'pglite');
  const image = !config.databaseUrl && isFreshDataDir(pgliteDir) ? findImage() : null;
  if (image) copyImage(image, pgliteDir);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir });
  if (opts.migrate !== false) {
    await migrateToLatest(database.db);
    await ensureDivisions(database.db);
  }
  const keyring = createKeyring(loadMasterKey(config.secretKey, config.dataDir));
  return { ctx: { db: database.db, dbKind: database.kind, config, keyring }, database, fromImage: image !== null };
}
