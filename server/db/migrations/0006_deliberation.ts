import type { Kysely } from 'kysely';
import { runStatements } from '../sql-script.ts';

/**
 * Residents decide together (MISSION D1–D3): topics raised by residents (居民说事) and their
 * supporters, deliberation bodies with typed seats, meetings (agenda, attendance, minutes,
 * resolutions, follow-up tasks), votes (selections and owners' decisions under Civil Code
 * Art. 278, with the owners' roll frozen when the vote opens), conventions with versions, and
 * the notices of the public board. `path` is always the ltree path of the place the row
 * belongs to, so the territory scope filter applies.
 * Forward-only: never edit this file once it has landed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    -- 居民说事: a topic raised by a resident about a place in their community.
    create table delib_topic (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      community_code text not null,
      place_code text not null,
      path ltree not null,
      title text not null,
      body text not null,
      raised_by uuid references app_user (id) on delete set null,
      raised_by_name text not null,
      status text not null default 'open' check (status in ('open','agenda','event','replied','closed')),
      reply text,
      event_ref text,
      meeting_id uuid,
      support_count int not null default 0,
      triaged_by_name text,
      triaged_at timestamptz,
      -- a phone's retry of the same submission carries the same key and creates nothing new
      client_key text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id)
    );
    create unique index delib_topic_client_key_idx on delib_topic (district_code, raised_by, client_key) where client_key is not null;
    create index delib_topic_path_idx on delib_topic using gist (path);
    create index delib_topic_created_idx on delib_topic (district_code, created_at desc);

    create table delib_topic_photo (
      district_code char(6) not null,
      topic_id uuid not null,
      seq int not null,
      content_type text not null,
      data bytea not null,
      primary key (district_code, topic_id, seq),
      foreign key (district_code, topic_id) references delib_topic (district_code, id) on delete cascade
    );

    create table delib_topic_support (
      district_code char(6) not null,
      topic_id uuid not null,
      user_id uuid not null references app_user (id) on delete cascade,
      created_at timestamptz not null default now(),
      primary key (district_code, topic_id, user_id),
      foreign key (district_code, topic_id) references delib_topic (district_code, id) on delete cascade
    );

    -- 议事机构: 四方例会, 六方会议, 圆桌会议, 议事厅, 百姓议事堂, 四老论坛.
    create table delib_body (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      community_code text not null,
      place_code text not null,
      path ltree not null,
      kind text not null check (kind in ('four_party','six_party','round_table','hall','people_hall','elders_forum')),
      name text not null,
      description text not null default '',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id)
    );
    create index delib_body_path_idx on delib_body using gist (path);

    create table delib_body_member (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      body_id uuid not null,
      seat text not null,
      name text not null,
      title text not null default '',
      org_id uuid,
      user_id uuid references app_user (id) on delete set null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id),
      foreign key (district_code, body_id) references delib_body (district_code, id) on delete cascade
    );
    create index delib_body_member_body_idx on delib_body_member (district_code, body_id);

    create table delib_meeting (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      body_id uuid not null,
      title text not null,
      scheduled_at timestamptz not null,
      location text not null default '',
      status text not null default 'planned' check (status in ('planned','noticed','held','published')),
      notice text not null default '',
      minutes text not null default '',
      outcome text not null default '',
      checkin_token text not null,
      noticed_at timestamptz,
      published_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id),
      foreign key (district_code, body_id) references delib_body (district_code, id)
    );
    create index delib_meeting_body_idx on delib_meeting (district_code, body_id, scheduled_at desc);

    create table delib_agenda_item (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      meeting_id uuid not null,
      seq int not null,
      title text not null,
      topic_id uuid,
      created_at timestamptz not null default now(),
      primary key (district_code, id),
      foreign key (district_code, meeting_id) references delib_meeting (district_code, id) on delete cascade,
      foreign key (district_code, topic_id) references delib_topic (district_code, id)
    );
    create index delib_agenda_meeting_idx on delib_agenda_item (district_code, meeting_id, seq);

    -- Attendance: a member marked by the worker, or anyone signed in who scans the meeting's QR.
    create table delib_attendance (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      meeting_id uuid not null,
      member_id uuid,
      user_id uuid references app_user (id) on delete set null,
      name text not null,
      seat text not null default '',
      method text not null check (method in ('qr','manual')),
      checked_in_at timestamptz not null default now(),
      primary key (district_code, id),
      foreign key (district_code, meeting_id) references delib_meeting (district_code, id) on delete cascade
    );
    create unique index delib_attendance_user_idx on delib_attendance (district_code, meeting_id, user_id) where user_id is not null;
    create unique index delib_attendance_member_idx on delib_attendance (district_code, meeting_id, member_id) where member_id is not null;

    create table delib_resolution (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      meeting_id uuid not null,
      agenda_item_id uuid,
      text text not null,
      decision text not null check (decision in ('adopted','rejected','deferred')),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id),
      foreign key (district_code, meeting_id) references delib_meeting (district_code, id) on delete cascade
    );
    create index delib_resolution_meeting_idx on delib_resolution (district_code, meeting_id);

    create table delib_task (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      resolution_id uuid not null,
      title text not null,
      owner_name text not null,
      due_date date not null,
      status text not null default 'open' check (status in ('open','done')),
      done_at timestamptz,
      done_note text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id),
      foreign key (district_code, resolution_id) references delib_resolution (district_code, id) on delete cascade
    );
    create index delib_task_resolution_idx on delib_task (district_code, resolution_id);

    -- Votes. kind 'selection': residents pick 1..max_choices options (十佳公约);
    -- kind 'owners': an owners' decision on common parts, Art. 278 item 'matter'.
    create table delib_vote (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      community_code text not null,
      place_code text not null,
      path ltree not null,
      kind text not null check (kind in ('selection','owners')),
      title text not null,
      description text not null default '',
      matter int check (matter between 1 and 9),
      max_choices int not null default 1 check (max_choices >= 1),
      winners int not null default 1 check (winners >= 1),
      secret boolean not null default false,
      status text not null default 'draft' check (status in ('draft','open','closed')),
      opens_at timestamptz not null,
      closes_at timestamptz not null,
      opened_at timestamptz,
      closed_at timestamptz,
      result jsonb,
      created_by_name text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id),
      check (closes_at > opens_at),
      check ((kind = 'owners') = (matter is not null))
    );
    create index delib_vote_path_idx on delib_vote using gist (path);

    create table delib_vote_option (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      vote_id uuid not null,
      seq int not null,
      label text not null,
      detail text not null default '',
      primary key (district_code, id),
      foreign key (district_code, vote_id) references delib_vote (district_code, id) on delete cascade
    );
    create index delib_vote_option_vote_idx on delib_vote_option (district_code, vote_id, seq);

    -- The owners' roll, frozen when an owners' vote opens: every house in the place, its
    -- registered exclusive area and its owners at that moment.
    create table delib_vote_roll (
      district_code char(6) not null,
      vote_id uuid not null,
      house_code text not null,
      area numeric(9,2),
      owner_ids uuid[] not null,
      primary key (district_code, vote_id, house_code),
      foreign key (district_code, vote_id) references delib_vote (district_code, id) on delete cascade
    );
    create index delib_vote_roll_owner_idx on delib_vote_roll using gin (owner_ids);

    -- One row per house (owners' votes) or per resident (selections): voter_key is unique.
    create table delib_ballot (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      vote_id uuid not null,
      voter_key text not null,
      house_code text,
      voter_user_id uuid references app_user (id) on delete set null,
      channel text not null check (channel in ('online','paper')),
      choice text check (choice in ('agree','disagree','abstain')),
      option_ids uuid[],
      receipt text not null,
      entered_by_name text,
      cast_at timestamptz not null default now(),
      primary key (district_code, id),
      unique (district_code, vote_id, voter_key),
      foreign key (district_code, vote_id) references delib_vote (district_code, id) on delete cascade
    );
    create index delib_ballot_user_idx on delib_ballot (district_code, vote_id, voter_user_id);

    -- 公约 and their versions with the adoption record.
    create table delib_convention (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      community_code text not null,
      place_code text not null,
      path ltree not null,
      title text not null,
      current_version int not null default 0,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id)
    );
    create index delib_convention_path_idx on delib_convention using gist (path);

    create table delib_convention_version (
      district_code char(6) not null,
      convention_id uuid not null,
      version_no int not null,
      text text not null,
      adopted_on date not null,
      adopted_by text not null,
      vote_id uuid,
      meeting_id uuid,
      created_at timestamptz not null default now(),
      primary key (district_code, convention_id, version_no),
      foreign key (district_code, convention_id) references delib_convention (district_code, id) on delete cascade
    );

    -- 四公开 notices (affairs, finance) on the public board.
    create table delib_notice (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      community_code text not null,
      path ltree not null,
      kind text not null check (kind in ('affairs','finance','service','party')),
      title text not null,
      body text not null,
      published_at timestamptz not null default now(),
      published_by_name text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id)
    );
    create index delib_notice_community_idx on delib_notice (community_code, published_at desc);
  `,
  );
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
