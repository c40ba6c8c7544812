import path from 'node:path';

/** Runtime configuration, read once from the environment. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | null;
  secretKey: string | null;
  demoPassword: string;
  logLevel: string;
  cookieSecure: boolean;
  trustProxy: boolean;
  /** Minutes of inactivity after which a session expires. */
  sessionIdleMinutes: number;
  /** Sign-in attempts allowed per client address per minute. */
  loginRateLimit: number;
  /** Milliseconds between two runs of the event deadline ticker (every instance runs it). */
  deadlineTickMs: number;
}

export const DEFAULT_DEMO_PASSWORD = 'Gongzhi@2026';

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be an integer between 0 and 65535, got "${env.PORT}"`);
  }
  const idle = Number(env.GONGZHI_SESSION_IDLE_MINUTES ?? 30);
  if (!Number.isFinite(idle) || idle < 1 || idle > 24 * 60) {
    throw new Error(
      `GONGZHI_SESSION_IDLE_MINUTES must be a number of minutes between 1 and 1440, got "${env.GONGZHI_SESSION_IDLE_MINUTES}"`,
    );
  }
  const loginRate = Number(env.GONGZHI_LOGIN_RATE_LIMIT ?? 20);
  if (!Number.isInteger(loginRate) || loginRate < 1) {
    throw new Error(`GONGZHI_LOGIN_RATE_LIMIT must be a positive integer, got "${env.GONGZHI_LOGIN_RATE_LIMIT}"`);
  }
  const tick = Number(env.GONGZHI_DEADLINE_TICK_MS ?? 60_000);
  if (!Number.isInteger(tick) || tick < 100) {
    throw new Error(`GONGZHI_DEADLINE_TICK_MS must be an integer of at least 100 milliseconds, got "${env.GONGZHI_DEADLINE_TICK_MS}"`);
  }
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir: path.resolve(env.GONGZHI_DATA_DIR ?? './data'),
    databaseUrl: env.DATABASE_URL?.trim() || null,
    secretKey: env.GONGZHI_SECRET_KEY?.trim() || null,
    demoPassword: env.GONGZHI_DEMO_PASSWORD || DEFAULT_DEMO_PASSWORD,
    logLevel: env.LOG_LEVEL ?? 'info',
    cookieSecure: env.GONGZHI_COOKIE_SECURE === '1' || env.GONGZHI_COOKIE_SECURE === 'true',
    trustProxy: env.GONGZHI_TRUST_PROXY === '1' || env.GONGZHI_TRUST_PROXY === 'true',
    sessionIdleMinutes: idle,
    loginRateLimit: loginRate,
    deadlineTickMs: tick,
  };
}
