import { sql, type Kysely } from 'kysely';
import { runStatements } from '../sql-script.ts';

/**
 * The electors' table of an owners' vote (业主名册 by person), built when the vote opens so that
 * casting a ballot is one indexed lookup: each owner on the frozen roll with the houses they own
 * and the counted person (SPC building-ownership interpretation: co-owners count once, an owner
 * of several houses counts once) those houses belong to. `delib_vote_group_choice` holds the one
 * choice of each counted person: a ballot upserts it and may only go on when the choice agrees,
 * so "one person, one choice" is kept by a primary key instead of read-then-write under locks.
 * Votes already open are back-filled from their roll.
 * Forward-only: never edit this file once it has landed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    -- The counted person a house belongs to (null for a house without an owner).
    alter table delib_vote_roll add column grp int;

    create table delib_vote_elector (
      district_code char(6) not null,
      vote_id uuid not null,
      person_id uuid not null,
      house_codes text[] not null,
      grp int not null,
      primary key (district_code, vote_id, person_id),
      foreign key (district_code, vote_id) references delib_vote (district_code, id) on delete cascade
    );

    create table delib_vote_group_choice (
      district_code char(6) not null,
      vote_id uuid not null,
      grp int not null,
      choice text not null check (choice in ('agree','disagree','abstain')),
      primary key (district_code, vote_id, grp),
      foreign key (district_code, vote_id) references delib_vote (district_code, id) on delete cascade
    );
    `,
  );
  await backfill(db);
}

interface RollRow {
  district_code: string;
  vote_id: string;
  house_code: string;
  owner_ids: string[];
}

/** Counted persons of the roll of every open owners' vote (union-find over shared owners). */
async function backfill(db: Kysely<unknown>) {
  const rows = (
    await sql<RollRow>`
      select r.district_code, r.vote_id, r.house_code, r.owner_ids::text[] as owner_ids
      from delib_vote_roll r join delib_vote v on v.district_code = r.district_code and v.id = r.vote_id
      where v.status = 'open' order by r.vote_id, r.house_code`.execute(db)
  ).rows;
  const byVote = new Map<string, RollRow[]>();
  for (const r of rows) byVote.set(r.vote_id, [...(byVote.get(r.vote_id) ?? []), r]);
  for (const [voteId, roll] of byVote) {
    const parent = roll.map((_, i) => i);
    const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x])));
    const first = new Map<string, number>();
    roll.forEach((h, i) =>
      h.owner_ids.forEach((o) => {
        const seen = first.get(o);
        if (seen === undefined) first.set(o, i);
        else parent[find(i)] = find(seen);
      }),
    );
    const district = roll[0].district_code;
    const houses = new Map<string, { codes: string[]; grp: number }>();
    for (const [i, h] of roll.entries()) {
      if (!h.owner_ids.length) continue;
      const grp = find(i);
      await sql`update delib_vote_roll set grp = ${grp} where district_code = ${district} and vote_id = ${voteId} and house_code = ${h.house_code}`.execute(
        db,
      );
      for (const o of h.owner_ids) {
        const e = houses.get(o) ?? { codes: [], grp };
        e.codes.push(h.house_code);
        houses.set(o, e);
      }
    }
    for (const [personId, e] of houses)
      await sql`insert into delib_vote_elector (district_code, vote_id, person_id, house_codes, grp)
                values (${district}, ${voteId}, ${personId}, ${e.codes}, ${e.grp})`.execute(db);
    const cast = await sql<{ grp: number; choice: string }>`
      select distinct on (r.grp) r.grp, b.choice from delib_ballot b
      join delib_vote_roll r on r.district_code = b.district_code and r.vote_id = b.vote_id and r.house_code = b.house_code
      where b.district_code = ${district} and b.vote_id = ${voteId} and r.grp is not null and b.choice is not null
      order by r.grp, b.cast_at`.execute(db);
    for (const c of cast.rows)
      await sql`insert into delib_vote_group_choice (district_code, vote_id, grp, choice)
                values (${district}, ${voteId}, ${c.grp}, ${c.choice})`.execute(db);
  }
}
