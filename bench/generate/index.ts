import crypto from 'node:crypto';
import type { Keyring } from '../../server/core/crypto.ts';
import { createRng } from '../../server/modules/territory/prng.ts';
import { BulkSink, type GenDb } from './bulk.ts';
import { peopleGenerator } from './people.ts';
import { eventsGenerator } from './events.ts';
import { territoryGenerator, type TerritoryOutput } from './territory.ts';
import type { GenContext, GenOptions, RecordGenerator } from './types.ts';
import { workforceGenerator } from './workforce.ts';
import { votesGenerator } from './votes.ts';

/**
 * `gongzhi bench generate`: builds a district at scale inside the real schema. The record
 * generators run in this order; a module adds its own (events, workforce, votes) by writing
 * bench/generate/<kind>.ts implementing RecordGenerator (bench/generate/types.ts) and adding it
 * here after the generators it builds on.
 */
export const GENERATORS: RecordGenerator[] = [territoryGenerator, peopleGenerator, eventsGenerator, workforceGenerator, votesGenerator];

/** Size options other modules' generators will take, refused clearly until they exist. */
export const PLANNED_SIZES: Record<string, string> = {};

export const DEFAULT_AS_OF = '2026-01-01';

export interface GenerateReport {
  seed: number;
  sizes: Record<string, number>;
  districtCode: string;
  asOf: string;
  communities: string[];
  rows: Record<string, number>;
  /** Wall-clock phases in ms: generating and copying rows, rebuilding indexes, VACUUM ANALYZE. */
  ms: { load: number; copy: number; indexes: number; analyze: number; total: number };
  indexesRebuilt: number;
}

export function deterministicUuid(seed: number, kind: string, n: number): string {
  const h = crypto.createHash('sha256').update(`${seed}:${kind}:${n}`).digest();
  h[6] = (h[6] & 0x0f) | 0x40;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

function tablesOf(generators: RecordGenerator[]): string[] {
  return generators.flatMap((g) => g.tables.map((t) => t.table));
}

/** Secondary indexes of the tables (primary keys stay: the foreign keys need them). */
async function secondaryIndexes(db: GenDb, tables: string[]) {
  return db.query<{ name: string; def: string }>(
    `select i.indexname as name, i.indexdef as def
       from pg_indexes i
      where i.schemaname = 'public' and i.tablename = any($1)
        and not exists (select 1 from pg_constraint c where c.conname = i.indexname)
      order by i.tablename, i.indexname`,
    [tables],
  );
}

/**
 * Runs the generators in one transaction. With rebuildIndexes the loaded tables' secondary
 * indexes are dropped first and re-created from their own definitions at the end (the usual bulk
 * path; a failure rolls everything back, indexes included).
 */
export async function generate(
  db: GenDb,
  keyring: Keyring,
  opts: GenOptions,
  log: (m: string) => void = () => undefined,
): Promise<GenerateReport> {
  for (const [name] of Object.entries(opts.sizes)) {
    if (!GENERATORS.some((g) => g.sizeOption === name))
      throw new Error(`no generator takes --${name}${PLANNED_SIZES[name] ? `: ${PLANNED_SIZES[name]}` : ''}`);
  }
  const started = performance.now();
  const sink = new BulkSink(db);
  const ctx: GenContext = {
    opts,
    db,
    sink,
    keyring,
    rng: (...labels) => createRng(opts.seed, ...labels),
    uuid: (kind, n) => deterministicUuid(opts.seed, kind, n),
    outputs: {},
    log,
  };
  const tables = tablesOf(GENERATORS);
  await db.exec('begin');
  try {
    if (db.kind === 'postgres') await db.exec(`set local maintenance_work_mem = '256MB'`);
    const indexes = opts.rebuildIndexes ? await secondaryIndexes(db, tables) : [];
    for (const i of indexes) await db.exec(`drop index ${i.name}`);
    const rows: Record<string, number> = {};
    for (const g of GENERATORS) {
      const t0 = performance.now();
      const r = await g.run(ctx);
      ctx.outputs[g.name] = r.output;
      Object.assign(rows, r.rows);
      log(
        `${g.name}: ${Object.entries(r.rows)
          .map(([t, n]) => `${n} ${t}`)
          .join(', ')} in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
    }
    const loaded = performance.now();
    for (const i of indexes) await db.exec(i.def);
    const indexed = performance.now();
    if (indexes.length) log(`rebuilt ${indexes.length} indexes in ${((indexed - loaded) / 1000).toFixed(1)} s`);
    await db.exec('commit');
    // VACUUM as well as ANALYZE: the state autovacuum leaves a table in after an import (hint bits
    // set, visibility map built), so the first searches measured do not pay for the load.
    for (const t of tables) await db.exec(opts.vacuum === false ? `analyze ${t}` : `vacuum (analyze) ${t}`);
    const done = performance.now();
    const territory = ctx.outputs.territory as TerritoryOutput;
    return {
      seed: opts.seed,
      sizes: opts.sizes,
      districtCode: opts.districtCode,
      asOf: opts.asOf,
      communities: territory.communities.map((c) => c.code),
      rows,
      ms: { load: loaded - started, copy: sink.copyMs, indexes: indexed - loaded, analyze: done - indexed, total: done - started },
      indexesRebuilt: indexes.length,
    };
  } catch (err) {
    await db.exec('rollback').catch(() => undefined);
    throw err;
  }
}

/**
 * A checksum per generated table over its deterministic columns: the row count and the sum of a
 * 60-bit slice of each row's md5 (order-free, so it costs one scan and no sort).
 */
export async function checksums(db: GenDb, communities: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const g of GENERATORS) {
    for (const t of g.tables) {
      const [r] = await db.query<{ n: string; s: string }>(
        `select count(*)::text as n, coalesce(sum(('x' || substr(md5(row(${t.checksumColumns.map((c) => `t.${c}`).join(', ')})::text), 1, 15))::bit(60)::bigint), 0)::text as s
           from ${t.table} t where ${t.generatedRows}`,
        [communities],
      );
      out[t.table] = `${r.n}:${r.s}`;
    }
  }
  return out;
}
