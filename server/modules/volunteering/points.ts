import { sql, type Transaction } from 'kysely';
import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../../core/audit.ts';
import { pathInScope } from '../../core/permissions.ts';
import type { DB, PointsReason } from '../../db/types.ts';
import * as registryStore from '../registry/store.ts';
import { actorPerson, auditEntry, findCommunity, requireActorPerson } from '../services/common.ts';
import { appendPoints, balanceOf, lockHead, verifyPointsLedger } from './ledger.ts';

/** Points (积分 P3): rules per community, awards, the points shop; every movement is a ledger entry. */

export const DEFAULT_RULES: Record<PointsReason, number> = { help_order: 10, volunteer_hour: 5, participation: 2 };
export const REASON_ZH: Record<string, string> = {
  help_order: '完成求助工单',
  volunteer_hour: '志愿服务时长',
  participation: '参与社区活动',
  redeem: '积分兑换',
};

export async function rulesOf(db: Transaction<DB> | AppContext['db'], districtCode: string, communityCode: string) {
  const rows = await db
    .selectFrom('points_rule')
    .select(['reason', 'points', 'version'])
    .where('district_code', '=', districtCode)
    .where('community_code', '=', communityCode)
    .execute();
  const out = { ...DEFAULT_RULES };
  for (const r of rows) out[r.reason] = r.points;
  return out;
}

/** Awards points by the community's rule (quantity × points per unit) inside the caller's transaction. */
export async function awardInTx(
  tx: Transaction<DB>,
  districtCode: string,
  communityCode: string,
  personId: string,
  reason: PointsReason,
  quantity: number,
  ref: { refType: string; refId: string; actorName: string },
  at = new Date(),
) {
  const rules = await rulesOf(tx, districtCode, communityCode);
  const delta = Math.round(rules[reason] * quantity);
  if (delta <= 0) return 0;
  await appendPoints(tx, districtCode, [{ personId, communityCode, delta, reason, ...ref }], at);
  return delta;
}

export async function getRules(ctx: AppContext, actor: Actor, communityCode: string) {
  const c = await findCommunity(ctx.db, communityCode);
  if (!pathInScope(actor.scope('points.manage'), c.path)) throw new AppError('OUT_OF_SCOPE');
  return { communityCode, rules: await rulesOf(ctx.db, c.districtCode, communityCode) };
}

export async function setRules(ctx: AppContext, actor: Actor, communityCode: string, rules: Partial<Record<PointsReason, number>>) {
  const c = await findCommunity(ctx.db, communityCode);
  if (!pathInScope(actor.scope('points.manage'), c.path)) throw new AppError('OUT_OF_SCOPE');
  await ctx.db.transaction().execute(async (tx) => {
    for (const [reason, points] of Object.entries(rules) as [PointsReason, number][]) {
      await tx
        .insertInto('points_rule')
        .values({ district_code: c.districtCode, community_code: communityCode, reason, points })
        .onConflict((oc) =>
          oc
            .columns(['district_code', 'community_code', 'reason'])
            .doUpdateSet({ points, updated_at: new Date(), version: sql`points_rule.version + 1` }),
        )
        .execute();
    }
    await appendAudit(tx, auditEntry(actor, 'points.rules.update', 'points_rule', communityCode, communityCode, { rules }));
  });
  return getRules(ctx, actor, communityCode);
}

/** A worker awards participation points (参与社区活动) to a resident of their community. */
export async function awardParticipation(ctx: AppContext, actor: Actor, input: { personId: string; activity: string; times?: number }) {
  const person = await registryStore.findPerson(ctx.db, actor.scope('points.manage'), input.personId);
  if (!person) throw new AppError('NOT_FOUND', { personId: input.personId });
  const delta = await ctx.db.transaction().execute(async (tx) => {
    const d = await awardInTx(tx, person.district_code, person.community_code, person.id, 'participation', input.times ?? 1, {
      refType: 'activity',
      refId: input.activity,
      actorName: actor.displayName,
    });
    await appendAudit(
      tx,
      auditEntry(actor, 'points.award', 'person', person.id, person.community_code, { delta: d, activity: input.activity }),
    );
    return d;
  });
  return { personId: person.id, delta, balance: await balanceOf(ctx.db, person.district_code, person.id) };
}

export async function myPoints(ctx: AppContext, actor: Actor) {
  const own = await actorPerson(ctx.db, actor);
  if (!own) return { balance: 0, history: [], linked: false };
  const history = await ctx.db
    .selectFrom('points_ledger')
    .select(['seq', 'at', 'delta', 'reason', 'ref_type', 'ref_id', 'actor_name'])
    .where('district_code', '=', own.district_code)
    .where('person_id', '=', own.id)
    .orderBy('seq', 'desc')
    .limit(100)
    .execute();
  return {
    linked: true,
    balance: await balanceOf(ctx.db, own.district_code, own.id),
    history: history.map((h) => ({
      seq: Number(h.seq),
      at: h.at.toISOString(),
      delta: h.delta,
      reason: h.reason,
      reasonName: REASON_ZH[h.reason] ?? h.reason,
      refType: h.ref_type,
      actorName: h.actor_name,
    })),
  };
}

function shopView(r: { id: string; community_code: string; name: string; cost: number; stock: number; active: boolean; version: number }) {
  return { id: r.id, communityCode: r.community_code, name: r.name, cost: r.cost, stock: r.stock, active: r.active, version: r.version };
}

export async function shopItems(ctx: AppContext, actor: Actor, communityCode?: string) {
  const own = await actorPerson(ctx.db, actor);
  const code = communityCode ?? own?.community_code;
  if (!code) return [];
  const c = await findCommunity(ctx.db, code);
  const manages = pathInScope(actor.scope('points.manage'), c.path);
  if (own?.community_code !== code && !manages) throw new AppError('OUT_OF_SCOPE');
  // Residents see what is on the shelf; the community's managers also what they took off it.
  const rows = await ctx.db
    .selectFrom('points_shop_item')
    .select(['id', 'community_code', 'name', 'cost', 'stock', 'active', 'version'])
    .where('district_code', '=', c.districtCode)
    .where('community_code', '=', code)
    .$if(!manages, (qb) => qb.where('active', '=', true))
    .orderBy('cost')
    .execute();
  return rows.map(shopView);
}

export async function addShopItem(
  ctx: AppContext,
  actor: Actor,
  input: { communityCode: string; name: string; cost: number; stock: number },
) {
  const c = await findCommunity(ctx.db, input.communityCode);
  if (!pathInScope(actor.scope('points.manage'), c.path)) throw new AppError('OUT_OF_SCOPE');
  return ctx.db.transaction().execute(async (tx) => {
    const r = await tx
      .insertInto('points_shop_item')
      .values({ district_code: c.districtCode, community_code: c.code, name: input.name, cost: input.cost, stock: input.stock })
      .returning(['id', 'community_code', 'name', 'cost', 'stock', 'active', 'version'])
      .executeTakeFirstOrThrow();
    await appendAudit(tx, auditEntry(actor, 'points.shop.add', 'points_shop_item', r.id, c.code, { name: input.name, cost: input.cost }));
    return shopView(r);
  });
}

/**
 * Restocks a shop item, or takes it off the shelf (and back): residents see only active items,
 * and a redemption already made stays in the ledger. Optimistic: a stale version is refused.
 */
export async function updateShopItem(
  ctx: AppContext,
  actor: Actor,
  itemId: string,
  input: { version: number; stock?: number; active?: boolean },
) {
  const item = await ctx.db
    .selectFrom('points_shop_item')
    .select(['id', 'district_code', 'community_code', 'version'])
    .where('id', '=', itemId)
    .executeTakeFirst();
  if (!item) throw new AppError('NOT_FOUND', { itemId });
  const c = await findCommunity(ctx.db, item.community_code);
  if (!pathInScope(actor.scope('points.manage'), c.path)) throw new AppError('NOT_FOUND', { itemId });
  return ctx.db.transaction().execute(async (tx) => {
    const r = await tx
      .updateTable('points_shop_item')
      .set({
        ...(input.stock !== undefined ? { stock: input.stock } : {}),
        ...(input.active !== undefined ? { active: input.active } : {}),
        updated_at: new Date(),
        version: sql`version + 1`,
      })
      .where('district_code', '=', item.district_code)
      .where('id', '=', item.id)
      .where('version', '=', input.version)
      .returning(['id', 'community_code', 'name', 'cost', 'stock', 'active', 'version'])
      .executeTakeFirst();
    if (!r) throw new AppError('VERSION_CONFLICT', { itemId });
    await appendAudit(
      tx,
      auditEntry(actor, 'points.shop.update', 'points_shop_item', r.id, r.community_code, { stock: input.stock, active: input.active }),
    );
    return shopView(r);
  });
}

/** Spends points on a shop item: balance checked under the ledger lock, stock by a conditional update. */
export async function redeem(ctx: AppContext, actor: Actor, itemId: string) {
  const own = await requireActorPerson(ctx.db, actor);
  const result = await ctx.db.transaction().execute(async (tx) => {
    const item = await tx
      .selectFrom('points_shop_item')
      .select(['id', 'district_code', 'community_code', 'name', 'cost', 'stock', 'active'])
      .where('id', '=', itemId)
      .executeTakeFirst();
    if (!item || !item.active || item.community_code !== own.community_code) throw new AppError('NOT_FOUND', { itemId });
    await lockHead(tx, own.district_code);
    const balance = await balanceOf(tx, own.district_code, own.id);
    if (balance < item.cost) throw new AppError('POINTS_INSUFFICIENT', { balance, cost: item.cost });
    const left = await tx
      .updateTable('points_shop_item')
      .set({ stock: sql`stock - 1`, updated_at: new Date(), version: sql`version + 1` })
      .where('district_code', '=', item.district_code)
      .where('id', '=', item.id)
      .where('stock', '>', 0)
      .returning('stock')
      .executeTakeFirst();
    if (!left) throw new AppError('OUT_OF_STOCK', { itemId });
    await appendPoints(tx, own.district_code, [
      {
        personId: own.id,
        communityCode: own.community_code,
        delta: -item.cost,
        reason: 'redeem',
        refType: 'points_shop_item',
        refId: item.id,
        actorName: actor.displayName,
      },
    ]);
    await appendAudit(tx, auditEntry(actor, 'points.redeem', 'points_shop_item', item.id, own.community_code, { cost: item.cost }));
    return { item: item.name, cost: item.cost, balance: balance - item.cost, stockLeft: left.stock };
  });
  return result;
}

export async function verify(ctx: AppContext, actor: Actor, districtCode?: string) {
  if (!actor.can('points.manage')) throw new AppError('FORBIDDEN');
  return verifyPointsLedger(ctx.db, districtCode);
}
