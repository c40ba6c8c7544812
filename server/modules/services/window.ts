import { sql } from 'kysely';
import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../../core/audit.ts';
import { pathInScope } from '../../core/permissions.ts';
import * as registryStore from '../registry/store.ts';
import { classifyQuery, personView } from '../registry/service.ts';
import * as appStore from './applications-store.ts';
import { applicationView } from './applications.ts';
import { rolesOn } from './handling.ts';
import { actorPerson, auditEntry, findCommunity, notify } from './common.ts';

/**
 * The one window (全科社工, V2): any window worker finds any resident of their community by ID
 * card number or phone and accepts any item for them; home-visit slots (预约上门) per worker.
 */

export async function lookupResident(ctx: AppContext, actor: Actor, q: string) {
  const f = classifyQuery(ctx.keyring, q);
  const scope = actor.scope('service.handle');
  let rows: registryStore.PersonRow[];
  if (f.idBidx) rows = await registryStore.findPersonByIdNumber(ctx.db, scope, f.idBidx);
  else if (f.phoneBidx) rows = await registryStore.findPersonsByPhone(ctx.db, scope, f.phoneBidx);
  else throw new AppError('VALIDATION_FAILED', { problems: [{ field: 'q', reason: '请输入18位身份证号或11位手机号' }] });
  const out = [];
  for (const r of rows) {
    const apps = await appStore.listApplications(ctx.db, { personId: r.id }, { state: 'open' }, new Date(), 20);
    out.push({ person: personView(ctx.keyring, r), openApplications: apps.map((a) => applicationView(a, rolesOn(actor, a, null))) });
  }
  await appendAudit(ctx.db, auditEntry(actor, 'service.window.lookup', 'person', rows[0]?.id ?? '', '', { found: rows.length }));
  return out;
}

// ---------------------------------------------------------------- home-visit slots

export function slotView(r: {
  id: string;
  community_code: string;
  worker_user_id: string;
  worker_name: string;
  starts_at: Date;
  ends_at: Date;
  state: string;
  application_id: string | null;
  person_id: string | null;
  note: string;
  version: number;
}) {
  return {
    id: r.id,
    communityCode: r.community_code,
    workerUserId: r.worker_user_id,
    workerName: r.worker_name,
    startsAt: r.starts_at.toISOString(),
    endsAt: r.ends_at.toISOString(),
    state: r.state as 'open' | 'booked' | 'cancelled',
    applicationId: r.application_id,
    booked: r.person_id !== null,
    note: r.note,
    version: r.version,
  };
}

export const SLOT_COLUMNS = [
  'id',
  'district_code',
  'community_code',
  sql<string>`path::text`.as('path'),
  'worker_user_id',
  'worker_name',
  'starts_at',
  'ends_at',
  'state',
  'application_id',
  'person_id',
  'note',
  'version',
] as const;

export async function createSlots(
  ctx: AppContext,
  actor: Actor,
  input: { communityCode: string; slots: { startsAt: string; endsAt: string }[] },
) {
  const community = await findCommunity(ctx.db, input.communityCode);
  if (!pathInScope(actor.scope('service.handle'), community.path)) throw new AppError('OUT_OF_SCOPE');
  const rows = input.slots.map((s) => {
    const startsAt = new Date(s.startsAt);
    const endsAt = new Date(s.endsAt);
    if (!(endsAt > startsAt) || endsAt.getTime() - startsAt.getTime() > 8 * 3600_000) {
      throw new AppError('VALIDATION_FAILED', { problems: [{ field: 'slots', reason: '时段结束须晚于开始，且不超过8小时' }] });
    }
    return {
      district_code: community.districtCode,
      community_code: community.code,
      path: community.path,
      worker_user_id: actor.userId,
      worker_name: actor.displayName,
      starts_at: startsAt,
      ends_at: endsAt,
    };
  });
  const created = await ctx.db.transaction().execute(async (tx) => {
    const overlap = await tx
      .selectFrom('service_slot')
      .select('id')
      .where('worker_user_id', '=', actor.userId)
      .where('state', '!=', 'cancelled')
      .where((eb) => eb.or(rows.map((r) => eb.and([eb('starts_at', '<', r.ends_at), eb('ends_at', '>', r.starts_at)]))))
      .executeTakeFirst();
    if (overlap) throw new AppError('CONFLICT', { reason: 'overlapping_slot', slotId: overlap.id });
    const out = await tx.insertInto('service_slot').values(rows).returning(SLOT_COLUMNS).execute();
    await appendAudit(
      tx,
      auditEntry(actor, 'service.slot.create', 'service_slot', out[0]?.id ?? '', community.code, { count: out.length }),
    );
    return out;
  });
  return created.map(slotView);
}

/** A worker's calendar, or the open slots of a community (residents booking a home visit). */
export async function listSlots(
  ctx: AppContext,
  actor: Actor,
  f: { communityCode?: string; workerUserId?: string; from: string; to: string },
) {
  let q = ctx.db
    .selectFrom('service_slot')
    .select(SLOT_COLUMNS)
    .where('starts_at', '>=', new Date(f.from))
    .where('starts_at', '<', new Date(f.to))
    .where('state', '!=', 'cancelled');
  if (actor.can('service.handle')) {
    const scope = actor.scope('service.handle');
    if (!scope.all) q = q.where(sql<boolean>`path <@ ${sql.val(scope.territoryPaths)}::text[]::ltree[]`);
  } else {
    const own = await actorPerson(ctx.db, actor);
    if (!own) return [];
    q = q.where('community_code', '=', own.community_code).where('state', '=', 'open');
  }
  if (f.communityCode) q = q.where('community_code', '=', f.communityCode);
  if (f.workerUserId) q = q.where('worker_user_id', '=', f.workerUserId);
  return (await q.orderBy('starts_at').limit(500).execute()).map(slotView);
}

/** Books a slot for an application that allows a home visit; exactly one booking per slot. */
export async function bookSlot(ctx: AppContext, actor: Actor, slotId: string, input: { applicationId: string; note?: string }) {
  const app = await appStore.findApplication(ctx.db, input.applicationId);
  const own = await actorPerson(ctx.db, actor);
  const isHandler = app && pathInScope(actor.scope('service.handle'), app.path);
  if (!app || (!isHandler && app.person_id !== own?.id)) throw new AppError('NOT_FOUND', { applicationId: input.applicationId });
  if (!app.home_visit)
    throw new AppError('VALIDATION_FAILED', { problems: [{ field: 'applicationId', reason: '该事项不提供预约上门服务' }] });
  const slot = await ctx.db.selectFrom('service_slot').select(SLOT_COLUMNS).where('id', '=', slotId).executeTakeFirst();
  if (!slot || slot.community_code !== app.community_code) throw new AppError('NOT_FOUND', { slotId });
  return ctx.db.transaction().execute(async (tx) => {
    // The conditional update is the lock: two residents racing for one slot cannot both book it.
    const booked = await tx
      .updateTable('service_slot')
      .set({
        state: 'booked',
        application_id: app.id,
        person_id: app.person_id,
        note: input.note ?? '',
        updated_at: new Date(),
        version: sql`version + 1`,
      })
      .where('district_code', '=', slot.district_code)
      .where('id', '=', slotId)
      .where('state', '=', 'open')
      .returning(SLOT_COLUMNS)
      .executeTakeFirst();
    if (!booked) throw new AppError('SLOT_UNAVAILABLE', { slotId });
    await notify(tx, {
      districtCode: slot.district_code,
      userId: slot.worker_user_id,
      subjectType: 'application',
      subjectId: app.id,
      title: `预约上门：${app.item_name}（${app.number}）`,
      body: input.note ?? '',
    });
    if (app.person_user_id && app.person_user_id !== actor.userId) {
      await notify(tx, {
        districtCode: slot.district_code,
        userId: app.person_user_id,
        subjectType: 'application',
        subjectId: app.id,
        title: `已为您预约上门服务（${app.item_name}）`,
        body: `${slot.worker_name} 将于约定时间上门`,
      });
    }
    await appendAudit(tx, auditEntry(actor, 'service.slot.book', 'service_slot', slotId, slot.community_code, { applicationId: app.id }));
    return slotView(booked);
  });
}

export async function cancelSlot(ctx: AppContext, actor: Actor, slotId: string) {
  const slot = await ctx.db.selectFrom('service_slot').select(SLOT_COLUMNS).where('id', '=', slotId).executeTakeFirst();
  if (!slot || !pathInScope(actor.scope('service.handle'), slot.path)) throw new AppError('NOT_FOUND', { slotId });
  if (slot.state === 'cancelled') throw new AppError('SLOT_UNAVAILABLE', { slotId });
  await ctx.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('service_slot')
      .set({ state: 'cancelled', updated_at: new Date(), version: sql`version + 1` })
      .where('district_code', '=', slot.district_code)
      .where('id', '=', slotId)
      .execute();
    await appendAudit(tx, auditEntry(actor, 'service.slot.cancel', 'service_slot', slotId, slot.community_code));
  });
  return { id: slotId, state: 'cancelled' as const };
}

// ---------------------------------------------------------------- notifications

export async function myNotifications(ctx: AppContext, actor: Actor, unreadOnly: boolean) {
  let q = ctx.db
    .selectFrom('service_notification')
    .select(['id', 'district_code', 'subject_type', 'subject_id', 'title', 'body', 'created_at', 'read_at'])
    .where('user_id', '=', actor.userId);
  if (unreadOnly) q = q.where('read_at', 'is', null);
  const rows = await q.orderBy('created_at', 'desc').limit(100).execute();
  return rows.map((r) => ({
    id: r.id,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    title: r.title,
    body: r.body,
    createdAt: r.created_at.toISOString(),
    read: r.read_at !== null,
  }));
}

export async function markRead(ctx: AppContext, actor: Actor, id: string) {
  const r = await ctx.db
    .updateTable('service_notification')
    .set({ read_at: new Date() })
    .where('user_id', '=', actor.userId)
    .where('id', '=', id)
    .returning('id')
    .executeTakeFirst();
  if (!r) throw new AppError('NOT_FOUND', { id });
  return { id, read: true };
}
