/** Small statistics over repeated measurements. */

export function median(values: number[]): number | null {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** Nearest-rank percentile (p in 0..100) of raw samples. */
export function percentile(values: number[], p: number): number | null {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * v.length));
  return v[Math.min(rank, v.length) - 1];
}

/** ours / baseline, or null when either is missing or the baseline is zero. */
export function ratio(ours: number | null, baseline: number | null): number | null {
  if (ours == null || baseline == null || baseline === 0) return null;
  return ours / baseline;
}

/** Rounds to a precision that suits the magnitude (3 significant digits, at most 2 decimals). */
export function round(value: number): number {
  const abs = Math.abs(value);
  if (abs >= 100) return Math.round(value);
  if (abs >= 10) return Math.round(value * 10) / 10;
  return Math.round(value * 100) / 100;
}

export function seconds(ms: number): number {
  return ms / 1000;
}

export function megabytes(kb: number): number {
  return kb / 1024;
}
