import type { Kysely } from 'kysely';
import { runStatements } from '../sql-script.ts';

/**
 * Recruitment (W3): the scans applicants upload with the online form (certificates as PDF,
 * JPEG or PNG), kept in the database beside the application like services' materials; and an
 * idempotency key so a phone that retries the public form never files twice.
 * Pay (W4): a run's dictionary of distinct pay-line explanations; lines of runs that have one
 * store [index, amount] pairs instead of the full text (older runs keep their full lines).
 * Forward-only: never edit this file once it has landed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create table recruit_application_file (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      application_id uuid not null,
      -- which entry of the application's certificates the scan belongs to
      cert_index int not null check (cert_index between 0 and 9),
      file_name text not null,
      mime text not null check (mime in ('application/pdf','image/jpeg','image/png')),
      size int not null check (size > 0),
      content bytea not null,
      uploaded_by text not null,
      created_at timestamptz not null default now(),
      primary key (district_code, id),
      foreign key (district_code, application_id) references recruit_application (district_code, id) on delete cascade
    );
    create index recruit_application_file_app_idx on recruit_application_file (district_code, application_id);
    alter table recruit_application add column channel text not null default 'staff' check (channel in ('staff','online'));
    alter table recruit_application add column client_key text;
    alter table pay_run add column item_dict jsonb;
    create unique index recruit_application_client_key_idx on recruit_application (district_code, plan_id, client_key) where client_key is not null;
    `,
  );
}

export async function down(): Promise<void> {
  throw new Error('forward-only');
}
