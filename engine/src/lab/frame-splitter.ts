/**
 * Splits a byte stream into length-prefixed frames (4-byte big-endian length, then that
 * many bytes) so the link proxy can drop or delay whole messages instead of cutting a
 * stream at random bytes. Both our peer protocol and the ZooKeeper client protocol frame
 * this way (wire-protocol.md §1). A stream that does not look framed (a four-letter word,
 * whose first 4 bytes read as an absurd length) switches to raw mode for good: chunks pass
 * through unsplit and are never dropped.
 */

/** A frame larger than this cannot be ours (jute.maxbuffer is 1 MiB; snapshots may be larger). */
export const MAX_PLAUSIBLE_FRAME_BYTES = 64 * 1024 * 1024;

export interface StreamUnit {
  bytes: Buffer;
  /** True for a whole frame (droppable); false for raw bytes of an unframed stream. */
  frame: boolean;
}

export class FrameSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private raw = false;

  /** Whether the stream was found not to be length-prefixed. */
  get isRaw(): boolean {
    return this.raw;
  }

  /** Feeds a chunk; returns the complete units it finished, in order. */
  push(chunk: Buffer): StreamUnit[] {
    if (this.raw) return [{ bytes: chunk, frame: false }];
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    const out: StreamUnit[] = [];
    while (this.pendingBytes >= 4) {
      const head = this.peek(4);
      const length = head.readInt32BE(0);
      if (length < 0 || length > MAX_PLAUSIBLE_FRAME_BYTES) {
        this.raw = true;
        out.push({ bytes: this.take(this.pendingBytes), frame: false });
        return out;
      }
      if (this.pendingBytes < 4 + length) break;
      out.push({ bytes: this.take(4 + length), frame: true });
    }
    return out;
  }

  /** Bytes of an unfinished frame still waiting for the rest. */
  get buffered(): number {
    return this.pendingBytes;
  }

  private peek(n: number): Buffer {
    if (this.pending[0]!.length >= n) return this.pending[0]!.subarray(0, n);
    return Buffer.concat(this.pending, this.pendingBytes).subarray(0, n);
  }

  private take(n: number): Buffer {
    const first = this.pending[0]!;
    if (first.length === n) {
      this.pending.shift();
      this.pendingBytes -= n;
      return first;
    }
    if (first.length > n) {
      this.pending[0] = first.subarray(n);
      this.pendingBytes -= n;
      return first.subarray(0, n);
    }
    const all = Buffer.concat(this.pending, this.pendingBytes);
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    this.pending = rest.length > 0 ? [rest] : [];
    this.pendingBytes = rest.length;
    return out;
  }
}
