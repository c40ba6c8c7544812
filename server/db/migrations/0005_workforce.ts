import type { Kysely } from 'kysely';
import { runStatements } from '../sql-script.ts';

/**
 * Community workforce (MISSION W1–W7): one archive per worker (一人一档) linked to the registry
 * person, posts and their history, certificates, appraisals, training, honours and care;
 * staffing figures per community; recruitment plans through to the reserve pool; pay schemes as
 * versioned rule sets with yearly grade runs and monthly pay runs; the duty rota.
 * A worker is a person: name, ID number, phone and birth date live in `person` only.
 * Forward-only: never edit this file once it has landed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    -- Per-district settings: the staffing target, honour thresholds and the pay scheme in use.
    create table wf_setting (
      district_code char(6) not null,
      target_per_10k int not null default 20 check (target_per_10k between 1 and 200),
      certificate_years int not null default 20,
      medal_years int not null default 30,
      gengyun_years int not null default 20,
      training_min_days numeric(4,1) not null default 3,
      pay_scheme_code text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code)
    );

    -- Staffing figures of a community: resident population (常住人口) and the number of posts (职数).
    create table wf_community (
      district_code char(6) not null,
      community_code text not null references division (code),
      residents int check (residents is null or residents >= 0),
      authorized_posts int not null default 0 check (authorized_posts >= 0),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, community_code)
    );

    -- 一人一档: the worker archive. path = the community where they work (scope filter).
    create table worker (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      person_id uuid not null,
      community_code text not null references division (code),
      path ltree not null,
      education text not null check (education in ('secondary','high_school','junior_college','bachelor','master','doctor')),
      major text not null default '',
      full_time boolean not null default true,
      political text not null default 'masses' check (political in ('party_member','probationary','league','masses')),
      work_start date not null,
      party_affairs boolean not null default false,
      duties text[] not null default '{}',
      status text not null default 'active' check (status in ('active','left','retired')),
      left_on date,
      onboarded_on date,
      source_application_id uuid,
      note text not null default '',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id),
      foreign key (district_code, person_id) references person (district_code, id)
    );
    create unique index worker_person_idx on worker (district_code, person_id) where status = 'active';
    create index worker_path_idx on worker using gist (path);
    create index worker_community_idx on worker (district_code, community_code, status);

    -- Posts and post history: the current post has end_on null.
    create table worker_post (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      worker_id uuid not null,
      community_code text not null,
      post text not null check (post in ('dual_head','head','deputy','staff')),
      title text not null default '',
      start_on date not null,
      end_on date,
      reason text not null default '',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id),
      foreign key (district_code, worker_id) references worker (district_code, id) on delete cascade,
      check (end_on is null or end_on >= start_on)
    );
    create unique index worker_post_current_idx on worker_post (district_code, worker_id) where end_on is null;

    create table worker_certificate (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      worker_id uuid not null,
      kind text not null check (kind in ('assistant_social_worker','social_worker','senior_social_worker','counsellor','other')),
      name text not null,
      number text not null default '',
      issued_on date not null,
      scan_name text,
      scan_type text,
      scan_data bytea,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id),
      foreign key (district_code, worker_id) references worker (district_code, id) on delete cascade
    );
    create index worker_certificate_worker_idx on worker_certificate (district_code, worker_id);

    create table worker_appraisal (
      district_code char(6) not null,
      worker_id uuid not null,
      year int not null,
      result text not null check (result in ('excellent','competent','basic','incompetent')),
      note text not null default '',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, worker_id, year),
      foreign key (district_code, worker_id) references worker (district_code, id) on delete cascade
    );

    -- Grid workers' monthly performance score (0–100), feeding the grid performance allowance.
    create table worker_month_score (
      district_code char(6) not null,
      worker_id uuid not null,
      month char(7) not null,
      score numeric(5,2) not null check (score between 0 and 100),
      basis jsonb not null default '{}',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, worker_id, month),
      foreign key (district_code, worker_id) references worker (district_code, id) on delete cascade
    );

    -- Honours: individual (worker_id) or collective (community_code only). Money in fen.
    create table worker_honour (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      worker_id uuid,
      community_code text,
      kind text not null check (kind in ('service_certificate','service_medal','gengyun','award')),
      title text not null,
      year int not null,
      amount_fen bigint not null default 0 check (amount_fen >= 0),
      awarded_on date not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id),
      foreign key (district_code, worker_id) references worker (district_code, id) on delete cascade,
      check (worker_id is not null or community_code is not null)
    );
    create index worker_honour_worker_idx on worker_honour (district_code, worker_id);

    -- Care: care-fund applications (关爱基金) and yearly health checks.
    create table worker_care (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      worker_id uuid not null,
      kind text not null check (kind in ('care_fund','health_check')),
      year int not null,
      amount_fen bigint not null default 0 check (amount_fen >= 0),
      reason text not null default '',
      status text not null check (status in ('applied','approved','rejected','done')),
      decided_by text,
      decided_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id),
      foreign key (district_code, worker_id) references worker (district_code, id) on delete cascade
    );
    create index worker_care_worker_idx on worker_care (district_code, worker_id);

    -- Training programmes, sessions and attendance; mentor pairs (导师帮带).
    create table training_programme (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      name text not null,
      kind text not null check (kind in ('onboarding','lingyan','liangyan','chuyan','academy','external')),
      year int not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id)
    );
    create table training_session (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      programme_id uuid not null,
      title text not null,
      start_on date not null,
      days numeric(4,1) not null check (days > 0 and days <= 60),
      hours numeric(5,1) not null check (hours > 0),
      place text not null default '',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id),
      foreign key (district_code, programme_id) references training_programme (district_code, id) on delete cascade
    );
    create table training_attendance (
      district_code char(6) not null,
      session_id uuid not null,
      worker_id uuid not null,
      created_at timestamptz not null default now(),
      primary key (district_code, session_id, worker_id),
      foreign key (district_code, session_id) references training_session (district_code, id) on delete cascade,
      foreign key (district_code, worker_id) references worker (district_code, id) on delete cascade
    );
    create index training_attendance_worker_idx on training_attendance (district_code, worker_id);
    create table mentor_pair (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      mentor_id uuid not null,
      mentee_id uuid not null,
      start_on date not null,
      end_on date,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id),
      foreign key (district_code, mentor_id) references worker (district_code, id) on delete cascade,
      foreign key (district_code, mentee_id) references worker (district_code, id) on delete cascade,
      check (mentor_id <> mentee_id)
    );

    -- Pay schemes as versioned rule sets: a change is a new version from a month on; old
    -- versions and the pay lines computed with them are never rewritten.
    create table pay_scheme (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      code text not null,
      name text not null,
      kind text not null check (kind in ('three_post_eighteen_grade','four_level_six_step')),
      version_no int not null,
      effective_from char(7) not null,
      rules jsonb not null,
      note text not null default '',
      created_by text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id),
      unique (district_code, code, version_no),
      unique (district_code, code, effective_from)
    );

    -- A worker's grade (三岗十八级) or level+step (四级六档) from a month on.
    create table worker_grade (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      worker_id uuid not null,
      scheme_code text not null,
      grade int not null check (grade between 1 and 18),
      effective_from char(7) not null,
      run_id uuid,
      reason text not null default '',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id),
      unique (district_code, worker_id, scheme_code, effective_from),
      foreign key (district_code, worker_id) references worker (district_code, id) on delete cascade
    );

    create table grade_run (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      year int not null,
      scheme_id uuid not null,
      status text not null check (status in ('proposed','approved')),
      created_by text not null,
      approved_by text,
      approved_at timestamptz,
      worker_count int not null default 0,
      changed_count int not null default 0,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id),
      foreign key (district_code, scheme_id) references pay_scheme (district_code, id)
    );
    create unique index grade_run_year_idx on grade_run (district_code, year);
    create table grade_run_line (
      district_code char(6) not null,
      run_id uuid not null,
      worker_id uuid not null,
      current_grade int,
      proposed_grade int not null,
      reasons jsonb not null,
      primary key (district_code, run_id, worker_id),
      foreign key (district_code, run_id) references grade_run (district_code, id) on delete cascade
    );

    create table pay_run (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      month char(7) not null,
      scheme_id uuid not null,
      status text not null check (status in ('computed','confirmed')),
      worker_count int not null,
      total_fen bigint not null,
      created_by text not null,
      confirmed_by text,
      confirmed_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id),
      foreign key (district_code, scheme_id) references pay_scheme (district_code, id)
    );
    create unique index pay_run_month_idx on pay_run (district_code, month);
    create table pay_line (
      district_code char(6) not null,
      run_id uuid not null,
      worker_id uuid not null,
      grade int,
      items jsonb not null,
      total_fen bigint not null,
      primary key (district_code, run_id, worker_id),
      foreign key (district_code, run_id) references pay_run (district_code, id) on delete cascade
    );

    -- Recruitment (招聘): plan → posts with quotas per street → applications through every stage.
    create table recruit_plan (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      year int not null,
      title text not null,
      path ltree not null,
      stage text not null check (stage in ('draft','open','screening','written','interview','checks','notice','closed')),
      requirements jsonb not null,
      bonus jsonb not null,
      written_pass numeric(5,2) not null default 60,
      interview_pass numeric(5,2) not null default 60,
      written_weight numeric(4,3) not null default 0.5,
      notice_start date,
      notice_end date,
      created_by text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id)
    );
    create table recruit_post (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      plan_id uuid not null,
      street_code text not null references division (code),
      path ltree not null,
      name text not null,
      quota int not null check (quota between 1 and 500),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id),
      foreign key (district_code, plan_id) references recruit_plan (district_code, id) on delete cascade
    );
    create index recruit_post_path_idx on recruit_post using gist (path);
    create table recruit_application (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      plan_id uuid not null,
      post_id uuid not null,
      name text not null,
      id_enc text not null,
      id_bidx text not null,
      phone_enc text,
      gender char(1) not null check (gender in ('M','F')),
      birth_date date not null,
      education text not null check (education in ('secondary','high_school','junior_college','bachelor','master','doctor')),
      major text not null default '',
      full_time boolean not null,
      political text not null default 'masses' check (political in ('party_member','probationary','league','masses')),
      certificates jsonb not null default '[]',
      status text not null check (status in ('submitted','ineligible','eligible','failed','ranked','selected','notice','struck','appointed','reserve','reserve_used')),
      status_reason text not null default '',
      screening jsonb not null default '[]',
      written_score numeric(5,2),
      bonus_points numeric(5,2) not null default 0,
      interview_score numeric(5,2),
      total_score numeric(6,3),
      rank int,
      medical text check (medical in ('pass','fail')),
      background text check (background in ('pass','fail')),
      reserve_rank int,
      worker_id uuid,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id),
      foreign key (district_code, plan_id) references recruit_plan (district_code, id) on delete cascade,
      foreign key (district_code, post_id) references recruit_post (district_code, id)
    );
    create unique index recruit_application_person_idx on recruit_application (district_code, plan_id, id_bidx);
    create index recruit_application_plan_idx on recruit_application (district_code, plan_id, status);
    create table recruit_objection (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      application_id uuid not null,
      received_on date not null,
      content text not null,
      finding text check (finding in ('upheld','dismissed')),
      finding_note text not null default '',
      decided_by text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id),
      foreign key (district_code, application_id) references recruit_application (district_code, id) on delete cascade
    );

    -- The rota (错时工作制, weekend and holiday duty).
    create table rota_duty (
      district_code char(6) not null,
      id uuid not null default gen_random_uuid(),
      community_code text not null,
      worker_id uuid not null,
      day date not null,
      shift text not null check (shift in ('late','weekend','holiday')),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version int not null default 1,
      primary key (district_code, id),
      unique (district_code, worker_id, day),
      foreign key (district_code, worker_id) references worker (district_code, id) on delete cascade
    );
    create index rota_duty_community_idx on rota_duty (district_code, community_code, day);
    `,
  );
}
