import fs from 'node:fs';
import type { Kysely, Transaction } from 'kysely';
import type { Actor, AppContext } from '../../core/context.ts';
import type { DB } from '../../db/types.ts';
import { pathInScope, type Scope } from '../../core/permissions.ts';
import { headerOf, UNIT_COLUMNS, VEHICLE_COLUMNS } from './import-columns.ts';
import { readRows, type ReadProgress } from './import-reader.ts';
import { prepareUnitRow, prepareVehicleRow, type Prepared, type StagedUnit, type StagedVehicle } from './import-records.ts';
import type { RowProblem } from './import-rows.ts';
import { MAX_PROBLEMS, type ScanInput, type ScanResult } from './import-scan.ts';
import type { MergeJob } from './import-batch-store.ts';
import * as records from './import-records-store.ts';
import * as store from './import-store.ts';
import * as registryStore from './store.ts';
import * as units from './units-store.ts';
import { unitHistory, vehicleView } from './units-service.ts';

/**
 * Importing units (实有单位) and vehicles (实有车辆): the same wizard, job row and staging table as
 * people, at a community's size (hundreds of units, a few thousand vehicles), so rows are checked
 * in batches of 500 and merged one by one in ONE transaction, each with its history row.
 * A unit is known by its credit code, else by its name in the community; a vehicle by its plate.
 * A record registered in a community outside the importer's scope is refused, as for people.
 */

export type RecordKind = 'units' | 'vehicles';
const BATCH = 500;

interface Good<T> {
  rowNo: number;
  data: T;
}

const refuse = (result: ScanResult, p: RowProblem) => {
  result.rejected++;
  if (result.problems.length < MAX_PROBLEMS) result.problems.push(p);
};

/** Drops units registered in a community outside the scope. */
async function checkUnits(db: Kysely<DB>, input: ScanInput, scope: Scope, rows: Good<StagedUnit>[], result: ScanResult) {
  const district = input.communityCode.slice(0, 6);
  const existing = await records.existingUnits(
    db,
    district,
    input.communityCode,
    rows.flatMap((r) => (r.data.creditCode ? [r.data.creditCode] : [])),
    rows.flatMap((r) => (r.data.creditCode ? [] : [r.data.name])),
  );
  const outside = new Set(existing.filter((e) => !pathInScope(scope, e.path)).map((e) => e.credit_code));
  return rows.filter((r) => {
    if (!r.data.creditCode || !outside.has(r.data.creditCode)) return true;
    refuse(result, { row: r.rowNo, column: headerOf('creditCode', UNIT_COLUMNS), reason: '该单位已在其他社区登记，请由所在社区修改' });
    return false;
  });
}

/** Resolves owners (people by document, units by credit code, within the read scope) and drops vehicles registered outside the scope. */
async function checkVehicles(db: Kysely<DB>, input: ScanInput, actor: Actor, rows: Good<StagedVehicle>[], result: ScanResult) {
  const district = input.communityCode.slice(0, 6);
  const read = actor.scope('registry.read');
  const [people, owners, existing] = await Promise.all([
    records.personsByBidx(
      db,
      district,
      rows.flatMap((r) => r.data.ownerBidx),
    ),
    records.unitsByCreditCode(
      db,
      district,
      rows.flatMap((r) => (r.data.ownerCreditCode ? [r.data.ownerCreditCode] : [])),
    ),
    records.existingVehicles(
      db,
      district,
      rows.map((r) => r.data.plate),
    ),
  ]);
  const personByBidx = new Map(people.filter((p) => pathInScope(read, p.path)).map((p) => [p.id_bidx, p.id]));
  const unitByCode = new Map(owners.filter((u) => pathInScope(read, u.path)).map((u) => [u.credit_code!, u.id]));
  const outside = new Set(existing.filter((e) => !pathInScope(actor.scope('registry.import'), e.path)).map((e) => e.plate));
  const column = (key: string) => headerOf(key, VEHICLE_COLUMNS);
  return rows.filter((r) => {
    if (outside.has(r.data.plate)) {
      refuse(result, { row: r.rowNo, column: column('plate'), reason: '该车辆已在其他社区登记，请由所在社区修改' });
      return false;
    }
    if (r.data.ownerBidx.length) {
      const id = r.data.ownerBidx.map((b) => personByBidx.get(b)).find((x) => x);
      if (!id) {
        refuse(result, { row: r.rowNo, column: column('ownerIdNumber'), reason: '车主未在本区登记（或不在您的管辖范围内），请先登记车主' });
        return false;
      }
      r.data.ownerPersonId = id;
    }
    if (r.data.ownerCreditCode) {
      const id = unitByCode.get(r.data.ownerCreditCode);
      if (!id) {
        refuse(result, {
          row: r.rowNo,
          column: column('ownerCreditCode'),
          reason: '车主单位未登记（或不在您的管辖范围内），请先登记该单位',
        });
        return false;
      }
      r.data.ownerUnitId = id;
    }
    return true;
  });
}

const DUPLICATE: Record<RecordKind, (key: string, first: number) => { field: string; reason: string }> = {
  units: (key, first) =>
    key.startsWith('name:')
      ? { field: 'name', reason: `单位名称在文件中重复（与第${first}行相同）` }
      : { field: 'creditCode', reason: `统一社会信用代码在文件中重复（与第${first}行相同）` },
  vehicles: (_key, first) => ({ field: 'plate', reason: `车牌号码在文件中重复（与第${first}行相同）` }),
};

/** The validation pass of a units or vehicles file: every row checked, the good ones staged. */
export async function scanRecords(ctx: AppContext, actor: Actor, kind: RecordKind, input: ScanInput): Promise<ScanResult> {
  const district = input.communityCode.slice(0, 6);
  const houses = kind === 'units' ? await store.housesOfCommunity(ctx.db, input.communityCode) : new Map<string, string>();
  const columns = kind === 'units' ? UNIT_COLUMNS : VEHICLE_COLUMNS;
  const size = (await fs.promises.stat(input.filePath)).size || 1;
  const progress: ReadProgress = { bytes: 0 };
  const result: ScanResult = { total: 0, rejected: 0, problems: [] };
  const seen = new Map<string, number>();
  let batch: Good<StagedUnit | StagedVehicle>[] = [];
  let lastTick = Date.now();
  const flush = async () => {
    if (!batch.length) return;
    const good =
      kind === 'units'
        ? await checkUnits(ctx.db, input, actor.scope('registry.import'), batch as Good<StagedUnit>[], result)
        : await checkVehicles(ctx.db, input, actor, batch as Good<StagedVehicle>[], result);
    await store.stageRows(ctx.db, district, input.jobId, good);
    batch = [];
  };
  for await (const row of readRows(input.filePath, input.kind, progress)) {
    if (row.rowNo === 1 || row.cells.every((c) => c === '')) continue;
    result.total++;
    const raw: Record<string, string> = {};
    input.mapping.fields.forEach((f, i) => {
      if (f) raw[f] = row.cells[i] ?? '';
    });
    const prepared: Prepared<StagedUnit | StagedVehicle> =
      kind === 'units' ? prepareUnitRow(ctx.keyring, row.rowNo, raw, houses) : prepareVehicleRow(ctx.keyring, row.rowNo, raw);
    if (!prepared.ok) {
      result.rejected++;
      if (result.problems.length < MAX_PROBLEMS) result.problems.push(...prepared.problems);
    } else {
      const first = seen.get(prepared.key);
      if (first !== undefined) {
        const d = DUPLICATE[kind](prepared.key, first);
        refuse(result, { row: row.rowNo, column: headerOf(d.field, columns), reason: d.reason });
      } else {
        seen.set(prepared.key, row.rowNo);
        batch.push({ rowNo: row.rowNo, data: prepared.value });
      }
    }
    if (batch.length >= BATCH) await flush();
    if (Date.now() - lastTick > 500) {
      lastTick = Date.now();
      await store.updateJob(ctx.db, district, input.jobId, {
        processed: result.total,
        progress: Math.min(99, Math.floor((progress.bytes / size) * 100)),
      });
    }
  }
  await flush();
  result.problems.sort((a, b) => a.row - b.row);
  return result;
}

/** Given cells overwrite, empty cells keep what is registered. */
function unitPatch(u: StagedUnit) {
  return {
    name: u.name,
    ...(u.creditCode ? { credit_code: u.creditCode } : {}),
    ...(u.unitType ? { unit_type: u.unitType } : {}),
    ...(u.industry ? { industry: u.industry } : {}),
    ...(u.address ? { address: u.address } : {}),
    ...(u.houseCode ? { house_code: u.houseCode, path: u.housePath! } : {}),
    ...(u.contactName ? { contact_name: u.contactName } : {}),
    ...(u.phoneEnc ? { contact_phone_enc: u.phoneEnc, contact_phone_bidx: u.phoneBidx } : {}),
    ...(u.employees !== null ? { employees: u.employees } : {}),
    ...(u.note ? { note: u.note } : {}),
  };
}

function vehiclePatch(v: StagedVehicle) {
  return {
    ...(v.vehicleType ? { vehicle_type: v.vehicleType } : {}),
    ...(v.brand ? { brand: v.brand } : {}),
    ...(v.color ? { color: v.color } : {}),
    ...(v.ownerPersonId ? { owner_person_id: v.ownerPersonId, owner_unit_id: null } : {}),
    ...(v.ownerUnitId ? { owner_unit_id: v.ownerUnitId, owner_person_id: null } : {}),
    ...(v.parking ? { parking: v.parking } : {}),
  };
}

class StaleImport extends Error {}

/**
 * Writes a validated job's staged units or vehicles inside the caller's transaction: new ones
 * inserted, known ones updated (versioned), a history row each. Answers the counts.
 */
export async function mergeRecords(
  ctx: AppContext,
  tx: Transaction<DB>,
  kind: RecordKind,
  jobId: string,
  job: MergeJob & { scope: Scope },
) {
  const counts = { created: 0, updated: 0 };
  const all = { all: true } as const;
  let after = 0;
  for (;;) {
    const page = await records.stagedPage(tx, job.districtCode, jobId, after, BATCH);
    if (!page.length) break;
    after = page[page.length - 1].row_no;
    const history = async (id: string, action: 'import_create' | 'import_update', before: unknown) => {
      const row = kind === 'units' ? await units.findUnit(tx, all, id) : await units.findVehicle(tx, all, id);
      await registryStore.insertHistory(tx, {
        districtCode: job.districtCode,
        recordType: kind === 'units' ? 'org_unit' : 'vehicle',
        recordId: id,
        action,
        actorId: job.actorId,
        actorName: job.actorName,
        before,
        after: kind === 'units' ? unitHistory(row as units.UnitRow, ctx) : vehicleView(row as units.VehicleRow),
      });
    };
    if (kind === 'units') {
      const rows = page.map((p) => p.data as StagedUnit);
      const known = await records.existingUnits(
        tx,
        job.districtCode,
        job.communityCode,
        rows.flatMap((u) => (u.creditCode ? [u.creditCode] : [])),
        rows.flatMap((u) => (u.creditCode ? [] : [u.name])),
      );
      const byCode = new Map(known.filter((k) => k.credit_code).map((k) => [k.credit_code!, k]));
      const byName = new Map<string, records.ExistingUnit>();
      for (const k of known) if (k.community_code === job.communityCode && !byName.has(k.name)) byName.set(k.name, k);
      for (const u of rows) {
        const found = u.creditCode ? byCode.get(u.creditCode) : byName.get(u.name);
        if (found) {
          if (!pathInScope(job.scope, found.path)) throw new StaleImport();
          const before = unitHistory((await units.findUnit(tx, all, found.id))!, ctx);
          const changed = await registryStore.updateVersioned(tx, 'org_unit', job.districtCode, found.id, found.version, unitPatch(u));
          if (!changed) throw new StaleImport();
          await history(found.id, 'import_update', before);
          counts.updated++;
        } else {
          const id = await units.insertUnit(tx, {
            district_code: job.districtCode,
            community_code: job.communityCode,
            house_code: u.houseCode,
            path: u.housePath ?? job.communityPath,
            name: u.name,
            credit_code: u.creditCode,
            unit_type: u.unitType ?? 'enterprise',
            industry: u.industry,
            address: u.address,
            contact_name: u.contactName,
            contact_phone_enc: u.phoneEnc,
            contact_phone_bidx: u.phoneBidx,
            employees: u.employees,
            note: u.note,
          });
          if (!u.creditCode)
            byName.set(u.name, { id, credit_code: null, name: u.name, community_code: job.communityCode, path: '', version: 1 });
          await history(id, 'import_create', null);
          counts.created++;
        }
      }
    } else {
      const rows = page.map((p) => p.data as StagedVehicle);
      const known = new Map(
        (
          await records.existingVehicles(
            tx,
            job.districtCode,
            rows.map((v) => v.plate),
          )
        ).map((k) => [k.plate, k]),
      );
      for (const v of rows) {
        const found = known.get(v.plate);
        if (found) {
          if (!pathInScope(job.scope, found.path)) throw new StaleImport();
          const before = vehicleView((await units.findVehicle(tx, all, found.id))!);
          const changed = await registryStore.updateVersioned(tx, 'vehicle', job.districtCode, found.id, found.version, vehiclePatch(v));
          if (!changed) throw new StaleImport();
          await history(found.id, 'import_update', before);
          counts.updated++;
        } else {
          const id = await units.insertVehicle(tx, {
            district_code: job.districtCode,
            community_code: job.communityCode,
            path: job.communityPath,
            plate: v.plate,
            plate_kind: v.plateKind,
            vehicle_type: v.vehicleType ?? 'car',
            brand: v.brand,
            color: v.color,
            owner_person_id: v.ownerPersonId,
            owner_unit_id: v.ownerUnitId,
            parking: v.parking,
          });
          await history(id, 'import_create', null);
          counts.created++;
        }
      }
    }
  }
  return counts;
}
