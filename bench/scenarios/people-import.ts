import fs from 'node:fs';
import path from 'node:path';
import { spawn, execFileSync } from 'node:child_process';
import { createKeyring, loadMasterKey } from '../../server/core/crypto.ts';
import { namePinyin } from '../../server/modules/registry/names.ts';
import { sealIdNumber, sealPhone } from '../../server/modules/registry/pii.ts';
import { parseIdNumber } from '../../server/modules/registry/id-number.ts';
import { benchPerson, IMPORT_HEADERS, importRow, writePeopleXlsx } from '../lib/people-data.ts';
import { gongzhiEnv, readProcStatusKb } from '../lib/proc.ts';
import { megabytes, round } from '../lib/stats.ts';
import type { BenchEnv, DbTarget, Row, Scenario } from '../lib/types.ts';

/**
 * People import (issues 3 and 8): `gongzhi import people <file> --mode valid` into an empty
 * community — a 100,000-row .xlsx, then a 1,000,000-row .csv (BENCH_PEOPLE_IMPORT_CSV_ROWS sets
 * another size, 0 skips it) — timed from spawn to exit, with the process's peak RSS (VmHWM).
 * Baseline (PostgreSQL): `\copy` of the same people, already sealed (encrypted, blind-indexed,
 * pinyin), into the same `person` table of a second fresh database, run right after ours: the
 * import's rows per second over COPY's.
 */

const COMMUNITY = '330212014027';

function migrated(env: BenchEnv, label: string): Promise<DbTarget> {
  return env.migratedCopy(label);
}

/** Runs the CLI import; wall time from spawn to exit, and the high-water RSS seen in /proc. */
function runImport(env: BenchEnv, target: DbTarget, file: string): Promise<{ ms: number; peakKb: number; out: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(
      process.execPath,
      ['bin/gongzhi.js', 'import', 'people', file, '--community', COMMUNITY, '--mode', 'valid', '--json'],
      {
        cwd: env.root,
        env: gongzhiEnv(target),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    let peakKb = 0;
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setInterval(() => {
      peakKb = Math.max(peakKb, readProcStatusKb(child.pid!, 'VmHWM') ?? 0);
    }, 50);
    child.once('exit', (code) => {
      clearInterval(timer);
      const ms = performance.now() - started;
      if (code !== 0) reject(new Error(`import exited ${code}: ${err.slice(-500)}`));
      else resolve({ ms, peakKb, out });
    });
  });
}

function csvCell(v: string | null) {
  if (v === null) return '';
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** The same people as sealed `person` rows, for `\copy`. */
function writeCopyFile(file: string, count: number, dataDir: string, communityPath: string) {
  const keyring = createKeyring(loadMasterKey(null, dataDir));
  const fd = fs.openSync(file, 'w');
  let buf: string[] = [];
  for (let i = 0; i < count; i++) {
    const p = benchPerson(i, []);
    const id = parseIdNumber(p.idNumber);
    if (!id.ok) throw new Error(`bench person ${i} has a bad ID number`);
    const sid = sealIdNumber(keyring, 'resident', p.idNumber);
    const sp = sealPhone(keyring, p.phone);
    const py = namePinyin(p.name);
    buf.push(
      [
        COMMUNITY.slice(0, 6),
        COMMUNITY,
        communityPath,
        p.name,
        py.full,
        py.initials,
        'resident',
        sid.enc,
        sid.bidx,
        id.value.gender,
        id.value.birthDate,
        sp.enc,
        sp.bidx,
        '汉族',
        'registered',
      ]
        .map(csvCell)
        .join(','),
    );
    if (buf.length >= 5000) {
      fs.writeSync(fd, buf.join('\n') + '\n');
      buf = [];
    }
  }
  if (buf.length) fs.writeSync(fd, buf.join('\n') + '\n');
  fs.closeSync(fd);
}

/** The same people as a UTF-8 CSV with the template's headers (written in chunks, never whole). */
function writePeopleCsv(file: string, count: number) {
  const fd = fs.openSync(file, 'w');
  let buf: string[] = [IMPORT_HEADERS.join(',')];
  for (let i = 0; i < count; i++) {
    buf.push(importRow(benchPerson(i, [])).map(csvCell).join(','));
    if (buf.length >= 5000) {
      fs.writeSync(fd, buf.join('\n') + '\n');
      buf = [];
    }
  }
  if (buf.length) fs.writeSync(fd, buf.join('\n') + '\n');
  fs.closeSync(fd);
  return fs.statSync(file).size;
}

/**
 * One file through the CLI into a fresh database, then (PostgreSQL) `\copy` of the same sealed
 * rows into another fresh database: time, peak RSS and throughput, with the baseline beside them.
 */
async function measure(env: BenchEnv, kind: 'xlsx' | 'csv', count: number, label: string): Promise<Row[]> {
  const file = path.join(env.workDir, `people-${count}.${kind}`);
  const size = kind === 'xlsx' ? await writePeopleXlsx(file, count, []) : writePeopleCsv(file, count);
  env.log(`people-import: wrote ${count} rows to .${kind} (${(size / 1e6).toFixed(1)} MB)`);

  const target = await migrated(env, `people-import-${kind}`);
  env.log(`people-import: importing the .${kind} through \`gongzhi import people\``);
  const ours = await runImport(env, target, file);
  fs.rmSync(file, { force: true });
  const summary = JSON.parse(ours.out.trim().split('\n').pop() ?? '{}') as { imported?: number; rejected?: number };
  const note = summary.imported === count ? undefined : `imported ${summary.imported}, rejected ${summary.rejected} of ${count}`;

  let copyMs: number | null = null;
  if (target.kind === 'postgres' && target.databaseUrl) {
    const base = await migrated(env, `people-copy-${kind}`);
    const communityPath = execFileSync('psql', [base.databaseUrl!, '-Atc', `select path::text from division where code = '${COMMUNITY}'`])
      .toString()
      .trim();
    const csv = path.join(env.workDir, 'people-copy.csv');
    writeCopyFile(csv, count, base.dataDir, communityPath);
    env.log('people-import: baseline \\copy of the same sealed rows');
    const started = performance.now();
    execFileSync('psql', [
      base.databaseUrl!,
      '-qc',
      `\\copy person (district_code, community_code, path, name, name_pinyin, name_initials, id_type, id_enc, id_bidx, gender, birth_date, phone_enc, phone_bidx, ethnicity, residency) from '${csv}' csv`,
    ]);
    copyMs = performance.now() - started;
    fs.rmSync(csv, { force: true });
  }
  const rate = (ms: number) => round(count / (ms / 1000));
  return [
    {
      id: `people-import.${label}.time`,
      scenario: 'people-import',
      label: `import ${count.toLocaleString('en')} people from .${kind}`,
      unit: 's',
      ours: round(ours.ms / 1000),
      baseline: copyMs === null ? null : round(copyMs / 1000),
      baselineLabel: 'psql \\copy',
      note,
    },
    {
      id: `people-import.${label}.rss`,
      scenario: 'people-import',
      label: `.${kind} import peak RSS`,
      unit: 'MB',
      ours: megabytes(ours.peakKb),
      baseline: null,
    },
    {
      id: `people-import.${label}.rate`,
      scenario: 'people-import',
      label: `.${kind} import throughput`,
      unit: 'rows/s',
      ours: rate(ours.ms),
      baseline: copyMs === null ? null : rate(copyMs),
      baselineLabel: 'psql \\copy',
    },
  ];
}

/** Rows of the CSV run: BENCH_PEOPLE_IMPORT_CSV_ROWS, else 1,000,000 (full) or 5,000 (--quick); 0 skips it. */
function csvRows(quick: boolean) {
  const fromEnv = process.env.BENCH_PEOPLE_IMPORT_CSV_ROWS;
  if (fromEnv !== undefined && fromEnv !== '') return Math.max(0, Math.floor(Number(fromEnv)) || 0);
  return quick ? 5_000 : 1_000_000;
}

export const scenario: Scenario = {
  name: 'people-import',
  description:
    'import 100,000 people from .xlsx and 1,000,000 from .csv through the CLI (time, peak RSS); baseline: \\copy of the same sealed rows',
  order: 40,
  async run(env) {
    // The row ids stay those of the budgets; the labels say how many rows a --quick run used.
    const rows = await measure(env, 'xlsx', env.opts.quick ? 5_000 : 100_000, 'xlsx-100k');
    const csv = csvRows(env.opts.quick);
    if (csv > 0) rows.push(...(await measure(env, 'csv', csv, 'csv-1m')));
    return rows;
  },
};
