/**
 * Session ids (wire-protocol.md §13.1, zab.md §5): `serverId << 56 | (ms << 24) >>> 8`,
 * i.e. byte 7 = the creating server, bits 16–55 = the low 40 bits of a monotonic
 * millisecond clock read when the generator starts, bits 0–15 = 0; then +1 per new
 * session. Long.MIN_VALUE is skipped (it marks containers). A standalone server uses
 * server id 1. The clock value is passed in: this file reads no clock.
 */

const MASK_64 = (1n << 64n) - 1n;
const LONG_MIN = -(1n << 63n);

/** The first id a server with `serverId` hands out, given its monotonic clock in ms. */
export function initialSessionId(serverId: number, monotonicMs: number): bigint {
  if (!Number.isInteger(serverId) || serverId < 0 || serverId > 255) throw new RangeError(`server id ${serverId} is outside 0..255`);
  const ms = BigInt(Math.floor(monotonicMs));
  // (ms << 24) keeps 40 low bits of ms in the top 40 bits of a long; >>> 8 moves them to bits 16..55.
  const timeBits = ((ms << 24n) & MASK_64) >> 8n;
  const id = BigInt.asIntN(64, (BigInt(serverId) << 56n) | timeBits);
  return id === LONG_MIN ? id + 1n : id;
}

export class SessionIdGenerator {
  private next: bigint;

  constructor(serverId: number, monotonicMs: number) {
    this.next = initialSessionId(serverId, monotonicMs);
  }

  /** A fresh id: the previous one + 1 (64-bit wrap), never Long.MIN_VALUE. */
  nextId(): bigint {
    const id = this.next;
    let n = BigInt.asIntN(64, id + 1n);
    if (n === LONG_MIN) n = BigInt.asIntN(64, n + 1n);
    this.next = n;
    return id;
  }
}
