import fs from 'node:fs';
import path from 'node:path';
import { gongzhiEnv, runNode } from './proc.ts';
import type { BenchEnv, DbTarget } from './types.ts';

/**
 * A generated district (`gongzhi bench generate`) on top of the demo, as a fixture
 * (bench/lib/fixtures.ts): generated once, then copied. people-search, territory-at-scale and
 * event-measures read it; with --quick they ask for the same sizes, so one district serves all three.
 */

export interface DistrictSizes {
  residents: number;
  events: number;
}

export interface GenerateJson {
  rows: Record<string, number>;
  ms: { total: number; load: number; copy: number; indexes: number; analyze: number };
  residentsPerSecond: number;
  communities: string[];
}

export interface GeneratedDistrict {
  target: DbTarget;
  report: GenerateJson;
  /** The whole `gongzhi bench generate` process, in ms (from the run that built it when cached). */
  processMs: number;
  /** `gongzhi events rollup rebuild` after the bulk load, in ms (null without events). */
  rebuildMs: number | null;
  cached: boolean;
  builtAt: string;
  /** Copying the cached fixture, in ms (0 when built in this run). */
  copyMs: number;
}

export const SEED = 1;

/** Residents of the people scenarios: 1,000,000 (--quick: 20,000; BENCH_PEOPLE overrides). */
export function peopleSize(quick: boolean): number {
  const override = Number(process.env.BENCH_PEOPLE);
  if (Number.isInteger(override) && override > 0) return override;
  return quick ? 20_000 : 1_000_000;
}

/** Events of event-measures: 10,000,000 (--quick: 50,000; BENCH_EVENTS overrides). */
export function eventsSize(quick: boolean): number {
  const override = Number(process.env.BENCH_EVENTS);
  if (Number.isInteger(override) && override > 0) return override;
  return quick ? 50_000 : 10_000_000;
}

/**
 * The district each scenario generates. --quick: one district for people-search,
 * territory-at-scale and event-measures. Full: 1,000,000 residents for the people scenarios; for
 * event-measures the events over one resident per 50 of them (20,000 to 200,000), as the houses
 * the events happen at come from the residents' households.
 */
export function districtSizes(quick: boolean, scenario: 'people' | 'events'): DistrictSizes {
  if (quick) return { residents: peopleSize(true), events: eventsSize(true) };
  if (scenario === 'people') return { residents: peopleSize(false), events: 0 };
  const events = eventsSize(false);
  return { residents: Math.max(20_000, Math.min(200_000, Math.round(events / 50))), events };
}

export function describeSizes(s: DistrictSizes): string {
  const r = `${s.residents.toLocaleString('en')} residents`;
  return s.events ? `${r} and ${s.events.toLocaleString('en')} events` : r;
}

const districts = new WeakMap<BenchEnv, Map<string, Promise<GeneratedDistrict>>>();

/** The generated district of these sizes for this run (one database per size, shared by the scenarios asking for it). */
export function generatedDistrict(env: BenchEnv, sizes: DistrictSizes): Promise<GeneratedDistrict> {
  let byKey = districts.get(env);
  if (!byKey) districts.set(env, (byKey = new Map()));
  const label = `district-${sizes.residents}-${sizes.events}`;
  let p = byKey.get(label);
  if (!p) {
    p = build(env, label, sizes);
    byKey.set(label, p);
  }
  return p;
}

async function build(env: BenchEnv, label: string, sizes: DistrictSizes): Promise<GeneratedDistrict> {
  const f = await env.fixtures.copy(
    label,
    { ...sizes, seed: SEED },
    async (target) => {
      const log = path.join(env.workDir, 'logs', `${label}-generate.log`);
      const args = ['bin/gongzhi.js', 'bench', 'generate', '--residents', String(sizes.residents), '--seed', String(SEED), '--json'];
      if (sizes.events) args.push('--events', String(sizes.events));
      env.log(`generating ${describeSizes(sizes)} into ${target.name} (gongzhi bench generate --seed ${SEED})`);
      const processMs = await runNode('gongzhi bench generate', args, gongzhiEnv(target), env.root, log);
      const line = fs
        .readFileSync(log, 'utf8')
        .split('\n')
        .find((l) => l.startsWith('{'));
      if (!line) throw new Error(`bench generate printed no report; see ${log}`);
      const report = JSON.parse(line) as GenerateJson;
      env.log(
        `generated ${describeSizes(sizes)} in ${(processMs / 1000).toFixed(1)} s (${report.residentsPerSecond} residents/s inside the generator)`,
      );
      // The generator loads events by COPY, which leaves each one as a pending rollup delta
      // (DECISIONS D41); a rebuild sums them into the rollup, as an operator would after a bulk load.
      let rebuildMs: number | null = null;
      if (sizes.events) {
        env.log('rebuilding the event measures rollup (gongzhi events rollup rebuild)');
        rebuildMs = await runNode(
          'gongzhi events rollup rebuild',
          ['bin/gongzhi.js', 'events', 'rollup', 'rebuild'],
          gongzhiEnv(target),
          env.root,
          path.join(env.workDir, 'logs', `${label}-rollup.log`),
        );
      }
      return { report, processMs, rebuildMs };
    },
    () => env.demoCopy(label),
  );
  return { target: f.target, ...f.info, cached: f.cached, builtAt: f.builtAt, copyMs: f.copyMs };
}
