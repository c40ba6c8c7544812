import crypto from 'node:crypto';
import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../../core/audit.ts';
import type { BodyKind, MeetingStatus, ResolutionDecision } from '../../db/types.ts';
import { auditEntry, canRead, mayManage, readScope, requireManage, resolvePlace, UUID } from './common.ts';
import { meetingEditable, meetingMayMove, missingSeats, seatAllowed, type Seat } from './rules.ts';
import * as store from './meetings-store.ts';

/**
 * Deliberation bodies with typed seats (四方, 六方, 圆桌会议, 议事厅, 百姓议事堂, 四老论坛) and their
 * meetings: agenda › notice › attendance (QR check-in) › minutes and resolutions › follow-up
 * tasks tracked to done › published outcome.
 */

function bodyView(r: store.BodyRow) {
  return {
    id: r.id,
    communityCode: r.community_code,
    communityName: r.community_name ?? '',
    placeCode: r.place_code,
    kind: r.kind,
    name: r.name,
    description: r.description,
    missingSeats: missingSeats(r.kind, r.seats),
    memberCount: r.seats.length,
    meetingCount: r.meeting_count,
    version: r.version,
  };
}

function meetingSummary(m: store.MeetingRow) {
  return {
    id: m.id,
    bodyId: m.body_id,
    bodyName: m.body_name,
    bodyKind: m.body_kind,
    communityCode: m.community_code,
    title: m.title,
    scheduledAt: m.scheduled_at.toISOString(),
    location: m.location,
    status: m.status,
    attendanceCount: m.attendance_count,
    publishedAt: m.published_at?.toISOString() ?? null,
    version: m.version,
  };
}

function requireRead(actor: Actor) {
  if (!canRead(actor)) throw new AppError('FORBIDDEN', { permission: 'deliberation.read' });
}

async function loadBody(ctx: AppContext, actor: Actor, id: string) {
  requireRead(actor);
  const b = UUID.test(id) ? await store.findBody(ctx.db, readScope(actor), id) : undefined;
  if (!b) throw new AppError('NOT_FOUND', { id });
  return b;
}

async function loadMeeting(ctx: AppContext, actor: Actor, id: string) {
  requireRead(actor);
  const m = UUID.test(id) ? await store.findMeeting(ctx.db, readScope(actor), id) : undefined;
  if (!m) throw new AppError('NOT_FOUND', { id });
  return m;
}

export async function listBodies(ctx: AppContext, actor: Actor, placeCode?: string) {
  requireRead(actor);
  const path = placeCode ? (await resolvePlace(ctx.db, placeCode)).path : null;
  return (await store.listBodies(ctx.db, readScope(actor), path)).map(bodyView);
}

export async function getBody(ctx: AppContext, actor: Actor, id: string) {
  const b = await loadBody(ctx, actor, id);
  const [members, meetings] = await Promise.all([
    store.membersOf(ctx.db, b.district_code, b.id),
    store.listMeetings(ctx.db, readScope(actor), { bodyId: b.id }, 200),
  ]);
  return {
    ...bodyView(b),
    members: members.map((m) => ({ id: m.id, seat: m.seat, name: m.name, title: m.title, orgId: m.org_id })),
    meetings: meetings.map(meetingSummary),
  };
}

export async function createBody(
  ctx: AppContext,
  actor: Actor,
  input: { placeCode: string; kind: BodyKind; name: string; description?: string },
) {
  const place = await resolvePlace(ctx.db, input.placeCode);
  requireManage(actor, place.path);
  const id = await ctx.db.transaction().execute(async (tx) => {
    const bodyId = await store.insertBody(tx, {
      districtCode: place.districtCode,
      communityCode: place.communityCode,
      placeCode: place.code,
      path: place.path,
      kind: input.kind,
      name: input.name.trim(),
      description: input.description?.trim() ?? '',
    });
    await appendAudit(tx, auditEntry(actor, 'deliberation.body.create', 'delib_body', bodyId, place.code, { kind: input.kind }));
    return bodyId;
  });
  return getBody(ctx, actor, id);
}

export async function addMember(
  ctx: AppContext,
  actor: Actor,
  bodyId: string,
  input: { seat: Seat; name: string; title?: string; orgId?: string },
) {
  const b = await loadBody(ctx, actor, bodyId);
  requireManage(actor, b.path);
  if (!seatAllowed(b.kind, input.seat))
    throw new AppError('VALIDATION_FAILED', { reason: 'seat_not_in_body', kind: b.kind, seat: input.seat });
  await ctx.db.transaction().execute(async (tx) => {
    const id = await store.insertMember(tx, {
      districtCode: b.district_code,
      bodyId,
      seat: input.seat,
      name: input.name.trim(),
      title: input.title?.trim() ?? '',
      orgId: input.orgId ?? null,
    });
    await appendAudit(
      tx,
      auditEntry(actor, 'deliberation.member.add', 'delib_body_member', id, b.place_code, { bodyId, seat: input.seat }),
    );
  });
  return getBody(ctx, actor, bodyId);
}

export async function removeMember(ctx: AppContext, actor: Actor, bodyId: string, memberId: string) {
  const b = await loadBody(ctx, actor, bodyId);
  requireManage(actor, b.path);
  if (!UUID.test(memberId)) throw new AppError('NOT_FOUND', { memberId });
  await ctx.db.transaction().execute(async (tx) => {
    if (!(await store.deleteMember(tx, b.district_code, bodyId, memberId))) throw new AppError('NOT_FOUND', { memberId });
    await appendAudit(tx, auditEntry(actor, 'deliberation.member.remove', 'delib_body_member', memberId, b.place_code, { bodyId }));
  });
  return getBody(ctx, actor, bodyId);
}

export async function listMeetings(ctx: AppContext, actor: Actor, f: { status?: MeetingStatus[] }, limit: number) {
  requireRead(actor);
  return (await store.listMeetings(ctx.db, readScope(actor), f, limit)).map(meetingSummary);
}

export async function getMeeting(ctx: AppContext, actor: Actor, id: string) {
  const m = await loadMeeting(ctx, actor, id);
  const [agenda, attendance, resolutions] = await Promise.all([
    store.agendaOf(ctx.db, m.district_code, m.id),
    store.attendanceOf(ctx.db, m.district_code, m.id),
    store.resolutionsOf(ctx.db, m.district_code, [m.id]),
  ]);
  const tasks = await store.tasksOf(
    ctx.db,
    m.district_code,
    resolutions.map((r) => r.id),
  );
  const canManage = mayManage(actor, m.body_path);
  return {
    ...meetingSummary(m),
    notice: m.notice,
    minutes: m.minutes,
    outcome: m.outcome,
    // The QR check-in link: only those who run the meeting see the token.
    checkinToken: canManage ? m.checkin_token : null,
    canManage,
    agenda: agenda.map((a) => ({ id: a.id, seq: a.seq, title: a.title, topicId: a.topic_id, supportCount: a.support_count })),
    attendance: attendance.map((a) => ({
      id: a.id,
      memberId: a.member_id,
      name: a.name,
      seat: a.seat,
      method: a.method,
      checkedInAt: a.checked_in_at.toISOString(),
    })),
    resolutions: resolutions.map((r) => ({
      id: r.id,
      agendaItemId: r.agenda_item_id,
      text: r.text,
      decision: r.decision,
      tasks: tasks
        .filter((t) => t.resolution_id === r.id)
        .map((t) => ({
          id: t.id,
          title: t.title,
          ownerName: t.owner_name,
          dueDate: t.due_date,
          status: t.status,
          doneAt: t.done_at?.toISOString() ?? null,
          doneNote: t.done_note,
          version: t.version,
        })),
    })),
  };
}

export async function createMeeting(
  ctx: AppContext,
  actor: Actor,
  bodyId: string,
  input: { title: string; scheduledAt: string; location?: string; agenda?: string[] },
) {
  const b = await loadBody(ctx, actor, bodyId);
  requireManage(actor, b.path);
  const when = new Date(input.scheduledAt);
  if (Number.isNaN(when.getTime()))
    throw new AppError('VALIDATION_FAILED', { problems: [{ field: 'scheduledAt', reason: '时间格式不正确' }] });
  const id = await ctx.db.transaction().execute(async (tx) => {
    const meetingId = await store.insertMeeting(tx, {
      districtCode: b.district_code,
      bodyId,
      title: input.title.trim(),
      scheduledAt: when,
      location: input.location?.trim() ?? '',
      checkinToken: crypto.randomBytes(12).toString('base64url'),
    });
    for (const item of input.agenda ?? []) if (item.trim()) await store.insertAgendaItem(tx, b.district_code, meetingId, item.trim(), null);
    await appendAudit(tx, auditEntry(actor, 'deliberation.meeting.create', 'delib_meeting', meetingId, b.place_code, { bodyId }));
    return meetingId;
  });
  return getMeeting(ctx, actor, id);
}

export async function addAgendaItem(ctx: AppContext, actor: Actor, meetingId: string, title: string) {
  const m = await loadMeeting(ctx, actor, meetingId);
  requireManage(actor, m.body_path);
  if (!meetingEditable(m.status, 'agenda')) throw new AppError('WRONG_STATE', { status: m.status });
  await ctx.db.transaction().execute(async (tx) => {
    const id = await store.insertAgendaItem(tx, m.district_code, m.id, title.trim(), null);
    await appendAudit(tx, auditEntry(actor, 'deliberation.agenda.add', 'delib_agenda_item', id, m.place_code, { meetingId }));
  });
  return getMeeting(ctx, actor, meetingId);
}

/** notice › held › published. A fixed body (四方, 六方) gives notice only with every seat filled. */
export async function moveMeeting(
  ctx: AppContext,
  actor: Actor,
  meetingId: string,
  input: { version: number; to: MeetingStatus; notice?: string; outcome?: string },
) {
  const m = await loadMeeting(ctx, actor, meetingId);
  requireManage(actor, m.body_path);
  if (!meetingMayMove(m.status, input.to)) throw new AppError('WRONG_STATE', { status: m.status, to: input.to });
  if (input.to === 'noticed') {
    const b = (await store.findBody(ctx.db, { all: true }, m.body_id))!;
    const missing = missingSeats(b.kind, b.seats);
    if (missing.length) throw new AppError('SEATS_MISSING', { missing });
  }
  if (input.to === 'published' && !(input.outcome ?? m.outcome).trim())
    throw new AppError('VALIDATION_FAILED', { problems: [{ field: 'outcome', reason: '请填写公开的会议结果' }] });
  await ctx.db.transaction().execute(async (tx) => {
    const now = new Date();
    const ok = await store.updateMeeting(tx, m.district_code, m.id, input.version, {
      status: input.to,
      ...(input.to === 'noticed' ? { notice: input.notice?.trim() ?? m.notice, noticed_at: now } : {}),
      ...(input.to === 'published' ? { outcome: input.outcome?.trim() ?? m.outcome, published_at: now } : {}),
    });
    if (!ok) throw new AppError('VERSION_CONFLICT', { currentVersion: m.version });
    if (input.to === 'published') await store.answerAgendaTopics(tx, m.district_code, m.id, m.title);
    await appendAudit(tx, auditEntry(actor, `deliberation.meeting.${input.to}`, 'delib_meeting', m.id, m.place_code));
  });
  return getMeeting(ctx, actor, meetingId);
}

export async function saveMinutes(ctx: AppContext, actor: Actor, meetingId: string, input: { version: number; minutes: string }) {
  const m = await loadMeeting(ctx, actor, meetingId);
  requireManage(actor, m.body_path);
  if (!meetingEditable(m.status, 'minutes')) throw new AppError('WRONG_STATE', { status: m.status });
  await ctx.db.transaction().execute(async (tx) => {
    if (!(await store.updateMeeting(tx, m.district_code, m.id, input.version, { minutes: input.minutes })))
      throw new AppError('VERSION_CONFLICT', { currentVersion: m.version });
    await appendAudit(
      tx,
      auditEntry(actor, 'deliberation.meeting.minutes', 'delib_meeting', m.id, m.place_code, { length: input.minutes.length }),
    );
  });
  return getMeeting(ctx, actor, meetingId);
}

/** A worker marks a member present. */
export async function markAttendance(ctx: AppContext, actor: Actor, meetingId: string, memberId: string) {
  const m = await loadMeeting(ctx, actor, meetingId);
  requireManage(actor, m.body_path);
  if (!meetingEditable(m.status, 'attendance')) throw new AppError('WRONG_STATE', { status: m.status });
  const member = (await store.membersOf(ctx.db, m.district_code, m.body_id)).find((x) => x.id === memberId);
  if (!member) throw new AppError('NOT_FOUND', { memberId });
  await ctx.db.transaction().execute(async (tx) => {
    const added = await store.insertAttendance(tx, {
      districtCode: m.district_code,
      meetingId,
      memberId,
      userId: null,
      name: member.name,
      seat: member.seat,
      method: 'manual',
    });
    if (added) await appendAudit(tx, auditEntry(actor, 'deliberation.meeting.attend', 'delib_meeting', m.id, m.place_code, { memberId }));
  });
  return getMeeting(ctx, actor, meetingId);
}

/** Anyone signed in who scans the meeting's QR code (it carries the token) checks in once. */
export async function checkIn(ctx: AppContext, actor: Actor, meetingId: string, token: string) {
  const m = await loadMeeting(ctx, actor, meetingId);
  const a = Buffer.from(token);
  const b = Buffer.from(m.checkin_token);
  if (a.length !== b.length || !crypto.timingSafeEqual(a, b)) throw new AppError('FORBIDDEN', { reason: 'bad_checkin_token' });
  if (!meetingEditable(m.status, 'attendance')) throw new AppError('WRONG_STATE', { status: m.status });
  const added = await ctx.db.transaction().execute(async (tx) => {
    const ok = await store.insertAttendance(tx, {
      districtCode: m.district_code,
      meetingId,
      memberId: null,
      userId: actor.userId,
      name: actor.displayName,
      seat: '',
      method: 'qr',
    });
    if (ok) await appendAudit(tx, auditEntry(actor, 'deliberation.meeting.checkin', 'delib_meeting', m.id, m.place_code));
    return ok;
  });
  return { checkedIn: true, already: !added, meeting: meetingSummary((await store.findMeeting(ctx.db, { all: true }, meetingId))!) };
}

export interface TaskInput {
  title: string;
  ownerName: string;
  dueDate: string;
}

export async function addResolution(
  ctx: AppContext,
  actor: Actor,
  meetingId: string,
  input: { agendaItemId?: string; text: string; decision: ResolutionDecision; tasks?: TaskInput[] },
) {
  const m = await loadMeeting(ctx, actor, meetingId);
  requireManage(actor, m.body_path);
  if (!meetingEditable(m.status, 'minutes')) throw new AppError('WRONG_STATE', { status: m.status });
  if (input.agendaItemId) {
    const items = await store.agendaOf(ctx.db, m.district_code, m.id);
    if (!items.some((i) => i.id === input.agendaItemId))
      throw new AppError('VALIDATION_FAILED', { reason: 'agenda_item_of_another_meeting' });
  }
  await ctx.db.transaction().execute(async (tx) => {
    const id = await store.insertResolution(tx, {
      districtCode: m.district_code,
      meetingId,
      agendaItemId: input.agendaItemId ?? null,
      text: input.text.trim(),
      decision: input.decision,
    });
    for (const t of input.tasks ?? []) await store.insertTask(tx, { districtCode: m.district_code, resolutionId: id, ...t });
    await appendAudit(
      tx,
      auditEntry(actor, 'deliberation.resolution.add', 'delib_resolution', id, m.place_code, {
        meetingId,
        tasks: input.tasks?.length ?? 0,
      }),
    );
  });
  return getMeeting(ctx, actor, meetingId);
}

export async function addTask(ctx: AppContext, actor: Actor, resolutionId: string, input: TaskInput) {
  requireRead(actor);
  const r = UUID.test(resolutionId) ? await store.findResolution(ctx.db, readScope(actor), resolutionId) : undefined;
  if (!r) throw new AppError('NOT_FOUND', { resolutionId });
  requireManage(actor, r.path);
  if (r.meeting_status !== 'held' && r.meeting_status !== 'published') throw new AppError('WRONG_STATE', { status: r.meeting_status });
  await ctx.db.transaction().execute(async (tx) => {
    const id = await store.insertTask(tx, { districtCode: r.district_code, resolutionId, ...input });
    await appendAudit(tx, auditEntry(actor, 'deliberation.task.add', 'delib_task', id, r.place_code, { resolutionId }));
  });
  return getMeeting(ctx, actor, r.meeting_id);
}

export async function completeTask(ctx: AppContext, actor: Actor, taskId: string, input: { version: number; note: string }) {
  requireRead(actor);
  const t = UUID.test(taskId) ? await store.findTask(ctx.db, readScope(actor), taskId) : undefined;
  if (!t) throw new AppError('NOT_FOUND', { taskId });
  requireManage(actor, t.path);
  if (t.status === 'done') throw new AppError('WRONG_STATE', { status: t.status });
  await ctx.db.transaction().execute(async (tx) => {
    if (!(await store.completeTask(tx, t.district_code, taskId, input.version, input.note.trim())))
      throw new AppError('VERSION_CONFLICT', { currentVersion: t.version });
    await appendAudit(tx, auditEntry(actor, 'deliberation.task.done', 'delib_task', taskId, t.place_code));
  });
  return getMeeting(ctx, actor, t.meeting_id);
}
