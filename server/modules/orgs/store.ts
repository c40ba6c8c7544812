import { sql, type Kysely } from 'kysely';
import type { DB, OrgKind } from '../../db/types.ts';
import type { Scope } from '../../core/permissions.ts';
import { inOrgScope } from '../../core/scope-sql.ts';

export interface OrgFilter {
  kind?: OrgKind;
  territoryCode?: string;
  parentId?: string;
  q?: string;
}

function base(db: Kysely<DB>, scope: Scope) {
  return db
    .selectFrom('org as o')
    .select([
      'o.id',
      'o.district_code',
      'o.kind',
      'o.level',
      'o.name',
      'o.parent_id',
      'o.territory_code',
      sql<string>`o.territory_path::text`.as('territory_path'),
      sql<string>`o.org_path::text`.as('org_path'),
      'o.contact_name',
      'o.version',
      'o.updated_at',
      sql<string | null>`coalesce((select d.name from division d where d.code = o.territory_code),
                                  (select g.name from grid g where g.code = o.territory_code),
                                  (select b.name from building b where b.code = o.territory_code))`.as('territory_name'),
    ])
    .where(inOrgScope(scope, 'o.org_path', 'o.territory_path'));
}

export async function listOrgs(db: Kysely<DB>, scope: Scope, f: OrgFilter, territoryPath: string | null, limit: number) {
  let q = base(db, scope);
  if (f.kind) q = q.where('o.kind', '=', f.kind);
  if (territoryPath) q = q.where(sql<boolean>`o.territory_path <@ ${territoryPath}::ltree`);
  if (f.parentId) q = q.where('o.parent_id', '=', f.parentId);
  if (f.q) q = q.where('o.name', 'like', `%${f.q.replace(/[%_\\]/g, '\\$&')}%`);
  return q
    .orderBy('o.kind')
    .orderBy(sql`nlevel(o.org_path)`)
    .orderBy('o.name')
    .limit(limit)
    .execute();
}

export async function findOrg(db: Kysely<DB>, scope: Scope, id: string) {
  return base(db, scope).where('o.id', '=', id).executeTakeFirst();
}

export async function orgExists(db: Kysely<DB>, id: string) {
  return (await db.selectFrom('org').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

export async function insertOrg(
  db: Kysely<DB>,
  row: {
    districtCode: string;
    kind: OrgKind;
    level: string | null;
    name: string;
    parentId: string | null;
    parentPath: string | null;
    territoryCode: string;
    territoryPath: string;
    contactName: string | null;
  },
) {
  const inserted = await db
    .insertInto('org')
    .values({
      district_code: row.districtCode,
      kind: row.kind,
      level: row.level,
      name: row.name,
      parent_id: row.parentId,
      territory_code: row.territoryCode,
      territory_path: row.territoryPath,
      org_path: 'pending',
      contact_name: row.contactName,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const label = 'o' + inserted.id.replace(/-/g, '');
  const path = row.parentPath ? `${row.parentPath}.${label}` : label;
  await db.updateTable('org').set({ org_path: path }).where('district_code', '=', row.districtCode).where('id', '=', inserted.id).execute();
  return inserted.id;
}

export async function updateOrg(
  db: Kysely<DB>,
  districtCode: string,
  id: string,
  version: number,
  patch: { name?: string; contactName?: string | null },
) {
  return db
    .updateTable('org')
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.contactName !== undefined ? { contact_name: patch.contactName } : {}),
      updated_at: new Date(),
      version: sql`version + 1`,
    })
    .where('district_code', '=', districtCode)
    .where('id', '=', id)
    .where('version', '=', version)
    .returning(['id', 'version'])
    .executeTakeFirst();
}
