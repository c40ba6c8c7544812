import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { pathInScope } from '../../core/permissions.ts';
import { maskedId } from '../registry/pii.ts';
import { findCommunity } from './common.ts';
import { maskName } from './certificate-rules.ts';
import * as store from './certificates-store.ts';
import { appendAudit } from '../../core/audit.ts';
import { toXlsx, type XlsxFile } from '../../core/xlsx.ts';
import { auditEntry } from './common.ts';

/**
 * The register of issued certificates (出具登记, V4) for the people who issue them: what the
 * community has certified, for whom (masked), and whether each is still valid — where a wrong
 * certificate is found and revoked.
 */

export interface IssuedQuery {
  communityCode?: string;
  state?: store.CertificateState;
  limit?: number;
  offset?: number;
}

function localDate(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

export async function listIssued(ctx: AppContext, actor: Actor, q: IssuedQuery, now = new Date()) {
  const scope = actor.scope('certificate.issue');
  if (q.communityCode) {
    const community = await findCommunity(ctx.db, q.communityCode);
    if (!pathInScope(scope, community.path)) throw new AppError('OUT_OF_SCOPE');
  }
  const { rows, total } = await store.listIssued(
    ctx.db,
    scope,
    { communityCode: q.communityCode, state: q.state, today: localDate(now) },
    { limit: q.limit ?? 50, offset: q.offset ?? 0 },
  );
  return {
    total,
    items: rows.map((r) => ({
      id: r.id,
      number: r.number,
      communityCode: r.community_code,
      communityName: r.community_name,
      personMasked: maskName(r.person_name),
      idMasked: maskedId(ctx.keyring, r.id_enc),
      typeKey: r.type_key,
      typeName: r.type_name,
      purpose: r.purpose,
      issuedAt: r.issued_at.toISOString(),
      issuedByName: r.issued_by_name,
      validUntil: r.valid_until,
      fromApplication: r.application_id !== null,
      state: r.state,
      revokedAt: r.revoked_at?.toISOString() ?? null,
      revokeReason: r.revoke_reason,
      version: r.version,
    })),
  };
}

/** The most rows one export holds; a larger register is exported community by community or by state. */
export const ISSUED_EXPORT_MAX = 10_000;

const STATE_ZH: Record<store.CertificateState, string> = { valid: '有效', revoked: '已撤销', expired: '已过期' };

/**
 * The register as an .xlsx, the same masked rows as the page, newest first, for the community's
 * paper ledger and the street's checks. The export itself is audited (who took which part of it).
 */
export async function issuedXlsx(
  ctx: AppContext,
  actor: Actor,
  q: Omit<IssuedQuery, 'limit' | 'offset'>,
  now = new Date(),
): Promise<XlsxFile> {
  const page = await listIssued(ctx, actor, { ...q, limit: ISSUED_EXPORT_MAX, offset: 0 }, now);
  if (page.total > ISSUED_EXPORT_MAX) {
    throw new AppError('VALIDATION_FAILED', {
      problems: [{ field: 'communityCode', reason: `超过 ${ISSUED_EXPORT_MAX} 条，请按社区或状态分别导出` }],
    });
  }
  type Item = (typeof page.items)[number];
  const buffer = await toXlsx<Item>(
    '出具登记',
    [
      { header: '证明编号', width: 24, value: (r) => r.number },
      { header: '社区', width: 16, value: (r) => r.communityName },
      { header: '持证人', width: 10, value: (r) => r.personMasked },
      { header: '证件号', width: 22, value: (r) => r.idMasked },
      { header: '证明类型', width: 22, value: (r) => r.typeName },
      { header: '用途', width: 22, value: (r) => r.purpose },
      { header: '出具时间', width: 18, value: (r) => localDateTime(new Date(r.issuedAt)) },
      { header: '出具人', width: 10, value: (r) => r.issuedByName },
      { header: '有效期至', width: 12, value: (r) => r.validUntil },
      { header: '来源', width: 8, value: (r) => (r.fromApplication ? '办件' : '窗口') },
      { header: '状态', width: 8, value: (r) => STATE_ZH[r.state] },
      { header: '撤销原因', width: 24, value: (r) => r.revokeReason },
    ],
    page.items,
    `证明出具登记（导出于 ${localDateTime(now)}，共 ${page.total} 条）`,
  );
  await appendAudit(ctx.db, {
    ...auditEntry(actor, 'certificate.register.export', 'certificate', 'register', '', { state: q.state ?? null, rows: page.total }),
    placeCode: q.communityCode ?? null,
  });
  return {
    name: `证明出具登记${q.communityCode ? `-${page.items[0]?.communityName ?? q.communityCode}` : ''}-${localDate(now)}.xlsx`,
    buffer,
  };
}

function localDateTime(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}
