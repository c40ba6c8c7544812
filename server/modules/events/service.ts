import crypto from 'node:crypto';
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { Actor, AppContext } from '../../core/context.ts';
import type { DB, EventTable } from '../../db/types.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../../core/audit.ts';
import { announceCategoryChange } from './category-admin.ts';
import { pathInScope } from '../../core/permissions.ts';
import { parseTerritoryCode } from '../territory/codes.ts';
import { loadCalendar } from './calendar-cache.ts';
import { startStage } from './deadlines.ts';
import { decodePhotos } from './photos.ts';
import { relationsOf } from './relations.ts';
import { LEVELS, type Level } from './state-machine.ts';
import * as store from './store.ts';
import { deliver, rolesOf } from './notify.ts';
import { cachedCategory, cachedPlace, invalidateCategories } from './lookups.ts';
import { fileTogether, type Filing } from './group-commit.ts';
import { eventView } from './views.ts';
import { eventNumbers, numberTaken } from './numbers.ts';
import { applyAction, type ActionInput } from './actions.ts';

/** Filing events (E1) and reading them; the loop's actions live in actions.ts. */

export interface ReportInput {
  categoryCode: string;
  title: string;
  description?: string;
  placeCode: string;
  address?: string;
  lng?: number;
  lat?: number;
  /** hotline: a community or street worker enters a call on the caller's behalf. */
  source?: 'grid' | 'hotline' | 'web' | 'import' | 'open311';
  reporterName?: string;
  reporterPhone?: string;
  anonymous?: boolean;
  photos?: string[];
  /** A grid or community worker who cannot handle it sends it one level up at once. */
  escalate?: boolean;
  idempotencyKey?: string;
  externalRef?: string;
  reportedAt?: Date;
}

async function placeOf(ctx: AppContext, code: string) {
  const parsed = parseTerritoryCode(code);
  if (!parsed) throw new AppError('INVALID_CODE', { placeCode: code });
  if (!['street', 'community', 'grid', 'building', 'unit', 'house'].includes(parsed.level))
    throw new AppError('VALIDATION_FAILED', { reason: 'events_happen_at_a_street_or_below', placeCode: code });
  const node = await cachedPlace(ctx.db, parsed.code, parsed.level);
  if (!node) throw new AppError('TERRITORY_NOT_FOUND', { placeCode: code });
  return node;
}

/** Runs in the caller's transaction when given one (an import commits all rows together), else in a new one. */
export async function inTransaction<T>(db: Kysely<DB>, fn: (tx: Transaction<DB>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as Transaction<DB>);
  return db.transaction().execute(fn);
}

const RANK: Record<Level, number> = { grid: 0, community: 1, street: 2 };
const higher = (a: Level, b: Level): Level => (RANK[a] >= RANK[b] ? a : b);

export async function report(ctx: AppContext, actor: Actor, input: ReportInput) {
  const category = await cachedCategory(ctx.db, input.categoryCode);
  if (!category || !category.active) throw new AppError('CATEGORY_NOT_FOUND', { categoryCode: input.categoryCode });
  const place = await placeOf(ctx, input.placeCode);
  if (!pathInScope(actor.scope('event.report'), place.path)) throw new AppError('OUT_OF_SCOPE', { placeCode: input.placeCode });
  if (input.anonymous && !category.anonymous_allowed) throw new AppError('ANONYMOUS_NOT_ALLOWED', { categoryCode: category.code });
  const photos = await decodePhotos(input.photos);

  const rel = relationsOf(actor.userId, actor.bindings, { placePath: place.path, reporterId: null, leadOrgPath: null, assistOrgPaths: [] });
  const staffLevel: Level | null = rel.has('grid') ? 'grid' : rel.has('community') ? 'community' : rel.has('street') ? 'street' : null;
  let source = input.source;
  if (source === 'hotline' && !(rel.has('community') || rel.has('street')))
    throw new AppError('FORBIDDEN', { reason: 'hotline_entry_is_for_community_and_street_staff' });
  if (source === 'grid' && !rel.has('grid')) throw new AppError('FORBIDDEN', { reason: 'grid_reports_are_for_grid_workers' });
  if (!source) source = rel.has('grid') ? 'grid' : staffLevel ? 'hotline' : 'web';
  if (source === 'hotline' && !input.reporterPhone && !input.anonymous)
    throw new AppError('VALIDATION_FAILED', { reason: 'a_hotline_entry_needs_the_callers_phone' });

  // Where it starts: with the grid worker who found it (or the staff member filing it for
  // themselves); otherwise at the grid of the place (the community when the place has no grid),
  // raised to the level the category is expected to be closed at.
  const hasGrid = place.path.split('.').some((l) => l.length === 15);
  let level: Level;
  if (source === 'grid') level = 'grid';
  else if (staffLevel && source === 'web')
    level = staffLevel; // staff filing for themselves
  else level = higher(hasGrid ? 'grid' : 'community', category.closing_level);
  // Whoever files it at their own level accepts it at once (a 12345 import or Open311 client does not).
  const selfHandles = staffLevel !== null && rel.has(level) && source !== 'import' && source !== 'open311';
  const reporterIsUser = source !== 'hotline' && source !== 'import' && source !== 'open311';

  // A retried submission from a phone on a bad network returns the first one.
  if (input.idempotencyKey) {
    const prior = await ctx.db
      .selectFrom('event')
      .select('id')
      .where('district_code', '=', input.placeCode.slice(0, 6))
      .where('reporter_id', '=', actor.userId)
      .where('idempotency_key', '=', input.idempotencyKey)
      .executeTakeFirst();
    if (prior) return { event: await get(ctx, actor, prior.id), duplicates: [], replayed: true };
  }

  const districtCode = input.placeCode.slice(0, 6);
  const cal = await loadCalendar(ctx.db);
  const now = input.reportedAt ?? new Date();
  const limits = { acceptHours: category.accept_hours, respondHours: category.respond_hours, handleDays: category.handle_days };
  const phone = input.reporterPhone?.replace(/\s+/g, '');

  const duplicates =
    input.lng !== undefined && input.lat !== undefined
      ? await store.nearbyOpen(ctx.db, districtCode, category.code, input.lng, input.lat, new Date(now.getTime() - 72 * 3600_000), 200)
      : [];

  const id = crypto.randomUUID();
  const clock = startStage(cal, 'accept', now, limits);
  const row = {
    district_code: districtCode,
    id,
    number: eventNumbers.next(now),
    category_code: category.code,
    title: input.title,
    description: input.description ?? '',
    source,
    state: 'reported',
    level,
    origin_level: level,
    place_code: place.code,
    place_path: place.path,
    address: input.address ?? '',
    lng: input.lng ?? null,
    lat: input.lat ?? null,
    reporter_id: reporterIsUser ? actor.userId : null,
    reporter_name: input.anonymous ? null : (input.reporterName ?? (reporterIsUser ? actor.displayName : null)),
    reporter_phone_enc: phone && !input.anonymous ? ctx.keyring.encrypt(phone) : null,
    reporter_phone_idx: phone && !input.anonymous ? ctx.keyring.blindIndex(phone) : null,
    anonymous: input.anonymous ?? false,
    stage: clock.stage,
    stage_started_at: clock.startedAt,
    warn_at: clock.warnAt,
    due_at: clock.dueAt,
    reported_at: now,
    idempotency_key: input.idempotencyKey ?? null,
    external_ref: input.externalRef ?? null,
  } satisfies Insertable<EventTable>;
  const stepDetails = { source, ...(input.externalRef ? { externalRef: input.externalRef } : {}) };
  const notice = { districtCode, eventId: id, kind: 'reported', title: `新事件待受理：${input.title}` };

  // The event, its first step and inbox rows are written with the other filings of the group
  // commit's batch in one statement; photos and the self-accept follow in the same transaction.
  type Written = Awaited<ReturnType<typeof store.insertFiledEvents>>[number];
  type Next = { stepId: number; attachmentIds: string[]; after: (() => Promise<void>)[] };
  const filing: Filing<store.FiledEvent, Written, Next> = {
    row: {
      event: row,
      step: { actorId: actor.userId, actorName: actor.displayName, note: input.description ?? '', details: stepDetails },
      notice: selfHandles ? null : { role: rolesOf([level])[0], kind: notice.kind, title: notice.title, at: new Date() },
    },
    writeAll: store.insertFiledEvents,
    audit: [
      {
        actorId: actor.userId,
        actorName: actor.username,
        action: 'event.report',
        targetType: 'event',
        targetId: id,
        placeCode: place.code,
        ip: actor.ip,
        details: { category: category.code, source, level },
      },
    ],
    // Photos and the self-accept write more: only then does the batch need a transaction.
    transactional: photos.length > 0 || selfHandles,
    next: async (tx, { stepId, recipients }) => {
      const attachmentIds: string[] = [];
      for (const p of photos)
        attachmentIds.push(
          await store.insertAttachment(tx, { districtCode, eventId: id, stepId, mime: p.mime, bytes: p.bytes, thumb: p.thumb }),
        );
      const after: (() => Promise<void>)[] = [];
      if (recipients.length) after.push(() => deliver(recipients, notice));
      // The grid worker who found it, or the worker taking the call, accepts it at once.
      if (selfHandles) {
        const t = tx as Transaction<DB>; // transactional: the batch runs in a transaction
        after.push(...(await applyAction(ctx, t, actor, id, 'accept', { note: '' }, cal, now)).after);
        if (input.escalate)
          after.push(...(await applyAction(ctx, t, actor, id, 'escalate', { note: input.description ?? '' }, cal, now)).after);
      }
      return { stepId, attachmentIds, after };
    },
  };
  // A repeated tracking number fails the insert; file again under a new one (never inside a
  // caller's transaction, which the failure has aborted).
  let filed: Next;
  for (let attempt = 1; ; attempt++) {
    try {
      filed = await fileTogether(ctx.db, filing);
      break;
    } catch (err) {
      if (attempt >= 5 || ctx.db.isTransaction || !numberTaken(err)) throw err;
      row.number = eventNumbers.next(now);
    }
  }
  // Channels (SMS, WeChat …) deliver after commit; the inbox rows are already there.
  for (const f of filed.after) await f();
  if (selfHandles) return { event: await get(ctx, actor, id), duplicates, replayed: false };

  // Nothing else has touched the event yet: answer from what was written instead of reading it back.
  const written: store.EventRow = {
    ...row,
    whistled: false,
    resume_state: null,
    lead_org_id: null,
    assist_org_ids: [],
    merged_into: null,
    warned: false,
    overdue: false,
    ever_overdue: false,
    suspended_at: null,
    supervised_count: 0,
    satisfaction: null,
    accepted_at: null,
    whistled_at: null,
    responded_at: null,
    handled_at: null,
    closed_at: null,
    closed_level: null,
    closed_on_time: null,
    evaluated_at: null,
    created_at: now,
    updated_at: now,
    version: 1,
    category_name: category.name,
    category_name_en: category.name_en,
    photo_required: category.photo_required,
    accept_hours: category.accept_hours,
    respond_hours: category.respond_hours,
    handle_days: category.handle_days,
    auto_escalate: category.auto_escalate,
    category_departments: category.departments,
    lead_org_name: null,
    lead_org_path: null,
    assist_orgs: [],
    place_name: place.name,
  };
  const event = {
    ...eventView(ctx, actor, written),
    timeline: [
      {
        id: filed.stepId,
        at: now.toISOString(),
        actorName: actor.displayName,
        action: 'report',
        fromState: null,
        toState: 'reported',
        level,
        note: input.description ?? '',
        details: stepDetails as Record<string, unknown>,
        attachments: filed.attachmentIds.map((a) => `/api/events/${id}/attachments/${a}`),
      },
    ],
  };
  return { event, duplicates, replayed: false };
}

export async function act(ctx: AppContext, actor: Actor, id: string, action: string, input: ActionInput & { version: number }) {
  const visible = await store.findVisibleEvent(ctx.db, store.visibilityOf(actor), id);
  if (!visible) throw new AppError('EVENT_NOT_FOUND', { id });
  const cal = await loadCalendar(ctx.db);
  const after: (() => Promise<void>)[] = [];
  await ctx.db.transaction().execute(async (tx: Transaction<DB>) => {
    const r = await applyAction(ctx, tx, actor, id, action, input, cal, new Date());
    after.push(...r.after);
  });
  for (const f of after) await f();
  // A department that returned a whistle no longer sees the event; it still gets the result of its step.
  return get(ctx, actor, id, { afterOwnStep: true });
}

export async function get(ctx: AppContext, actor: Actor, id: string, opts: { afterOwnStep?: boolean } = {}) {
  const row = opts.afterOwnStep ? await store.findEvent(ctx.db, id) : await store.findVisibleEvent(ctx.db, store.visibilityOf(actor), id);
  if (!row) throw new AppError('EVENT_NOT_FOUND', { id });
  const steps = await store.timeline(ctx.db, row.district_code, id);
  return {
    ...eventView(ctx, actor, row),
    timeline: steps.map((s) => ({
      id: Number(s.id),
      at: new Date(s.at).toISOString(),
      actorName: s.actor_name,
      action: s.action,
      fromState: s.from_state,
      toState: s.to_state,
      level: s.level,
      note: s.note,
      details: (s.details ?? {}) as Record<string, unknown>,
      attachments: s.attachment_ids.map((a) => `/api/events/${id}/attachments/${a}`),
    })),
  };
}

export async function track(ctx: AppContext, actor: Actor, number: string) {
  const row = await store.findByNumber(ctx.db, store.visibilityOf(actor), number.trim().toUpperCase());
  if (!row) throw new AppError('EVENT_NOT_FOUND', { number });
  return get(ctx, actor, row.id);
}

export type Inbox = 'todo' | 'due_soon' | 'overdue' | 'watched' | 'mine' | 'all';

export async function list(
  ctx: AppContext,
  actor: Actor,
  q: { box?: Inbox; state?: string; categoryCode?: string; placeCode?: string; q?: string; limit?: number; offset?: number },
) {
  const v = store.visibilityOf(actor);
  const f: store.ListFilter = {};
  if (q.state) f.states = q.state.split(',');
  if (q.categoryCode) f.categoryCode = q.categoryCode;
  if (q.q) f.q = q.q;
  if (q.placeCode) f.placePath = (await placeOf(ctx, q.placeCode)).path;
  const box = q.box ?? 'all';
  if (box === 'todo') f.open = true;
  if (box === 'due_soon') f.dueSoon = true;
  if (box === 'overdue') f.overdue = true;
  if (box === 'watched') f.watchedBy = actor.userId;
  if (box === 'mine') f.reporterId = actor.userId;
  const limit = q.limit ?? 50;
  const fetchLimit = box === 'todo' ? 1000 : limit;
  const rows = await store.listEvents(ctx.db, v, f, fetchLimit, box === 'todo' ? 0 : (q.offset ?? 0));
  let items = rows.map((r) => eventView(ctx, actor, r));
  if (box === 'todo') {
    const passive = new Set(['note', 'supervise', 'merge']);
    items = items.filter((e) => e.allowedActions.some((a) => !passive.has(a))).slice(q.offset ?? 0, (q.offset ?? 0) + limit);
  }
  return { items };
}

export async function categories(ctx: AppContext) {
  const rows = await store.listCategories(ctx.db);
  return rows.map((c) => ({
    code: c.code,
    parentCode: c.parent_code,
    name: c.name,
    nameEn: c.name_en,
    description: c.description,
    closingLevel: c.closing_level,
    acceptHours: c.accept_hours,
    respondHours: c.respond_hours,
    handleDays: c.handle_days,
    departments: c.departments,
    photoRequired: c.photo_required,
    anonymousAllowed: c.anonymous_allowed,
    autoEscalate: c.auto_escalate,
    version: c.version,
  }));
}

export async function updateCategory(
  ctx: AppContext,
  actor: Actor,
  code: string,
  input: {
    version: number;
    name?: string;
    closingLevel?: Level;
    acceptHours?: number;
    respondHours?: number;
    handleDays?: number;
    departments?: string[];
    photoRequired?: boolean;
    anonymousAllowed?: boolean;
    autoEscalate?: boolean;
    active?: boolean;
  },
) {
  const before = await store.findCategory(ctx.db, code);
  if (!before) throw new AppError('CATEGORY_NOT_FOUND', { categoryCode: code });
  if (input.closingLevel && !LEVELS.includes(input.closingLevel))
    throw new AppError('VALIDATION_FAILED', { closingLevel: input.closingLevel });
  await ctx.db.transaction().execute(async (tx) => {
    const patch: Record<string, unknown> = {};
    if (input.name !== undefined) patch.name = input.name;
    if (input.closingLevel !== undefined) patch.closing_level = input.closingLevel;
    if (input.acceptHours !== undefined) patch.accept_hours = input.acceptHours;
    if (input.respondHours !== undefined) patch.respond_hours = input.respondHours;
    if (input.handleDays !== undefined) patch.handle_days = input.handleDays;
    if (input.departments !== undefined) patch.departments = input.departments;
    if (input.photoRequired !== undefined) patch.photo_required = input.photoRequired;
    if (input.anonymousAllowed !== undefined) patch.anonymous_allowed = input.anonymousAllowed;
    if (input.autoEscalate !== undefined) patch.auto_escalate = input.autoEscalate;
    if (input.active !== undefined) patch.active = input.active;
    const r = await tx
      .updateTable('event_category')
      .set({ ...patch, updated_at: new Date(), version: before.version + 1 } as never)
      .where('code', '=', code)
      .where('version', '=', input.version)
      .returning('code')
      .executeTakeFirst();
    if (!r) throw new AppError('VERSION_CONFLICT', { currentVersion: before.version });
    await appendAudit(tx, {
      actorId: actor.userId,
      actorName: actor.username,
      action: 'event.category_update',
      targetType: 'event_category',
      targetId: code,
      ip: actor.ip,
      details: { changes: patch },
    });
    await announceCategoryChange(tx);
  });
  // Filings read categories from memory; this process drops them now, others on the announcement.
  invalidateCategories(ctx.db);
  return (await categories(ctx)).find((c) => c.code === code)!;
}
