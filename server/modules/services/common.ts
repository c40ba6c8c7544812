import { sql, type Kysely } from 'kysely';
import type { Actor } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { createCalendar, type WorkCalendar } from '../../core/calendar.ts';
import { chineseDaysRows } from '../../core/calendar-data.ts';
import type { DB } from '../../db/types.ts';
import * as registryStore from '../registry/store.ts';

/** Shared by the services and volunteering modules: places, the caller's own person record, counters, notifications. */

let calendar: WorkCalendar | null = null;

/** The official working-day calendar (chinese-days), built once per process. */
export function workCalendar(): WorkCalendar {
  calendar ??= createCalendar(chineseDaysRows(), {
    onMissingYear: (year) => console.warn(`[calendar] no official holiday data for ${year}: deadlines fall back to weekends only`),
  });
  return calendar;
}

export interface Community {
  code: string;
  name: string;
  path: string;
  districtCode: string;
}

export async function findCommunity(db: Kysely<DB>, code: string): Promise<Community> {
  if (!/^\d{12}$/.test(code)) throw new AppError('INVALID_CODE', { communityCode: code, expected: 'community (12 digits)' });
  const row = await db
    .selectFrom('division')
    .select(['code', 'name', sql<string>`path::text`.as('path')])
    .where('code', '=', code)
    .where('level', '=', 'community')
    .executeTakeFirst();
  if (!row) throw new AppError('TERRITORY_NOT_FOUND', { communityCode: code });
  return { code: row.code, name: row.name, path: row.path, districtCode: code.slice(0, 6) };
}

export async function communityNames(db: Kysely<DB>, codes: string[]): Promise<Map<string, string>> {
  if (!codes.length) return new Map();
  const rows = await db
    .selectFrom('division')
    .select(['code', 'name'])
    .where('code', 'in', [...new Set(codes)])
    .execute();
  return new Map(rows.map((r) => [r.code, r.name]));
}

/** The resident record linked to the caller's account (person.user_id), or null. */
export async function actorPerson(db: Kysely<DB>, actor: Actor) {
  const row = await registryStore
    .personSelect(db, { all: true })
    .where('p.user_id', '=', actor.userId)
    .where('p.status', '=', 'active')
    .orderBy('p.created_at')
    .executeTakeFirst();
  return row ?? null;
}

export async function requireActorPerson(db: Kysely<DB>, actor: Actor) {
  const p = await actorPerson(db, actor);
  if (!p) throw new AppError('NO_PERSON_RECORD');
  return p;
}

/** The communities where the caller holds a permission, from their bindings (for defaults on pages). */
export function communitiesOf(actor: Actor): string[] {
  const out = new Set<string>();
  for (const b of actor.bindings) {
    const code = b.scopePath?.split('.').at(-1);
    if (code && code.length >= 12) out.add(code.slice(0, 12));
  }
  return [...out];
}

/** Next number in a per-district sequence (办件号, 证明号, 工单号), inside the caller's transaction. */
export async function nextCounter(db: Kysely<DB>, districtCode: string, kind: string, key: string): Promise<number> {
  const r = await sql<{ last: number }>`
    insert into service_counter (district_code, kind, key, last) values (${districtCode}, ${kind}, ${key}, 1)
    on conflict (district_code, kind, key) do update set last = service_counter.last + 1
    returning last`.execute(db);
  return Number(r.rows[0].last);
}

export async function notify(
  db: Kysely<DB>,
  n: { districtCode: string; userId: string | null; subjectType: string; subjectId: string; title: string; body?: string },
) {
  if (!n.userId) return;
  await db
    .insertInto('service_notification')
    .values({
      district_code: n.districtCode,
      user_id: n.userId,
      subject_type: n.subjectType,
      subject_id: n.subjectId,
      title: n.title,
      body: n.body ?? '',
    })
    .execute();
}

export function auditEntry(actor: Actor, action: string, targetType: string, targetId: string, placeCode: string, details = {}) {
  return { actorId: actor.userId, actorName: actor.username, action, targetType, targetId, placeCode, ip: actor.ip, details };
}

/** Local date (Asia/Shanghai) as YYYYMMDD, for numbers. */
export function localStamp(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
}

export function isUuid(s: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
}
