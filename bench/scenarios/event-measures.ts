import pg from 'pg';
import { loadConfig } from '../../server/core/config.ts';
import { openContext } from '../../server/core/boot.ts';
import { eventStats } from '../../server/modules/events/measures.ts';
import { describeSizes, districtSizes, eventsSize, generatedDistrict, SEED } from '../lib/district.ts';
import { gongzhiEnv } from '../lib/proc.ts';
import { median } from '../lib/stats.ts';
import type { Row, Scenario } from '../lib/types.ts';

/**
 * Event measures (issue 4, budget events.measures.slowest < 200 ms): every measure of
 * /api/events/stats (totals, 721 split, rates, by state, category, area, department, trend) for
 * the district, one street and one community, over the whole generated history (3 years), with
 * 10,000,000 generated events (--quick: 50,000, in the district people-search uses; BENCH_EVENTS overrides).
 *
 * Ours: the measures service in-process, exactly what the route calls (server/modules/events/
 * measures.ts eventStats: the rollup of D40, rebuilt once after the bulk load). Baseline: hand-written SQL over the raw rows computing the same
 * totals, by state, by category, by area and by department in one scan (grouping sets) — the
 * fastest thing that answers the same question from the same rows on this machine.
 */

export { eventsSize };

const BASELINE = `
  select grouping(e.state) as g_state, grouping(cat) as g_cat, grouping(area) as g_area, grouping(e.lead_org_id) as g_org,
    e.state, cat, area, e.lead_org_id, count(*) as n,
    count(*) filter (where e.closed_at is not null) as closed,
    count(*) filter (where e.closed_on_time) as on_time,
    count(*) filter (where e.accepted_at is not null) as accepted,
    count(*) filter (where e.satisfaction >= 4) as satisfied,
    count(*) filter (where e.satisfaction is not null) as rated,
    count(*) filter (where e.closed_level = 'grid') as grid,
    count(*) filter (where e.closed_level = 'community') as community,
    count(*) filter (where e.closed_level = 'street') as street,
    avg(extract(epoch from e.closed_at - e.reported_at)) as close_s,
    avg(extract(epoch from e.responded_at - e.whistled_at)) as respond_s
  from (select e.*, split_part(e.category_code, '.', 1) as cat, substr(e.place_code, 1, $2::int) as area from event e
        where e.district_code = $1 and e.place_code like $3 and e.reported_at >= $4 and e.reported_at < $5 and e.state <> 'merged') e
  group by grouping sets ((), (e.state), (cat), (area), (e.lead_org_id))`;

interface Scope {
  label: string;
  code: string;
  path: string;
}

export const scenario: Scenario = {
  name: 'event-measures',
  description:
    'every /api/events/stats measure for a district with 10,000,000 generated events; baseline: hand-written SQL on the raw rows',
  order: 45,
  async run(env) {
    const sizes = districtSizes(env.opts.quick, 'events');
    const events = sizes.events;
    const { target, report, processMs, rebuildMs, cached, builtAt, copyMs } = await generatedDistrict(env, sizes);
    const { ctx, database } = await openContext(loadConfig(gongzhiEnv(target)));
    const pool = target.databaseUrl ? new pg.Pool({ connectionString: target.databaseUrl, max: 2 }) : null;
    const raw = async (text: string, params: unknown[]) =>
      pool ? (await pool.query(text, params)).rows : (await database.pglite!.query(text, params)).rows;
    try {
      const community = report.communities[0];
      const paths = (await raw(`select code, path::text as path from division where code = any($1)`, [
        ['330212', community.slice(0, 9), community],
      ])) as { code: string; path: string }[];
      const pathOf = (code: string) => paths.find((p) => p.code === code)!.path;
      const scopes: Scope[] = [
        { label: 'district', code: '330212', path: pathOf('330212') },
        { label: 'street', code: community.slice(0, 9), path: pathOf(community.slice(0, 9)) },
        { label: 'community', code: community, path: pathOf(community) },
      ];
      const from = new Date('2023-01-01T00:00:00+08:00');
      const to = new Date('2026-01-01T00:00:00+08:00');
      const reps = env.opts.quick ? 2 : 5;
      const rows: Row[] = [];
      let slowest = { ours: 0, base: 0, label: '' };
      for (const s of scopes) {
        const ours: number[] = [];
        const base: number[] = [];
        const childLen = { district: 9, street: 12, community: 15 }[s.label as 'district' | 'street' | 'community'];
        let total = 0;
        let baseTotal = 0;
        for (let i = 0; i < reps + 1; i++) {
          const t0 = performance.now();
          const stats = await eventStats(ctx.db, { scopePath: s.path, scopeLevelDepth: s.path.split('.').length, from, to });
          const t1 = performance.now();
          const b = (await raw(BASELINE, ['330212', childLen, `${s.code}%`, from, to])) as {
            g_state: number;
            g_cat: number;
            g_area: number;
            g_org: number;
            n: string;
          }[];
          const t2 = performance.now();
          total = stats.total;
          baseTotal = Number(b.find((r) => r.g_state && r.g_cat && r.g_area && r.g_org)?.n ?? 0);
          if (i === 0) continue; // warm-up
          ours.push(t1 - t0);
          base.push(t2 - t1);
        }
        env.log(
          `event-measures: ${s.label} ${total.toLocaleString('en')} events: ours ${median(ours)?.toFixed(0)} ms, baseline ${median(base)?.toFixed(0)} ms`,
        );
        const m = { ours: median(ours) ?? 0, base: median(base) ?? 0 };
        if (m.ours > slowest.ours) slowest = { ...m, label: s.label };
        rows.push({
          id: `events.measures.${s.label}`,
          scenario: 'event-measures',
          label: `all measures, ${s.label} (${total.toLocaleString('en')} events)`,
          unit: 'ms',
          ours: m.ours,
          baseline: m.base,
          baselineLabel: 'hand-written SQL, raw rows',
          samples: { ours, baseline: base },
          note: total === baseTotal ? undefined : `totals differ: ours ${total}, baseline ${baseTotal}`,
        });
      }
      rows.unshift({
        id: 'events.measures.slowest',
        scenario: 'event-measures',
        label: `slowest scope (${slowest.label}), ${events.toLocaleString('en')} events in the district`,
        unit: 'ms',
        ours: slowest.ours,
        baseline: slowest.base,
        baselineLabel: 'hand-written SQL, raw rows',
      });
      rows.push({
        id: 'events.measures.generate',
        scenario: 'event-measures',
        label: `bench generate ${describeSizes(sizes)}, whole process (seed ${SEED})`,
        unit: 's',
        ours: processMs / 1000,
        baseline: null,
        note: cached ? `generated by an earlier run (${builtAt}); this run copied it in ${(copyMs / 1000).toFixed(1)} s` : undefined,
        details: { report, cached, builtAt, copyMs },
      });
      rows.push({
        id: 'events.measures.rollup-rebuild',
        scenario: 'event-measures',
        label: `gongzhi events rollup rebuild over ${events.toLocaleString('en')} events, whole process`,
        unit: 's',
        ours: (rebuildMs ?? 0) / 1000,
        baseline: null,
        note: cached ? `rebuilt by the run that generated the district (${builtAt})` : undefined,
      });
      return rows;
    } finally {
      await pool?.end();
      await database.close();
    }
  },
};
