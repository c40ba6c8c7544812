import crypto from 'node:crypto';

/** Event tracking numbers (事件编号). */

/** The characters of a tracking number's tail: no 0/O, 1/I to misread on the phone. */
export const NUMBER_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** A tracking number residents can read out on the phone: SJ + date + 6 unambiguous characters. */
export function newEventNumber(at: Date): string {
  const day = new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
  const bytes = crypto.randomBytes(6);
  let tail = '';
  for (const b of bytes) tail += NUMBER_ALPHABET[b % NUMBER_ALPHABET.length];
  return `SJ${day}${tail}`;
}

/** Where tracking numbers come from (a test makes it repeat itself to force a collision). */
export const eventNumbers = { next: newEventNumber };

/** 6 characters give 32⁶ ≈ 10⁹ numbers a day: a busy district meets a repeat now and then. */
export function numberTaken(err: unknown): boolean {
  const e = err as { code?: string; constraint?: string } | null;
  return e?.code === '23505' && e.constraint === 'event_number_idx';
}
