import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Version = ColumnType<number, number | undefined, number>;
/** numeric columns come back as strings from pg; we convert at the store edge. */
type Numeric = ColumnType<string, number | string, number | string>;
type Json = ColumnType<unknown, string, string>;

export type DivisionLevel = 'province' | 'city' | 'district' | 'street' | 'community';
export type PlaceLevel = 'grid' | 'building' | 'unit' | 'house';
export type TerritoryLevel = DivisionLevel | PlaceLevel;

export interface DivisionTable {
  code: string;
  name: string;
  level: DivisionLevel;
  parent_code: string | null;
  path: string;
}

interface Mutable {
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  version: Version;
}

export interface GridTable extends Mutable {
  district_code: string;
  code: string;
  community_code: string;
  seq: number;
  name: string;
  path: string;
  bounds: Json | null;
}

export interface BuildingTable extends Mutable {
  district_code: string;
  code: string;
  grid_code: string;
  community_code: string;
  number: number;
  name: string;
  floors: number;
  units_count: number;
  rooms_per_floor: number;
  built_year: number | null;
  has_lift: boolean;
  address: string;
  path: string;
}

export interface BuildingUnitTable extends Mutable {
  district_code: string;
  code: string;
  building_code: string;
  number: number;
  name: string;
  path: string;
}

export type HouseUse = 'self' | 'rented' | 'vacant' | 'business';

export interface HouseTable extends Mutable {
  district_code: string;
  code: string;
  unit_code: string;
  building_code: string;
  floor: number;
  room: number;
  room_label: string;
  area: Numeric | null;
  use: HouseUse;
  path: string;
}

export type OrgKind = 'party' | 'department' | 'property_company' | 'owners_committee' | 'resident_unit' | 'social_org';

export interface OrgTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  seed_key: string | null;
  kind: OrgKind;
  level: string | null;
  name: string;
  parent_id: string | null;
  territory_code: string;
  territory_path: string;
  org_path: string;
  contact_name: string | null;
}

export interface AppUserTable extends Mutable {
  id: Generated<string>;
  username: string;
  display_name: string;
  password_hash: string;
  password_changed_at: Generated<Date>;
  must_change_password: Generated<boolean>;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  totp_secret: string | null;
  totp_enabled: Generated<boolean>;
  totp_required: Generated<boolean>;
  totp_last_step: ColumnType<string | number | null, number | null, number | null>;
  disabled: Generated<boolean>;
  locale: Generated<string>;
  is_demo: Generated<boolean>;
}

export type ScopeType = 'global' | 'territory' | 'org';

export interface RoleBindingTable {
  id: Generated<string>;
  user_id: string;
  role: string;
  scope_type: ScopeType;
  scope_code: string;
  scope_path: string | null;
  org_path: string | null;
  created_at: Generated<Date>;
  created_by: string | null;
}

export interface UserSessionTable {
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: Generated<Date>;
  last_seen_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokenTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: Generated<Date>;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface AuditLogTable {
  id: ColumnType<string | number, number, never>;
  at: ColumnType<Date, Date, never>;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  outcome: string;
  target_type: string | null;
  target_id: string | null;
  place_code: string | null;
  ip: string | null;
  details: Json;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  singleton: Generated<boolean>;
  last_id: ColumnType<string | number, number, number>;
  last_hash: string;
}

export interface AppSettingTable {
  key: string;
  value: Json;
  updated_at: Generated<Date>;
}

// ── events (issue 4) ──────────────────────────────────────────────────────────
type Ts = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTs = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface CalendarDayTable {
  day: ColumnType<string, string, string>;
  kind: 'holiday' | 'workday';
  name: Generated<string>;
  source: Generated<string>;
  updated_at: Generated<Date>;
}

export type EventLevel = 'grid' | 'community' | 'street';

export interface EventCategoryTable extends Mutable {
  code: string;
  parent_code: string | null;
  name: string;
  name_en: Generated<string>;
  description: Generated<string>;
  closing_level: Generated<EventLevel>;
  accept_hours: Generated<number>;
  respond_hours: Generated<number>;
  handle_days: Generated<number>;
  departments: ColumnType<string[], string[] | undefined, string[]>;
  photo_required: Generated<boolean>;
  anonymous_allowed: Generated<boolean>;
  auto_escalate: Generated<boolean>;
  active: Generated<boolean>;
  sort: Generated<number>;
}

export interface EventTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  number: string;
  category_code: string;
  title: string;
  description: Generated<string>;
  source: 'grid' | 'hotline' | 'web' | 'import' | 'open311';
  state: string;
  level: EventLevel;
  origin_level: EventLevel;
  whistled: Generated<boolean>;
  resume_state: string | null;
  place_code: string;
  place_path: string;
  address: Generated<string>;
  lng: number | null;
  lat: number | null;
  reporter_id: string | null;
  reporter_name: string | null;
  reporter_phone_enc: string | null;
  reporter_phone_idx: string | null;
  anonymous: Generated<boolean>;
  lead_org_id: string | null;
  assist_org_ids: ColumnType<string[], string[] | undefined, string[]>;
  merged_into: string | null;
  stage: 'accept' | 'respond' | 'handle' | null;
  stage_started_at: NullableTs;
  warn_at: NullableTs;
  due_at: NullableTs;
  warned: Generated<boolean>;
  overdue: Generated<boolean>;
  ever_overdue: Generated<boolean>;
  suspended_at: NullableTs;
  supervised_count: Generated<number>;
  satisfaction: number | null;
  reported_at: Ts;
  accepted_at: NullableTs;
  whistled_at: NullableTs;
  responded_at: NullableTs;
  handled_at: NullableTs;
  closed_at: NullableTs;
  closed_level: EventLevel | null;
  closed_on_time: boolean | null;
  evaluated_at: NullableTs;
  external_ref: string | null;
  idempotency_key: string | null;
}

export interface EventStepTable {
  district_code: string;
  id: ColumnType<number, never, never>;
  event_id: string;
  at: Ts;
  actor_id: string | null;
  actor_name: string;
  action: string;
  from_state: string | null;
  to_state: string;
  level: string;
  note: Generated<string>;
  details: ColumnType<unknown, string | undefined, string>;
}

export interface EventAttachmentTable {
  district_code: string;
  id: Generated<string>;
  event_id: string;
  step_id: number | null;
  mime: 'image/jpeg' | 'image/png' | 'image/webp';
  size: number;
  bytes: Buffer;
  created_at: Generated<Date>;
}

export interface EventNotificationTable {
  district_code: string;
  id: ColumnType<number, never, never>;
  user_id: string;
  event_id: string | null;
  kind: string;
  title: string;
  body: Generated<string>;
  created_at: Ts;
  read_at: NullableTs;
}

export interface Open311KeyTable {
  district_code: string;
  id: Generated<string>;
  name: string;
  key_hash: string;
  created_at: Generated<Date>;
  revoked_at: NullableTs;
}

export interface MediationCaseTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  number: string;
  event_id: string | null;
  place_code: string;
  place_path: string;
  title: string;
  kind: Generated<string>;
  parties: ColumnType<unknown, string | undefined, string>;
  mediator_org_id: string | null;
  mediator_name: Generated<string>;
  state: Generated<'open' | 'agreed' | 'failed'>;
  outcome: Generated<string>;
  agreement: Generated<string>;
  closed_at: NullableTs;
  created_by: string | null;
}

export interface MediationSessionTable {
  district_code: string;
  id: ColumnType<number, never, never>;
  case_id: string;
  at: Ts;
  mediator_name: string;
  notes: string;
  created_by: string | null;
}

export interface DB {
  division: DivisionTable;
  grid: GridTable;
  building: BuildingTable;
  building_unit: BuildingUnitTable;
  house: HouseTable;
  org: OrgTable;
  app_user: AppUserTable;
  role_binding: RoleBindingTable;
  user_session: UserSessionTable;
  api_token: ApiTokenTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  app_setting: AppSettingTable;
  // events (issue 4)
  calendar_day: CalendarDayTable;
  event_category: EventCategoryTable;
  event: EventTable;
  event_step: EventStepTable;
  event_attachment: EventAttachmentTable;
  event_notification: EventNotificationTable;
  open311_key: Open311KeyTable;
  mediation_case: MediationCaseTable;
  mediation_session: MediationSessionTable;
}
