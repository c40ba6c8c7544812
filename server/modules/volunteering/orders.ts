import { sql, type Kysely } from 'kysely';
import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../../core/audit.ts';
import { pathInScope } from '../../core/permissions.ts';
import type { DB, HelpOrderKind, HelpOrderState, TakerKind } from '../../db/types.ts';
import * as registryStore from '../registry/store.ts';
import { actorPerson, auditEntry, localStamp, nextCounter, notify } from '../services/common.ts';
import { allowedOrderActions, ORDER_KIND_ZH, ORDER_STATE_ZH, orderStep, type OrderAction, type OrderRole } from './order-rules.ts';
import { awardInTx } from './points.ts';

/** Help orders (海多多 V3): residents post, volunteers and party members take, the resident confirms and rates. */

function orderSelect(db: Kysely<DB>) {
  return db
    .selectFrom('help_order as o')
    .innerJoin('person as p', (j) => j.onRef('p.district_code', '=', 'o.district_code').onRef('p.id', '=', 'o.requester_person_id'))
    .innerJoin('division as d', 'd.code', 'o.community_code')
    .select([
      'o.district_code',
      'o.id',
      'o.number',
      'o.community_code',
      'd.name as community_name',
      sql<string>`o.path::text`.as('path'),
      'o.requester_person_id',
      'p.name as requester_name',
      'p.user_id as requester_user_id',
      'o.posted_by',
      'o.posted_by_name',
      'o.kind',
      'o.title',
      'o.description',
      'o.take_by',
      'o.state',
      'o.taker_user_id',
      'o.taker_name',
      'o.taker_kind',
      'o.taken_at',
      'o.completed_at',
      'o.completion_note',
      'o.confirmed_at',
      'o.rating',
      'o.rating_comment',
      'o.escalated_at',
      'o.created_at',
      'o.version',
    ]);
}
type OrderRow = NonNullable<Awaited<ReturnType<ReturnType<typeof orderSelect>['executeTakeFirst']>>>;

/** What the caller may be toward orders of a community: a registered volunteer, a party member, a worker. */
async function serverKind(db: Kysely<DB>, actor: Actor, path: string, communityCode: string): Promise<TakerKind | null> {
  if (!actor.can('order.take')) return null;
  if (actor.can('service.handle') && pathInScope(actor.scope('service.handle'), path)) return 'community_worker';
  const own = await actorPerson(db, actor);
  if (!own) return null;
  const party = await db
    .selectFrom('party_member')
    .select('id')
    .where('person_id', '=', own.id)
    .where('community_code', '=', communityCode)
    .executeTakeFirst();
  if (party) return 'party_member';
  const vol = await db
    .selectFrom('volunteer')
    .select('id')
    .where('person_id', '=', own.id)
    .where('community_code', '=', communityCode)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return vol ? 'volunteer' : null;
}

async function rolesOn(db: Kysely<DB>, actor: Actor, r: OrderRow, ownPersonId: string | null) {
  const roles = new Set<OrderRole>();
  const kind = await serverKind(db, actor, r.path, r.community_code);
  if (kind === 'community_worker') roles.add('worker');
  else if (kind) roles.add('server');
  if (r.taker_user_id === actor.userId) roles.add('taker');
  if (ownPersonId && r.requester_person_id === ownPersonId) roles.add('requester');
  return roles;
}

function orderView(r: OrderRow, roles: Set<OrderRole>) {
  const mine = roles.has('requester') || roles.has('worker') || roles.has('taker');
  return {
    id: r.id,
    number: r.number,
    communityCode: r.community_code,
    communityName: r.community_name,
    // Volunteers see the surname only until they take the order (they need no more to decide).
    requesterName: mine ? r.requester_name : `${r.requester_name.slice(0, 1)}**`,
    kind: r.kind,
    kindName: ORDER_KIND_ZH[r.kind],
    title: r.title,
    description: r.description,
    takeBy: r.take_by.toISOString(),
    state: r.state,
    stateName: ORDER_STATE_ZH[r.state],
    takerName: r.taker_name,
    takerKind: r.taker_kind,
    takenAt: r.taken_at?.toISOString() ?? null,
    completedAt: r.completed_at?.toISOString() ?? null,
    completionNote: r.completion_note,
    confirmedAt: r.confirmed_at?.toISOString() ?? null,
    rating: r.rating,
    ratingComment: r.rating_comment,
    postedByName: r.posted_by_name,
    createdAt: r.created_at.toISOString(),
    actions: allowedOrderActions(r.state, roles),
    version: r.version,
  };
}

export interface PostInput {
  kind: HelpOrderKind;
  title: string;
  description?: string;
  personId?: string;
  takeWithinHours?: number;
  idempotencyKey?: string;
}

export async function postOrder(ctx: AppContext, actor: Actor, input: PostInput, now = new Date()) {
  const own = await actorPerson(ctx.db, actor);
  let person: registryStore.PersonRow | undefined;
  if (input.personId && input.personId !== own?.id) {
    if (!actor.can('service.handle')) throw new AppError('FORBIDDEN', { permission: 'service.handle' });
    person = await registryStore.findPerson(ctx.db, actor.scope('service.handle'), input.personId);
    if (!person) throw new AppError('NOT_FOUND', { personId: input.personId });
  } else {
    if (!own) throw new AppError('NO_PERSON_RECORD');
    person = own;
  }
  if (input.idempotencyKey) {
    const existing = await ctx.db
      .selectFrom('help_order')
      .select('id')
      .where('district_code', '=', person.district_code)
      .where('posted_by', '=', actor.userId)
      .where('idempotency_key', '=', input.idempotencyKey)
      .executeTakeFirst();
    if (existing) return getOrder(ctx, actor, existing.id);
  }
  const p = person;
  const id = await ctx.db.transaction().execute(async (tx) => {
    const day = localStamp(now);
    const seq = await nextCounter(tx, p.district_code, 'help_order', day);
    const row = await tx
      .insertInto('help_order')
      .values({
        district_code: p.district_code,
        number: `HD${day}${String(seq).padStart(4, '0')}`,
        community_code: p.community_code,
        path: p.path,
        requester_person_id: p.id,
        posted_by: actor.userId,
        posted_by_name: actor.displayName,
        kind: input.kind,
        title: input.title,
        description: input.description ?? '',
        take_by: new Date(now.getTime() + (input.takeWithinHours ?? 24) * 3600_000),
        state: 'open',
        idempotency_key: input.idempotencyKey ?? null,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendAudit(tx, auditEntry(actor, 'order.post', 'help_order', row.id, p.community_code, { kind: input.kind }));
    return row.id;
  });
  return getOrder(ctx, actor, id);
}

async function load(ctx: AppContext, actor: Actor, id: string) {
  const r = await orderSelect(ctx.db).where('o.id', '=', id).executeTakeFirst();
  if (!r) throw new AppError('NOT_FOUND', { id });
  const own = await actorPerson(ctx.db, actor);
  const roles = await rolesOn(ctx.db, actor, r, own?.id ?? null);
  if (!roles.size) throw new AppError('NOT_FOUND', { id });
  return { r, roles, own };
}

export async function getOrder(ctx: AppContext, actor: Actor, id: string) {
  const { r, roles } = await load(ctx, actor, id);
  return orderView(r, roles);
}

/**
 * The order board: open and escalated orders of the communities where the caller serves, plus
 * the caller's own (posted or taken). Workers see everything in their scope.
 */
export async function listOrders(ctx: AppContext, actor: Actor, f: { state?: HelpOrderState; mine?: boolean }, limit = 100) {
  const own = await actorPerson(ctx.db, actor);
  let q = orderSelect(ctx.db);
  const isWorker = actor.can('service.handle') && actor.can('order.take');
  if (f.mine || !isWorker) {
    const serving = own
      ? await ctx.db
          .selectFrom('volunteer')
          .select('community_code')
          .where('person_id', '=', own.id)
          .where('status', '=', 'active')
          .union(ctx.db.selectFrom('party_member').select('community_code').where('person_id', '=', own.id))
          .execute()
      : [];
    const communities = serving.map((s) => s.community_code);
    q = q.where((eb) =>
      eb.or([
        eb('o.taker_user_id', '=', actor.userId),
        ...(own ? [eb('o.requester_person_id', '=', own.id)] : []),
        ...(!f.mine && communities.length && actor.can('order.take')
          ? [eb.and([eb('o.community_code', 'in', communities), eb('o.state', 'in', ['open', 'escalated'])])]
          : []),
      ]),
    );
  } else {
    const scope = actor.scope('service.handle');
    if (!scope.all) q = q.where(sql<boolean>`o.path <@ ${sql.val(scope.territoryPaths)}::text[]::ltree[]`);
  }
  if (f.state) q = q.where('o.state', '=', f.state);
  const rows = await q.orderBy('o.created_at', 'desc').limit(limit).execute();
  const out = [];
  for (const r of rows) out.push(orderView(r, await rolesOn(ctx.db, actor, r, own?.id ?? null)));
  return out;
}

export async function takeOrder(ctx: AppContext, actor: Actor, id: string, now = new Date()) {
  const r = await orderSelect(ctx.db).where('o.id', '=', id).executeTakeFirst();
  if (!r) throw new AppError('NOT_FOUND', { id });
  const kind = await serverKind(ctx.db, actor, r.path, r.community_code);
  if (!kind) throw new AppError('NOT_A_SERVER', { communityCode: r.community_code });
  const own = await actorPerson(ctx.db, actor);
  if (own && own.id === r.requester_person_id) throw new AppError('FORBIDDEN', { reason: 'own_order' });
  await ctx.db.transaction().execute(async (tx) => {
    // One conditional update decides: of two takers racing, exactly one finds the order still open.
    const taken = await tx
      .updateTable('help_order')
      .set({
        state: 'taken',
        taker_user_id: actor.userId,
        taker_name: actor.displayName,
        taker_kind: kind,
        taken_at: now,
        updated_at: now,
        version: sql`version + 1`,
      })
      .where('district_code', '=', r.district_code)
      .where('id', '=', id)
      .where('state', 'in', ['open', 'escalated'])
      .returning('id')
      .executeTakeFirst();
    if (!taken) {
      const current = await tx
        .selectFrom('help_order')
        .select(['state', 'taker_name'])
        .where('district_code', '=', r.district_code)
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      if (current.state === 'taken' || current.state === 'completed' || current.state === 'confirmed') {
        throw new AppError('ORDER_ALREADY_TAKEN', { state: current.state });
      }
      throw new AppError('ORDER_STATE', { state: current.state });
    }
    await notify(tx, {
      districtCode: r.district_code,
      userId: r.requester_user_id,
      subjectType: 'help_order',
      subjectId: id,
      title: `您的求助“${r.title}”已有人接单`,
      body: `${actor.displayName} 已接单，将尽快与您联系。`,
    });
    await appendAudit(tx, auditEntry(actor, 'order.take', 'help_order', id, r.community_code, { takerKind: kind }));
  });
  return getOrder(ctx, actor, id);
}

export async function orderAction(
  ctx: AppContext,
  actor: Actor,
  id: string,
  action: Exclude<OrderAction, 'take'>,
  input: { version: number; note?: string; rating?: number; comment?: string },
  now = new Date(),
) {
  const { r, roles } = await load(ctx, actor, id);
  const step = orderStep(r.state, action, roles);
  if (!step.ok) {
    if (step.reason === 'not_allowed') throw new AppError('FORBIDDEN', { action });
    throw new AppError('ORDER_STATE', { state: r.state, action });
  }
  if (action === 'confirm' && !(input.rating && input.rating >= 1 && input.rating <= 5)) {
    throw new AppError('VALIDATION_FAILED', { problems: [{ field: 'rating', reason: '请为服务打分（1–5星）' }] });
  }
  await ctx.db.transaction().execute(async (tx) => {
    const patch: Record<string, unknown> = { state: step.to, updated_at: now, version: sql`version + 1` };
    if (action === 'complete') Object.assign(patch, { completed_at: now, completion_note: input.note ?? '' });
    if (action === 'confirm') Object.assign(patch, { confirmed_at: now, rating: input.rating, rating_comment: input.comment ?? '' });
    const ok = await tx
      .updateTable('help_order')
      .set(patch)
      .where('district_code', '=', r.district_code)
      .where('id', '=', id)
      .where('version', '=', input.version)
      .returning('id')
      .executeTakeFirst();
    if (!ok) throw new AppError('VERSION_CONFLICT', { currentVersion: r.version });
    if (action === 'complete') {
      await notify(tx, {
        districtCode: r.district_code,
        userId: r.requester_user_id,
        subjectType: 'help_order',
        subjectId: id,
        title: `“${r.title}”已完成，请确认并评价`,
        body: input.note ?? '',
      });
    }
    if (action === 'confirm' && r.taker_user_id && r.taker_kind !== 'community_worker') {
      // Points for the volunteer or party member who served, by the community's rule.
      const taker = await tx
        .selectFrom('person')
        .select(['id', 'district_code'])
        .where('user_id', '=', r.taker_user_id)
        .where('district_code', '=', r.district_code)
        .executeTakeFirst();
      if (taker) {
        await awardInTx(tx, r.district_code, r.community_code, taker.id, 'help_order', 1, {
          refType: 'help_order',
          refId: id,
          actorName: actor.displayName,
        });
      }
      await notify(tx, {
        districtCode: r.district_code,
        userId: r.taker_user_id,
        subjectType: 'help_order',
        subjectId: id,
        title: `居民已确认“${r.title}”，评价 ${input.rating} 星`,
        body: input.comment ?? '',
      });
    }
    await appendAudit(tx, auditEntry(actor, `order.${action}`, 'help_order', id, r.community_code, { from: r.state, to: step.to }));
  });
  return getOrder(ctx, actor, id);
}

/**
 * Orders nobody took in time go to the community workers (the tick runs in-process; SKIP LOCKED
 * keeps two app instances from escalating the same order twice).
 */
export async function escalateOverdueOrders(ctx: AppContext, now = new Date()): Promise<number> {
  return ctx.db.transaction().execute(async (tx) => {
    const due = await sql<{ district_code: string; id: string; community_code: string; title: string }>`
      select district_code, id, community_code, title from help_order
      where state = 'open' and take_by < ${now} order by take_by limit 200 for update skip locked`.execute(tx);
    for (const o of due.rows) {
      await tx
        .updateTable('help_order')
        .set({ state: 'escalated', escalated_at: now, updated_at: now, version: sql`version + 1` })
        .where('district_code', '=', o.district_code)
        .where('id', '=', o.id)
        .execute();
      const workers = await tx
        .selectFrom('role_binding')
        .select('user_id')
        .where('role', '=', 'community_worker')
        .where('scope_code', '=', o.community_code)
        .execute();
      for (const w of workers) {
        await notify(tx, {
          districtCode: o.district_code,
          userId: w.user_id,
          subjectType: 'help_order',
          subjectId: o.id,
          title: `求助“${o.title}”超时无人接单，已转社区处理`,
        });
      }
      await appendAudit(tx, {
        actorName: 'system',
        action: 'order.escalate',
        targetType: 'help_order',
        targetId: o.id,
        placeCode: o.community_code,
      });
    }
    return due.rows.length;
  });
}
