import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../../core/audit.ts';
import { pathInScope, type Scope } from '../../core/permissions.ts';
import * as registryStore from '../registry/store.ts';
import { actorPerson, auditEntry, findCommunity, requireActorPerson } from '../services/common.ts';
import { creditedHours, pairNeedsVisit } from './order-rules.ts';
import { awardInTx } from './points.ts';

/** People who serve (P1, P2): volunteers, 一帮一 pairs, projects with QR check-in, party members and their posts. */

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const inPaths = (scope: Scope, col: string) =>
  scope.all ? sql<boolean>`true` : sql<boolean>`${sql.ref(col)} <@ ${sql.val(scope.territoryPaths)}::text[]::ltree[]`;

export async function personIn(ctx: AppContext, actor: Actor, personId: string) {
  const p = await registryStore.findPerson(ctx.db, actor.scope('volunteer.manage'), personId);
  if (!p) throw new AppError('NOT_FOUND', { personId });
  return p;
}

// ---------------------------------------------------------------- volunteers

export async function registerVolunteer(ctx: AppContext, actor: Actor, input: { personId: string; skills?: string[] }) {
  const p = await personIn(ctx, actor, input.personId);
  return ctx.db.transaction().execute(async (tx) => {
    const r = await tx
      .insertInto('volunteer')
      .values({
        district_code: p.district_code,
        person_id: p.id,
        community_code: p.community_code,
        path: p.path,
        skills: input.skills ?? [],
      })
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!r) throw new AppError('CONFLICT', { reason: 'already_registered' });
    await appendAudit(tx, auditEntry(actor, 'volunteer.register', 'volunteer', r.id, p.community_code));
    return { id: r.id, personId: p.id, name: p.name, skills: input.skills ?? [] };
  });
}

export async function listVolunteers(ctx: AppContext, actor: Actor) {
  const rows = await ctx.db
    .selectFrom('volunteer as v')
    .innerJoin('person as p', (j) => j.onRef('p.district_code', '=', 'v.district_code').onRef('p.id', '=', 'v.person_id'))
    .select([
      'v.id',
      'v.person_id',
      'p.name',
      'v.community_code',
      'v.skills',
      'v.status',
      'v.registered_at',
      sql<string>`coalesce((select sum(s.hours) from volunteer_signup s where s.district_code = v.district_code and s.volunteer_id = v.id and s.confirmed_at is not null), 0)`.as(
        'hours',
      ),
    ])
    .where(inPaths(actor.scope('volunteer.manage'), 'v.path'))
    .orderBy('v.registered_at')
    .limit(500)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    personId: r.person_id,
    name: r.name,
    communityCode: r.community_code,
    skills: r.skills,
    status: r.status,
    hours: Number(r.hours),
  }));
}

// ---------------------------------------------------------------- 一帮一 pairs

export async function createPair(ctx: AppContext, actor: Actor, input: { volunteerId: string; personId: string }) {
  const p = await personIn(ctx, actor, input.personId);
  const v = await ctx.db
    .selectFrom('volunteer')
    .select(['id', 'community_code'])
    .where('id', '=', input.volunteerId)
    .where('district_code', '=', p.district_code)
    .executeTakeFirst();
  if (!v) throw new AppError('NOT_FOUND', { volunteerId: input.volunteerId });
  return ctx.db.transaction().execute(async (tx) => {
    const r = await tx
      .insertInto('help_pair')
      .values({
        district_code: p.district_code,
        volunteer_id: v.id,
        person_id: p.id,
        community_code: p.community_code,
        path: p.path,
        started_on: today(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendAudit(tx, auditEntry(actor, 'volunteer.pair.create', 'help_pair', r.id, p.community_code));
    return { id: r.id };
  });
}

function pairQuery(ctx: AppContext) {
  return ctx.db
    .selectFrom('help_pair as hp')
    .innerJoin('volunteer as v', (j) => j.onRef('v.district_code', '=', 'hp.district_code').onRef('v.id', '=', 'hp.volunteer_id'))
    .innerJoin('person as vp', (j) => j.onRef('vp.district_code', '=', 'v.district_code').onRef('vp.id', '=', 'v.person_id'))
    .innerJoin('person as p', (j) => j.onRef('p.district_code', '=', 'hp.district_code').onRef('p.id', '=', 'hp.person_id'))
    .select([
      'hp.id',
      'hp.district_code',
      'hp.community_code',
      sql<string>`hp.path::text`.as('path'),
      'vp.name as volunteer_name',
      'vp.user_id as volunteer_user_id',
      'p.name as person_name',
      'p.tags as person_tags',
      sql<string>`to_char(hp.started_on, 'YYYY-MM-DD')`.as('started_on'),
      sql<
        string | null
      >`(select to_char(max(x.visited_on), 'YYYY-MM-DD') from help_pair_visit x where x.district_code = hp.district_code and x.pair_id = hp.id)`.as(
        'last_visit',
      ),
      sql<number>`(select count(*)::int from help_pair_visit x where x.district_code = hp.district_code and x.pair_id = hp.id)`.as(
        'visits',
      ),
    ])
    .where('hp.active', '=', true);
}

/** Pairs in the manager's scope, or the volunteer's own; `needsVisit` when no visit for a month. */
export async function listPairs(ctx: AppContext, actor: Actor, day = today()) {
  let q = pairQuery(ctx);
  if (actor.can('volunteer.manage')) q = q.where(inPaths(actor.scope('volunteer.manage'), 'hp.path'));
  else q = q.where('vp.user_id', '=', actor.userId);
  const rows = await q.orderBy('hp.started_on').limit(500).execute();
  return rows.map((r) => ({
    id: r.id,
    communityCode: r.community_code,
    volunteerName: r.volunteer_name,
    personName: r.person_name,
    personTags: r.person_tags,
    startedOn: r.started_on,
    lastVisit: r.last_visit,
    visits: r.visits,
    needsVisit: pairNeedsVisit(r.last_visit, r.started_on, day),
  }));
}

export async function logVisit(ctx: AppContext, actor: Actor, pairId: string, input: { visitedOn: string; note: string }) {
  const pair = await pairQuery(ctx).where('hp.id', '=', pairId).executeTakeFirst();
  const manager = pair && pathInScope(actor.scope('volunteer.manage'), pair.path);
  if (!pair || (!manager && pair.volunteer_user_id !== actor.userId)) throw new AppError('NOT_FOUND', { pairId });
  if (input.visitedOn > today())
    throw new AppError('VALIDATION_FAILED', { problems: [{ field: 'visitedOn', reason: '走访日期不能晚于今天' }] });
  await ctx.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('help_pair_visit')
      .values({
        district_code: pair.district_code,
        pair_id: pairId,
        visited_on: input.visitedOn,
        note: input.note,
        logged_by: actor.displayName,
      })
      .execute();
    await appendAudit(tx, auditEntry(actor, 'volunteer.pair.visit', 'help_pair', pairId, pair.community_code));
  });
  return { pairId, visitedOn: input.visitedOn };
}

// ---------------------------------------------------------------- projects with QR check-in

export async function createProject(
  ctx: AppContext,
  actor: Actor,
  input: { communityCode: string; title: string; description?: string; startsAt: string; endsAt: string; slots: number },
) {
  const c = await findCommunity(ctx.db, input.communityCode);
  if (!pathInScope(actor.scope('volunteer.manage'), c.path)) throw new AppError('OUT_OF_SCOPE');
  const startsAt = new Date(input.startsAt);
  const endsAt = new Date(input.endsAt);
  if (!(endsAt > startsAt)) throw new AppError('VALIDATION_FAILED', { problems: [{ field: 'endsAt', reason: '结束时间须晚于开始时间' }] });
  return ctx.db.transaction().execute(async (tx) => {
    const r = await tx
      .insertInto('volunteer_project')
      .values({
        district_code: c.districtCode,
        community_code: c.code,
        path: c.path,
        title: input.title,
        description: input.description ?? '',
        starts_at: startsAt,
        ends_at: endsAt,
        slots: input.slots,
        checkin_code: crypto.randomBytes(9).toString('base64url'),
        organiser_user_id: actor.userId,
      })
      .returning(['id', 'checkin_code'])
      .executeTakeFirstOrThrow();
    await appendAudit(tx, auditEntry(actor, 'volunteer.project.create', 'volunteer_project', r.id, c.code, { title: input.title }));
    return { id: r.id, checkinCode: r.checkin_code };
  });
}

export async function listProjects(ctx: AppContext, actor: Actor) {
  const own = await actorPerson(ctx.db, actor);
  const manage = actor.scope('volunteer.manage');
  let q = ctx.db
    .selectFrom('volunteer_project as vp')
    .select([
      'vp.id',
      'vp.community_code',
      sql<string>`vp.path::text`.as('path'),
      'vp.title',
      'vp.description',
      'vp.starts_at',
      'vp.ends_at',
      'vp.slots',
      'vp.checkin_code',
      sql<number>`(select count(*)::int from volunteer_signup s where s.district_code = vp.district_code and s.project_id = vp.id)`.as(
        'signed_up',
      ),
    ]);
  if (actor.can('volunteer.manage')) q = q.where(inPaths(manage, 'vp.path'));
  else if (own) q = q.where('vp.community_code', '=', own.community_code);
  else return [];
  const rows = await q.orderBy('vp.starts_at', 'desc').limit(200).execute();
  return rows.map((r) => ({
    id: r.id,
    communityCode: r.community_code,
    title: r.title,
    description: r.description,
    startsAt: r.starts_at.toISOString(),
    endsAt: r.ends_at.toISOString(),
    slots: r.slots,
    signedUp: r.signed_up,
    // Only the organiser sees the code printed as the venue's QR.
    checkinCode: pathInScope(manage, r.path) ? r.checkin_code : null,
  }));
}

async function ownVolunteer(ctx: AppContext, actor: Actor) {
  const own = await requireActorPerson(ctx.db, actor);
  const v = await ctx.db
    .selectFrom('volunteer')
    .select(['id', 'district_code', 'community_code'])
    .where('person_id', '=', own.id)
    .where('status', '=', 'active')
    .executeTakeFirst();
  if (!v) throw new AppError('NOT_A_SERVER');
  return { ...v, personId: own.id };
}

export async function signUp(ctx: AppContext, actor: Actor, projectId: string) {
  const v = await ownVolunteer(ctx, actor);
  return ctx.db.transaction().execute(async (tx) => {
    const p = await sql<{ slots: number; community_code: string }>`
      select slots, community_code from volunteer_project where district_code = ${v.district_code} and id = ${projectId} for update`.execute(
      tx,
    );
    const proj = p.rows[0];
    if (!proj || proj.community_code !== v.community_code) throw new AppError('NOT_FOUND', { projectId });
    const n = await tx
      .selectFrom('volunteer_signup')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('district_code', '=', v.district_code)
      .where('project_id', '=', projectId)
      .executeTakeFirstOrThrow();
    if (n.n >= proj.slots) throw new AppError('CONFLICT', { reason: 'project_full' });
    const r = await tx
      .insertInto('volunteer_signup')
      .values({ district_code: v.district_code, project_id: projectId, volunteer_id: v.id })
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!r) throw new AppError('CONFLICT', { reason: 'already_signed_up' });
    await appendAudit(tx, auditEntry(actor, 'volunteer.signup', 'volunteer_project', projectId, v.community_code));
    return { signupId: r.id };
  });
}

/** Check-in and check-out with the code from the QR at the venue. */
export async function checkInOut(ctx: AppContext, actor: Actor, projectId: string, code: string, kind: 'in' | 'out', now = new Date()) {
  const v = await ownVolunteer(ctx, actor);
  const proj = await ctx.db
    .selectFrom('volunteer_project')
    .select(['checkin_code'])
    .where('district_code', '=', v.district_code)
    .where('id', '=', projectId)
    .executeTakeFirst();
  if (!proj) throw new AppError('NOT_FOUND', { projectId });
  if (proj.checkin_code !== code)
    throw new AppError('VALIDATION_FAILED', { problems: [{ field: 'code', reason: '签到码不正确，请扫描活动现场的二维码' }] });
  const r = await ctx.db
    .updateTable('volunteer_signup')
    .set(kind === 'in' ? { checked_in_at: now, updated_at: now } : { checked_out_at: now, updated_at: now })
    .where('district_code', '=', v.district_code)
    .where('project_id', '=', projectId)
    .where('volunteer_id', '=', v.id)
    .where(kind === 'in' ? 'checked_in_at' : 'checked_out_at', 'is', null)
    .where((eb) => (kind === 'out' ? eb('checked_in_at', 'is not', null) : eb.val(true)))
    .returning('id')
    .executeTakeFirst();
  if (!r) throw new AppError('CONFLICT', { reason: kind === 'in' ? 'not_signed_up_or_already_in' : 'not_checked_in_or_already_out' });
  return { signupId: r.id, [kind === 'in' ? 'checkedInAt' : 'checkedOutAt']: now.toISOString() };
}

/** The organiser confirms hours; points per hour by the community's rule. */
export async function confirmHours(ctx: AppContext, actor: Actor, projectId: string, now = new Date()) {
  const proj = await ctx.db
    .selectFrom('volunteer_project')
    .select(['district_code', 'community_code', sql<string>`path::text`.as('path'), 'starts_at', 'ends_at'])
    .where('id', '=', projectId)
    .executeTakeFirst();
  if (!proj || !pathInScope(actor.scope('volunteer.manage'), proj.path)) throw new AppError('NOT_FOUND', { projectId });
  return ctx.db.transaction().execute(async (tx) => {
    const rows = await tx
      .selectFrom('volunteer_signup as s')
      .innerJoin('volunteer as v', (j) => j.onRef('v.district_code', '=', 's.district_code').onRef('v.id', '=', 's.volunteer_id'))
      .select(['s.id', 's.checked_in_at', 's.checked_out_at', 'v.person_id'])
      .where('s.district_code', '=', proj.district_code)
      .where('s.project_id', '=', projectId)
      .where('s.confirmed_at', 'is', null)
      .where('s.checked_out_at', 'is not', null)
      .execute();
    let total = 0;
    for (const r of rows) {
      const hours = creditedHours(r.checked_in_at!, r.checked_out_at!, proj.starts_at, proj.ends_at);
      await tx
        .updateTable('volunteer_signup')
        .set({ hours, confirmed_at: now, confirmed_by: actor.displayName })
        .where('district_code', '=', proj.district_code)
        .where('id', '=', r.id)
        .execute();
      if (hours > 0)
        await awardInTx(
          tx,
          proj.district_code,
          proj.community_code,
          r.person_id,
          'volunteer_hour',
          hours,
          {
            refType: 'volunteer_project',
            refId: projectId,
            actorName: actor.displayName,
          },
          now,
        );
      total += hours;
    }
    await appendAudit(
      tx,
      auditEntry(actor, 'volunteer.hours.confirm', 'volunteer_project', projectId, proj.community_code, {
        volunteers: rows.length,
        hours: total,
      }),
    );
    return { confirmed: rows.length, hours: total };
  });
}

// ---------------------------------------------------------------- party members and posts (王殿海工作法)

export async function createPost(
  ctx: AppContext,
  actor: Actor,
  input: { communityCode: string; title: string; description?: string; targetHouses?: string[] },
) {
  const c = await findCommunity(ctx.db, input.communityCode);
  if (!pathInScope(actor.scope('volunteer.manage'), c.path)) throw new AppError('OUT_OF_SCOPE');
  const houses = input.targetHouses ?? [];
  if (houses.some((h) => !h.startsWith(c.code) || h.length !== 24))
    throw new AppError('VALIDATION_FAILED', { problems: [{ field: 'targetHouses', reason: '服务对象须为本社区的房屋编码' }] });
  return ctx.db.transaction().execute(async (tx) => {
    const r = await tx
      .insertInto('party_post')
      .values({
        district_code: c.districtCode,
        community_code: c.code,
        path: c.path,
        title: input.title,
        description: input.description ?? '',
        target_houses: houses,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendAudit(tx, auditEntry(actor, 'party.post.create', 'party_post', r.id, c.code));
    return { id: r.id };
  });
}

export async function listPosts(ctx: AppContext, actor: Actor) {
  const own = await actorPerson(ctx.db, actor);
  let q = ctx.db
    .selectFrom('party_post as pp')
    .leftJoin('party_member as m', (j) => j.onRef('m.district_code', '=', 'pp.district_code').onRef('m.id', '=', 'pp.member_id'))
    .leftJoin('person as p', (j) => j.onRef('p.district_code', '=', 'm.district_code').onRef('p.id', '=', 'm.person_id'))
    .select([
      'pp.id',
      'pp.community_code',
      'pp.title',
      'pp.description',
      'pp.target_houses',
      'pp.plan',
      'pp.claimed_at',
      'pp.version',
      'p.name as member_name',
      sql<number>`(select count(*)::int from party_post_log l where l.district_code = pp.district_code and l.post_id = pp.id)`.as('logs'),
    ]);
  if (actor.can('volunteer.manage')) q = q.where(inPaths(actor.scope('volunteer.manage'), 'pp.path'));
  else if (own) q = q.where('pp.community_code', '=', own.community_code);
  else return [];
  const rows = await q.orderBy('pp.created_at').limit(200).execute();
  return rows.map((r) => ({
    id: r.id,
    communityCode: r.community_code,
    title: r.title,
    description: r.description,
    targetHouses: r.target_houses,
    plan: r.plan,
    claimedAt: r.claimed_at?.toISOString() ?? null,
    memberName: r.member_name,
    logs: r.logs,
    version: r.version,
  }));
}

async function ownMember(ctx: AppContext, actor: Actor) {
  const own = await requireActorPerson(ctx.db, actor);
  const m = await ctx.db
    .selectFrom('party_member')
    .select(['id', 'district_code', 'community_code', 'kind'])
    .where('person_id', '=', own.id)
    .executeTakeFirst();
  if (!m) throw new AppError('NOT_A_SERVER');
  return m;
}

/** A 自管党员 claims a post with a service plan; one member per post. */
export async function claimPost(ctx: AppContext, actor: Actor, postId: string, input: { plan: string; version: number }) {
  const m = await ownMember(ctx, actor);
  return ctx.db.transaction().execute(async (tx) => {
    const r = await tx
      .updateTable('party_post')
      .set({ member_id: m.id, plan: input.plan, claimed_at: new Date(), updated_at: new Date(), version: sql`version + 1` })
      .where('district_code', '=', m.district_code)
      .where('id', '=', postId)
      .where('community_code', '=', m.community_code)
      .where('member_id', 'is', null)
      .where('version', '=', input.version)
      .returning('id')
      .executeTakeFirst();
    if (!r) throw new AppError('CONFLICT', { reason: 'post_already_claimed_or_changed' });
    await appendAudit(tx, auditEntry(actor, 'party.post.claim', 'party_post', postId, m.community_code));
    return { id: postId, claimed: true };
  });
}

export async function logPostWork(ctx: AppContext, actor: Actor, postId: string, input: { doneOn: string; note: string }) {
  const m = await ownMember(ctx, actor);
  const post = await ctx.db
    .selectFrom('party_post')
    .select(['member_id', 'community_code'])
    .where('district_code', '=', m.district_code)
    .where('id', '=', postId)
    .executeTakeFirst();
  if (!post || post.member_id !== m.id) throw new AppError('NOT_FOUND', { postId });
  await ctx.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('party_post_log')
      .values({ district_code: m.district_code, post_id: postId, done_on: input.doneOn, note: input.note, logged_by: actor.displayName })
      .execute();
    await appendAudit(tx, auditEntry(actor, 'party.post.log', 'party_post', postId, post.community_code));
  });
  return { postId, doneOn: input.doneOn };
}
