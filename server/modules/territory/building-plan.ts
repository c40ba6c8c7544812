/**
 * Pure planning of a new building's codes: the building (grid + 3-digit number), its units
 * (building + 2 digits) and every house (unit + 2-digit floor + 2-digit room), laid out as the
 * building browser shows them. No I/O; the service writes what this returns.
 */
export interface BuildingSpec {
  name: string;
  floors: number;
  unitsCount: number;
  roomsPerFloor: number;
}

export interface PlannedBuilding {
  code: string;
  units: { code: string; number: number; name: string }[];
  houses: { code: string; unitCode: string; floor: number; room: number; roomLabel: string }[];
}

export const BUILDING_LIMITS = { maxFloors: 99, maxUnits: 50, maxRoomsPerFloor: 50, maxBuildingsPerGrid: 999, maxGridsPerCommunity: 999 };

export function planBuilding(gridCode: string, number: number, spec: BuildingSpec): PlannedBuilding {
  if (!/^\d{15}$/.test(gridCode)) throw new Error(`not a grid code: ${gridCode}`);
  if (!Number.isInteger(number) || number < 1 || number > BUILDING_LIMITS.maxBuildingsPerGrid)
    throw new Error(`building number out of range: ${number}`);
  const check = (v: number, max: number, what: string) => {
    if (!Number.isInteger(v) || v < 1 || v > max) throw new Error(`${what} must be 1–${max}`);
  };
  check(spec.floors, BUILDING_LIMITS.maxFloors, 'floors');
  check(spec.unitsCount, BUILDING_LIMITS.maxUnits, 'units');
  check(spec.roomsPerFloor, BUILDING_LIMITS.maxRoomsPerFloor, 'rooms per floor');
  const code = gridCode + String(number).padStart(3, '0');
  const units: PlannedBuilding['units'] = [];
  const houses: PlannedBuilding['houses'] = [];
  for (let u = 1; u <= spec.unitsCount; u++) {
    const unitCode = code + String(u).padStart(2, '0');
    units.push({ code: unitCode, number: u, name: `${u}单元` });
    for (let floor = 1; floor <= spec.floors; floor++) {
      for (let room = 1; room <= spec.roomsPerFloor; room++) {
        const roomLabel = `${floor}${String(room).padStart(2, '0')}`;
        houses.push({ code: unitCode + String(floor).padStart(2, '0') + String(room).padStart(2, '0'), unitCode, floor, room, roomLabel });
      }
    }
  }
  return { code, units, houses };
}

/** The next free sequence number after the ones in use (gaps left by deletions are not reused: codes stay stable). */
export function nextSequence(used: readonly number[], max: number): number | null {
  const next = used.length ? Math.max(...used) + 1 : 1;
  return next <= max ? next : null;
}
