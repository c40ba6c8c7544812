import type { ColumnType, Generated } from 'kysely';
import type { WorkforceTables } from './types-workforce.ts';

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
  /** Identity: orders the sealing only. */
  id: ColumnType<string | number, number | undefined, never>;
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
  /** Position in the hash chain; NULL until the sealer chains the row (0008). */
  seq: ColumnType<string | number | null, never, number>;
  prev_hash: ColumnType<string | null, never, string>;
  hash: ColumnType<string | null, never, string>;
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

// ---------------------------------------------------------------- registry (0002)

export type IdType = 'resident' | 'passport' | 'hk_macao' | 'taiwan';
export type Residency = 'registered' | 'migrant' | 'foreign';
export type PersonStatus = 'active' | 'moved_out' | 'deceased';
export type HouseRelation = 'owner' | 'tenant' | 'family' | 'other';
type DateCol = ColumnType<string, string | undefined, string>;
type NullableDate = ColumnType<string | null, string | null | undefined, string | null>;

export interface PersonTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  community_code: string;
  house_code: string | null;
  path: string;
  name: string;
  name_pinyin: Generated<string>;
  name_initials: Generated<string>;
  id_type: IdType;
  /** AES-256-GCM ciphertext of the document number; never clear text. */
  id_enc: string;
  /** HMAC blind index of `${id_type}:${number}`. */
  id_bidx: string;
  gender: 'M' | 'F' | null;
  birth_date: NullableDate;
  phone_enc: string | null;
  phone_bidx: string | null;
  ethnicity: Generated<string>;
  household_place: Generated<string>;
  residency: Generated<Residency>;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  status: Generated<PersonStatus>;
  user_id: string | null;
  note: Generated<string>;
}

export interface PersonTagTable {
  district_code: string;
  person_id: string;
  tag: string;
  level: string | null;
  set_by: string;
  set_at: Generated<Date>;
}

export interface PersonHouseTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  person_id: string;
  house_code: string;
  relation: HouseRelation;
  head_relation: Generated<string>;
  resides: Generated<boolean>;
  share: Numeric | null;
  move_in: NullableDate;
  move_out: NullableDate;
}

export type UnitType = 'enterprise' | 'individual' | 'government' | 'institution' | 'social' | 'other';

export interface OrgUnitTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  community_code: string;
  house_code: string | null;
  path: string;
  name: string;
  credit_code: string | null;
  unit_type: UnitType;
  industry: Generated<string>;
  address: Generated<string>;
  contact_name: Generated<string>;
  contact_phone_enc: string | null;
  contact_phone_bidx: string | null;
  employees: number | null;
  note: Generated<string>;
}

export type VehicleType = 'car' | 'suv' | 'van' | 'truck' | 'motorcycle' | 'ebike' | 'other';

export interface VehicleTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  community_code: string;
  path: string;
  plate: string;
  plate_kind: 'ordinary' | 'new_energy';
  vehicle_type: Generated<VehicleType>;
  brand: Generated<string>;
  color: Generated<string>;
  owner_person_id: string | null;
  owner_unit_id: string | null;
  parking: Generated<string>;
}

export interface TenancyTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  house_code: string;
  path: string;
  landlord_person_id: string | null;
  tenant_person_id: string;
  start_date: DateCol;
  end_date: DateCol;
  contract_photo: Buffer | null;
  contract_photo_type: string | null;
  status: Generated<'active' | 'ended'>;
}

export interface VisitorTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  community_code: string;
  house_code: string | null;
  path: string;
  name: string;
  id_enc: string | null;
  id_bidx: string | null;
  phone_enc: string | null;
  phone_bidx: string | null;
  purpose: Generated<string>;
  plate: string | null;
  arrived_at: Generated<Date>;
  left_at: Date | null;
  registered_by: string;
}

export interface RecordHistoryTable {
  district_code: string;
  id: ColumnType<string, never, never>;
  record_type: string;
  record_id: string;
  action: string;
  actor_id: string | null;
  actor_name: string;
  at: Generated<Date>;
  before: Json | null;
  after: Json | null;
}

export type ImportStatus = 'validating' | 'validated' | 'writing' | 'done' | 'rejected' | 'failed' | 'cancelled';

export interface ImportJobTable {
  district_code: string;
  id: Generated<string>;
  kind: string;
  community_code: string;
  mode: 'all' | 'valid' | null;
  status: ImportStatus;
  columns: ColumnType<unknown, string | undefined, string>;
  file_name: Generated<string>;
  total: Generated<number>;
  processed: Generated<number>;
  progress: Generated<number>;
  imported: Generated<number>;
  updated: Generated<number>;
  rejected: Generated<number>;
  problems: ColumnType<unknown, string | undefined, string>;
  message: string | null;
  created_by: string | null;
  created_by_name: string;
  created_at: Generated<Date>;
  finished_at: Date | null;
}

export interface ImportStagingTable {
  district_code: string;
  job_id: string;
  row_no: number;
  data: Json;
}

// ---------------------------------------------------------------- services (0004)

export interface ServiceCounterTable {
  district_code: string;
  kind: string;
  key: string;
  last: number;
}

export interface ServiceCategoryTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  name: string;
  sort: Generated<number>;
}

export interface ServiceItemTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  category_id: string;
  code: string;
  name: string;
  description: Generated<string>;
  eligibility: Generated<string>;
  materials: ColumnType<unknown, string | undefined, string>;
  handler_role: Generated<string>;
  time_limit_days: number;
  fee_fen: Generated<number>;
  certificate_type: string | null;
  online: Generated<boolean>;
  home_visit: Generated<boolean>;
  active: Generated<boolean>;
  sort: Generated<number>;
}

export interface ServiceItemCommunityTable {
  district_code: string;
  item_id: string;
  community_code: string;
  published_at: Generated<Date>;
}

export type ApplicationState = 'accepted' | 'materials_requested' | 'supplemented' | 'processing' | 'done' | 'refused' | 'withdrawn';
export type ApplicationChannel = 'online' | 'counter' | 'home_visit';

export interface ServiceApplicationTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  number: string;
  item_id: string;
  community_code: string;
  path: string;
  person_id: string;
  applicant_user_id: string | null;
  channel: ApplicationChannel;
  state: ApplicationState;
  note: Generated<string>;
  materials_note: Generated<string>;
  result_note: Generated<string>;
  refusal_reason: Generated<string>;
  handler_user_id: string | null;
  handler_name: Generated<string>;
  accepted_at: Timestamp;
  due_at: Timestamp;
  waiting_since: Date | null;
  finished_at: Date | null;
  certificate_id: string | null;
  idempotency_key: string | null;
}

export interface ServiceApplicationStepTable {
  district_code: string;
  id: ColumnType<string, never, never>;
  application_id: string;
  at: Timestamp;
  action: string;
  from_state: string | null;
  to_state: string;
  actor_id: string | null;
  actor_name: string;
  note: Generated<string>;
}

export interface ServiceMaterialTable {
  district_code: string;
  id: Generated<string>;
  application_id: string;
  name: string;
  file_name: string;
  mime: string;
  size: number;
  content: Buffer;
  uploaded_by: string;
  created_at: Generated<Date>;
}

export interface ServiceSlotTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  community_code: string;
  path: string;
  worker_user_id: string;
  worker_name: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  state: Generated<'open' | 'booked' | 'cancelled'>;
  application_id: string | null;
  person_id: string | null;
  note: Generated<string>;
}

export interface ServiceNotificationTable {
  district_code: string;
  id: Generated<string>;
  user_id: string;
  subject_type: string;
  subject_id: string;
  title: string;
  body: Generated<string>;
  created_at: Generated<Date>;
  read_at: Date | null;
}

export interface CertificateListEntryTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  community_code: string;
  type_key: string;
  name: string;
  legal_basis: string;
  validity_days: Generated<number>;
}

export interface CertificateTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  number: string;
  verify_code: string;
  community_code: string;
  path: string;
  person_id: string;
  type_key: string;
  type_name: string;
  legal_basis: string;
  purpose: string;
  body: string;
  valid_until: DateCol;
  application_id: string | null;
  issued_by: string | null;
  issued_by_name: string;
  issued_at: Generated<Date>;
  revoked_at: Date | null;
  revoke_reason: Generated<string>;
}

// ---------------------------------------------------------------- volunteering (0004)

export interface VolunteerTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  person_id: string;
  community_code: string;
  path: string;
  skills: ColumnType<string[], string[] | undefined, string[]>;
  status: Generated<'active' | 'inactive'>;
  registered_at: Generated<Date>;
}

export interface PartyMemberTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  person_id: string;
  org_id: string | null;
  kind: 'self_managed' | 'in_service';
  community_code: string;
  path: string;
  workplace: Generated<string>;
  reported_at: Date | null;
}

export type HelpOrderKind = 'buy_medicine' | 'escort_medical' | 'appliance_repair' | 'wish' | 'companion' | 'other';
export type HelpOrderState = 'open' | 'taken' | 'completed' | 'confirmed' | 'escalated' | 'cancelled';
export type TakerKind = 'volunteer' | 'party_member' | 'community_worker';

export interface HelpOrderTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  number: string;
  community_code: string;
  path: string;
  requester_person_id: string;
  posted_by: string | null;
  posted_by_name: string;
  kind: HelpOrderKind;
  title: string;
  description: Generated<string>;
  take_by: Timestamp;
  state: HelpOrderState;
  taker_user_id: string | null;
  taker_name: Generated<string>;
  taker_kind: TakerKind | null;
  taken_at: Date | null;
  completed_at: Date | null;
  completion_note: Generated<string>;
  confirmed_at: Date | null;
  rating: number | null;
  rating_comment: Generated<string>;
  escalated_at: Date | null;
  idempotency_key: string | null;
}

export interface HelpPairTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  volunteer_id: string;
  person_id: string;
  community_code: string;
  path: string;
  started_on: DateCol;
  active: Generated<boolean>;
}

export interface HelpPairVisitTable {
  district_code: string;
  id: Generated<string>;
  pair_id: string;
  visited_on: string;
  note: string;
  logged_by: string;
  created_at: Generated<Date>;
}

export interface VolunteerProjectTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  community_code: string;
  path: string;
  title: string;
  description: Generated<string>;
  starts_at: Timestamp;
  ends_at: Timestamp;
  slots: number;
  checkin_code: string;
  organiser_user_id: string | null;
}

export interface VolunteerSignupTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  project_id: string;
  volunteer_id: string;
  checked_in_at: Date | null;
  checked_out_at: Date | null;
  hours: Numeric | null;
  confirmed_at: Date | null;
  confirmed_by: string | null;
}

export interface PartyPostTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  community_code: string;
  path: string;
  title: string;
  description: Generated<string>;
  target_houses: ColumnType<string[], string[] | undefined, string[]>;
  plan: Generated<string>;
  member_id: string | null;
  claimed_at: Date | null;
}

export interface PartyPostLogTable {
  district_code: string;
  id: Generated<string>;
  post_id: string;
  done_on: string;
  note: string;
  logged_by: string;
  created_at: Generated<Date>;
}

export type PointsReason = 'help_order' | 'volunteer_hour' | 'participation';

export interface PointsRuleTable {
  district_code: string;
  community_code: string;
  reason: PointsReason;
  points: number;
  updated_at: Generated<Date>;
  version: Version;
}

export interface PointsShopItemTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  community_code: string;
  name: string;
  cost: number;
  stock: number;
  active: Generated<boolean>;
}

export interface PointsLedgerTable {
  district_code: string;
  seq: ColumnType<string | number, number, never>;
  at: Date;
  person_id: string;
  community_code: string;
  delta: number;
  reason: string;
  ref_type: string | null;
  ref_id: string | null;
  actor_name: string;
  prev_hash: string;
  hash: string;
}

export interface PointsHeadTable {
  district_code: string;
  last_seq: ColumnType<string | number, number, number>;
  last_hash: string;
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
  /** A JPEG of at most 320 px (migration 0009_events_thumbs); null when the photo could not be decoded. */
  thumb: Buffer | null;
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

export interface DB extends WorkforceTables {
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
  person: PersonTable;
  person_tag: PersonTagTable;
  person_house: PersonHouseTable;
  org_unit: OrgUnitTable;
  vehicle: VehicleTable;
  tenancy: TenancyTable;
  visitor: VisitorTable;
  record_history: RecordHistoryTable;
  import_job: ImportJobTable;
  import_staging: ImportStagingTable;
  service_counter: ServiceCounterTable;
  service_category: ServiceCategoryTable;
  service_item: ServiceItemTable;
  service_item_community: ServiceItemCommunityTable;
  service_application: ServiceApplicationTable;
  service_application_step: ServiceApplicationStepTable;
  service_material: ServiceMaterialTable;
  service_slot: ServiceSlotTable;
  service_notification: ServiceNotificationTable;
  certificate_list_entry: CertificateListEntryTable;
  certificate: CertificateTable;
  volunteer: VolunteerTable;
  party_member: PartyMemberTable;
  help_order: HelpOrderTable;
  help_pair: HelpPairTable;
  help_pair_visit: HelpPairVisitTable;
  volunteer_project: VolunteerProjectTable;
  volunteer_signup: VolunteerSignupTable;
  party_post: PartyPostTable;
  party_post_log: PartyPostLogTable;
  points_rule: PointsRuleTable;
  points_shop_item: PointsShopItemTable;
  points_ledger: PointsLedgerTable;
  points_head: PointsHeadTable;
  delib_topic: DelibTopicTable;
  delib_topic_photo: DelibTopicPhotoTable;
  delib_topic_support: DelibTopicSupportTable;
  delib_body: DelibBodyTable;
  delib_body_member: DelibBodyMemberTable;
  delib_meeting: DelibMeetingTable;
  delib_agenda_item: DelibAgendaItemTable;
  delib_attendance: DelibAttendanceTable;
  delib_resolution: DelibResolutionTable;
  delib_task: DelibTaskTable;
  delib_vote: DelibVoteTable;
  delib_vote_option: DelibVoteOptionTable;
  delib_vote_roll: DelibVoteRollTable;
  delib_vote_elector: DelibVoteElectorTable;
  delib_vote_group_choice: DelibVoteGroupChoiceTable;
  delib_ballot: DelibBallotTable;
  delib_convention: DelibConventionTable;
  delib_convention_version: DelibConventionVersionTable;
  delib_notice: DelibNoticeTable;
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

// ---------------------------------------------------------------- deliberation (0006)

export type TopicStatus = 'open' | 'agenda' | 'event' | 'replied' | 'closed';
export type BodyKind = 'four_party' | 'six_party' | 'round_table' | 'hall' | 'people_hall' | 'elders_forum';
export type MeetingStatus = 'planned' | 'noticed' | 'held' | 'published';
export type ResolutionDecision = 'adopted' | 'rejected' | 'deferred';
export type VoteKind = 'selection' | 'owners';
export type VoteStatus = 'draft' | 'open' | 'closed';
export type BallotChoice = 'agree' | 'disagree' | 'abstain';
export type NoticeKind = 'affairs' | 'finance' | 'service' | 'party';

export interface DelibTopicTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  community_code: string;
  place_code: string;
  path: string;
  title: string;
  body: string;
  raised_by: string | null;
  raised_by_name: string;
  status: ColumnType<TopicStatus, TopicStatus | undefined, TopicStatus>;
  reply: string | null;
  event_ref: string | null;
  meeting_id: string | null;
  support_count: Generated<number>;
  triaged_by_name: string | null;
  triaged_at: Date | null;
  client_key: string | null;
}

export interface DelibTopicPhotoTable {
  district_code: string;
  topic_id: string;
  seq: number;
  content_type: string;
  data: Buffer;
}

export interface DelibTopicSupportTable {
  district_code: string;
  topic_id: string;
  user_id: string;
  created_at: Generated<Date>;
}

export interface DelibBodyTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  community_code: string;
  place_code: string;
  path: string;
  kind: BodyKind;
  name: string;
  description: Generated<string>;
}

export interface DelibBodyMemberTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  body_id: string;
  seat: string;
  name: string;
  title: Generated<string>;
  org_id: string | null;
  user_id: string | null;
}

export interface DelibMeetingTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  body_id: string;
  title: string;
  scheduled_at: Timestamp;
  location: Generated<string>;
  status: ColumnType<MeetingStatus, MeetingStatus | undefined, MeetingStatus>;
  notice: Generated<string>;
  minutes: Generated<string>;
  outcome: Generated<string>;
  checkin_token: string;
  noticed_at: Date | null;
  published_at: Date | null;
}

export interface DelibAgendaItemTable {
  district_code: string;
  id: Generated<string>;
  meeting_id: string;
  seq: number;
  title: string;
  topic_id: string | null;
  created_at: Generated<Date>;
}

export interface DelibAttendanceTable {
  district_code: string;
  id: Generated<string>;
  meeting_id: string;
  member_id: string | null;
  user_id: string | null;
  name: string;
  seat: Generated<string>;
  method: 'qr' | 'manual';
  checked_in_at: Generated<Date>;
}

export interface DelibResolutionTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  meeting_id: string;
  agenda_item_id: string | null;
  text: string;
  decision: ResolutionDecision;
}

export interface DelibTaskTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  resolution_id: string;
  title: string;
  owner_name: string;
  due_date: ColumnType<string, string, string>;
  status: ColumnType<'open' | 'done', 'open' | 'done' | undefined, 'open' | 'done'>;
  done_at: Date | null;
  done_note: string | null;
}

export interface DelibVoteTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  community_code: string;
  place_code: string;
  path: string;
  kind: VoteKind;
  title: string;
  description: Generated<string>;
  matter: number | null;
  max_choices: Generated<number>;
  winners: Generated<number>;
  secret: Generated<boolean>;
  status: ColumnType<VoteStatus, VoteStatus | undefined, VoteStatus>;
  opens_at: Timestamp;
  closes_at: Timestamp;
  opened_at: Date | null;
  closed_at: Date | null;
  result: Json | null;
  created_by_name: string;
}

export interface DelibVoteOptionTable {
  district_code: string;
  id: Generated<string>;
  vote_id: string;
  seq: number;
  label: string;
  detail: Generated<string>;
}

export interface DelibVoteRollTable {
  district_code: string;
  vote_id: string;
  house_code: string;
  area: Numeric | null;
  owner_ids: ColumnType<string[], string[], string[]>;
  /** The counted person (SPC headcount) the house belongs to; null without an owner. */
  grp: ColumnType<number | null, number | null | undefined, number | null>;
}

/** Each owner on a frozen roll with their houses (migration 0007). */
export interface DelibVoteElectorTable {
  district_code: string;
  vote_id: string;
  person_id: string;
  house_codes: ColumnType<string[], string[], string[]>;
  grp: number;
}

/** The one choice of each counted person in an owners' vote (migration 0007). */
export interface DelibVoteGroupChoiceTable {
  district_code: string;
  vote_id: string;
  grp: number;
  choice: BallotChoice;
}

export interface DelibBallotTable {
  district_code: string;
  id: Generated<string>;
  vote_id: string;
  voter_key: string;
  house_code: string | null;
  voter_user_id: string | null;
  channel: 'online' | 'paper';
  choice: BallotChoice | null;
  option_ids: ColumnType<string[] | null, string[] | null | undefined, string[] | null>;
  receipt: string;
  entered_by_name: string | null;
  cast_at: Generated<Date>;
}

export interface DelibConventionTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  community_code: string;
  place_code: string;
  path: string;
  title: string;
  current_version: Generated<number>;
}

export interface DelibConventionVersionTable {
  district_code: string;
  convention_id: string;
  version_no: number;
  text: string;
  adopted_on: ColumnType<string, string, string>;
  adopted_by: string;
  vote_id: string | null;
  meeting_id: string | null;
  created_at: Generated<Date>;
}

export interface DelibNoticeTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  community_code: string;
  path: string;
  kind: NoticeKind;
  title: string;
  body: string;
  published_at: Generated<Date>;
  published_by_name: string;
}
