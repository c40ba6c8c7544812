import { api, download } from '../../app/api';

export interface Worker {
  id: string;
  name: string;
  gender: 'M' | 'F' | null;
  age: number | null;
  idMasked: string;
  phoneMasked: string | null;
  communityCode: string;
  communityName: string;
  streetName: string;
  education: string;
  major: string;
  political: string;
  workStart: string;
  yearsOfService: number;
  partyAffairs: boolean;
  duties: string[];
  status: string;
  onboardedOn: string | null;
  post: string | null;
  title: string | null;
  topCertificate: string | null;
  version: number;
}

export interface Archive extends Worker {
  canManage: boolean;
  posts: { id: string; post: string; title: string; communityName: string; startOn: string; endOn: string | null; reason: string }[];
  certificates: { id: string; kind: string; name: string; number: string; issuedOn: string; hasScan: boolean }[];
  appraisals: { year: number; result: string; note: string }[];
  training: { sessionId: string; title: string; programme: string; startOn: string; days: number; hours: number }[];
  trainingDaysThisYear: number;
  honours: { id: string; kind: string; title: string; year: number; amountFen: number; awardedOn: string }[];
  care: { id: string; kind: string; year: number; amountFen: number; reason: string; status: string }[];
  grades: { schemeCode: string; grade: number; effectiveFrom: string; reason: string }[];
  mentors: { id: string; mentorName: string; menteeName: string; startOn: string }[];
}

export interface CommunityStaffing {
  code: string;
  name: string;
  streetName: string;
  residents: number;
  workers: number;
  partyAffairs: number;
  per10k: number | null;
  target: number;
  shortfall: number;
  authorizedPosts: number;
  vacancies: number;
  reserveAvailable: number;
}
export interface Staffing {
  code: string;
  name: string;
  target: number;
  summary: {
    communities: number;
    residents: number;
    workers: number;
    per10k: number | null;
    shortfall: number;
    vacancies: number;
    withoutPartyAffairs: number;
  };
  communities: CommunityStaffing[];
}

export interface Plan {
  id: string;
  title: string;
  year: number;
  stage: string;
  noticeStart: string | null;
  noticeEnd: string | null;
  version: number;
  canRecruit?: boolean;
  posts?: { id: string; streetName: string; name: string; quota: number; counts: Record<string, number> }[];
}
export interface Application {
  id: string;
  name: string;
  streetName: string;
  postName: string;
  education: string;
  writtenScore: number | null;
  bonusPoints: number;
  interviewScore: number | null;
  totalScore: number | null;
  rank: number | null;
  status: string;
  statusReason: string;
  screening: string[];
  reserveRank: number | null;
  medical: 'pass' | 'fail' | null;
  background: 'pass' | 'fail' | null;
  channel: 'staff' | 'online';
  files: { id: string; certIndex: number; fileName: string; mime: string; size: number }[];
  version: number;
}

export interface Objection {
  id: string;
  applicationId: string;
  name: string;
  receivedOn: string;
  content: string;
  finding: 'upheld' | 'dismissed' | null;
  findingNote: string;
  version: number;
}

export interface PublicPlan {
  id: string;
  year: number;
  title: string;
  districtName: string;
  stage: string;
  open: boolean;
  requirements: { minAge: number; maxAge: number; ageOn: string; minEducation: string; majors: string[]; fullTimeOnly: boolean };
  bonus: Record<string, number>;
  posts: { id: string; streetName: string; name: string; quota: number }[];
}
export interface OnlineResult {
  applicationId: string;
  replayed: boolean;
  postName: string;
  preCheck: { eligible: boolean; reasons: string[]; bonusPoints: number; bonusReason: string };
  filesReceived: number;
}

/** The public recruitment endpoints (no sign-in). */
export const publicApi = {
  plans: () => api.get<{ items: { id: string; title: string }[] }>('/api/public/recruitment/plans').then((r) => r.items),
  plan: (id: string) => api.get<PublicPlan>(`/api/public/recruitment/plans/${id}`),
  apply: (id: string, body: unknown) => api.post<OnlineResult>(`/api/public/recruitment/plans/${id}/applications`, body),
};

export interface PayItem {
  code: string;
  label: string;
  amountFen: number;
  explain: string;
}
export interface Scheme {
  id: string;
  code: string;
  name: string;
  kind: string;
  versionNo: number;
  effectiveFrom: string;
  rules: Record<string, unknown>;
}

export const wfApi = {
  workers: (q: Record<string, string | undefined>) => api.get<{ items: Worker[] }>('/api/workforce/workers', q).then((r) => r.items),
  exportWorkers: (q: Record<string, string | undefined>) => download('/api/workforce/workers.xlsx', q, 'workers.xlsx'),
  archive: (id: string) => api.get<Archive>(`/api/workforce/workers/${id}`),
  archivePdf: (id: string) => download(`/api/workforce/workers/${id}/archive.pdf`, undefined, 'archive.pdf'),
  staffing: (code: string) => api.get<Staffing>(`/api/workforce/staffing/${code}`),
  exportStaffing: (code: string) => download(`/api/workforce/staffing/${code}/export.xlsx`, undefined, 'staffing.xlsx'),
  fill: (code: string) => api.post<{ name: string; workerId: string }>(`/api/workforce/staffing/communities/${code}/fill`),
  plans: () => api.get<{ items: Plan[] }>('/api/workforce/recruitment/plans').then((r) => r.items),
  plan: (id: string) => api.get<Plan>(`/api/workforce/recruitment/plans/${id}`),
  applications: (id: string) =>
    api.get<{ items: Application[] }>(`/api/workforce/recruitment/plans/${id}/applications`).then((r) => r.items),
  exportApplications: (id: string, status?: string) =>
    download(`/api/workforce/recruitment/plans/${id}/applications.xlsx`, status ? { status } : undefined, 'applications.xlsx'),
  advance: (id: string, body: { version: number; to: string; noticeStart?: string }) =>
    api.post<Plan>(`/api/workforce/recruitment/plans/${id}/advance`, body),
  screen: (appId: string, body: { version: number; eligible: boolean; reason: string }) =>
    api.post(`/api/workforce/recruitment/applications/${appId}/screen`, body),
  scores: (id: string, stage: 'written' | 'interview', scores: { applicationId: string; score: number }[]) =>
    api.put(`/api/workforce/recruitment/plans/${id}/scores`, { stage, scores }),
  checks: (appId: string, body: { version: number; medical?: 'pass' | 'fail'; background?: 'pass' | 'fail' }) =>
    api.post(`/api/workforce/recruitment/applications/${appId}/checks`, body),
  objections: (id: string) => api.get<{ items: Objection[] }>(`/api/workforce/recruitment/plans/${id}/objections`).then((r) => r.items),
  addObjection: (appId: string, body: { receivedOn: string; content: string }) =>
    api.post(`/api/workforce/recruitment/applications/${appId}/objections`, body),
  decideObjection: (objId: string, body: { version: number; finding: 'upheld' | 'dismissed'; note: string }) =>
    api.post(`/api/workforce/recruitment/objections/${objId}/decide`, body),
  applicationFile: (appId: string, fileId: string, name: string) =>
    download(`/api/workforce/recruitment/applications/${appId}/files/${fileId}`, undefined, name),
  addCertificate: (workerId: string, body: unknown) => api.post(`/api/workforce/workers/${workerId}/certificates`, body),
  changePost: (workerId: string, body: unknown) => api.post(`/api/workforce/workers/${workerId}/posts`, body),
  setAppraisal: (workerId: string, year: number, body: { result: string; note?: string }) =>
    api.put(`/api/workforce/workers/${workerId}/appraisals/${year}`, body),
  addCare: (workerId: string, body: { kind: string; year: number; checkedOn?: string; amountFen?: number; reason?: string }) =>
    api.post(`/api/workforce/workers/${workerId}/care`, body),
  gridScores: (districtCode: string, month: string) =>
    api.get<{
      items: {
        workerId: string;
        name: string;
        communityName: string;
        score: number;
        parts: { code: string; points: number; max: number; explain: string }[];
      }[];
    }>('/api/workforce/pay/grid-scores', { districtCode, month }),
  computeGridScores: (districtCode: string, month: string) => api.post('/api/workforce/pay/grid-scores', { districtCode, month }),
  schemes: (districtCode: string) => api.get<{ inUse: string | null; items: Scheme[] }>('/api/workforce/pay/schemes', { districtCode }),
  preview: (body: { workerId: string; month: string; rules?: unknown }) =>
    api.post<{ name: string; items: PayItem[]; totalFen: number; grade: number; ruleGrade: { reasons: string[] } }>(
      '/api/workforce/pay/preview',
      body,
    ),
  runs: (districtCode: string) =>
    api.get<{
      gradeRuns: { id: string; year: number; status: string; workerCount: number; changedCount: number; version: number }[];
      payRuns: { id: string; month: string; status: string; workerCount: number; totalFen: number }[];
    }>('/api/workforce/pay/runs', { districtCode }),
  gradeRun: (id: string) =>
    api.get<{
      id: string;
      year: number;
      status: string;
      version: number;
      lines: { workerId: string; name: string; communityName: string; current: number | null; proposed: number; reasons: string[] }[];
    }>(`/api/workforce/pay/grade-runs/${id}`),
  startGradeRun: (districtCode: string, year: number) => api.post<{ id: string }>('/api/workforce/pay/grade-runs', { districtCode, year }),
  approveGradeRun: (id: string, version: number) => api.post(`/api/workforce/pay/grade-runs/${id}/approve`, { version }),
  exportPayRun: (id: string) => download(`/api/workforce/pay/pay-runs/${id}/export.xlsx`, undefined, 'pay.xlsx'),
  compliance: (code: string, year: number) =>
    api.get<{
      minDays: number;
      total: number;
      compliant: number;
      below: { workerId: string; name: string; communityName: string; days: number; onboarded: boolean }[];
    }>('/api/workforce/training/compliance', { code, year }),
  exportCompliance: (code: string, year: number) => download('/api/workforce/training/compliance.xlsx', { code, year }, 'training.xlsx'),
  candidates: (code: string, year: number) =>
    api.get<{ items: { workerId: string; name: string; communityName: string; workStart: string; kind: string; years: number }[] }>(
      '/api/workforce/honours/candidates',
      { code, year },
    ),
  rota: (communityCode: string, month: string) =>
    api.get<{ communityName: string; duties: { id: string; day: string; shift: string; name: string }[] }>('/api/workforce/rota', {
      communityCode,
      month,
    }),
  generateRota: (communityCode: string, month: string) =>
    api.post<{ excluded: string[] }>('/api/workforce/rota/generate', { communityCode, month }),
};

export interface Programme {
  id: string;
  name: string;
  kind: string;
  year: number;
  sessions: number;
  days: number;
  sessionList: { id: string; title: string; startOn: string; days: number; attendees: number }[];
}
export interface GridScoreRow {
  workerId: string;
  name: string;
  communityName: string;
  score: number;
  counts: { reported: number; visits?: number; closed: number; closedOnTime: number; ratings: number; ratingSum: number } | null;
  parts: { code: string; points: number; max: number; explain: string }[];
}
export interface Visit {
  id: string;
  visitedOn: string;
  kind: string;
  place: string;
  note: string;
  loggedBy: string;
}

/** Training (W5), the duty gate, visits (W7) and scheme versions (W4). */
export const wfMore = {
  programmes: (districtCode: string, year?: number) =>
    api.get<{ items: Programme[] }>('/api/workforce/training/programmes', { districtCode, year }).then((r) => r.items),
  createProgramme: (body: { districtCode: string; name: string; kind: string; year: number }) =>
    api.post<{ id: string }>('/api/workforce/training/programmes', body),
  createSession: (programmeId: string, body: { title: string; startOn: string; days: number; hours: number; place?: string }) =>
    api.post<{ id: string }>(`/api/workforce/training/programmes/${programmeId}/sessions`, body),
  attendance: (sessionId: string, workerIds: string[]) =>
    api.post<{ recorded: number }>(`/api/workforce/training/sessions/${sessionId}/attendance`, { workerIds }),
  mentors: (code: string) =>
    api
      .get<{ items: { id: string; mentorName: string; menteeName: string; communityName: string; startOn: string }[] }>(
        '/api/workforce/training/mentors',
        { code },
      )
      .then((r) => r.items),
  addMentor: (body: { mentorId: string; menteeId: string; startOn: string }) => api.post('/api/workforce/training/mentors', body),
  assignDuty: (body: { workerId: string; day: string }) => api.post<{ day: string; shift: string }>('/api/workforce/rota/duties', body),
  gridScores: (districtCode: string, month: string) =>
    api.get<{ items: GridScoreRow[] }>('/api/workforce/pay/grid-scores', { districtCode, month }).then((r) => r.items),
  computeGridScores: (districtCode: string, month: string) =>
    api.post<{ items: GridScoreRow[] }>('/api/workforce/pay/grid-scores', { districtCode, month }).then((r) => r.items),
  visits: (month: string, workerId?: string) => api.get<{ name: string; items: Visit[] }>('/api/workforce/visits', { month, workerId }),
  logVisit: (body: { workerId?: string; visitedOn: string; kind: string; place: string; note?: string }) =>
    api.post<{ id: string }>('/api/workforce/visits', body),
  saveScheme: (body: { districtCode: string; code: string; name: string; effectiveFrom: string; rules: unknown; note?: string }) =>
    api.post<Scheme>('/api/workforce/pay/schemes', body),
};

/** The server's problems ({ field, reason }) of a VALIDATION_FAILED answer, keyed by field. */
export function problemsOf(e: unknown): Record<string, string> {
  const list = (e as { details?: { problems?: { field?: string; path?: string; reason?: string; message?: string }[] } })?.details
    ?.problems;
  const out: Record<string, string> = {};
  for (const p of list ?? []) {
    const field = p.field ?? (p.path ?? '').split('/').filter(Boolean).join('.');
    out[field] = p.reason ?? p.message ?? '';
  }
  return out;
}

export const yuan = (fen: number) => (fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** The place a user works at: the first territory binding of their session. */
export function homeCode(roles: { scopeType: string; scopeCode: string | null }[]): string {
  const codes = roles.filter((r) => r.scopeType === 'territory' && r.scopeCode).map((r) => r.scopeCode!.slice(0, 12));
  return codes.sort((a, b) => a.length - b.length)[0] ?? '';
}

// --- Honours and care (W6): award records, care-fund applications and decisions, health checks.
export interface AwardRecord {
  id: string;
  kind: string;
  title: string;
  year: number;
  amountFen: number;
  awardedOn: string;
  awardedBy: string;
  collective: boolean;
  workerId: string | null;
  workerName: string | null;
  communityName: string;
}
export interface CareApplication {
  id: string;
  workerId: string;
  name: string;
  communityName: string;
  year: number;
  amountFen: number;
  reason: string;
  status: 'applied' | 'approved' | 'rejected';
  appliedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string;
  canDecide: boolean;
  version: number;
}
export type HealthStatus = 'done' | 'due' | 'overdue';
export interface HealthCheckRow {
  workerId: string;
  name: string;
  communityName: string;
  status: HealthStatus;
  lastCheckOn: string | null;
  dueBy: string | null;
}
export interface AwardInput {
  workerId?: string;
  communityCode?: string;
  kind: string;
  title?: string;
  year: number;
  amountFen: number;
  awardedOn?: string;
  awardedBy?: string;
}

export const wfCare = {
  exportCandidates: (code: string, year: number) => download('/api/workforce/honours/candidates.xlsx', { code, year }, 'candidates.xlsx'),
  award: (body: AwardInput) => api.post<{ id: string }>('/api/workforce/honours', body),
  awards: (code: string, q: { year?: number; kind?: string }) =>
    api.get<{ capsFen: { individual: number; collective: number }; totalFen: number; items: AwardRecord[] }>('/api/workforce/honours', {
      code,
      ...q,
    }),
  exportAwards: (code: string, q: { year?: number; kind?: string }) =>
    download('/api/workforce/honours.xlsx', { code, ...q }, 'awards.xlsx'),
  careFund: (code: string, q: { year?: number; status?: string }) =>
    api.get<{ items: CareApplication[] }>('/api/workforce/care', { code, ...q }).then((r) => r.items),
  exportCareFund: (code: string, q: { year?: number; status?: string }) =>
    download('/api/workforce/care.xlsx', { code, ...q }, 'care.xlsx'),
  applyCare: (
    workerId: string,
    body: { kind: 'care_fund' | 'health_check'; year: number; amountFen?: number; reason?: string; checkedOn?: string },
  ) => api.post<{ id: string }>(`/api/workforce/workers/${workerId}/care`, body),
  decideCare: (id: string, body: { version: number; approve: boolean; note?: string }) =>
    api.post<{ status: string }>(`/api/workforce/care/${id}/decide`, body),
  healthChecks: (code: string, year: number) =>
    api.get<{ year: number; byMonth: number; total: number; counts: Record<HealthStatus, number>; items: HealthCheckRow[] }>(
      '/api/workforce/health-checks',
      { code, year },
    ),
  exportHealthChecks: (code: string, year: number) => download('/api/workforce/health-checks.xlsx', { code, year }, 'health-checks.xlsx'),
};
