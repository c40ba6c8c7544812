import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../../core/audit.ts';
import type { BallotChoice, VoteStatus } from '../../db/types.ts';
import { auditEntry, pathsCover, readScope, receiptCode, requireManage, UUID } from './common.ts';
import { checkSelection, voteTakesBallots } from './rules.ts';
import * as store from './votes-store.ts';
import * as ballots from './ballots-store.ts';
import { eligibility, loadVote, requireRead } from './votes-service.ts';

/**
 * Taking ballots (D2): a resident's own ballot online (an owners' ballot covers every house of
 * theirs on the roll), a paper ballot entered by a worker, and the list of who voted. Creating,
 * opening, closing and counting votes live in votes-service.ts.
 */

export interface CastInput {
  choice?: BallotChoice;
  optionIds?: string[];
}

/** What never changes about a vote once created, remembered per context: the cast path reads no vote row first. */
const factsCache = new WeakMap<AppContext, Map<string, store.VoteRow>>();

async function voteFacts(ctx: AppContext, actor: Actor, id: string) {
  requireRead(actor);
  let cache = factsCache.get(ctx);
  if (!cache) factsCache.set(ctx, (cache = new Map()));
  let v = cache.get(id);
  if (!v) {
    v = UUID.test(id) ? await store.findVote(ctx.db, { all: true }, id) : undefined;
    if (!v) throw new AppError('NOT_FOUND', { id });
    if (cache.size >= 1000) cache.clear();
    cache.set(id, v);
  }
  const scope = readScope(actor);
  if (!scope.all && !pathsCover(scope.territoryPaths, v.path)) throw new AppError('NOT_FOUND', { id });
  return v;
}

/** Why a ballot of this counted person was refused: one of these houses voted already, or another house of theirs chose otherwise. */
async function refusal(ctx: AppContext, v: store.VoteRow, houses: string[]) {
  const taken = await store.housesWithBallots(ctx.db, v.district_code, v.id, houses);
  if (taken.length) return new AppError('ALREADY_VOTED', { houses: taken.map((t) => t.house_code) });
  return new AppError('BALLOT_CONFLICT', { houses });
}

/** A resident's own ballot: for an owners' vote it covers every house of theirs on the roll. */
export async function castBallot(ctx: AppContext, actor: Actor, id: string, input: CastInput) {
  const v = await voteFacts(ctx, actor, id);
  if (!actor.can('deliberation.participate')) throw new AppError('NOT_ELIGIBLE', { reason: 'not_a_resident' });
  if (v.kind === 'owners') {
    if (!input.choice) throw new AppError('VALIDATION_FAILED', { problems: [{ field: 'choice', reason: '请选择同意、反对或弃权' }] });
    return castOwners(ctx, actor, v, input.choice);
  }
  const elig = await eligibility(ctx, actor, v);
  if (!elig.eligible) throw new AppError('NOT_ELIGIBLE', { reason: elig.reason });
  const options = (await store.optionsOf(ctx.db, v.district_code, v.id)).map((o) => o.id);
  const bad = checkSelection(options, input.optionIds ?? [], v.max_choices);
  if (bad) throw new AppError('VALIDATION_FAILED', { reason: bad, maxChoices: v.max_choices });
  const receipt = receiptCode();
  await ctx.db.transaction().execute(async (tx) => {
    const locked = await store.lockVote(tx, v.district_code, v.id, 'cast');
    const state = voteTakesBallots(locked.status, locked.opens_at, locked.closes_at, new Date());
    if (state !== 'ok') throw new AppError('VOTE_NOT_OPEN', { state });
    const ok = await store.insertBallot(tx, {
      districtCode: v.district_code,
      voteId: v.id,
      voterKey: `user:${actor.userId}`,
      houseCode: null,
      userId: actor.userId,
      channel: 'online',
      choice: null,
      optionIds: input.optionIds!,
      receipt,
      enteredByName: null,
    });
    if (!ok) throw new AppError('ALREADY_VOTED');
    // The audit records that this account voted, never how.
    await appendAudit(tx, auditEntry(actor, 'deliberation.vote.cast', 'delib_vote', v.id, v.place_code, { houses: 0 }));
  });
  return { receipt, castAt: new Date().toISOString(), houses: [] as string[] };
}

/**
 * An owners' ballot: one statement checks the window, finds the caller's houses in the electors'
 * table and inserts a ballot per house and the audit row (see ballots-store.ts); it is all or
 * nothing by itself, so it runs without a transaction around it (one round trip per cast).
 */
async function castOwners(ctx: AppContext, actor: Actor, v: store.VoteRow, choice: BallotChoice) {
  const receipt = receiptCode();
  const now = new Date();
  let r: ballots.CastOutcome;
  try {
    r = await ballots.castOwnersBallot(ctx.db, {
      districtCode: v.district_code,
      voteId: v.id,
      userId: actor.userId,
      choice,
      receipt,
      now,
      // The audit records that this account voted (and for how many houses), never how.
      audit: auditEntry(actor, 'deliberation.vote.cast', 'delib_vote', v.id, v.place_code),
    });
  } catch (e) {
    // Some of the houses have a ballot already (a co-owner's): the statement wrote nothing.
    if ((e as { code?: string }).code !== ballots.REFUSED_SQLSTATE) throw e;
    const me = await ballots.electorOfUser(ctx.db, v.district_code, v.id, actor.userId);
    throw await refusal(ctx, v, me?.house_codes ?? []);
  }
  if (r.status === null) throw new AppError('NOT_FOUND', { id: v.id });
  if (!r.houses?.length) throw new AppError('NOT_ELIGIBLE', { reason: 'not_an_owner' });
  const state = voteTakesBallots(r.status as VoteStatus, r.opensAt!, r.closesAt!, now);
  if (state !== 'ok') throw new AppError('VOTE_NOT_OPEN', { state });
  // The counted person chose otherwise on another house: nothing was written.
  if (!r.grouped || r.inserted < r.houses.length) throw await refusal(ctx, v, r.houses);
  return { receipt, castAt: now.toISOString(), houses: r.houses };
}

/** Internal: the paper ballot went in short, so the transaction rolls back and the reason is looked up after. */
class Refused extends Error {}

/** A paper ballot entered by a worker: one per house, for owners' votes. */
export async function enterPaperBallot(ctx: AppContext, actor: Actor, id: string, input: { houseCode: string; choice: BallotChoice }) {
  const v = await loadVote(ctx, actor, id);
  requireManage(actor, v.path);
  if (v.kind !== 'owners') throw new AppError('VALIDATION_FAILED', { reason: 'paper_ballots_are_for_owners_votes' });
  const house = await store.findRollHouse(ctx.db, v.district_code, v.id, input.houseCode);
  if (!house) throw new AppError('VALIDATION_FAILED', { reason: 'house_not_on_roll', houseCode: input.houseCode });
  const receipt = receiptCode();
  try {
    await ctx.db.transaction().execute(async (tx) => {
      const locked = await store.lockVote(tx, v.district_code, v.id, 'cast');
      const state = voteTakesBallots(locked.status, locked.opens_at, locked.closes_at, new Date());
      if (state !== 'ok') throw new AppError('VOTE_NOT_OPEN', { state });
      const r = await ballots.enterPaperBallot(tx, {
        districtCode: v.district_code,
        voteId: v.id,
        houseCode: input.houseCode,
        grp: house.grp,
        choice: input.choice,
        receipt,
        enteredBy: actor.displayName,
      });
      if (!r.grouped || !r.inserted) throw new Refused();
      await appendAudit(tx, auditEntry(actor, 'deliberation.vote.paper', 'delib_vote', v.id, v.place_code, { houseCode: input.houseCode }));
    });
  } catch (e) {
    if (e instanceof Refused) throw await refusal(ctx, v, [input.houseCode]);
    throw e;
  }
  return { receipt, houseCode: input.houseCode };
}

/**
 * Who voted (house, channel, time) for those who run the vote; how each house voted only after
 * the close and only for an open (non-secret) vote.
 */
export async function listBallots(ctx: AppContext, actor: Actor, id: string) {
  const v = await loadVote(ctx, actor, id);
  requireManage(actor, v.path);
  const showChoice = v.status === 'closed' && !v.secret && v.kind === 'owners';
  const rows = await store.ballotsOf(ctx.db, v.district_code, v.id);
  return rows.map((b) => ({
    houseCode: b.house_code,
    channel: b.channel,
    castAt: b.cast_at.toISOString(),
    choice: showChoice ? b.choice : null,
  }));
}
