/** Node data as the API accepts it (Buffer, bytes, UTF-8 string or null) → a jute buffer. */
import type { Data } from './types.js';

export function toBuffer(data: Data): Buffer | null {
  if (data === null) return null;
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
