import pg from 'pg';
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';
import type { Database } from '../db/connection.ts';

/**
 * Live updates across app instances (实时推送). A change is announced with pg_notify inside the
 * transaction that makes it — PostgreSQL delivers it on commit and drops it on rollback — and every
 * app instance LISTENs on one channel and hands each message to its own subscribers (the SSE
 * streams of the browsers connected to it). So a notification written by instance A reaches a
 * bell open on instance B within milliseconds, with no shared memory between the two.
 *
 * PostgreSQL: one dedicated connection per instance, reconnected with backoff; after a reconnect
 * every subscriber is told to re-read (messages sent while it was away are lost by design of
 * LISTEN/NOTIFY, the database still holds the truth). PGlite: its in-process listen, the same code
 * path for the one process that can open the directory.
 */

export const LIVE_CHANNEL = 'gongzhi_live';
/** NOTIFY payloads are limited to 8,000 bytes; 100 uuids with their quotes stay well below. */
const KEYS_PER_MESSAGE = 100;

export interface LiveMessage {
  /** What changed, e.g. 'inbox' (a user's notifications). */
  topic: string;
  /** Whose, e.g. the user ids whose inbox changed. */
  keys: string[];
}

type Db<T> = Kysely<T> | Transaction<T>;

/** Announces a change; call it inside the transaction that makes the change. */
export async function announce<T>(db: Db<T>, topic: string, keys: string[]): Promise<void> {
  for (const payload of payloads(topic, keys)) await sql`select pg_notify(${LIVE_CHANNEL}, ${payload})`.execute(db);
}

/**
 * The announcement of `topic` for the keys a query yields (one text column named `key`), as a
 * SELECT a caller puts in its own WITH and references (an unreferenced SELECT in a WITH is never
 * run): the same messages `announce` sends, at most KEYS_PER_MESSAGE keys each, on commit.
 */
export function announceSql(topic: string, keys: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`select count(pg_notify(${LIVE_CHANNEL}, json_build_object('topic', ${topic}::text, 'keys', c.keys)::text)) as messages
    from (select json_agg(k.key order by k.key) as keys
          from (select d.key, (row_number() over (order by d.key) - 1) / ${KEYS_PER_MESSAGE} as chunk
                from (select distinct q.key from (${keys}) q) d) k
          group by k.chunk) c`;
}

/** The messages `announce` would send for `topic` and `keys`, as payloads. */
function payloads(topic: string, keys: string[]): string[] {
  const unique = [...new Set(keys)].sort();
  const out: string[] = [];
  for (let i = 0; i < unique.length; i += KEYS_PER_MESSAGE) {
    out.push(JSON.stringify({ topic, keys: unique.slice(i, i + KEYS_PER_MESSAGE) } satisfies LiveMessage));
  }
  return out;
}

/**
 * The setting an autocommitted statement sets (`set_config(LIVE_BY_APP, 'on', true)`) to tell the
 * tables' live triggers (migration 0010_live_by_app) that the app announces its changes itself,
 * after the commit, with `announceCommitted`.
 */
export const LIVE_BY_APP = 'gongzhi.live_by_app';

class AfterCommit {
  private pending = new Set<string>();
  private running = false;
  constructor(private readonly db: Kysely<unknown>) {}

  add(messages: string[]) {
    for (const m of messages) this.pending.add(m);
    if (!this.running) void this.drain();
  }

  private async drain() {
    this.running = true;
    try {
      while (this.pending.size) {
        const batch = [...this.pending];
        this.pending.clear();
        // A NOTIFY takes PostgreSQL's one notify-queue lock until its transaction has committed;
        // inside a filing batch that meant until the batch's WAL flush, so two instances' batches
        // committed one after the other. Here it is a transaction of its own, committed without
        // waiting for the flush (nothing in it needs to survive a crash), and the lock is brief.
        await sql`select count(pg_notify(${LIVE_CHANNEL}, p)) as n
          from unnest(${batch}::text[]) p, (select set_config('synchronous_commit', 'off', true)) s`
          .execute(this.db)
          .catch(() => undefined); // the subscribers' polls are the safety net
      }
    } finally {
      this.running = false;
    }
  }
}

const afterCommit = new WeakMap<object, AfterCommit>();

/**
 * Announces changes already committed (an autocommitted statement that has returned), off the
 * caller's path: announcements from many callers are sent together, one statement at a time per
 * database. Subscribers hear of a change a moment after it is visible, never before.
 */
export function announceCommitted<T>(db: Kysely<T>, messages: { topic: string; keys: string[] }[]): void {
  const list = messages.flatMap((m) => payloads(m.topic, m.keys));
  if (!list.length) return;
  let q = afterCommit.get(db);
  if (!q) afterCommit.set(db, (q = new AfterCommit(db as unknown as Kysely<unknown>)));
  q.add(list);
}

export function parseLiveMessage(payload: string | undefined): LiveMessage | null {
  if (!payload) return null;
  try {
    const m = JSON.parse(payload) as Partial<LiveMessage>;
    if (typeof m.topic !== 'string' || !Array.isArray(m.keys) || !m.keys.every((k) => typeof k === 'string')) return null;
    return { topic: m.topic, keys: m.keys };
  } catch {
    return null;
  }
}

export interface LiveBus {
  /** Calls `fn` whenever `topic` changes for `key` (and after a reconnect); returns the unsubscribe. */
  subscribe(topic: string, key: string, fn: () => void): () => void;
  /** Messages received from the database so far (for tests and the benchmark). */
  readonly received: number;
  close(): Promise<void>;
}

class Subscribers {
  private readonly byKey = new Map<string, Set<() => void>>();
  received = 0;

  subscribe(topic: string, key: string, fn: () => void): () => void {
    const k = `${topic}\u0000${key}`;
    let set = this.byKey.get(k);
    if (!set) this.byKey.set(k, (set = new Set()));
    set.add(fn);
    return () => {
      set.delete(fn);
      if (!set.size) this.byKey.delete(k);
    };
  }

  dispatch(payload: string | undefined): void {
    const m = parseLiveMessage(payload);
    if (!m) return;
    this.received++;
    for (const key of m.keys) for (const fn of this.byKey.get(`${m.topic}\u0000${key}`) ?? []) safely(fn);
  }

  everyone(): void {
    for (const set of this.byKey.values()) for (const fn of set) safely(fn);
  }
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // a subscriber's failure (a closed socket) is its own business
  }
}

/** Starts listening for this instance. Resolves once the first LISTEN is in place. */
export async function openLiveBus(
  database: Database,
  databaseUrl: string | null,
  onError: (err: Error) => void = () => {},
): Promise<LiveBus> {
  const subs = new Subscribers();
  if (database.pglite) {
    const unlisten = await database.pglite.listen(LIVE_CHANNEL, (payload) => subs.dispatch(payload));
    return {
      subscribe: (t, k, fn) => subs.subscribe(t, k, fn),
      get received() {
        return subs.received;
      },
      close: () => unlisten(),
    };
  }
  if (!databaseUrl) throw new Error('openLiveBus: PostgreSQL needs its URL');
  return openPgListener(databaseUrl, subs, onError);
}

async function openPgListener(url: string, subs: Subscribers, onError: (err: Error) => void): Promise<LiveBus> {
  let client: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;
  let backoffMs = 250;

  const connect = async (isReconnect: boolean) => {
    const c = new pg.Client({ connectionString: url, application_name: 'gongzhi-live' });
    c.on('notification', (m) => subs.dispatch(m.payload));
    const lost = (err?: Error) => {
      if (client !== c) return;
      client = null;
      if (err) onError(err);
      c.end().catch(() => undefined);
      if (!closed) schedule();
    };
    c.on('error', lost);
    c.on('end', () => lost());
    await c.connect();
    await c.query(`listen ${LIVE_CHANNEL}`);
    if (closed) {
      await c.end();
      return;
    }
    client = c;
    backoffMs = 250;
    // Whatever happened while no connection listened is re-read from the database.
    if (isReconnect) subs.everyone();
  };
  const schedule = () => {
    if (retry || closed) return;
    retry = setTimeout(() => {
      retry = null;
      connect(true).catch((err: Error) => {
        onError(err);
        backoffMs = Math.min(backoffMs * 2, 10_000);
        schedule();
      });
    }, backoffMs);
    retry.unref();
  };

  await connect(false);
  return {
    subscribe: (t, k, fn) => subs.subscribe(t, k, fn),
    get received() {
      return subs.received;
    },
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      const c = client;
      client = null;
      if (c) await c.end().catch(() => undefined);
    },
  };
}

/**
 * Takes a request over as a server-sent-events stream (text/event-stream, no caching, no proxy
 * buffering) and answers the raw response to write events to.
 */
export function openEventStream(reply: FastifyReply): ServerResponse {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  return res;
}
