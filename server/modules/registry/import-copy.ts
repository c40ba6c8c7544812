import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import type { DB } from '../../db/types.ts';
import type { GoodRow } from './import-scan.ts';

/**
 * The PostgreSQL fast path of an import: one dedicated connection, seen both as a Kysely
 * instance (for the transaction and its statements) and as the raw driver client (for
 * `COPY … FROM STDIN`, which Kysely does not speak). Both go through the same session, so the
 * COPY is part of the import's transaction and sees its temporary batch table.
 */
export interface BulkConnection {
  db: Kysely<DB>;
  /** COPY the rows, in text format, into `table (columns)`. */
  copy(table: string, columns: readonly string[], text: string): Promise<void>;
  close(): Promise<void>;
}

const INT8_OID = 20;

export async function openBulkConnection(url: string): Promise<BulkConnection> {
  const client = new pg.Client({
    connectionString: url,
    application_name: 'gongzhi-import',
    options: '-c jit=off', // as the app's pool (D43): the merge statements never repay a compile
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  await client.connect();
  // A dropped connection fails the import's next statement (and so the import), not the process.
  client.on('error', () => {});
  // A "pool" of exactly this client: Kysely borrows and returns it; the client queues statements.
  const pool = {
    connect: async () => Object.assign(client, { release: () => {} }),
    end: async () => {},
  };
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: pool as unknown as pg.Pool }) });
  return {
    db,
    async copy(table, columns, text) {
      const stream = client.query(copyStreams.from(`copy ${table} (${columns.join(', ')}) from stdin`));
      await pipeline(Readable.from([Buffer.from(text, 'utf8')]), stream);
    },
    async close() {
      await db.destroy();
      await client.end().catch(() => {});
    },
  };
}

/** One value in COPY's text format. */
function value(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (typeof v === 'number') return String(v);
  return /[\\\t\n\r]/.test(v) ? v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : v;
}

/** A text[] literal with every element quoted. */
function textArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

export const BATCH_COLUMNS = [
  'row_no',
  'fresh',
  'name',
  'py',
  'ini',
  'id_type',
  'id_enc',
  'id_bidx',
  'gender',
  'birth',
  'phone_enc',
  'phone_bidx',
  'ethnicity',
  'household_place',
  'residency',
  'tags',
  'tag_items',
  'house_code',
  'house_path',
  'relation',
  'head_relation',
  'move_in',
  'note',
] as const;

/** The batch in COPY text format, columns as BATCH_COLUMNS. */
export function batchCopyText(rows: readonly GoodRow[]): string {
  const lines: string[] = [];
  for (const { rowNo, fresh, data: p } of rows) {
    lines.push(
      [
        rowNo,
        fresh === true,
        p.name,
        p.py,
        p.ini,
        p.idType,
        p.idEnc,
        p.idBidx,
        p.gender,
        p.birth,
        p.phoneEnc,
        p.phoneBidx,
        p.ethnicity,
        p.householdPlace,
        p.residency,
        textArray(p.tags),
        JSON.stringify(p.tagItems),
        p.houseCode,
        p.housePath,
        p.relation,
        p.headRelation,
        p.moveIn,
        p.note,
      ]
        .map(value)
        .join('\t'),
    );
  }
  return lines.join('\n') + '\n';
}
