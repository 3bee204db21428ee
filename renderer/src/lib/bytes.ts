/**
 * Znode data in every form the node panel shows: UTF-8 text, pretty JSON, hex + ASCII
 * rows and base64. Own base64 codec so the same code runs in the renderer and under
 * node:test without Buffer.
 */

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Map([...B64].map((c, i) => [c, i]));

/** Thrown for text that is not base64; the UI words it (i18n key `node.base64Invalid`). */
export class Base64Error extends Error {
  override name = 'Base64Error';
  constructor() {
    super('not valid base64');
  }
}

export function base64ToBytes(text: string): Uint8Array {
  const clean = text.replace(/[\s=]+/g, '');
  if (/[^A-Za-z0-9+/]/.test(clean) || clean.length % 4 === 1) {
    throw new Base64Error();
  }
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (const c of clean) {
    acc = (acc << 6) | B64_INDEX.get(c)!;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out.subarray(0, o);
}

export function bytesToBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    out += B64[a >> 2];
    out += B64[((a & 3) << 4) | ((b ?? 0) >> 4)];
    out += b === undefined ? '=' : B64[((b & 15) << 2) | ((c ?? 0) >> 6)];
    out += c === undefined ? '=' : B64[c & 63];
  }
  return out;
}

export function utf8ToBytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** The text, or null when the bytes are not valid UTF-8. */
export function bytesToUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

export function textToBase64(text: string): string {
  return bytesToBase64(utf8ToBytes(text));
}

export interface HexRow {
  offset: string;
  hex: string;
  ascii: string;
}

/** xxd-style rows of 16 bytes: offset, hex pairs grouped by 8, printable ASCII or `.`. */
export function hexDump(bytes: Uint8Array, maxBytes = 64 * 1024): { rows: HexRow[]; truncated: boolean } {
  const n = Math.min(bytes.length, maxBytes);
  const rows: HexRow[] = [];
  for (let i = 0; i < n; i += 16) {
    const slice = bytes.subarray(i, Math.min(i + 16, n));
    const pairs = [...slice].map((b) => b.toString(16).padStart(2, '0'));
    const hex = (pairs.slice(0, 8).join(' ') + (pairs.length > 8 ? '  ' + pairs.slice(8).join(' ') : '')).padEnd(48, ' ');
    const ascii = [...slice].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    rows.push({ offset: i.toString(16).padStart(8, '0'), hex, ascii });
  }
  return { rows, truncated: bytes.length > n };
}

/** `reason` is an i18n key suffix (`node.json.<reason>`); `detail` is the parser's own words. */
export type JsonView = { ok: true; pretty: string } | { ok: false; reason: 'not-text' | 'empty' | 'syntax'; detail?: string };

/** Pretty-printed JSON, or why the text is not JSON (with the parser's position). */
export function prettyJson(text: string | null): JsonView {
  if (text === null) return { ok: false, reason: 'not-text' };
  if (text.trim() === '') return { ok: false, reason: 'empty' };
  try {
    return { ok: true, pretty: JSON.stringify(JSON.parse(text), null, 2) };
  } catch (e) {
    return { ok: false, reason: 'syntax', detail: (e as Error).message };
  }
}

/** Which view suits the data best: JSON when it parses, text when UTF-8, else hex. */
export function suggestView(bytes: Uint8Array | null): 'text' | 'json' | 'hex' {
  if (bytes === null || bytes.length === 0) return 'text';
  const text = bytesToUtf8(bytes);
  if (text === null || /[\u0000-\u0008\u000e-\u001f]/.test(text)) return 'hex';
  const t = text.trim();
  if ((t.startsWith('{') || t.startsWith('[')) && prettyJson(text).ok) return 'json';
  return 'text';
}
