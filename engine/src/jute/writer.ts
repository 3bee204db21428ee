/**
 * A growable big-endian buffer for jute values. One writer per message (never a shared
 * module-level one), so concurrent encoders cannot interleave.
 *
 * Numbers go through a DataView: `setBigInt64` is ~10× faster than Buffer's
 * `writeBigInt64BE` (which does BigInt arithmetic in JavaScript), and every reply
 * carries several longs (docs/performance.md).
 */
const TWO_32 = 4294967296;

export class JuteWriter {
  private buf: Buffer;
  private view: DataView;
  offset = 0;

  constructor(initialSize = 256) {
    this.buf = Buffer.allocUnsafe(initialSize);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length);
  }

  private ensure(n: number): void {
    if (this.offset + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.offset + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.offset);
    this.buf = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.length);
  }

  int(v: number): this {
    this.ensure(4);
    this.view.setInt32(this.offset, v | 0);
    this.offset += 4;
    return this;
  }

  /** A jute long; values outside the signed 64-bit range wrap, as Java's long does. */
  long(v: bigint): this {
    this.ensure(8);
    this.view.setBigInt64(this.offset, v);
    this.offset += 8;
    return this;
  }

  /**
   * A jute long from a number, without making a bigint (zxids and times the tree keeps
   * as numbers). Exact for integers of magnitude below 2^53.
   */
  longFromNumber(v: number): this {
    this.ensure(8);
    const hi = Math.floor(v / TWO_32);
    this.view.setInt32(this.offset, hi);
    this.view.setUint32(this.offset + 4, v - hi * TWO_32);
    this.offset += 8;
    return this;
  }

  bool(v: boolean): this {
    this.ensure(1);
    this.buf[this.offset++] = v ? 1 : 0;
    return this;
  }

  buffer(v: Uint8Array | null): this {
    if (v === null) return this.int(-1);
    this.int(v.length);
    this.ensure(v.length);
    this.buf.set(v, this.offset);
    this.offset += v.length;
    return this;
  }

  ustring(v: string | null): this {
    if (v === null) return this.int(-1);
    // One pass: encode after a 4-byte hole, then fill in the byte length (a UTF-16 unit
    // never takes more than 3 bytes of UTF-8).
    this.ensure(4 + 3 * v.length);
    const n = this.buf.write(v, this.offset + 4, 'utf8');
    this.view.setInt32(this.offset, n);
    this.offset += 4 + n;
    return this;
  }

  /**
   * A jute buffer from a "byte string" (one char per byte, as the tree stores znode data
   * as latin1), without making a Buffer first; null stays null (length -1).
   */
  latin1Buffer(v: string | null): this {
    if (v === null) return this.int(-1);
    this.int(v.length);
    this.ensure(v.length);
    this.offset += this.buf.write(v, this.offset, 'latin1');
    return this;
  }

  /** Raw bytes with no length prefix (an already-encoded record). */
  raw(v: Uint8Array): this {
    this.ensure(v.length);
    this.buf.set(v, this.offset);
    this.offset += v.length;
    return this;
  }

  /** Overwrites a 4-byte int written earlier (used to back-fill a frame length). */
  patchInt(at: number, v: number): void {
    this.view.setInt32(at, v | 0);
  }

  /** The bytes written so far (a view, not a copy). */
  toBuffer(): Buffer {
    return this.buf.subarray(0, this.offset);
  }
}
