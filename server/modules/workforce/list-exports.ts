import type { getGradeRun } from './pay.ts';
import type { listGridScores } from './grid-score-service.ts';
import type { getRota } from './rota-service.ts';
import type { listMentors } from './training.ts';
import type { getPlan, objectionsOf } from './recruitment.ts';
import { SHIFT_ZH } from './rota.ts';
import { toXlsx, type XlsxFile } from '../../core/xlsx.ts';

/**
 * Workforce lists as .xlsx (W1: "an .xlsx export of any list"): the grade run's proposals, a
 * community's rota, the grid scores of a month, mentor pairs and the objections to a recruitment
 * notice. Each takes what its JSON list's service returned, so the caller's scope applies unchanged.
 */

type Of<F extends (...a: never[]) => Promise<unknown>> = Awaited<ReturnType<F>>;

const WEEKDAY_ZH = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'];
const PART_ZH: Record<string, string> = { report: '发现上报', visit: '入户走访', on_time: '按时办结', satisfaction: '群众满意' };
const FINDING_ZH: Record<string, string> = { upheld: '异议成立', dismissed: '异议不成立' };

/** How a proposed grade compares with the current one, in the words of the grade-run list. */
export function gradeChange(current: number | null, proposed: number): string {
  if (current === null) return '首次定级';
  if (proposed > current) return '晋升';
  return proposed < current ? '下调' : '维持';
}

export async function gradeRunXlsx(run: Of<typeof getGradeRun>): Promise<XlsxFile> {
  type Line = (typeof run.lines)[number];
  const buffer = await toXlsx(
    `${run.year} 年度定级`,
    [
      { header: '社区', value: (l: Line) => l.communityName, width: 16 },
      { header: '姓名', value: (l) => l.name },
      { header: '原等级', value: (l) => l.current ?? '未定级' },
      { header: '拟定等级', value: (l) => l.proposed },
      { header: '变动', value: (l) => gradeChange(l.current, l.proposed) },
      { header: '依据', value: (l) => l.reasons.join('；'), width: 80 },
    ],
    run.lines,
    `${run.year} 年度定级（自然晋升）${run.status === 'proposed' ? '拟定' : '审批'}名单：${run.workerCount} 人，变动 ${run.changedCount} 人`,
  );
  return { name: `年度定级-${run.year}.xlsx`, buffer };
}

export async function rotaXlsx(r: Of<typeof getRota>): Promise<XlsxFile> {
  type Duty = (typeof r.duties)[number];
  const buffer = await toXlsx(
    '值班表',
    [
      { header: '日期', value: (d: Duty) => d.day, width: 12 },
      { header: '星期', value: (d) => WEEKDAY_ZH[new Date(`${d.day}T00:00:00Z`).getUTCDay()] },
      { header: '班次', value: (d) => SHIFT_ZH[d.shift], width: 20 },
      { header: '值班人', value: (d) => d.name, width: 12 },
    ],
    r.duties,
    `${r.communityName} ${r.month} 值班表`,
  );
  return { name: `值班表-${r.communityName}-${r.month}.xlsx`, buffer };
}

export async function gridScoresXlsx(r: Of<typeof listGridScores>, month: string): Promise<XlsxFile> {
  type Row = (typeof r.items)[number];
  const points = (row: Row, code: string) => (row.parts as { code: string; points: number }[]).find((p) => p.code === code)?.points;
  const buffer = await toXlsx(
    '网格考评',
    [
      { header: '社区', value: (s: Row) => s.communityName, width: 16 },
      { header: '姓名', value: (s) => s.name },
      { header: '考评分', value: (s) => s.score },
      ...Object.entries(PART_ZH).map(([code, label]) => ({ header: `${label}得分`, value: (s: Row) => points(s, code) })),
      { header: '上报事件', value: (s) => s.counts?.reported },
      { header: '走访', value: (s) => s.counts?.visits },
      { header: '办结', value: (s) => s.counts?.closed },
      { header: '按时办结', value: (s) => s.counts?.closedOnTime },
      { header: '评价次数', value: (s) => s.counts?.ratings },
      { header: '说明', value: (s) => (s.parts as { explain: string }[]).map((p) => p.explain).join('；'), width: 80 },
    ],
    r.items,
    `${month} 网格员月度考评`,
  );
  return { name: `网格考评-${month}.xlsx`, buffer };
}

export async function mentorsXlsx(r: Of<typeof listMentors>): Promise<XlsxFile> {
  type Pair = (typeof r.items)[number];
  const buffer = await toXlsx(
    '导师帮带',
    [
      { header: '导师', value: (m: Pair) => m.mentorName },
      { header: '学员', value: (m) => m.menteeName },
      { header: '学员所在社区', value: (m) => m.communityName, width: 16 },
      { header: '结对日期', value: (m) => m.startOn, width: 12 },
    ],
    r.items,
    '导师帮带结对名单',
  );
  return { name: '导师帮带.xlsx', buffer };
}

export async function objectionsXlsx(plan: Of<typeof getPlan>, items: Of<typeof objectionsOf>): Promise<XlsxFile> {
  type Objection = (typeof items)[number];
  const buffer = await toXlsx(
    '公示异议',
    [
      { header: '街道', value: (o: Objection) => o.streetName, width: 14 },
      { header: '岗位', value: (o) => o.postName, width: 18 },
      { header: '姓名', value: (o) => o.name },
      { header: '收到日期', value: (o) => o.receivedOn, width: 12 },
      { header: '异议内容', value: (o) => o.content, width: 40 },
      { header: '核查结论', value: (o) => (o.finding ? FINDING_ZH[o.finding] : '待处理'), width: 12 },
      { header: '核查意见', value: (o) => o.findingNote, width: 30 },
    ],
    items,
    `${plan.title} 公示异议`,
  );
  return { name: '公示异议.xlsx', buffer };
}
