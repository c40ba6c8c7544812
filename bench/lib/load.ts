import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { onCleanup } from './cleanup.ts';
import { assertLoopback } from './http.ts';

/**
 * The load generator: autocannon in its own process (so it does not share an event loop with
 * the server it measures), fixed connections and duration, JSON results.
 */

export interface LoadSettings {
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
  /** POST load (issue 4's filing benchmark): method and a fixed body. */
  method?: 'GET' | 'POST';
  body?: string;
}

export interface LoadResult {
  /** Latencies in ms (autocannon's histogram has 1 ms resolution). */
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Mean requests per second over the run. */
  rps: number;
  total: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

interface AutocannonJson {
  latency: Record<string, number>;
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

let cliPath: string | null = null;

export function autocannonPath(): string {
  if (cliPath) return cliPath;
  try {
    cliPath = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
    return cliPath;
  } catch {
    throw new Error('autocannon is not installed; run `npm install -D autocannon`');
  }
}

/** Runs one autocannon load against url and returns its figures. */
export async function runLoad(url: string, s: LoadSettings): Promise<LoadResult> {
  assertLoopback(url);
  const args = [autocannonPath(), '--json', '--no-progress', '-c', String(s.connections), '-d', String(s.seconds)];
  for (const [k, v] of Object.entries(s.headers ?? {})) args.push('-H', `${k}:${v}`);
  if (s.method) args.push('-m', s.method);
  if (s.body !== undefined) args.push('-b', s.body);
  args.push(url);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = onCleanup(`autocannon (pid ${child.pid})`, () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code: number = await new Promise((resolve) => child.once('close', (c) => resolve(c ?? 1)));
  await stop();
  const line = out.trim().split('\n').at(-1) ?? '';
  if (code !== 0 || !line.startsWith('{')) throw new Error(`autocannon failed (${code}): ${err.trim().slice(0, 500)}`);
  const r = JSON.parse(line) as AutocannonJson;
  return {
    p50: r.latency.p50,
    p90: r.latency.p90,
    p99: r.latency.p99,
    max: r.latency.max,
    rps: r.requests.average,
    total: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
  };
}
