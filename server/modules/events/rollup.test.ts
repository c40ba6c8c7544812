import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestContext, ENGINES, type TestContext } from '../../test/harness.ts';
import { eventStats, eventStatsRaw, type StatsQuery } from './measures.ts';
import { foldAll, foldRollup, rebuildRollup } from './rollup.ts';

/**
 * The rollup (D41) against the reference computation over the rows: random histories of
 * changes written straight to `event` (any code path goes through the same triggers), folded
 * partly, wholly or not at all, then random scopes and periods (whole days or not).
 */

function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: T[]): T => xs[Math.floor(next() * xs.length)],
    chance: (p: number) => next() < p,
  };
}
type Rng = ReturnType<typeof rng>;

const HOUR = 3_600_000;
const LEVELS = ['grid', 'community', 'street'];

describe.each(ENGINES)('event measures rollup on %s', (engine) => {
  let t: TestContext;
  let scopes: string[];
  let grids: { code: string; path: string }[];
  let orgs: string[];
  let cats: string[];
  let copies = 0;

  beforeAll(async () => {
    t = await createTestContext(engine);
    const db = t.ctx.db;
    scopes = (
      await sql<{ p: string }>`select path::text as p from division where path <@ '330000.330200.330212'::ltree order by 1`.execute(db)
    ).rows.map((r) => r.p);
    grids = (
      await sql<{
        code: string;
        path: string;
      }>`select code, path::text as path from grid where district_code = '330212' order by code`.execute(db)
    ).rows;
    orgs = (
      await sql<{ id: string }>`select id from org where district_code = '330212' and kind = 'department' order by id`.execute(db)
    ).rows.map((r) => r.id);
    cats = (await sql<{ code: string }>`select code from event_category where parent_code is not null order by code`.execute(db)).rows.map(
      (r) => r.code,
    );
  }, 120_000);
  afterAll(async () => t?.close());

  const ids = async (r: Rng, k: number, where = sql`true`) => {
    const all = (
      await sql<{ id: string }>`select id from event where district_code = '330212' and ${where} order by id`.execute(t.ctx.db)
    ).rows.map((x) => x.id);
    return Array.from({ length: Math.min(k, all.length) }, () => r.pick(all));
  };

  /** One random change to a few events, as the app or an operator could make it. */
  async function mutate(r: Rng) {
    const db = t.ctx.db;
    const kind = r.int(0, 12);
    const some = [...new Set(await ids(r, r.int(1, 6)))];
    const at = (h: number) => sql`reported_at + ${`${h} hours`}::interval`;
    switch (kind) {
      case 0: // close
        for (const id of some)
          await sql`update event set state = 'closed', closed_at = ${at(r.int(1, 300))}, closed_level = ${r.pick(LEVELS)},
            closed_on_time = ${r.chance(0.8)}, overdue = false where id = ${id}`.execute(db);
        return;
      case 1: // evaluate
        for (const id of some)
          await sql`update event set state = 'evaluated', satisfaction = ${r.int(1, 5)}, closed_at = coalesce(closed_at, ${at(5)}),
            closed_level = coalesce(closed_level, 'grid') where id = ${id}`.execute(db);
        return;
      case 2: // reopen
        await sql`update event set state = 'handling', closed_at = null, closed_level = null, closed_on_time = null, satisfaction = null
          where id = any(${some}::uuid[])`.execute(db);
        return;
      case 3: // deadline marks, supervision, a note-only change
        await sql`update event set overdue = not overdue, warned = true where id = any(${some}::uuid[])`.execute(db);
        await sql`update event set supervised_count = supervised_count + 1, updated_at = now() where id = ${some[0]}`.execute(db);
        await sql`update event set description = description || '.' where id = any(${some}::uuid[])`.execute(db);
        return;
      case 4: // whistle, respond
        for (const id of some)
          await sql`update event set state = 'whistled', whistled = true, whistled_at = ${at(r.int(1, 30))}, lead_org_id = ${r.pick(orgs)}::uuid,
            responded_at = ${r.chance(0.6) ? at(r.int(31, 90)) : null} where id = ${id}`.execute(db);
        return;
      case 5: // accept or un-accept
        for (const id of some)
          await sql`update event set accepted_at = ${r.chance(0.7) ? at(r.int(0, 9)) : null} where id = ${id}`.execute(db);
        return;
      case 6: // moved to another grid
        for (const id of some) {
          const g = r.pick(grids);
          await sql`update event set place_code = ${g.code}, place_path = ${g.path}::ltree where id = ${id}`.execute(db);
        }
        return;
      case 7: // recategorised
        for (const id of some) await sql`update event set category_code = ${r.pick(cats)} where id = ${id}`.execute(db);
        return;
      case 8: // reported earlier or later (across midnights)
        for (const id of some) await sql`update event set reported_at = ${at(r.int(-60, 60))} where id = ${id}`.execute(db);
        return;
      case 9: // merged as a duplicate, or back
        await sql`update event set state = case when state = 'merged' then 'handling' else 'merged' end where id = any(${some}::uuid[])`.execute(
          db,
        );
        return;
      case 10: {
        // new events in one statement (as a group commit files them)
        const n = r.int(1, 8);
        const src = some.slice(0, n);
        copies += src.length;
        await sql`insert into event (district_code, number, category_code, title, source, state, level, origin_level, place_code, place_path,
            lead_org_id, overdue, supervised_count, satisfaction, reported_at, accepted_at, whistled_at, responded_at, closed_at, closed_level,
            closed_on_time, external_ref)
          select district_code, number || '-c' || ${copies} || '-' || row_number() over (), category_code, title, source, state, level, origin_level,
            place_code, place_path, lead_org_id, overdue, supervised_count, satisfaction, reported_at + ${`${r.int(-30, 30)} hours`}::interval,
            accepted_at, whistled_at, responded_at, closed_at, closed_level, closed_on_time, 'copy-' || number || '-' || ${copies} || '-' || row_number() over ()
          from event where id = any(${src}::uuid[])`.execute(db);
        return;
      }
      case 11: {
        // copies deleted again (nothing refers to them)
        const gone = await ids(r, r.int(1, 3), sql`external_ref like 'copy-%'`);
        await sql`delete from event where id = any(${gone}::uuid[])`.execute(db);
        return;
      }
      default: // a part of the pending deltas folded
        await foldRollup(db, r.int(1, 40));
    }
  }

  function period(r: Rng): { from: Date; to: Date } {
    const base = Date.parse('2025-06-01T00:00:00+08:00') + r.int(-400, 400) * 24 * HOUR;
    const from = r.chance(0.5) ? base : base + r.int(0, 24 * HOUR - 1);
    const len = r.pick([r.int(1, 23) * HOUR + r.int(0, HOUR), r.int(1, 40) * 24 * HOUR, r.int(30, 900) * 24 * HOUR]);
    const to = r.chance(0.5) ? from + len : from + len + r.int(0, 24 * HOUR - 1);
    return { from: new Date(from), to: new Date(to) };
  }

  async function compare(r: Rng, times: number) {
    for (let i = 0; i < times; i++) {
      const path = r.chance(0.15) ? r.pick(grids).path : r.pick(scopes);
      const { from, to } = period(r);
      const q: StatsQuery = { scopePath: path, scopeLevelDepth: path.split('.').length, from, to };
      const [a, b] = [await eventStats(t.ctx.db, q), await eventStatsRaw(t.ctx.db, q)];
      expect(a, JSON.stringify(q)).toEqual(b);
    }
  }

  it('equals the raw computation with every event still pending, then folded', async () => {
    const r = rng(1);
    const wide: StatsQuery = {
      scopePath: '330000.330200.330212',
      scopeLevelDepth: 3,
      from: new Date('2020-01-01'),
      to: new Date('2030-01-01'),
    };
    const raw = await eventStatsRaw(t.ctx.db, wide);
    expect(raw.total).toBeGreaterThan(100);
    expect(await eventStats(t.ctx.db, wide)).toEqual(raw);
    await compare(r, 6);
    expect(await foldAll(t.ctx.db)).toBeGreaterThan(100);
    const pending = (await sql<{ n: number }>`select count(*)::int as n from event_rollup_delta`.execute(t.ctx.db)).rows[0].n;
    expect(pending).toBe(0);
    expect(await eventStats(t.ctx.db, wide)).toEqual(raw);
    await compare(r, 10);
  }, 240_000);

  it('equals the raw computation through random histories, folded or not', async () => {
    for (const seed of [7, 8, 9]) {
      const r = rng(seed);
      for (let step = 0; step < 25; step++) {
        await mutate(r);
        if (step % 5 === 4) await compare(r, 3);
      }
      if (r.chance(0.5)) {
        // In pages of a few deltas: every delta committed before the call is folded.
        await foldAll(t.ctx.db, r.int(1, 30));
        const left = (await sql<{ n: number }>`select count(*)::int as n from event_rollup_delta`.execute(t.ctx.db)).rows[0].n;
        expect(left).toBe(0);
      }
      await compare(r, 4);
    }
  }, 600_000);

  it('a rebuild from the rows gives the same answers', async () => {
    const r = rng(42);
    for (let step = 0; step < 10; step++) await mutate(r);
    const rebuilt = await rebuildRollup(t.ctx.db);
    const rows = (await sql<{ n: number }>`select count(*)::int as n from event where state <> 'merged'`.execute(t.ctx.db)).rows[0].n;
    expect(rebuilt.events).toBe(rows);
    await compare(r, 8);
  }, 240_000);
});
