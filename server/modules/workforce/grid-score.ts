/**
 * The grid workers' monthly performance score (网格工作考评, W7), pure. Seed 001: "实施‘网格’工作
 * 考评制度 … 根据工作评议结果，给予相应绩效津贴" — a monthly appraisal of grid work feeds a
 * performance allowance. The seeds give the structure (appraise the grid work, pay an allowance
 * from the result); the parts and weights below are a labelled example, written up with their
 * reasons in docs/workforce-pay.md, and a district may change them (GridScoreRules).
 *
 * score = discovery (events reported, up to a monthly target)
 *       + visits (homes and shops visited, 走访, up to a monthly target; logged in worker_visit)
 *       + timeliness (share of the events the worker closed that closed on time)
 *       + satisfaction (residents' average rating of the worker's evaluated events)
 * clamped to 0–100 and kept to two decimals; the pay line is score × the scheme's maximum ÷ 100.
 */

export interface GridScoreRules {
  /** Points for discovery (发现上报), reached at `reportTarget` events in the month. */
  reportPoints: number;
  reportTarget: number;
  /** Points for visits (入户走访), reached at `visitTarget` visits in the month. */
  visitPoints: number;
  visitTarget: number;
  /** Points for closing on time (按时办结): × on-time closed ÷ closed. */
  onTimePoints: number;
  /** Points for satisfaction (群众满意): × (average rating − 1) ÷ 4 on the 1–5 scale. */
  satisfactionPoints: number;
  /** Share of the satisfaction points given when no event of the month was rated. */
  unratedShare: number;
}

export const DEFAULT_GRID_SCORE_RULES: GridScoreRules = {
  reportPoints: 30,
  reportTarget: 20,
  visitPoints: 20,
  visitTarget: 20,
  onTimePoints: 30,
  satisfactionPoints: 20,
  unratedShare: 0.5,
};

/** What one grid worker did in a month, counted from the events module. */
export interface GridMonth {
  /** Events the worker reported (发现上报) in the month. */
  reported: number;
  /** Visits the worker logged in the month (走访). */
  visits: number;
  /** Events the worker closed in the month, and of those, closed within their time limit. */
  closed: number;
  closedOnTime: number;
  /** Ratings (1–5) residents gave in the month to events the worker reported or closed. */
  ratings: number;
  ratingSum: number;
}

export interface GridScore {
  score: number;
  parts: { code: 'report' | 'visit' | 'on_time' | 'satisfaction'; points: number; max: number; explain: string }[];
}

const two = (n: number) => Math.round(n * 100) / 100;

export function gridScore(m: GridMonth, r: GridScoreRules = DEFAULT_GRID_SCORE_RULES): GridScore {
  const reported = Math.max(0, m.reported);
  const closed = Math.max(0, m.closed);
  const onTime = Math.min(closed, Math.max(0, m.closedOnTime));
  const visits = Math.max(0, m.visits);
  const report = r.reportTarget > 0 ? (Math.min(reported, r.reportTarget) / r.reportTarget) * r.reportPoints : 0;
  const visited = r.visitTarget > 0 ? (Math.min(visits, r.visitTarget) / r.visitTarget) * r.visitPoints : 0;
  const timely = closed > 0 ? (onTime / closed) * r.onTimePoints : 0;
  const avg = m.ratings > 0 ? Math.min(5, Math.max(1, m.ratingSum / m.ratings)) : null;
  const satisfaction = avg === null ? r.unratedShare * r.satisfactionPoints : ((avg - 1) / 4) * r.satisfactionPoints;
  const parts: GridScore['parts'] = [
    {
      code: 'report',
      points: two(report),
      max: r.reportPoints,
      explain: `上报事件 ${reported} 件（满 ${r.reportTarget} 件得 ${r.reportPoints} 分）`,
    },
    {
      code: 'visit',
      points: two(visited),
      max: r.visitPoints,
      explain: `走访 ${visits} 次（满 ${r.visitTarget} 次得 ${r.visitPoints} 分）`,
    },
    {
      code: 'on_time',
      points: two(timely),
      max: r.onTimePoints,
      explain: closed > 0 ? `办结 ${closed} 件，按时 ${onTime} 件` : '本月无办结事件',
    },
    {
      code: 'satisfaction',
      points: two(satisfaction),
      max: r.satisfactionPoints,
      explain:
        avg === null ? `本月无群众评价，按 ${r.unratedShare * 100}% 计` : `群众评价 ${m.ratings} 次，平均 ${two(avg)} 分（满分 5 分）`,
    },
  ];
  const score = two(Math.min(100, Math.max(0, report + visited + timely + satisfaction)));
  return { score, parts };
}
