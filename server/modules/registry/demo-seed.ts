import crypto from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import type { Keyring } from '../../core/crypto.ts';
import type { DemoTerritory } from '../territory/demo-data.ts';
import { generateDemoRegistry, type DemoRegistry } from './demo-data.ts';
import { namePinyin } from './names.ts';
import { sealIdNumber, sealPhone } from './pii.ts';
import { checkPlate } from './validators.ts';

async function insertChunked<T extends keyof DB & string>(tx: Transaction<DB>, table: T, rows: unknown[], size = 1000) {
  for (let i = 0; i < rows.length; i += size) {
    // The rows are built for `table` just below; Kysely cannot type a table chosen by a parameter.
    await tx
      .insertInto(table)
      .values(rows.slice(i, i + size) as Parameters<ReturnType<typeof tx.insertInto<T>>['values']>[0])
      .execute();
  }
}

/**
 * Writes the demo residents (inside the demo seed's transaction). Personal data is encrypted
 * here like any other write; nothing personal is stored in clear.
 */
export async function insertDemoRegistry(tx: Transaction<DB>, keyring: Keyring, t: DemoTerritory, seed: number, today: string) {
  const data: DemoRegistry = generateDemoRegistry(t, seed, today);
  const housePath = new Map<string, string>();
  for (const r of await tx
    .selectFrom('house')
    .select(['code', sql<string>`path::text`.as('path')])
    .execute())
    housePath.set(r.code, r.path);
  const communityPath = new Map<string, string>();
  const communities = [...new Set(data.persons.map((p) => p.communityCode))];
  for (const r of await tx
    .selectFrom('division')
    .select(['code', sql<string>`path::text`.as('path')])
    .where('code', 'in', communities)
    .execute())
    communityPath.set(r.code, r.path);
  const users = new Map<string, string>();
  for (const r of await tx.selectFrom('app_user').select(['id', 'username']).execute()) users.set(r.username, r.id);

  const ids = new Map<string, string>();
  const personRows = data.persons.map((p) => {
    const id = crypto.randomUUID();
    ids.set(p.key, id);
    const sealedId = sealIdNumber(keyring, p.idType, p.idNumber);
    const phone = p.phone ? sealPhone(keyring, p.phone) : null;
    const py = namePinyin(p.name);
    return {
      district_code: p.districtCode,
      id,
      community_code: p.communityCode,
      house_code: p.houseCode,
      path: p.houseCode ? housePath.get(p.houseCode)! : communityPath.get(p.communityCode)!,
      name: p.name,
      name_pinyin: py.full,
      name_initials: py.initials,
      id_type: p.idType,
      id_enc: sealedId.enc,
      id_bidx: sealedId.bidx,
      gender: p.gender,
      birth_date: p.birthDate,
      phone_enc: phone?.enc ?? null,
      phone_bidx: phone?.bidx ?? null,
      ethnicity: p.ethnicity,
      household_place: p.householdPlace,
      residency: p.residency,
      tags: p.tags.map((x) => x.tag),
      user_id: p.userName ? (users.get(p.userName) ?? null) : null,
    };
  });
  await insertChunked(tx, 'person', personRows);
  await insertChunked(
    tx,
    'person_tag',
    data.persons.flatMap((p) =>
      p.tags.map((x) => ({ district_code: p.districtCode, person_id: ids.get(p.key)!, tag: x.tag, level: x.level, set_by: 'demo' })),
    ),
  );
  await insertChunked(
    tx,
    'person_house',
    data.links.map((l) => ({
      district_code: l.districtCode,
      person_id: ids.get(l.personKey)!,
      house_code: l.houseCode,
      relation: l.relation,
      head_relation: l.headRelation,
      resides: l.resides,
      share: l.share,
      move_in: l.moveIn,
    })),
  );
  const unitIds = new Map<string, string>();
  await insertChunked(
    tx,
    'org_unit',
    data.units.map((u) => {
      const id = crypto.randomUUID();
      unitIds.set(u.key, id);
      const phone = sealPhone(keyring, u.contactPhone);
      return {
        district_code: u.districtCode,
        id,
        community_code: u.communityCode,
        house_code: u.houseCode,
        path: u.houseCode ? housePath.get(u.houseCode)! : communityPath.get(u.communityCode)!,
        name: u.name,
        credit_code: u.creditCode,
        unit_type: u.unitType,
        industry: u.industry,
        address: u.address,
        contact_name: u.contactName,
        contact_phone_enc: phone.enc,
        contact_phone_bidx: phone.bidx,
        employees: u.employees,
      };
    }),
  );
  await insertChunked(
    tx,
    'vehicle',
    data.vehicles.map((v) => {
      const plate = checkPlate(v.plate);
      if (!plate.ok) throw new Error(`demo plate ${v.plate} is invalid`);
      return {
        district_code: v.districtCode,
        community_code: v.communityCode,
        path: v.houseCode ? housePath.get(v.houseCode)! : communityPath.get(v.communityCode)!,
        plate: plate.plate,
        plate_kind: plate.kind,
        vehicle_type: v.vehicleType,
        brand: v.brand,
        color: v.color,
        owner_person_id: v.ownerKey ? ids.get(v.ownerKey)! : null,
        parking: v.parking,
      };
    }),
  );
  await insertChunked(
    tx,
    'tenancy',
    data.tenancies.map((x) => ({
      district_code: x.districtCode,
      house_code: x.houseCode,
      path: housePath.get(x.houseCode)!,
      landlord_person_id: ids.get(x.landlordKey)!,
      tenant_person_id: ids.get(x.tenantKey)!,
      start_date: x.startDate,
      end_date: x.endDate,
    })),
  );
  const now = Date.now();
  await insertChunked(
    tx,
    'visitor',
    data.visitors.map((v) => {
      const phone = sealPhone(keyring, v.phone);
      const arrived = new Date(now - v.hoursAgo * 3600_000);
      return {
        district_code: v.districtCode,
        community_code: v.communityCode,
        house_code: v.houseCode,
        path: housePath.get(v.houseCode)!,
        name: v.name,
        phone_enc: phone.enc,
        phone_bidx: phone.bidx,
        purpose: v.purpose,
        plate: v.plate,
        arrived_at: arrived,
        left_at: v.stayedHours === null ? null : new Date(arrived.getTime() + v.stayedHours * 3600_000),
        registered_by: 'demo',
      };
    }),
  );
  return {
    persons: data.persons.length,
    links: data.links.length,
    units: data.units.length,
    vehicles: data.vehicles.length,
    tenancies: data.tenancies.length,
    visitors: data.visitors.length,
  };
}
