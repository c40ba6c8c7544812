import { sql } from 'kysely';
import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../../core/audit.ts';
import { auditEntry, findCommunity } from '../services/common.ts';
import { personIn } from './people.ts';

/**
 * Party members (P2): 自管党员 and 在职党员 who register with their home community (双报到).
 * Whoever manages volunteers in a place (volunteer.manage) registers the residents of that place;
 * the organisation, when given, must be a party organisation of the person's community.
 */

export type PartyMemberKind = 'self_managed' | 'in_service';

export async function registerPartyMember(
  ctx: AppContext,
  actor: Actor,
  input: { personId: string; kind: PartyMemberKind; orgId?: string; workplace?: string },
) {
  const p = await personIn(ctx, actor, input.personId);
  if (input.orgId) {
    const community = await findCommunity(ctx.db, p.community_code);
    const org = await ctx.db
      .selectFrom('org')
      .select('id')
      .where('district_code', '=', p.district_code)
      .where('id', '=', input.orgId)
      .where('kind', '=', 'party')
      .where(sql<boolean>`territory_path <@ ${community.path}::ltree`)
      .executeTakeFirst();
    if (!org) throw new AppError('VALIDATION_FAILED', { problems: [{ field: 'orgId', reason: '所属党组织须为该居民所在社区的党组织' }] });
  }
  return ctx.db.transaction().execute(async (tx) => {
    const r = await tx
      .insertInto('party_member')
      .values({
        district_code: p.district_code,
        person_id: p.id,
        org_id: input.orgId ?? null,
        kind: input.kind,
        community_code: p.community_code,
        path: p.path,
        workplace: input.workplace ?? '',
        reported_at: input.kind === 'in_service' ? new Date() : null,
      })
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!r) throw new AppError('CONFLICT', { reason: 'already_registered' });
    await appendAudit(tx, auditEntry(actor, 'party.member.register', 'party_member', r.id, p.community_code, { kind: input.kind }));
    return { id: r.id, personId: p.id, name: p.name, kind: input.kind };
  });
}

/** Party members in the manager's scope, with their organisation and the help orders they have taken. */
export async function listPartyMembers(ctx: AppContext, actor: Actor) {
  const scope = actor.scope('volunteer.manage');
  const rows = await ctx.db
    .selectFrom('party_member as m')
    .innerJoin('person as p', (j) => j.onRef('p.district_code', '=', 'm.district_code').onRef('p.id', '=', 'm.person_id'))
    .leftJoin('org as o', (j) => j.onRef('o.district_code', '=', 'm.district_code').onRef('o.id', '=', 'm.org_id'))
    .select([
      'm.id',
      'm.person_id',
      'p.name',
      'm.kind',
      'm.community_code',
      'm.org_id',
      'o.name as org_name',
      'm.workplace',
      'm.reported_at',
      'm.created_at',
      sql<boolean>`p.user_id is not null`.as('has_account'),
      sql<number>`(select count(*)::int from help_order h where h.district_code = m.district_code and h.community_code = m.community_code
        and p.user_id is not null and h.taker_user_id = p.user_id)`.as('orders_taken'),
    ])
    .where(scope.all ? sql<boolean>`true` : sql<boolean>`m.path <@ ${sql.val(scope.territoryPaths)}::text[]::ltree[]`)
    .orderBy('m.created_at')
    .limit(500)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    personId: r.person_id,
    name: r.name,
    kind: r.kind,
    communityCode: r.community_code,
    orgId: r.org_id,
    orgName: r.org_name,
    workplace: r.workplace,
    reportedAt: r.reported_at?.toISOString() ?? null,
    registeredAt: r.created_at.toISOString(),
    hasAccount: r.has_account,
    ordersTaken: r.orders_taken,
  }));
}
