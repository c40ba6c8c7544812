import { measureTerritoryReads, territoryEndpoints } from './territory-reads.ts';
import { peopleDb, peopleSize } from './people-search.ts';
import type { Scenario } from '../lib/types.ts';

/**
 * The territory reads of issue 2 (a community node, its grids, the subtree count of the whole
 * district) on the district people-search generated — 1,000,000 residents and the ~500,000 houses
 * they live in (--quick: 20,000) — instead of the small demo. Same servers, load and baseline as
 * territory-reads; rows carry the territory-scale prefix and no budget of their own.
 */
export const scenario: Scenario = {
  name: 'territory-at-scale',
  description: 'territory reads (node, children, subtree count) on the generated district of people-search; baseline: bare Fastify + SQL',
  order: 35,
  async run(env) {
    const { target, report } = await peopleDb(env);
    const community = report.communities[0];
    const size = peopleSize(env.opts.quick).toLocaleString('en');
    return measureTerritoryReads(env, target, {
      scenario: 'territory-at-scale',
      idPrefix: 'territory-scale',
      // --quick: only the subtree count, the one read whose cost grows with the district (a node
      // and its children are the same index probes as on the demo, which territory-reads measures).
      endpoints: territoryEndpoints(community, '330212').filter((e) => !env.opts.quick || e.key === 'stats'),
      labelSuffix: ` (${size} residents)`,
    });
  },
};
