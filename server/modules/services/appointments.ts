import { sql } from 'kysely';
import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../../core/audit.ts';
import { apply } from './applications.ts';
import { findItem } from './catalogue.ts';
import { actorPerson, auditEntry, notify } from './common.ts';
import { SLOT_COLUMNS, slotView } from './window.ts';

/**
 * 预约上门 from the resident's side: pick a free slot in a worker's calendar for a catalogue item
 * that offers home visits. The application and the booking are one transaction, so a slot taken
 * by someone else a moment earlier leaves no stray application behind, and the slot's worker
 * becomes the application's handler.
 */
export interface AppointmentInput {
  itemId: string;
  slotId: string;
  note?: string;
  idempotencyKey?: string;
}

export async function bookAppointment(ctx: AppContext, actor: Actor, input: AppointmentInput, now = new Date()) {
  const own = await actorPerson(ctx.db, actor);
  if (!own) throw new AppError('NO_PERSON_RECORD');
  const item = await findItem(ctx.db, input.itemId);
  if (!item) throw new AppError('ITEM_NOT_PUBLISHED', { itemId: input.itemId });
  if (!item.home_visit) {
    throw new AppError('VALIDATION_FAILED', { problems: [{ field: 'itemId', reason: '该事项不提供预约上门服务' }] });
  }
  const slot = await ctx.db.selectFrom('service_slot').select(SLOT_COLUMNS).where('id', '=', input.slotId).executeTakeFirst();
  // Another community's calendar is not the resident's to see: it answers as if it did not exist.
  if (!slot || slot.community_code !== own.community_code) throw new AppError('NOT_FOUND', { slotId: input.slotId });
  if (slot.state !== 'open' || slot.starts_at <= now) throw new AppError('SLOT_UNAVAILABLE', { slotId: input.slotId });

  const application = await apply(
    ctx,
    actor,
    { itemId: item.id, note: input.note, idempotencyKey: input.idempotencyKey },
    now,
    async (tx, app) => {
      // The conditional update is the lock: of two residents racing for one slot exactly one books it,
      // the other's whole transaction (application included) rolls back.
      const booked = await tx
        .updateTable('service_slot')
        .set({
          state: 'booked',
          application_id: app.id,
          person_id: app.personId,
          note: input.note ?? '',
          updated_at: now,
          version: sql`version + 1`,
        })
        .where('district_code', '=', slot.district_code)
        .where('id', '=', slot.id)
        .where('state', '=', 'open')
        .returning('id')
        .executeTakeFirst();
      if (!booked) throw new AppError('SLOT_UNAVAILABLE', { slotId: slot.id });
      await tx
        .updateTable('service_application')
        .set({ channel: 'home_visit', handler_user_id: slot.worker_user_id, handler_name: slot.worker_name })
        .where('district_code', '=', app.districtCode)
        .where('id', '=', app.id)
        .execute();
      await notify(tx, {
        districtCode: slot.district_code,
        userId: slot.worker_user_id,
        subjectType: 'application',
        subjectId: app.id,
        title: `预约上门：${item.name}（${app.number}）`,
        body: input.note ?? '',
      });
      await appendAudit(
        tx,
        auditEntry(actor, 'service.slot.book', 'service_slot', slot.id, slot.community_code, { applicationId: app.id }),
      );
    },
  );
  const mine = await ctx.db
    .selectFrom('service_slot')
    .select(SLOT_COLUMNS)
    .where('district_code', '=', slot.district_code)
    .where('application_id', '=', application.id)
    .executeTakeFirst();
  // A retried submission (same idempotency key) returns the first one's application; its slot is the one it booked.
  if (!mine) throw new AppError('SLOT_UNAVAILABLE', { slotId: slot.id });
  return { application, slot: slotView(mine) };
}
