import type { Keyring } from '../../core/crypto.ts';
import type { IdType } from '../../db/types.ts';
import { maskIdNumber } from './id-number.ts';
import { maskPhone } from './validators.ts';

/**
 * Personal data at rest (R4): the value is encrypted (AES-256-GCM) and a keyed HMAC blind index
 * allows exact lookup. The index input carries the kind, so an ID number and a phone that happen
 * to share digits never collide.
 */
export interface Sealed {
  enc: string;
  bidx: string;
}

export function sealIdNumber(keyring: Keyring, type: IdType, number: string): Sealed {
  return { enc: keyring.encrypt(number), bidx: idBlindIndex(keyring, type, number) };
}

export function idBlindIndex(keyring: Keyring, type: IdType, number: string): string {
  return keyring.blindIndex(`id:${type}:${number.toUpperCase()}`);
}

export function sealPhone(keyring: Keyring, phone: string): Sealed {
  return { enc: keyring.encrypt(phone), bidx: phoneBlindIndex(keyring, phone) };
}

export function phoneBlindIndex(keyring: Keyring, phone: string): string {
  return keyring.blindIndex(`phone:${phone}`);
}

/** The masked form for lists and details; decrypting here never leaves the process. */
export function maskedId(keyring: Keyring, enc: string): string {
  return maskIdNumber(keyring.decrypt(enc));
}

export function maskedPhone(keyring: Keyring, enc: string | null): string | null {
  return enc ? maskPhone(keyring.decrypt(enc)) : null;
}
