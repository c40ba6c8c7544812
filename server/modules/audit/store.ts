import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/types.ts';

export interface AuditFilter {
  from?: string;
  to?: string;
  actor?: string;
  action?: string;
  outcome?: string;
  q?: string;
}

function filtered(db: Kysely<DB>, f: AuditFilter) {
  let q = db.selectFrom('audit_log');
  if (f.from) q = q.where('at', '>=', new Date(f.from));
  if (f.to) q = q.where('at', '<=', new Date(f.to));
  if (f.actor) q = q.where(sql`lower(actor_name)`, 'like', `%${escapeLike(f.actor.toLowerCase())}%`);
  if (f.action) q = q.where('action', 'like', `${escapeLike(f.action)}%`);
  if (f.outcome) q = q.where('outcome', '=', f.outcome);
  if (f.q) {
    const like = `%${escapeLike(f.q)}%`;
    q = q.where((eb) => eb.or([eb('target_id', 'like', like), eb('place_code', 'like', like), eb(sql`details::text`, 'like', like)]));
  }
  return q;
}

function escapeLike(s: string) {
  return s.replace(/[%_\\]/g, '\\$&');
}

export async function searchAudit(db: Kysely<DB>, f: AuditFilter, page: number, pageSize: number) {
  const [items, total] = await Promise.all([
    filtered(db, f)
      .selectAll()
      .orderBy('id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    filtered(db, f)
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n };
}

/** Streams matching rows in id order, a page at a time, for export. */
export async function* iterateAudit(db: Kysely<DB>, f: AuditFilter, pageSize = 2000) {
  let after = 0;
  for (;;) {
    const rows = await filtered(db, f).selectAll().where('id', '>', after).orderBy('id').limit(pageSize).execute();
    if (!rows.length) return;
    yield rows;
    after = Number(rows[rows.length - 1].id);
  }
}
