import fs from 'node:fs';
import path from 'node:path';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import type { Relation } from './state-machine.ts';
import { announce } from '../../core/live.ts';

/**
 * Notifications (E9): an in-app inbox row for every recipient, written in the same transaction
 * as the step that caused it, then handed to the installed channels (SMS, WeChat …) after commit.
 * The demo's channel appends a line to `notifications.log` in the data directory.
 */
type Db = Kysely<DB> | Transaction<DB>;

export interface Notice {
  districtCode: string;
  eventId: string | null;
  kind: string;
  title: string;
  body?: string;
}

export interface NotificationChannel {
  name: string;
  send(userId: string, notice: Notice): Promise<void>;
}

export function logChannel(dataDir: string): NotificationChannel {
  const file = path.join(dataDir, 'notifications.log');
  // One append stream for the process, not an open/write/close per notification.
  let stream: fs.WriteStream | null = null;
  return {
    name: 'log',
    async send(userId, n) {
      if (!stream) {
        await fs.promises.mkdir(dataDir, { recursive: true });
        stream ??= fs.createWriteStream(file, { flags: 'a' });
      }
      const line = JSON.stringify({ at: new Date().toISOString(), userId, ...n }) + '\n';
      if (!stream.write(line)) await new Promise<void>((resolve) => stream!.once('drain', () => resolve()));
    },
  };
}

const channels: NotificationChannel[] = [];
export function installChannel(c: NotificationChannel): void {
  if (!channels.some((x) => x.name === c.name)) channels.push(c);
}

const ROLE_OF: Partial<Record<Relation, string>> = {
  grid: 'grid_worker',
  community: 'community_worker',
  street: 'street_staff',
  district: 'district_admin',
};

/** Users standing in one of these relations to an event at this place (reporter and departments by id). */
export async function recipients(
  db: Db,
  e: { placePath: string; reporterId: string | null; leadOrgId: string | null; assistOrgIds: string[]; districtCode: string },
  relations: Relation[],
): Promise<string[]> {
  const out = new Set<string>();
  if (relations.includes('reporter') && e.reporterId) out.add(e.reporterId);
  const roles = relations.map((r) => ROLE_OF[r]).filter((r): r is string => !!r);
  if (roles.length) {
    const rows = await sql<{ user_id: string }>`select distinct user_id from role_binding
      where role = any(${roles}::text[]) and scope_type = 'territory' and scope_path @> ${e.placePath}::ltree`.execute(db);
    for (const r of rows.rows) out.add(r.user_id);
  }
  const orgIds = [
    ...(relations.includes('lead') && e.leadOrgId ? [e.leadOrgId] : []),
    ...(relations.includes('assist') ? e.assistOrgIds : []),
  ];
  if (orgIds.length) {
    const rows = await sql<{ user_id: string }>`select distinct rb.user_id from role_binding rb
      join org o on o.district_code = ${e.districtCode} and o.id = any(${orgIds}::uuid[])
      where rb.role = 'department_staff' and rb.org_path is not null and o.org_path <@ rb.org_path`.execute(db);
    for (const r of rows.rows) out.add(r.user_id);
  }
  return [...out];
}

/** Writes inbox rows; returns what to send through channels once the transaction commits. */
export async function notify(db: Db, userIds: string[], n: Notice): Promise<() => Promise<void>> {
  if (!userIds.length) return async () => {};
  await db
    .insertInto('event_notification')
    .values(
      userIds.map((u) => ({
        district_code: n.districtCode,
        user_id: u,
        event_id: n.eventId,
        kind: n.kind,
        title: n.title,
        body: n.body ?? '',
        created_at: new Date(),
      })),
    )
    .execute();
  // Every instance's open bells for these users re-read their count once this commits.
  await announce(db, 'inbox', userIds);
  return () => deliver(userIds, n);
}

/** Hands inbox rows already written to the installed channels (after commit; a failing channel loses nothing in the inbox). */
export async function deliver(userIds: string[], n: Notice): Promise<void> {
  for (const c of channels) for (const u of userIds) await c.send(u, n).catch(() => undefined);
}

/** The territory roles standing in these relations (the inbox rows a filing writes in SQL). */
export function rolesOf(relations: Relation[]): string[] {
  return relations.map((r) => ROLE_OF[r]).filter((r): r is string => !!r);
}

export async function inbox(db: Db, userId: string, limit: number, unreadOnly: boolean) {
  let q = db
    .selectFrom('event_notification as n')
    .leftJoin('event as e', (j) => j.onRef('e.district_code', '=', 'n.district_code').onRef('e.id', '=', 'n.event_id'))
    .select([
      'n.id',
      'n.district_code',
      'n.event_id',
      'e.number as event_number',
      'n.kind',
      'n.title',
      'n.body',
      'n.created_at',
      'n.read_at',
    ])
    .where('n.user_id', '=', userId)
    .orderBy('n.created_at', 'desc')
    .orderBy('n.id', 'desc')
    .limit(limit);
  if (unreadOnly) q = q.where('n.read_at', 'is', null);
  return q.execute();
}

export async function unreadCount(db: Db, userId: string): Promise<number> {
  const r = await db
    .selectFrom('event_notification')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return r.n;
}

export async function markRead(db: Db, userId: string, ids: number[] | 'all') {
  let q = db.updateTable('event_notification').set({ read_at: new Date() }).where('user_id', '=', userId).where('read_at', 'is', null);
  if (ids !== 'all') q = q.where('id', 'in', ids.length ? ids : [-1]);
  const r = await q.executeTakeFirst();
  const marked = Number(r.numUpdatedRows);
  // The user's other tabs (maybe on another instance) drop their badge too.
  if (marked) await announce(db, 'inbox', [userId]);
  return marked;
}
