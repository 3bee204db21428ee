/**
 * Byte-level helpers for snapshots: a growable writer and a bounds-checked reader that
 * know the two value shapes the tree stores — integral numbers below 2^53 written as
 * big-endian int64, and latin1 byte strings written as jute buffers. Kept separate from
 * the jute reader/writer because snapshot payloads are not bounded by jute.maxbuffer and
 * restore speed matters (a million records must load in well under 5 s).
 */

const TWO_32 = 4294967296;

export class SnapshotError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnapshotError';
  }
}

export class ChunkWriter {
  private buf: Buffer;
  offset = 0;

  constructor(size = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(size);
  }

  private ensure(n: number): void {
    if (this.offset + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.offset + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.offset);
    this.buf = next;
  }

  int(v: number): void {
    this.ensure(4);
    this.buf.writeInt32BE(v | 0, this.offset);
    this.offset += 4;
  }

  /** An integral number (|n| < 2^53) as a big-endian int64. */
  long(n: number): void {
    this.ensure(8);
    const hi = Math.floor(n / TWO_32);
    this.buf.writeInt32BE(hi | 0, this.offset);
    this.buf.writeUInt32BE(n - hi * TWO_32, this.offset + 4);
    this.offset += 8;
  }

  bigint(v: bigint): void {
    this.ensure(8);
    this.buf.writeBigInt64BE(BigInt.asIntN(64, v), this.offset);
    this.offset += 8;
  }

  /** A UTF-8 string with an int length prefix. */
  utf8(s: string): void {
    const n = Buffer.byteLength(s, 'utf8');
    this.int(n);
    this.ensure(n);
    this.buf.write(s, this.offset, n, 'utf8');
    this.offset += n;
  }

  /** A latin1 byte string as a buffer: int length (-1 = null) + bytes. */
  latin1(s: string | null): void {
    if (s === null) return this.int(-1);
    this.int(s.length);
    this.ensure(s.length);
    this.buf.write(s, this.offset, s.length, 'latin1');
    this.offset += s.length;
  }

  bytes(b: Buffer | null): void {
    if (b === null) return this.int(-1);
    this.int(b.length);
    this.ensure(b.length);
    b.copy(this.buf, this.offset);
    this.offset += b.length;
  }

  /** Bytes with no length prefix (an already-encoded record). */
  raw(b: Buffer): void {
    this.ensure(b.length);
    b.copy(this.buf, this.offset);
    this.offset += b.length;
  }

  /** The bytes written so far (the writer must not be used afterwards). Copied only when mostly empty. */
  take(): Buffer {
    const view = this.buf.subarray(0, this.offset);
    return this.offset * 2 >= this.buf.length ? view : Buffer.from(view);
  }
}

/**
 * Reads a snapshot from the pieces it is stored in, pulling them one at a time and never
 * joining them: a value that straddles two pieces is stitched from just its own bytes.
 * At a million znodes the snapshot is ~180 MB; joining it cost ~0.9 s of a restart, and
 * holding all its pieces at once left ~150 MiB in malloc's arenas (docs/performance.md).
 * Call `close()` when done (it ends the source's iteration, e.g. a SQLite cursor).
 */
export class ChunkReader {
  /** The piece being read (or a small stitched buffer), and the offset in it. */
  private buf: Buffer = Buffer.alloc(0);
  private offset = 0;
  /** The next piece, already pulled (it may have lost a prefix to a stitch), or null. */
  private pending: Buffer | null = null;
  private readonly source: Iterator<Buffer>;
  private exhausted = false;
  /** Bytes consumed before `buf` began (for error messages). */
  private base = 0;

  constructor(source: Buffer | Iterable<Buffer>) {
    this.source = (Buffer.isBuffer(source) ? [source] : source)[Symbol.iterator]();
  }

  /** Ends reading: the rest of the source is not pulled. */
  close(): void {
    if (!this.exhausted) this.source.return?.();
    this.exhausted = true;
  }

  /** Takes the next piece (null at the end). */
  private pull(): Buffer | null {
    if (this.pending !== null) {
      const p = this.pending;
      this.pending = null;
      return p;
    }
    if (this.exhausted) return null;
    const r = this.source.next();
    if (r.done) {
      this.exhausted = true;
      return null;
    }
    return r.value;
  }

  private fail(n: number, what: string): never {
    throw new SnapshotError(`snapshot truncated or corrupt: ${what} needs ${n} bytes at byte ${this.base + this.offset}, ${this.buf.length - this.offset} left in this piece`);
  }

  /** Makes `n` contiguous bytes available at `this.buf[this.offset]`. */
  private need(n: number, what: string): void {
    if (n >= 0 && this.offset + n <= this.buf.length) return;
    if (n < 0) this.fail(n, what);
    // Move on while this piece is used up; stitch when a value straddles two pieces.
    while (this.offset === this.buf.length) {
      const next = this.pull();
      if (next === null) break;
      this.base += this.buf.length;
      this.buf = next;
      this.offset = 0;
    }
    if (this.offset + n <= this.buf.length) return;
    const parts = [this.buf.subarray(this.offset)];
    let have = parts[0]!.length;
    while (have < n) {
      const piece = this.pull();
      if (piece === null) break;
      const take = Math.min(piece.length, n - have);
      parts.push(piece.subarray(0, take));
      have += take;
      if (take < piece.length) this.pending = piece.subarray(take);
    }
    if (have < n) this.fail(n, what);
    this.base += this.offset;
    this.buf = Buffer.concat(parts, have);
    this.offset = 0;
  }

  int(what: string): number {
    this.need(4, what);
    const v = this.buf.readInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  long(what: string): number {
    this.need(8, what);
    const hi = this.buf.readInt32BE(this.offset);
    const lo = this.buf.readUInt32BE(this.offset + 4);
    this.offset += 8;
    const n = hi * TWO_32 + lo;
    if (!Number.isSafeInteger(n)) throw new SnapshotError(`snapshot value ${what} out of range at byte ${this.base + this.offset - 8}`);
    return n;
  }

  bigint(what: string): bigint {
    this.need(8, what);
    const v = this.buf.readBigInt64BE(this.offset);
    this.offset += 8;
    return v;
  }

  utf8(what: string): string {
    const n = this.int(what);
    this.need(n, what);
    const s = this.buf.toString('utf8', this.offset, this.offset + n);
    this.offset += n;
    return s;
  }

  latin1(what: string): string | null {
    const n = this.int(what);
    if (n === -1) return null;
    this.need(n, what);
    const s = this.buf.toString('latin1', this.offset, this.offset + n);
    this.offset += n;
    return s;
  }

  bytes(what: string): Buffer | null {
    const n = this.int(what);
    if (n === -1) return null;
    this.need(n, what);
    const b = Buffer.from(this.buf.subarray(this.offset, this.offset + n));
    this.offset += n;
    return b;
  }
}
