import { Command, CommanderError, Option } from 'commander';
import { loadConfig } from '../../server/core/config.ts';
import { postgresGenDb, pgliteGenDb } from './bulk.ts';
import { DEFAULT_AS_OF, GENERATORS, PLANNED_SIZES, checksums, generate } from './index.ts';

/**
 * `gongzhi bench generate --residents N --seed S [--db pglite|postgres]`: migrates the configured
 * database (DATABASE_URL, or the PGlite directory under GONGZHI_DATA_DIR) and generates a district
 * into it. Prints a summary, or one JSON line with --json (the benchmark scenarios read it).
 */

function positiveInt(name: string) {
  return (v: string) => {
    const n = Number(v.replace(/_/g, ''));
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, not "${v}"`);
    return n;
  };
}

export async function runGenerate(argv: string[]): Promise<void> {
  const cmd = new Command('gongzhi bench generate')
    .description('generate a plausible district at scale inside the real schema (deterministic: same seed, same data)')
    .option('--seed <n>', 'generator seed', positiveInt('seed'), 1)
    .option('--db <kind>', 'pglite or postgres (default: postgres when DATABASE_URL is set, else pglite)')
    .option('--district <code>', 'the real district the places are generated under', '330212')
    .option('--as-of <date>', 'the day ages and dates count from', DEFAULT_AS_OF)
    .option('--keep-indexes', 'load with the secondary indexes in place (slower; default drops and rebuilds them)')
    .option('--checksums', 'print a checksum of every generated table afterwards')
    .option('--json', 'print the report as one JSON line')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
  for (const g of GENERATORS) if (g.sizeOption) cmd.option(`--${g.sizeOption} <n>`, g.description, positiveInt(g.sizeOption));
  for (const [name, what] of Object.entries(PLANNED_SIZES))
    cmd.addOption(new Option(`--${name} <n>`, `not generated yet: ${what}`).argParser(positiveInt(name)));
  let o: Record<string, unknown>;
  try {
    cmd.parse(argv, { from: 'user' });
    o = cmd.opts();
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    throw err;
  }
  const sizes: Record<string, number> = {};
  for (const name of [...GENERATORS.map((g) => g.sizeOption).filter((s): s is string => !!s), ...Object.keys(PLANNED_SIZES)]) {
    const key = name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
    if (o[key] !== undefined && (o[key] as number) > 0) sizes[name] = o[key] as number;
  }
  const fail = (m: string) => {
    process.stderr.write(`gongzhi bench generate: ${m}\n`);
    process.exitCode = 1;
  };
  if (!sizes.residents) return fail('--residents N is required (e.g. --residents 50000)');
  const env = { ...process.env };
  const kind = (o.db as string | undefined) ?? (env.DATABASE_URL ? 'postgres' : 'pglite');
  if (kind === 'pglite') delete env.DATABASE_URL;
  else if (kind !== 'postgres') return fail(`--db must be pglite or postgres, not "${kind}"`);
  else if (!env.DATABASE_URL) return fail('--db postgres needs DATABASE_URL');
  if (!/^\d{6}$/.test(o.district as string)) return fail('--district must be a 6-digit district code');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(o.asOf as string)) return fail('--as-of must be YYYY-MM-DD');

  const log = (m: string) => process.stderr.write(`[generate ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
  const { openContext } = await import('../../server/core/boot.ts');
  const { ctx, database } = await openContext(loadConfig(env));
  const db = kind === 'postgres' ? await postgresGenDb(env.DATABASE_URL!) : pgliteGenDb(database.pglite!);
  try {
    const report = await generate(
      db,
      ctx.keyring,
      { seed: o.seed as number, sizes, districtCode: o.district as string, asOf: o.asOf as string, rebuildIndexes: !o.keepIndexes },
      log,
    );
    const sums = o.checksums ? await checksums(db, report.communities) : undefined;
    const perSecond = Math.round((report.rows.person ?? 0) / (report.ms.total / 1000));
    if (o.json) process.stdout.write(JSON.stringify({ ...report, checksums: sums, residentsPerSecond: perSecond }) + '\n');
    else {
      process.stdout.write(
        [
          `generated ${report.rows.person} residents in ${report.communities.length} communities of ${report.districtCode} (seed ${report.seed}) in ${(report.ms.total / 1000).toFixed(1)} s (${perSecond}/s)`,
          `rows: ${Object.entries(report.rows)
            .map(([t, n]) => `${t} ${n}`)
            .join(', ')}`,
          `phases: load ${(report.ms.load / 1000).toFixed(1)} s (COPY ${(report.ms.copy / 1000).toFixed(1)} s), indexes ${(report.ms.indexes / 1000).toFixed(1)} s, vacuum analyze ${(report.ms.analyze / 1000).toFixed(1)} s`,
          ...(sums ? Object.entries(sums).map(([t, s]) => `checksum ${t}: ${s}`) : []),
        ].join('\n') + '\n',
      );
    }
  } finally {
    if (kind === 'postgres') await db.close();
    await database.close();
  }
}
