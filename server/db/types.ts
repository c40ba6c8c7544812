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

export type ImportStatus = 'queued' | 'validating' | 'writing' | 'done' | 'rejected' | 'failed';

export interface ImportJobTable {
  district_code: string;
  id: Generated<string>;
  kind: string;
  community_code: string;
  mode: 'all' | 'valid';
  status: ImportStatus;
  file_name: Generated<string>;
  total: Generated<number>;
  processed: Generated<number>;
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
  delib_ballot: DelibBallotTable;
  delib_convention: DelibConventionTable;
  delib_convention_version: DelibConventionVersionTable;
  delib_notice: DelibNoticeTable;
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
