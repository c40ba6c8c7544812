import type { Transaction } from 'kysely';
import type { Actor, AppContext } from '../../core/context.ts';
import type { DB } from '../../db/types.ts';
import type { WorkCalendar } from '../../core/calendar.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../../core/audit.ts';
import { extendAfterSuspension, startStage, stageOf, supervisedDue } from './deadlines.ts';
import {
  ACTIONS,
  OPEN_STATES,
  allowedActions,
  relationsAbove,
  transition,
  type Action,
  type MachineEvent,
  type Relation,
} from './state-machine.ts';
import * as store from './store.ts';
import { notify, recipients } from './notify.ts';
import { machineOf, relationsFor } from './views.ts';
import { decodePhotos } from './photos.ts';

/**
 * One step of the closed loop inside the caller's transaction: lock the event, ask the pure
 * state machine, check what the step needs (reason, photos, departments, satisfaction), move the
 * clock, write the event, its timeline step, photos, audit and notifications together.
 */

export interface ActionInput {
  version?: number;
  note?: string;
  photos?: string[];
  satisfaction?: number;
  /** merge: the event this one duplicates */
  targetId?: string;
  /** whistle: the lead department and the assisting ones (org ids) */
  leadOrgId?: string;
  assistOrgIds?: string[];
  /** supervise: working days to the new due time */
  dueDays?: number;
}

const NEEDS_REASON = new Set<Action>(['return', 'suspend', 'deny_suspend', 'reject', 'reopen', 'supervise', 'note', 'handle']);

const TITLES: Partial<Record<string, string>> = {
  escalated: '事件上报待受理',
  whistled: '街道吹哨，请部门报到',
  handled: '事件已处置，请核查',
  verified: '事件已核查，请结案',
  closed: '事件已结案，请评价',
  suspend_requested: '事件申请挂起，请审批',
  handling: '事件待处置',
  responded: '部门已响应',
  merged: '事件已合并',
};

export async function applyAction(
  ctx: AppContext,
  tx: Transaction<DB>,
  actor: Actor,
  id: string,
  actionName: string,
  input: ActionInput,
  cal: WorkCalendar,
  now: Date,
  opts: { relations?: Set<Relation>; system?: boolean } = {},
): Promise<{ after: (() => Promise<void>)[] }> {
  if (!(ACTIONS as readonly string[]).includes(actionName))
    throw new AppError('VALIDATION_FAILED', { action: actionName, allowed: ACTIONS });
  const action = actionName as Action;
  const row = await store.findEvent(tx, id, true);
  if (!row) throw new AppError('EVENT_NOT_FOUND', { id });
  const rel = opts.relations ?? relationsFor(actor, row);
  const before = machineOf(row);
  if (input.version !== undefined && input.version !== row.version) {
    throw new AppError('VERSION_CONFLICT', { currentVersion: row.version, state: row.state, allowed: allowedActions(before, rel) });
  }
  const result = transition(before, action, rel);
  if (!result.ok) {
    const code = result.reason === 'not_allowed_now' ? 'EVENT_ACTION_NOT_ALLOWED' : 'EVENT_ACTION_FORBIDDEN';
    throw new AppError(code, { action, state: result.state, allowed: result.allowed });
  }
  const note = (input.note ?? '').trim();
  if (NEEDS_REASON.has(action) && !note && !opts.system) throw new AppError('VALIDATION_FAILED', { reason: 'note_required', action });
  const next: MachineEvent = result.next;
  const patch: Record<string, unknown> = {
    state: next.state,
    level: next.level,
    origin_level: next.originLevel,
    whistled: next.whistled,
    resume_state: next.resumeState,
    satisfaction: next.satisfaction,
  };
  const details: Record<string, unknown> = {};
  const photos = await decodePhotos(input.photos);
  const limits = { acceptHours: row.accept_hours, respondHours: row.respond_hours, handleDays: row.handle_days };

  // --- what each step needs -------------------------------------------------------------
  let notifyTargets: Relation[] = [];
  let targetRow: store.EventRow | undefined;
  switch (action) {
    case 'accept':
      if (!row.accepted_at) patch.accepted_at = now;
      break;
    case 'whistle': {
      const depts = await store.departmentsOf(tx, row.district_code);
      const byKey = new Map(depts.map((d) => [d.seed_key?.split(':').pop() ?? d.id, d.id]));
      const lead = input.leadOrgId ?? byKey.get(row.category_departments[0] ?? '');
      const assist =
        input.assistOrgIds ??
        row.category_departments
          .slice(1)
          .map((k) => byKey.get(k))
          .filter((x): x is string => !!x);
      const ids = new Set(depts.map((d) => d.id));
      if (!lead || !ids.has(lead) || assist.some((a) => !ids.has(a) || a === lead))
        throw new AppError('DEPARTMENT_INVALID', { leadOrgId: lead ?? null, assistOrgIds: assist });
      patch.lead_org_id = lead;
      patch.assist_org_ids = [...new Set(assist)];
      patch.whistled_at = now;
      details.leadOrgId = lead;
      details.assistOrgIds = assist;
      details.departments = depts.filter((d) => d.id === lead || assist.includes(d.id)).map((d) => d.name);
      break;
    }
    case 'respond':
      if (!row.responded_at) patch.responded_at = now;
      break;
    case 'handle':
      if (row.photo_required && photos.length === 0) throw new AppError('PHOTO_REQUIRED', { categoryCode: row.category_code });
      patch.handled_at = now;
      break;
    case 'close':
      patch.closed_at = now;
      patch.closed_level = next.level;
      patch.closed_on_time = !row.ever_overdue && !row.overdue;
      break;
    case 'evaluate': {
      const s = input.satisfaction;
      if (!Number.isInteger(s) || s! < 1 || s! > 5) throw new AppError('VALIDATION_FAILED', { reason: 'satisfaction_1_to_5' });
      patch.satisfaction = s;
      patch.evaluated_at = now;
      details.satisfaction = s;
      break;
    }
    case 'reopen':
      details.previousSatisfaction = row.satisfaction;
      patch.closed_at = null;
      patch.closed_level = null;
      patch.closed_on_time = null;
      patch.evaluated_at = null;
      patch.lead_org_id = null;
      patch.assist_org_ids = [];
      break;
    case 'return':
      if (row.state === 'whistled') {
        patch.lead_org_id = null;
        patch.assist_org_ids = [];
        details.returnedBy = row.lead_org_name;
      }
      break;
    case 'merge': {
      if (!input.targetId || input.targetId === id) throw new AppError('VALIDATION_FAILED', { reason: 'merge_needs_another_event' });
      targetRow = await store.findVisibleEvent(tx, store.visibilityOf(actor), input.targetId);
      if (!targetRow || targetRow.district_code !== row.district_code) throw new AppError('EVENT_NOT_FOUND', { id: input.targetId });
      if (!OPEN_STATES.has(targetRow.state as never) || targetRow.merged_into)
        throw new AppError('VALIDATION_FAILED', { reason: 'merge_target_must_be_open', targetState: targetRow.state });
      patch.merged_into = targetRow.id;
      details.mergedInto = targetRow.number;
      break;
    }
    case 'supervise': {
      const days = input.dueDays ?? 1;
      if (!Number.isInteger(days) || days < 1 || days > 30) throw new AppError('VALIDATION_FAILED', { reason: 'due_days_1_to_30' });
      const due = supervisedDue(cal, now, days, row.due_at ? new Date(row.due_at) : null);
      patch.supervised_count = row.supervised_count + 1;
      if (row.stage) {
        patch.due_at = due;
        patch.warn_at = null;
        patch.warned = true;
        patch.overdue = false;
      }
      details.dueAt = due.toISOString();
      notifyTargets = row.whistled ? ['lead', 'assist', 'street'] : [row.level as Relation];
      break;
    }
  }

  // --- the clock -------------------------------------------------------------------------
  const oldStage = row.stage;
  const newStage = stageOf(next.state);
  if (action === 'approve_suspend') {
    patch.stage = null;
    patch.suspended_at = now;
  } else if (action === 'resume') {
    const suspendedAt = row.suspended_at ? new Date(row.suspended_at) : now;
    if (row.due_at) {
      const moved = extendAfterSuspension(
        cal,
        { warnAt: new Date(row.warn_at ?? row.due_at), dueAt: new Date(row.due_at) },
        suspendedAt,
        now,
      );
      patch.warn_at = moved.warnAt;
      patch.due_at = moved.dueAt;
      details.pausedMinutes = moved.pausedMinutes;
    }
    patch.stage = newStage;
    patch.suspended_at = null;
  } else if (action !== 'supervise' && action !== 'note') {
    const restart =
      newStage !== null &&
      (newStage !== oldStage || (newStage === 'accept' && next.level !== before.level) || action === 'reopen' || action === 'return');
    if (restart && newStage) {
      const clock = startStage(cal, newStage, now, limits);
      Object.assign(patch, {
        stage: newStage,
        stage_started_at: now,
        warn_at: clock.warnAt,
        due_at: clock.dueAt,
        warned: false,
        overdue: false,
      });
    } else if (newStage === null) {
      patch.stage = null;
    }
  }

  const updated = await store.updateEvent(tx, row.district_code, id, row.version, patch);
  if (!updated) throw new AppError('VERSION_CONFLICT', { currentVersion: row.version, state: row.state });
  const stepId = await store.insertStep(tx, {
    districtCode: row.district_code,
    eventId: id,
    at: now,
    actorId: opts.system ? null : actor.userId,
    actorName: actor.displayName,
    action,
    fromState: row.state,
    toState: next.state,
    level: next.level,
    note,
    details,
  });
  for (const p of photos)
    await store.insertAttachment(tx, {
      districtCode: row.district_code,
      eventId: id,
      stepId,
      mime: p.mime,
      bytes: p.bytes,
      thumb: p.thumb,
    });
  if (targetRow) {
    await store.insertStep(tx, {
      districtCode: row.district_code,
      eventId: targetRow.id,
      at: now,
      actorId: actor.userId,
      actorName: actor.displayName,
      action: 'note',
      fromState: targetRow.state,
      toState: targetRow.state,
      level: targetRow.level,
      note: `合并重复事件 ${row.number}`,
      details: { mergedFrom: row.number },
    });
  }

  // --- who hears about it ----------------------------------------------------------------
  if (action !== 'supervise' && action !== 'note') notifyTargets = whoActsNext(next);
  const after: (() => Promise<void>)[] = [];
  if (notifyTargets.length) {
    const leadOrgId = (patch.lead_org_id as string | null | undefined) ?? row.lead_org_id;
    const assistOrgIds = (patch.assist_org_ids as string[] | undefined) ?? row.assist_org_ids;
    const users = (
      await recipients(
        tx,
        { placePath: row.place_path, reporterId: row.reporter_id, leadOrgId, assistOrgIds, districtCode: row.district_code },
        notifyTargets,
      )
    ).filter((u) => u !== actor.userId);
    const title = action === 'supervise' ? `督办：${row.title}` : `${TITLES[next.state] ?? '事件进展'}：${row.title}`;
    after.push(await notify(tx, users, { districtCode: row.district_code, eventId: id, kind: action, title, body: note }));
  }
  // Last: the audit chain's head stays locked until commit, so every other write comes before it.
  await appendAudit(tx, {
    actorId: opts.system ? null : actor.userId,
    actorName: actor.username,
    action: `event.${action}`,
    targetType: 'event',
    targetId: id,
    placeCode: row.place_code,
    ip: actor.ip,
    details: { from: row.state, to: next.state, level: next.level, ...details },
  });
  return { after };
}

/** The parties to tell after a step: the ones who must act next. */
function whoActsNext(e: MachineEvent): Relation[] {
  switch (e.state) {
    case 'reported':
    case 'escalated':
    case 'handling':
    case 'verified':
      return [e.level];
    case 'whistled':
      return ['lead', 'assist'];
    case 'responded':
      return ['street'];
    case 'handled':
      return e.level === 'grid' ? ['reporter', 'grid'] : ['reporter', 'grid', e.level];
    case 'closed':
      return ['reporter'];
    case 'suspend_requested':
      return e.whistled ? ['street'] : relationsAbove(e.level).slice(0, 1);
    case 'suspended':
      return e.whistled ? ['lead'] : [e.level];
    case 'merged':
      return ['reporter'];
    default:
      return [];
  }
}
