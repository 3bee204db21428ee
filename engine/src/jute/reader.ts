import { ProtocolError } from './errors.js';

/** The cap on any single length or count read from the wire (jute.maxbuffer, wire-protocol.md §1). */
export const DEFAULT_MAX_BUFFER = 0xfffff;

/**
 * A bounds-checked cursor over one frame's payload. Every read checks the bytes left,
 * and every length or count is checked against `maxLength` before anything is
 * allocated (ZooKeeper's BinaryInputArchive.checkLength). Failures throw ProtocolError
 * naming the record and field being read, which `context()` keeps track of.
 */
export class JuteReader {
  offset: number;
  private readonly end: number;
  private recordName = '?';
  private fieldName = '?';
  /** Made on the first long read; most requests have none. */
  private view: DataView | null = null;

  constructor(
    readonly buf: Buffer,
    start = 0,
    end = buf.length,
    readonly maxLength = DEFAULT_MAX_BUFFER,
  ) {
    this.offset = start;
    this.end = end;
  }

  /** Names the record and field being decoded, for error messages. */
  context(record: string, field: string): void {
    this.recordName = record;
    this.fieldName = field;
  }

  remaining(): number {
    return this.end - this.offset;
  }

  fail(reason: string): never {
    throw new ProtocolError(this.recordName, this.fieldName, this.offset, reason);
  }

  private need(n: number): void {
    if (this.end - this.offset < n) this.fail(`needs ${n} bytes, ${this.end - this.offset} left`);
  }

  int(): number {
    this.need(4);
    const v = this.buf.readInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  long(): bigint {
    this.need(8);
    // A DataView reads a bigint ~3× faster than Buffer.readBigInt64BE (docs/performance.md).
    this.view ??= new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length);
    const v = this.view.getBigInt64(this.offset);
    this.offset += 8;
    return v;
  }

  bool(): boolean {
    this.need(1);
    return this.buf[this.offset++] !== 0;
  }

  /** A length-prefixed count; -1 means null. Anything below -1 or above the cap is refused. */
  private length(kind: string): number {
    const n = this.int();
    if (n < -1) this.fail(`negative ${kind} length ${n}`);
    if (n > this.maxLength) this.fail(`${kind} length ${n} exceeds the limit ${this.maxLength}`);
    return n;
  }

  /** A jute buffer; null when the length is -1. The result is a copy, so the frame can be released. */
  buffer(): Buffer | null {
    const n = this.length('buffer');
    if (n === -1) return null;
    this.need(n);
    const out = Buffer.allocUnsafe(n);
    this.buf.copy(out, 0, this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  /** A jute ustring (UTF-8, byte length prefix); null when the length is -1. */
  ustringOrNull(): string | null {
    const n = this.length('string');
    if (n === -1) return null;
    this.need(n);
    const s = this.buf.toString('utf8', this.offset, this.offset + n);
    this.offset += n;
    return s;
  }

  /**
   * A jute ustring that must not be null. Apache ZooKeeper answers MarshallingError to a
   * request whose path is a null string (found by the compat fuzz test), so a null here is
   * a decoding failure rather than a quiet `''` (which would read as `/`).
   */
  ustring(): string {
    const s = this.ustringOrNull();
    if (s === null) this.fail('null string');
    return s;
  }

  /**
   * A vector's element count. Like ZooKeeper's BinaryInputArchive, any negative count
   * (null is -1) reads as "no elements": an ACL vector of count -5 reaches the ACL check
   * as empty and is answered InvalidACL, not MarshallingError (checked against 3.8 by the
   * compat fuzz test). Counts above the cap are refused before anything is allocated.
   */
  count(): number {
    const n = this.int();
    if (n > this.maxLength) this.fail(`vector length ${n} exceeds the limit ${this.maxLength}`);
    return n < 0 ? 0 : n;
  }
}
