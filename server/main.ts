import { loadConfig, DEFAULT_DEMO_PASSWORD, type Config } from './core/config.ts';
import { openContext } from './core/boot.ts';
import { buildApp } from './app.ts';
import { seedDemo, isDemoSeeded } from './modules/demo/seed.ts';
import { DEMO_ACCOUNTS } from './modules/demo/accounts.ts';
import { DEMO_OWNER_ACCOUNTS } from './modules/deliberation/demo-owners.ts';
import { deleteIdleSessions } from './core/auth/store.ts';
import { recoverInterruptedImports } from './modules/registry/import-service.ts';
import { startDeadlineTicker } from './modules/events/ticker.ts';
import { installChannel, logChannel } from './modules/events/notify.ts';
import { openLiveBus } from './core/live.ts';
import { startAuditSealer } from './core/audit.ts';

export interface ServeOptions {
  /** Seed the demo district on first start (default true; GONGZHI_DEMO=0 turns it off). */
  demo?: boolean;
}

/** Starts Gongzhi: database, migrations, reference data, demo on first start, HTTP. */
export async function serve(config: Config = loadConfig(), opts: ServeOptions = {}) {
  const started = Date.now();
  const { ctx, database, fromImage } = await openContext(config);
  // An import cut off by a stop or crash never touched the registry; mark it and drop its staging rows.
  await recoverInterruptedImports(ctx);
  const wantDemo = opts.demo ?? process.env.GONGZHI_DEMO !== '0';
  let demoSeeded = false;
  if (wantDemo) {
    const anyUser = await ctx.db.selectFrom('app_user').select('id').limit(1).executeTakeFirst();
    if (!anyUser) demoSeeded = (await seedDemo(ctx, config.demoPassword)).seeded;
  }
  const hasDemo = await isDemoSeeded(ctx);
  // Live updates from every instance on this database (LISTEN/NOTIFY) for the SSE streams.
  ctx.live = await openLiveBus(database, config.databaseUrl, (err) => process.emitWarning(`live updates: ${err.message}`));
  const app = await buildApp(ctx, {
    serveWeb: true,
    logger: {
      level: config.logLevel,
      // Never log credentials or personal data; request bodies are not logged at all.
      redact: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'],
      serializers: {
        // Query strings can hold what people typed into a search box (names, phone numbers): log the path only.
        req: (req: { method: string; url: string; ip?: string }) => ({ method: req.method, path: req.url.split('?')[0], ip: req.ip }),
      },
    },
  });
  const sweeper = setInterval(() => {
    deleteIdleSessions(ctx.db, config.sessionIdleMinutes).catch((err) => app.log.warn({ err }, 'session sweep failed'));
  }, 5 * 60_000);
  sweeper.unref();
  // Event deadlines (E3): safe to run in every instance (rows are claimed with SKIP LOCKED).
  installChannel(logChannel(config.dataDir));
  const stopTicker = startDeadlineTicker(ctx, config.deadlineTickMs, (err) => app.log.warn({ err }, 'deadline tick failed'));
  // Audit rows are written unchained; this chains them shortly after commit (one sealer at a time across instances).
  const stopSealer = startAuditSealer(ctx.db, { log: (err) => app.log.warn({ err }, 'audit sealing failed') });

  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    clearInterval(sweeper);
    stopTicker();
    await app.close();
    await stopSealer();
    await ctx.live?.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://localhost:${port}`;
  const lines = [
    '',
    `  共治 Gongzhi is running at ${url}  (${database.kind === 'pglite' ? `PGlite in ${config.dataDir}${fromImage ? ', new from the base image' : ''}` : 'PostgreSQL'}; ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
    `  API docs: ${url}/api/docs`,
  ];
  if (hasDemo) {
    const password =
      config.demoPassword === DEFAULT_DEMO_PASSWORD
        ? `${DEFAULT_DEMO_PASSWORD} (set GONGZHI_DEMO_PASSWORD to change it)`
        : '(from GONGZHI_DEMO_PASSWORD)';
    lines.push(`  Demo district ${demoSeeded ? 'seeded now' : 'present'}. Demo logins, password ${password}:`);
    for (const a of DEMO_ACCOUNTS) lines.push(`    ${a.username.padEnd(14)} ${a.note}`);
    for (const a of DEMO_OWNER_ACCOUNTS) lines.push(`    ${a.username.padEnd(14)} ${a.displayName}, 业主 江城花园3幢 (open lift vote)`);
  }
  lines.push('');
  process.stdout.write(lines.join('\n') + '\n');
  return { app, ctx, database, url };
}
