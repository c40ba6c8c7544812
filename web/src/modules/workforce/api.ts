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
  summary: { communities: number; residents: number; workers: number; per10k: number | null; shortfall: number; vacancies: number; withoutPartyAffairs: number };
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
}

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
  applications: (id: string) => api.get<{ items: Application[] }>(`/api/workforce/recruitment/plans/${id}/applications`).then((r) => r.items),
  exportApplications: (id: string) => download(`/api/workforce/recruitment/plans/${id}/applications.xlsx`, undefined, 'applications.xlsx'),
  schemes: (districtCode: string) => api.get<{ inUse: string | null; items: Scheme[] }>('/api/workforce/pay/schemes', { districtCode }),
  preview: (body: { workerId: string; month: string; rules?: unknown }) =>
    api.post<{ name: string; items: PayItem[]; totalFen: number; grade: number; ruleGrade: { reasons: string[] } }>('/api/workforce/pay/preview', body),
  runs: (districtCode: string) =>
    api.get<{ gradeRuns: { id: string; year: number; status: string; workerCount: number; changedCount: number; version: number }[]; payRuns: { id: string; month: string; status: string; workerCount: number; totalFen: number }[] }>(
      '/api/workforce/pay/runs',
      { districtCode },
    ),
  gradeRun: (id: string) =>
    api.get<{ id: string; year: number; status: string; version: number; lines: { workerId: string; name: string; communityName: string; current: number | null; proposed: number; reasons: string[] }[] }>(
      `/api/workforce/pay/grade-runs/${id}`,
    ),
  startGradeRun: (districtCode: string, year: number) => api.post<{ id: string }>('/api/workforce/pay/grade-runs', { districtCode, year }),
  approveGradeRun: (id: string, version: number) => api.post(`/api/workforce/pay/grade-runs/${id}/approve`, { version }),
  exportPayRun: (id: string) => download(`/api/workforce/pay/pay-runs/${id}/export.xlsx`, undefined, 'pay.xlsx'),
  compliance: (code: string, year: number) =>
    api.get<{ minDays: number; total: number; compliant: number; below: { workerId: string; name: string; communityName: string; days: number; onboarded: boolean }[] }>(
      '/api/workforce/training/compliance',
      { code, year },
    ),
  exportCompliance: (code: string, year: number) => download('/api/workforce/training/compliance.xlsx', { code, year }, 'training.xlsx'),
  candidates: (code: string, year: number) =>
    api.get<{ items: { workerId: string; name: string; communityName: string; workStart: string; kind: string; years: number }[] }>('/api/workforce/honours/candidates', { code, year }),
  award: (body: { workerId: string; kind: string; year: number; amountFen: number }) => api.post('/api/workforce/honours', body),
  rota: (communityCode: string, month: string) =>
    api.get<{ communityName: string; duties: { id: string; day: string; shift: string; name: string }[] }>('/api/workforce/rota', { communityCode, month }),
  generateRota: (communityCode: string, month: string) => api.post<{ excluded: string[] }>('/api/workforce/rota/generate', { communityCode, month }),
};

export const yuan = (fen: number) => (fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** The place a user works at: the first territory binding of their session. */
export function homeCode(roles: { scopeType: string; scopeCode: string | null }[]): string {
  const codes = roles.filter((r) => r.scopeType === 'territory' && r.scopeCode).map((r) => r.scopeCode!.slice(0, 12));
  return codes.sort((a, b) => a.length - b.length)[0] ?? '';
}
