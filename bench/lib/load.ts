import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { onCleanup } from './cleanup.ts';
import { assertLoopback } from './http.ts';

/**
 * The load generator: autocannon in its own process (so it does not share an event loop with
 * the benchmark or the server it measures), fixed connections and duration. One process serves
 * the whole run (bench/lib/load-worker.mjs): starting Node for every load cost seconds each on a
 * loaded machine.
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

interface WorkerAnswer {
  id?: number;
  ready?: boolean;
  result?: AutocannonJson;
  error?: string;
}

let worker: { child: ChildProcess; ready: Promise<void> } | null = null;
let nextId = 0;

/** The run's load-generator process (bench/lib/load-worker.mjs), started on first use. */
function loadWorker() {
  if (worker && worker.child.exitCode === null && worker.child.signalCode === null) return worker;
  autocannonPath();
  const child = fork(fileURLToPath(new URL('./load-worker.mjs', import.meta.url)), [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  child.unref();
  child.channel?.unref();
  const ready = new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`the load generator exited (${code}) before it was ready`)));
  });
  onCleanup(`load generator (pid ${child.pid})`, () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  worker = { child, ready };
  return worker;
}

/** Runs one autocannon load against url (in the load generator's process) and returns its figures. */
export async function runLoad(url: string, s: LoadSettings): Promise<LoadResult> {
  assertLoopback(url);
  const w = loadWorker();
  await w.ready;
  const id = ++nextId;
  const opts = {
    url,
    connections: s.connections,
    duration: s.seconds,
    headers: s.headers ?? {},
    method: s.method ?? 'GET',
    ...(s.body !== undefined ? { body: s.body } : {}),
  };
  let err = '';
  const onErr = (c: Buffer) => (err += c.toString());
  w.child.stderr?.on('data', onErr);
  w.child.channel?.ref();
  try {
    const r = await new Promise<AutocannonJson>((resolve, reject) => {
      const onMessage = (m: WorkerAnswer) => {
        if (m.id !== id) return;
        w.child.off('message', onMessage);
        w.child.off('exit', onExit);
        if (m.error || !m.result) reject(new Error(`autocannon failed: ${m.error ?? 'no result'}`));
        else resolve(m.result);
      };
      const onExit = (code: number | null) => reject(new Error(`the load generator exited (${code}): ${err.trim().slice(0, 500)}`));
      w.child.on('message', onMessage);
      w.child.once('exit', onExit);
      w.child.send({ id, opts });
    });
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
  } finally {
    w.child.channel?.unref();
    w.child.stderr?.off('data', onErr);
  }
}
