import { sql } from 'kysely';
import type { AppContext } from '../../core/context.ts';
import { systemActor } from '../../core/context.ts';
import { loadCalendar } from './calendar-cache.ts';
import { applyAction } from './actions.ts';
import { notify, recipients } from './notify.ts';
import { relationsAbove, type Level, type Relation } from './state-machine.ts';
import { startRollupFolder } from './rollup.ts';

/**
 * The deadline ticker (E3): finds open events whose warning or due time has come, turns them
 * yellow or red, tells the people concerned, and — when the category says so — escalates an
 * overdue event one level. Rows are claimed with FOR UPDATE SKIP LOCKED inside one transaction
 * per batch, so two app instances ticking at once never handle the same event twice.
 */

export interface TickResult {
  warned: number;
  overdue: number;
  escalated: number;
}

const BATCH = 100;

export async function runDeadlineTick(ctx: AppContext, now = new Date()): Promise<TickResult> {
  const cal = await loadCalendar(ctx.db);
  const total: TickResult = { warned: 0, overdue: 0, escalated: 0 };
  for (let round = 0; round < 50; round++) {
    const after: (() => Promise<void>)[] = [];
    const got = await ctx.db.transaction().execute(async (tx) => {
      const rows = (
        await sql<{
          district_code: string;
          id: string;
          title: string;
          state: string;
          level: Level;
          whistled: boolean;
          place_path: string;
          reporter_id: string | null;
          lead_org_id: string | null;
          assist_org_ids: string[];
          warn_at: Date | null;
          due_at: Date | null;
          warned: boolean;
          overdue: boolean;
          auto_escalate: boolean;
        }>`
        select e.district_code, e.id, e.title, e.state, e.level, e.whistled, e.place_path::text as place_path, e.reporter_id,
               e.lead_org_id, e.assist_org_ids, e.warn_at, e.due_at, e.warned, e.overdue,
               (select c.auto_escalate from event_category c where c.code = e.category_code) as auto_escalate
        from event e
        where e.stage is not null
          and ((e.warned = false and e.warn_at <= ${now}) or (e.overdue = false and e.due_at <= ${now}))
        order by e.due_at
        limit ${BATCH}
        for update of e skip locked`.execute(tx)
      ).rows;
      const r: TickResult = { warned: 0, overdue: 0, escalated: 0 };
      for (const e of rows) {
        const isOverdue = !e.overdue && e.due_at !== null && new Date(e.due_at) <= now;
        const refs = {
          placePath: e.place_path,
          reporterId: e.reporter_id,
          leadOrgId: e.lead_org_id,
          assistOrgIds: e.assist_org_ids,
          districtCode: e.district_code,
        };
        const working: Relation[] = e.whistled ? ['lead'] : [e.level];
        if (isOverdue) {
          await tx
            .updateTable('event')
            .set({ overdue: true, ever_overdue: true, warned: true, updated_at: now, version: sql`version + 1` })
            .where('district_code', '=', e.district_code)
            .where('id', '=', e.id)
            .execute();
          await tx
            .insertInto('event_step')
            .values({
              district_code: e.district_code,
              event_id: e.id,
              at: now,
              actor_id: null,
              actor_name: '系统',
              action: 'overdue',
              from_state: e.state,
              to_state: e.state,
              level: e.level,
              note: '已超过办理时限',
              details: JSON.stringify({ dueAt: e.due_at ? new Date(e.due_at).toISOString() : null }),
            })
            .execute();
          const above: Relation[] = e.whistled ? ['street'] : relationsAbove(e.level).slice(0, 1);
          const users = await recipients(tx, refs, [...working, ...above]);
          after.push(
            await notify(tx, users, { districtCode: e.district_code, eventId: e.id, kind: 'overdue', title: `事件已超期：${e.title}` }),
          );
          r.overdue++;
          // Escalate one level when the category says so: an unaccepted or unhandled event at the
          // grid or the community goes up; departments are pressed by supervision instead.
          if (
            e.auto_escalate &&
            !e.whistled &&
            e.level !== 'street' &&
            (e.state === 'handling' || e.state === 'reported' || e.state === 'escalated')
          ) {
            const sys = { ...systemActor('system:deadline'), displayName: '系统（超期自动上报）' };
            const rel = new Set<Relation>([e.level]);
            if (e.state !== 'handling') {
              const acc = await applyAction(ctx, tx, sys, e.id, 'accept', { note: '超期未受理，系统代为受理并上报' }, cal, now, {
                relations: rel,
                system: true,
              });
              after.push(...acc.after);
            }
            const esc = await applyAction(ctx, tx, sys, e.id, 'escalate', { note: '超期自动上报' }, cal, now, {
              relations: rel,
              system: true,
            });
            after.push(...esc.after);
            r.escalated++;
          }
        } else {
          await tx.updateTable('event').set({ warned: true }).where('district_code', '=', e.district_code).where('id', '=', e.id).execute();
          const users = await recipients(tx, refs, working);
          after.push(
            await notify(tx, users, { districtCode: e.district_code, eventId: e.id, kind: 'due_soon', title: `事件即将超期：${e.title}` }),
          );
          r.warned++;
        }
      }
      return { r, n: rows.length };
    });
    for (const f of after) await f();
    total.warned += got.r.warned;
    total.overdue += got.r.overdue;
    total.escalated += got.r.escalated;
    if (got.n < BATCH) break;
  }
  return total;
}

/** Runs the ticker every `intervalMs` in the background; returns a stop function. */
export function startDeadlineTicker(ctx: AppContext, intervalMs = 60_000, log: (err: unknown) => void = () => {}): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    runDeadlineTick(ctx)
      .catch(log)
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  // The measures rollup (D41) folds its pending deltas every few seconds alongside.
  const stopFolder = startRollupFolder(ctx.db, Math.min(intervalMs, 5_000), log);
  return () => {
    clearInterval(timer);
    stopFolder();
  };
}
