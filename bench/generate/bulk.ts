import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import type { PGlite } from '@electric-sql/pglite';

/**
 * The bulk path of the generator: rows go into the real tables with COPY (PostgreSQL: COPY FROM
 * STDIN through pg-copy-streams; PGlite: COPY FROM '/dev/blob'), in chunks of a few MB, in one
 * transaction. Rows are encoded in COPY's text format here.
 */

export interface GenDb {
  kind: 'pglite' | 'postgres';
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  exec(text: string): Promise<void>;
  /** COPY table (columns) FROM the given text-format data. */
  copy(table: string, columns: string[], data: string): Promise<void>;
  close(): Promise<void>;
}

/** One dedicated PostgreSQL connection (COPY and the transaction need the same one). */
export async function postgresGenDb(url: string): Promise<GenDb> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    kind: 'postgres',
    query: async <T>(text: string, params: unknown[] = []) => (await client.query(text, params)).rows as T[],
    exec: async (text) => {
      await client.query(text);
    },
    copy: async (table, columns, data) => {
      const stream = client.query(copyStreams.from(`copy ${table} (${columns.join(', ')}) from stdin`));
      await pipeline(Readable.from([Buffer.from(data, 'utf8')]), stream);
    },
    close: () => client.end(),
  };
}

/** The PGlite instance the app opened (one process per data directory: the CLI shares it). */
export function pgliteGenDb(db: PGlite): GenDb {
  return {
    kind: 'pglite',
    query: async <T>(text: string, params: unknown[] = []) => (await db.query<T>(text, params)).rows,
    exec: async (text) => {
      await db.exec(text);
    },
    copy: async (table, columns, data) => {
      await db.query(`copy ${table} (${columns.join(', ')}) from '/dev/blob'`, [], { blob: new Blob([data]) });
    },
    close: async () => undefined,
  };
}

export type Cell = string | number | boolean | null;

/** One value in COPY text format. */
export function copyValue(v: Cell): string {
  if (v === null) return '\\N';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (typeof v === 'number') return String(v);
  return /[\\\t\n\r]/.test(v) ? v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : v;
}

/** A PostgreSQL text[] literal (the values here never hold quotes, commas or braces). */
export function textArray(values: readonly string[]): string {
  for (const v of values) if (/[",{}\\\s]/.test(v)) throw new Error(`array element needs quoting: ${v}`);
  return `{${values.join(',')}}`;
}

interface Buffered {
  columns: string[];
  parts: string[];
  bytes: number;
  rows: number;
}

/**
 * Buffers rows per table and writes them with COPY when the buffers pass `flushBytes`. Tables are
 * flushed in the order they were declared, so a referenced row is always in before its referrer.
 */
export class BulkSink {
  private readonly tables = new Map<string, Buffered>();
  private bytes = 0;
  readonly written: Record<string, number> = {};
  /** Milliseconds spent inside COPY. */
  copyMs = 0;

  constructor(
    private readonly db: GenDb,
    private readonly flushBytes = 8 * 1024 * 1024,
  ) {}

  declare(table: string, columns: string[]): void {
    if (!this.tables.has(table)) this.tables.set(table, { columns, parts: [], bytes: 0, rows: 0 });
    this.written[table] ??= 0;
  }

  async push(table: string, row: Cell[]): Promise<void> {
    const t = this.tables.get(table);
    if (!t) throw new Error(`table ${table} not declared`);
    if (row.length !== t.columns.length) throw new Error(`${table}: ${row.length} values for ${t.columns.length} columns`);
    const line = row.map(copyValue).join('\t') + '\n';
    t.parts.push(line);
    t.rows++;
    t.bytes += line.length;
    this.bytes += line.length;
    if (this.bytes >= this.flushBytes) await this.flush();
  }

  async flush(): Promise<void> {
    for (const [table, t] of this.tables) {
      if (!t.rows) continue;
      const data = t.parts.join('');
      const started = performance.now();
      await this.db.copy(table, t.columns, data);
      this.copyMs += performance.now() - started;
      this.written[table] += t.rows;
      t.parts = [];
      t.rows = 0;
      t.bytes = 0;
    }
    this.bytes = 0;
  }
}
