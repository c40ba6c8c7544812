import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import type { StagedPerson } from './import-rows.ts';
import type { GoodRow } from './import-scan.ts';
import { BATCH_COLUMNS, batchCopyText } from './import-copy.ts';

/**
 * The SQL that writes imported people into the registry. Rows pass through `import_batch`, a
 * typed temporary table of the merging transaction (no WAL, dropped at commit), and are written
 * once into `person` by one INSERT … ON CONFLICT per batch (a re-import updates: matched by the
 * document's blind index), with one history row per person, then tags and house links.
 *
 * Two feeders: `loadRows` (the CLI and any import whose mode is chosen up front: rows straight
 * from the file, batch after batch, in one transaction) and `loadStaged` (the web wizard: the
 * rows sealed into `import_staging` while the user looked at the errors).
 */

export interface MergeJob {
  districtCode: string;
  communityCode: string;
  communityPath: string;
  actorId: string | null;
  actorName: string;
}

export async function loadCopied(copy: (table: string, columns: readonly string[], text: string) => Promise<void>, rows: GoodRow[]) {
  if (rows.length) await copy('import_batch', BATCH_COLUMNS, batchCopyText(rows));
}

/** Creates the batch table for this transaction (idempotent; dropped at commit or rollback). */
export async function openBatch(tx: Transaction<DB>) {
  await sql`create temp table if not exists import_batch (
      row_no int not null, fresh boolean not null, name text not null, py text not null, ini text not null, id_type text not null,
      id_enc text not null, id_bidx text not null, gender text, birth date, phone_enc text, phone_bidx text,
      ethnicity text not null, household_place text not null, residency text not null, tags text[] not null,
      tag_items jsonb not null, house_code text, house_path text, relation text not null, head_relation text not null,
      move_in date, note text not null
    ) on commit drop`.execute(tx);
}

export async function clearBatch(tx: Transaction<DB>) {
  await sql`truncate import_batch`.execute(tx);
}

/** One parameter per column (arrays), whatever the batch size: no statement-size limit, one parse. */
export async function loadRows(tx: Transaction<DB>, rows: GoodRow[]) {
  if (!rows.length) return;
  const col = <T>(f: (p: StagedPerson) => T) => rows.map((r) => f(r.data));
  await sql`insert into import_batch
    select row_no, fresh, name, py, ini, id_type, id_enc, id_bidx, gender, birth, phone_enc, phone_bidx, ethnicity, household_place,
      residency, coalesce(string_to_array(nullif(tags, ''), ','), '{}'), tag_items::jsonb, house_code, house_path, relation,
      head_relation, move_in, note
    from unnest(${rows.map((r) => r.rowNo)}::int[], ${rows.map((r) => r.fresh === true)}::boolean[], ${col((p) => p.name)}::text[], ${col((p) => p.py)}::text[],
      ${col((p) => p.ini)}::text[], ${col((p) => p.idType)}::text[], ${col((p) => p.idEnc)}::text[], ${col((p) => p.idBidx)}::text[],
      ${col((p) => p.gender)}::text[], ${col((p) => p.birth)}::date[], ${col((p) => p.phoneEnc)}::text[],
      ${col((p) => p.phoneBidx)}::text[], ${col((p) => p.ethnicity)}::text[], ${col((p) => p.householdPlace)}::text[],
      ${col((p) => p.residency)}::text[], ${col((p) => p.tags.join(','))}::text[], ${col((p) => JSON.stringify(p.tagItems))}::text[],
      ${col((p) => p.houseCode)}::text[], ${col((p) => p.housePath)}::text[], ${col((p) => p.relation)}::text[],
      ${col((p) => p.headRelation)}::text[], ${col((p) => p.moveIn)}::date[], ${col((p) => p.note)}::text[])
      as u(row_no, fresh, name, py, ini, id_type, id_enc, id_bidx, gender, birth, phone_enc, phone_bidx, ethnicity, household_place,
        residency, tags, tag_items, house_code, house_path, relation, head_relation, move_in, note)`.execute(tx);
}

/** The rows a validated job sealed into `import_staging`. */
export async function loadStaged(tx: Transaction<DB>, districtCode: string, jobId: string) {
  await sql`insert into import_batch
    select row_no, false, d->>'name', d->>'py', d->>'ini', d->>'idType', d->>'idEnc', d->>'idBidx', d->>'gender', (d->>'birth')::date,
      d->>'phoneEnc', d->>'phoneBidx', d->>'ethnicity', d->>'householdPlace', d->>'residency',
      array(select jsonb_array_elements_text(d->'tags')), d->'tagItems', d->>'houseCode', d->>'housePath', d->>'relation',
      d->>'headRelation', (d->>'moveIn')::date, d->>'note'
    from (select row_no, data as d from import_staging where district_code = ${districtCode} and job_id = ${jobId}::uuid) s`.execute(tx);
}

const PERSON_JSON = (alias: string) =>
  sql.raw(`jsonb_build_object('name', ${alias}.name, 'houseCode', ${alias}.house_code,
  'ethnicity', ${alias}.ethnicity, 'householdPlace', ${alias}.household_place, 'residency', ${alias}.residency,
  'tags', to_jsonb(${alias}.tags), 'status', ${alias}.status)`);

/** What a batch holds, when the caller has its rows at hand: statements with nothing to do are skipped. */
export function batchShape(rows: GoodRow[]): BatchShape {
  return {
    known: rows.some((r) => r.fresh !== true),
    tags: rows.some((r) => r.data.tags.length > 0 || r.data.tagItems.length > 0),
    houses: rows.some((r) => r.data.houseCode !== null),
  };
}

export interface BatchShape {
  /** Some rows may be people already registered (not known to be fresh). */
  known: boolean;
  tags: boolean;
  houses: boolean;
}

/** Writes the batch into the registry; returns how many people were created and how many updated. */
export async function mergeBatch(tx: Transaction<DB>, job: MergeJob, shape?: BatchShape) {
  const created = await insertFresh(tx, job);
  const merged = !shape || shape.known ? await mergePersons(tx, job) : { created: 0, updated: 0 };
  const counts = { created: created + merged.created, updated: merged.updated };
  const { tags, houses } =
    shape ??
    (
      await sql<{ tags: boolean | null; houses: boolean | null }>`select
        bool_or(cardinality(tags) > 0 or jsonb_array_length(tag_items) > 0) as tags, bool_or(house_code is not null) as houses
      from import_batch`.execute(tx)
    ).rows[0];
  // A file without tags (or without house codes) skips those statements.
  if (tags) await mergeTags(tx, job);
  if (houses) await mergeLinks(tx, job);
  return counts;
}

const PERSON_COLUMNS = sql.raw(`district_code, community_code, house_code, path, name, name_pinyin, name_initials,
  id_type, id_enc, id_bidx, gender, birth_date, phone_enc, phone_bidx, ethnicity, household_place, residency, tags, note`);
const BATCH_VALUES = (job: MergeJob) => sql`${job.districtCode}, ${job.communityCode}, b.house_code,
  coalesce(b.house_path, ${job.communityPath})::ltree, b.name, b.py, b.ini, b.id_type, b.id_enc, b.id_bidx, b.gender, b.birth,
  b.phone_enc, b.phone_bidx, b.ethnicity, b.household_place, b.residency, b.tags, b.note`;

/**
 * People not in the registry when the batch was checked: a plain INSERT (cheaper than the
 * upsert's speculative insertion). Someone registered by another session in between makes the
 * unique index refuse the row, and the whole import rolls back.
 */
async function insertFresh(tx: Transaction<DB>, job: MergeJob) {
  const r = await sql<{ n: number }>`
    with up as (
      insert into person as p (${PERSON_COLUMNS})
      select ${BATCH_VALUES(job)} from import_batch b where b.fresh
      returning p.id, ${PERSON_JSON('p')} as after
    ), h as (
      insert into record_history (district_code, record_type, record_id, action, actor_id, actor_name, before, after)
      select ${job.districtCode}, 'person', up.id, 'import_create', ${job.actorId}::uuid, ${job.actorName}, null, up.after
      from up
      returning 1
    )
    select count(*)::int as n from h`.execute(tx);
  return r.rows[0].n;
}

/** People already registered (or not known to be new): upsert, with their state before. */
async function mergePersons(tx: Transaction<DB>, job: MergeJob) {
  const r = await sql<{ created: number; updated: number }>`
    with old as (
      select p.id, ${PERSON_JSON('p')} as before
      from person p join import_batch b on p.district_code = ${job.districtCode} and p.id_bidx = b.id_bidx and not b.fresh
    ), up as (
      insert into person as p (${PERSON_COLUMNS})
      select ${BATCH_VALUES(job)} from import_batch b where not b.fresh
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

function batchPeople(districtCode: string) {
  return sql`import_batch b join person p on p.district_code = ${districtCode} and p.id_bidx = b.id_bidx`;
}

/** Tags with provenance: a row that lists tags replaces the person's tags with those. */
async function mergeTags(tx: Transaction<DB>, job: MergeJob) {
  const staged = batchPeople(job.districtCode);
  await sql`delete from person_tag t using ${staged}
    where cardinality(b.tags) > 0 and t.district_code = p.district_code and t.person_id = p.id and t.tag <> all(b.tags)`.execute(tx);
  await sql`insert into person_tag (district_code, person_id, tag, level, set_by)
    select p.district_code, p.id, tg->>'tag', tg->>'level', ${job.actorName}
    from ${staged} cross join lateral jsonb_array_elements(b.tag_items) tg
    on conflict (district_code, person_id, tag) do update set level = excluded.level, set_by = excluded.set_by, set_at = now()
      where person_tag.level is distinct from excluded.level`.execute(tx);
}

/** Links to houses, closing the old home when the row names a new one. */
async function mergeLinks(tx: Transaction<DB>, job: MergeJob) {
  const staged = batchPeople(job.districtCode);
  // A new home closes the person's other current homes (owners keep their ownership, not living there).
  await sql`update person_house l set move_out = coalesce(b.move_in, current_date), updated_at = now(), version = l.version + 1
    from ${staged}
    where b.house_code is not null and l.district_code = p.district_code and l.person_id = p.id
      and l.house_code <> b.house_code and l.move_out is null and l.resides and l.relation <> 'owner'
      and coalesce(b.move_in, current_date) >= coalesce(l.move_in, '1900-01-01')`.execute(tx);
  await sql`update person_house l set resides = false, updated_at = now(), version = l.version + 1
    from ${staged}
    where b.house_code is not null and l.district_code = p.district_code and l.person_id = p.id
      and l.house_code <> b.house_code and l.move_out is null and l.resides and l.relation = 'owner'`.execute(tx);
  await sql`update person_house l set relation = b.relation, head_relation = b.head_relation, resides = true,
      updated_at = now(), version = l.version + 1
    from ${staged}
    where l.district_code = p.district_code and l.person_id = p.id and l.house_code = b.house_code
      and l.move_out is null and (l.relation <> b.relation or l.head_relation <> b.head_relation or not l.resides)`.execute(tx);
  await sql`insert into person_house (district_code, person_id, house_code, relation, head_relation, resides, move_in)
    select p.district_code, p.id, b.house_code, b.relation, b.head_relation, true, coalesce(b.move_in, current_date)
    from ${staged}
    where b.house_code is not null
      and not exists (select 1 from person_house l where l.district_code = p.district_code and l.person_id = p.id
                      and l.house_code = b.house_code and l.move_out is null)`.execute(tx);
}
