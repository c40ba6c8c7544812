import { download } from '../../app/api';

/** Excel out for the lists that server/modules/workforce/routes-exports.ts serves. */
export const wfExports = {
  gradeRun: (id: string) => download(`/api/workforce/pay/grade-runs/${id}/export.xlsx`, undefined, 'grade-run.xlsx'),
  rota: (communityCode: string, month: string) => download('/api/workforce/rota.xlsx', { communityCode, month }, 'rota.xlsx'),
  gridScores: (districtCode: string, month: string) =>
    download('/api/workforce/pay/grid-scores.xlsx', { districtCode, month }, 'grid-scores.xlsx'),
  mentors: (code: string) => download('/api/workforce/training/mentors.xlsx', { code }, 'mentors.xlsx'),
  objections: (planId: string) => download(`/api/workforce/recruitment/plans/${planId}/objections.xlsx`, undefined, 'objections.xlsx'),
};
