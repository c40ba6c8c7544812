import { api } from '../../app/api';
import type { Items } from '../../app/types';

export const LEVELS = ['province', 'city', 'district', 'street', 'community', 'grid', 'building', 'unit', 'house'] as const;
export type Level = (typeof LEVELS)[number];

export interface PathItem {
  code: string;
  name: string;
  level: Level;
}

export interface TerritoryNode {
  code: string;
  name: string;
  level: Level;
  parentCode: string | null;
  path: PathItem[];
  childCount: number;
  /** places (grids, buildings, houses) carry a version for optimistic updates; divisions do not */
  version?: number | null;
}

export type HouseUse = 'self' | 'rented' | 'vacant' | 'business';

export interface HouseCell {
  code: string;
  roomLabel: string;
  area: number | string | null;
  use: HouseUse | null;
  version?: number;
}

export interface HousePatch {
  version: number;
  area?: number | null;
  use?: HouseUse;
}

export interface NewBuilding {
  name: string;
  floors: number;
  unitsCount: number;
  roomsPerFloor: number;
  hasLift?: boolean;
  builtYear?: number;
  address?: string;
}

/** The server's limits for a new building (server/modules/territory/schemas.ts). */
export const BUILDING_LIMITS = {
  name: 40,
  floors: 99,
  units: 50,
  roomsPerFloor: 50,
  yearMin: 1900,
  yearMax: 2100,
  address: 200,
  gridName: 60,
};

export interface TerritoryStats {
  code: string;
  streets: number;
  communities: number;
  grids: number;
  buildings: number;
  houses: number;
}

export interface LayoutUnit {
  code: string;
  name: string;
  floors: { floor: number; houses: HouseCell[] }[];
}

export interface BuildingLayout {
  building: TerritoryNode & { floors: number | null; hasLift: boolean | null; address: string | null; builtYear?: number | null };
  units: LayoutUnit[];
}

const enc = encodeURIComponent;

export const territoryKeys = {
  roots: ['territory', 'roots'] as const,
  node: (code: string) => ['territory', 'node', code] as const,
  children: (code: string) => ['territory', 'children', code] as const,
  search: (q: string) => ['territory', 'search', q] as const,
  layout: (code: string) => ['territory', 'layout', code] as const,
  stats: (code: string) => ['territory', 'stats', code] as const,
};

export const territoryApi = {
  roots: () => api.get<Items<TerritoryNode>>('/api/territory/roots').then((r) => r.items),
  node: (code: string) => api.get<TerritoryNode>(`/api/territory/${enc(code)}`),
  children: (code: string) => api.get<Items<TerritoryNode>>(`/api/territory/${enc(code)}/children`).then((r) => r.items),
  search: (q: string) => api.get<Items<TerritoryNode>>('/api/territory/search', { q }).then((r) => r.items),
  layout: (code: string) => api.get<BuildingLayout>(`/api/territory/${enc(code)}/layout`),
  stats: (code: string) => api.get<TerritoryStats>(`/api/territory/${enc(code)}/stats`),
  updateHouse: (code: string, patch: HousePatch) => api.patch<HouseCell>(`/api/territory/houses/${enc(code)}`, patch),
  createGrid: (communityCode: string, name?: string) =>
    api.post<TerritoryNode>(`/api/territory/${enc(communityCode)}/grids`, name ? { name } : {}),
  createBuilding: (gridCode: string, body: NewBuilding) =>
    api.post<TerritoryNode>(`/api/territory/${enc(gridCode)}/buildings`, body),
  renameGrid: (gridCode: string, name: string, version: number) =>
    api.patch<TerritoryNode>(`/api/territory/grids/${enc(gridCode)}`, { name, version }),
};

/** The ancestors and the node itself, whether or not the server's path already ends with the node. */
export function fullPath(node: TerritoryNode): PathItem[] {
  const path = node.path ?? [];
  const last = path[path.length - 1];
  return last && last.code === node.code ? path : [...path, { code: node.code, name: node.name, level: node.level }];
}

export function isLeafLevel(level: Level): boolean {
  return level === 'house';
}

export const LEVEL_COLORS: Record<Level, string> = {
  province: 'magenta',
  city: 'volcano',
  district: 'red',
  street: 'orange',
  community: 'gold',
  grid: 'green',
  building: 'cyan',
  unit: 'blue',
  house: 'geekblue',
};

export const HOUSE_USES: HouseUse[] = ['self', 'rented', 'vacant', 'business'];
