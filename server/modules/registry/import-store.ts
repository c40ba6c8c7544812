import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { DB, ImportStatus } from '../../db/types.ts';

/** SQL of imports: the job row, the staging table, and the one-transaction merge into person. */

export async function insertJob(
  db: Kysely<DB>,
  row: {
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
      kind: 'persons',
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
  return db
    .selectFrom('person')
    .select(['id_bidx', sql<string>`path::text`.as('path')])
    .where('district_code', '=', districtCode)
    .where('id_bidx', 'in', bidx)
    .execute();
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

const PERSON_JSON = (alias: string) =>
  sql.raw(`jsonb_build_object('name', ${alias}.name, 'houseCode', ${alias}.house_code,
  'ethnicity', ${alias}.ethnicity, 'householdPlace', ${alias}.household_place, 'residency', ${alias}.residency,
  'tags', to_jsonb(${alias}.tags), 'status', ${alias}.status)`);

/**
 * Upserts the staged persons (matched by the document's blind index: a re-import updates) and
 * writes one history row per person. Returns how many were created and how many updated.
 */
export async function mergePersons(
  tx: Transaction<DB>,
  job: { districtCode: string; id: string; communityCode: string; communityPath: string; actorId: string | null; actorName: string },
) {
  const r = await sql<{ created: number; updated: number }>`
    with s as (
      select data as d from import_staging where district_code = ${job.districtCode} and job_id = ${job.id}::uuid
    ), old as (
      select p.id, ${PERSON_JSON('p')} as before
      from person p join s on p.district_code = ${job.districtCode} and p.id_bidx = s.d->>'idBidx'
    ), up as (
      insert into person as p (district_code, community_code, house_code, path, name, name_pinyin, name_initials,
        id_type, id_enc, id_bidx, gender, birth_date, phone_enc, phone_bidx, ethnicity, household_place, residency, tags, note)
      select ${job.districtCode}, ${job.communityCode}, s.d->>'houseCode', coalesce(s.d->>'housePath', ${job.communityPath})::ltree,
        s.d->>'name', s.d->>'py', s.d->>'ini', s.d->>'idType', s.d->>'idEnc', s.d->>'idBidx', s.d->>'gender',
        (s.d->>'birth')::date, s.d->>'phoneEnc', s.d->>'phoneBidx', s.d->>'ethnicity', s.d->>'householdPlace', s.d->>'residency',
        array(select jsonb_array_elements_text(s.d->'tags')), s.d->>'note'
      from s
      on conflict (district_code, id_bidx) do update set
        name = excluded.name, name_pinyin = excluded.name_pinyin, name_initials = excluded.name_initials,
        gender = coalesce(excluded.gender, p.gender), birth_date = coalesce(excluded.birth_date, p.birth_date),
        phone_enc = coalesce(excluded.phone_enc, p.phone_enc), phone_bidx = coalesce(excluded.phone_bidx, p.phone_bidx),
        ethnicity = case when excluded.ethnicity <> '' then excluded.ethnicity else p.ethnicity end,
        household_place = case when excluded.household_place <> '' then excluded.household_place else p.household_place end,
        residency = excluded.residency,
        tags = case when cardinality(excluded.tags) > 0 then excluded.tags else p.tags end,
        note = case when excluded.note <> '' then excluded.note else p.note end,
        house_code = coalesce(excluded.house_code, p.house_code),
        path = case when excluded.house_code is not null then excluded.path else p.path end,
        community_code = case when excluded.house_code is not null then excluded.community_code else p.community_code end,
        status = 'active', updated_at = now(), version = p.version + 1
      returning p.id, (xmax = 0) as inserted, ${PERSON_JSON('p')} as after
    ), h as (
      insert into record_history (district_code, record_type, record_id, action, actor_id, actor_name, before, after)
      select ${job.districtCode}, 'person', up.id, case when up.inserted then 'import_create' else 'import_update' end,
        ${job.actorId}::uuid, ${job.actorName}, old.before, up.after
      from up left join old on old.id = up.id
      returning action
    )
    select count(*) filter (where action = 'import_create')::int as created,
           count(*) filter (where action = 'import_update')::int as updated from h`.execute(tx);
  return r.rows[0];
}

/** Tags with provenance, links to houses, and closing the old home when the row names a new one. */
export async function mergeTagsAndLinks(tx: Transaction<DB>, job: { districtCode: string; id: string; actorName: string }) {
  const staged = sql`import_staging s join person p on p.district_code = s.district_code and p.id_bidx = s.data->>'idBidx'`;
  const mine = sql`s.district_code = ${job.districtCode} and s.job_id = ${job.id}::uuid`;
  // Each statement below joins every staged row to its person; a file without tags (or without
  // house codes) skips those statements after one pass over the staging rows.
  const { tags, houses } = (
    await sql<{ tags: boolean | null; houses: boolean | null }>`select
        bool_or(jsonb_array_length(s.data->'tagItems') > 0 or jsonb_array_length(s.data->'tags') > 0) as tags,
        bool_or(s.data->>'houseCode' is not null) as houses
      from import_staging s where ${mine}`.execute(tx)
  ).rows[0];
  if (tags) await mergeTags(tx, job, staged, mine);
  if (houses) await mergeLinks(tx, staged, mine);
}

async function mergeTags(tx: Transaction<DB>, job: { actorName: string }, staged: RawBuilder<unknown>, mine: RawBuilder<unknown>) {
  await sql`delete from person_tag t using ${staged}
    where ${mine} and jsonb_array_length(s.data->'tags') > 0
      and t.district_code = p.district_code and t.person_id = p.id and not (s.data->'tags' ? t.tag)`.execute(tx);
  await sql`insert into person_tag (district_code, person_id, tag, level, set_by)
    select p.district_code, p.id, tg->>'tag', tg->>'level', ${job.actorName}
    from ${staged} cross join lateral jsonb_array_elements(s.data->'tagItems') tg
    where ${mine}
    on conflict (district_code, person_id, tag) do update set level = excluded.level, set_by = excluded.set_by, set_at = now()
      where person_tag.level is distinct from excluded.level`.execute(tx);
}

async function mergeLinks(tx: Transaction<DB>, staged: RawBuilder<unknown>, mine: RawBuilder<unknown>) {
  // A new home closes the person's other current homes (owners keep their ownership, not living there).
  await sql`update person_house l set move_out = coalesce((s.data->>'moveIn')::date, current_date), updated_at = now(), version = l.version + 1
    from ${staged}
    where ${mine} and s.data->>'houseCode' is not null and l.district_code = p.district_code and l.person_id = p.id
      and l.house_code <> s.data->>'houseCode' and l.move_out is null and l.resides and l.relation <> 'owner'
      and coalesce((s.data->>'moveIn')::date, current_date) >= coalesce(l.move_in, '1900-01-01')`.execute(tx);
  await sql`update person_house l set resides = false, updated_at = now(), version = l.version + 1
    from ${staged}
    where ${mine} and s.data->>'houseCode' is not null and l.district_code = p.district_code and l.person_id = p.id
      and l.house_code <> s.data->>'houseCode' and l.move_out is null and l.resides and l.relation = 'owner'`.execute(tx);
  await sql`update person_house l set relation = s.data->>'relation', head_relation = s.data->>'headRelation', resides = true,
      updated_at = now(), version = l.version + 1
    from ${staged}
    where ${mine} and l.district_code = p.district_code and l.person_id = p.id and l.house_code = s.data->>'houseCode'
      and l.move_out is null and (l.relation <> s.data->>'relation' or l.head_relation <> s.data->>'headRelation' or not l.resides)`.execute(
    tx,
  );
  await sql`insert into person_house (district_code, person_id, house_code, relation, head_relation, resides, move_in)
    select p.district_code, p.id, s.data->>'houseCode', s.data->>'relation', s.data->>'headRelation', true,
      coalesce((s.data->>'moveIn')::date, current_date)
    from ${staged}
    where ${mine} and s.data->>'houseCode' is not null
      and not exists (select 1 from person_house l where l.district_code = p.district_code and l.person_id = p.id
                      and l.house_code = s.data->>'houseCode' and l.move_out is null)`.execute(tx);
}
