import type { Migration } from 'kysely';
import * as m0001 from './0001_core.ts';
import * as m0003 from './0003_events.ts';

/** Every migration, in order. Append new ones; never edit or reorder landed ones. */
export const migrations: Record<string, Migration> = {
  '0001_core': m0001,
  '0003_events': m0003,
};
