import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../../core/audit.ts';
import { pathInScope } from '../../core/permissions.ts';
import { parseTerritoryCode } from '../territory/codes.ts';
import * as territoryStore from '../territory/store.ts';
import { parseIdNumber, maskIdNumber } from './id-number.ts';
import { todayInShanghai } from './person-rules.ts';
import { sealIdNumber, sealPhone } from './pii.ts';
import { resolvePlace } from './service.ts';
import * as store from './store.ts';
import * as visitorsStore from './visitors-store.ts';
import { checkPhone, checkPlate, maskPhone } from './validators.ts';

/** Renters and visitors (租访客, R5): tenancies with contract photo and expiry reminders; visitors. */

async function pathOf(ctx: AppContext, code: string | undefined) {
  if (!code) return null;
  const parsed = parseTerritoryCode(code);
  if (!parsed) throw new AppError('INVALID_CODE', { territoryCode: code });
  const node = await territoryStore.findNode(ctx.db, parsed.code, parsed.level, null);
  if (!node) throw new AppError('TERRITORY_NOT_FOUND', { territoryCode: code });
  return node.path;
}

export interface TenancyInput {
  houseCode: string;
  tenantPersonId: string;
  landlordPersonId?: string | null;
  startDate: string;
  endDate: string;
}

/** Registers a tenancy; the tenant is linked to the house as a tenant when not already. */
export async function createTenancy(ctx: AppContext, actor: Actor, input: TenancyInput) {
  const place = await resolvePlace(ctx.db, input.houseCode);
  if (place.level !== 'house') throw new AppError('INVALID_CODE', { houseCode: input.houseCode });
  if (!pathInScope(actor.scope('registry.write'), place.path)) throw new AppError('OUT_OF_SCOPE', { houseCode: input.houseCode });
  if (input.endDate < input.startDate)
    throw new AppError('VALIDATION_FAILED', { problems: [{ field: 'endDate', reason: '租期结束日期不能早于开始日期' }] });
  const read = actor.scope('registry.read');
  const tenant = await store.findPerson(ctx.db, read, input.tenantPersonId);
  if (!tenant || tenant.district_code !== place.districtCode) throw new AppError('NOT_FOUND', { tenantPersonId: input.tenantPersonId });
  if (input.landlordPersonId) {
    const landlord = await store.findPerson(ctx.db, read, input.landlordPersonId);
    if (!landlord || landlord.district_code !== place.districtCode)
      throw new AppError('NOT_FOUND', { landlordPersonId: input.landlordPersonId });
  }
  const id = await ctx.db.transaction().execute(async (tx) => {
    const r = {
      id: await visitorsStore.insertTenancy(tx, {
        district_code: place.districtCode,
        house_code: place.code,
        path: place.path,
        landlord_person_id: input.landlordPersonId ?? null,
        tenant_person_id: input.tenantPersonId,
        start_date: input.startDate,
        end_date: input.endDate,
      }),
    };
    const links = await store.linksOfPerson(tx, place.districtCode, input.tenantPersonId);
    if (!links.some((l) => l.house_code === place.code && !l.move_out)) {
      await store.insertLink(tx, {
        districtCode: place.districtCode,
        personId: input.tenantPersonId,
        houseCode: place.code,
        relation: 'tenant',
        headRelation: '户主',
        resides: true,
        share: null,
        moveIn: input.startDate,
      });
      await store.updatePerson(tx, place.districtCode, input.tenantPersonId, null, {
        house_code: place.code,
        path: place.path,
        community_code: place.communityCode,
      });
    }
    await store.insertHistory(tx, {
      districtCode: place.districtCode,
      recordType: 'tenancy',
      recordId: r.id,
      action: 'create',
      actorId: actor.userId,
      actorName: actor.username,
      before: null,
      after: { ...input },
    });
    await appendAudit(tx, {
      actorId: actor.userId,
      actorName: actor.username,
      action: 'registry.tenancy.create',
      targetType: 'tenancy',
      targetId: r.id,
      placeCode: place.code,
      ip: actor.ip,
    });
    return r.id;
  });
  return (await listTenancies(ctx, actor, { id }))[0];
}

export async function listTenancies(
  ctx: AppContext,
  actor: Actor,
  f: { territoryCode?: string; expiringWithinDays?: number; id?: string; limit?: number },
) {
  const path = await pathOf(ctx, f.territoryCode);
  const rows = await visitorsStore.listTenancies(ctx.db, actor.scope('registry.read'), {
    id: f.id,
    path,
    endingBy: f.expiringWithinDays !== undefined ? { today: todayInShanghai(), days: f.expiringWithinDays } : undefined,
    limit: f.limit ?? 200,
  });
  const today = todayInShanghai();
  return rows.map((r) => ({
    id: r.id,
    houseCode: r.house_code,
    status: r.status,
    startDate: r.start_date,
    endDate: r.end_date,
    daysLeft: Math.round((Date.parse(r.end_date) - Date.parse(today)) / 86_400_000),
    tenantName: r.tenant_name,
    tenantId: r.tenant_id,
    landlordName: r.landlord_name,
    hasPhoto: r.has_photo,
    version: r.version,
  }));
}

const PHOTO_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp']);

export async function setContractPhoto(ctx: AppContext, actor: Actor, id: string, mime: string, data: Buffer) {
  if (!PHOTO_TYPES.has(mime)) throw new AppError('UNSUPPORTED_MEDIA_TYPE', { allowed: [...PHOTO_TYPES] });
  const t = await visitorsStore.tenancyPlace(ctx.db, actor.scope('registry.read'), id);
  if (!t) throw new AppError('NOT_FOUND', { id });
  if (!pathInScope(actor.scope('registry.write'), t.path)) throw new AppError('FORBIDDEN', { permission: 'registry.write' });
  await ctx.db.transaction().execute(async (tx) => {
    await store.updateVersioned(tx, 'tenancy', t.district_code, id, null, { contract_photo: data, contract_photo_type: mime });
    await appendAudit(tx, {
      actorId: actor.userId,
      actorName: actor.username,
      action: 'registry.tenancy.photo',
      targetType: 'tenancy',
      targetId: id,
      placeCode: t.house_code,
      ip: actor.ip,
      details: { bytes: data.length },
    });
  });
}

export async function contractPhoto(ctx: AppContext, actor: Actor, id: string) {
  const t = await visitorsStore.tenancyPhoto(ctx.db, actor.scope('registry.read'), id);
  if (!t?.contract_photo) throw new AppError('NOT_FOUND', { id });
  return { mime: t.contract_photo_type ?? 'application/octet-stream', data: t.contract_photo };
}

// ---------------------------------------------------------------- visitors

export interface VisitorInput {
  houseCode: string;
  name: string;
  idNumber?: string;
  phone?: string;
  purpose?: string;
  plate?: string;
}

export async function registerVisitor(ctx: AppContext, actor: Actor, input: VisitorInput) {
  const place = await resolvePlace(ctx.db, input.houseCode);
  if (place.level !== 'house') throw new AppError('INVALID_CODE', { houseCode: input.houseCode });
  if (!pathInScope(actor.scope('registry.write'), place.path)) throw new AppError('OUT_OF_SCOPE', { houseCode: input.houseCode });
  const problems: { field: string; reason: string }[] = [];
  if (input.name.trim().length < 1) problems.push({ field: 'name', reason: '姓名不能为空' });
  let idSealed = null;
  if (input.idNumber?.trim()) {
    const id = parseIdNumber(input.idNumber);
    if (!id.ok) problems.push({ field: 'idNumber', reason: '身份证号不正确' });
    else idSealed = sealIdNumber(ctx.keyring, 'resident', id.value.number);
  }
  let phoneSealed = null;
  if (input.phone?.trim()) {
    const p = checkPhone(input.phone);
    if (!p.ok) problems.push({ field: 'phone', reason: '联系电话格式不正确' });
    else phoneSealed = sealPhone(ctx.keyring, p.phone);
  }
  let plate: string | null = null;
  if (input.plate?.trim()) {
    const p = checkPlate(input.plate);
    if (!p.ok) problems.push({ field: 'plate', reason: '车牌号格式不正确' });
    else plate = p.plate;
  }
  if (problems.length) throw new AppError('VALIDATION_FAILED', { problems });
  const id = await ctx.db.transaction().execute(async (tx) => {
    const r = {
      id: await visitorsStore.insertVisitor(tx, {
        district_code: place.districtCode,
        community_code: place.communityCode,
        house_code: place.code,
        path: place.path,
        name: input.name.trim(),
        id_enc: idSealed?.enc ?? null,
        id_bidx: idSealed?.bidx ?? null,
        phone_enc: phoneSealed?.enc ?? null,
        phone_bidx: phoneSealed?.bidx ?? null,
        purpose: input.purpose ?? '',
        plate,
        registered_by: actor.username,
      }),
    };
    await appendAudit(tx, {
      actorId: actor.userId,
      actorName: actor.username,
      action: 'registry.visitor.create',
      targetType: 'visitor',
      targetId: r.id,
      placeCode: place.code,
      ip: actor.ip,
    });
    return r.id;
  });
  return (await listVisitors(ctx, actor, { id }))[0];
}

export async function listVisitors(
  ctx: AppContext,
  actor: Actor,
  f: { territoryCode?: string; onlyPresent?: boolean; id?: string; limit?: number },
) {
  const path = await pathOf(ctx, f.territoryCode);
  const rows = await visitorsStore.listVisitors(ctx.db, actor.scope('registry.read'), {
    id: f.id,
    path,
    onlyPresent: f.onlyPresent,
    limit: f.limit ?? 100,
  });
  return rows.map((r) => ({
    id: r.id,
    houseCode: r.house_code!,
    address: r.address,
    name: r.name,
    idMasked: r.id_enc ? maskIdNumber(ctx.keyring.decrypt(r.id_enc)) : null,
    phoneMasked: r.phone_enc ? maskPhone(ctx.keyring.decrypt(r.phone_enc)) : null,
    purpose: r.purpose,
    plate: r.plate,
    arrivedAt: r.arrived_at.toISOString(),
    leftAt: r.left_at ? r.left_at.toISOString() : null,
    registeredBy: r.registered_by,
    version: r.version,
  }));
}

export async function visitorLeft(ctx: AppContext, actor: Actor, id: string) {
  const v = (await listVisitors(ctx, actor, { id }))[0];
  if (!v) throw new AppError('NOT_FOUND', { id });
  if (v.leftAt) throw new AppError('CONFLICT', { reason: 'already_left' });
  await ctx.db.transaction().execute(async (tx) => {
    await store.updateVersioned(tx, 'visitor', v.houseCode.slice(0, 6), id, null, { left_at: new Date() });
    await appendAudit(tx, {
      actorId: actor.userId,
      actorName: actor.username,
      action: 'registry.visitor.leave',
      targetType: 'visitor',
      targetId: id,
      placeCode: v.houseCode,
      ip: actor.ip,
    });
  });
  return (await listVisitors(ctx, actor, { id }))[0];
}
