import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { BUDGETS, budgetsOfScenarios, describeBudget, pendingBudgets } from './budgets.ts';
import { installSignalCleanup, onCleanup, runCleanups } from './lib/cleanup.ts';
import { createTarget, postgresVersion, shareTarget } from './lib/db.ts';
import { currentSourceFingerprint, Fixtures, sourceFingerprint } from './lib/fixtures.ts';
import { gongzhiEnv, runNode } from './lib/proc.ts';
import { judgeRows, renderTable, type JudgedRow } from './lib/table.ts';
import { compareRows, mergeReference, readReference, referencePath, renderRegressions } from './lib/regression.ts';
import type { BenchEnv, BenchOptions, DbKind, DbTarget, Row, Scenario } from './lib/types.ts';

/**
 * `gongzhi bench`: runs every scenario in bench/scenarios (a module adds its benchmark by adding a
 * file there that exports `scenario`), prints one table and writes the figures as JSON to
 * bench/results/<timestamp>.json. Budgets are reported, never enforced by the exit code.
 * `gongzhi bench generate` builds a district at scale for them (bench/generate/).
 */

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(BENCH_DIR, '..');

interface CliOptions {
  quick?: boolean;
  only?: string;
  db?: string;
  list?: boolean;
  updateReference?: boolean;
}

function parseArgs(argv: string[]): CliOptions | null {
  const cmd = new Command('gongzhi bench')
    .description('run the benchmark scenarios and compare each with its baseline and budget')
    .option('--quick', 'small sizes that finish in well under 3 minutes (CI)')
    .option('--only <scenario>', 'run one scenario')
    .option('--db <kind>', 'pglite or postgres (default: postgres when DATABASE_URL is set, else pglite)')
    .option('--list', 'list the scenarios and budgets, run nothing')
    .option('--update-reference', "write this run's figures into bench/reference/<db>-<quick|full>.json (merged by row)")
    .addHelpText('after', '\nData generator: gongzhi bench generate --residents N --seed S [--db pglite|postgres] (generate --help)')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
  try {
    cmd.parse(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return null;
    }
    throw err;
  }
  return cmd.opts<CliOptions>();
}

async function loadScenarios(): Promise<Scenario[]> {
  const dir = path.join(BENCH_DIR, 'scenarios');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  const scenarios: Scenario[] = [];
  for (const f of files) {
    const mod = (await import(pathToFileURL(path.join(dir, f)).href)) as { scenario?: Scenario };
    if (!mod.scenario) throw new Error(`bench/scenarios/${f} exports no \`scenario\``);
    scenarios.push(mod.scenario);
  }
  return scenarios.sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
}

function optionsFrom(o: CliOptions): BenchOptions {
  const adminUrl = process.env.DATABASE_URL?.trim() || null;
  const db = (o.db ?? (adminUrl ? 'postgres' : 'pglite')) as DbKind;
  if (db !== 'pglite' && db !== 'postgres') throw new Error(`--db must be pglite or postgres, not "${o.db}"`);
  if (db === 'postgres' && !adminUrl)
    throw new Error('--db postgres needs DATABASE_URL, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres');
  const quick = !!o.quick;
  return {
    quick,
    db,
    adminUrl: db === 'postgres' ? adminUrl : null,
    runs: quick ? 1 : 3,
    loadSeconds: quick ? 2 : 20,
    warmupSeconds: quick ? 1 : 3,
    connections: 10,
    singleSeconds: quick ? 1 : 10,
  };
}

function gitCommit(): string | null {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }).trim();
    return dirty ? `${head}+dirty` : head;
  } catch {
    return null;
  }
}

/** What the demo fixture depends on besides the sources: the demo accounts' password (only its hash is kept). */
function demoInputs() {
  return {
    password: crypto
      .createHash('sha256')
      .update(process.env.GONGZHI_DEMO_PASSWORD || '')
      .digest('hex')
      .slice(0, 16),
  };
}

function makeEnv(opts: BenchOptions, workDir: string): BenchEnv {
  const log = (m: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
  let demo: Promise<DbTarget> | null = null;
  const newTarget = (label: string) => createTarget(opts.db, workDir, opts.adminUrl, label);
  const fixtures = new Fixtures({ opts, root: ROOT, workDir, log, newTarget });
  const seedDemo = async (target: DbTarget) => {
    log(`seeding the demo into ${target.name} (gongzhi seed --demo)`);
    const ms = await runNode(
      'gongzhi seed --demo',
      ['bin/gongzhi.js', 'seed', '--demo'],
      gongzhiEnv(target),
      ROOT,
      path.join(workDir, 'logs', `seed-demo-${path.basename(target.dataDir)}.log`),
    );
    log(`demo seeded in ${(ms / 1000).toFixed(1)} s`);
    return null;
  };
  const demoCopy = async (label: string) => (await fixtures.copy('demo', demoInputs(), seedDemo, () => newTarget(label))).target;
  return {
    opts,
    root: ROOT,
    workDir,
    log,
    newTarget,
    fixtures,
    demoTarget() {
      demo ??= demoCopy('demo');
      return demo;
    },
    demoCopy,
    async migratedCopy(label) {
      const migrate = async (target: DbTarget) => {
        await runNode(
          'gongzhi migrate',
          ['bin/gongzhi.js', 'migrate'],
          gongzhiEnv(target),
          ROOT,
          path.join(workDir, 'logs', `migrate-${label}.log`),
        );
        return null;
      };
      return (await fixtures.copy('migrated', {}, migrate, () => newTarget(label))).target;
    },
    async offerDemoTarget(target, seedMs) {
      if (demo) return;
      demo = Promise.resolve(target);
      await fixtures.adopt('demo', demoInputs(), target, seedMs);
    },
    async shareTarget(target, label) {
      return shareTarget(target, workDir, label);
    },
  };
}

/** bench/results, or BENCH_RESULTS_DIR (the harness's own test writes to a temporary directory). */
function resultsDirectory(): string {
  return process.env.BENCH_RESULTS_DIR?.trim() || path.join(BENCH_DIR, 'results');
}

/** Server logs of a failed run survive the cleanup (bench/results is git-ignored). */
function keepLogs(workDir: string, stamp: string): void {
  const from = path.join(workDir, 'logs');
  if (fs.existsSync(from)) fs.cpSync(from, path.join(resultsDirectory(), `${stamp}-logs`), { recursive: true });
}

function machine(opts: BenchOptions) {
  const cpus = os.cpus();
  return {
    cores: os.availableParallelism(),
    cpu: cpus[0]?.model ?? 'unknown',
    memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    database: opts.db,
  };
}

export async function runBench(argv: string[]): Promise<void> {
  // `gongzhi bench generate …`: the data generator (bench/generate/).
  if (argv[0] === 'generate') return (await import('./generate/cli.ts')).runGenerate(argv.slice(1));
  const cli = parseArgs(argv);
  if (!cli) return;
  let opts: BenchOptions;
  try {
    opts = optionsFrom(cli);
  } catch (err) {
    process.stderr.write(`gongzhi bench: ${(err as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  const all = await loadScenarios();
  if (cli.list) {
    for (const s of all) process.stdout.write(`${s.name.padEnd(18)} ${s.description}\n`);
    process.stdout.write('\nbudgets:\n');
    const names = all.map((s) => s.name);
    for (const b of BUDGETS) {
      const status = names.includes(b.scenario) ? 'active' : 'pending';
      process.stdout.write(`  ${status.padEnd(8)} ${b.row.padEnd(34)} ${describeBudget(b).padEnd(24)} issue ${b.issue}: ${b.what}\n`);
    }
    return;
  }
  const chosen = cli.only ? all.filter((s) => s.name === cli.only) : all;
  if (!chosen.length) {
    process.stderr.write(`gongzhi bench: no scenario "${cli.only}"; there are: ${all.map((s) => s.name).join(', ')}\n`);
    process.exitCode = 1;
    return;
  }

  installSignalCleanup();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongzhi-bench-'));
  onCleanup(`directory ${workDir}`, () => fs.rmSync(workDir, { recursive: true, force: true }));
  const env = makeEnv(opts, workDir);
  const startedAt = new Date();
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const loadBefore = os.loadavg();
  let pgVersion: string | null;
  env.log(
    `${opts.quick ? 'quick' : 'full'} run on ${opts.db}: ${chosen.map((s) => s.name).join(', ')} (load average ${loadBefore.map((x) => x.toFixed(2)).join(' ')})`,
  );

  const rows: Row[] = [];
  const scenarioLog: Record<string, { seconds: number; error?: string }> = {};
  let errors = 0;
  try {
    pgVersion = opts.adminUrl ? await postgresVersion(opts.adminUrl) : null;
    const sources = sourceFingerprint(ROOT);
    for (const s of chosen) {
      const t0 = Date.now();
      try {
        // The harness holds the migrations it loaded at its start while fixtures and servers are
        // child processes that load the tree as it is now: an edit during a run mixes two versions
        // (a new migration made later scenarios stop with "corrupted migrations"). Stop cleanly instead.
        if (currentSourceFingerprint(ROOT) !== sources)
          throw new Error(
            'the sources under server/ or bench/generate/ changed during this run, so its figures would mix two versions; run the bench from a separate worktree (git worktree add) and leave it alone',
          );
        rows.push(...(await s.run(env)));
        scenarioLog[s.name] = { seconds: (Date.now() - t0) / 1000 };
      } catch (err) {
        errors++;
        const message = (err as Error).message;
        env.log(`${s.name}: ERROR ${message}`);
        scenarioLog[s.name] = { seconds: (Date.now() - t0) / 1000, error: message };
        // The first line says what failed; the last is usually the server's own reason.
        const lines = message.split('\n').filter((l) => l.trim());
        const note = lines.length > 1 ? `${lines[0]} … ${lines.at(-1)}` : lines[0];
        rows.push({ id: `${s.name}.error`, scenario: s.name, label: 'ERROR (see note)', unit: 's', ours: null, baseline: null, note });
      }
    }
  } finally {
    if (errors) keepLogs(workDir, stamp);
    await runCleanups();
  }
  // An active budget whose row never came is reported, not silently dropped.
  for (const b of budgetsOfScenarios(chosen.map((s) => s.name))) {
    if (!rows.some((r) => r.id === b.row))
      rows.push({ id: b.row, scenario: b.scenario, label: `${b.row} (not measured)`, unit: 's', ours: null, baseline: null });
  }

  const judged: JudgedRow[] = judgeRows(rows, opts.db);
  const failed = judged.filter((r) => r.verdict === 'FAIL' || r.verdict === 'MISSING');
  const pending = pendingBudgets(all.map((s) => s.name));
  const lines = [
    '',
    `共治 Gongzhi benchmark — ${opts.quick ? 'quick' : 'full'} run on ${opts.db}, ${startedAt.toISOString()}, ${os.availableParallelism()} cores, load average ${loadBefore[0].toFixed(1)} before / ${os.loadavg()[0].toFixed(1)} after`,
    '',
    renderTable(judged),
    '',
    `ratio = ours / baseline (for times: >1 is slower than the baseline; for req/s: <1 is slower)`,
    `pending budgets, their scenarios not written yet (--list shows them): ${[...new Set(pending.map((b) => b.scenario))]
      .map((name) => `${name} (${pending.filter((b) => b.scenario === name).length})`)
      .join(', ')}`,
    '',
    failed.length
      ? `FAIL: ${failed.length} budget(s) not met: ${failed.map((r) => `${r.id} (${r.ours == null ? 'no figure' : r.ours.toFixed(2) + ' ' + r.unit} vs ${r.budget})`).join(', ')}`
      : errors
        ? 'no budget failed among the figures measured'
        : 'all budgets met',
  ];
  // The regression check against the committed reference of this database and size (reported, never enforced).
  const refFile = referencePath(BENCH_DIR, opts.db, opts.quick);
  const refName = path.relative(ROOT, refFile);
  const reference = readReference(refFile);
  const regression = reference ? compareRows(judged, reference) : null;
  lines.push(
    regression ? renderRegressions(regression, refName) : `regression check: no reference ${refName} yet (--update-reference writes it)`,
  );
  if (errors)
    lines.push(
      `ERROR: ${errors} scenario(s) did not finish; see the notes above (server logs kept in ${path.relative(ROOT, resultsDirectory())}/${stamp}-logs/)`,
    );
  process.stdout.write(lines.join('\n') + '\n');

  const finishedAt = new Date();
  const resultsDir = resultsDirectory();
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${stamp}.json`);
  const report = {
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    seconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
    argv,
    options: { ...opts, adminUrl: opts.adminUrl ? opts.adminUrl.replace(/\/\/[^@/]*@/, '//…@') : null },
    commit: gitCommit(),
    machine: { ...machine(opts), postgres: pgVersion, loadAverageBefore: loadBefore, loadAverageAfter: os.loadavg() },
    scenarios: scenarioLog,
    rows: judged,
    pendingBudgets: pending,
    regressions: regression ? { reference: refName, rows: regression.regressions } : null,
  };
  fs.writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
  process.stdout.write(`results written to ${path.relative(process.cwd(), file)}\n`);
  if (cli.updateReference) {
    const at = { db: opts.db, quick: opts.quick, at: startedAt.toISOString(), commit: report.commit, loadAverage: loadBefore };
    fs.mkdirSync(path.dirname(refFile), { recursive: true });
    fs.writeFileSync(refFile, JSON.stringify(mergeReference(reference, judged, at), null, 2) + '\n');
    process.stdout.write(`reference updated: ${refName}\n`);
  }
  // Budgets never fail the run (CI runs --quick for information); a scenario that crashed does.
  process.exitCode = errors ? 1 : 0;
  // Safety net: if a stray handle outlived the cleanup, do not hang CI.
  setTimeout(() => process.exit(process.exitCode ?? 0), 2000).unref();
}
