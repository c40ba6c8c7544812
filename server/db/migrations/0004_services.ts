import type { Kysely } from 'kysely';
import { runStatements } from '../sql-script.ts';

/**
 * Services for residents (MISSION V1–V4, P1–P3): the service catalogue per district published per
 * community, applications and their steps, home-visit slots, notifications, certificate lists and
 * issued certificates; help orders (海多多), volunteers, 一帮一 pairs, volunteer projects, party
 * members and their posts, and the hash-chained points ledger.
 * People are referenced by `person` (the registry); no personal data is copied here.
 * Forward-only: never edit this file once it has landed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    -- Counters for human-readable numbers (办件编号, 证明编号, 工单编号): one row per district, kind, key.
    create table service_counter (
      district_code char(6) not null,
      kind text not null,
      key text not null,
      last int not null default 0,
      primary key (district_code, kind, key)
    );

    -- 服务事项目录: categories and items are configured per district.
    create table service_category (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      name text not null,
      sort int not null default 0,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id),
      unique (district_code, name)
    );

    create table service_item (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      category_id uuid not null,
      code text not null,
      name text not null,
      description text not null default '',
      eligibility text not null default '',
      -- [{ "name": "户口簿", "required": true }]
      materials jsonb not null default '[]',
      handler_role text not null default 'community_worker',
      time_limit_days int not null check (time_limit_days between 0 and 60),
      fee_fen int not null default 0 check (fee_fen >= 0),
      certificate_type text,
      online boolean not null default true,
      home_visit boolean not null default false,
      active boolean not null default true,
      sort int not null default 0,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id),
      unique (district_code, code),
      foreign key (district_code, category_id) references service_category (district_code, id)
    );

    -- Which communities offer an item (published per community).
    create table service_item_community (
      district_code char(6) not null,
      item_id uuid not null,
      community_code text not null references division (code),
      published_at timestamptz not null default now(),
      primary key (district_code, item_id, community_code),
      foreign key (district_code, item_id) references service_item (district_code, id) on delete cascade
    );
    create index service_item_community_idx on service_item_community (community_code);

    -- 办件: one application for one item by one person. path = the person's community path (scope).
    create table service_application (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      number text not null,
      item_id uuid not null,
      community_code text not null,
      path ltree not null,
      person_id uuid not null,
      applicant_user_id uuid references app_user (id) on delete set null,
      channel text not null check (channel in ('online','counter','home_visit')),
      state text not null check (state in ('accepted','materials_requested','supplemented','processing','done','refused','withdrawn')),
      note text not null default '',
      materials_note text not null default '',
      result_note text not null default '',
      refusal_reason text not null default '',
      handler_user_id uuid references app_user (id) on delete set null,
      handler_name text not null default '',
      accepted_at timestamptz not null default now(),
      due_at timestamptz not null,
      waiting_since timestamptz,
      finished_at timestamptz,
      certificate_id uuid,
      idempotency_key text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id),
      unique (district_code, number),
      foreign key (district_code, item_id) references service_item (district_code, id),
      foreign key (district_code, person_id) references person (district_code, id)
    );
    create index service_application_path_idx on service_application using gist (path);
    create index service_application_person_idx on service_application (district_code, person_id, created_at desc);
    create index service_application_open_idx on service_application (district_code, due_at) where state not in ('done','refused','withdrawn');
    create unique index service_application_idem_idx on service_application (district_code, applicant_user_id, idempotency_key) where idempotency_key is not null;

    create table service_application_step (
      district_code char(6) not null,
      id bigint generated always as identity,
      application_id uuid not null,
      at timestamptz not null default now(),
      action text not null,
      from_state text,
      to_state text not null,
      actor_id uuid,
      actor_name text not null,
      note text not null default '',
      primary key (district_code, id),
      foreign key (district_code, application_id) references service_application (district_code, id) on delete cascade
    );
    create index service_application_step_app_idx on service_application_step (district_code, application_id, id);

    -- Uploaded materials (申请材料): kept small (photos of documents), in the database with the record.
    create table service_material (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      application_id uuid not null,
      name text not null,
      file_name text not null,
      mime text not null,
      size int not null,
      content bytea not null,
      uploaded_by text not null,
      created_at timestamptz not null default now(),
      primary key (district_code, id),
      foreign key (district_code, application_id) references service_application (district_code, id) on delete cascade
    );
    create index service_material_app_idx on service_material (district_code, application_id);

    -- 预约上门: a worker's bookable slots for home visits.
    create table service_slot (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      community_code text not null,
      path ltree not null,
      worker_user_id uuid not null references app_user (id),
      worker_name text not null,
      starts_at timestamptz not null,
      ends_at timestamptz not null,
      state text not null default 'open' check (state in ('open','booked','cancelled')),
      application_id uuid,
      person_id uuid,
      note text not null default '',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id),
      check (ends_at > starts_at),
      foreign key (district_code, application_id) references service_application (district_code, id),
      foreign key (district_code, person_id) references person (district_code, id)
    );
    create index service_slot_worker_idx on service_slot (worker_user_id, starts_at);
    create index service_slot_path_idx on service_slot using gist (path);

    -- Notifications to a user (the resident following an application, a volunteer's order).
    create table service_notification (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      user_id uuid not null references app_user (id) on delete cascade,
      subject_type text not null,
      subject_id uuid not null,
      title text not null,
      body text not null default '',
      created_at timestamptz not null default now(),
      read_at timestamptz,
      primary key (district_code, id)
    );
    create index service_notification_user_idx on service_notification (user_id, created_at desc);

    -- 证明盖章事项清单: the certificate types a community may issue, each with its legal basis.
    create table certificate_list_entry (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      community_code text not null references division (code),
      type_key text not null,
      name text not null,
      legal_basis text not null,
      validity_days int not null default 90,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id),
      unique (district_code, community_code, type_key)
    );

    create table certificate (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      number text not null,
      verify_code text not null,
      community_code text not null,
      path ltree not null,
      person_id uuid not null,
      type_key text not null,
      type_name text not null,
      legal_basis text not null,
      purpose text not null,
      body text not null,
      valid_until date not null,
      application_id uuid,
      issued_by uuid references app_user (id) on delete set null,
      issued_by_name text not null,
      issued_at timestamptz not null default now(),
      revoked_at timestamptz,
      revoke_reason text not null default '',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id),
      unique (district_code, number),
      foreign key (district_code, person_id) references person (district_code, id),
      foreign key (district_code, application_id) references service_application (district_code, id)
    );
    create unique index certificate_verify_idx on certificate (verify_code);
    create index certificate_path_idx on certificate using gist (path);

    -- ------------------------------------------------------------ volunteering

    create table volunteer (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      person_id uuid not null,
      community_code text not null,
      path ltree not null,
      skills text[] not null default '{}',
      status text not null default 'active' check (status in ('active','inactive')),
      registered_at timestamptz not null default now(),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id),
      unique (district_code, person_id),
      foreign key (district_code, person_id) references person (district_code, id)
    );
    create index volunteer_path_idx on volunteer using gist (path);

    -- 党员: linked to the person and to their party organisation. kind: 自管党员 / 在职党员 (双报到).
    create table party_member (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      person_id uuid not null,
      org_id uuid,
      kind text not null check (kind in ('self_managed','in_service')),
      community_code text not null,
      path ltree not null,
      workplace text not null default '',
      reported_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id),
      unique (district_code, person_id),
      foreign key (district_code, person_id) references person (district_code, id),
      foreign key (district_code, org_id) references org (district_code, id)
    );
    create index party_member_path_idx on party_member using gist (path);

    -- 海多多 help orders: 居民下单、党员/志愿者接单.
    create table help_order (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      number text not null,
      community_code text not null,
      path ltree not null,
      requester_person_id uuid not null,
      posted_by uuid references app_user (id) on delete set null,
      posted_by_name text not null,
      kind text not null check (kind in ('buy_medicine','escort_medical','appliance_repair','wish','companion','other')),
      title text not null,
      description text not null default '',
      take_by timestamptz not null,
      state text not null check (state in ('open','taken','completed','confirmed','escalated','cancelled')),
      taker_user_id uuid references app_user (id) on delete set null,
      taker_name text not null default '',
      taker_kind text check (taker_kind in ('volunteer','party_member','community_worker')),
      taken_at timestamptz,
      completed_at timestamptz,
      completion_note text not null default '',
      confirmed_at timestamptz,
      rating int check (rating between 1 and 5),
      rating_comment text not null default '',
      escalated_at timestamptz,
      idempotency_key text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id),
      unique (district_code, number),
      foreign key (district_code, requester_person_id) references person (district_code, id)
    );
    create index help_order_path_idx on help_order using gist (path);
    create index help_order_open_idx on help_order (district_code, take_by) where state = 'open';
    create unique index help_order_idem_idx on help_order (district_code, posted_by, idempotency_key) where idempotency_key is not null;

    -- 一帮一 pairs and their visit logs.
    create table help_pair (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      volunteer_id uuid not null,
      person_id uuid not null,
      community_code text not null,
      path ltree not null,
      started_on date not null default current_date,
      active boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id),
      foreign key (district_code, volunteer_id) references volunteer (district_code, id),
      foreign key (district_code, person_id) references person (district_code, id)
    );
    create index help_pair_path_idx on help_pair using gist (path);

    create table help_pair_visit (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      pair_id uuid not null,
      visited_on date not null,
      note text not null,
      logged_by text not null,
      created_at timestamptz not null default now(),
      primary key (district_code, id),
      foreign key (district_code, pair_id) references help_pair (district_code, id) on delete cascade
    );
    create index help_pair_visit_pair_idx on help_pair_visit (district_code, pair_id, visited_on desc);

    -- Volunteer service projects with slots, sign-up and QR check-in/out; hours confirmed by the organiser.
    create table volunteer_project (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      community_code text not null,
      path ltree not null,
      title text not null,
      description text not null default '',
      starts_at timestamptz not null,
      ends_at timestamptz not null,
      slots int not null check (slots between 1 and 10000),
      checkin_code text not null,
      organiser_user_id uuid references app_user (id) on delete set null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id),
      check (ends_at > starts_at)
    );
    create index volunteer_project_path_idx on volunteer_project using gist (path);

    create table volunteer_signup (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      project_id uuid not null,
      volunteer_id uuid not null,
      checked_in_at timestamptz,
      checked_out_at timestamptz,
      hours numeric(6,2),
      confirmed_at timestamptz,
      confirmed_by text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id),
      unique (district_code, project_id, volunteer_id),
      foreign key (district_code, project_id) references volunteer_project (district_code, id),
      foreign key (district_code, volunteer_id) references volunteer (district_code, id)
    );

    -- 王殿海工作法: service posts (岗位) that 自管党员 claim, with target households and a plan.
    create table party_post (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      community_code text not null,
      path ltree not null,
      title text not null,
      description text not null default '',
      target_houses text[] not null default '{}',
      plan text not null default '',
      member_id uuid,
      claimed_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id),
      foreign key (district_code, member_id) references party_member (district_code, id)
    );
    create index party_post_path_idx on party_post using gist (path);

    create table party_post_log (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      post_id uuid not null,
      done_on date not null,
      note text not null,
      logged_by text not null,
      created_at timestamptz not null default now(),
      primary key (district_code, id),
      foreign key (district_code, post_id) references party_post (district_code, id) on delete cascade
    );

    -- ------------------------------------------------------------ points (积分)

    -- Earning rules per community: reason → points (per order, per volunteer hour, per activity).
    create table points_rule (
      district_code char(6) not null,
      community_code text not null,
      reason text not null check (reason in ('help_order','volunteer_hour','participation')),
      points int not null check (points between 0 and 1000),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, community_code, reason)
    );

    create table points_shop_item (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      community_code text not null,
      name text not null,
      cost int not null check (cost > 0),
      stock int not null check (stock >= 0),
      active boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id)
    );

    -- The append-only, hash-chained points ledger, one chain per district (the territorial key).
    -- Balances are sums over it; nothing else stores a balance.
    create table points_ledger (
      district_code char(6) not null,
      seq bigint not null,
      at timestamptz not null,
      person_id uuid not null,
      community_code text not null,
      delta int not null check (delta <> 0),
      reason text not null,
      ref_type text,
      ref_id text,
      actor_name text not null,
      prev_hash char(64) not null,
      hash char(64) not null,
      primary key (district_code, seq)
    );
    create index points_ledger_person_idx on points_ledger (district_code, person_id) include (delta);

    create table points_head (
      district_code char(6) not null,
      last_seq bigint not null,
      last_hash char(64) not null,
      primary key (district_code)
    );
    `,
  );
}
