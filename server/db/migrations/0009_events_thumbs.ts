import type { Kysely } from 'kysely';
import { runStatements } from '../sql-script.ts';

/**
 * A small JPEG beside each event photo (at most 320 px on its longer side, no metadata), made
 * when the photo is stored, for timelines and lists on a phone; NULL for a photo that could not
 * be decoded (the photo itself is then shown). Forward-only: never edit this file once it has landed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, `alter table event_attachment add column thumb bytea;`);
}
