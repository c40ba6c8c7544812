import { sql, type Transaction } from 'kysely';
import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../../core/audit.ts';
import { pathInScope } from '../../core/permissions.ts';
import type { ApplicationChannel, DB } from '../../db/types.ts';
import * as registryStore from '../registry/store.ts';
import {
  allowedApplicationActions,
  applicationStep,
  APPLICATION_STATE_ZH,
  deadlineColour,
  dueAfterWaiting,
  dueAt,
  type ApplicationAction,
  type ApplicationRole,
} from './application-rules.ts';
import * as store from './applications-store.ts';
import { findItem, isPublished } from './catalogue.ts';
import { actorPerson, auditEntry, localStamp, nextCounter, notify, workCalendar } from './common.ts';
import { issueInTx } from './certificates.ts';
import { handlerRoleName, handlingScope, handlingScopes, rolesOn } from './handling.ts';

/** Applications (办件): apply online or at the counter, follow by number, handle at the one window. */

const MAX_FILE = 2 * 1024 * 1024;
const MIME_OK = /^(image\/(jpeg|png|webp)|application\/pdf)$/;

export interface MaterialUpload {
  name: string;
  fileName: string;
  mime: string;
  dataBase64: string;
}

function decodeUploads(files: MaterialUpload[] | undefined): store.UploadedMaterial[] {
  return (files ?? []).map((f, i) => {
    if (!MIME_OK.test(f.mime))
      throw new AppError('VALIDATION_FAILED', { problems: [{ field: `materials/${i}`, reason: '仅支持 JPG、PNG、WebP 图片或 PDF' }] });
    const content = Buffer.from(f.dataBase64, 'base64');
    if (!content.length || content.length > MAX_FILE) {
      throw new AppError('VALIDATION_FAILED', { problems: [{ field: `materials/${i}`, reason: '单个材料不能为空且不超过 2MB' }] });
    }
    return { name: f.name, fileName: f.fileName, mime: f.mime, content };
  });
}

export function applicationView(row: store.ApplicationRow, roles: Set<ApplicationRole>, now = new Date()) {
  const cal = workCalendar();
  return {
    id: row.id,
    number: row.number,
    districtCode: row.district_code,
    itemId: row.item_id,
    itemName: row.item_name,
    categoryName: row.category_name,
    communityCode: row.community_code,
    communityName: row.community_name,
    personId: row.person_id,
    personName: row.person_name,
    channel: row.channel,
    state: row.state,
    stateName: APPLICATION_STATE_ZH[row.state],
    note: row.note,
    materialsNote: row.materials_note,
    resultNote: row.result_note,
    refusalReason: row.refusal_reason,
    handlerName: row.handler_name,
    acceptedAt: row.accepted_at.toISOString(),
    dueAt: row.due_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
    timeLimitDays: row.time_limit_days,
    deadline: deadlineColour(cal, row.state, row.accepted_at, row.due_at, now),
    certificateId: row.certificate_id,
    homeVisit: row.home_visit,
    handlerRole: row.handler_role,
    handlerRoleName: handlerRoleName(row.handler_role),
    actions: allowedApplicationActions(row.state, roles),
    version: row.version,
  };
}

export interface ApplyInput {
  itemId: string;
  personId?: string;
  channel?: ApplicationChannel;
  note?: string;
  materials?: MaterialUpload[];
  idempotencyKey?: string;
}

/**
 * A resident applies for themselves online; a window worker applies for any resident of their
 * community at the counter (全科社工: any item, any resident). Either way the application is
 * accepted at once and its deadline starts.
 */
/** Runs inside the application's transaction once it is inserted; throwing rolls the application back. */
export type AfterApply = (
  tx: Transaction<DB>,
  app: { id: string; number: string; districtCode: string; personId: string },
) => Promise<void>;

export async function apply(ctx: AppContext, actor: Actor, input: ApplyInput, now = new Date(), afterInsert?: AfterApply) {
  const own = await actorPerson(ctx.db, actor);
  let person: registryStore.PersonRow | undefined;
  if (input.personId && input.personId !== own?.id) {
    if (!actor.can('service.handle')) throw new AppError('FORBIDDEN', { permission: 'service.handle' });
    person = await registryStore.findPerson(ctx.db, actor.scope('service.handle'), input.personId);
    if (!person) throw new AppError('NOT_FOUND', { personId: input.personId });
  } else {
    if (!own) throw new AppError('NO_PERSON_RECORD');
    if (!actor.can('service.apply') && !actor.can('service.handle')) throw new AppError('FORBIDDEN', { permission: 'service.apply' });
    person = own;
  }
  const item = await findItem(ctx.db, input.itemId);
  if (!item || !item.active || item.district_code !== person.district_code)
    throw new AppError('ITEM_NOT_PUBLISHED', { itemId: input.itemId });
  if (!(await isPublished(ctx.db, person.district_code, item.id, person.community_code))) {
    throw new AppError('ITEM_NOT_PUBLISHED', { itemId: input.itemId, communityCode: person.community_code });
  }
  // At the counter the window worker accepts any item; they become its handler only when they hold the item's handling role.
  const atCounter = person.id !== own?.id || (input.channel !== undefined && input.channel !== 'online');
  const isHandler = atCounter && pathInScope(handlingScope(actor, item.handler_role), person.path);
  const channel: ApplicationChannel = input.channel ?? (person.id === own?.id ? 'online' : 'counter');
  if (input.idempotencyKey) {
    const existing = await ctx.db
      .selectFrom('service_application')
      .select('id')
      .where('district_code', '=', person.district_code)
      .where('applicant_user_id', '=', actor.userId)
      .where('idempotency_key', '=', input.idempotencyKey)
      .executeTakeFirst();
    if (existing) return getApplication(ctx, actor, existing.id);
  }
  const files = decodeUploads(input.materials);
  const due = dueAt(workCalendar(), now, item.time_limit_days);
  const p = person;
  const id = await ctx.db.transaction().execute(async (tx) => {
    const day = localStamp(now);
    const seq = await nextCounter(tx, p.district_code, 'application', day);
    const number = `FW${p.district_code}${day}${String(seq).padStart(4, '0')}`;
    const row = await tx
      .insertInto('service_application')
      .values({
        district_code: p.district_code,
        number,
        item_id: item.id,
        community_code: p.community_code,
        path: p.path,
        person_id: p.id,
        applicant_user_id: actor.userId,
        channel,
        state: 'accepted',
        note: input.note ?? '',
        accepted_at: now,
        due_at: due,
        handler_user_id: isHandler ? actor.userId : null,
        handler_name: isHandler ? actor.displayName : '',
        idempotency_key: input.idempotencyKey ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await store.insertMaterials(tx, p.district_code, row.id, files, actor.displayName);
    if (afterInsert) await afterInsert(tx, { id: row.id, number, districtCode: p.district_code, personId: p.id });
    await store.insertStep(tx, {
      districtCode: p.district_code,
      applicationId: row.id,
      action: 'submit',
      from: null,
      to: 'accepted',
      actorId: actor.userId,
      actorName: actor.displayName,
      note: channel === 'online' ? '网上申请，自动受理' : '窗口受理',
      at: now,
    });
    await notify(tx, {
      districtCode: p.district_code,
      userId: p.user_id,
      subjectType: 'application',
      subjectId: row.id,
      title: `您的“${item.name}”申请已受理`,
      body: `办件号 ${number}，承诺时限 ${item.time_limit_days} 个工作日。`,
    });
    await appendAudit(
      tx,
      auditEntry(actor, 'service.application.create', 'service_application', row.id, p.community_code, { number, channel }),
    );
    return row.id;
  });
  return getApplication(ctx, actor, id);
}

async function load(ctx: AppContext, actor: Actor, id: string) {
  const row = await store.findApplication(ctx.db, id);
  const own = await actorPerson(ctx.db, actor);
  const roles = row ? rolesOn(actor, row, own?.id ?? null) : new Set<ApplicationRole>();
  // Someone else's application answers 404: whether it exists is itself personal data.
  if (!row || roles.size === 0) throw new AppError('NOT_FOUND', { id });
  return { row, roles };
}

export async function getApplication(ctx: AppContext, actor: Actor, id: string, now = new Date()) {
  const { row, roles } = await load(ctx, actor, id);
  const [steps, materials] = await Promise.all([
    store.stepsOf(ctx.db, row.district_code, id),
    store.materialsOf(ctx.db, row.district_code, id),
  ]);
  return {
    ...applicationView(row, roles, now),
    steps: steps.map((s) => ({
      at: s.at.toISOString(),
      action: s.action,
      fromState: s.from_state,
      toState: s.to_state,
      actorName: s.actor_name,
      note: s.note,
    })),
    materials: materials.map((m) => ({
      id: m.id,
      name: m.name,
      fileName: m.file_name,
      mime: m.mime,
      size: m.size,
      uploadedBy: m.uploaded_by,
    })),
  };
}

/** Following an application by its number (the resident's receipt, the window's search). */
export async function getByNumber(ctx: AppContext, actor: Actor, number: string) {
  const row = await store.findApplicationByNumber(ctx.db, number.trim().toUpperCase());
  if (!row) throw new AppError('NOT_FOUND', { number });
  return getApplication(ctx, actor, row.id);
}

export async function listApplications(
  ctx: AppContext,
  actor: Actor,
  f: store.ApplicationFilter & { mine?: boolean },
  limit = 100,
  now = new Date(),
) {
  const own = await actorPerson(ctx.db, actor);
  if (!f.mine && actor.can('service.handle')) {
    // The "to handle" inbox: items routed to a role the caller holds, within that role's reach.
    const rows = await store.listApplications(ctx.db, { handling: handlingScopes(actor) }, f, now, limit);
    return rows.map((r) => applicationView(r, rolesOn(actor, r, own?.id ?? null), now));
  }
  if (!own) return [];
  const rows = await store.listApplications(ctx.db, { personId: own.id }, f, now, limit);
  return rows.map((r) => applicationView(r, rolesOn(actor, r, own.id), now));
}

export async function material(ctx: AppContext, actor: Actor, id: string, materialId: string) {
  const { row } = await load(ctx, actor, id);
  const m = await ctx.db
    .selectFrom('service_material')
    .select(['file_name', 'mime', 'content'])
    .where('district_code', '=', row.district_code)
    .where('application_id', '=', id)
    .where('id', '=', materialId)
    .executeTakeFirst();
  if (!m) throw new AppError('NOT_FOUND', { materialId });
  return m;
}

export interface ActionInput {
  action: ApplicationAction;
  version: number;
  note?: string;
  materials?: MaterialUpload[];
}

const ACTION_TITLES: Record<ApplicationAction, string> = {
  request_materials: '需要补正材料',
  supplement: '材料已补正',
  start: '已开始办理',
  complete: '已办结',
  refuse: '不予办理',
  withdraw: '已撤回',
};

export async function act(ctx: AppContext, actor: Actor, id: string, input: ActionInput, now = new Date()) {
  const { row, roles } = await load(ctx, actor, id);
  const note = (input.note ?? '').trim();
  const step = applicationStep(row.state, input.action, roles, note);
  if (!step.ok) {
    if (step.reason === 'wrong_state') throw new AppError('APPLICATION_STATE', { state: row.state, action: input.action });
    if (step.reason === 'not_handler') {
      throw new AppError('APPLICATION_NOT_HANDLER', {
        action: input.action,
        handlerRole: row.handler_role,
        handlerRoleName: handlerRoleName(row.handler_role),
      });
    }
    if (step.reason === 'not_allowed') throw new AppError('FORBIDDEN', { action: input.action });
    throw new AppError('VALIDATION_FAILED', {
      problems: [{ field: 'note', reason: input.action === 'refuse' ? '请填写不予办理的理由' : '请说明需要补正的材料' }],
    });
  }
  const files = decodeUploads(input.materials);
  const cal = workCalendar();
  await ctx.db.transaction().execute(async (tx) => {
    const patch: Record<string, unknown> = { state: step.to, updated_at: now, version: sql`version + 1` };
    switch (input.action) {
      case 'request_materials':
        Object.assign(patch, { materials_note: note, waiting_since: now });
        break;
      case 'supplement':
        Object.assign(patch, {
          waiting_since: null,
          due_at: row.waiting_since ? dueAfterWaiting(cal, row.due_at, row.waiting_since, now) : row.due_at,
        });
        break;
      case 'start':
        Object.assign(patch, { handler_user_id: actor.userId, handler_name: actor.displayName });
        break;
      case 'complete':
        Object.assign(patch, { finished_at: now, result_note: note });
        break;
      case 'refuse':
        Object.assign(patch, { finished_at: now, refusal_reason: note });
        break;
      case 'withdraw':
        Object.assign(patch, { finished_at: now });
        break;
    }
    if (input.action === 'complete' && row.certificate_type) {
      // An item that ends with a certificate (e.g. 居住证明开具) issues it as it completes.
      const cert = await issueInTx(tx, ctx, actor, {
        communityCode: row.community_code,
        personId: row.person_id,
        typeKey: row.certificate_type,
        purpose: row.note || row.item_name,
        applicationId: row.id,
      });
      patch.certificate_id = cert.id;
    }
    const changed = await tx
      .updateTable('service_application')
      .set(patch)
      .where('district_code', '=', row.district_code)
      .where('id', '=', id)
      .where('version', '=', input.version)
      .returning('id')
      .executeTakeFirst();
    if (!changed) throw new AppError('VERSION_CONFLICT', { currentVersion: row.version });
    await store.insertMaterials(tx, row.district_code, id, files, actor.displayName);
    await store.insertStep(tx, {
      districtCode: row.district_code,
      applicationId: id,
      action: input.action,
      from: row.state,
      to: step.to,
      actorId: actor.userId,
      actorName: actor.displayName,
      note,
      at: now,
    });
    if (row.person_user_id && row.person_user_id !== actor.userId) {
      await notify(tx, {
        districtCode: row.district_code,
        userId: row.person_user_id,
        subjectType: 'application',
        subjectId: id,
        title: `办件 ${row.number}：${ACTION_TITLES[input.action]}`,
        body: note,
      });
    }
    await appendAudit(
      tx,
      auditEntry(actor, `service.application.${input.action}`, 'service_application', id, row.community_code, {
        from: row.state,
        to: step.to,
      }),
    );
  });
  return getApplication(ctx, actor, id, now);
}
