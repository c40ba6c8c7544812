import { sql } from 'kysely';
import type { AppContext } from '../../core/context.ts';
import { systemActor } from '../../core/context.ts';
import { appendAudit } from '../../core/audit.ts';
import { randomToken, sha256 } from '../../core/crypto.ts';
import { AppError } from '../../core/errors.ts';
import * as service from './service.ts';
import * as store from './store.ts';

/**
 * Open311 GeoReport v2 (E6), the rules: categories are the services, events are the service
 * requests (open / closed), a request filed here enters the same closed loop. Only requests filed
 * through Open311 are listed publicly, so residents' reports made elsewhere never leak out.
 * The HTTP and the JSON/XML shapes are in open311-routes.ts.
 */

export class Open311Error extends Error {
  constructor(
    readonly status: number,
    readonly description: string,
  ) {
    super(description);
  }
}

/** ISO 8601 with the Shanghai offset, as the specification's examples show (2010-04-14T06:37:38-08:00). */
export function w3cDate(d: Date | string | null): string | null {
  if (!d) return null;
  const local = new Date(new Date(d).getTime() + 8 * 3600_000).toISOString().slice(0, 19);
  return `${local}+08:00`;
}

export async function services(ctx: AppContext) {
  const rows = await store.listCategories(ctx.db);
  const byCode = new Map(rows.map((r) => [r.code, r]));
  return rows
    .filter((c) => !rows.some((x) => x.parent_code === c.code))
    .map((c) => ({
      service_code: c.code,
      service_name: c.name,
      description: c.description || c.name_en,
      metadata: true,
      type: 'realtime',
      keywords: [c.name_en, c.parent_code ? (byCode.get(c.parent_code)?.name ?? '') : ''].filter(Boolean).join(', '),
      group: c.parent_code ? (byCode.get(c.parent_code)?.name ?? '') : c.name,
    }));
}

export async function serviceDefinition(ctx: AppContext, code: string) {
  const c = await store.findCategory(ctx.db, code);
  if (!c || !c.active) throw new Open311Error(404, `service_code ${code} not found`);
  return {
    service_code: c.code,
    attributes: [
      {
        variable: true,
        code: 'place_code',
        datatype: 'string',
        required: false,
        datatype_description: '社区编码：网格 15 位、楼栋 18 位或房屋 24 位 (territory code of the grid, building or house)',
        order: 1,
        description: '发生地点编码 (where it happened, when lat/long are not given)',
        values: [],
      },
      {
        variable: true,
        code: 'anonymous',
        datatype: 'singlevaluelist',
        required: false,
        datatype_description: c.anonymous_allowed ? 'anonymous reports allowed' : 'anonymous reports not allowed',
        order: 2,
        description: '匿名 (anonymous)',
        values: c.anonymous_allowed
          ? [
              { key: 'no', name: '否' },
              { key: 'yes', name: '是' },
            ]
          : [{ key: 'no', name: '否' }],
      },
    ],
  };
}

export async function keyDistrict(ctx: AppContext, apiKey: string | undefined): Promise<{ district: string; name: string }> {
  if (!apiKey) throw new Open311Error(403, 'api_key is required');
  const row = await ctx.db
    .selectFrom('open311_key')
    .select(['district_code', 'name'])
    .where('key_hash', '=', sha256(apiKey))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) throw new Open311Error(403, 'api_key is invalid or revoked');
  return { district: row.district_code, name: row.name };
}

/** The place of a request: a territory code in the attributes, or the grid whose area holds the point. */
async function placeFor(ctx: AppContext, district: string, lat: number | null, lng: number | null, placeCode: string | null) {
  if (placeCode) {
    if (!placeCode.startsWith(district)) throw new Open311Error(400, 'place_code is outside this api_key’s district');
    return placeCode;
  }
  if (lat === null || lng === null) throw new Open311Error(400, 'lat and long, or attribute[place_code], are required');
  const r = await sql<{ code: string }>`select code from grid where district_code = ${district}
      and (bounds->>'west')::float <= ${lng} and (bounds->>'east')::float >= ${lng}
      and (bounds->>'south')::float <= ${lat} and (bounds->>'north')::float >= ${lat}
    order by code limit 1`.execute(ctx.db);
  if (!r.rows[0]) throw new Open311Error(400, 'the location is outside the service area');
  return r.rows[0].code;
}

export interface PostRequest {
  api_key?: string;
  service_code?: string;
  lat?: string;
  long?: string;
  address_string?: string;
  address_id?: string;
  email?: string;
  first_name?: string;
  last_name?: string;
  phone?: string;
  description?: string;
  [attr: string]: string | undefined;
}

export async function postRequest(ctx: AppContext, p: PostRequest) {
  const key = await keyDistrict(ctx, p.api_key);
  if (!p.service_code) throw new Open311Error(400, 'service_code is required');
  const category = await store.findCategory(ctx.db, p.service_code);
  if (!category || !category.active) throw new Open311Error(404, `service_code ${p.service_code} not found`);
  const lat = p.lat !== undefined && p.lat !== '' ? Number(p.lat) : null;
  const lng = p.long !== undefined && p.long !== '' ? Number(p.long) : null;
  if ((lat !== null && !Number.isFinite(lat)) || (lng !== null && !Number.isFinite(lng)))
    throw new Open311Error(400, 'lat and long must be numbers');
  const placeCode = p['attribute[place_code]'] ?? p.address_id ?? null;
  const place = await placeFor(ctx, key.district, lat, lng, placeCode);
  const description = (p.description ?? '').trim();
  if (description.length < 2) throw new Open311Error(400, 'description is required');
  const anonymous = p['attribute[anonymous]'] === 'yes';
  const actor = { ...systemActor(`open311:${key.name}`), displayName: `Open311 ${key.name}` };
  try {
    const r = await service.report(ctx, actor, {
      categoryCode: category.code,
      title: description.slice(0, 40),
      description,
      placeCode: place,
      address: p.address_string ?? '',
      lat: lat ?? undefined,
      lng: lng ?? undefined,
      source: 'open311',
      reporterName: [p.last_name, p.first_name].filter(Boolean).join('') || undefined,
      reporterPhone: p.phone?.replace(/[^0-9+]/g, '') || undefined,
      anonymous,
    });
    return [{ service_request_id: r.event.number, service_notice: `受理时限 ${category.accept_hours} 个工作小时`, account_id: null }];
  } catch (e) {
    if (e instanceof AppError) throw new Open311Error(e.status === 404 ? 404 : 400, `${e.code}: ${e.message}`);
    throw e;
  }
}

interface RequestRow {
  number: string;
  state: string;
  category_code: string;
  category_name: string;
  description: string;
  lead_org_name: string | null;
  reported_at: Date;
  updated_at: Date;
  due_at: Date | null;
  address: string;
  place_code: string;
  lat: number | null;
  lng: number | null;
  last_note: string | null;
}

const CLOSED = new Set(['closed', 'evaluated', 'merged']);

function requestView(r: RequestRow) {
  return {
    service_request_id: r.number,
    status: CLOSED.has(r.state) ? 'closed' : 'open',
    status_notes: r.last_note ?? '',
    service_name: r.category_name,
    service_code: r.category_code,
    description: r.description,
    agency_responsible: r.lead_org_name ?? '',
    service_notice: '',
    requested_datetime: w3cDate(r.reported_at),
    updated_datetime: w3cDate(r.updated_at),
    expected_datetime: CLOSED.has(r.state) ? null : w3cDate(r.due_at),
    address: r.address,
    address_id: r.place_code,
    zipcode: '',
    lat: r.lat,
    long: r.lng,
    media_url: '',
  };
}

export interface RequestQuery {
  service_request_id?: string;
  service_code?: string;
  start_date?: string;
  end_date?: string;
  status?: string;
}

export async function listRequests(ctx: AppContext, q: RequestQuery) {
  const parseDate = (s: string | undefined, name: string) => {
    if (!s) return null;
    const d = new Date(s);
    if (Number.isNaN(d.getTime())) throw new Open311Error(400, `${name} must be a w3c datetime`);
    return d;
  };
  const ids = q.service_request_id
    ? q.service_request_id
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
  const codes = q.service_code
    ? q.service_code
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
  const statuses = q.status ? q.status.split(',').map((s) => s.trim()) : [];
  if (statuses.some((s) => s !== 'open' && s !== 'closed')) throw new Open311Error(400, 'status must be open or closed');
  const end = parseDate(q.end_date, 'end_date') ?? new Date();
  // Without ids, the last 90 days by default (the specification's default window).
  const start = parseDate(q.start_date, 'start_date') ?? new Date(end.getTime() - 90 * 86_400_000);
  if (start > end) throw new Open311Error(400, 'start_date must be before end_date');
  const rows = await sql<RequestRow>`
    select e.number, e.state, e.category_code, c.name as category_name, e.description, lo.name as lead_org_name,
      e.reported_at, e.updated_at, e.due_at, e.address, e.place_code, e.lat, e.lng,
      (select s.note from event_step s where s.district_code = e.district_code and s.event_id = e.id and s.note <> ''
        order by s.id desc limit 1) as last_note
    from event e join event_category c on c.code = e.category_code
    left join org lo on lo.district_code = e.district_code and lo.id = e.lead_org_id
    where e.source = 'open311'
      ${ids.length ? sql`and e.number = any(${ids}::text[])` : sql`and e.reported_at >= ${start} and e.reported_at <= ${end}`}
      ${codes.length ? sql`and e.category_code = any(${codes}::text[])` : sql``}
      ${
        statuses.length === 1
          ? statuses[0] === 'closed'
            ? sql`and e.state in ('closed','evaluated','merged')`
            : sql`and e.state not in ('closed','evaluated','merged')`
          : sql``
      }
    order by e.reported_at desc limit 1000`.execute(ctx.db);
  return rows.rows.map(requestView);
}

export async function getRequest(ctx: AppContext, id: string) {
  const rows = await listRequests(ctx, { service_request_id: id });
  if (!rows.length) throw new Open311Error(404, `service_request_id ${id} not found`);
  return rows;
}

/** Requests get their id at once, so a token is the request id itself. */
export async function tokenLookup(ctx: AppContext, token: string) {
  const rows = await listRequests(ctx, { service_request_id: token });
  if (!rows.length) throw new Open311Error(404, `token ${token} not found`);
  return [{ service_request_id: rows[0].service_request_id, token }];
}

export async function createKey(ctx: AppContext, name: string, district: string) {
  if (!/^[0-9]{6}$/.test(district)) throw new Error('district must be a 6-digit code');
  const key = randomToken(24);
  await ctx.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('open311_key')
      .values({ district_code: district, name, key_hash: sha256(key) })
      .execute();
    await appendAudit(tx, {
      actorName: systemActor().username,
      action: 'open311.key_create',
      targetType: 'open311_key',
      targetId: name,
      details: { district },
    });
  });
  return key;
}

export async function revokeKey(ctx: AppContext, name: string): Promise<number> {
  return ctx.db.transaction().execute(async (tx) => {
    const r = await tx
      .updateTable('open311_key')
      .set({ revoked_at: new Date() })
      .where('name', '=', name)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    await appendAudit(tx, { actorName: systemActor().username, action: 'open311.key_revoke', targetType: 'open311_key', targetId: name });
    return Number(r.numUpdatedRows);
  });
}
