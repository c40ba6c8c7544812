import fs from 'node:fs';
import { Command, CommanderError } from 'commander';
import { loadConfig } from './core/config.ts';
import { systemActor, type AppContext } from './core/context.ts';

/**
 * The `gongzhi` command. Each subcommand opens the configured database itself; modules are
 * imported when a command needs them, so `--help` and argument errors answer at once.
 */
async function withContext<T>(fn: (ctx: AppContext) => Promise<T>): Promise<T> {
  const { openContext } = await import('./core/boot.ts');
  const { ctx, database } = await openContext(loadConfig());
  try {
    return await fn(ctx);
  } finally {
    await database.close();
  }
}

function fail(message: string): never {
  process.stderr.write(`gongzhi: ${message}\n`);
  process.exit(1);
}

export function buildCli(): Command {
  const program = new Command('gongzhi')
    .description('共治 Gongzhi — grassroots community governance platform')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  program
    .command('serve')
    .description('start the server (PORT, DATABASE_URL, GONGZHI_DATA_DIR, GONGZHI_DEMO_PASSWORD)')
    .option('--no-demo', 'do not seed the demo district on first start')
    .action(async (o: { demo: boolean }) => {
      const { serve } = await import('./main.ts');
      await serve(loadConfig(), { demo: o.demo });
    });

  program
    .command('migrate')
    .description('apply database migrations and load reference data')
    .action(async () => {
      await withContext(async () => undefined);
      process.stdout.write('migrations applied\n');
    });

  program
    .command('pglite-image')
    .description('build the base image new embedded (PGlite) databases start from: migrated, divisions loaded')
    .option('--force', 'build it even if the current one exists')
    .action(async (o: { force?: boolean }) => {
      const { buildImage } = await import('./db/pglite-base.ts');
      const r = await buildImage(process.env, { force: !!o.force });
      const size = `${(r.bytes / 1024 / 1024).toFixed(1)} MB`;
      process.stdout.write(
        r.built ? `base image built in ${(r.ms / 1000).toFixed(1)} s: ${r.dir} (${size})\n` : `base image current: ${r.dir} (${size})\n`,
      );
    });

  program
    .command('seed')
    .description('seed data')
    .requiredOption('--demo', 'seed the demo district (idempotent)')
    .option('--seed <n>', 'generator seed', '1')
    .action(async (o: { seed: string }) => {
      const seed = Number(o.seed);
      if (!Number.isInteger(seed) || seed < 1) fail('--seed must be a positive integer');
      const { seedDemo } = await import('./modules/demo/seed.ts');
      const r = await withContext((ctx) => seedDemo(ctx, ctx.config.demoPassword, seed));
      process.stdout.write(r.seeded ? `demo seeded: ${JSON.stringify(r.summary)}\n` : 'demo already present; nothing to do\n');
    });

  const u = program.command('users').description('manage user accounts');
  u.command('list')
    .description('list users')
    .option('-q, --query <text>', 'filter by username or name')
    .action(async (o: { query?: string }) => {
      const users = await import('./modules/users/service.ts');
      const rows = await withContext((ctx) => users.listUsers(ctx, systemActor(), { q: o.query, page: 1, pageSize: 100 }));
      for (const r of rows.items) {
        const roles = r.roles.map((b) => `${b.role}${b.scopeCode ? '@' + b.scopeCode : ''}`).join(', ');
        process.stdout.write(
          `${r.username.padEnd(16)} ${r.displayName.padEnd(20)} ${r.disabled ? 'disabled ' : ''}${r.lockedUntil ? 'locked ' : ''}${roles}\n`,
        );
      }
      process.stdout.write(`${rows.total} user(s)\n`);
    });
  u.command('create')
    .description('create a user (they must change the password at first sign-in)')
    .argument('<username>')
    .requiredOption('--name <displayName>', 'display name')
    .requiredOption('--password <password>', 'initial password')
    .option('--role <role>', 'role to grant, e.g. sysadmin, community_worker')
    .option('--scope <code>', 'territory code or org:<id> the role is bound to', '')
    .option('--require-totp', 'require a TOTP second factor')
    .action(async (username: string, o: { name: string; password: string; role?: string; scope: string; requireTotp?: boolean }) => {
      const users = await import('./modules/users/service.ts');
      const created = await withContext((ctx) =>
        users.createUser(ctx, systemActor(), {
          username,
          displayName: o.name,
          password: o.password,
          totpRequired: !!o.requireTotp,
          roles: o.role ? [{ role: o.role, scopeCode: o.scope }] : [],
        }),
      );
      process.stdout.write(`created ${created.username} (${created.id})\n`);
    });
  u.command('reset-password')
    .description("set a user's password (they must change it at next sign-in)")
    .argument('<username>')
    .requiredOption('--password <password>', 'new password')
    .action(async (username: string, o: { password: string }) => {
      const users = await import('./modules/users/service.ts');
      await withContext(async (ctx) => {
        const id = await users.findUserIdByUsername(ctx, username);
        if (!id) fail(`no user named ${username}`);
        await users.resetPassword(ctx, systemActor(), { userId: id, password: o.password });
      });
      process.stdout.write(`password reset for ${username}\n`);
    });
  u.command('unlock')
    .description('clear a lockout after failed sign-ins')
    .argument('<username>')
    .action(async (username: string) => {
      const users = await import('./modules/users/service.ts');
      await withContext(async (ctx) => {
        const id = await users.findUserIdByUsername(ctx, username);
        if (!id) fail(`no user named ${username}`);
        await users.unlockUser(ctx, systemActor(), { userId: id });
      });
      process.stdout.write(`unlocked ${username}\n`);
    });

  program
    .command('audit')
    .description('audit log tools')
    .command('verify')
    .description('verify the hash chain of the audit log; exits 2 when it is broken')
    .action(async () => {
      const { verifyAuditChain, appendAudit } = await import('./core/audit.ts');
      const report = await withContext(async (ctx) => {
        const r = await verifyAuditChain(ctx.db);
        await appendAudit(ctx.db, {
          actorName: systemActor().username,
          action: 'audit.verify',
          outcome: r.ok ? 'success' : 'failure',
          details: { ...r },
        });
        return r;
      });
      if (report.ok) process.stdout.write(`audit chain intact: ${report.checked} rows verified\n`);
      else {
        process.stderr.write(
          `audit chain BROKEN at row ${report.brokenAt}: ${report.reason} (${report.checked} rows verified before it)\n`,
        );
        process.exit(2);
      }
    });

  // Open311 GeoReport v2 clients (issue 4): keys are printed once and stored only as a hash.
  const o311 = program.command('open311').description('Open311 GeoReport v2 API keys');
  const keys = o311.command('key').description('create or revoke API keys');
  keys
    .command('create')
    .description('create an API key for a client and print it')
    .requiredOption('--name <client>', 'client name')
    .option('--district <code>', 'district the client files requests in', '330212')
    .action(async (o: { name: string; district: string }) => {
      const { createKey } = await import('./modules/events/open311.ts');
      const key = await withContext((ctx) => createKey(ctx, o.name, o.district));
      process.stdout.write(`${key}\n`);
    });
  keys
    .command('revoke')
    .description('revoke every active key of a client')
    .requiredOption('--name <client>', 'client name')
    .action(async (o: { name: string }) => {
      const { revokeKey } = await import('./modules/events/open311.ts');
      const n = await withContext((ctx) => revokeKey(ctx, o.name));
      if (n === 0) fail(`no active key for ${o.name}`);
      process.stdout.write(`revoked ${n} key(s) of ${o.name}\n`);
    });

  // The event measures rollup (D41): recompute it from the rows (backfill, repair, after a bulk load).
  const evc = program.command('events').description('event tools');
  evc
    .command('rollup')
    .description('rebuild the event measures rollup from the events (writes to events wait meanwhile)')
    .argument('<action>', 'rebuild | fold')
    .action(async (action: string) => {
      const { rebuildRollup, foldAll } = await import('./modules/events/rollup.ts');
      if (action === 'rebuild') {
        const r = await withContext((ctx) => rebuildRollup(ctx.db));
        process.stdout.write(`rollup rebuilt: ${r.events} events, ${r.rows} rollup rows\n`);
      } else if (action === 'fold') {
        const n = await withContext((ctx) => foldAll(ctx.db));
        process.stdout.write(`folded ${n} pending changes\n`);
      } else fail(`unknown action ${action} (rebuild | fold)`);
    });

  program
    .command('points')
    .description('points ledger tools')
    .command('verify')
    .description('verify the hash chain of the points ledger (every district); exits 2 when it is broken')
    .option('--district <code>', 'only this district')
    .action(async (opts: { district?: string }) => {
      const { verifyPointsLedger } = await import('./modules/volunteering/ledger.ts');
      const { appendAudit } = await import('./core/audit.ts');
      const report = await withContext(async (ctx) => {
        const r = await verifyPointsLedger(ctx.db, opts.district);
        await appendAudit(ctx.db, {
          actorName: systemActor().username,
          action: 'points.verify',
          outcome: r.ok ? 'success' : 'failure',
          details: { ...r },
        });
        return r;
      });
      for (const d of report.districts) {
        const line = d.ok
          ? `district ${d.districtCode}: intact, ${d.checked} entries\n`
          : `district ${d.districtCode}: BROKEN at entry ${d.brokenAt}: ${d.reason}\n`;
        (d.ok ? process.stdout : process.stderr).write(line);
      }
      if (!report.ok) process.exit(2);
      process.stdout.write(`points ledger intact: ${report.checked} entries verified\n`);
    });

  program
    .command('vote')
    .description("owners' votes (Civil Code Art. 278)")
    .command('tally')
    .description('count a paper vote from owners.csv and ballots.csv; needs no database')
    .requiredOption('--matter <n>', 'the matter: item 1–9 of Art. 278 (7 = alter or rebuild, e.g. a lift)')
    .requiredOption('--owners <file>', 'CSV: house_code,owner_id,area_m2 (one row per owner of a house)')
    .requiredOption('--ballots <file>', 'CSV: house_code,choice (agree/disagree/abstain or 同意/反对/弃权)')
    .option('--json', 'print the four shares and the verdict as JSON')
    .action(async (o: { matter: string; owners: string; ballots: string; json?: boolean }) => {
      for (const f of [o.owners, o.ballots]) if (!fs.existsSync(f)) fail(`no such file: ${f}`);
      const { tallyPaperFiles, paperJson, paperText } = await import('./modules/deliberation/paper-tally.ts');
      const r = tallyPaperFiles(Number(o.matter), fs.readFileSync(o.owners, 'utf8'), fs.readFileSync(o.ballots, 'utf8'));
      if (!r.ok) {
        for (const p of r.problems) process.stderr.write(`${p.file}.csv line ${p.lines.join(', ')}: ${p.message}\n`);
        process.exit(1);
      }
      process.stdout.write(o.json ? `${JSON.stringify(paperJson(r.result))}\n` : `${paperText(r.result)}\n`);
    });

  program
    .command('backup')
    .description('write a complete backup to <file> (gzip JSON lines)')
    .argument('<file>')
    .action(async (file: string) => {
      const { writeBackup } = await import('./core/backup.ts');
      const r = await withContext((ctx) => writeBackup(ctx.db, file));
      process.stdout.write(`backup written to ${file}: ${r.tables} tables, ${r.rows} rows\n`);
    });

  program
    .command('restore')
    .description('replace all data with the contents of <file> (stop the server first)')
    .argument('<file>')
    .action(async (file: string) => {
      if (!fs.existsSync(file)) fail(`no such file: ${file}`);
      const { restoreBackup } = await import('./core/backup.ts');
      const r = await withContext((ctx) => restoreBackup(ctx.db, file));
      process.stdout.write(`restored ${r.tables} tables, ${r.rows} rows from ${file}\n`);
    });

  const imp = program.command('import').description('bulk import into the registry');
  const KINDS = [
    { command: 'people', kind: 'persons', what: 'people', unit: '人' },
    { command: 'units', kind: 'units', what: 'units (实有单位)', unit: '个单位' },
    { command: 'vehicles', kind: 'vehicles', what: 'vehicles (实有车辆)', unit: '辆' },
  ] as const;
  for (const k of KINDS) {
    imp
      .command(k.command)
      .description(`import ${k.what} from .xlsx or .csv (UTF-8 or GBK) into a community`)
      .argument('<file>')
      .requiredOption('--community <code>', '12-digit community code')
      .option('--mode <mode>', 'all: nothing unless every row is good; valid: the good rows only', 'all')
      .option('--json', 'print {"imported","updated","rejected","report"} as JSON')
      .action(async (file: string, o: { community: string; mode: string; json?: boolean }) => {
        if (o.mode !== 'all' && o.mode !== 'valid') fail('--mode must be all or valid');
        const { importFile } = await import('./modules/registry/import-cli.ts');
        const r = await withContext((ctx) =>
          importFile(ctx, file, { kind: k.kind, community: o.community, mode: o.mode as 'all' | 'valid', json: o.json }),
        );
        if (o.json)
          process.stdout.write(JSON.stringify({ imported: r.imported, updated: r.updated, rejected: r.rejected, report: r.report }) + '\n');
        else {
          process.stdout.write(`新增 ${r.imported} ${k.unit}，更新 ${r.updated} ${k.unit}，错误 ${r.rejected} 行（${r.status}）\n`);
          if (r.report) process.stdout.write(`错误报告：${r.report}\n`);
        }
        if (r.imported + r.updated === 0) process.exit(1);
      });
  }
  imp
    .command('watch')
    .description('follow an import started from the web app')
    .argument('<job>', 'import job id')
    .action(async (job: string) => {
      const { watchImport } = await import('./modules/registry/import-cli.ts');
      const r = await withContext((ctx) => watchImport(ctx, job));
      process.stdout.write(JSON.stringify(r) + '\n');
    });

  program
    .command('bench')
    .allowUnknownOption()
    .allowExcessArguments()
    .helpOption(false)
    .description('run the benchmark scenarios, or generate a district at scale (bench --help, bench generate --help; docs/BENCHMARKS.md)')
    .action(async (_o: unknown, cmd: Command) => (await import('../bench/run.ts')).runBench(cmd.args));

  return program;
}

export async function runCli(argv: string[]): Promise<void> {
  const program = buildCli();
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exit(err.exitCode);
    }
    const e = err as { code?: string; message?: string; details?: unknown };
    fail(e.code ? `${e.code}: ${e.message}${e.details ? ' ' + JSON.stringify(e.details) : ''}` : String(e.message ?? err));
  }
}
