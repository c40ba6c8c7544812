import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { pathInScope } from '../../core/permissions.ts';
import { parseTerritoryCode } from '../territory/codes.ts';
import * as territoryStore from '../territory/store.ts';
import { ageOn, maskIdNumber } from './id-number.ts';
import { ageTags, todayInShanghai } from './person-rules.ts';
import * as houses from './houses-store.ts';
import * as store from './store.ts';
import { maskPhone } from './validators.ts';

/**
 * The house side (户): who lives in a house now and before, its owners, tenancies and the units
 * seated there; and a building's floors × rooms with each house's occupancy. House codes are
 * public (door plates), so a house outside the scope answers 403 like the territory does.
 */

async function houseInScope(ctx: AppContext, actor: Actor, code: string) {
  const parsed = parseTerritoryCode(code);
  if (!parsed || parsed.level !== 'house') throw new AppError('INVALID_CODE', { code });
  const house = await houses.findHouseWithAddress(ctx.db, parsed.code);
  if (!house) throw new AppError('TERRITORY_NOT_FOUND', { code });
  if (!pathInScope(actor.scope('registry.read'), house.path)) throw new AppError('OUT_OF_SCOPE', { code });
  return house;
}

export async function household(ctx: AppContext, actor: Actor, code: string, includePast: boolean) {
  const house = await houseInScope(ctx, actor, code);
  const today = todayInShanghai();
  const [links, tenancies, units] = await Promise.all([
    store.linksOfHouse(ctx.db, house.district_code, house.code, includePast),
    houses.tenanciesOfHouse(ctx.db, house.district_code, house.code),
    houses.unitsAtHouse(ctx.db, house.district_code, house.code),
  ]);
  return {
    house: {
      code: house.code,
      address: house.address,
      buildingCode: house.building_code,
      floor: house.floor,
      room: house.room,
      roomLabel: house.room_label,
      area: house.area === null ? null : Number(house.area),
      use: house.use,
      version: house.version,
    },
    members: links.map((l) => ({
      linkId: l.id,
      personId: l.person_id,
      name: l.person_name,
      gender: l.gender,
      age: l.birth_date ? ageOn(l.birth_date, today) : null,
      ageTags: ageTags(l.birth_date, today),
      tags: l.tags,
      idMasked: maskIdNumber(ctx.keyring.decrypt(l.id_enc)),
      phoneMasked: l.phone_enc ? maskPhone(ctx.keyring.decrypt(l.phone_enc)) : null,
      relation: l.relation,
      headRelation: l.head_relation,
      resides: l.resides,
      share: l.share === null ? null : Number(l.share),
      moveIn: l.move_in,
      moveOut: l.move_out,
      version: l.version,
    })),
    tenancies: tenancies.map((t) => ({
      id: t.id,
      status: t.status,
      startDate: t.start_date,
      endDate: t.end_date,
      tenantName: t.tenant_name,
      tenantId: t.tenant_id,
      landlordName: t.landlord_name,
      hasPhoto: t.has_photo,
      version: t.version,
    })),
    units: units.map((u) => ({ id: u.id, name: u.name, unitType: u.unit_type, creditCode: u.credit_code, industry: u.industry })),
  };
}

export async function occupancy(ctx: AppContext, actor: Actor, buildingCode: string) {
  const parsed = parseTerritoryCode(buildingCode);
  if (!parsed || parsed.level !== 'building') throw new AppError('INVALID_CODE', { code: buildingCode });
  const building = await territoryStore.findNode(ctx.db, parsed.code, 'building', null);
  if (!building) throw new AppError('TERRITORY_NOT_FOUND', { code: buildingCode });
  if (!pathInScope(actor.scope('registry.read'), building.path)) throw new AppError('OUT_OF_SCOPE', { code: buildingCode });
  const rows = (await houses.buildingOccupancy(ctx.db, parsed.code, todayInShanghai())).rows;
  return {
    code: building.code,
    name: building.name,
    houses: rows.map((r) => ({
      code: r.code,
      unitCode: r.unit_code,
      floor: r.floor,
      room: r.room,
      roomLabel: r.room_label,
      use: r.use as 'self' | 'rented' | 'vacant' | 'business',
      area: r.area === null ? null : Number(r.area),
      residents: r.residents,
      owners: r.owners,
      tenants: r.tenants,
      elderly: r.elderly,
      alone: r.alone,
      headName: r.head_name,
      units: r.units,
    })),
  };
}

export async function rentedWithoutTenant(ctx: AppContext, actor: Actor, territoryCode: string | undefined, limit: number) {
  let path: string | null = null;
  if (territoryCode) {
    const parsed = parseTerritoryCode(territoryCode);
    if (!parsed) throw new AppError('INVALID_CODE', { territoryCode });
    const node = await territoryStore.findNode(ctx.db, parsed.code, parsed.level, null);
    if (!node) throw new AppError('TERRITORY_NOT_FOUND', { territoryCode });
    path = node.path;
  }
  return houses.rentedWithoutTenant(ctx.db, actor.scope('registry.read'), path, limit);
}
