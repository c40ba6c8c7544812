import type { Kysely } from 'kysely';
import { runStatements } from '../sql-script.ts';

/**
 * Core schema: territory (divisions, grids, buildings, units, houses), organisations,
 * users with place-bound roles, sessions, API tokens and the hash-chained audit log.
 * Forward-only: never edit this file once it has landed; add a new migration instead.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create extension if not exists ltree;
    create extension if not exists pg_trgm;

    -- Reference table (global): GB/T 2260 and statistical division codes, province to community.
    create table division (
      code text primary key,
      name text not null,
      level text not null check (level in ('province','city','district','street','community')),
      parent_code text references division(code),
      path ltree not null
    );
    create index division_parent_idx on division (parent_code);
    create index division_path_idx on division using gist (path);
    create index division_name_trgm_idx on division using gin (name gin_trgm_ops);

    -- 网格: 15 digits = community code + 3-digit sequence (west→east, north→south).
    create table grid (
      district_code char(6) not null,
      code text not null check (code ~ '^[0-9]{15}$'),
      community_code text not null references division(code),
      seq int not null,
      name text not null,
      path ltree not null,
      bounds jsonb,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, code)
    );
    create index grid_path_idx on grid using gist (path);
    create index grid_community_idx on grid (community_code);
    create index grid_name_trgm_idx on grid using gin (name gin_trgm_ops);

    -- 楼栋: 18 digits = grid code + 3-digit sequence.
    create table building (
      district_code char(6) not null,
      code text not null check (code ~ '^[0-9]{18}$'),
      grid_code text not null,
      community_code text not null,
      number int not null,
      name text not null,
      floors int not null check (floors between 1 and 200),
      units_count int not null check (units_count between 1 and 50),
      rooms_per_floor int not null check (rooms_per_floor between 1 and 50),
      built_year int,
      has_lift boolean not null default false,
      address text not null default '',
      path ltree not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, code),
      foreign key (district_code, grid_code) references grid (district_code, code)
    );
    create index building_grid_idx on building (district_code, grid_code);
    create index building_path_idx on building using gist (path);
    create index building_name_trgm_idx on building using gin (name gin_trgm_ops);

    -- 单元: 20 digits = building code + 2 digits.
    create table building_unit (
      district_code char(6) not null,
      code text not null check (code ~ '^[0-9]{20}$'),
      building_code text not null,
      number int not null,
      name text not null,
      path ltree not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, code),
      foreign key (district_code, building_code) references building (district_code, code)
    );
    create index building_unit_building_idx on building_unit (district_code, building_code);
    create index building_unit_path_idx on building_unit using gist (path);

    -- 户: 24 digits = unit code + 2-digit floor + 2-digit room.
    create table house (
      district_code char(6) not null,
      code text not null check (code ~ '^[0-9]{24}$'),
      unit_code text not null,
      building_code text not null,
      floor int not null,
      room int not null,
      room_label text not null,
      area numeric(9,2),
      use text not null default 'self' check (use in ('self','rented','vacant','business')),
      path ltree not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, code),
      foreign key (district_code, unit_code) references building_unit (district_code, code)
    );
    create index house_unit_idx on house (district_code, unit_code);
    create index house_building_idx on house (district_code, building_code);
    create index house_path_idx on house using gist (path);

    -- Organisations beside the territory: party tree, departments, property companies, ...
    create table org (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      seed_key text,
      kind text not null check (kind in ('party','department','property_company','owners_committee','resident_unit','social_org')),
      level text,
      name text not null,
      parent_id uuid,
      territory_code text not null,
      territory_path ltree not null,
      org_path ltree not null,
      contact_name text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id),
      foreign key (district_code, parent_id) references org (district_code, id)
    );
    create unique index org_seed_key_idx on org (district_code, seed_key) where seed_key is not null;
    create index org_territory_path_idx on org using gist (territory_path);
    create index org_path_idx on org using gist (org_path);
    create index org_parent_idx on org (district_code, parent_id);

    create table app_user (
      id uuid primary key default gen_random_uuid(),
      username text not null,
      display_name text not null,
      password_hash text not null,
      password_changed_at timestamptz not null default now(),
      must_change_password boolean not null default false,
      failed_logins int not null default 0,
      locked_until timestamptz,
      totp_secret text,
      totp_enabled boolean not null default false,
      totp_required boolean not null default false,
      totp_last_step bigint,
      disabled boolean not null default false,
      locale text not null default 'zh-CN',
      is_demo boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1
    );
    create unique index app_user_username_idx on app_user (lower(username));

    -- A role bound to a node: the territory (ltree path), an organisation (org path) or global.
    -- scope_path is always the territory the role covers (an organisation's own place for org roles).
    create table role_binding (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references app_user (id) on delete cascade,
      role text not null,
      scope_type text not null check (scope_type in ('global','territory','org')),
      scope_code text not null default '',
      scope_path ltree,
      org_path ltree,
      created_at timestamptz not null default now(),
      created_by uuid,
      unique (user_id, role, scope_type, scope_code)
    );
    create index role_binding_user_idx on role_binding (user_id);

    create table user_session (
      id text primary key,
      user_id uuid not null references app_user (id) on delete cascade,
      csrf_token text not null,
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      ip text,
      user_agent text
    );
    create index user_session_user_idx on user_session (user_id);

    create table api_token (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references app_user (id) on delete cascade,
      name text not null,
      token_hash text not null unique,
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    );

    -- Append-only, hash-chained audit log. place_code is the territory the action concerns.
    create table audit_log (
      id bigint primary key,
      at timestamptz not null,
      actor_id uuid,
      actor_name text,
      action text not null,
      outcome text not null default 'success',
      target_type text,
      target_id text,
      place_code text,
      ip text,
      details jsonb not null default '{}',
      prev_hash text not null,
      hash text not null
    );
    create index audit_log_at_idx on audit_log (at);
    create index audit_log_action_idx on audit_log (action);
    create index audit_log_actor_idx on audit_log (actor_name);

    -- The chain's head: lets verification notice rows deleted from the end.
    create table audit_head (
      singleton boolean primary key default true check (singleton),
      last_id bigint not null default 0,
      last_hash text not null
    );

    create function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only';
    end $$;
    create trigger audit_log_no_update before update or delete on audit_log
      for each row execute function audit_log_append_only();
    create trigger audit_log_no_truncate before truncate on audit_log
      for each statement execute function audit_log_append_only();

    create table app_setting (
      key text primary key,
      value jsonb not null,
      updated_at timestamptz not null default now()
    );
  `,
  );
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
