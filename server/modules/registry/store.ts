import { sql, type Kysely, type SqlBool, type Updateable } from 'kysely';
import type { DB, HouseRelation, IdType, PersonStatus, Residency } from '../../db/types.ts';
import type { Scope } from '../../core/permissions.ts';
import { inTerritoryScope } from '../../core/scope-sql.ts';

/** SQL for persons (实有人口), their links to houses (人房关系) and the change history. */

/** The columns of a person as the registry shows them, with the address of their house. */
const PERSON_COLUMNS = [
  'p.district_code',
  'p.id',
  'p.community_code',
  'p.house_code',
  sql<string>`p.path::text`.as('path'),
  'p.name',
  'p.name_pinyin',
  'p.name_initials',
  'p.id_type',
  'p.id_enc',
  'p.phone_enc',
  'p.gender',
  sql<string | null>`to_char(p.birth_date, 'YYYY-MM-DD')`.as('birth_date'),
  'p.ethnicity',
  'p.household_place',
  'p.residency',
  'p.tags',
  'p.status',
  'p.user_id',
  'p.note',
  'p.version',
  'p.created_at',
  'p.updated_at',
  sql<string | null>`case when h.code is null then null else b.address || u.name || h.room_label || '室' end`.as('address'),
] as const;

export function personSelect(db: Kysely<DB>, scope: Scope) {
  return db
    .selectFrom('person as p')
    .leftJoin('house as h', (j) => j.onRef('h.district_code', '=', 'p.district_code').onRef('h.code', '=', 'p.house_code'))
    .leftJoin('building_unit as u', (j) => j.onRef('u.district_code', '=', 'h.district_code').onRef('u.code', '=', 'h.unit_code'))
    .leftJoin('building as b', (j) => j.onRef('b.district_code', '=', 'h.district_code').onRef('b.code', '=', 'h.building_code'))
    .select(PERSON_COLUMNS)
    .where(inTerritoryScope(scope, 'p.path'));
}

export type PersonRow = NonNullable<Awaited<ReturnType<typeof findPerson>>>;

export async function findPerson(db: Kysely<DB>, scope: Scope, id: string) {
  return personSelect(db, scope).where('p.id', '=', id).executeTakeFirst();
}

/** Exact lookup by the blind index of the document number, within the caller's scope. */
export async function findPersonByIdNumber(db: Kysely<DB>, scope: Scope, idBidx: string) {
  return personSelect(db, scope).where('p.id_bidx', '=', idBidx).execute();
}

export async function findPersonsByPhone(db: Kysely<DB>, scope: Scope, phoneBidx: string) {
  return personSelect(db, scope).where('p.phone_bidx', '=', phoneBidx).execute();
}

/** The registered person behind a resident's account (app_user), for modules that serve residents. */
export async function findPersonByUserId(db: Kysely<DB>, userId: string) {
  return personSelect(db, { all: true }).where('p.user_id', '=', userId).executeTakeFirst();
}

/** The person in this district with this document (any scope): re-registration updates it. */
export async function personIdByBidx(db: Kysely<DB>, districtCode: string, idBidx: string) {
  const r = await db
    .selectFrom('person')
    .select(['id', 'version'])
    .where('district_code', '=', districtCode)
    .where('id_bidx', '=', idBidx)
    .executeTakeFirst();
  return r ?? null;
}

export async function personPlace(db: Kysely<DB>, id: string) {
  return db
    .selectFrom('person')
    .select(['district_code', 'community_code', sql<string>`path::text`.as('path')])
    .where('id', '=', id)
    .executeTakeFirst();
}

export interface PersonSearch {
  /** Name prefix (Chinese) */
  namePrefix?: string;
  /** Name substring (trigram index), when the prefix finds nothing. */
  nameContains?: string;
  initialsPrefix?: string;
  pinyinPrefix?: string;
  idBidx?: string;
  /** Any of these blind indexes (a passport or permit number typed without its type). */
  idBidxAny?: string[];
  phoneBidx?: string;
  houseCodePrefix?: string;
  address?: string;
  tags?: string[];
  residency?: Residency;
  gender?: 'M' | 'F';
  /** Born on or before (age at least). */
  bornOnOrBefore?: string;
  /** Born after (age at most). */
  bornAfter?: string;
  territoryPath?: string;
  status?: PersonStatus;
}

export interface Cursor {
  key: string;
  id: string;
}

/**
 * Search with keyset pagination. The sort key is the pinyin of the name (so lists read in
 * 拼音 order, as Chinese users expect), or the initials when searching by initials.
 *
 * Two steps in one statement: `page` finds the page's person ids alone — for a name or initials
 * search an index-only scan of person_pinyin_page_idx / person_initials_page_idx (migration
 * 0007), whose entries carry the name, status, path and district, so the scope and name tests
 * need no table row and the scan stops when the page is full — then only those people are read
 * with their houses' addresses. Joining the address before the LIMIT made a common name
 * (李斌, ~1,700 among a million) read and join every namesake (issue 3, search p95).
 */
export async function searchPersons(db: Kysely<DB>, scope: Scope, f: PersonSearch, cursor: Cursor | null, limit: number) {
  const sortCol = f.initialsPrefix !== undefined ? 'p.name_initials' : 'p.name_pinyin';
  let page = db
    .selectFrom('person as p')
    .select(['p.district_code', 'p.id', sql<string>`${sql.ref(sortCol)}`.as('sort_key')])
    .where(inTerritoryScope(scope, 'p.path'));
  const like = (s: string) => s.replace(/[%_\\]/g, '\\$&');
  if (f.namePrefix && f.pinyinPrefix) {
    // The pinyin range finds the candidates in page order; the name test is written so that no
    // index on the name alone matches it (the planner, misjudging how many share both, would
    // otherwise fetch every namesake's row and sort them) and is checked inside the index entry.
    page = page
      .where('p.name_pinyin', 'like', `${like(f.pinyinPrefix)}%`)
      .where(sql<SqlBool>`left(p.name, ${[...f.namePrefix].length}) = ${f.namePrefix}`);
  } else if (f.namePrefix) page = page.where('p.name', 'like', `${like(f.namePrefix)}%`);
  else if (f.pinyinPrefix) page = page.where('p.name_pinyin', 'like', `${like(f.pinyinPrefix)}%`);
  if (f.nameContains) page = page.where('p.name', 'like', `%${like(f.nameContains)}%`);
  if (f.initialsPrefix) page = page.where('p.name_initials', 'like', `${like(f.initialsPrefix)}%`);
  if (f.idBidx) page = page.where('p.id_bidx', '=', f.idBidx);
  if (f.idBidxAny?.length) page = page.where('p.id_bidx', 'in', f.idBidxAny);
  if (f.phoneBidx) page = page.where('p.phone_bidx', '=', f.phoneBidx);
  if (f.houseCodePrefix) page = page.where('p.house_code', 'like', `${like(f.houseCodePrefix)}%`);
  if (f.address) {
    const a = `%${like(f.address)}%`;
    page = page.where(
      sql<SqlBool>`exists (select 1 from house h
        join building_unit u on u.district_code = h.district_code and u.code = h.unit_code
        join building b on b.district_code = h.district_code and b.code = h.building_code
        where h.district_code = p.district_code and h.code = p.house_code and (b.address || u.name || h.room_label || '室') like ${a})`,
    );
  }
  if (f.tags?.length) page = page.where(sql<SqlBool>`p.tags @> ${sql.val(f.tags)}::text[]`);
  if (f.residency) page = page.where('p.residency', '=', f.residency);
  if (f.gender) page = page.where('p.gender', '=', f.gender);
  if (f.bornOnOrBefore) page = page.where(sql<SqlBool>`p.birth_date <= ${f.bornOnOrBefore}::date`);
  if (f.bornAfter) page = page.where(sql<SqlBool>`p.birth_date > ${f.bornAfter}::date`);
  if (f.territoryPath) page = page.where(sql<SqlBool>`p.path <@ ${f.territoryPath}::ltree`);
  page = page.where('p.status', '=', f.status ?? 'active');
  if (cursor) page = page.where(sql<SqlBool>`(${sql.ref(sortCol)}, p.id) > (${cursor.key}, ${cursor.id}::uuid)`);
  page = page.orderBy(sql.ref(sortCol)).orderBy('p.id').limit(limit);
  return db
    .with('page', () => page)
    .selectFrom('page')
    .innerJoin('person as p', (j) => j.onRef('p.district_code', '=', 'page.district_code').onRef('p.id', '=', 'page.id'))
    .leftJoin('house as h', (j) => j.onRef('h.district_code', '=', 'p.district_code').onRef('h.code', '=', 'p.house_code'))
    .leftJoin('building_unit as u', (j) => j.onRef('u.district_code', '=', 'h.district_code').onRef('u.code', '=', 'h.unit_code'))
    .leftJoin('building as b', (j) => j.onRef('b.district_code', '=', 'h.district_code').onRef('b.code', '=', 'h.building_code'))
    .select(PERSON_COLUMNS)
    .select('page.sort_key')
    .orderBy('page.sort_key')
    .orderBy('p.id')
    .execute();
}

export async function insertPerson(
  db: Kysely<DB>,
  row: {
    districtCode: string;
    communityCode: string;
    houseCode: string | null;
    path: string;
    name: string;
    namePinyin: string;
    nameInitials: string;
    idType: IdType;
    idEnc: string;
    idBidx: string;
    gender: 'M' | 'F' | null;
    birthDate: string | null;
    phoneEnc: string | null;
    phoneBidx: string | null;
    ethnicity: string;
    householdPlace: string;
    residency: Residency;
    tags: string[];
    note: string;
    userId?: string | null;
  },
): Promise<string> {
  const r = await db
    .insertInto('person')
    .values({
      district_code: row.districtCode,
      community_code: row.communityCode,
      house_code: row.houseCode,
      path: row.path,
      name: row.name,
      name_pinyin: row.namePinyin,
      name_initials: row.nameInitials,
      id_type: row.idType,
      id_enc: row.idEnc,
      id_bidx: row.idBidx,
      gender: row.gender,
      birth_date: row.birthDate,
      phone_enc: row.phoneEnc,
      phone_bidx: row.phoneBidx,
      ethnicity: row.ethnicity,
      household_place: row.householdPlace,
      residency: row.residency,
      tags: row.tags,
      note: row.note,
      user_id: row.userId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export type PersonPatch = Partial<{
  name: string;
  name_pinyin: string;
  name_initials: string;
  phone_enc: string | null;
  phone_bidx: string | null;
  ethnicity: string;
  household_place: string;
  residency: Residency;
  tags: string[];
  status: PersonStatus;
  note: string;
  house_code: string | null;
  community_code: string;
  path: string;
}>;

/** The registry's mutable records: each row has district_code, id, version and updated_at. */
export type VersionedTable = 'person' | 'person_house' | 'org_unit' | 'vehicle' | 'tenancy' | 'visitor';

type VersionedRow = { district_code: string; id: string; version: number; updated_at: Date };

/**
 * The one versioned update of the registry: sets the patch, bumps version and updated_at, and
 * only when the row still has the version the caller read (null: a system-side change that
 * checks no version). Undefined means a stale version (the service answers 409). Callers write
 * the history row with the before and after they hold, in the same transaction.
 */
export async function updateVersioned<T extends VersionedTable>(
  db: Kysely<DB>,
  table: T,
  districtCode: string,
  id: string,
  version: number | null,
  patch: Omit<Updateable<DB[T]>, keyof VersionedRow>,
): Promise<{ id: string; version: number } | undefined> {
  // One body for six tables: Kysely cannot narrow a generic table name, so the query is built on
  // the columns every versioned table shares; the patch is typed by the caller's table.
  const q0 = (db as unknown as Kysely<{ versioned: VersionedRow }>)
    .updateTable(table as unknown as 'versioned')
    .set({ ...(patch as object), updated_at: new Date(), version: sql<number>`version + 1` })
    .where('district_code', '=', districtCode)
    .where('id', '=', id);
  const q = version === null ? q0 : q0.where('version', '=', version);
  return q.returning(['id', 'version']).executeTakeFirst();
}

/** Changes a person when the version still matches; undefined means a stale version. */
export async function updatePerson(db: Kysely<DB>, districtCode: string, id: string, version: number | null, patch: PersonPatch) {
  return updateVersioned(db, 'person', districtCode, id, version, patch);
}

// ---------------------------------------------------------------- tags with provenance

export async function tagsOf(db: Kysely<DB>, districtCode: string, personId: string) {
  return db
    .selectFrom('person_tag')
    .select(['tag', 'level', 'set_by', 'set_at'])
    .where('district_code', '=', districtCode)
    .where('person_id', '=', personId)
    .orderBy('set_at')
    .execute();
}

export async function replaceTags(
  db: Kysely<DB>,
  districtCode: string,
  personId: string,
  tags: { tag: string; level: string | null }[],
  setBy: string,
) {
  const keep = tags.map((t) => t.tag);
  let del = db.deleteFrom('person_tag').where('district_code', '=', districtCode).where('person_id', '=', personId);
  if (keep.length) del = del.where('tag', 'not in', keep);
  await del.execute();
  if (!tags.length) return;
  await db
    .insertInto('person_tag')
    .values(tags.map((t) => ({ district_code: districtCode, person_id: personId, tag: t.tag, level: t.level, set_by: setBy })))
    // An unchanged tag keeps who set it first and when; a new level is a new setting.
    .onConflict((oc) =>
      oc
        .columns(['district_code', 'person_id', 'tag'])
        .doUpdateSet({ level: sql`excluded.level`, set_by: sql`excluded.set_by`, set_at: sql`now()` })
        .where(sql<SqlBool>`person_tag.level is distinct from excluded.level`),
    )
    .execute();
}

// ---------------------------------------------------------------- person ↔ house links

function linkSelect(db: Kysely<DB>) {
  return db
    .selectFrom('person_house as l')
    .innerJoin('person as p', (j) => j.onRef('p.district_code', '=', 'l.district_code').onRef('p.id', '=', 'l.person_id'))
    .innerJoin('house as h', (j) => j.onRef('h.district_code', '=', 'l.district_code').onRef('h.code', '=', 'l.house_code'))
    .innerJoin('building_unit as u', (j) => j.onRef('u.district_code', '=', 'h.district_code').onRef('u.code', '=', 'h.unit_code'))
    .innerJoin('building as b', (j) => j.onRef('b.district_code', '=', 'h.district_code').onRef('b.code', '=', 'h.building_code'))
    .select([
      'l.district_code',
      'l.id',
      'l.person_id',
      'l.house_code',
      'l.relation',
      'l.head_relation',
      'l.resides',
      sql<string | null>`l.share::text`.as('share'),
      sql<string | null>`to_char(l.move_in, 'YYYY-MM-DD')`.as('move_in'),
      sql<string | null>`to_char(l.move_out, 'YYYY-MM-DD')`.as('move_out'),
      'l.version',
      'p.name as person_name',
      'p.gender',
      sql<string | null>`to_char(p.birth_date, 'YYYY-MM-DD')`.as('birth_date'),
      'p.tags',
      'p.id_enc',
      'p.phone_enc',
      'p.status as person_status',
      sql<string>`b.address || u.name || h.room_label || '室'`.as('address'),
      sql<string>`h.path::text`.as('house_path'),
    ]);
}

export type LinkRow = Awaited<ReturnType<typeof linksOfPerson>>[number];

export async function linksOfPerson(db: Kysely<DB>, districtCode: string, personId: string) {
  return linkSelect(db)
    .where('l.district_code', '=', districtCode)
    .where('l.person_id', '=', personId)
    .orderBy(sql`l.move_out is null`, 'desc')
    .orderBy('l.move_in', 'desc')
    .execute();
}

/** Everyone linked to a house, current links first (户 view). */
export async function linksOfHouse(db: Kysely<DB>, districtCode: string, houseCode: string, includePast: boolean) {
  let q = linkSelect(db).where('l.district_code', '=', districtCode).where('l.house_code', '=', houseCode);
  if (!includePast) q = q.where('l.move_out', 'is', null);
  return q
    .orderBy(sql`l.move_out is null`, 'desc')
    .orderBy(sql`case l.head_relation when '户主' then 0 else 1 end`)
    .orderBy(sql`p.birth_date`)
    .execute();
}

export async function findLink(db: Kysely<DB>, districtCode: string, id: string) {
  return linkSelect(db).where('l.district_code', '=', districtCode).where('l.id', '=', id).executeTakeFirst();
}

export async function insertLink(
  db: Kysely<DB>,
  row: {
    districtCode: string;
    personId: string;
    houseCode: string;
    relation: HouseRelation;
    headRelation: string;
    resides: boolean;
    share: number | null;
    moveIn: string | null;
    moveOut?: string | null;
  },
) {
  const r = await db
    .insertInto('person_house')
    .values({
      district_code: row.districtCode,
      person_id: row.personId,
      house_code: row.houseCode,
      relation: row.relation,
      head_relation: row.headRelation,
      resides: row.resides,
      share: row.share,
      move_in: row.moveIn,
      move_out: row.moveOut ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function updateLink(
  db: Kysely<DB>,
  districtCode: string,
  id: string,
  version: number,
  patch: Partial<{
    relation: HouseRelation;
    head_relation: string;
    resides: boolean;
    share: number | null;
    move_in: string | null;
    move_out: string | null;
  }>,
) {
  return updateVersioned(db, 'person_house', districtCode, id, version, patch);
}

/** The house a person currently lives in (latest open link that `resides`), or null. */
export async function currentResidence(db: Kysely<DB>, districtCode: string, personId: string) {
  const r = await db
    .selectFrom('person_house as l')
    .innerJoin('house as h', (j) => j.onRef('h.district_code', '=', 'l.district_code').onRef('h.code', '=', 'l.house_code'))
    .select(['l.house_code', sql<string>`h.path::text`.as('path')])
    .where('l.district_code', '=', districtCode)
    .where('l.person_id', '=', personId)
    .where('l.resides', '=', true)
    .where('l.move_out', 'is', null)
    .orderBy('l.move_in', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r ?? null;
}

/**
 * Current owners per house under a territory path (业主 for Civil Code Art. 278 votes): house
 * code, exclusive area (专有部分面积, house.area) and the owners' person ids. Houses without a
 * registered owner are included with an empty list, so a vote knows its whole denominator.
 */
export async function ownersOfHouses(db: Kysely<DB>, scope: Scope, territoryPath: string) {
  const rows = await db
    .selectFrom('house as h')
    .leftJoin('person_house as l', (j) =>
      j
        .onRef('l.district_code', '=', 'h.district_code')
        .onRef('l.house_code', '=', 'h.code')
        .on('l.relation', '=', 'owner')
        .on('l.move_out', 'is', null),
    )
    .select([
      'h.code',
      'h.district_code',
      sql<string | null>`h.area::text`.as('area'),
      sql<string[]>`coalesce(array_agg(l.person_id::text order by l.move_in, l.person_id) filter (where l.person_id is not null), '{}')`.as(
        'owner_ids',
      ),
    ])
    .where(sql<SqlBool>`h.path <@ ${territoryPath}::ltree`)
    .where(inTerritoryScope(scope, 'h.path'))
    .groupBy(['h.district_code', 'h.code', 'h.area'])
    .orderBy('h.code')
    .execute();
  return rows.map((r) => ({
    houseCode: r.code,
    districtCode: r.district_code,
    area: r.area === null ? null : Number(r.area),
    ownerIds: r.owner_ids,
  }));
}

// ---------------------------------------------------------------- history

export async function insertHistory(
  db: Kysely<DB>,
  e: {
    districtCode: string;
    recordType: string;
    recordId: string;
    action: string;
    actorId: string | null;
    actorName: string;
    before: unknown;
    after: unknown;
  },
) {
  await db
    .insertInto('record_history')
    .values({
      district_code: e.districtCode,
      record_type: e.recordType,
      record_id: e.recordId,
      action: e.action,
      actor_id: e.actorId,
      actor_name: e.actorName,
      before: e.before === null ? null : JSON.stringify(e.before),
      after: e.after === null ? null : JSON.stringify(e.after),
    })
    .execute();
}

export async function historyOf(db: Kysely<DB>, districtCode: string, recordId: string, limit = 200) {
  return db
    .selectFrom('record_history')
    .select(['id', 'record_type', 'action', 'actor_name', 'at', 'before', 'after'])
    .where('district_code', '=', districtCode)
    .where('record_id', '=', recordId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
