import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestContext, ENGINES, type TestContext } from '../test/harness.ts';

/**
 * ARCHITECTURE.md data rule: every table holding territorial data carries district_code and it
 * leads the primary key. Reference tables are global by design and listed here by name.
 */
const GLOBAL_TABLES = new Set([
  'division',
  'app_user',
  'role_binding',
  'user_session',
  'api_token',
  'audit_log',
  'audit_head',
  'app_setting',
  // events (issue 4): reference tables
  'calendar_day',
  'event_category',
  // events measures rollup (D41): derived counters keyed by territory node, including the nodes
  // above a district (city, province), and their pending deltas. Not keyed by district_code yet:
  // a deployment distributed by district (SCALING.md, Citus) must key them first (D41).
  'event_rollup',
  'event_rollup_delta',
  'kysely_migration',
  'kysely_migration_lock',
]);

describe.each(ENGINES)('schema rules on %s', (engine) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext(engine);
  });
  afterAll(async () => t?.close());

  it('every non-global table leads its primary key with district_code', async () => {
    const tables = (
      await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = 'public'`.execute(t.ctx.db)
    ).rows.map((r) => r.name);
    const territorial = tables.filter((n) => !GLOBAL_TABLES.has(n));
    expect(territorial).toEqual(expect.arrayContaining(['grid', 'building', 'building_unit', 'house', 'org']));
    for (const table of territorial) {
      const pk = (
        await sql<{ col: string }>`
          select a.attname as col from pg_index i
          join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
          where i.indrelid = ${table}::regclass and i.indisprimary
          order by array_position(i.indkey, a.attnum)`.execute(t.ctx.db)
      ).rows.map((r) => r.col);
      expect(pk[0], `${table} primary key ${pk.join(',')}`).toBe('district_code');
    }
  });

  it('no global table hides a district_code column', async () => {
    const cols = (
      await sql<{
        table_name: string;
      }>`select table_name from information_schema.columns where table_schema = 'public' and column_name = 'district_code'`.execute(
        t.ctx.db,
      )
    ).rows.map((r) => r.table_name);
    for (const c of cols) expect(GLOBAL_TABLES.has(c), c).toBe(false);
  });

  it('every mutable territorial table has created_at, updated_at and version', async () => {
    for (const table of ['grid', 'building', 'building_unit', 'house', 'org', 'app_user']) {
      const cols = (
        await sql<{
          column_name: string;
        }>`select column_name from information_schema.columns where table_schema = 'public' and table_name = ${table}`.execute(t.ctx.db)
      ).rows.map((r) => r.column_name);
      expect(cols, table).toEqual(expect.arrayContaining(['created_at', 'updated_at', 'version']));
    }
  });
});
