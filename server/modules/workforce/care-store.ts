import { sql, type Kysely, type SqlBool } from 'kysely';
import type { DB } from '../../db/types.ts';
import type { HonourKind } from '../../db/types-workforce.ts';
import type { Scope } from '../../core/permissions.ts';
import { inTerritoryScope } from '../../core/scope-sql.ts';
import { ymd, ymdOrNull } from './store.ts';

/**
 * SQL for the lists of honours and care (W6): award records, care-fund applications and the
 * yearly health checks of the workers under a place. Every query keeps to the caller's
 * workforce.manage scope and to the place's district (the partition key).
 */

const under = (column: string, path: string) => sql<SqlBool>`${sql.ref(column)} <@ ${path}::ltree`;

export interface HonourFilter {
  year?: number;
  kind?: HonourKind;
}

/** Award records under a place: individual ones by the worker's place, collective ones by the community's. */
export async function listHonours(db: Kysely<DB>, scope: Scope, districtCode: string, path: string, f: HonourFilter) {
  let inner = db
    .selectFrom('worker_honour as h')
    .leftJoin('worker as w', (j) => j.onRef('w.district_code', '=', 'h.district_code').onRef('w.id', '=', 'h.worker_id'))
    .leftJoin('person as p', (j) => j.onRef('p.district_code', '=', 'w.district_code').onRef('p.id', '=', 'w.person_id'))
    .leftJoin('division as hc', 'hc.code', 'h.community_code')
    .leftJoin('division as wc', 'wc.code', 'w.community_code')
    .select([
      'h.id',
      'h.kind',
      'h.title',
      'h.year',
      'h.amount_fen',
      ymd('h.awarded_on').as('awarded_on'),
      'h.awarded_by',
      'h.worker_id',
      'p.name as worker_name',
      sql<string>`coalesce(wc.code, hc.code)`.as('community_code'),
      sql<string>`coalesce(wc.name, hc.name)`.as('community_name'),
      sql<string>`coalesce(w.path, hc.path)`.as('place_path'),
      'h.created_at',
    ])
    .where('h.district_code', '=', districtCode);
  if (f.year !== undefined) inner = inner.where('h.year', '=', f.year);
  if (f.kind) inner = inner.where('h.kind', '=', f.kind);
  return db
    .selectFrom(inner.as('x'))
    .selectAll()
    .where(under('x.place_path', path))
    .where(inTerritoryScope(scope, 'x.place_path'))
    .orderBy('x.awarded_on', 'desc')
    .orderBy('x.created_at', 'desc')
    .execute();
}

export interface CareFilter {
  year?: number;
  status?: 'applied' | 'approved' | 'rejected';
}

/** Care-fund applications (关爱基金) of the workers under a place, pending first. */
export async function listCareFund(db: Kysely<DB>, scope: Scope, districtCode: string, path: string, f: CareFilter) {
  let q = db
    .selectFrom('worker_care as k')
    .innerJoin('worker as w', (j) => j.onRef('w.district_code', '=', 'k.district_code').onRef('w.id', '=', 'k.worker_id'))
    .innerJoin('person as p', (j) => j.onRef('p.district_code', '=', 'w.district_code').onRef('p.id', '=', 'w.person_id'))
    .innerJoin('division as c', 'c.code', 'w.community_code')
    .select([
      'k.id',
      'k.worker_id',
      'p.name',
      'c.name as community_name',
      sql<string>`w.path::text`.as('path'),
      'k.year',
      'k.amount_fen',
      'k.reason',
      'k.status',
      'k.decided_by',
      'k.decided_at',
      'k.decision_note',
      'k.created_at',
      'k.version',
    ])
    .where('k.district_code', '=', districtCode)
    .where('k.kind', '=', 'care_fund')
    .where(under('w.path', path))
    .where(inTerritoryScope(scope, 'w.path'));
  if (f.year !== undefined) q = q.where('k.year', '=', f.year);
  if (f.status) q = q.where('k.status', '=', f.status);
  return q
    .orderBy(sql`case k.status when 'applied' then 0 else 1 end`)
    .orderBy('k.created_at', 'desc')
    .execute();
}

/** Active workers under a place with their latest health check in the year and the latest before it. */
export async function healthCheckRows(db: Kysely<DB>, scope: Scope, districtCode: string, path: string, year: number) {
  const start = `${year}-01-01`;
  const end = `${year}-12-31`;
  const checks = db
    .selectFrom('worker_care')
    .select([
      'worker_id',
      sql<string | null>`max(checked_on) filter (where checked_on between ${start}::date and ${end}::date)`.as('in_year'),
      sql<string | null>`max(checked_on) filter (where checked_on < ${start}::date)`.as('before'),
    ])
    .where('district_code', '=', districtCode)
    .where('kind', '=', 'health_check')
    .groupBy('worker_id');
  return db
    .selectFrom('worker as w')
    .innerJoin('person as p', (j) => j.onRef('p.district_code', '=', 'w.district_code').onRef('p.id', '=', 'w.person_id'))
    .innerJoin('division as c', 'c.code', 'w.community_code')
    .leftJoin(checks.as('hc'), 'hc.worker_id', 'w.id')
    .select(['w.id', 'p.name', 'w.community_code', 'c.name as community_name', ymdOrNull('hc.in_year').as('in_year')])
    .select(ymdOrNull('hc.before').as('before'))
    .where('w.district_code', '=', districtCode)
    .where('w.status', '=', 'active')
    .where(under('w.path', path))
    .where(inTerritoryScope(scope, 'w.path'))
    .orderBy('w.community_code')
    .orderBy('p.name')
    .execute();
}
