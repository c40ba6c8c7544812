import { sql, type Kysely } from 'kysely';
import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../../core/audit.ts';
import { pathInScope } from '../../core/permissions.ts';
import type { DB } from '../../db/types.ts';
import { CATALOGUE_TEMPLATES, type CatalogueTemplate } from './catalogue-data.ts';
import { certificateType } from './certificate-rules.ts';
import { actorPerson, auditEntry, communitiesOf, findCommunity } from './common.ts';

/** The service catalogue (服务事项目录, V1): configured per district, published per community. */

export interface Material {
  name: string;
  required: boolean;
}

function itemSelect(db: Kysely<DB>) {
  return db
    .selectFrom('service_item as i')
    .innerJoin('service_category as c', (j) => j.onRef('c.district_code', '=', 'i.district_code').onRef('c.id', '=', 'i.category_id'))
    .select([
      'i.district_code',
      'i.id',
      'i.category_id',
      'c.name as category_name',
      'c.sort as category_sort',
      'i.code',
      'i.name',
      'i.description',
      'i.eligibility',
      'i.materials',
      'i.handler_role',
      'i.time_limit_days',
      'i.fee_fen',
      'i.certificate_type',
      'i.online',
      'i.home_visit',
      'i.active',
      'i.sort',
      'i.version',
    ]);
}
type ItemRow = Awaited<ReturnType<ReturnType<typeof itemSelect>['executeTakeFirstOrThrow']>>;

export function itemView(r: ItemRow, communities?: string[]) {
  return {
    id: r.id,
    districtCode: r.district_code,
    categoryId: r.category_id,
    categoryName: r.category_name,
    code: r.code,
    name: r.name,
    description: r.description,
    eligibility: r.eligibility,
    materials: r.materials as Material[],
    handlerRole: r.handler_role,
    timeLimitDays: r.time_limit_days,
    feeFen: r.fee_fen,
    certificateType: r.certificate_type,
    givesCertificate: r.certificate_type !== null,
    online: r.online,
    homeVisit: r.home_visit,
    active: r.active,
    version: r.version,
    ...(communities ? { communities } : {}),
  };
}
export type ItemView = ReturnType<typeof itemView>;

export async function findItem(db: Kysely<DB>, id: string) {
  return itemSelect(db).where('i.id', '=', id).executeTakeFirst();
}

export async function isPublished(db: Kysely<DB>, districtCode: string, itemId: string, communityCode: string) {
  const r = await db
    .selectFrom('service_item_community')
    .select('item_id')
    .where('district_code', '=', districtCode)
    .where('item_id', '=', itemId)
    .where('community_code', '=', communityCode)
    .executeTakeFirst();
  return r !== undefined;
}

/** Installs a template (Yinzhou's or Daoli's shape) as a district's catalogue and publishes it in the given communities. */
export async function installTemplate(db: Kysely<DB>, districtCode: string, template: CatalogueTemplate, communityCodes: string[]) {
  const spec = CATALOGUE_TEMPLATES[template];
  let items = 0;
  for (const [ci, cat] of spec.entries()) {
    const c = await db
      .insertInto('service_category')
      .values({ district_code: districtCode, name: cat.name, sort: ci + 1 })
      .onConflict((oc) => oc.columns(['district_code', 'name']).doUpdateSet({ sort: ci + 1 }))
      .returning('id')
      .executeTakeFirstOrThrow();
    const rows = cat.items.map((it, ii) => ({
      district_code: districtCode,
      category_id: c.id,
      code: `${String(ci + 1).padStart(2, '0')}${String(ii + 1).padStart(2, '0')}`,
      name: it.name,
      description: it.description,
      eligibility: it.eligibility,
      materials: JSON.stringify(it.materials),
      time_limit_days: it.timeLimitDays,
      fee_fen: it.feeFen ?? 0,
      certificate_type: it.certificateType ?? null,
      home_visit: it.homeVisit ?? false,
      sort: ii + 1,
    }));
    const inserted = await db
      .insertInto('service_item')
      .values(rows)
      .onConflict((oc) => oc.columns(['district_code', 'code']).doNothing())
      .returning('id')
      .execute();
    items += inserted.length;
    if (communityCodes.length && inserted.length) {
      await db
        .insertInto('service_item_community')
        .values(inserted.flatMap((r) => communityCodes.map((cc) => ({ district_code: districtCode, item_id: r.id, community_code: cc }))))
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  }
  return { categories: spec.length, items };
}

/** The community a caller browses by default: their own home, else the first community they work in. */
async function defaultCommunity(ctx: AppContext, actor: Actor): Promise<string> {
  const p = await actorPerson(ctx.db, actor);
  if (p) return p.community_code;
  const c = communitiesOf(actor)[0];
  if (!c) throw new AppError('VALIDATION_FAILED', { problems: [{ field: 'communityCode', reason: '请选择社区' }] });
  return c;
}

/** Items published in a community, grouped by category (what residents and the window see). */
export async function communityCatalogue(ctx: AppContext, actor: Actor, communityCode?: string) {
  const code = communityCode ?? (await defaultCommunity(ctx, actor));
  const community = await findCommunity(ctx.db, code);
  const own = await actorPerson(ctx.db, actor);
  if (!pathInScope(actor.scope('service.read'), community.path) && own?.community_code !== code) throw new AppError('OUT_OF_SCOPE');
  const rows = await itemSelect(ctx.db)
    .innerJoin('service_item_community as sc', (j) =>
      j.onRef('sc.district_code', '=', 'i.district_code').onRef('sc.item_id', '=', 'i.id').on('sc.community_code', '=', code),
    )
    .where('i.district_code', '=', community.districtCode)
    .where('i.active', '=', true)
    .orderBy('c.sort')
    .orderBy('i.sort')
    .execute();
  return { community: { code: community.code, name: community.name }, categories: group(rows.map((r) => itemView(r))) };
}

function group(items: ItemView[]) {
  const out: { id: string; name: string; items: ItemView[] }[] = [];
  for (const it of items) {
    let g = out.find((c) => c.id === it.categoryId);
    if (!g) out.push((g = { id: it.categoryId, name: it.categoryName, items: [] }));
    g.items.push(it);
  }
  return out;
}

/** A district's whole catalogue with the communities each item is published in (for configuration). */
export async function districtCatalogue(ctx: AppContext, actor: Actor, districtCode: string) {
  const district = await ctx.db
    .selectFrom('division')
    .select(['code', 'name', sql<string>`path::text`.as('path')])
    .where('code', '=', districtCode)
    .executeTakeFirst();
  if (!district) throw new AppError('TERRITORY_NOT_FOUND', { districtCode });
  const scope = actor.scope('service.configure');
  if (!pathInScope(scope, district.path)) throw new AppError('OUT_OF_SCOPE');
  const rows = await itemSelect(ctx.db).where('i.district_code', '=', districtCode).orderBy('c.sort').orderBy('i.sort').execute();
  const pubs = await ctx.db
    .selectFrom('service_item_community')
    .select(['item_id', 'community_code'])
    .where('district_code', '=', districtCode)
    .execute();
  const by = new Map<string, string[]>();
  for (const p of pubs) by.set(p.item_id, [...(by.get(p.item_id) ?? []), p.community_code]);
  return { district: { code: district.code, name: district.name }, categories: group(rows.map((r) => itemView(r, by.get(r.id) ?? []))) };
}

export async function getItem(ctx: AppContext, id: string) {
  const r = await findItem(ctx.db, id);
  if (!r) throw new AppError('NOT_FOUND', { id });
  return itemView(r);
}

export interface ItemPatch {
  version: number;
  name?: string;
  description?: string;
  eligibility?: string;
  materials?: Material[];
  timeLimitDays?: number;
  feeFen?: number;
  certificateType?: string | null;
  homeVisit?: boolean;
  active?: boolean;
  handlerRole?: string;
}

/** The roles that may handle an item (办理角色): the community's window, the street, the district. */
export const HANDLER_ROLES = ['community_worker', 'street_staff', 'district_admin'] as const;

async function districtPath(db: Kysely<DB>, districtCode: string) {
  const d = await db
    .selectFrom('division')
    .select(sql<string>`path::text`.as('path'))
    .where('code', '=', districtCode)
    .executeTakeFirst();
  return d?.path ?? districtCode;
}

export async function updateItem(ctx: AppContext, actor: Actor, id: string, patch: ItemPatch) {
  const before = await findItem(ctx.db, id);
  if (!before) throw new AppError('NOT_FOUND', { id });
  if (!pathInScope(actor.scope('service.configure'), await districtPath(ctx.db, before.district_code))) throw new AppError('FORBIDDEN');
  if (patch.certificateType && !certificateType(patch.certificateType)?.communityMayIssue) {
    throw new AppError('VALIDATION_FAILED', { problems: [{ field: 'certificateType', reason: '社区不能出具该类证明' }] });
  }
  // An item that ends with a community certificate is handled where the certificate is issued.
  const endsWithCertificate = patch.certificateType !== undefined ? patch.certificateType : before.certificate_type;
  if (endsWithCertificate && (patch.handlerRole ?? before.handler_role) !== 'community_worker') {
    throw new AppError('VALIDATION_FAILED', {
      problems: [{ field: 'handlerRole', reason: '以出具社区证明结束的事项须由社区工作者办理（证明由社区出具）' }],
    });
  }
  await ctx.db.transaction().execute(async (tx) => {
    const r = await tx
      .updateTable('service_item')
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(patch.eligibility !== undefined ? { eligibility: patch.eligibility } : {}),
        ...(patch.materials !== undefined ? { materials: JSON.stringify(patch.materials) } : {}),
        ...(patch.timeLimitDays !== undefined ? { time_limit_days: patch.timeLimitDays } : {}),
        ...(patch.feeFen !== undefined ? { fee_fen: patch.feeFen } : {}),
        ...(patch.certificateType !== undefined ? { certificate_type: patch.certificateType } : {}),
        ...(patch.homeVisit !== undefined ? { home_visit: patch.homeVisit } : {}),
        ...(patch.active !== undefined ? { active: patch.active } : {}),
        ...(patch.handlerRole !== undefined ? { handler_role: patch.handlerRole } : {}),
        updated_at: new Date(),
        version: sql`version + 1`,
      })
      .where('district_code', '=', before.district_code)
      .where('id', '=', id)
      .where('version', '=', patch.version)
      .returning('id')
      .executeTakeFirst();
    if (!r) throw new AppError('VERSION_CONFLICT', { currentVersion: before.version });
    await appendAudit(
      tx,
      auditEntry(actor, 'service.item.update', 'service_item', id, before.district_code, {
        fields: Object.keys(patch).filter((k) => k !== 'version'),
      }),
    );
  });
  return getItem(ctx, id);
}

export interface NewItem {
  districtCode: string;
  categoryName: string;
  name: string;
  description?: string;
  eligibility: string;
  materials: Material[];
  timeLimitDays: number;
  feeFen?: number;
  certificateType?: string | null;
  homeVisit?: boolean;
}

export async function createItem(ctx: AppContext, actor: Actor, input: NewItem) {
  if (!pathInScope(actor.scope('service.configure'), await districtPath(ctx.db, input.districtCode))) throw new AppError('OUT_OF_SCOPE');
  if (input.certificateType && !certificateType(input.certificateType)?.communityMayIssue) {
    throw new AppError('VALIDATION_FAILED', { problems: [{ field: 'certificateType', reason: '社区不能出具该类证明' }] });
  }
  const id = await ctx.db.transaction().execute(async (tx) => {
    const cat = await tx
      .insertInto('service_category')
      .values({ district_code: input.districtCode, name: input.categoryName, sort: 99 })
      .onConflict((oc) => oc.columns(['district_code', 'name']).doUpdateSet({ updated_at: new Date() }))
      .returning('id')
      .executeTakeFirstOrThrow();
    const n = await tx
      .selectFrom('service_item')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('district_code', '=', input.districtCode)
      .executeTakeFirstOrThrow();
    const row = await tx
      .insertInto('service_item')
      .values({
        district_code: input.districtCode,
        category_id: cat.id,
        code: `X${String(n.n + 1).padStart(3, '0')}`,
        name: input.name,
        description: input.description ?? '',
        eligibility: input.eligibility,
        materials: JSON.stringify(input.materials),
        time_limit_days: input.timeLimitDays,
        fee_fen: input.feeFen ?? 0,
        certificate_type: input.certificateType ?? null,
        home_visit: input.homeVisit ?? false,
        sort: 100 + n.n,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendAudit(tx, auditEntry(actor, 'service.item.create', 'service_item', row.id, input.districtCode, { name: input.name }));
    return row.id;
  });
  return getItem(ctx, id);
}

/** Publishes an item in a community, or withdraws it (per-community publication). */
export async function publishItem(ctx: AppContext, actor: Actor, id: string, communityCode: string, published: boolean) {
  const item = await findItem(ctx.db, id);
  if (!item) throw new AppError('NOT_FOUND', { id });
  const community = await findCommunity(ctx.db, communityCode);
  if (community.districtCode !== item.district_code) throw new AppError('VALIDATION_FAILED', { reason: 'community_in_other_district' });
  if (!pathInScope(actor.scope('service.configure'), community.path)) throw new AppError('OUT_OF_SCOPE');
  await ctx.db.transaction().execute(async (tx) => {
    if (published) {
      await tx
        .insertInto('service_item_community')
        .values({ district_code: item.district_code, item_id: id, community_code: communityCode })
        .onConflict((oc) => oc.doNothing())
        .execute();
    } else {
      await tx
        .deleteFrom('service_item_community')
        .where('district_code', '=', item.district_code)
        .where('item_id', '=', id)
        .where('community_code', '=', communityCode)
        .execute();
    }
    await appendAudit(
      tx,
      auditEntry(actor, published ? 'service.item.publish' : 'service.item.unpublish', 'service_item', id, communityCode),
    );
  });
  return { itemId: id, communityCode, published };
}
