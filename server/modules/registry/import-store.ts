import { sql, type Kysely } from 'kysely';
import type { DB, ImportStatus } from '../../db/types.ts';

/** SQL of imports: the job row and the staging table (the merge into person: import-batch-store.ts). */

export async function insertJob(
  db: Kysely<DB>,
  row: {
    kind: 'persons' | 'units' | 'vehicles';
    districtCode: string;
    communityCode: string;
    fileName: string;
    mode: 'all' | 'valid' | null;
    actorId: string | null;
    actorName: string;
  },
) {
  const r = await db
    .insertInto('import_job')
    .values({
      district_code: row.districtCode,
      kind: row.kind,
      community_code: row.communityCode,
      mode: row.mode,
      status: 'validating',
      file_name: row.fileName,
      created_by: row.actorId,
      created_by_name: row.actorName,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function findJob(db: Kysely<DB>, id: string) {
  return db.selectFrom('import_job').selectAll().where('id', '=', id).executeTakeFirst();
}

export type JobRow = NonNullable<Awaited<ReturnType<typeof findJob>>>;

export async function updateJob(
  db: Kysely<DB>,
  districtCode: string,
  id: string,
  patch: Partial<{
    status: ImportStatus;
    mode: 'all' | 'valid';
    total: number;
    processed: number;
    progress: number;
    imported: number;
    updated: number;
    rejected: number;
    problems: string;
    columns: string;
    message: string | null;
    finished_at: Date;
  }>,
  onlyIfStatus?: ImportStatus,
) {
  let q = db.updateTable('import_job').set(patch).where('district_code', '=', districtCode).where('id', '=', id);
  if (onlyIfStatus) q = q.where('status', '=', onlyIfStatus);
  return q.returning('id').executeTakeFirst();
}

export async function stageRows(db: Kysely<DB>, districtCode: string, jobId: string, rows: { rowNo: number; data: unknown }[]) {
  if (!rows.length) return;
  await db
    .insertInto('import_staging')
    .values(rows.map((r) => ({ district_code: districtCode, job_id: jobId, row_no: r.rowNo, data: JSON.stringify(r.data) })))
    .execute();
}

export async function clearStaging(db: Kysely<DB>, districtCode: string, jobId: string) {
  await db.deleteFrom('import_staging').where('district_code', '=', districtCode).where('job_id', '=', jobId).execute();
}

/** Who of these document blind indexes is already registered in the district, and where. */
export async function existingByBidx(db: Kysely<DB>, districtCode: string, bidx: string[]) {
  if (!bidx.length) return [];
  return (
    db
      .selectFrom('person')
      .select(['id_bidx', sql<string>`path::text`.as('path')])
      .where('district_code', '=', districtCode)
      // One array parameter, not an IN list of 2,000: the list was parsed and planned anew per batch
      // (10% of a 100,000-row import's time in PostgreSQL).
      .where('id_bidx', '=', sql<string>`any(${bidx}::text[])`)
      .execute()
  );
}

export async function housesOfCommunity(db: Kysely<DB>, communityCode: string) {
  const rows = await db
    .selectFrom('house')
    .select(['code', sql<string>`path::text`.as('path')])
    .where('district_code', '=', communityCode.slice(0, 6))
    .where('code', 'like', `${communityCode}%`)
    .execute();
  return new Map(rows.map((r) => [r.code, r.path]));
}
