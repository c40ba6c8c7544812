/** The shapes every scenario and the runner share. */

import type { Fixtures } from './fixtures.ts';

export type DbKind = 'pglite' | 'postgres';

export interface BenchOptions {
  quick: boolean;
  db: DbKind;
  /** The administrative PostgreSQL URL benchmark databases are created from (postgres only). */
  adminUrl: string | null;
  /** Repetitions whose median is reported. */
  runs: number;
  /** Seconds of load per autocannon run. */
  loadSeconds: number;
  /** Seconds of warm-up load before the measured runs. */
  warmupSeconds: number;
  /** Fixed autocannon connections. */
  connections: number;
  /** Seconds of load per run at a single connection (latency without queueing). */
  singleSeconds: number;
}

/**
 * Where a server finds its data: a GONGZHI_DATA_DIR (the PGlite files, or only the key file on
 * PostgreSQL) and, on PostgreSQL, the URL of a database created for this run.
 */
export interface DbTarget {
  kind: DbKind;
  dataDir: string;
  databaseUrl: string | null;
  /** The database's name on PostgreSQL (for logs). */
  name: string;
}

export type Unit = 's' | 'ms' | 'req/s' | 'MB' | 'rows/s' | 'count';

/** One line of the result table: our figure beside the baseline's, and the budget it answers to. */
export interface Row {
  /** Stable id; budgets refer to it (e.g. `territory.node.p99`). */
  id: string;
  scenario: string;
  label: string;
  unit: Unit;
  ours: number | null;
  baseline: number | null;
  /** What the baseline is, in a few words (e.g. 'bare Fastify + SQL'). */
  baselineLabel?: string;
  /** Every repetition, so the median can be checked. */
  samples?: { ours: number[]; baseline: number[] };
  /** Why a figure is missing or suspect (errors, non-2xx responses). */
  note?: string;
  details?: Record<string, unknown>;
}

export interface BenchEnv {
  opts: BenchOptions;
  /** The repository root (where bin/gongzhi.js lives). */
  root: string;
  /** A temporary directory for this run; removed at the end. */
  workDir: string;
  /** Progress line on stderr (the table goes to stdout). */
  log(message: string): void;
  /** A new empty database (fresh PGlite directory or freshly created PostgreSQL database). */
  newTarget(label: string): Promise<DbTarget>;
  /** A demo-seeded database shared by the scenarios of this run (seeded once, on first use). */
  demoTarget(): Promise<DbTarget>;
  /** A database of its own holding the demo (a copy of the demo fixture, seeded at most once per run). */
  demoCopy(label: string): Promise<DbTarget>;
  /**
   * Offers an already seeded database as the shared demo database, and saves it as the demo
   * fixture (saves seeding it again). `seedMs` is how long seeding it took.
   */
  offerDemoTarget(target: DbTarget, seedMs: number): Promise<void>;
  /** A database of its own with every migration applied (a copy of the migrated fixture). */
  migratedCopy(label: string): Promise<DbTarget>;
  /** Databases built once and copied (bench/lib/fixtures.ts). */
  fixtures: Fixtures;
  /** A copy a second process can open at the same time (PGlite); the same database on PostgreSQL. */
  shareTarget(target: DbTarget, label: string): Promise<DbTarget>;
}

export interface Scenario {
  /** The name `--only` takes. */
  name: string;
  description: string;
  /** Scenarios run in ascending order (startup first: its fresh database becomes the demo fixture). */
  order: number;
  run(env: BenchEnv): Promise<Row[]>;
}
