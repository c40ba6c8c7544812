import type { candidates } from './honours-care.ts';
import type { healthChecks, listAwards, listCareFund } from './care-views.ts';
import { fenToYuan, toXlsx, type XlsxFile } from '../../core/xlsx.ts';

/** The honours and care lists (W6) as .xlsx, each the same rows as its page shows. */

type Of<F extends (...a: never[]) => Promise<unknown>> = Awaited<ReturnType<F>>;

const CARE_STATUS: Record<string, string> = { applied: '待审批', approved: '已批准', rejected: '不予批准' };
const HEALTH_STATUS: Record<string, string> = { done: '已体检', due: '待体检', overdue: '已逾期' };

const when = (d: Date | null) =>
  d ? new Date(d).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }).replace(/\//g, '-') : '';

export async function candidatesXlsx(c: Of<typeof candidates>): Promise<XlsxFile> {
  type Row = (typeof c.items)[number];
  const buffer = await toXlsx(
    '荣誉候选',
    [
      { header: '社区', value: (r: Row) => r.communityName, width: 16 },
      { header: '姓名', value: (r) => r.name },
      { header: '参加工作时间', value: (r) => r.workStart, width: 14 },
      { header: '工作年限', value: (r) => r.years },
      { header: '荣誉', value: (r) => r.kindName, width: 30 },
    ],
    c.items,
    `${c.place} ${c.year} 年度荣誉候选名单（按工作年限）`,
  );
  return { name: `荣誉候选-${c.year}.xlsx`, buffer };
}

export async function awardsXlsx(a: Of<typeof listAwards>, year: number | undefined): Promise<XlsxFile> {
  type Row = (typeof a.items)[number];
  const buffer = await toXlsx(
    '表彰奖励',
    [
      { header: '授予日期', value: (r: Row) => r.awardedOn, width: 12 },
      { header: '年度', value: (r) => r.year },
      { header: '类别', value: (r) => r.kindName, width: 26 },
      { header: '名称', value: (r) => r.title, width: 26 },
      { header: '对象', value: (r) => (r.collective ? '集体' : '个人') },
      { header: '姓名', value: (r) => r.workerName ?? '' },
      { header: '社区', value: (r) => r.communityName, width: 16 },
      { header: '金额（元）', value: (r) => fenToYuan(r.amountFen), width: 12 },
      { header: '授予单位', value: (r) => r.awardedBy, width: 22 },
    ],
    a.items,
    `${a.place}${year ? ` ${year} 年度` : ''}表彰奖励记录`,
  );
  return { name: `表彰奖励${year ? `-${year}` : ''}.xlsx`, buffer };
}

export async function careFundXlsx(c: Of<typeof listCareFund>, year: number | undefined): Promise<XlsxFile> {
  type Row = (typeof c.items)[number];
  const buffer = await toXlsx(
    '关爱基金',
    [
      { header: '社区', value: (r: Row) => r.communityName, width: 16 },
      { header: '姓名', value: (r) => r.name },
      { header: '年度', value: (r) => r.year },
      { header: '申请金额（元）', value: (r) => fenToYuan(r.amountFen), width: 14 },
      { header: '申请事由', value: (r) => r.reason, width: 32 },
      { header: '申请时间', value: (r) => when(r.appliedAt), width: 20 },
      { header: '状态', value: (r) => CARE_STATUS[r.status] ?? r.status },
      { header: '审批人', value: (r) => r.decidedBy ?? '' },
      { header: '审批时间', value: (r) => when(r.decidedAt), width: 20 },
      { header: '审批意见', value: (r) => r.decisionNote, width: 24 },
    ],
    c.items,
    `${c.place}${year ? ` ${year} 年度` : ''}社工关爱基金申请`,
  );
  return { name: `关爱基金${year ? `-${year}` : ''}.xlsx`, buffer };
}

export async function healthChecksXlsx(h: Of<typeof healthChecks>): Promise<XlsxFile> {
  type Row = (typeof h.items)[number];
  const buffer = await toXlsx(
    '年度体检',
    [
      { header: '社区', value: (r: Row) => r.communityName, width: 16 },
      { header: '姓名', value: (r) => r.name },
      { header: '状态', value: (r) => HEALTH_STATUS[r.status] },
      { header: '最近体检日期', value: (r) => r.lastCheckOn ?? '从未体检', width: 14 },
      { header: '应检截止日期', value: (r) => r.dueBy ?? '', width: 14 },
    ],
    h.items,
    `${h.place} ${h.year} 年度体检情况（已体检 ${h.counts.done}，待体检 ${h.counts.due}，已逾期 ${h.counts.overdue}）`,
  );
  return { name: `年度体检-${h.year}.xlsx`, buffer };
}
