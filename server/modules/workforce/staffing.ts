import { sql } from 'kysely';
import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../../core/audit.ts';
import { pathInScope } from '../../core/permissions.ts';
import { todayInShanghai } from '../registry/person-rules.ts';
import { auditOf } from './archive.ts';
import * as store from './store.ts';
import { appointFromReserve } from './recruitment.ts';

/**
 * Staffing (W2): workers per 10 000 residents against the district's target (20, seed 000),
 * communities without a party-affairs worker (seed 003: at least one each), vacancies against
 * the posts a community is given (职数), and filling a vacancy from the reserve pool (随缺随补).
 * Residents: the figure the district entered (常住人口), else the registry's count.
 */

export async function settingsOf(ctx: AppContext, districtCode: string) {
  const s = await ctx.db.selectFrom('wf_setting').selectAll().where('district_code', '=', districtCode).executeTakeFirst();
  return {
    districtCode,
    targetPer10k: s?.target_per_10k ?? 20,
    certificateYears: s?.certificate_years ?? 20,
    medalYears: s?.medal_years ?? 30,
    gengyunYears: s?.gengyun_years ?? 20,
    trainingMinDays: s ? Number(s.training_min_days) : 3,
    healthCheckByMonth: s?.health_check_by_month ?? 12,
    paySchemeCode: s?.pay_scheme_code ?? null,
    version: s?.version ?? 0,
  };
}
export type Settings = Awaited<ReturnType<typeof settingsOf>>;

export interface SettingsPatch {
  version: number;
  targetPer10k?: number;
  certificateYears?: number;
  medalYears?: number;
  gengyunYears?: number;
  trainingMinDays?: number;
  healthCheckByMonth?: number;
  paySchemeCode?: string | null;
}

export async function updateSettings(ctx: AppContext, actor: Actor, districtCode: string, input: SettingsPatch) {
  const d = await store.findDivision(ctx.db, districtCode);
  if (!d || d.level !== 'district') throw new AppError('TERRITORY_NOT_FOUND', { districtCode });
  if (!pathInScope(actor.scope('workforce.manage'), d.path) || !pathInScope(actor.scope('workforce.pay'), d.path))
    throw new AppError('OUT_OF_SCOPE', { districtCode });
  const current = await settingsOf(ctx, districtCode);
  if (current.version !== input.version) throw new AppError('VERSION_CONFLICT', { currentVersion: current.version });
  const values = {
    target_per_10k: input.targetPer10k ?? current.targetPer10k,
    certificate_years: input.certificateYears ?? current.certificateYears,
    medal_years: input.medalYears ?? current.medalYears,
    gengyun_years: input.gengyunYears ?? current.gengyunYears,
    training_min_days: input.trainingMinDays ?? current.trainingMinDays,
    health_check_by_month: input.healthCheckByMonth ?? current.healthCheckByMonth,
    pay_scheme_code: input.paySchemeCode !== undefined ? input.paySchemeCode : current.paySchemeCode,
  };
  await ctx.db.transaction().execute(async (tx) => {
    if (current.version === 0)
      await tx
        .insertInto('wf_setting')
        .values({ district_code: districtCode, ...values })
        .execute();
    else
      await tx
        .updateTable('wf_setting')
        .set({ ...values, updated_at: new Date(), version: current.version + 1 })
        .where('district_code', '=', districtCode)
        .execute();
    await appendAudit(tx, auditOf(actor, 'workforce.settings.update', 'wf_setting', districtCode, districtCode, values));
  });
  return settingsOf(ctx, districtCode);
}

export interface CommunityStaffing {
  code: string;
  name: string;
  streetCode: string;
  streetName: string;
  residents: number;
  residentsSource: 'entered' | 'registry';
  workers: number;
  partyAffairs: number;
  per10k: number | null;
  target: number;
  /** Workers needed to reach the target ratio. */
  shortfall: number;
  authorizedPosts: number;
  vacancies: number;
  reserveAvailable: number;
  version: number;
}

/** The staffing figures of every community under a district, street or community. */
export async function overview(ctx: AppContext, actor: Actor, code: string) {
  const node = await store.findDivision(ctx.db, code);
  if (!node) throw new AppError('TERRITORY_NOT_FOUND', { code });
  if (!pathInScope(actor.scope('workforce.read'), node.path)) throw new AppError('OUT_OF_SCOPE', { code });
  const settings = await settingsOf(ctx, code.slice(0, 6));
  const year = Number(todayInShanghai().slice(0, 4));
  const rows = await sql<{
    code: string;
    name: string;
    street_code: string;
    street_name: string;
    residents: number | null;
    authorized: number;
    version: number | null;
    registry_residents: number;
    workers: number;
    party_affairs: number;
    reserve: number;
  }>`
    select c.code, c.name, s.code as street_code, s.name as street_name, wc.residents,
      coalesce(wc.authorized_posts, 0) as authorized, wc.version,
      (select count(*)::int from person p where p.path <@ c.path and p.status = 'active') as registry_residents,
      (select count(*)::int from worker w where w.district_code = left(c.code, 6) and w.community_code = c.code and w.status = 'active') as workers,
      (select count(*)::int from worker w where w.district_code = left(c.code, 6) and w.community_code = c.code and w.status = 'active'
         and w.party_affairs) as party_affairs,
      (select count(*)::int from recruit_application a
         join recruit_post rp on rp.district_code = a.district_code and rp.id = a.post_id
         join recruit_plan pl on pl.district_code = a.district_code and pl.id = a.plan_id
         where a.district_code = left(c.code, 6) and rp.street_code = s.code and a.status = 'reserve' and pl.year = ${year}) as reserve
    from division c
    join division s on s.code = c.parent_code
    left join wf_community wc on wc.district_code = left(c.code, 6) and wc.community_code = c.code
    where c.level = 'community' and c.path <@ ${node.path}::ltree
    order by c.code`.execute(ctx.db);
  const communities: CommunityStaffing[] = rows.rows.map((r) => {
    const residents = r.residents ?? r.registry_residents;
    const target = settings.targetPer10k;
    return {
      code: r.code,
      name: r.name,
      streetCode: r.street_code,
      streetName: r.street_name,
      residents,
      residentsSource: r.residents === null ? 'registry' : 'entered',
      workers: r.workers,
      partyAffairs: r.party_affairs,
      per10k: residents > 0 ? Math.round((r.workers * 10_000 * 10) / residents) / 10 : null,
      target,
      shortfall: Math.max(0, Math.ceil((residents * target) / 10_000) - r.workers),
      authorizedPosts: r.authorized,
      vacancies: Math.max(0, r.authorized - r.workers),
      reserveAvailable: r.reserve,
      version: r.version ?? 0,
    };
  });
  const sum = (f: (c: CommunityStaffing) => number) => communities.reduce((s, c) => s + f(c), 0);
  const residents = sum((c) => c.residents);
  const workers = sum((c) => c.workers);
  return {
    code: node.code,
    name: node.name,
    level: node.level,
    target: settings.targetPer10k,
    summary: {
      communities: communities.length,
      staffedCommunities: communities.filter((c) => c.workers > 0).length,
      residents,
      workers,
      per10k: residents > 0 ? Math.round((workers * 10_000 * 10) / residents) / 10 : null,
      shortfall: sum((c) => c.shortfall),
      vacancies: sum((c) => c.vacancies),
      withoutPartyAffairs: communities.filter((c) => c.workers > 0 && c.partyAffairs === 0).length,
    },
    // Only communities with staff or figures entered: a district lists hundreds of divisions.
    communities: communities.filter((c) => c.workers > 0 || c.version > 0 || node.level === 'community'),
  };
}

export async function setCommunity(
  ctx: AppContext,
  actor: Actor,
  code: string,
  input: { version: number; residents?: number | null; authorizedPosts?: number },
) {
  const c = await store.findCommunity(ctx.db, code);
  if (!c) throw new AppError('TERRITORY_NOT_FOUND', { code });
  if (!pathInScope(actor.scope('workforce.manage'), c.path)) throw new AppError('OUT_OF_SCOPE', { code });
  const d = code.slice(0, 6);
  await ctx.db.transaction().execute(async (tx) => {
    const cur = await tx
      .selectFrom('wf_community')
      .selectAll()
      .where('district_code', '=', d)
      .where('community_code', '=', code)
      .executeTakeFirst();
    if ((cur?.version ?? 0) !== input.version) throw new AppError('VERSION_CONFLICT', { currentVersion: cur?.version ?? 0 });
    const residents = input.residents !== undefined ? input.residents : (cur?.residents ?? null);
    const authorized = input.authorizedPosts ?? cur?.authorized_posts ?? 0;
    if (cur)
      await tx
        .updateTable('wf_community')
        .set({ residents, authorized_posts: authorized, updated_at: new Date(), version: cur.version + 1 })
        .where('district_code', '=', d)
        .where('community_code', '=', code)
        .execute();
    else
      await tx
        .insertInto('wf_community')
        .values({ district_code: d, community_code: code, residents, authorized_posts: authorized })
        .execute();
    await appendAudit(tx, auditOf(actor, 'workforce.staffing.set', 'wf_community', code, code, { residents, authorizedPosts: authorized }));
  });
  const o = await overview(ctx, actor, code);
  return o.communities[0];
}

/** Fills one vacancy of a community with the first waiting reserve of its street this year. */
export async function fillVacancy(ctx: AppContext, actor: Actor, code: string) {
  const c = await store.findCommunity(ctx.db, code);
  if (!c) throw new AppError('TERRITORY_NOT_FOUND', { code });
  if (!pathInScope(actor.scope('workforce.manage'), c.path)) throw new AppError('OUT_OF_SCOPE', { code });
  const o = await overview(ctx, actor, code);
  const row = o.communities[0];
  if (!row || row.vacancies <= 0) throw new AppError('NO_VACANCY', { code, vacancies: row?.vacancies ?? 0 });
  return appointFromReserve(ctx, actor, c);
}
