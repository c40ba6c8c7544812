import type { Keyring } from '../../server/core/crypto.ts';
import type { Rng } from '../../server/modules/territory/prng.ts';
import type { BulkSink, GenDb } from './bulk.ts';

/**
 * The interface every record generator of `gongzhi bench generate` implements.
 *
 * A generator builds one kind of record (territory, people, later events, workers, ballots) for
 * the generated district, writing rows through `ctx.sink` (COPY on PostgreSQL, COPY FROM a blob
 * on PGlite) into the real tables of the real schema. Generators run in the order of GENERATORS
 * in bench/generate/index.ts; each sees what the earlier ones left in `ctx.outputs` (the
 * territory generator leaves the houses the people generator fills, the people generator leaves
 * the residents an events generator can name as reporters).
 *
 * Rules for a new generator (bench/generate/<kind>.ts, then one line in GENERATORS):
 * - Deterministic: draw every random number from `ctx.rng(label…)` (seeded by --seed and the
 *   labels), never Math.random or the clock; dates count from `ctx.asOf`. Ids come from
 *   `ctx.uuid(kind, n)`. Encryption is the one exception (a random IV, as the app writes it):
 *   leave ciphertext columns out of `checksums`.
 * - Exactly what the app would write: the same derived columns (pinyin, blind indexes, paths),
 *   the same encodings, valid codes and check digits.
 * - Declare its size option (`--events N`) and the tables it writes with the columns its
 *   checksum covers, so the determinism test covers it without more code.
 */

export interface GenOptions {
  /** The seed (--seed): same seed, same rows. */
  seed: number;
  /** Size options by name (--residents, --events …); a generator reads its own. */
  sizes: Record<string, number>;
  /** The real district the generated places hang under (default 330212 鄞州区). */
  districtCode: string;
  /** The day generated ages and dates count from (fixed so the data does not drift with the clock). */
  asOf: string;
  /** Drop the loaded tables' secondary indexes during the load and rebuild them after (faster). */
  rebuildIndexes: boolean;
  /** VACUUM ANALYZE the loaded tables afterwards (default); false runs ANALYZE only (tests). */
  vacuum?: boolean;
}

export interface GenContext {
  opts: GenOptions;
  db: GenDb;
  sink: BulkSink;
  keyring: Keyring;
  /** A generator seeded by --seed and the labels; the same labels give the same stream. */
  rng(...labels: string[]): Rng;
  /** A deterministic UUID for the n-th record of a kind (looks random, never collides in practice). */
  uuid(kind: string, n: number): string;
  /** What earlier generators produced (by generator name). */
  outputs: Record<string, unknown>;
  log(message: string): void;
}

/** A table a generator writes, and how to checksum its generated rows deterministically. */
export interface TableSpec {
  table: string;
  /** SQL expressions over the row (alias t) that are deterministic for a seed (no ciphertext, no now()). */
  checksumColumns: string[];
  /** SQL condition (alias t) selecting the generated rows; $1 = the generated community codes (text[]). */
  generatedRows: string;
}

export interface GeneratorResult {
  /** Rows written per table. */
  rows: Record<string, number>;
  /** Anything later generators need (kept in ctx.outputs under the generator's name). */
  output?: unknown;
}

export interface RecordGenerator {
  name: string;
  /** The size option this generator reads (e.g. 'residents'); null when it has none. */
  sizeOption: string | null;
  description: string;
  tables: TableSpec[];
  run(ctx: GenContext): Promise<GeneratorResult>;
}
