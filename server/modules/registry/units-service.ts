import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../../core/audit.ts';
import { pathInScope } from '../../core/permissions.ts';
import type { UnitType, VehicleType } from '../../db/types.ts';
import { parseTerritoryCode } from '../territory/codes.ts';
import * as territoryStore from '../territory/store.ts';
import { sealPhone } from './pii.ts';
import { historyView, resolvePlace } from './service.ts';
import * as store from './store.ts';
import * as units from './units-store.ts';
import { checkCreditCode, checkPhone, checkPlate, CREDIT_PROBLEM_ZH, maskPhone } from './validators.ts';

/** Units (实有单位) and vehicles (实有车辆), with history like persons. Outside the scope: 404. */

async function territoryPath(ctx: AppContext, code: string | undefined) {
  if (!code) return undefined;
  const parsed = parseTerritoryCode(code);
  if (!parsed) throw new AppError('INVALID_CODE', { territoryCode: code });
  const node = await territoryStore.findNode(ctx.db, parsed.code, parsed.level, null);
  if (!node) throw new AppError('TERRITORY_NOT_FOUND', { territoryCode: code });
  return node.path;
}

function unitView(ctx: AppContext, u: units.UnitRow) {
  return {
    id: u.id,
    communityCode: u.community_code,
    houseCode: u.house_code,
    name: u.name,
    creditCode: u.credit_code,
    unitType: u.unit_type,
    industry: u.industry,
    address: u.address,
    contactName: u.contact_name,
    contactPhoneMasked: u.contact_phone_enc ? maskPhone(ctx.keyring.decrypt(u.contact_phone_enc)) : null,
    employees: u.employees,
    note: u.note,
    version: u.version,
  };
}

export function unitHistory(u: units.UnitRow, ctx: AppContext) {
  const { contactPhoneMasked, ...rest } = unitView(ctx, u);
  return { ...rest, contactPhone: contactPhoneMasked };
}

export interface UnitInput {
  placeCode: string;
  name: string;
  creditCode?: string | null;
  unitType: UnitType;
  industry?: string;
  address?: string;
  contactName?: string;
  contactPhone?: string | null;
  employees?: number | null;
  note?: string;
}

function checkUnitFields(input: Partial<UnitInput>) {
  const problems: { field: string; reason: string }[] = [];
  let creditCode: string | null | undefined = undefined;
  if (input.creditCode !== undefined) {
    if (input.creditCode === null || input.creditCode.trim() === '') creditCode = null;
    else {
      const c = checkCreditCode(input.creditCode);
      if (c.ok) creditCode = c.code;
      else problems.push({ field: 'creditCode', reason: CREDIT_PROBLEM_ZH[c.problem] });
    }
  }
  let phone: string | null | undefined = undefined;
  if (input.contactPhone !== undefined) {
    if (input.contactPhone === null || input.contactPhone.trim() === '') phone = null;
    else {
      const p = checkPhone(input.contactPhone);
      if (p.ok) phone = p.phone;
      else problems.push({ field: 'contactPhone', reason: '联系电话格式不正确' });
    }
  }
  if (input.name !== undefined && input.name.trim().length < 2) problems.push({ field: 'name', reason: '单位名称至少2个字' });
  if (problems.length) throw new AppError('VALIDATION_FAILED', { problems });
  return { creditCode, phone };
}

export async function listUnits(
  ctx: AppContext,
  actor: Actor,
  f: { q?: string; unitType?: UnitType; territoryCode?: string; limit?: number; offset?: number },
) {
  const rows = await units.listUnits(
    ctx.db,
    actor.scope('registry.read'),
    { q: f.q?.trim() || undefined, unitType: f.unitType, territoryPath: await territoryPath(ctx, f.territoryCode) },
    f.limit ?? 50,
    f.offset ?? 0,
  );
  return rows.map((r) => unitView(ctx, r));
}

async function loadUnit(ctx: AppContext, actor: Actor, id: string) {
  const u = await units.findUnit(ctx.db, actor.scope('registry.read'), id);
  if (!u) throw new AppError('NOT_FOUND', { id });
  return u;
}

export async function getUnit(ctx: AppContext, actor: Actor, id: string) {
  return unitView(ctx, await loadUnit(ctx, actor, id));
}

export async function createUnit(ctx: AppContext, actor: Actor, input: UnitInput) {
  const place = await resolvePlace(ctx.db, input.placeCode);
  if (!pathInScope(actor.scope('registry.write'), place.path)) throw new AppError('OUT_OF_SCOPE', { placeCode: input.placeCode });
  const { creditCode, phone } = checkUnitFields(input);
  if (creditCode && (await units.creditCodeTaken(ctx.db, place.districtCode, creditCode, null))) {
    throw new AppError('CONFLICT', { field: 'creditCode', reason: '该统一社会信用代码已登记' });
  }
  const sealed = phone ? sealPhone(ctx.keyring, phone) : null;
  const id = await ctx.db.transaction().execute(async (tx) => {
    const r = {
      id: await units.insertUnit(tx, {
        district_code: place.districtCode,
        community_code: place.communityCode,
        house_code: place.level === 'house' ? place.code : null,
        path: place.path,
        name: input.name.trim(),
        credit_code: creditCode ?? null,
        unit_type: input.unitType,
        industry: input.industry ?? '',
        address: input.address ?? '',
        contact_name: input.contactName ?? '',
        contact_phone_enc: sealed?.enc ?? null,
        contact_phone_bidx: sealed?.bidx ?? null,
        employees: input.employees ?? null,
        note: input.note ?? '',
      }),
    };
    const after = await units.findUnit(tx, { all: true }, r.id);
    await store.insertHistory(tx, {
      districtCode: place.districtCode,
      recordType: 'org_unit',
      recordId: r.id,
      action: 'create',
      actorId: actor.userId,
      actorName: actor.username,
      before: null,
      after: unitHistory(after!, ctx),
    });
    await appendAudit(tx, {
      actorId: actor.userId,
      actorName: actor.username,
      action: 'registry.unit.create',
      targetType: 'org_unit',
      targetId: r.id,
      placeCode: place.code,
      ip: actor.ip,
    });
    return r.id;
  });
  return getUnit(ctx, actor, id);
}

export async function updateUnit(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: Partial<Omit<UnitInput, 'placeCode'>> & { version: number },
) {
  const before = await loadUnit(ctx, actor, id);
  if (!pathInScope(actor.scope('registry.write'), before.path)) throw new AppError('FORBIDDEN', { permission: 'registry.write' });
  const { creditCode, phone } = checkUnitFields(input);
  if (creditCode && (await units.creditCodeTaken(ctx.db, before.district_code, creditCode, id))) {
    throw new AppError('CONFLICT', { field: 'creditCode', reason: '该统一社会信用代码已登记' });
  }
  const sealed = phone ? sealPhone(ctx.keyring, phone) : null;
  await ctx.db.transaction().execute(async (tx) => {
    const changed = await store.updateVersioned(tx, 'org_unit', before.district_code, id, input.version, {
      ...(input.name !== undefined ? { name: input.name.trim() } : {}),
      ...(creditCode !== undefined ? { credit_code: creditCode } : {}),
      ...(input.unitType !== undefined ? { unit_type: input.unitType } : {}),
      ...(input.industry !== undefined ? { industry: input.industry } : {}),
      ...(input.address !== undefined ? { address: input.address } : {}),
      ...(input.contactName !== undefined ? { contact_name: input.contactName } : {}),
      ...(phone !== undefined ? { contact_phone_enc: sealed?.enc ?? null, contact_phone_bidx: sealed?.bidx ?? null } : {}),
      ...(input.employees !== undefined ? { employees: input.employees } : {}),
      ...(input.note !== undefined ? { note: input.note } : {}),
    });
    if (!changed) throw new AppError('VERSION_CONFLICT', { currentVersion: before.version });
    const after = await units.findUnit(tx, { all: true }, id);
    await store.insertHistory(tx, {
      districtCode: before.district_code,
      recordType: 'org_unit',
      recordId: id,
      action: 'update',
      actorId: actor.userId,
      actorName: actor.username,
      before: unitHistory(before, ctx),
      after: unitHistory(after!, ctx),
    });
    await appendAudit(tx, {
      actorId: actor.userId,
      actorName: actor.username,
      action: 'registry.unit.update',
      targetType: 'org_unit',
      targetId: id,
      placeCode: before.community_code,
      ip: actor.ip,
    });
  });
  return getUnit(ctx, actor, id);
}

export async function unitHistoryList(ctx: AppContext, actor: Actor, id: string) {
  const u = await loadUnit(ctx, actor, id);
  return historyView(await store.historyOf(ctx.db, u.district_code, id));
}

// ---------------------------------------------------------------- vehicles

export function vehicleView(v: units.VehicleRow) {
  return {
    id: v.id,
    communityCode: v.community_code,
    plate: v.plate,
    plateKind: v.plate_kind,
    vehicleType: v.vehicle_type,
    brand: v.brand,
    color: v.color,
    ownerPersonId: v.owner_person_id,
    ownerName: v.owner_person_name ?? v.owner_unit_name ?? null,
    ownerUnitId: v.owner_unit_id,
    parking: v.parking,
    version: v.version,
  };
}

export async function listVehicles(
  ctx: AppContext,
  actor: Actor,
  f: { q?: string; plateKind?: 'ordinary' | 'new_energy'; territoryCode?: string; ownerPersonId?: string; limit?: number; offset?: number },
) {
  const rows = await units.listVehicles(
    ctx.db,
    actor.scope('registry.read'),
    {
      q: f.q?.trim() || undefined,
      plateKind: f.plateKind,
      ownerPersonId: f.ownerPersonId,
      territoryPath: await territoryPath(ctx, f.territoryCode),
    },
    f.limit ?? 50,
    f.offset ?? 0,
  );
  return rows.map(vehicleView);
}

async function loadVehicle(ctx: AppContext, actor: Actor, id: string) {
  const v = await units.findVehicle(ctx.db, actor.scope('registry.read'), id);
  if (!v) throw new AppError('NOT_FOUND', { id });
  return v;
}

export async function getVehicle(ctx: AppContext, actor: Actor, id: string) {
  return vehicleView(await loadVehicle(ctx, actor, id));
}

export interface VehicleInput {
  placeCode: string;
  plate: string;
  vehicleType?: VehicleType;
  brand?: string;
  color?: string;
  ownerPersonId?: string | null;
  parking?: string;
}

export async function createVehicle(ctx: AppContext, actor: Actor, input: VehicleInput) {
  const place = await resolvePlace(ctx.db, input.placeCode);
  if (!pathInScope(actor.scope('registry.write'), place.path)) throw new AppError('OUT_OF_SCOPE', { placeCode: input.placeCode });
  const plate = checkPlate(input.plate);
  if (!plate.ok)
    throw new AppError('VALIDATION_FAILED', {
      problems: [{ field: 'plate', reason: '车牌号格式不正确（如 浙B12345，新能源 浙BD12345）' }],
    });
  if (await units.plateTaken(ctx.db, place.districtCode, plate.plate, null))
    throw new AppError('CONFLICT', { field: 'plate', reason: '该车牌已登记' });
  if (input.ownerPersonId) {
    const owner = await store.findPerson(ctx.db, actor.scope('registry.read'), input.ownerPersonId);
    if (!owner || owner.district_code !== place.districtCode) throw new AppError('NOT_FOUND', { ownerPersonId: input.ownerPersonId });
  }
  const id = await ctx.db.transaction().execute(async (tx) => {
    const r = {
      id: await units.insertVehicle(tx, {
        district_code: place.districtCode,
        community_code: place.communityCode,
        path: place.path,
        plate: plate.plate,
        plate_kind: plate.kind,
        vehicle_type: input.vehicleType ?? 'car',
        brand: input.brand ?? '',
        color: input.color ?? '',
        owner_person_id: input.ownerPersonId ?? null,
        parking: input.parking ?? '',
      }),
    };
    const after = await units.findVehicle(tx, { all: true }, r.id);
    await store.insertHistory(tx, {
      districtCode: place.districtCode,
      recordType: 'vehicle',
      recordId: r.id,
      action: 'create',
      actorId: actor.userId,
      actorName: actor.username,
      before: null,
      after: vehicleView(after!),
    });
    await appendAudit(tx, {
      actorId: actor.userId,
      actorName: actor.username,
      action: 'registry.vehicle.create',
      targetType: 'vehicle',
      targetId: r.id,
      placeCode: place.code,
      ip: actor.ip,
    });
    return r.id;
  });
  return getVehicle(ctx, actor, id);
}

export async function updateVehicle(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { version: number; parking?: string; color?: string; brand?: string; vehicleType?: VehicleType; ownerPersonId?: string | null },
) {
  const before = await loadVehicle(ctx, actor, id);
  if (!pathInScope(actor.scope('registry.write'), before.path)) throw new AppError('FORBIDDEN', { permission: 'registry.write' });
  await ctx.db.transaction().execute(async (tx) => {
    const changed = await store.updateVersioned(tx, 'vehicle', before.district_code, id, input.version, {
      ...(input.parking !== undefined ? { parking: input.parking } : {}),
      ...(input.color !== undefined ? { color: input.color } : {}),
      ...(input.brand !== undefined ? { brand: input.brand } : {}),
      ...(input.vehicleType !== undefined ? { vehicle_type: input.vehicleType } : {}),
      ...(input.ownerPersonId !== undefined ? { owner_person_id: input.ownerPersonId } : {}),
    });
    if (!changed) throw new AppError('VERSION_CONFLICT', { currentVersion: before.version });
    const after = await units.findVehicle(tx, { all: true }, id);
    await store.insertHistory(tx, {
      districtCode: before.district_code,
      recordType: 'vehicle',
      recordId: id,
      action: 'update',
      actorId: actor.userId,
      actorName: actor.username,
      before: vehicleView(before),
      after: vehicleView(after!),
    });
    await appendAudit(tx, {
      actorId: actor.userId,
      actorName: actor.username,
      action: 'registry.vehicle.update',
      targetType: 'vehicle',
      targetId: id,
      placeCode: before.community_code,
      ip: actor.ip,
    });
  });
  return getVehicle(ctx, actor, id);
}

export async function vehicleHistoryList(ctx: AppContext, actor: Actor, id: string) {
  const v = await loadVehicle(ctx, actor, id);
  return historyView(await store.historyOf(ctx.db, v.district_code, id));
}
