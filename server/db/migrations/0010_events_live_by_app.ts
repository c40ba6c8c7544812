import type { Kysely } from 'kysely';
import { runStatements } from '../sql-script.ts';

/**
 * The event table's live triggers (0009_events_live) stay quiet for a statement that set
 * `gongzhi.live_by_app` (server/core/live.ts, LIVE_BY_APP): an autocommitted filing batch, whose
 * announcements the app sends itself right after the commit. A NOTIFY holds PostgreSQL's single
 * notify-queue lock until its transaction's commit has been flushed, so with the NOTIFY inside the
 * batch two app instances' batches committed strictly one after the other. Every other writer
 * (actions, the ticker, imports, SQL by hand) is announced by the trigger as before.
 * Forward-only: never edit this file once it has landed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create or replace function gz_events_changed_new() returns trigger language plpgsql as $$
    begin
      if current_setting('gongzhi.live_by_app', true) = 'on' then return null; end if;
      perform pg_notify('gongzhi_live', json_build_object('topic', 'events', 'keys', k.keys)::text)
      from (select json_agg(distinct district_code) as keys from new_rows) k where k.keys is not null;
      return null;
    end $$;
    create or replace function gz_events_changed_old() returns trigger language plpgsql as $$
    begin
      if current_setting('gongzhi.live_by_app', true) = 'on' then return null; end if;
      perform pg_notify('gongzhi_live', json_build_object('topic', 'events', 'keys', k.keys)::text)
      from (select json_agg(distinct district_code) as keys from old_rows) k where k.keys is not null;
      return null;
    end $$;
    `,
  );
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
