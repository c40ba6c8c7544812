import { sql, type Kysely, type Transaction } from 'kysely';
import type { BallotChoice, DB } from '../../db/types.ts';
import { auditValues, noteAudited, type AuditEntry } from '../../core/audit.ts';
import { counterGroups } from './tally.ts';

/**
 * SQL of the ballot path of owners' votes: freezing the roll with its electors when the vote
 * opens, and casting as one statement (the vote's state under a share lock, the caller's houses
 * from the electors' table, the counted person's one choice by primary key, the ballots by the
 * unique voter key). Nothing is read first and written after.
 */

export interface RollInput {
  houseCode: string;
  area: number | string | null;
  ownerIds: string[];
}

/**
 * Freezes the owners' roll, in batches (an estate may have tens of thousands of houses), with each
 * house's counted person, and the electors' table: every owner with their houses.
 */
export async function insertRoll(db: Kysely<DB>, districtCode: string, voteId: string, rows: RollInput[]) {
  const groups = counterGroups(
    rows.map((r) => ({ houseCode: r.houseCode, area: r.area == null ? null : String(r.area), ownerIds: r.ownerIds })),
  );
  const electors = new Map<string, { houses: string[]; grp: number }>();
  rows.forEach((r, i) => {
    for (const o of r.ownerIds) {
      const e = electors.get(o) ?? { houses: [], grp: groups[i] };
      e.houses.push(r.houseCode);
      electors.set(o, e);
    }
  });
  for (let i = 0; i < rows.length; i += 2000) {
    await db
      .insertInto('delib_vote_roll')
      .values(
        rows.slice(i, i + 2000).map((r, k) => ({
          district_code: districtCode,
          vote_id: voteId,
          house_code: r.houseCode,
          area: r.area,
          owner_ids: r.ownerIds,
          grp: r.ownerIds.length ? groups[i + k] : null,
        })),
      )
      .execute();
  }
  const list = [...electors];
  for (let i = 0; i < list.length; i += 2000) {
    await db
      .insertInto('delib_vote_elector')
      .values(
        list.slice(i, i + 2000).map(([personId, e]) => ({
          district_code: districtCode,
          vote_id: voteId,
          person_id: personId,
          house_codes: e.houses,
          grp: e.grp,
        })),
      )
      .execute();
  }
}

/** Records the counted persons' choices of ballots stored directly (the demo's seeded ballots). */
export async function recordGroupChoices(db: Kysely<DB>, districtCode: string, voteId: string) {
  await sql`
    insert into delib_vote_group_choice (district_code, vote_id, grp, choice)
    select distinct on (r.grp) b.district_code, b.vote_id, r.grp, b.choice
    from delib_ballot b
    join delib_vote_roll r on r.district_code = b.district_code and r.vote_id = b.vote_id and r.house_code = b.house_code
    where b.district_code = ${districtCode} and b.vote_id = ${voteId} and r.grp is not null and b.choice is not null
    order by r.grp, b.cast_at
    on conflict do nothing`.execute(db);
}

/** The houses of the roll an account's registry person owns: one primary-key lookup. */
export async function electorOfUser(db: Kysely<DB>, districtCode: string, voteId: string, userId: string) {
  return db
    .selectFrom('delib_vote_elector as e')
    .innerJoin('person as p', (j) => j.onRef('p.district_code', '=', 'e.district_code').onRef('p.id', '=', 'e.person_id'))
    .select(['e.house_codes', 'e.grp'])
    .where('e.district_code', '=', districtCode)
    .where('e.vote_id', '=', voteId)
    .where('p.user_id', '=', userId)
    .where('p.status', '=', 'active')
    .executeTakeFirst();
}

export interface CastOutcome {
  /** null: no such vote. */
  status: string | null;
  opensAt: Date | null;
  closesAt: Date | null;
  /** The caller's houses on the roll (null: not an owner there). */
  houses: string[] | null;
  /** The counted person's choice agrees (or was set now). */
  grouped: boolean;
  inserted: number;
}

/** SQLSTATE of `gz_refuse_if` (migration 0009_deliberation_cast_guard). */
export const REFUSED_SQLSTATE = 'GZ409';

/**
 * An owner's online ballot for all their houses, in one statement that is all or nothing on its
 * own (one round trip, no transaction needed). Ballots go in only while the vote is open (read
 * under a key-share lock, which the close's FOR UPDATE waits for, so the close cannot count around
 * it), only for the caller's houses, and only when the counted person has no other choice yet; the
 * primary key of delib_vote_group_choice serialises co-owners. When the counted person's choice
 * went in but not every house's ballot did (a co-owner's ballot is already there), the statement
 * fails with REFUSED_SQLSTATE and writes nothing.
 */
export async function castOwnersBallot(
  tx: Kysely<DB>,
  a: { districtCode: string; voteId: string; userId: string; choice: BallotChoice; receipt: string; now: Date; audit: AuditEntry },
): Promise<CastOutcome> {
  const au = auditValues(a.audit);
  const r = await sql<{
    status: string | null;
    opens_at: Date | null;
    closes_at: Date | null;
    houses: string[] | null;
    grouped: number;
    inserted: number;
    audited: number;
  }>`
    with v as (
      select status, opens_at, closes_at from delib_vote
      where district_code = ${a.districtCode} and id = ${a.voteId} for key share
    ), me as (
      -- The caller's registry person first (by user_id), then the elector by primary key: a
      -- plan that does not depend on the tables' statistics (fresh after the vote opened).
      select e.house_codes, e.grp from delib_vote_elector e
      where e.district_code = ${a.districtCode} and e.vote_id = ${a.voteId}
        and e.person_id = any (array(select p.id from person p where p.user_id = ${a.userId} and p.status = 'active'))
      limit 1
    ), go as (
      select me.house_codes, me.grp from me, v
      where v.status = 'open' and v.opens_at <= ${a.now} and v.closes_at > ${a.now}
    ), g as (
      insert into delib_vote_group_choice (district_code, vote_id, grp, choice)
      select ${a.districtCode}, ${a.voteId}, go.grp, ${a.choice} from go
      on conflict (district_code, vote_id, grp) do update set choice = excluded.choice
        where delib_vote_group_choice.choice = excluded.choice
      returning grp
    ), b as (
      insert into delib_ballot (district_code, vote_id, voter_key, house_code, voter_user_id, channel, choice, receipt)
      select ${a.districtCode}, ${a.voteId}, 'house:' || h, h, ${a.userId}, 'online', ${a.choice}, ${a.receipt}
      from go cross join g cross join unnest(go.house_codes) as h
      on conflict do nothing
      returning 1
    ), a as (
      -- The audit row (who voted and for how many houses, never how), only when every house went in.
      insert into audit_log (at, actor_id, actor_name, action, outcome, target_type, target_id, place_code, ip, details)
      select ${au.at}, ${au.actor_id}, ${au.actor_name}, ${au.action}, ${au.outcome}, ${au.target_type}, ${au.target_id},
        ${au.place_code}, ${au.ip}, ${au.details}::jsonb || jsonb_build_object('houses', cardinality(go.house_codes))
      from go where (select count(*) from b) = cardinality(go.house_codes)
      returning 1
    ), whole as (
      select gz_refuse_if(exists (select 1 from g) and (select count(*) from b) < cardinality(go.house_codes), 'ballot_refused') as ok
      from go
    )
    select (select count(*) from whole)::int as checked, (select count(*) from a)::int as audited, (select status from v) as status, (select opens_at from v) as opens_at, (select closes_at from v) as closes_at,
      (select house_codes from me) as houses, (select count(*) from g)::int as grouped, (select count(*) from b)::int as inserted`.execute(
    tx,
  );
  const row = r.rows[0];
  noteAudited(row.audited);
  return {
    status: row.status,
    opensAt: row.opens_at ? new Date(row.opens_at) : null,
    closesAt: row.closes_at ? new Date(row.closes_at) : null,
    houses: row.houses,
    grouped: row.grouped > 0,
    inserted: row.inserted,
  };
}

/** A paper ballot for one house: the counted person's choice and the ballot in one statement. */
export async function enterPaperBallot(
  tx: Transaction<DB>,
  a: {
    districtCode: string;
    voteId: string;
    houseCode: string;
    grp: number | null;
    choice: BallotChoice;
    receipt: string;
    enteredBy: string;
  },
): Promise<{ grouped: boolean; inserted: boolean }> {
  const r = await sql<{ grouped: number; inserted: number }>`
    with g as (
      insert into delib_vote_group_choice (district_code, vote_id, grp, choice)
      select ${a.districtCode}, ${a.voteId}, ${a.grp}::int, ${a.choice} where ${a.grp}::int is not null
      on conflict (district_code, vote_id, grp) do update set choice = excluded.choice
        where delib_vote_group_choice.choice = excluded.choice
      returning grp
    ), b as (
      insert into delib_ballot (district_code, vote_id, voter_key, house_code, channel, choice, receipt, entered_by_name)
      select ${a.districtCode}, ${a.voteId}, ${'house:' + a.houseCode}, ${a.houseCode}, 'paper', ${a.choice}, ${a.receipt}, ${a.enteredBy}
      where ${a.grp}::int is null or exists (select 1 from g)
      on conflict do nothing
      returning 1
    )
    select (select count(*) from g)::int as grouped, (select count(*) from b)::int as inserted`.execute(tx);
  const row = r.rows[0];
  return { grouped: a.grp == null || row.grouped > 0, inserted: row.inserted > 0 };
}
