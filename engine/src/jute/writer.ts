/**
 * A growable big-endian buffer for jute values. One writer per message (never a shared
 * module-level one), so concurrent encoders cannot interleave.
 */
export class JuteWriter {
  private buf: Buffer;
  offset = 0;

  constructor(initialSize = 256) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  private ensure(n: number): void {
    if (this.offset + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.offset + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.offset);
    this.buf = next;
  }

  int(v: number): this {
    this.ensure(4);
    this.buf.writeInt32BE(v | 0, this.offset);
    this.offset += 4;
    return this;
  }

  long(v: bigint): this {
    this.ensure(8);
    this.buf.writeBigInt64BE(BigInt.asIntN(64, v), this.offset);
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
    const n = Buffer.byteLength(v, 'utf8');
    this.int(n);
    this.ensure(n);
    this.buf.write(v, this.offset, n, 'utf8');
    this.offset += n;
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
    this.buf.writeInt32BE(v | 0, at);
  }

  /** The bytes written so far (a view, not a copy). */
  toBuffer(): Buffer {
    return this.buf.subarray(0, this.offset);
  }
}
