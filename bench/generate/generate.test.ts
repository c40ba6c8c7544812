import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestContext, ENGINES, type TestContext } from '../../server/test/harness.ts';
import { parseIdNumber } from '../../server/modules/registry/id-number.ts';
import { revealPerson, searchPersons } from '../../server/modules/registry/service.ts';
import { actorOf } from '../lib/actor.ts';
import { postgresGenDb, pgliteGenDb, type GenDb } from './bulk.ts';
import { CENSUS_BANDS } from './census.ts';
import { DEFAULT_AS_OF, checksums, generate, type GenerateReport } from './index.ts';
import { tallyOwnersVote, type Choice, type Matter } from '../../server/modules/deliberation/tally.ts';

/**
 * The generator on the demo-seeded test database: deterministic (same seed, same checksums and
 * the same ID numbers behind the ciphertext), valid (every ID number passes GB 11643, every
 * code resolves, every person lives in a house of their community), and written exactly as the
 * registry writes people: the registry service finds them by name, initials and ID number, and
 * reveals the number.
 */

const RESIDENTS = 3000;
const WORKERS = 40;
const BALLOTS = 700;

function genDb(tc: TestContext): Promise<GenDb> | GenDb {
  return tc.database.pglite ? pgliteGenDb(tc.database.pglite) : postgresGenDb(tc.ctx.config.databaseUrl!);
}

async function run(tc: TestContext, seed: number): Promise<{ report: GenerateReport; sums: Record<string, string>; ids: string[] }> {
  const db = await genDb(tc);
  try {
    const report = await generate(db, tc.ctx.keyring, {
      seed,
      sizes: { residents: RESIDENTS, workers: WORKERS, ballots: BALLOTS },
      districtCode: '330212',
      asOf: DEFAULT_AS_OF,
      rebuildIndexes: true,
    });
    const sums = await checksums(db, report.communities);
    const rows = await db.query<{ id_enc: string }>(`select id_enc from person where community_code = any($1) order by id`, [
      report.communities,
    ]);
    return { report, sums, ids: rows.map((r) => tc.ctx.keyring.decrypt(r.id_enc)) };
  } finally {
    if (db.kind === 'postgres') await db.close();
  }
}

describe.each(ENGINES)('bench generate (%s)', (engine) => {
  let a: TestContext;
  let b: TestContext;
  let first: Awaited<ReturnType<typeof run>>;

  beforeAll(async () => {
    a = await createTestContext(engine);
    b = await createTestContext(engine);
    first = await run(a, 7);
  }, 240_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('is deterministic: the same seed gives the same rows, another seed other rows', { timeout: 180_000 }, async () => {
    const again = await run(b, 7);
    expect(again.sums).toEqual(first.sums);
    expect(again.ids).toEqual(first.ids);
    expect(again.report.communities).toEqual(first.report.communities);
    expect(first.report.rows.person).toBe(RESIDENTS);
    expect(first.report.rows.worker).toBe(WORKERS);
    expect(first.report.rows.delib_ballot).toBe(BALLOTS);
    // The workers' and votes' tables are covered by the checksums, and not trivially.
    for (const t of [
      'worker',
      'worker_post',
      'worker_certificate',
      'worker_appraisal',
      'wf_community',
      'delib_vote',
      'delib_vote_roll',
      'delib_ballot',
    ])
      expect(Number(first.sums[t].split(':')[0]), t).toBeGreaterThan(0);
    // Another seed into the same database (it takes other communities: the first ones have places now).
    const db = await genDb(b);
    try {
      const other = await generate(db, b.ctx.keyring, {
        seed: 8,
        sizes: { residents: RESIDENTS },
        districtCode: '330212',
        asOf: DEFAULT_AS_OF,
        rebuildIndexes: false,
      });
      expect(other.communities.some((c) => first.report.communities.includes(c))).toBe(false);
      expect(Object.values(await checksums(db, other.communities))).not.toEqual(Object.values(first.sums));
    } finally {
      if (db.kind === 'postgres') await db.close();
    }
  });

  it('writes valid ID numbers, codes that resolve and people in houses of their community', async () => {
    const people = await sql<{
      id_enc: string;
      gender: string;
      birth_date: string;
      community_code: string;
      house_code: string;
      path: string;
      house_path: string | null;
    }>`
      select p.id_enc, p.gender, to_char(p.birth_date, 'YYYY-MM-DD') as birth_date, p.community_code, p.house_code, p.path::text as path, h.path::text as house_path
        from person p left join house h on h.district_code = p.district_code and h.code = p.house_code
       where p.community_code = any(${first.report.communities})`.execute(a.ctx.db);
    expect(people.rows).toHaveLength(RESIDENTS);
    const seen = new Set<string>();
    for (const p of people.rows) {
      const n = a.ctx.keyring.decrypt(p.id_enc);
      const parsed = parseIdNumber(n, { today: DEFAULT_AS_OF });
      expect(parsed.ok, n).toBe(true);
      if (parsed.ok) {
        expect(parsed.value.birthDate).toBe(p.birth_date);
        expect(parsed.value.gender).toBe(p.gender);
      }
      seen.add(n);
      expect(p.house_code.slice(0, 12)).toBe(p.community_code);
      expect(p.path).toBe(p.house_path);
    }
    expect(seen.size).toBe(RESIDENTS);
    // Every generated community and street is a real division of 鄞州区; every grid hangs under one.
    const unresolved = await sql<{ n: number }>`
      select count(*)::int as n from grid g left join division c on c.code = g.community_code and c.level = 'community'
       where g.community_code = any(${first.report.communities}) and (c.code is null or c.parent_code not like '330212%')`.execute(
      a.ctx.db,
    );
    expect(unresolved.rows[0].n).toBe(0);
    // Owners and tenants both occur; every rented house with a household has a non-resident owner or none.
    const relations = await sql<{ relation: string; resides: boolean; n: number }>`
      select relation, resides, count(*)::int as n from person_house where substr(house_code, 1, 12) = any(${first.report.communities}) group by 1, 2`.execute(
      a.ctx.db,
    );
    const rel = (r: string, resides: boolean) => relations.rows.find((x) => x.relation === r && x.resides === resides)?.n ?? 0;
    expect(rel('owner', true)).toBeGreaterThan(0);
    expect(rel('owner', false)).toBeGreaterThan(0);
    expect(rel('tenant', true)).toBeGreaterThan(0);
    expect(rel('family', true)).toBeGreaterThan(0);
  });

  it('follows the census age pyramid in its broad bands', async () => {
    const r = await sql<{ u15: number; o60: number }>`
      select 100.0 * count(*) filter (where birth_date > ${DEFAULT_AS_OF}::date - interval '15 years') / count(*) as u15,
             100.0 * count(*) filter (where birth_date <= ${DEFAULT_AS_OF}::date - interval '60 years') / count(*) as o60
        from person where community_code = any(${first.report.communities})`.execute(a.ctx.db);
    const { u15, o60 } = r.rows[0];
    expect(Math.abs(Number(u15) - CENSUS_BANDS.under15)).toBeLessThan(4.5);
    expect(Math.abs(Number(o60) - CENSUS_BANDS.from60)).toBeLessThan(4.5);
  });

  it('writes people the registry service finds by name, initials and ID number, and reveals', async () => {
    const actor = await actorOf(a.ctx, 'yinzhou');
    const [target] = (
      await sql<{ id: string; name: string; name_initials: string; id_enc: string }>`
        select id, name, name_initials, id_enc from person where community_code = any(${first.report.communities}) order by id limit 1`.execute(
        a.ctx.db,
      )
    ).rows;
    const number = a.ctx.keyring.decrypt(target.id_enc);
    const byId = await searchPersons(a.ctx, actor, { q: number });
    expect(byId.items.map((p) => p.id)).toEqual([target.id]);
    expect(byId.items[0].idMasked).toBe(`${number.slice(0, 6)}********${number.slice(14)}`);

    const collect = async (q: string) => {
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await searchPersons(a.ctx, actor, { q, limit: 100, cursor });
        ids.push(...page.items.map((p) => p.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return ids;
    };
    expect(await collect(target.name)).toContain(target.id);
    expect(await collect(target.name_initials)).toContain(target.id);

    const shown = await revealPerson(a.ctx, actor, target.id, '核对身份');
    expect(shown.idNumber).toBe(number);
    // A community worker of another community does not find them.
    const other = await actorOf(a.ctx, 'jiangcheng');
    expect((await searchPersons(a.ctx, other, { q: number })).items).toEqual([]);
  });

  it('writes workers who are generated residents of working age, one dual head per community', async () => {
    const workers = await sql<{
      community_code: string;
      person_community: string | null;
      age: number;
      post: string | null;
      work_start: string;
    }>`
      select w.community_code, p.community_code as person_community,
             extract(year from age(${DEFAULT_AS_OF}::date, p.birth_date))::int as age, wp.post, to_char(w.work_start, 'YYYY-MM-DD') as work_start
        from worker w
        left join person p on p.district_code = w.district_code and p.id = w.person_id
        left join worker_post wp on wp.district_code = w.district_code and wp.worker_id = w.id and wp.end_on is null
       where w.community_code = any(${first.report.communities})`.execute(a.ctx.db);
    expect(workers.rows).toHaveLength(WORKERS);
    for (const w of workers.rows) {
      expect(w.person_community && first.report.communities.includes(w.person_community)).toBe(true);
      expect(w.age).toBeGreaterThanOrEqual(23);
      expect(w.age).toBeLessThanOrEqual(58);
      expect(w.post).not.toBeNull();
      expect(w.work_start <= DEFAULT_AS_OF).toBe(true);
    }
    const heads = new Map<string, number>();
    for (const w of workers.rows) if (w.post === 'dual_head') heads.set(w.community_code, (heads.get(w.community_code) ?? 0) + 1);
    expect([...new Set(workers.rows.map((w) => w.community_code))].sort()).toEqual([...heads.keys()].sort());
    expect([...heads.values()].every((n) => n === 1)).toBe(true);
  });

  it('writes ballots of owners on the frozen roll that the tally accepts without a problem', async () => {
    const votes = await sql<{ id: string; matter: number }>`
      select id, matter from delib_vote where community_code = any(${first.report.communities}) and created_by_name = 'cli:bench-generate' order by id`.execute(
      a.ctx.db,
    );
    expect(votes.rows.length).toBeGreaterThan(0);
    let ballots = 0;
    for (const v of votes.rows) {
      const roll = (
        await sql<{ house_code: string; area: string | null; owner_ids: string[] }>`
          select house_code, area::text as area, owner_ids::text[] as owner_ids from delib_vote_roll where vote_id = ${v.id} order by house_code`.execute(
          a.ctx.db,
        )
      ).rows;
      const cast = (
        await sql<{ house_code: string; choice: Choice; voter_key: string }>`
          select house_code, choice, voter_key from delib_ballot where vote_id = ${v.id}`.execute(a.ctx.db)
      ).rows;
      ballots += cast.length;
      const onRoll = new Map(roll.map((h) => [h.house_code, h]));
      for (const b of cast) {
        expect(b.voter_key).toBe(`house:${b.house_code}`);
        expect(onRoll.get(b.house_code)?.owner_ids.length).toBeGreaterThan(0);
      }
      const r = tallyOwnersVote(
        v.matter as Matter,
        roll.map((h) => ({ houseCode: h.house_code, area: h.area, ownerIds: h.owner_ids })),
        cast.map((b) => ({ houseCode: b.house_code, choice: b.choice })),
      );
      expect(r.problems, `vote ${v.id}`).toEqual([]);
      expect(r.participating.houses).toBe(cast.length);
    }
    expect(ballots).toBe(BALLOTS);
  });
});
