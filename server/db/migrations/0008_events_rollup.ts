import type { Kysely } from 'kysely';
import { runStatements } from '../sql-script.ts';

/**
 * The event measures rollup (issue 4, E4; DECISIONS D41). What one event contributes to the
 * measures (its "fact") is written by triggers on `event` into `event_rollup_delta` in the same
 * transaction as the change, as −1 for the old fact and +1 for the new one; a folder moves
 * deltas into `event_rollup` (counters per territory node, day, dimension and key) in one
 * transaction. A measure reads the rollup plus the pending deltas in one snapshot, so it can
 * never drift from the rows. Forward-only: never edit this file once it has landed; the module
 * imports FACT_SELECT from here so the triggers and the reader share one definition.
 */

/** The columns of an event's fact, in the order of `event_rollup_delta` after `sign`. */
export const FACT_COLUMNS = [
  'place_path',
  'day',
  'category_code',
  'state',
  'closed_level',
  'org',
  'closed',
  'on_time',
  'accepted',
  'resolved',
  'rated',
  'satisfied',
  'sat',
  'grid',
  'community',
  'street',
  'open_overdue',
  'supervised',
  'whistled',
  'responded',
  'accept_s',
  'close_s',
  'resp_s',
] as const;

/** The fact of the event row aliased `e` (merged duplicates have none: filter them out). */
export const factSelect = (e: string) => `
  ${e}.place_path, (${e}.reported_at at time zone 'Asia/Shanghai')::date as day, ${e}.category_code, ${e}.state, ${e}.closed_level,
  case when ${e}.whistled_at is not null then ${e}.lead_org_id end as org,
  (${e}.closed_at is not null)::int as closed,
  (${e}.closed_at is not null and coalesce(${e}.closed_on_time, false))::int as on_time,
  (${e}.accepted_at is not null)::int as accepted,
  (${e}.closed_at is not null and (${e}.satisfaction is null or ${e}.satisfaction >= 3))::int as resolved,
  (${e}.satisfaction is not null)::int as rated,
  (coalesce(${e}.satisfaction, 0) >= 4)::int as satisfied,
  coalesce(${e}.satisfaction, 0) as sat,
  (${e}.closed_level is not distinct from 'grid')::int as grid,
  (${e}.closed_level is not distinct from 'community')::int as community,
  (${e}.closed_level is not distinct from 'street')::int as street,
  (${e}.overdue and ${e}.closed_at is null)::int as open_overdue,
  (${e}.supervised_count > 0)::int as supervised,
  (${e}.whistled_at is not null)::int as whistled,
  (${e}.whistled_at is not null and ${e}.responded_at is not null)::int as responded,
  coalesce(extract(epoch from ${e}.accepted_at - ${e}.reported_at), 0) as accept_s,
  coalesce(extract(epoch from ${e}.closed_at - ${e}.reported_at), 0) as close_s,
  coalesce(extract(epoch from ${e}.responded_at - ${e}.whistled_at), 0) * (${e}.whistled_at is not null)::int as resp_s`;

const cols = FACT_COLUMNS.join(', ');

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    -- Facts not yet folded into event_rollup: −1 for what an event contributed before a change, +1 after.
    create table event_rollup_delta (
      id bigserial primary key,
      sign smallint not null check (sign in (-1, 1)),
      place_path ltree not null,
      day date not null,
      category_code text not null,
      state text not null,
      closed_level text,
      org uuid,
      closed int not null, on_time int not null, accepted int not null, resolved int not null,
      rated int not null, satisfied int not null, sat int not null,
      grid int not null, community int not null, street int not null,
      open_overdue int not null, supervised int not null, whistled int not null, responded int not null,
      accept_s numeric not null, close_s numeric not null, resp_s numeric not null
    );

    -- Counters per territory node (path, levels 1–6), grain ('d' a Shanghai day of reporting, 'm'
    -- its month, day = the 1st), dimension and key: dim 't' totals (key ''), 's' by state, 'c' by
    -- leaf category, 'o' by lead department. 't' rows exist down to the grid (level 6), the others
    -- down to the community (level 5).
    create table event_rollup (
      node text not null,
      parent text,
      grain char(1) not null check (grain in ('d','m')),
      day date not null,
      dim char(1) not null check (dim in ('t','s','c','o')),
      key text not null,
      n bigint not null default 0,
      closed bigint not null default 0, on_time bigint not null default 0, accepted bigint not null default 0,
      resolved bigint not null default 0, rated bigint not null default 0, satisfied bigint not null default 0,
      sat bigint not null default 0, grid bigint not null default 0, community bigint not null default 0,
      street bigint not null default 0, open_overdue bigint not null default 0, supervised bigint not null default 0,
      whistled bigint not null default 0, responded bigint not null default 0,
      accept_s numeric not null default 0, close_s numeric not null default 0, resp_s numeric not null default 0,
      primary key (node, grain, day, dim, key)
    );
    create index event_rollup_parent_idx on event_rollup (parent, grain, day) where dim = 't';

    create function event_rollup_on_insert() returns trigger language plpgsql as $$
    begin
      insert into event_rollup_delta (sign, ${cols})
        select 1, ${factSelect('n')} from new_rows n where n.state <> 'merged';
      return null;
    end $$;

    create function event_rollup_on_delete() returns trigger language plpgsql as $$
    begin
      insert into event_rollup_delta (sign, ${cols})
        select -1, ${factSelect('o')} from old_rows o where o.state <> 'merged';
      return null;
    end $$;

    -- Only changes that move a fact leave deltas (a deadline warning or a note does not).
    create function event_rollup_on_update() returns trigger language plpgsql as $$
    begin
      insert into event_rollup_delta (sign, ${cols})
      with o as (select o.district_code, o.id, ${factSelect('o')} from old_rows o where o.state <> 'merged'),
           n as (select n.district_code, n.id, ${factSelect('n')} from new_rows n where n.state <> 'merged'),
           gone as (select * from o except all select * from n),
           came as (select * from n except all select * from o)
      select -1, ${cols} from gone
      union all
      select 1, ${cols} from came;
      return null;
    end $$;

    create trigger event_rollup_insert after insert on event referencing new table as new_rows
      for each statement execute function event_rollup_on_insert();
    create trigger event_rollup_delete after delete on event referencing old table as old_rows
      for each statement execute function event_rollup_on_delete();
    create trigger event_rollup_update after update on event referencing old table as old_rows new table as new_rows
      for each statement execute function event_rollup_on_update();

    -- Backfill: every event already filed becomes a pending fact (folded by the app or
    -- \`gongzhi events rollup rebuild\`).
    insert into event_rollup_delta (sign, ${cols}) select 1, ${factSelect('e')} from event e where e.state <> 'merged';
    `,
  );
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
