import http from 'node:http';
import { assertLoopback } from './http.ts';
import { percentile, round } from './stats.ts';

/**
 * Fixed-rate load (open loop): request i leaves at start + i/rate whatever happened to the ones
 * before, so a slow server makes a queue that the latencies show (no coordinated omission, which
 * a closed loop such as autocannon's connections would hide). Each request has its own headers
 * and body — e.g. a different resident's session per ballot. The first `warmup` requests are
 * sent at the same rate but not counted.
 */

export interface RateRequest {
  headers?: Record<string, string>;
  body?: string;
}

export interface RateSettings {
  /** Requests per second. */
  rate: number;
  method?: 'GET' | 'POST';
  /** Status codes counted as success (default: any 2xx). */
  ok?: (status: number) => boolean;
  warmup?: number;
  /** Sockets kept open at most (the server sees at most this many requests at once from us). */
  maxSockets?: number;
}

export interface RateResult {
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
  /** Requests sent per second over the measured part (should equal the rate). */
  sentRate: number;
  /** Successful answers per second over the measured part, from first send to last answer. */
  answeredRate: number;
  measured: number;
  failed: number;
  firstError: string | null;
}

/** `url` may be several (instances behind a load balancer): request i goes to url[i mod n]. */
export async function runAtRate(url: string | string[], requests: RateRequest[], s: RateSettings): Promise<RateResult> {
  const urls = Array.isArray(url) ? url : [url];
  for (const u of urls) assertLoopback(u);
  const ok = s.ok ?? ((status: number) => status >= 200 && status < 300);
  const warmup = Math.min(s.warmup ?? 0, Math.max(0, requests.length - 1));
  const agent = new http.Agent({ keepAlive: true, maxSockets: s.maxSockets ?? 256 });
  const latencies: number[] = [];
  let failed = 0;
  let firstError: string | null = null;
  let measuredStart = 0;
  let lastAnswer = 0;
  const started = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < requests.length; i++) {
    const due = started + (i * 1000) / s.rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (i === warmup) measuredStart = performance.now();
    const counted = i >= warmup;
    const { headers = {}, body } = requests[i];
    const t0 = performance.now();
    pending.push(
      new Promise<void>((resolve) => {
        const h: Record<string, string | number> = { ...headers };
        if (body !== undefined) {
          h['content-type'] ??= 'application/json';
          h['content-length'] = Buffer.byteLength(body);
        }
        const req = http.request(urls[i % urls.length], { method: s.method ?? 'POST', agent, headers: h }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const t = performance.now();
            if (counted) {
              if (ok(res.statusCode ?? 0)) {
                latencies.push(t - t0);
                lastAnswer = Math.max(lastAnswer, t);
              } else {
                failed++;
                firstError ??= `${res.statusCode} ${Buffer.concat(chunks).toString('utf8').slice(0, 200)}`;
              }
            }
            resolve();
          });
        });
        req.on('error', (e) => {
          if (counted) {
            failed++;
            firstError ??= e.message;
          }
          resolve();
        });
        req.end(body);
      }),
    );
  }
  const sentSeconds = (performance.now() - measuredStart) / 1000;
  await Promise.all(pending);
  agent.destroy();
  const measured = requests.length - warmup;
  const answeredSeconds = (lastAnswer - measuredStart) / 1000;
  return {
    p50: percentile(latencies, 50),
    p90: percentile(latencies, 90),
    p99: percentile(latencies, 99),
    max: percentile(latencies, 100),
    sentRate: round(Math.max(measured - 1, 1) / Math.max(sentSeconds, 1e-3)),
    answeredRate: latencies.length ? round(latencies.length / Math.max(answeredSeconds, 1e-3)) : 0,
    measured,
    failed,
    firstError,
  };
}
