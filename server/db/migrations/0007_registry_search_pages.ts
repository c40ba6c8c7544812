import type { Kysely } from 'kysely';
import { runStatements } from '../sql-script.ts';

/**
 * People search at district scale (issue 3, p95 < 50 ms among 1,000,000 people): a search first
 * finds the page of person ids, then reads those few people with their addresses. The sorted
 * name indexes carry what that first step tests — the name, the status, the territory path (the
 * caller's scope) and the district code — so the page comes from an index-only scan that stops
 * after the page is full, with no heap visit per candidate. Without them a common name (李斌:
 * ~1,700 among a million) read every namesake's row and joined its address before sorting.
 * These replace the plain (name_pinyin, id) and (name_initials, id) indexes (same leading keys).
 * Forward-only: never edit this file once it has landed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create index person_pinyin_page_idx on person (name_pinyin, id) include (district_code, name, status, path);
    create index person_initials_page_idx on person (name_initials, id) include (district_code, status, path);
    drop index person_pinyin_idx;
    drop index person_initials_idx;
    `,
  );
}
