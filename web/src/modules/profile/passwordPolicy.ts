// Mirrors the server's policy (at least 8 characters of three classes) so people learn before they submit.
// The server still decides; this only saves a round trip.
export const PASSWORD_MIN_LENGTH = 8;

export function passwordClassCount(pw: string): number {
  let n = 0;
  if (/[a-z]/.test(pw)) n++;
  if (/[A-Z]/.test(pw)) n++;
  if (/[0-9]/.test(pw)) n++;
  if (/[^A-Za-z0-9]/.test(pw)) n++;
  return n;
}

export type PasswordProblem = 'tooShort' | 'classes' | null;

export function passwordProblem(pw: string): PasswordProblem {
  if (pw.length < PASSWORD_MIN_LENGTH) return 'tooShort';
  if (passwordClassCount(pw) < 3) return 'classes';
  return null;
}
