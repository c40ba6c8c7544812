import { sql } from 'kysely';
import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../../core/audit.ts';
import { announce, type LiveBus } from '../../core/live.ts';
import type { DB } from '../../db/types.ts';
import type { Kysely } from 'kysely';
import * as store from './store.ts';
import { invalidateCategories } from './lookups.ts';
import type { Level } from './state-machine.ts';

/**
 * The category editor (事件分类管理, issue 4 item 1): the whole tree with disabled categories, the
 * departments a category can go to, and creating a category. Editing and disabling are
 * `service.updateCategory` (PATCH). Every change is audited and announced on the live bus so
 * every app instance drops its cached tree (lookups.ts) when the change commits.
 *
 * A change never moves deadlines already computed: an open event keeps the due time of the stage
 * it is in; the next stage it enters takes the limits in force then.
 */

/** The live-bus topic of category edits; the key is always CATEGORY_KEY. */
export const CATEGORY_TOPIC = 'event_category';
const CATEGORY_KEY = 'all';

/** Announces a category change inside the transaction that makes it. */
export async function announceCategoryChange(tx: Kysely<DB>): Promise<void> {
  await announce<DB>(tx, CATEGORY_TOPIC, [CATEGORY_KEY]);
}

/** Drops this instance's cached tree whenever any instance changes a category (or the bus reconnects). */
export function followCategoryChanges(live: LiveBus | undefined, db: Kysely<DB>): () => void {
  if (!live) return () => {};
  return live.subscribe(CATEGORY_TOPIC, CATEGORY_KEY, () => invalidateCategories(db));
}

export async function adminCategories(ctx: AppContext, actor: Actor) {
  const rows = await store.listCategories(ctx.db, true);
  // Departments are per district: those of the editor's district (a global administrator sees none).
  const scope = actor.scope('event.configure');
  const district = scope.all ? null : (scope.territoryPaths.map((p) => p.split('.')[2]).find((x) => x) ?? null);
  const depts = district ? await store.departmentsOf(ctx.db, district) : [];
  return {
    items: rows.map((c) => ({
      code: c.code,
      parentCode: c.parent_code,
      name: c.name,
      nameEn: c.name_en,
      description: c.description,
      closingLevel: c.closing_level as Level,
      acceptHours: c.accept_hours,
      respondHours: c.respond_hours,
      handleDays: c.handle_days,
      departments: c.departments,
      photoRequired: c.photo_required,
      anonymousAllowed: c.anonymous_allowed,
      autoEscalate: c.auto_escalate,
      active: c.active,
      version: c.version,
    })),
    departments: depts.map((d) => ({ key: d.seed_key?.split(':').pop() ?? d.id, name: d.name })),
  };
}

export interface NewCategory {
  code: string;
  parentCode?: string | null;
  name: string;
  nameEn?: string;
  description?: string;
  closingLevel: Level;
  acceptHours: number;
  respondHours: number;
  handleDays: number;
  departments?: string[];
  photoRequired?: boolean;
  anonymousAllowed?: boolean;
  autoEscalate?: boolean;
}

export async function createCategory(ctx: AppContext, actor: Actor, input: NewCategory) {
  if (input.parentCode) {
    const parent = await store.findCategory(ctx.db, input.parentCode);
    if (!parent) throw new AppError('CATEGORY_NOT_FOUND', { categoryCode: input.parentCode });
    if (parent.parent_code) throw new AppError('VALIDATION_FAILED', { reason: 'two_levels_only', parentCode: input.parentCode });
  }
  if (await store.findCategory(ctx.db, input.code)) throw new AppError('CATEGORY_EXISTS', { categoryCode: input.code });
  await ctx.db.transaction().execute(async (tx) => {
    const sort = await sql<{ n: number }>`select coalesce(max(sort), 0)::int + 1 as n from event_category`.execute(tx);
    await tx
      .insertInto('event_category')
      .values({
        code: input.code,
        parent_code: input.parentCode ?? null,
        name: input.name,
        name_en: input.nameEn ?? '',
        description: input.description ?? '',
        closing_level: input.closingLevel,
        accept_hours: input.acceptHours,
        respond_hours: input.respondHours,
        handle_days: input.handleDays,
        departments: input.departments ?? [],
        photo_required: input.photoRequired ?? false,
        anonymous_allowed: input.anonymousAllowed ?? false,
        auto_escalate: input.autoEscalate ?? true,
        sort: sort.rows[0].n,
      } as never)
      .execute();
    await appendAudit(tx, {
      actorId: actor.userId,
      actorName: actor.username,
      action: 'event.category_create',
      targetType: 'event_category',
      targetId: input.code,
      ip: actor.ip,
      details: { ...input },
    });
    await announceCategoryChange(tx);
  });
  invalidateCategories(ctx.db);
  return (await adminCategories(ctx, actor)).items.find((c) => c.code === input.code)!;
}
