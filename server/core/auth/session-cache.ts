import type { AppContext } from '../context.ts';
import type { LiveBus } from '../live.ts';

/**
 * Signed-in sessions kept in memory per app instance (DECISIONS D42). Every API request resolves
 * its session cookie; reading the session, the account and its role bindings from the database
 * was a third of the statements PostgreSQL ran under a burst of event filings, and the only one
 * paid per request rather than per batch.
 *
 * What keeps it honest:
 * - Whatever can end or change a session is announced by database triggers (migration
 *   0009_core_session_notify) on the live bus: a deleted session, any update of the account,
 *   any change to its role bindings — from any instance, the CLI or SQL. Each instance drops that
 *   user's entries when the announcement arrives (on commit, milliseconds later).
 * - This instance also drops them at once after its own changes (sign-out, password, TOTP, the
 *   users module), so a signed-out cookie is refused on the very next request.
 * - An entry is kept at most TTL_MS, the bound should an announcement be lost; when the bus
 *   reconnects, everything is dropped.
 * - A lookup that started before a drop is not cached (the epoch check), so a read racing a
 *   sign-out cannot put the old session back.
 * Without a live bus (tests that build the app alone, the CLI) there is no cache at all.
 */

export const SESSION_CACHE_TTL_MS = 5_000;
const MAX_ENTRIES = 20_000;
export const SESSION_TOPIC = 'session';

export interface CachedSession<R> {
  row: R;
  userId: string;
  fetchedAt: number;
  /** last_seen_at as this instance knows it (ms); moved when this instance touches the session. */
  lastSeen: number;
}

export class SessionCache<R> {
  private readonly byId = new Map<string, CachedSession<R>>();
  private readonly byUser = new Map<string, { ids: Set<string>; stop: () => void }>();
  private epochValue = 0;
  hits = 0;
  misses = 0;

  constructor(
    private readonly live: LiveBus,
    private readonly ttlMs = SESSION_CACHE_TTL_MS,
  ) {}

  /** Bumped by every drop; a lookup that began in an earlier epoch must not be stored. */
  get epoch(): number {
    return this.epochValue;
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: string, now = Date.now()): CachedSession<R> | undefined {
    const e = this.byId.get(id);
    if (e && now - e.fetchedAt < this.ttlMs) {
      this.hits++;
      return e;
    }
    if (e) this.remove(id); // aged out: not a revocation, so no new epoch
    this.misses++;
    return undefined;
  }

  /** Stores a session read from the database, unless something was dropped since `epoch`. */
  put(id: string, userId: string, row: R, lastSeen: number, epoch: number): void {
    if (epoch !== this.epochValue) return;
    if (this.byId.size >= MAX_ENTRIES) for (const old of [...this.byId.keys()].slice(0, MAX_ENTRIES / 2)) this.remove(old);
    this.byId.set(id, { row, userId, fetchedAt: Date.now(), lastSeen });
    let u = this.byUser.get(userId);
    if (!u) {
      const stop = this.live.subscribe(SESSION_TOPIC, userId, () => this.forgetUser(userId));
      this.byUser.set(userId, (u = { ids: new Set(), stop }));
    }
    u.ids.add(id);
  }

  forgetSession(id: string): void {
    this.epochValue++;
    this.remove(id);
  }

  private remove(id: string): void {
    const e = this.byId.get(id);
    if (!e) return;
    this.byId.delete(id);
    const u = this.byUser.get(e.userId);
    if (u) {
      u.ids.delete(id);
      if (!u.ids.size) {
        u.stop();
        this.byUser.delete(e.userId);
      }
    }
  }

  forgetUser(userId: string): void {
    this.epochValue++;
    const u = this.byUser.get(userId);
    if (!u) return;
    for (const id of u.ids) this.byId.delete(id);
    u.stop();
    this.byUser.delete(userId);
  }

  clear(): void {
    this.epochValue++;
    for (const u of this.byUser.values()) u.stop();
    this.byUser.clear();
    this.byId.clear();
  }
}

const caches = new WeakMap<LiveBus, SessionCache<unknown>>();

/** This instance's cache, or undefined when the context has no live bus to keep it fresh. */
export function sessionCacheOf<R>(ctx: AppContext): SessionCache<R> | undefined {
  if (!ctx.live) return undefined;
  let c = caches.get(ctx.live);
  if (!c) {
    c = new SessionCache<unknown>(ctx.live);
    caches.set(ctx.live, c);
  }
  return c as SessionCache<R>;
}

/** Drops this instance's cached sessions of a user after a change made here (the triggers tell the others). */
export function forgetUserSessions(ctx: AppContext, userId: string): void {
  sessionCacheOf(ctx)?.forgetUser(userId);
}
