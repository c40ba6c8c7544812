import { pinyin } from 'pinyin-pro';

/**
 * Pinyin of a person's name for search: full syllables without tones ("zhangsanfeng") and
 * initials ("zsf"), read in surname mode so 曾/单/解 get their surname readings.
 * Latin letters in a name (foreign residents) are kept lower-cased.
 */
export function namePinyin(name: string): { full: string; initials: string } {
  // Names repeat (a district has far fewer distinct names than people): reading one costs more
  // than the rest of checking an imported row's name, so the answers are kept, within a bound.
  const hit = cache.get(name);
  if (hit) return hit;
  const v = Object.freeze(readPinyin(name));
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(name, v);
  return v;
}

const CACHE_MAX = 100_000;
const cache = new Map<string, { full: string; initials: string }>();

function readPinyin(name: string): { full: string; initials: string } {
  if (!/[\u4e00-\u9fff]/.test(name)) {
    const words = name
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter(Boolean);
    return { full: words.join(''), initials: words.map((w) => w[0]).join('') };
  }
  const syllables = pinyin(name, { toneType: 'none', type: 'array', surname: 'head', nonZh: 'consecutive' });
  const parts = syllables.map((s) => s.toLowerCase().replace(/[^a-z0-9]/g, '')).filter(Boolean);
  return { full: parts.join(''), initials: parts.map((p) => p[0]).join('') };
}

/** A query that looks like pinyin initials or syllables rather than Chinese characters. */
export function isLatinQuery(q: string): boolean {
  return /^[a-z]+$/i.test(q);
}
