import fs from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { onCleanup } from './cleanup.ts';
import { LOOPBACK, request } from './http.ts';
import type { DbTarget } from './types.ts';

/** Servers the benchmark starts as child processes, so their memory and startup are their own. */

export interface ServerHandle {
  name: string;
  pid: number;
  port: number;
  url: string;
  /** Milliseconds from spawn to the first healthy answer. */
  readyMs: number;
  logFile: string;
  /** Peak resident memory so far (VmHWM, kB), or null when /proc is not there. */
  peakRssKb(): number | null;
  stop(): Promise<void>;
}

export interface StartOptions {
  name: string;
  /** Arguments after `node`. */
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  port: number;
  logFile: string;
  healthPath?: string;
  timeoutMs?: number;
}

/** Environment for a Gongzhi server (or CLI) on `target`: loopback only, quiet logs. */
export function gongzhiEnv(target: DbTarget, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  delete env.GONGZHI_DEMO;
  env.GONGZHI_DATA_DIR = target.dataDir;
  if (target.databaseUrl) env.DATABASE_URL = target.databaseUrl;
  env.HOST = LOOPBACK;
  env.LOG_LEVEL = 'warn';
  return { ...env, ...extra };
}

export function readProcStatusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

function tail(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  if (await waitForExit(child, 15_000)) return;
  child.kill('SIGKILL');
  await waitForExit(child, 5_000);
}

/** Spawns `node <args>` and resolves once GET healthPath answers 200; the clock starts at spawn. */
export async function startServer(o: StartOptions): Promise<ServerHandle> {
  fs.mkdirSync(path.dirname(o.logFile), { recursive: true });
  const out = fs.openSync(o.logFile, 'a');
  const url = `http://${LOOPBACK}:${o.port}`;
  const started = performance.now();
  // BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") goes to every server the run starts,
  // for profiling a scenario's servers (flags like --cpu-prof are refused in NODE_OPTIONS).
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, ...o.args], { cwd: o.cwd, env: o.env, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const stopNow = onCleanup(`${o.name} (pid ${child.pid})`, () => stopChild(child));
  let exited = false;
  child.once('exit', () => (exited = true));

  const deadline = started + (o.timeoutMs ?? 180_000);
  const healthUrl = url + (o.healthPath ?? '/api/health');
  for (;;) {
    if (exited) {
      await stopNow();
      throw new Error(`${o.name} exited before it was healthy (code ${child.exitCode}). Log ${o.logFile}:\n${tail(o.logFile)}`);
    }
    if (performance.now() > deadline) {
      await stopNow();
      throw new Error(`${o.name} was not healthy within ${o.timeoutMs ?? 180_000} ms. Log ${o.logFile}:\n${tail(o.logFile)}`);
    }
    try {
      const res = await request(healthUrl, { timeoutMs: 2000 });
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  const readyMs = performance.now() - started;
  const pid = child.pid!;
  return {
    name: o.name,
    pid,
    port: o.port,
    url,
    readyMs,
    logFile: o.logFile,
    peakRssKb: () => readProcStatusKb(pid, 'VmHWM'),
    stop: stopNow,
  };
}

/** Runs `node <args>` to completion; throws with the log's tail when it fails. */
export async function runNode(name: string, args: string[], env: NodeJS.ProcessEnv, cwd: string, logFile: string): Promise<number> {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const out = fs.openSync(logFile, 'a');
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const stopNow = onCleanup(`${name} (pid ${child.pid})`, () => stopChild(child));
  const code: number = await new Promise((resolve) => child.once('exit', (c) => resolve(c ?? 1)));
  await stopNow();
  if (code !== 0) throw new Error(`${name} failed with exit code ${code}. Log ${logFile}:\n${tail(logFile)}`);
  return performance.now() - started;
}
