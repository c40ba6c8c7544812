import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../../core/audit.ts';
import type { NoticeKind } from '../../db/types.ts';
import { auditEntry, canRead, readScope, requireManage, resolvePlace, UUID } from './common.ts';
import * as store from './board-store.ts';
import { resolutionsOf } from './meetings-store.ts';
import { optionsOf } from './votes-store.ts';

/**
 * Publicity (D3): conventions (公约) with versions and their adoption record, 四公开 notices, and
 * the public board of a community — readable without signing in, with nothing personal on it:
 * no resident, member or owner names, no house numbers, only outcomes and totals.
 */

function requireRead(actor: Actor) {
  if (!canRead(actor)) throw new AppError('FORBIDDEN', { permission: 'deliberation.read' });
}

function conventionView(c: Awaited<ReturnType<typeof store.listConventions>>[number]) {
  return {
    id: c.id,
    communityCode: c.community_code,
    title: c.title,
    currentVersion: c.current_version,
    text: c.text ?? '',
    adoptedOn: c.adopted_on,
    adoptedBy: c.adopted_by ?? '',
    version: c.version,
  };
}

export async function listConventions(ctx: AppContext, actor: Actor) {
  requireRead(actor);
  return (await store.listConventions(ctx.db, readScope(actor), null)).map(conventionView);
}

export async function getConvention(ctx: AppContext, actor: Actor, id: string) {
  requireRead(actor);
  const c = UUID.test(id) ? await store.findConvention(ctx.db, readScope(actor), id) : undefined;
  if (!c) throw new AppError('NOT_FOUND', { id });
  const versions = await store.versionsOf(ctx.db, c.district_code, c.id);
  return {
    ...conventionView(c),
    versions: versions.map((v) => ({
      versionNo: v.version_no,
      text: v.text,
      adoptedOn: v.adopted_on,
      adoptedBy: v.adopted_by,
      voteId: v.vote_id,
      meetingId: v.meeting_id,
    })),
  };
}

export interface AdoptionInput {
  text: string;
  adoptedOn: string;
  adoptedBy: string;
  voteId?: string;
  meetingId?: string;
}

export async function createConvention(ctx: AppContext, actor: Actor, input: AdoptionInput & { placeCode: string; title: string }) {
  const place = await resolvePlace(ctx.db, input.placeCode);
  requireManage(actor, place.path);
  const id = await ctx.db.transaction().execute(async (tx) => {
    const cid = await store.insertConvention(tx, {
      districtCode: place.districtCode,
      communityCode: place.communityCode,
      placeCode: place.code,
      path: place.path,
      title: input.title.trim(),
    });
    await store.addVersion(tx, {
      districtCode: place.districtCode,
      conventionId: cid,
      expectedVersion: 1,
      text: input.text.trim(),
      adoptedOn: input.adoptedOn,
      adoptedBy: input.adoptedBy.trim(),
      voteId: input.voteId ?? null,
      meetingId: input.meetingId ?? null,
    });
    await appendAudit(tx, auditEntry(actor, 'deliberation.convention.create', 'delib_convention', cid, place.code));
    return cid;
  });
  return getConvention(ctx, actor, id);
}

export async function reviseConvention(ctx: AppContext, actor: Actor, id: string, input: AdoptionInput & { version: number }) {
  requireRead(actor);
  const c = UUID.test(id) ? await store.findConvention(ctx.db, readScope(actor), id) : undefined;
  if (!c) throw new AppError('NOT_FOUND', { id });
  requireManage(actor, c.path);
  await ctx.db.transaction().execute(async (tx) => {
    const ok = await store.addVersion(tx, {
      districtCode: c.district_code,
      conventionId: id,
      expectedVersion: input.version,
      text: input.text.trim(),
      adoptedOn: input.adoptedOn,
      adoptedBy: input.adoptedBy.trim(),
      voteId: input.voteId ?? null,
      meetingId: input.meetingId ?? null,
    });
    if (!ok) throw new AppError('VERSION_CONFLICT', { currentVersion: c.version });
    await appendAudit(tx, auditEntry(actor, 'deliberation.convention.revise', 'delib_convention', id, c.place_code));
  });
  return getConvention(ctx, actor, id);
}

export async function publishNotice(
  ctx: AppContext,
  actor: Actor,
  input: { communityCode: string; kind: NoticeKind; title: string; body: string },
) {
  const place = await resolvePlace(ctx.db, input.communityCode);
  if (place.code.length !== 12)
    throw new AppError('INVALID_CODE', { communityCode: input.communityCode, expected: 'community (12 digits)' });
  requireManage(actor, place.path);
  const id = await ctx.db.transaction().execute(async (tx) => {
    const nid = await store.insertNotice(tx, {
      districtCode: place.districtCode,
      communityCode: place.code,
      path: place.path,
      kind: input.kind,
      title: input.title.trim(),
      body: input.body.trim(),
      by: actor.displayName,
    });
    await appendAudit(tx, auditEntry(actor, 'deliberation.notice.publish', 'delib_notice', nid, place.code, { kind: input.kind }));
    return nid;
  });
  return { id };
}

/** The public board of one community (no sign-in). */
export async function publicBoard(ctx: AppContext, communityCode: string) {
  const place = await resolvePlace(ctx.db, communityCode);
  if (place.code.length !== 12) throw new AppError('INVALID_CODE', { communityCode, expected: 'community (12 digits)' });
  const [conventions, meetings, votes, notices] = await Promise.all([
    store.listConventions(ctx.db, null, place.code),
    store.publishedMeetings(ctx.db, place.code, 20),
    store.closedVotes(ctx.db, place.code, 20),
    store.noticesOf(ctx.db, place.code, 30),
  ]);
  const meetingIds = meetings.map((m) => m.id);
  const [resolutions, progress] = await Promise.all([
    resolutionsOf(ctx.db, place.districtCode, meetingIds),
    store.taskProgress(ctx.db, place.districtCode, meetingIds),
  ]);
  const voteViews = await Promise.all(
    votes.map(async (v) => {
      const result = (v.result ?? {}) as Record<string, unknown>;
      let outcome: unknown = null;
      if (v.kind === 'owners' && result.owners) {
        const o = result.owners as Record<string, unknown>;
        outcome = {
          passed: o.passed,
          rule: o.rule,
          shares: o.shares,
          quorum: o.quorum,
          approval: o.approval,
          total: o.total,
          participating: o.participating,
        };
      } else if (result.selection) {
        const options = await optionsOf(ctx.db, v.district_code, v.id);
        const sel = result.selection as { counts: { optionId: string; votes: number; rank: number }[]; winners: string[] };
        const label = new Map(options.map((o) => [o.id, o.label]));
        outcome = {
          ballots: result.ballots,
          ranking: sel.counts.map((c) => ({
            label: label.get(c.optionId) ?? '',
            votes: c.votes,
            rank: c.rank,
            winner: sel.winners.includes(c.optionId),
          })),
        };
      }
      return { id: v.id, kind: v.kind, title: v.title, matter: v.matter, closedAt: v.closed_at?.toISOString() ?? null, outcome };
    }),
  );
  return {
    community: { code: place.code, name: place.name },
    conventions: conventions.map((c) => ({
      title: c.title,
      versionNo: c.current_version,
      text: c.text ?? '',
      adoptedOn: c.adopted_on,
      adoptedBy: c.adopted_by ?? '',
    })),
    meetings: meetings.map((m) => {
      const p = progress.find((x) => x.meeting_id === m.id);
      return {
        id: m.id,
        title: m.title,
        bodyName: m.body_name,
        bodyKind: m.body_kind,
        heldAt: m.scheduled_at.toISOString(),
        outcome: m.outcome,
        resolutions: resolutions.filter((r) => r.meeting_id === m.id).map((r) => ({ text: r.text, decision: r.decision })),
        tasks: { total: p?.total ?? 0, done: p?.done ?? 0 },
      };
    }),
    votes: voteViews,
    notices: notices.map((n) => ({ id: n.id, kind: n.kind, title: n.title, body: n.body, publishedAt: n.published_at.toISOString() })),
  };
}
