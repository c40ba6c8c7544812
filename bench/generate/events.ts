import { DEFAULT_CATEGORIES } from '../../server/modules/events/categories.ts';
import { NUMBER_ALPHABET } from '../../server/modules/events/numbers.ts';
import type { Rng } from '../../server/modules/territory/prng.ts';
import type { TerritoryOutput } from './territory.ts';
import type { Cell } from './bulk.ts';
import type { GenContext, RecordGenerator } from './types.ts';

/**
 * Event history at scale (issue 4's `event-measures` budget: every measure over 10,000,000 events
 * of a district under 200 ms). `--events N` events filed at the generated houses over the
 * YEARS years before --as-of, with what a district's command centre actually sees:
 *
 * - when: weekdays busier than weekends, daytime hours (8–20 h) far busier than the night;
 * - what: the shipped leaf categories, 市容环境 and 民生诉求 the most frequent;
 * - where it closed (721): the grid 70 %, the community 20 %, the street 10 %, each with a
 *   category that may close there (a 劳资纠纷 always needs the street);
 * - how long: accepted after a log-normal delay (median ≈ 1.5 h), closed after a log-normal
 *   duration whose median grows with the level (grid ≈ 20 h, community ≈ 60 h, street ≈ 5 days);
 *   on time when within the category's limit; street events are mostly whistled to a department
 *   that responds within hours;
 * - now: events older than two weeks are almost all closed, ~60 % of closed ones evaluated
 *   (satisfaction skewed to 4–5); recent ones are spread over the open states.
 *
 * Only the `event` rows are written (the measures read nothing else); the timeline of each event
 * is not generated. Deterministic for a seed except `lead_org_id` (the demo's department ids are
 * random), which the checksum leaves out.
 */

export const YEARS = 3;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
type Level = 'grid' | 'community' | 'street';
const RANK: Record<Level, number> = { grid: 0, community: 1, street: 2 };

const COLUMNS = [
  'district_code',
  'id',
  'number',
  'category_code',
  'title',
  'source',
  'state',
  'level',
  'origin_level',
  'whistled',
  'place_code',
  'place_path',
  'lead_org_id',
  'stage',
  'due_at',
  'overdue',
  'ever_overdue',
  'satisfaction',
  'reported_at',
  'accepted_at',
  'whistled_at',
  'responded_at',
  'handled_at',
  'closed_at',
  'closed_level',
  'closed_on_time',
  'evaluated_at',
  'created_at',
  'updated_at',
];

/** Leaf categories with a weight (how often a district files them). */
const WEIGHTS: Record<string, number> = {
  env: 5,
  facility: 3,
  safety: 1.5,
  fire: 2,
  throwing: 0.7,
  dispute: 2,
  livelihood: 4,
  production: 0.8,
};
const LEAVES = DEFAULT_CATEGORIES.filter((c) => !DEFAULT_CATEGORIES.some((x) => x.parent === c.code)).map((c) => ({
  code: c.code,
  name: c.name,
  closing: (c.closingLevel ?? 'grid') as Level,
  handleDays: c.handleDays ?? 3,
  weight: WEIGHTS[c.parent ?? c.code] ?? 1,
}));
const FITTING = Object.fromEntries(
  (['grid', 'community', 'street'] as const).map((l) => {
    const leaves = LEAVES.filter((c) => RANK[c.closing] <= RANK[l]);
    return [l, { leaves, total: leaves.reduce((n, c) => n + c.weight, 0) }];
  }),
) as Record<Level, { leaves: typeof LEAVES; total: number }>;

/** A category that can close at this level (a 劳资纠纷 never closes in the grid), by weight. */
function pickCategory(rng: Rng, level: Level) {
  const fit = FITTING[level];
  let x = rng.next() * fit.total;
  for (const c of fit.leaves) if ((x -= c.weight) < 0) return c;
  return fit.leaves[fit.leaves.length - 1];
}

/** Log-normal with this median and spread (σ of the log), in ms. */
function logNormal(rng: Rng, medianMs: number, sigma: number): number {
  const u = Math.max(rng.next(), 1e-12);
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
  return medianMs * Math.exp(sigma * z);
}

const HOUR_WEIGHTS = [1, 0.5, 0.3, 0.3, 0.4, 0.8, 2, 4, 7, 9, 9, 8, 6, 7, 8, 8, 7, 6, 5, 4, 3, 2.5, 2, 1.5];
const HOUR_TOTAL = HOUR_WEIGHTS.reduce((a, b) => a + b, 0);

/** A moment in the period, weighted by weekday and hour of the day (Asia/Shanghai). */
function reportedAt(rng: Rng, start: number, days: number): number {
  for (;;) {
    const day = rng.int(0, days - 1);
    const weekday = new Date(start + day * DAY_MS + 8 * HOUR_MS).getUTCDay();
    if ((weekday === 0 || weekday === 6) && rng.chance(0.45)) continue;
    let x = rng.next() * HOUR_TOTAL;
    let hour = 0;
    while ((x -= HOUR_WEIGHTS[hour]) >= 0 && hour < 23) hour++;
    // Midnight in Shanghai is 16:00 UTC the day before.
    return start + day * DAY_MS - 8 * HOUR_MS + hour * HOUR_MS + rng.int(0, HOUR_MS - 1);
  }
}

const OPEN_BY_LEVEL: Record<Level, string[]> = {
  grid: ['reported', 'handling', 'handling', 'handled', 'verified'],
  community: ['escalated', 'handling', 'handling', 'handled'],
  street: ['escalated', 'whistled', 'responded', 'responded', 'handled'],
};

function eventNumber(at: number, n: number): string {
  const day = new Date(at + 8 * HOUR_MS).toISOString().slice(0, 10).replace(/-/g, '');
  let tail = '';
  for (let i = 0, x = n; i < 6; i++, x = Math.floor(x / 32)) tail = NUMBER_ALPHABET[x % 32] + tail;
  return `SJ${day}${tail}`;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export const eventsGenerator: RecordGenerator = {
  name: 'events',
  sizeOption: 'events',
  description: `events over the ${YEARS} years before --as-of at the generated houses (721 split, realistic durations)`,
  tables: [
    {
      table: 'event',
      checksumColumns: COLUMNS.filter((c) => c !== 'lead_org_id').map((c) => (c === 'place_path' ? 'place_path::text' : c)),
      generatedRows: `substr(t.place_code, 1, 12) = any($1)`,
    },
  ],
  async run(ctx: GenContext) {
    const total = ctx.opts.sizes.events ?? 0;
    if (!total) return { rows: {} as Record<string, number> };
    const territory = ctx.outputs.territory as TerritoryOutput | undefined;
    if (!territory) throw new Error('the events generator needs the territory generator first');
    const d = ctx.opts.districtCode;
    const houses = territory.communities.flatMap((c) => c.houses);
    if (!houses.length) throw new Error('the events generator needs generated houses (--residents)');
    const depts = (
      await ctx.db.query<{ id: string }>(`select id from org where district_code = $1 and kind = 'department' order by seed_key, id`, [d])
    ).map((r) => r.id);
    ctx.sink.declare('event', COLUMNS);

    const asOf = Date.parse(`${ctx.opts.asOf}T00:00:00+08:00`);
    const days = YEARS * 365;
    const start = asOf - days * DAY_MS;
    const rng = ctx.rng('events');
    for (let n = 0; n < total; n++) {
      const house = houses[rng.int(0, houses.length - 1)];
      // The level it closes at first (721), then a category that can close there.
      const level: Level = rng.chance(0.7) ? 'grid' : rng.chance(2 / 3) ? 'community' : 'street';
      const cat = pickCategory(rng, level);
      const at = reportedAt(rng, start, days);
      const age = asOf - at;
      const origin: Level = cat.closing === 'grid' || rng.chance(0.5) ? 'grid' : cat.closing;
      const source = rng.chance(0.55) ? 'grid' : rng.chance(0.55) ? 'hotline' : rng.chance(0.8) ? 'web' : 'import';
      const accept = at + Math.min(logNormal(rng, 1.5 * HOUR_MS, 0.9), 72 * HOUR_MS);
      const medianClose = { grid: 20, community: 60, street: 120 }[level] * HOUR_MS;
      const closeAt = accept + logNormal(rng, medianClose, 0.8);
      const limit = at + cat.handleDays * 1.4 * DAY_MS;
      const whistled = level === 'street' && depts.length > 0 && rng.chance(0.6);
      const whistledAt = whistled ? accept + logNormal(rng, 4 * HOUR_MS, 0.7) : null;
      const respondedAt = whistledAt !== null ? whistledAt + logNormal(rng, 3 * HOUR_MS, 0.8) : null;
      // Closed if the closing moment has come (and a few stragglers stay open for long).
      const closed = closeAt < asOf && !(age < 60 * DAY_MS && rng.chance(0.02));
      const lateOpen = !closed && limit < asOf;
      const onTime = closed && closeAt <= limit && !rng.chance(0.03);
      let state: string;
      let satisfaction: number | null = null;
      let evaluatedAt: number | null = null;
      if (closed) {
        if (rng.chance(0.6)) {
          state = 'evaluated';
          const s = rng.next();
          satisfaction = s < 0.02 ? 1 : s < 0.05 ? 2 : s < 0.12 ? 3 : s < 0.4 ? 4 : 5;
          evaluatedAt = Math.min(closeAt + logNormal(rng, 20 * HOUR_MS, 1), asOf - 1);
        } else state = 'closed';
      } else {
        state = rng.pick(OPEN_BY_LEVEL[level]);
        if (!whistled && (state === 'whistled' || state === 'responded')) state = 'handling';
      }
      const acceptedAt = state === 'reported' || (state === 'escalated' && rng.chance(0.5)) ? null : Math.min(accept, asOf - 1);
      const row: Cell[] = [
        d,
        ctx.uuid('event', n),
        eventNumber(at, n),
        cat.code,
        `${cat.name}（${house.code.slice(-6)}）`,
        source,
        state,
        level,
        origin,
        whistled && (closed || ['whistled', 'responded', 'handled'].includes(state)),
        house.code,
        house.path,
        whistled ? depts[n % depts.length] : null,
        closed ? null : 'handle',
        closed ? null : iso(limit),
        lateOpen,
        lateOpen || (closed && !onTime),
        satisfaction,
        iso(at),
        iso(acceptedAt),
        whistled && whistledAt! < asOf ? iso(whistledAt) : null,
        whistled && respondedAt! < asOf && state !== 'whistled' ? iso(respondedAt) : null,
        closed || state === 'handled' || state === 'verified'
          ? iso(Math.min(closed ? Math.max(accept, closeAt - HOUR_MS) : asOf - 1, asOf - 1))
          : null,
        closed ? iso(closeAt) : null,
        closed ? level : null,
        closed ? onTime : null,
        iso(evaluatedAt),
        iso(at),
        iso(closed ? closeAt : at),
      ];
      await ctx.sink.push('event', row);
    }
    await ctx.sink.flush();
    return { rows: { event: total } };
  },
};
