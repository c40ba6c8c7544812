import fs from 'node:fs';
import zlib from 'node:zlib';
import readline from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/types.ts';
import { migrations } from '../db/migrations/index.ts';

/**
 * Logical backup: gzip'd JSON lines — a header, then for each table its name and every row as
 * to_jsonb (which keeps timestamps to the microsecond, numerics exactly, ltree and jsonb as text).
 * The same file restores into PGlite or PostgreSQL, so a backup can also move an installation.
 */
export const BACKUP_FORMAT = 'gongzhi-backup';
const SKIP = new Set(['kysely_migration', 'kysely_migration_lock']);

async function tablesInOrder(db: Kysely<DB>): Promise<string[]> {
  const tables = (
    await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = 'public' order by tablename`.execute(db)
  ).rows
    .map((r) => r.name)
    .filter((n) => !SKIP.has(n));
  const deps = (
    await sql<{ child: string; parent: string }>`
      select c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent
      from pg_constraint c join pg_namespace n on n.oid = c.connamespace
      where c.contype = 'f' and n.nspname = 'public'`.execute(db)
  ).rows;
  // Parents before children, so a restore with constraints on would also succeed.
  const ordered: string[] = [];
  const visit = (t: string, seen: Set<string>) => {
    if (ordered.includes(t) || seen.has(t)) return;
    seen.add(t);
    for (const d of deps) if (d.child === t && d.parent !== t) visit(d.parent, seen);
    ordered.push(t);
  };
  for (const t of tables) visit(t, new Set());
  return ordered;
}

async function primaryKeyOrder(db: Kysely<DB>, table: string): Promise<string> {
  const cols = (
    await sql<{ col: string }>`
      select a.attname as col from pg_index i
      join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
      where i.indrelid = ${table}::regclass and i.indisprimary
      order by array_position(i.indkey, a.attnum)`.execute(db)
  ).rows.map((r) => `"${r.col}"`);
  return cols.length ? cols.join(', ') : '1';
}

/** Runs `fn` on one connection inside a read-only REPEATABLE READ transaction: one consistent snapshot. */
export async function withSnapshot<T>(db: Kysely<DB>, fn: (snapshot: Kysely<DB>) => Promise<T>): Promise<T> {
  return db.connection().execute(async (c) => {
    await sql`begin isolation level repeatable read read only`.execute(c);
    try {
      return await fn(c);
    } finally {
      await sql`commit`.execute(c);
    }
  });
}

export async function* backupLines(db: Kysely<DB>): AsyncGenerator<string> {
  const tables = await tablesInOrder(db);
  const applied = (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db)).rows.map((r) => r.name);
  yield JSON.stringify({ format: BACKUP_FORMAT, version: 1, createdAt: new Date().toISOString(), migrations: applied, tables }) + '\n';
  for (const table of tables) {
    yield JSON.stringify({ table }) + '\n';
    const order = await primaryKeyOrder(db, table);
    const pageSize = 5000;
    for (let offset = 0; ; offset += pageSize) {
      const rows = (
        await sql<{
          r: string;
        }>`select to_jsonb(t)::text as r from ${sql.table(table)} t order by ${sql.raw(order)} limit ${pageSize} offset ${offset}`.execute(
          db,
        )
      ).rows;
      for (const row of rows) yield row.r + '\n';
      if (rows.length < pageSize) break;
    }
  }
}

export async function writeBackup(db: Kysely<DB>, file: string): Promise<{ tables: number; rows: number }> {
  let rows = 0;
  let tables = 0;
  const counted = async function* (snapshot: Kysely<DB>) {
    for await (const line of backupLines(snapshot)) {
      if (line.startsWith('{"table":')) tables++;
      else rows++;
      yield line;
    }
  };
  const tmp = `${file}.partial`;
  // The whole file comes from one snapshot, even while the server keeps writing.
  await withSnapshot(db, (snapshot) =>
    pipeline(Readable.from(counted(snapshot)), zlib.createGzip(), fs.createWriteStream(tmp, { mode: 0o600 })),
  );
  fs.renameSync(tmp, file);
  return { tables, rows: rows - 1 };
}

/**
 * Restores into a migrated database, replacing all its data, in one transaction: either the whole
 * backup is in, or nothing changed. Triggers and foreign keys are off while rows go in
 * (session_replication_role = replica), so the append-only audit log can be restored as it was.
 */
export async function restoreBackup(db: Kysely<DB>, file: string): Promise<{ tables: number; rows: number }> {
  const input = readline.createInterface({ input: fs.createReadStream(file).pipe(zlib.createGunzip()), crlfDelay: Infinity });
  const lines = input[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done) throw new Error('backup file is empty');
  const header = JSON.parse(first.value) as { format?: string; migrations?: string[]; tables?: string[] };
  if (header.format !== BACKUP_FORMAT) throw new Error('not a Gongzhi backup file');
  const unknown = (header.migrations ?? []).filter((m) => !(m in migrations));
  if (unknown.length) throw new Error(`backup comes from a newer version (migrations ${unknown.join(', ')}); upgrade first`);
  const existing = await tablesInOrder(db);
  let rows = 0;
  let tables = 0;
  await db.transaction().execute(async (tx) => {
    await sql`set local session_replication_role = replica`.execute(tx);
    for (const t of [...existing].reverse()) await sql`delete from ${sql.table(t)}`.execute(tx);
    let table: string | null = null;
    let batch: string[] = [];
    const flush = async () => {
      if (!table || !batch.length) return;
      // overriding system value: identity columns (record_history.id) keep their backed-up values.
      await sql`insert into ${sql.table(table)} overriding system value select * from jsonb_populate_recordset(null::${sql.table(table)}, ${'[' + batch.join(',') + ']'}::jsonb)`.execute(
        tx,
      );
      rows += batch.length;
      batch = [];
    };
    for (let next = await lines.next(); !next.done; next = await lines.next()) {
      const line = next.value;
      if (!line) continue;
      if (line.startsWith('{"table":')) {
        await flush();
        table = (JSON.parse(line) as { table: string }).table;
        if (!existing.includes(table)) throw new Error(`backup has a table this version does not know: ${table}`);
        tables++;
        continue;
      }
      batch.push(line);
      if (batch.length >= 1000) await flush();
    }
    await flush();
    // Identity sequences continue after the restored rows, so the next insert does not collide.
    const identities = await sql<{ table_name: string; column_name: string }>`
      select table_name, column_name from information_schema.columns
      where table_schema = 'public' and is_identity = 'YES'`.execute(tx);
    for (const c of identities.rows)
      await sql`select setval(pg_get_serial_sequence(${c.table_name}, ${c.column_name}),
        coalesce((select max(${sql.ref(c.column_name)}) from ${sql.table(c.table_name)}), 0) + 1, false)`.execute(tx);
  });
  return { tables, rows };
}
