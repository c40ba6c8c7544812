import type { Writable } from 'node:stream';
import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../../core/audit.ts';
import { RESIDENCY_ZH } from './person-rules.ts';
import { searchPersons, type PersonView, type SearchInput } from './service.ts';
import { writeExport, type ExportColumn } from './spreadsheets.ts';
import { ID_TYPE_ZH } from './validators.ts';

/** Export of any filtered person list to .xlsx (R2): masked, or in clear with reveal + reason. */

const MAX_ROWS = 200_000;
type Row = PersonView & { secret?: { idNumber: string; phone: string | null } };

export async function exportPersons(
  ctx: AppContext,
  actor: Actor,
  filter: SearchInput,
  reveal: { reason: string } | null,
  stream: Writable,
) {
  if (reveal) {
    if (!actor.can('registry.reveal')) throw new AppError('FORBIDDEN', { permission: 'registry.reveal' });
    if (reveal.reason.trim().length < 2)
      throw new AppError('VALIDATION_FAILED', { problems: [{ field: 'reason', reason: '请填写导出明文的原因' }] });
  }
  let count = 0;
  const permission = reveal ? 'registry.reveal' : 'registry.read';
  async function* pages(): AsyncGenerator<Row[]> {
    let cursor: string | undefined;
    do {
      const page = await searchPersons(ctx, actor, { ...filter, cursor, limit: 1000 }, { permission, secrets: reveal !== null });
      count += page.items.length;
      yield page.items as Row[];
      cursor = page.nextCursor ?? undefined;
    } while (cursor && count < MAX_ROWS);
  }
  const columns: ExportColumn<Row>[] = [
    { header: '姓名', width: 12, value: (r) => r.name },
    { header: '性别', width: 6, value: (r) => (r.gender === 'M' ? '男' : r.gender === 'F' ? '女' : '') },
    { header: '年龄', width: 6, value: (r) => r.age },
    { header: '证件类型', width: 12, value: (r) => ID_TYPE_ZH[r.idType] },
    { header: '证件号码', width: 22, value: (r) => r.secret?.idNumber ?? r.idMasked },
    { header: '联系电话', width: 14, value: (r) => r.secret?.phone ?? r.phoneMasked ?? '' },
    { header: '民族', width: 8, value: (r) => r.ethnicity },
    { header: '人口类型', width: 8, value: (r) => RESIDENCY_ZH[r.residency] },
    { header: '户籍地', width: 20, value: (r) => r.householdPlace },
    { header: '住址', width: 40, value: (r) => r.address ?? '' },
    { header: '房屋编码', width: 26, value: (r) => r.houseCode ?? '' },
    { header: '标签', width: 24, value: (r) => [...r.ageTags, ...r.tags].join('、') },
  ];
  await writeExport(stream, '人口信息', columns, pages());
  await appendAudit(ctx.db, {
    actorId: actor.userId,
    actorName: actor.username,
    action: reveal ? 'registry.person.export_clear' : 'registry.person.export',
    targetType: 'person',
    ip: actor.ip,
    details: { rows: count, filter: { ...filter, q: filter.q ? '(query)' : undefined }, ...(reveal ? { reason: reveal.reason } : {}) },
  });
  return count;
}
