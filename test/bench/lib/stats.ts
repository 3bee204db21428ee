/** Small numeric helpers for reporting: medians of rounds and readable numbers. */

export function median(xs: readonly number[]): number {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 === 1 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

/** 3 significant digits, thousands grouped: 41 234 → "41.2k", 0.0412 → "0.0412". */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return '—';
  const abs = Math.abs(x);
  if (abs >= 1e6) return `${(x / 1e6).toPrecision(3)}M`;
  if (abs >= 1e4) return `${(x / 1e3).toPrecision(3)}k`;
  if (abs >= 100) return x.toFixed(0);
  return x.toPrecision(3);
}

export function mib(bytes: number): number {
  return bytes / (1024 * 1024);
}
