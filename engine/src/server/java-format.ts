/**
 * Java's text formats that four-letter words print (so monitoring scripts written for
 * ZooKeeper parse our output): Double.toString and Date.toString.
 */

/** Java's Double.toString for the values 4lw print: `0.0`, `3.1111`, `5.0E-4`. */
export function javaDouble(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  if (v === 0) return '0.0';
  const abs = Math.abs(v);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(v);
    return s.includes('.') ? s : `${s}.0`;
  }
  // Java switches to computerized scientific notation outside [1e-3, 1e7).
  const [mantissa, exp] = v.toExponential().split('e');
  const m = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${m}E${Number(exp)}`;
}

/** ZooKeeper rounds averages to 4 decimals before printing them (ServerStats). */
export function roundTo4(v: number): number {
  return Math.round(v * 10000) / 10000;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** Java's Date.toString in UTC: `Sun Nov 22 05:44:24 UTC 2026`. */
export function javaDateUtc(ms: number): string {
  const d = new Date(ms);
  return (
    `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`
  );
}

/** `0x1a2b`: Long.toHexString of a (possibly negative) 64-bit value, with the 0x ZooKeeper prints. */
export function hex64(v: bigint): string {
  return '0x' + BigInt.asUintN(64, v).toString(16);
}
