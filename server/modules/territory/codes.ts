import type { TerritoryLevel } from '../../db/types.ts';
import { divisionLevelOf, normalizeDivisionCode } from './divisions.ts';

/**
 * Territory codes (社区编码): 6/9/12 digits for divisions, then grid 15 (community + 3),
 * building 18 (grid + 3), unit 20 (building + 2), house 24 (unit + 2-digit floor + 2-digit room).
 */
const PLACE_LEVELS: Record<number, TerritoryLevel> = { 15: 'grid', 18: 'building', 20: 'unit', 24: 'house' };

export interface ParsedCode {
  code: string;
  level: TerritoryLevel;
}

/** Returns the canonical code and its level, or null when the code is malformed. */
export function parseTerritoryCode(input: string): ParsedCode | null {
  const raw = input.trim();
  if (!/^[0-9]+$/.test(raw)) return null;
  const place = PLACE_LEVELS[raw.length];
  if (place) {
    // A place code must sit under a well-formed community code.
    if (!normalizeDivisionCode(raw.slice(0, 12))) return null;
    if (raw.length >= 15 && raw.slice(12, 15) === '000') return null;
    return { code: raw, level: place };
  }
  const code = normalizeDivisionCode(raw);
  if (!code) return null;
  const level = divisionLevelOf(code);
  return level ? { code, level } : null;
}

export function parentPlaceCode(code: string, level: TerritoryLevel): string | null {
  switch (level) {
    case 'grid':
      return code.slice(0, 12);
    case 'building':
      return code.slice(0, 15);
    case 'unit':
      return code.slice(0, 18);
    case 'house':
      return code.slice(0, 20);
    default:
      return null;
  }
}

/** ltree labels are the codes themselves, so a path reads like the hierarchy. */
export function pathLabels(path: string): string[] {
  return path.split('.');
}
