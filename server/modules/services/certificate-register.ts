import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { pathInScope } from '../../core/permissions.ts';
import { maskedId } from '../registry/pii.ts';
import { findCommunity } from './common.ts';
import { maskName } from './certificate-rules.ts';
import * as store from './certificates-store.ts';

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
