import type { Kysely } from 'kysely';
import { runStatements } from '../sql-script.ts';

/**
 * Every statement that changes events announces the districts it touched on the live channel
 * (server/core/live.ts) as `{"topic":"events","keys":[<district codes>]}`, on commit, whoever runs
 * it (filing, actions, the deadline ticker, imports, Open311, SQL by hand). Command dashboards
 * listen for their districts (GET /api/events/stats/stream) and re-read their measures at once
 * instead of waiting for a poll. One announcement per statement, not per row: a group-commit batch
 * or a bulk load is one message. Forward-only: never edit this file once it has landed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create function gz_events_changed_new() returns trigger language plpgsql as $$
    begin
      perform pg_notify('gongzhi_live', json_build_object('topic', 'events', 'keys', k.keys)::text)
      from (select json_agg(distinct district_code) as keys from new_rows) k where k.keys is not null;
      return null;
    end $$;
    create function gz_events_changed_old() returns trigger language plpgsql as $$
    begin
      perform pg_notify('gongzhi_live', json_build_object('topic', 'events', 'keys', k.keys)::text)
      from (select json_agg(distinct district_code) as keys from old_rows) k where k.keys is not null;
      return null;
    end $$;
    create trigger event_live_insert after insert on event referencing new table as new_rows
      for each statement execute function gz_events_changed_new();
    create trigger event_live_update after update on event referencing new table as new_rows
      for each statement execute function gz_events_changed_new();
    create trigger event_live_delete after delete on event referencing old table as old_rows
      for each statement execute function gz_events_changed_old();
    `,
  );
}
