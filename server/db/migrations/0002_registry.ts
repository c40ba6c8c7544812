import type { Kysely } from 'kysely';
import { runStatements } from '../sql-script.ts';

/**
 * Base data registry (MISSION R1–R5): persons, person↔house links, units (实有单位), vehicles,
 * tenancies, visitors, the change history of every record and import jobs.
 * ID numbers and phones are never stored in clear: `*_enc` holds AES-256-GCM ciphertext and
 * `*_bidx` an HMAC blind index for exact lookup (server/core/crypto.ts).
 * Forward-only: never edit this file once it has landed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    -- 实有人口. path = where the person lives (their house's path, or the community's when no
    -- house is known), so the territory scope filter applies to people like to places.
    create table person (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      community_code text not null,
      house_code text,
      path ltree not null,
      name text not null,
      -- pinyin is ASCII: collate "C" lets one btree serve both LIKE 'prefix%' and the sort order.
      name_pinyin text collate "C" not null default '',
      name_initials text collate "C" not null default '',
      id_type text not null check (id_type in ('resident','passport','hk_macao','taiwan')),
      id_enc text not null,
      id_bidx text not null,
      gender char(1) check (gender in ('M','F')),
      birth_date date,
      phone_enc text,
      phone_bidx text,
      ethnicity text not null default '',
      household_place text not null default '',
      residency text not null default 'registered' check (residency in ('registered','migrant','foreign')),
      tags text[] not null default '{}',
      status text not null default 'active' check (status in ('active','moved_out','deceased')),
      user_id uuid references app_user (id) on delete set null,
      note text not null default '',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id),
      foreign key (district_code, house_code) references house (district_code, code)
    );
    create unique index person_id_bidx_idx on person (district_code, id_bidx);
    create index person_id_bidx_any_idx on person (id_bidx);
    create index person_phone_bidx_idx on person (phone_bidx) where phone_bidx is not null;
    create index person_path_idx on person using gist (path);
    create index person_house_code_idx on person (district_code, house_code);
    create index person_name_prefix_idx on person (name text_pattern_ops);
    create index person_pinyin_idx on person (name_pinyin, id);
    create index person_name_trgm_idx on person using gin (name gin_trgm_ops);
    create index person_initials_idx on person (name_initials, id);
    create index person_tags_idx on person using gin (tags);
    create index person_birth_idx on person (birth_date);
    create index person_user_idx on person (user_id) where user_id is not null;

    -- Tags other than the derived age ones carry who set them and when (独居, 残疾 with level, ...).
    create table person_tag (
      district_code char(6) not null,
      person_id uuid not null,
      tag text not null,
      level text,
      set_by text not null,
      set_at timestamptz not null default now(),
      primary key (district_code, person_id, tag),
      foreign key (district_code, person_id) references person (district_code, id) on delete cascade
    );

    -- 人房关系: a person's link to a house over time. relation: owner / tenant / family / other;
    -- head_relation: relation to the head of household (户主, 配偶, 子女, ...); resides: lives there.
    create table person_house (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      person_id uuid not null,
      house_code text not null,
      relation text not null check (relation in ('owner','tenant','family','other')),
      head_relation text not null default '',
      resides boolean not null default true,
      share numeric(5,4),
      move_in date,
      move_out date,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id),
      foreign key (district_code, person_id) references person (district_code, id),
      foreign key (district_code, house_code) references house (district_code, code),
      check (move_out is null or move_in is null or move_out >= move_in)
    );
    create index person_house_person_idx on person_house (district_code, person_id);
    create index person_house_house_idx on person_house (district_code, house_code);
    create index person_house_owner_idx on person_house (district_code, house_code) where relation = 'owner' and move_out is null;

    -- 实有单位: shops, firms, social organisations seated in the community.
    create table org_unit (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      community_code text not null,
      house_code text,
      path ltree not null,
      name text not null,
      credit_code text,
      unit_type text not null check (unit_type in ('enterprise','individual','government','institution','social','other')),
      industry text not null default '',
      address text not null default '',
      contact_name text not null default '',
      contact_phone_enc text,
      contact_phone_bidx text,
      employees int check (employees is null or employees >= 0),
      note text not null default '',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id),
      foreign key (district_code, house_code) references house (district_code, code)
    );
    create unique index org_unit_credit_idx on org_unit (district_code, credit_code) where credit_code is not null;
    create index org_unit_path_idx on org_unit using gist (path);
    create index org_unit_name_trgm_idx on org_unit using gin (name gin_trgm_ops);

    -- 实有车辆.
    create table vehicle (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      community_code text not null,
      path ltree not null,
      plate text not null,
      plate_kind text not null check (plate_kind in ('ordinary','new_energy')),
      vehicle_type text not null default 'car' check (vehicle_type in ('car','suv','van','truck','motorcycle','ebike','other')),
      brand text not null default '',
      color text not null default '',
      owner_person_id uuid,
      owner_unit_id uuid,
      parking text not null default '',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id),
      foreign key (district_code, owner_person_id) references person (district_code, id),
      foreign key (district_code, owner_unit_id) references org_unit (district_code, id)
    );
    create unique index vehicle_plate_idx on vehicle (district_code, plate);
    create index vehicle_path_idx on vehicle using gist (path);
    create index vehicle_owner_idx on vehicle (district_code, owner_person_id);

    -- 租赁登记: landlord, tenant, house, period, contract photo.
    create table tenancy (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      house_code text not null,
      path ltree not null,
      landlord_person_id uuid,
      tenant_person_id uuid not null,
      start_date date not null,
      end_date date not null,
      contract_photo bytea,
      contract_photo_type text,
      status text not null default 'active' check (status in ('active','ended')),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id),
      foreign key (district_code, house_code) references house (district_code, code),
      foreign key (district_code, landlord_person_id) references person (district_code, id),
      foreign key (district_code, tenant_person_id) references person (district_code, id),
      check (end_date >= start_date)
    );
    create index tenancy_house_idx on tenancy (district_code, house_code);
    create index tenancy_path_idx on tenancy using gist (path);
    create index tenancy_end_idx on tenancy (end_date) where status = 'active';

    -- 访客登记.
    create table visitor (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      community_code text not null,
      house_code text,
      path ltree not null,
      name text not null,
      id_enc text,
      id_bidx text,
      phone_enc text,
      phone_bidx text,
      purpose text not null default '',
      plate text,
      arrived_at timestamptz not null default now(),
      left_at timestamptz,
      registered_by text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id),
      foreign key (district_code, house_code) references house (district_code, code)
    );
    create index visitor_path_idx on visitor using gist (path);
    create index visitor_arrived_idx on visitor (district_code, arrived_at desc);

    -- Every change to a registry record: who, when, what before, what after. Personal data
    -- appears masked only (the blind index tells that it changed).
    create table record_history (
      district_code char(6) not null,
      id bigint generated by default as identity,
      record_type text not null,
      record_id uuid not null,
      action text not null,
      actor_id uuid,
      actor_name text not null,
      at timestamptz not null default now(),
      before jsonb,
      after jsonb,
      primary key (district_code, id)
    );
    create index record_history_record_idx on record_history (district_code, record_id, id desc);

    -- Imports run in the background; the job row records progress and the outcome.
    create table import_job (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      kind text not null,
      community_code text not null,
      -- chosen after validation (the web wizard shows the errors first) or up front (CLI --mode)
      mode text check (mode in ('all','valid')),
      status text not null check (status in ('validating','validated','writing','done','rejected','failed','cancelled')),
      columns jsonb not null default '[]',
      file_name text not null default '',
      total int not null default 0,
      processed int not null default 0,
      progress int not null default 0 check (progress between 0 and 100),
      imported int not null default 0,
      updated int not null default 0,
      rejected int not null default 0,
      problems jsonb not null default '[]',
      message text,
      created_by uuid,
      created_by_name text not null,
      created_at timestamptz not null default now(),
      finished_at timestamptz,
      primary key (district_code, id)
    );

    -- Validated rows of a running import, already encrypted. Merged into person in one
    -- transaction at the end; a crash before that leaves the registry as it was.
    create table import_staging (
      district_code char(6) not null,
      job_id uuid not null,
      row_no int not null,
      data jsonb not null,
      primary key (district_code, job_id, row_no)
    );
  `,
  );
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
