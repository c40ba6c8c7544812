import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { assertLoopback } from './http.ts';
import { onCleanup } from './cleanup.ts';

/**
 * A dashboard's live connection, as the browser's EventSource holds it: reads the unread-count
 * stream (GET /api/notifications/stream) and keeps every count pushed, with the time it came.
 */
export interface UnreadStream {
  pushes: { count: number; at: number }[];
  /** Resolves with the first push after `since` (performance.now()) whose count differs from `from`, or null after `ms`. */
  nextChange(from: number, since: number, ms: number): Promise<{ count: number; at: number } | null>;
  close(): void;
}

export function openUnreadStream(url: string, cookie: string): Promise<UnreadStream> {
  assertLoopback(url);
  return new Promise((resolve, reject) => {
    const pushes: { count: number; at: number }[] = [];
    const waiters = new Set<() => void>();
    const req = http.get(url, { headers: { cookie, accept: 'text/event-stream' }, agent: false }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`stream ${url} answered ${res.statusCode}`));
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const frame = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const m = /^event: unread\ndata: (.*)$/m.exec(frame);
          if (!m) continue;
          pushes.push({ count: (JSON.parse(m[1]) as { unread: number }).unread, at: performance.now() });
          for (const w of waiters) w();
        }
      });
      const stop = onCleanup(`SSE client ${url}`, () => {
        req.destroy();
      });
      resolve({
        pushes,
        nextChange(from, since, ms) {
          const find = () => pushes.find((p) => p.at >= since && p.count !== from) ?? null;
          const found = find();
          if (found) return Promise.resolve(found);
          return new Promise((done) => {
            const check = () => {
              const f = find();
              if (!f) return;
              clearTimeout(timer);
              waiters.delete(check);
              done(f);
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              done(null);
            }, ms);
            waiters.add(check);
          });
        },
        close: () => void stop(),
      });
    });
    req.on('error', (err) => {
      if ((err as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(err);
    });
  });
}
