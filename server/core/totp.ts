import { generateSecret, generateSync, generateURI, verifySync } from 'otplib';

/** RFC 6238 TOTP (30 s, 6 digits) for the administrators' second factor (双因素认证). */
export const TOTP_ISSUER = 'Gongzhi 共治';

export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

export function totpUri(username: string, secret: string): string {
  return generateURI({ issuer: TOTP_ISSUER, label: username, secret });
}

/** The current code; tests and the CLI use it, the server only verifies. */
export function totpNow(secret: string, at: Date = new Date()): string {
  return generateSync({ secret, epoch: Math.floor(at.getTime() / 1000) });
}

/**
 * Checks a code within ±1 step of clock drift and refuses a step at or before `lastStep`, so a
 * code seen once cannot be replayed. Returns the matched time step, or null.
 */
export function checkTotp(secret: string, code: string, lastStep: number | null): number | null {
  if (!/^[0-9]{6}$/.test(code)) return null;
  const result = verifySync({
    secret,
    token: code,
    epochTolerance: 30,
    ...(lastStep != null ? { afterTimeStep: lastStep } : {}),
  });
  if (!result.valid) return null;
  return (result as { timeStep: number }).timeStep;
}
