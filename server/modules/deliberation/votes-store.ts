import { sql, type Kysely, type Transaction } from 'kysely';
import type { BallotChoice, DB, VoteKind, VoteStatus } from '../../db/types.ts';
import type { Scope } from '../../core/permissions.ts';
import { inTerritoryScope } from '../../core/scope-sql.ts';

/** SQL for votes, their options, the frozen owners' roll and ballots. */

function voteSelect(db: Kysely<DB>, scope: Scope) {
  return db
    .selectFrom('delib_vote as v')
    .select([
      'v.district_code',
      'v.id',
      'v.community_code',
      'v.place_code',
      sql<string>`v.path::text`.as('path'),
      'v.kind',
      'v.title',
      'v.description',
      'v.matter',
      'v.max_choices',
      'v.winners',
      'v.secret',
      'v.status',
      'v.opens_at',
      'v.closes_at',
      'v.opened_at',
      'v.closed_at',
      'v.result',
      'v.created_by_name',
      'v.version',
      sql<string>`(select d.name from division d where d.code = v.community_code)`.as('community_name'),
    ])
    .where(inTerritoryScope(scope, 'v.path'));
}

export type VoteRow = NonNullable<Awaited<ReturnType<typeof findVote>>>;

export async function findVote(db: Kysely<DB>, scope: Scope, id: string) {
  return voteSelect(db, scope).where('v.id', '=', id).executeTakeFirst();
}

export async function listVotes(db: Kysely<DB>, scope: Scope, f: { status?: VoteStatus; kind?: VoteKind }, limit: number) {
  let q = voteSelect(db, scope);
  if (f.status) q = q.where('v.status', '=', f.status);
  if (f.kind) q = q.where('v.kind', '=', f.kind);
  return q.orderBy('v.opens_at', 'desc').limit(limit).execute();
}

/**
 * Ballots take the vote row in share mode (many at once), the close takes it exclusively: a
 * ballot never lands after the count, and casts do not queue behind each other.
 */
export async function lockVote(tx: Transaction<DB>, districtCode: string, id: string, mode: 'cast' | 'close') {
  const q = tx
    .selectFrom('delib_vote')
    .select(['status', 'opens_at', 'closes_at', 'version'])
    .where('district_code', '=', districtCode)
    .where('id', '=', id);
  return (mode === 'close' ? q.forUpdate() : q.forKeyShare()).executeTakeFirstOrThrow();
}

export async function insertVote(
  db: Kysely<DB>,
  r: {
    districtCode: string;
    communityCode: string;
    placeCode: string;
    path: string;
    kind: VoteKind;
    title: string;
    description: string;
    matter: number | null;
    maxChoices: number;
    winners: number;
    secret: boolean;
    opensAt: Date;
    closesAt: Date;
    createdByName: string;
  },
) {
  const row = await db
    .insertInto('delib_vote')
    .values({
      district_code: r.districtCode,
      community_code: r.communityCode,
      place_code: r.placeCode,
      path: r.path,
      kind: r.kind,
      title: r.title,
      description: r.description,
      matter: r.matter,
      max_choices: r.maxChoices,
      winners: r.winners,
      secret: r.secret,
      opens_at: r.opensAt,
      closes_at: r.closesAt,
      created_by_name: r.createdByName,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertOptions(db: Kysely<DB>, districtCode: string, voteId: string, options: { label: string; detail: string }[]) {
  if (!options.length) return [];
  const rows = await db
    .insertInto('delib_vote_option')
    .values(options.map((o, i) => ({ district_code: districtCode, vote_id: voteId, seq: i + 1, label: o.label, detail: o.detail })))
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

export async function optionsOf(db: Kysely<DB>, districtCode: string, voteId: string) {
  return db
    .selectFrom('delib_vote_option')
    .select(['id', 'seq', 'label', 'detail'])
    .where('district_code', '=', districtCode)
    .where('vote_id', '=', voteId)
    .orderBy('seq')
    .execute();
}

export async function updateVote(
  db: Kysely<DB>,
  districtCode: string,
  id: string,
  version: number,
  patch: Partial<{ status: VoteStatus; opened_at: Date; closed_at: Date; result: string }>,
) {
  const r = await db
    .updateTable('delib_vote')
    .set({ ...patch, updated_at: new Date(), version: sql<number>`version + 1` })
    .where('district_code', '=', districtCode)
    .where('id', '=', id)
    .where('version', '=', version)
    .returning('id')
    .executeTakeFirst();
  return r !== undefined;
}

export async function rollOf(db: Kysely<DB>, districtCode: string, voteId: string) {
  const rows = await db
    .selectFrom('delib_vote_roll')
    .select(['house_code', sql<string | null>`area::text`.as('area'), sql<string[]>`owner_ids::text[]`.as('owner_ids')])
    .where('district_code', '=', districtCode)
    .where('vote_id', '=', voteId)
    .execute();
  return rows.map((r) => ({ houseCode: r.house_code, area: r.area, ownerIds: r.owner_ids }));
}

export async function findRollHouse(db: Kysely<DB>, districtCode: string, voteId: string, houseCode: string) {
  return db
    .selectFrom('delib_vote_roll')
    .select(['house_code', 'grp'])
    .where('district_code', '=', districtCode)
    .where('vote_id', '=', voteId)
    .where('house_code', '=', houseCode)
    .executeTakeFirst();
}

export async function ballotsOf(db: Kysely<DB>, districtCode: string, voteId: string) {
  return db
    .selectFrom('delib_ballot')
    .select(['house_code', 'choice', sql<string[] | null>`option_ids::text[]`.as('option_ids'), 'channel', 'cast_at'])
    .where('district_code', '=', districtCode)
    .where('vote_id', '=', voteId)
    .orderBy('cast_at')
    .execute();
}

export async function ballotsOfUser(db: Kysely<DB>, districtCode: string, voteId: string, userId: string) {
  return db
    .selectFrom('delib_ballot')
    .select(['house_code', 'receipt', 'cast_at', 'channel'])
    .where('district_code', '=', districtCode)
    .where('vote_id', '=', voteId)
    .where('voter_user_id', '=', userId)
    .orderBy('house_code')
    .execute();
}

export async function housesWithBallots(db: Kysely<DB>, districtCode: string, voteId: string, houseCodes: string[]) {
  if (!houseCodes.length) return [];
  const rows = await db
    .selectFrom('delib_ballot')
    .select(['house_code', 'receipt', 'cast_at', 'voter_user_id'])
    .where('district_code', '=', districtCode)
    .where('vote_id', '=', voteId)
    .where('house_code', 'in', houseCodes)
    .execute();
  return rows;
}

/** One row per house or per resident; false when that voter already has a ballot. */
export async function insertBallot(
  db: Kysely<DB>,
  r: {
    districtCode: string;
    voteId: string;
    voterKey: string;
    houseCode: string | null;
    userId: string | null;
    channel: 'online' | 'paper';
    choice: BallotChoice | null;
    optionIds: string[] | null;
    receipt: string;
    enteredByName: string | null;
  },
) {
  const row = await db
    .insertInto('delib_ballot')
    .values({
      district_code: r.districtCode,
      vote_id: r.voteId,
      voter_key: r.voterKey,
      house_code: r.houseCode,
      voter_user_id: r.userId,
      channel: r.channel,
      choice: r.choice,
      option_ids: r.optionIds,
      receipt: r.receipt,
      entered_by_name: r.enteredByName,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}
