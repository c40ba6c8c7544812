import fs from 'node:fs';
import path from 'node:path';
import { spawn, execFileSync } from 'node:child_process';
import { createKeyring, loadMasterKey } from '../../server/core/crypto.ts';
import { namePinyin } from '../../server/modules/registry/names.ts';
import { sealIdNumber, sealPhone } from '../../server/modules/registry/pii.ts';
import { parseIdNumber } from '../../server/modules/registry/id-number.ts';
import { benchPerson, writePeopleXlsx } from '../lib/people-data.ts';
import { gongzhiEnv, readProcStatusKb } from '../lib/proc.ts';
import { megabytes, round } from '../lib/stats.ts';
import type { BenchEnv, DbTarget, Row, Scenario } from '../lib/types.ts';

/**
 * People import (issue 3): `gongzhi import people <100,000-row .xlsx> --mode valid` into an empty
 * community, timed from spawn to exit, with the process's peak RSS (VmHWM). Baseline (PostgreSQL):
 * `\copy` of the same people, already sealed (encrypted, blind-indexed, pinyin), into the same
 * `person` table of a second fresh database: the import's rows per second over COPY's.
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

export const scenario: Scenario = {
  name: 'people-import',
  description: 'import 100,000 people from .xlsx through the CLI (time, peak RSS); baseline: \\copy of the same sealed rows',
  order: 40,
  async run(env) {
    const count = env.opts.quick ? 5_000 : 100_000;
    // The row ids stay those of the budgets; the label says how many rows a --quick run used.
    const label = 'xlsx-100k';
    const file = path.join(env.workDir, `people-${count}.xlsx`);
    const size = await writePeopleXlsx(file, count, []);
    env.log(`people-import: wrote ${count} rows to .xlsx (${(size / 1e6).toFixed(1)} MB)`);

    const target = await migrated(env, 'people-import');
    env.log('people-import: importing through `gongzhi import people`');
    const ours = await runImport(env, target, file);
    const summary = JSON.parse(ours.out.trim().split('\n').pop() ?? '{}') as { imported?: number; rejected?: number };
    const note = summary.imported === count ? undefined : `imported ${summary.imported}, rejected ${summary.rejected} of ${count}`;

    let copyMs: number | null = null;
    if (target.kind === 'postgres' && target.databaseUrl) {
      const base = await migrated(env, 'people-copy');
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
    }
    const rate = (ms: number) => round(count / (ms / 1000));
    const rows: Row[] = [
      {
        id: `people-import.${label}.time`,
        scenario: 'people-import',
        label: `import ${count.toLocaleString('en')} people from .xlsx`,
        unit: 's',
        ours: round(ours.ms / 1000),
        baseline: copyMs === null ? null : round(copyMs / 1000),
        baselineLabel: 'psql \\copy',
        note,
      },
      {
        id: `people-import.${label}.rss`,
        scenario: 'people-import',
        label: 'import peak RSS',
        unit: 'MB',
        ours: megabytes(ours.peakKb),
        baseline: null,
      },
      {
        id: `people-import.${label}.rate`,
        scenario: 'people-import',
        label: 'import throughput',
        unit: 'rows/s',
        ours: rate(ours.ms),
        baseline: copyMs === null ? null : rate(copyMs),
        baselineLabel: 'psql \\copy',
      },
    ];
    return rows;
  },
};
