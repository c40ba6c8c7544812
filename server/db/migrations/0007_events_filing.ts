import type { Kysely } from 'kysely';
import { runStatements } from '../sql-script.ts';

/**
 * Duplicate detection on filing (E7): open events of the same category near a point. The
 * lookup bounds latitude and longitude to a box around the point first, so this index answers
 * it by a range on latitude within (district, category) instead of scanning every open event of
 * the category. Forward-only: never edit this file once it has landed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create index event_dup_geo_idx on event (district_code, category_code, lat, lng)
      where state not in ('closed','evaluated','merged') and lat is not null;
    `,
  );
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
