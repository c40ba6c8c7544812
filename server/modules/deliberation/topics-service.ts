import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../../core/audit.ts';
import type { TopicStatus } from '../../db/types.ts';
import { auditEntry, readScope, requireManage, requireParticipate, resolvePlace, UUID } from './common.ts';
import { meetingEditable, topicMayMove, topicTakesSupport, triageTarget, type Triage } from './rules.ts';
import * as store from './topics-store.ts';
import * as events from '../events/service.ts';
import * as meetings from './meetings-store.ts';

/**
 * 居民说事: a resident raises a topic from a phone; neighbours in the same community support it;
 * a worker triages it into an agenda item, an event, or a reply; the resident sees the outcome.
 */

export function topicView(r: store.TopicRow) {
  return {
    id: r.id,
    communityCode: r.community_code,
    communityName: r.community_name ?? '',
    placeCode: r.place_code,
    title: r.title,
    body: r.body,
    raisedByName: r.raised_by_name,
    status: r.status,
    reply: r.reply,
    eventRef: r.event_ref,
    eventId: r.event_id,
    meeting: r.meeting_id
      ? {
          id: r.meeting_id,
          title: r.meeting_title ?? '',
          scheduledAt: r.meeting_at?.toISOString() ?? null,
          status: r.meeting_status ?? null,
        }
      : null,
    supportCount: r.support_count,
    supportedByMe: r.supported_by_me,
    photoCount: r.photo_count,
    triagedByName: r.triaged_by_name,
    triagedAt: r.triaged_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
    version: r.version,
  };
}
export type TopicView = ReturnType<typeof topicView>;

async function load(ctx: AppContext, actor: Actor, id: string) {
  if (!UUID.test(id)) throw new AppError('NOT_FOUND', { id });
  const r = await store.findTopic(ctx.db, readScope(actor), actor.userId, id);
  if (!r) throw new AppError('NOT_FOUND', { id });
  return r;
}

export async function getTopic(ctx: AppContext, actor: Actor, id: string) {
  return topicView(await load(ctx, actor, id));
}

export async function listTopics(
  ctx: AppContext,
  actor: Actor,
  f: { placeCode?: string; status?: TopicStatus; mine?: boolean; order?: 'new' | 'support' },
  limit: number,
) {
  const placePath = f.placeCode ? (await resolvePlace(ctx.db, f.placeCode)).path : undefined;
  const rows = await store.listTopics(ctx.db, readScope(actor), actor.userId, { ...f, placePath }, limit);
  return rows.map(topicView);
}

const PHOTO_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp']);
const MAX_PHOTO_BYTES = 300 * 1024;

export interface RaiseInput {
  placeCode: string;
  title: string;
  body: string;
  photos?: { contentType: string; dataBase64: string }[];
  clientKey?: string;
}

export async function raiseTopic(ctx: AppContext, actor: Actor, input: RaiseInput) {
  const place = await resolvePlace(ctx.db, input.placeCode);
  requireParticipate(actor, place.path);
  const title = input.title.trim();
  const body = input.body.trim();
  if (!title || !body) throw new AppError('VALIDATION_FAILED', { problems: [{ field: title ? 'body' : 'title', reason: '不能为空' }] });
  const photos = (input.photos ?? []).map((p, i) => {
    const data = Buffer.from(p.dataBase64, 'base64');
    if (!PHOTO_TYPES.has(p.contentType) || data.length === 0 || data.length > MAX_PHOTO_BYTES)
      throw new AppError('VALIDATION_FAILED', { problems: [{ field: `photos/${i}`, reason: '照片须为 JPEG/PNG/WebP，不超过 300KB' }] });
    return { contentType: p.contentType, data };
  });
  if (input.clientKey) {
    const again = await store.topicByClientKey(ctx.db, place.districtCode, actor.userId, input.clientKey);
    if (again) return { topic: await getTopic(ctx, actor, again.id), created: false };
  }
  const id = await ctx.db.transaction().execute(async (tx) => {
    const topicId = await store.insertTopic(tx, {
      districtCode: place.districtCode,
      communityCode: place.communityCode,
      placeCode: place.code,
      path: place.path,
      title,
      body,
      raisedBy: actor.userId,
      raisedByName: actor.displayName,
      clientKey: input.clientKey ?? null,
    });
    for (const [i, p] of photos.entries()) await store.insertPhoto(tx, place.districtCode, topicId, i + 1, p.contentType, p.data);
    // Raising a topic is supporting it.
    await store.setSupport(tx, place.districtCode, topicId, actor.userId, true);
    await appendAudit(tx, auditEntry(actor, 'deliberation.topic.raise', 'delib_topic', topicId, place.code, { photos: photos.length }));
    return topicId;
  });
  return { topic: await getTopic(ctx, actor, id), created: true };
}

export async function supportTopic(ctx: AppContext, actor: Actor, id: string, on: boolean) {
  const t = await load(ctx, actor, id);
  requireParticipate(actor, t.path);
  if (!topicTakesSupport(t.status)) throw new AppError('WRONG_STATE', { status: t.status });
  await ctx.db.transaction().execute(async (tx) => {
    await store.setSupport(tx, t.district_code, id, actor.userId, on);
    await appendAudit(
      tx,
      auditEntry(actor, on ? 'deliberation.topic.support' : 'deliberation.topic.unsupport', 'delib_topic', id, t.place_code),
    );
  });
  return getTopic(ctx, actor, id);
}

export interface TriageInput {
  version: number;
  action: Triage;
  reply?: string;
  meetingId?: string;
  eventRef?: string;
  /** To event: file it in the events module under this category (the topic keeps the event's number). */
  categoryCode?: string;
}

export async function triageTopic(ctx: AppContext, actor: Actor, id: string, input: TriageInput) {
  const t = await load(ctx, actor, id);
  requireManage(actor, t.path);
  const to = triageTarget(input.action);
  if (!topicMayMove(t.status, to)) throw new AppError('WRONG_STATE', { status: t.status, to });
  const reply = input.reply?.trim() || null;
  if (input.action === 'reply' && !reply)
    throw new AppError('VALIDATION_FAILED', { problems: [{ field: 'reply', reason: '请填写答复内容' }] });
  let meeting: Awaited<ReturnType<typeof meetings.findMeeting>> | undefined;
  if (input.action === 'agenda') {
    if (!input.meetingId || !UUID.test(input.meetingId))
      throw new AppError('VALIDATION_FAILED', { problems: [{ field: 'meetingId', reason: '请选择会议' }] });
    meeting = await meetings.findMeeting(ctx.db, actor.scope('deliberation.manage'), input.meetingId);
    if (!meeting) throw new AppError('NOT_FOUND', { meetingId: input.meetingId });
    if (meeting.district_code !== t.district_code || !t.path.startsWith(meeting.body_path))
      throw new AppError('VALIDATION_FAILED', { reason: 'meeting_of_another_place' });
    if (!meetingEditable(meeting.status, 'agenda')) throw new AppError('WRONG_STATE', { meetingStatus: meeting.status });
  }
  if (t.version !== input.version) throw new AppError('VERSION_CONFLICT', { currentVersion: t.version });
  let eventRef = input.action === 'event' ? (input.eventRef?.trim() ?? null) : t.event_ref;
  if (input.action === 'event' && input.categoryCode) {
    // Filed through the events service (its rules, deadlines, audit); a retry returns the same event.
    const filed = await events.report(ctx, actor, {
      categoryCode: input.categoryCode,
      title: t.title.slice(0, 100),
      description: `${t.body}\n（来自居民说事，${t.raised_by_name}提出）`,
      placeCode: t.place_code,
      source: 'web',
      idempotencyKey: `topic:${id}`,
    });
    eventRef = filed.event.number;
  }
  await ctx.db.transaction().execute(async (tx) => {
    const ok = await store.updateTopic(tx, t.district_code, id, input.version, {
      status: to,
      reply: reply ?? t.reply,
      event_ref: eventRef,
      meeting_id: meeting?.id ?? t.meeting_id,
      triaged_by_name: actor.displayName,
    });
    if (!ok) throw new AppError('VERSION_CONFLICT', { currentVersion: t.version });
    if (meeting) await meetings.insertAgendaItem(tx, t.district_code, meeting.id, t.title, id);
    await appendAudit(
      tx,
      auditEntry(actor, 'deliberation.topic.triage', 'delib_topic', id, t.place_code, { action: input.action, meetingId: meeting?.id }),
    );
  });
  return getTopic(ctx, actor, id);
}

export async function topicPhoto(ctx: AppContext, actor: Actor, id: string, seq: number) {
  const t = await load(ctx, actor, id);
  const p = await store.findPhoto(ctx.db, t.district_code, id, seq);
  if (!p) throw new AppError('NOT_FOUND', { id, seq });
  return p;
}
