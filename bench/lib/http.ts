import http from 'node:http';
import net from 'node:net';

/** Loads and probes only ever go to this machine. */
export const LOOPBACK = '127.0.0.1';

export function assertLoopback(url: string): void {
  const host = new URL(url).hostname;
  if (host !== LOOPBACK) throw new Error(`bench: refusing to send load to ${host}; only ${LOOPBACK} is allowed`);
}

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, LOOPBACK, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json<T = unknown>(): T;
}

/** One request, without keep-alive (so no socket outlives it) unless the caller passes its own agent. */
export function request(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: unknown; timeoutMs?: number; agent?: http.Agent } = {},
): Promise<HttpResponse> {
  assertLoopback(url);
  const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (payload !== undefined) headers['content-type'] = 'application/json';
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? 'GET', headers, agent: opts.agent ?? false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: <T>() => JSON.parse(body) as T });
      });
      res.on('error', reject);
    });
    req.setTimeout(opts.timeoutMs ?? 5000, () => req.destroy(new Error(`timeout: ${url}`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** Signs in and returns the headers that authenticate later requests (session cookie). */
export async function login(baseUrl: string, username: string, password: string): Promise<Record<string, string>> {
  const res = await request(`${baseUrl}/api/auth/login`, { method: 'POST', body: { username, password } });
  if (res.status !== 200) throw new Error(`login as ${username} failed: ${res.status} ${res.body.slice(0, 200)}`);
  const setCookie = res.headers['set-cookie'] ?? [];
  const session = setCookie.map((c) => c.split(';')[0]).find((c) => c.startsWith('gz_session='));
  if (!session) throw new Error(`login as ${username} returned no session cookie`);
  return { cookie: session };
}
