import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/types.ts';
import type { Scope } from '../../core/permissions.ts';
import { inTerritoryScope } from '../../core/scope-sql.ts';

/** SQL for the register of issued certificates (出具登记). */

export type CertificateState = 'valid' | 'revoked' | 'expired';

export interface IssuedFilter {
  communityCode?: string;
  state?: CertificateState;
  /** Today in Asia/Shanghai (YYYY-MM-DD): a certificate valid until yesterday is expired. */
  today: string;
}

/**
 * Certificates under the caller's scope (the scope filter is applied here, on the certificate's
 * path), newest first, with the state they are in today and the total for paging.
 */
export async function listIssued(db: Kysely<DB>, scope: Scope, f: IssuedFilter, page: { limit: number; offset: number }) {
  const state = sql<CertificateState>`case when c.revoked_at is not null then 'revoked'
    when c.valid_until < ${f.today}::date then 'expired' else 'valid' end`;
  let q = db
    .selectFrom('certificate as c')
    .innerJoin('person as p', (j) => j.onRef('p.district_code', '=', 'c.district_code').onRef('p.id', '=', 'c.person_id'))
    .innerJoin('division as d', 'd.code', 'c.community_code')
    .where(inTerritoryScope(scope, 'c.path'));
  if (f.communityCode) {
    q = q.where('c.district_code', '=', f.communityCode.slice(0, 6)).where('c.community_code', '=', f.communityCode);
  }
  if (f.state) q = q.where(state, '=', f.state);
  const rows = await q
    .select([
      'c.id',
      'c.number',
      'c.community_code',
      'd.name as community_name',
      'p.name as person_name',
      'p.id_enc',
      'c.type_key',
      'c.type_name',
      'c.purpose',
      'c.issued_at',
      sql<string>`to_char(c.valid_until, 'YYYY-MM-DD')`.as('valid_until'),
      'c.application_id',
      'c.issued_by_name',
      'c.revoked_at',
      'c.revoke_reason',
      'c.version',
      state.as('state'),
    ])
    .orderBy('c.issued_at', 'desc')
    .orderBy('c.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  const total = await q.select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return { rows, total: Number(total.n) };
}

export type IssuedRow = Awaited<ReturnType<typeof listIssued>>['rows'][number];
