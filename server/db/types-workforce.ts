import type { ColumnType, Generated } from 'kysely';

/**
 * Kysely types of the workforce tables (migration 0005). Date columns are read with to_char in
 * the stores, so they are strings (YYYY-MM-DD) on the way in and out; numeric comes back as string.
 */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Version = ColumnType<number, number | undefined, number>;
type Numeric = ColumnType<string, number | string, number | string>;
type Json = ColumnType<unknown, string, string>;
type DateCol = ColumnType<string, string, string>;

interface Mutable {
  created_at: Generated<Date>;
  updated_at: Timestamp;
  version: Version;
}

export type Education = 'secondary' | 'high_school' | 'junior_college' | 'bachelor' | 'master' | 'doctor';
export type Political = 'party_member' | 'probationary' | 'league' | 'masses';
export type PostKind = 'dual_head' | 'head' | 'deputy' | 'staff';
export type CertificateKind = 'assistant_social_worker' | 'social_worker' | 'senior_social_worker' | 'counsellor' | 'other';
export type AppraisalResult = 'excellent' | 'competent' | 'basic' | 'incompetent';
export type WorkerStatus = 'active' | 'left' | 'retired';
export type SchemeKind = 'three_post_eighteen_grade' | 'four_level_six_step';
export type PlanStage = 'draft' | 'open' | 'screening' | 'written' | 'interview' | 'checks' | 'notice' | 'closed';
export type ApplicationStatus =
  | 'submitted'
  | 'ineligible'
  | 'eligible'
  | 'failed'
  | 'ranked'
  | 'selected'
  | 'notice'
  | 'struck'
  | 'appointed'
  | 'reserve'
  | 'reserve_used';
export type HonourKind = 'service_certificate' | 'service_medal' | 'gengyun' | 'award';
export type TrainingKind = 'onboarding' | 'lingyan' | 'liangyan' | 'chuyan' | 'academy' | 'external';
export type Shift = 'late' | 'weekend' | 'holiday';

export interface WfSettingTable extends Mutable {
  district_code: string;
  target_per_10k: Generated<number>;
  certificate_years: Generated<number>;
  medal_years: Generated<number>;
  gengyun_years: Generated<number>;
  training_min_days: ColumnType<string, number | string | undefined, number | string>;
  pay_scheme_code: string | null;
  /** The month by which each year's health check is due (0011). */
  health_check_by_month: Generated<number>;
}

export interface WfCommunityTable extends Mutable {
  district_code: string;
  community_code: string;
  residents: number | null;
  authorized_posts: Generated<number>;
}

export interface WorkerTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  person_id: string;
  community_code: string;
  path: string;
  education: Education;
  major: Generated<string>;
  full_time: Generated<boolean>;
  political: Generated<Political>;
  work_start: DateCol;
  party_affairs: Generated<boolean>;
  duties: ColumnType<string[], string[] | undefined, string[]>;
  status: Generated<WorkerStatus>;
  left_on: DateCol | null;
  onboarded_on: DateCol | null;
  source_application_id: string | null;
  note: Generated<string>;
}

export interface WorkerPostTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  worker_id: string;
  community_code: string;
  post: PostKind;
  title: Generated<string>;
  start_on: DateCol;
  end_on: DateCol | null;
  reason: Generated<string>;
}

export interface WorkerCertificateTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  worker_id: string;
  kind: CertificateKind;
  name: string;
  number: Generated<string>;
  issued_on: DateCol;
  scan_name: string | null;
  scan_type: string | null;
  scan_data: Buffer | null;
}

export interface WorkerAppraisalTable extends Mutable {
  district_code: string;
  worker_id: string;
  year: number;
  result: AppraisalResult;
  note: Generated<string>;
}

export interface WorkerMonthScoreTable extends Mutable {
  district_code: string;
  worker_id: string;
  month: string;
  score: Numeric;
  basis: ColumnType<unknown, string | undefined, string>;
}

export interface WorkerHonourTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  worker_id: string | null;
  community_code: string | null;
  kind: HonourKind;
  title: string;
  year: number;
  amount_fen: Generated<number>;
  awarded_on: DateCol;
  /** Who conferred it (授予单位, 0011). */
  awarded_by: Generated<string>;
}

export interface WorkerCareTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  worker_id: string;
  kind: 'care_fund' | 'health_check';
  year: number;
  amount_fen: Generated<number>;
  reason: Generated<string>;
  status: 'applied' | 'approved' | 'rejected' | 'done';
  decided_by: string | null;
  decided_at: Date | null;
  /** The day of a health check (0011); null for care-fund applications. */
  checked_on: ColumnType<string | null, string | null | undefined, string | null>;
  /** The approver's reason on a care-fund decision (0011). */
  decision_note: Generated<string>;
}

export interface TrainingProgrammeTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  name: string;
  kind: TrainingKind;
  year: number;
}

export interface TrainingSessionTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  programme_id: string;
  title: string;
  start_on: DateCol;
  days: Numeric;
  hours: Numeric;
  place: Generated<string>;
}

export interface TrainingAttendanceTable {
  district_code: string;
  session_id: string;
  worker_id: string;
  created_at: Generated<Date>;
}

export interface MentorPairTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  mentor_id: string;
  mentee_id: string;
  start_on: DateCol;
  end_on: DateCol | null;
}

export interface PaySchemeTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  code: string;
  name: string;
  kind: SchemeKind;
  version_no: number;
  effective_from: string;
  rules: Json;
  note: Generated<string>;
  created_by: string;
}

export interface WorkerGradeTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  worker_id: string;
  scheme_code: string;
  grade: number;
  effective_from: string;
  run_id: string | null;
  reason: Generated<string>;
}

export interface GradeRunTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  year: number;
  scheme_id: string;
  status: 'proposed' | 'approved';
  created_by: string;
  approved_by: string | null;
  approved_at: Date | null;
  worker_count: Generated<number>;
  changed_count: Generated<number>;
}

export interface GradeRunLineTable {
  district_code: string;
  run_id: string;
  worker_id: string;
  current_grade: number | null;
  proposed_grade: number;
  reasons: Json;
}

export interface PayRunTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  month: string;
  scheme_id: string;
  status: 'computed' | 'confirmed';
  worker_count: number;
  total_fen: number;
  created_by: string;
  confirmed_by: string | null;
  confirmed_at: Date | null;
  /** Distinct [code, label, explain] of the run's lines; null for runs stored with full lines. */
  item_dict: ColumnType<unknown, string | null | undefined, string | null>;
}

export interface PayLineTable {
  district_code: string;
  run_id: string;
  worker_id: string;
  grade: number | null;
  items: Json;
  total_fen: number;
}

export interface RecruitPlanTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  year: number;
  title: string;
  path: string;
  stage: PlanStage;
  requirements: Json;
  bonus: Json;
  written_pass: Numeric;
  interview_pass: Numeric;
  written_weight: Numeric;
  notice_start: DateCol | null;
  notice_end: DateCol | null;
  created_by: string;
}

export interface RecruitPostTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  plan_id: string;
  street_code: string;
  path: string;
  name: string;
  quota: number;
}

export interface RecruitApplicationTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  plan_id: string;
  post_id: string;
  name: string;
  id_enc: string;
  id_bidx: string;
  phone_enc: string | null;
  gender: 'M' | 'F';
  birth_date: DateCol;
  education: Education;
  major: Generated<string>;
  full_time: boolean;
  political: Generated<Political>;
  certificates: Json;
  status: ApplicationStatus;
  status_reason: Generated<string>;
  screening: Json;
  written_score: Numeric | null;
  bonus_points: Numeric;
  interview_score: Numeric | null;
  total_score: Numeric | null;
  rank: number | null;
  medical: 'pass' | 'fail' | null;
  background: 'pass' | 'fail' | null;
  reserve_rank: number | null;
  worker_id: string | null;
  channel: Generated<'staff' | 'online'>;
  client_key: string | null;
}

export interface RecruitApplicationFileTable {
  district_code: string;
  id: Generated<string>;
  application_id: string;
  cert_index: number;
  file_name: string;
  mime: string;
  size: number;
  content: Buffer;
  uploaded_by: string;
  created_at: Generated<Date>;
}

export interface RecruitObjectionTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  application_id: string;
  received_on: DateCol;
  content: string;
  finding: 'upheld' | 'dismissed' | null;
  finding_note: Generated<string>;
  decided_by: string | null;
}

export interface RotaDutyTable extends Mutable {
  district_code: string;
  id: Generated<string>;
  community_code: string;
  worker_id: string;
  day: DateCol;
  shift: Shift;
}

export type VisitKind = 'household' | 'business' | 'follow_up' | 'other';

export interface WorkerVisitTable {
  district_code: string;
  id: Generated<string>;
  worker_id: string;
  path: string;
  visited_on: DateCol;
  kind: VisitKind;
  place: string;
  note: Generated<string>;
  logged_by: string;
  created_at: Generated<Date>;
}

export interface WorkforceTables {
  wf_setting: WfSettingTable;
  wf_community: WfCommunityTable;
  worker: WorkerTable;
  worker_post: WorkerPostTable;
  worker_certificate: WorkerCertificateTable;
  worker_appraisal: WorkerAppraisalTable;
  worker_month_score: WorkerMonthScoreTable;
  worker_honour: WorkerHonourTable;
  worker_care: WorkerCareTable;
  training_programme: TrainingProgrammeTable;
  training_session: TrainingSessionTable;
  training_attendance: TrainingAttendanceTable;
  mentor_pair: MentorPairTable;
  pay_scheme: PaySchemeTable;
  worker_grade: WorkerGradeTable;
  grade_run: GradeRunTable;
  grade_run_line: GradeRunLineTable;
  pay_run: PayRunTable;
  pay_line: PayLineTable;
  recruit_plan: RecruitPlanTable;
  recruit_post: RecruitPostTable;
  recruit_application: RecruitApplicationTable;
  recruit_objection: RecruitObjectionTable;
  recruit_application_file: RecruitApplicationFileTable;
  rota_duty: RotaDutyTable;
  worker_visit: WorkerVisitTable;
}
