import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestContext, ENGINES, type TestContext } from '../../server/test/harness.ts';
import { eventStats } from '../../server/modules/events/measures.ts';
import { postgresGenDb, pgliteGenDb, type GenDb } from './bulk.ts';
import { DEFAULT_AS_OF, checksums, generate, type GenerateReport } from './index.ts';

/**
 * The events generator (`--events N`): deterministic (same seed, same event rows), a plausible
 * 721 split and durations, and rows the measures read as the app's own (closed events have a
 * closing level, open ones a clock).
 */

const RESIDENTS = 2000;
const EVENTS = 6000;

function genDb(tc: TestContext): Promise<GenDb> | GenDb {
  return tc.database.pglite ? pgliteGenDb(tc.database.pglite) : postgresGenDb(tc.ctx.config.databaseUrl!);
}

async function run(tc: TestContext, seed: number): Promise<{ report: GenerateReport; sums: Record<string, string> }> {
  const db = await genDb(tc);
  try {
    const report = await generate(db, tc.ctx.keyring, {
      seed,
      sizes: { residents: RESIDENTS, events: EVENTS },
      districtCode: '330212',
      asOf: DEFAULT_AS_OF,
      rebuildIndexes: true,
      vacuum: false,
    });
    return { report, sums: await checksums(db, report.communities) };
  } finally {
    if (db.kind === 'postgres') await db.close();
  }
}

describe.each(ENGINES)('bench generate --events (%s)', (engine) => {
  let a: TestContext;
  let b: TestContext;
  let first: Awaited<ReturnType<typeof run>>;

  beforeAll(async () => {
    a = await createTestContext(engine);
    b = await createTestContext(engine);
    first = await run(a, 7);
  }, 300_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('is deterministic: the same seed gives the same events', { timeout: 300_000 }, async () => {
    const again = await run(b, 7);
    expect(first.report.rows.event).toBe(EVENTS);
    expect(again.sums.event).toEqual(first.sums.event);
    expect(first.sums.event.startsWith(`${EVENTS}:`)).toBe(true);
  });

  it('closes most events, about 70/20/10 at grid/community/street, with plausible durations', async () => {
    const r = await sql<{
      closed: number;
      grid: number;
      community: number;
      street: number;
      open_without_clock: number;
      closed_inconsistent: number;
      median_close_h: number;
      first: string;
      last: string;
    }>`select count(*) filter (where closed_at is not null)::int as closed,
        count(*) filter (where closed_level = 'grid')::int as grid,
        count(*) filter (where closed_level = 'community')::int as community,
        count(*) filter (where closed_level = 'street')::int as street,
        count(*) filter (where closed_at is null and (stage is null or due_at is null))::int as open_without_clock,
        count(*) filter (where closed_at is not null and (state not in ('closed', 'evaluated') or closed_at < reported_at
          or accepted_at is null or accepted_at > closed_at))::int as closed_inconsistent,
        (percentile_cont(0.5) within group (order by extract(epoch from closed_at - reported_at) / 3600))::float as median_close_h,
        min(reported_at)::text as first, max(reported_at)::text as last
      from event where substr(place_code, 1, 12) = any(${first.report.communities})`.execute(a.ctx.db);
    const x = r.rows[0];
    expect(x.closed / EVENTS).toBeGreaterThan(0.9);
    expect(x.grid / x.closed).toBeGreaterThan(0.55);
    expect(x.grid / x.closed).toBeLessThan(0.75);
    expect(x.community / x.closed).toBeGreaterThan(0.15);
    expect(x.street / x.closed).toBeGreaterThan(0.07);
    expect(x.open_without_clock).toBe(0);
    expect(x.closed_inconsistent).toBe(0);
    expect(x.median_close_h).toBeGreaterThan(10);
    expect(x.median_close_h).toBeLessThan(100);
    expect(new Date(x.last).getTime()).toBeLessThan(Date.parse(`${DEFAULT_AS_OF}T00:00:00+08:00`));
  });

  it('the measures of a generated community count exactly its generated events', async () => {
    const community = first.report.communities[0];
    const path = (
      await a.ctx.db
        .selectFrom('division')
        .select(sql<string>`path::text`.as('path'))
        .where('code', '=', community)
        .executeTakeFirstOrThrow()
    ).path;
    const s = await eventStats(a.ctx.db, {
      scopePath: path,
      scopeLevelDepth: path.split('.').length,
      from: new Date('2020-01-01'),
      to: new Date('2026-01-01'),
    });
    const n = await a.ctx.db
      .selectFrom('event')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('place_code', 'like', `${community}%`)
      .where('state', '<>', 'merged')
      .executeTakeFirstOrThrow();
    expect(s.total).toBe(n.n);
    expect(s.total).toBeGreaterThan(0);
    expect(s.byArea.reduce((k, x) => k + x.count, 0)).toBe(s.total);
  });
});
