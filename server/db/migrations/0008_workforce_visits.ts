import type { Kysely } from 'kysely';
import { runStatements } from '../sql-script.ts';

/**
 * Workforce (W7): grid workers' home visits (走访, 民情日志). The grid score counts them beside
 * the events a grid worker reported and closed; no other module records a grid worker's visits
 * (volunteering's help_pair_visit is a volunteer's, services' slots are bookings).
 * Forward-only: never edit this file once it has landed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create table worker_visit (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      worker_id uuid not null,
      path ltree not null,
      visited_on date not null,
      kind text not null check (kind in ('household','business','follow_up','other')),
      place text not null,
      note text not null default '',
      logged_by text not null,
      created_at timestamptz not null default now(),
      primary key (district_code, id),
      foreign key (district_code, worker_id) references worker (district_code, id) on delete cascade
    );
    create index worker_visit_worker_idx on worker_visit (district_code, worker_id, visited_on desc);
    `,
  );
}

export async function down(): Promise<void> {
  throw new Error('forward-only');
}
