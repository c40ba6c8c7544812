import { sql, type Kysely } from 'kysely';
import { runStatements } from '../sql-script.ts';
import { chineseDaysRows } from '../../core/calendar-data.ts';
import { DEFAULT_CATEGORIES } from '../../modules/events/categories.ts';

/**
 * Events and command (MISSION E1–E7): the working-day calendar (global, shared by every module
 * with deadlines), event categories (global reference data), events with their timeline,
 * attachments and notifications, Open311 API keys, and mediation cases.
 * Forward-only: never edit this file once it has landed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    -- Working-day calendar (工作日历): official holidays and make-up working days. A year with no
    -- row at all is "not covered" and deadline arithmetic falls back (see server/core/calendar.ts).
    create table calendar_day (
      day date primary key,
      kind text not null check (kind in ('holiday','workday')),
      name text not null default '',
      source text not null default 'chinese-days',
      updated_at timestamptz not null default now()
    );

    -- Event categories (事件分类): a tree; per category the level expected to close it, the time
    -- limit of each stage, the departments it goes to and what a report needs.
    create table event_category (
      code text primary key check (code ~ '^[a-z0-9_.-]{2,40}$'),
      parent_code text references event_category (code),
      name text not null,
      name_en text not null default '',
      description text not null default '',
      closing_level text not null default 'grid' check (closing_level in ('grid','community','street')),
      accept_hours int not null default 4 check (accept_hours between 1 and 240),
      respond_hours int not null default 8 check (respond_hours between 1 and 240),
      handle_days int not null default 3 check (handle_days between 1 and 90),
      departments text[] not null default '{}',
      photo_required boolean not null default false,
      anonymous_allowed boolean not null default false,
      auto_escalate boolean not null default true,
      active boolean not null default true,
      sort int not null default 0,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1
    );

    create table event (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      number text not null,
      category_code text not null references event_category (code),
      title text not null,
      description text not null default '',
      source text not null check (source in ('grid','hotline','web','import','open311')),
      state text not null,
      level text not null check (level in ('grid','community','street')),
      origin_level text not null check (origin_level in ('grid','community','street')),
      whistled boolean not null default false,
      resume_state text,
      place_code text not null,
      place_path ltree not null,
      address text not null default '',
      lng double precision,
      lat double precision,
      reporter_id uuid,
      reporter_name text,
      reporter_phone_enc text,
      reporter_phone_idx text,
      anonymous boolean not null default false,
      lead_org_id uuid,
      assist_org_ids uuid[] not null default '{}',
      merged_into uuid,
      stage text check (stage in ('accept','respond','handle')),
      stage_started_at timestamptz,
      warn_at timestamptz,
      due_at timestamptz,
      warned boolean not null default false,
      overdue boolean not null default false,
      ever_overdue boolean not null default false,
      suspended_at timestamptz,
      supervised_count int not null default 0,
      satisfaction int check (satisfaction between 1 and 5),
      reported_at timestamptz not null default now(),
      accepted_at timestamptz,
      whistled_at timestamptz,
      responded_at timestamptz,
      handled_at timestamptz,
      closed_at timestamptz,
      closed_level text check (closed_level in ('grid','community','street')),
      closed_on_time boolean,
      evaluated_at timestamptz,
      external_ref text,
      idempotency_key text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id),
      foreign key (district_code, lead_org_id) references org (district_code, id)
    );
    create unique index event_number_idx on event (number);
    create unique index event_idempotency_idx on event (district_code, reporter_id, idempotency_key) where idempotency_key is not null;
    create unique index event_external_ref_idx on event (district_code, source, external_ref) where external_ref is not null;
    create index event_place_path_idx on event using gist (place_path);
    create index event_state_idx on event (district_code, state);
    create index event_reported_at_idx on event (district_code, reported_at);
    create index event_reporter_idx on event (reporter_id) where reporter_id is not null;
    create index event_lead_org_idx on event (district_code, lead_org_id) where lead_org_id is not null;
    -- The deadline ticker's work list: open events with a clock whose warning or due time has come.
    create index event_clock_idx on event (warn_at, due_at) where stage is not null and (warned = false or overdue = false);
    -- Duplicate detection: same category, open, recent.
    create index event_dup_idx on event (district_code, category_code, reported_at) where state not in ('closed','evaluated','merged');

    -- The timeline (事件轨迹): every step, who, when, what.
    create table event_step (
      district_code char(6) not null,
      id bigint generated always as identity,
      event_id uuid not null,
      at timestamptz not null default now(),
      actor_id uuid,
      actor_name text not null,
      action text not null,
      from_state text,
      to_state text not null,
      level text not null,
      note text not null default '',
      details jsonb not null default '{}',
      primary key (district_code, id),
      foreign key (district_code, event_id) references event (district_code, id)
    );
    create index event_step_event_idx on event_step (district_code, event_id, at);

    -- Photos: stored with EXIF (GPS) stripped; the original bytes are never kept.
    create table event_attachment (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      event_id uuid not null,
      step_id bigint,
      mime text not null check (mime in ('image/jpeg','image/png','image/webp')),
      size int not null,
      bytes bytea not null,
      created_at timestamptz not null default now(),
      primary key (district_code, id),
      foreign key (district_code, event_id) references event (district_code, id)
    );
    create index event_attachment_event_idx on event_attachment (district_code, event_id);

    -- The in-app inbox (站内通知).
    create table event_notification (
      district_code char(6) not null,
      id bigint generated always as identity,
      user_id uuid not null references app_user (id) on delete cascade,
      event_id uuid,
      kind text not null,
      title text not null,
      body text not null default '',
      created_at timestamptz not null default now(),
      read_at timestamptz,
      primary key (district_code, id)
    );
    create index event_notification_user_idx on event_notification (user_id, created_at desc);
    create index event_notification_unread_idx on event_notification (user_id) where read_at is null;

    -- Open311 clients (GeoReport v2 api_key). Only a hash of the key is stored.
    create table open311_key (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      name text not null,
      key_hash text not null unique,
      created_at timestamptz not null default now(),
      revoked_at timestamptz,
      primary key (district_code, id)
    );

    -- Mediation (矛盾纠纷调解, E5).
    create table mediation_case (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      number text not null,
      event_id uuid,
      place_code text not null,
      place_path ltree not null,
      title text not null,
      kind text not null default 'neighbour',
      parties jsonb not null default '[]',
      mediator_org_id uuid,
      mediator_name text not null default '',
      state text not null default 'open' check (state in ('open','agreed','failed')),
      outcome text not null default '',
      agreement text not null default '',
      closed_at timestamptz,
      created_by uuid,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id),
      foreign key (district_code, event_id) references event (district_code, id),
      foreign key (district_code, mediator_org_id) references org (district_code, id)
    );
    create unique index mediation_case_number_idx on mediation_case (number);
    create index mediation_case_path_idx on mediation_case using gist (place_path);

    create table mediation_session (
      district_code char(6) not null,
      id bigint generated always as identity,
      case_id uuid not null,
      at timestamptz not null default now(),
      mediator_name text not null,
      notes text not null,
      created_by uuid,
      primary key (district_code, id),
      foreign key (district_code, case_id) references mediation_case (district_code, id)
    );
  `,
  );
  const rows = chineseDaysRows();
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    await sql`insert into calendar_day (day, kind, name)
      select * from unnest(${chunk.map((r) => r.day)}::date[], ${chunk.map((r) => r.kind)}::text[], ${chunk.map((r) => r.name ?? '')}::text[])
      on conflict (day) do nothing`.execute(db);
  }
  for (const [i, c] of DEFAULT_CATEGORIES.entries()) {
    await sql`insert into event_category (code, parent_code, name, name_en, closing_level, accept_hours, respond_hours, handle_days,
        departments, photo_required, anonymous_allowed, auto_escalate, sort)
      values (${c.code}, ${c.parent ?? null}, ${c.name}, ${c.nameEn}, ${c.closingLevel ?? 'grid'}, ${c.acceptHours ?? 4},
        ${c.respondHours ?? 8}, ${c.handleDays ?? 3}, ${c.departments ?? []}::text[], ${c.photoRequired ?? false},
        ${c.anonymousAllowed ?? false}, ${c.autoEscalate ?? true}, ${i})`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
