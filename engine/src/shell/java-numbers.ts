/**
 * Java's integer parsing as zkCli uses it (`Integer.parseInt`, `Long.parseLong`,
 * `Integer.decode`), so a shell flag accepts exactly what zkCli accepts. A bad number
 * throws NumberFormatError with Java's message (`For input string: "x"`).
 */

export class NumberFormatError extends Error {
  constructor(input: string, radix = 10) {
    super(`For input string: "${input}"${radix === 10 ? '' : ` under radix ${radix}`}`);
    this.name = 'NumberFormatError';
  }
}

const INT_MIN = -(2n ** 31n);
const INT_MAX = 2n ** 31n - 1n;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

function parseRadix(text: string, radix: number, min: bigint, max: bigint, input = text): bigint {
  const digits = radix === 16 ? /^[+-]?[0-9a-fA-F]+$/ : radix === 8 ? /^[+-]?[0-7]+$/ : /^[+-]?[0-9]+$/;
  if (!digits.test(text)) throw new NumberFormatError(input, radix);
  const negative = text.startsWith('-');
  const body = text.replace(/^[+-]/, '');
  const prefix = radix === 16 ? '0x' : radix === 8 ? '0o' : '';
  const value = BigInt(prefix + body) * (negative ? -1n : 1n);
  if (value < min || value > max) throw new NumberFormatError(input, radix);
  return value;
}

/** `Integer.parseInt(text)`. */
export function parseJavaInt(text: string): number {
  return Number(parseRadix(text, 10, INT_MIN, INT_MAX));
}

/** `Long.parseLong(text, radix)` (radix 10 or 16). */
export function parseJavaLong(text: string, radix: 10 | 16 = 10): bigint {
  return parseRadix(text, radix, LONG_MIN, LONG_MAX);
}

/** `Integer.decode(text)`: decimal, `0x`/`#` hex or `0` octal, with an optional sign. */
export function decodeJavaInt(text: string): number {
  const m = /^([+-]?)(0[xX]|#|0(?=.))?(.*)$/.exec(text);
  if (!m || m[3] === '' || /^[+-]/.test(m[3])) {
    if (text === '') throw new Error('Zero length string');
    throw new NumberFormatError(text);
  }
  const radix = m[2] === undefined ? 10 : m[2] === '0' ? 8 : 16;
  return Number(parseRadix(m[1] + m[3], radix, INT_MIN, INT_MAX, text));
}
