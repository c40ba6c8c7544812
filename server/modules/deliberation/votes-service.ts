import type { Kysely } from 'kysely';
import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../../core/audit.ts';
import type { DB, VoteKind, VoteStatus } from '../../db/types.ts';
import { ownersOf } from '../registry/service.ts';
import {
  auditEntry,
  canRead,
  mayManage,
  participateScope,
  pathsCover,
  readScope,
  requireManage,
  resolvePlace,
  personOfUser,
  UUID,
} from './common.ts';
import { isMatter, MATTERS, tallyOwnersVote, tallySelection, type Matter, type TallyResult } from './tally.ts';
import * as store from './votes-store.ts';
import * as ballots from './ballots-store.ts';

/**
 * Votes (D2): selections such as the 十佳公约 (one ballot per resident, 1..n options), and owners'
 * decisions on common parts counted under Civil Code Art. 278 (one ballot per house, online or
 * from paper, over the owners' roll frozen when the vote opens). How anyone voted is never
 * shown before the close; a secret vote shows only totals afterwards.
 */

export function ownersResultView(r: TallyResult) {
  return {
    matter: r.matter,
    rule: r.rule,
    total: { area: r.total.areaCenti / 100, headcount: r.total.headcount, houses: r.total.houses },
    participating: { area: r.participating.areaCenti / 100, headcount: r.participating.headcount, houses: r.participating.houses },
    agree: { area: r.agree.areaCenti / 100, headcount: r.agree.headcount },
    disagree: { area: r.disagree.areaCenti / 100, headcount: r.disagree.headcount },
    abstain: { area: r.abstain.areaCenti / 100, headcount: r.abstain.headcount },
    quorum: r.quorum,
    approval: r.approval,
    passed: r.passed,
    shares: r.shares,
    housesWithoutOwner: r.housesWithoutOwner,
    problems: r.problems.length,
  };
}
export type OwnersResult = ReturnType<typeof ownersResultView>;

function summary(v: store.VoteRow, now: Date) {
  const effective: VoteStatus = v.status === 'open' && now >= v.closes_at ? 'closed' : v.status;
  return {
    id: v.id,
    communityCode: v.community_code,
    communityName: v.community_name ?? '',
    placeCode: v.place_code,
    kind: v.kind,
    title: v.title,
    description: v.description,
    matter: v.matter,
    matterName: v.matter && isMatter(v.matter) ? MATTERS[v.matter].zh : null,
    rule: v.matter ? (v.matter >= 6 && v.matter <= 8 ? 'three_quarters' : 'more_than_half') : null,
    maxChoices: v.max_choices,
    winners: v.winners,
    secret: v.secret,
    status: effective,
    opensAt: v.opens_at.toISOString(),
    closesAt: v.closes_at.toISOString(),
    closedAt: v.closed_at?.toISOString() ?? null,
    createdByName: v.created_by_name,
    version: v.version,
  };
}

export function requireRead(actor: Actor) {
  if (!canRead(actor)) throw new AppError('FORBIDDEN', { permission: 'deliberation.read' });
}

export async function loadVote(ctx: AppContext, actor: Actor, id: string) {
  requireRead(actor);
  const v = UUID.test(id) ? await store.findVote(ctx.db, readScope(actor), id) : undefined;
  if (!v) throw new AppError('NOT_FOUND', { id });
  return v;
}

/** The count of a vote from what is stored; `blind` hides choices (live participation). */
async function count(db: Kysely<DB>, v: store.VoteRow, blind: boolean) {
  const ballots = await store.ballotsOf(db, v.district_code, v.id);
  if (v.kind === 'owners') {
    const roll = await store.rollOf(db, v.district_code, v.id);
    const r = tallyOwnersVote(
      v.matter as Matter,
      roll,
      ballots.map((b) => ({ houseCode: b.house_code!, choice: blind ? 'abstain' : b.choice! })),
    );
    return { kind: 'owners' as const, owners: ownersResultView(r), ballots: ballots.length };
  }
  const options = await store.optionsOf(db, v.district_code, v.id);
  const r = tallySelection(
    options.map((o) => o.id),
    ballots.map((b) => b.option_ids ?? []),
    v.winners,
  );
  return { kind: 'selection' as const, selection: r, ballots: ballots.length };
}

/** Closes a vote whose window has ended and stores its count, once (the row lock decides who). */
async function finalize(ctx: AppContext, actor: Actor | null, v: store.VoteRow) {
  await ctx.db.transaction().execute(async (tx) => {
    const locked = await store.lockVote(tx, v.district_code, v.id, 'close');
    if (locked.status !== 'open') return;
    const result = await count(tx, v, false);
    await store.updateVote(tx, v.district_code, v.id, locked.version, {
      status: 'closed',
      closed_at: new Date(),
      result: JSON.stringify(result),
    });
    await appendAudit(tx, {
      actorId: actor?.userId ?? null,
      actorName: actor?.username ?? 'system',
      action: 'deliberation.vote.close',
      targetType: 'delib_vote',
      targetId: v.id,
      placeCode: v.place_code,
      ip: actor?.ip ?? null,
      details: result.kind === 'owners' ? { passed: result.owners.passed } : { ballots: result.ballots },
    });
  });
}

export async function listVotes(ctx: AppContext, actor: Actor, f: { status?: VoteStatus; kind?: VoteKind }, limit: number) {
  requireRead(actor);
  const now = new Date();
  const rows = await store.listVotes(ctx.db, readScope(actor), f, limit);
  return Promise.all(
    rows.map(async (v) => ({
      ...summary(v, now),
      voted: (await store.ballotsOfUser(ctx.db, v.district_code, v.id, actor.userId)).length > 0,
    })),
  );
}

/** Whether and for which houses this account may vote (owners' votes: one lookup in the electors' table). */
export async function eligibility(ctx: AppContext, actor: Actor, v: store.VoteRow) {
  const none = { houses: [] as string[] };
  if (!actor.can('deliberation.participate')) return { eligible: false, reason: 'not_a_resident', ...none };
  if (v.kind === 'owners') {
    const me = await ballots.electorOfUser(ctx.db, v.district_code, v.id, actor.userId);
    if (!me) return { eligible: false, reason: 'not_an_owner', ...none };
    return { eligible: true, reason: null, houses: me.house_codes };
  }
  const me = await personOfUser(ctx.db, actor.userId);
  const scope = participateScope(actor);
  const inCommunity = scope.all || pathsCover(scope.territoryPaths, v.path);
  // A selection narrower than the community (a building, a grid) is for those who live there.
  const community = v.place_code.length === 12;
  const livesThere = me ? me.path === v.path || me.path.startsWith(v.path + '.') : false;
  const ok = inCommunity && (community || livesThere);
  return { eligible: ok, reason: ok ? null : 'outside_place', ...none };
}

export async function getVote(ctx: AppContext, actor: Actor, id: string) {
  let v = await loadVote(ctx, actor, id);
  const now = new Date();
  if (v.status === 'open' && now >= v.closes_at) {
    await finalize(ctx, null, v);
    v = (await store.findVote(ctx.db, { all: true }, id))!;
  }
  const [options, mine, elig] = await Promise.all([
    store.optionsOf(ctx.db, v.district_code, v.id),
    store.ballotsOfUser(ctx.db, v.district_code, v.id, actor.userId),
    eligibility(ctx, actor, v),
  ]);
  // Ballots of my houses cast by a co-owner or entered from paper also answer "have I voted?".
  const byHouse = await store.housesWithBallots(ctx.db, v.district_code, v.id, elig.houses);
  const live = v.status === 'open' ? await count(ctx.db, v, true) : null;
  return {
    ...summary(v, now),
    options: options.map((o) => ({ id: o.id, label: o.label, detail: o.detail })),
    me: {
      eligible: elig.eligible,
      reason: elig.reason,
      houses: elig.houses,
      voted: mine.length > 0 || (elig.houses.length > 0 && byHouse.length === elig.houses.length),
      receipt: mine[0]?.receipt ?? null,
      castAt: mine[0]?.cast_at.toISOString() ?? null,
    },
    canManage: mayManage(actor, v.path),
    live:
      live && live.kind === 'owners'
        ? {
            ballots: live.ballots,
            participating: live.owners.participating,
            total: live.owners.total,
            quorum: live.owners.quorum,
            shares: live.owners.shares,
          }
        : live
          ? { ballots: live.ballots }
          : null,
    result: v.status === 'closed' ? (v.result as Record<string, unknown>) : null,
  };
}

export interface CreateVoteInput {
  placeCode: string;
  kind: VoteKind;
  title: string;
  description?: string;
  matter?: number;
  options?: { label: string; detail?: string }[];
  maxChoices?: number;
  winners?: number;
  secret?: boolean;
  opensAt: string;
  closesAt: string;
}

export async function createVote(ctx: AppContext, actor: Actor, input: CreateVoteInput) {
  const place = await resolvePlace(ctx.db, input.placeCode);
  requireManage(actor, place.path);
  const problems: { field: string; reason: string }[] = [];
  const opensAt = new Date(input.opensAt);
  const closesAt = new Date(input.closesAt);
  if (Number.isNaN(opensAt.getTime()) || Number.isNaN(closesAt.getTime()) || closesAt <= opensAt)
    problems.push({ field: 'closesAt', reason: '截止时间须晚于开始时间' });
  if (input.kind === 'owners' && !(input.matter !== undefined && isMatter(input.matter)))
    problems.push({ field: 'matter', reason: '业主表决须选择《民法典》第二百七十八条第一款的事项（1–9）' });
  const options = (input.options ?? []).map((o) => ({ label: o.label.trim(), detail: o.detail?.trim() ?? '' })).filter((o) => o.label);
  if (input.kind === 'selection' && options.length < 2) problems.push({ field: 'options', reason: '至少两个候选项' });
  const maxChoices = input.maxChoices ?? 1;
  if (input.kind === 'selection' && maxChoices > options.length)
    problems.push({ field: 'maxChoices', reason: '可选数量不能超过候选项数量' });
  if (problems.length) throw new AppError('VALIDATION_FAILED', { problems });
  const id = await ctx.db.transaction().execute(async (tx) => {
    const voteId = await store.insertVote(tx, {
      districtCode: place.districtCode,
      communityCode: place.communityCode,
      placeCode: place.code,
      path: place.path,
      kind: input.kind,
      title: input.title.trim(),
      description: input.description?.trim() ?? '',
      matter: input.kind === 'owners' ? input.matter! : null,
      maxChoices: input.kind === 'owners' ? 1 : maxChoices,
      winners: input.kind === 'owners' ? 1 : (input.winners ?? 1),
      secret: input.secret ?? false,
      opensAt,
      closesAt,
      createdByName: actor.displayName,
    });
    if (input.kind === 'selection') await store.insertOptions(tx, place.districtCode, voteId, options);
    await appendAudit(
      tx,
      auditEntry(actor, 'deliberation.vote.create', 'delib_vote', voteId, place.code, { kind: input.kind, matter: input.matter }),
    );
    return voteId;
  });
  return getVote(ctx, actor, id);
}

/** Opening freezes the owners' roll from the registry: every house with its area and current owners. */
export async function openVote(ctx: AppContext, actor: Actor, id: string, version: number) {
  const v = await loadVote(ctx, actor, id);
  requireManage(actor, v.path);
  if (v.status !== 'draft') throw new AppError('WRONG_STATE', { status: v.status });
  const roll = v.kind === 'owners' ? await ownersOf(ctx.db, actor, v.path) : [];
  if (v.kind === 'owners' && !roll.some((h) => h.ownerIds.length > 0))
    throw new AppError('VALIDATION_FAILED', { reason: 'no_owners_registered', placeCode: v.place_code });
  await ctx.db.transaction().execute(async (tx) => {
    if (!(await store.updateVote(tx, v.district_code, v.id, version, { status: 'open', opened_at: new Date() })))
      throw new AppError('VERSION_CONFLICT', { currentVersion: v.version });
    if (v.kind === 'owners') await ballots.insertRoll(tx, v.district_code, v.id, roll);
    await appendAudit(tx, auditEntry(actor, 'deliberation.vote.open', 'delib_vote', v.id, v.place_code, { houses: roll.length }));
  });
  return getVote(ctx, actor, id);
}

export async function closeVote(ctx: AppContext, actor: Actor, id: string, version: number) {
  const v = await loadVote(ctx, actor, id);
  requireManage(actor, v.path);
  if (v.status !== 'open') throw new AppError('WRONG_STATE', { status: v.status });
  if (v.version !== version) throw new AppError('VERSION_CONFLICT', { currentVersion: v.version });
  await finalize(ctx, actor, v);
  return getVote(ctx, actor, id);
}
