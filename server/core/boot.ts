import type { Config } from './config.ts';
import type { AppContext } from './context.ts';
import { createKeyring, loadMasterKey } from './crypto.ts';
import { migrateToLatest, openDatabase, type Database } from '../db/connection.ts';
import { ensureDivisions } from '../modules/territory/seed.ts';
import path from 'node:path';

/** Opens the configured database, migrates it and loads reference data. */
export async function openContext(config: Config, opts: { migrate?: boolean } = {}): Promise<{ ctx: AppContext; database: Database }> {
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    pgliteDir: path.join(config.dataDir, 'pglite'),
  });
  if (opts.migrate !== false) {
    await migrateToLatest(database.db);
    await ensureDivisions(database.db);
  }
  const keyring = createKeyring(loadMasterKey(config.secretKey, config.dataDir));
  return { ctx: { db: database.db, dbKind: database.kind, config, keyring }, database };
}
