/**
 * Follows the frame boundaries of a byte stream (4-byte big-endian length, then that
 * many bytes) so the link proxy can drop whole messages instead of cutting a stream at
 * random bytes. Both our peer protocol and the ZooKeeper client protocol frame this way
 * (wire-protocol.md §1).
 *
 * Bytes are never held unless asked (`hold`, while a link has loss): without loss every
 * byte passes at once and the tracker only counts, so a protocol that is not
 * length-prefixed (Apache ZooKeeper's peer protocol, a four-letter word) is never
 * stalled by a misread length. With `hold`, a frame that starts while holding is kept
 * until complete and then offered whole (droppable); a frame already under way passes on.
 * `abandon()` gives up framing for good (the proxy calls it when a held frame stalls,
 * i.e. the stream was not framed after all).
 */

/** A frame larger than this cannot be ours (jute.maxbuffer is 1 MiB; snapshots may be larger). */
export const MAX_PLAUSIBLE_FRAME_BYTES = 64 * 1024 * 1024;

export interface StreamUnit {
  bytes: Buffer;
  /** True for a whole frame held from its first byte (droppable); false for bytes that must pass. */
  frame: boolean;
}

export class FrameSplitter {
  private raw = false;
  private readonly header = Buffer.alloc(4);
  private headerLength = 0;
  private bodyRemaining = 0;
  /** Whether the current frame has been held since its first byte. */
  private holdingFrame = false;
  private held: Buffer[] = [];
  private heldLength = 0;

  /** Whether the stream was found not to be length-prefixed (or framing was abandoned). */
  get isRaw(): boolean {
    return this.raw;
  }

  /** Bytes of an unfinished frame being held. */
  get buffered(): number {
    return this.heldLength;
  }

  /** Feeds a chunk; returns what may be sent now, in order. */
  push(chunk: Buffer, hold = true): StreamUnit[] {
    const out: StreamUnit[] = [];
    if (!hold && this.holdingFrame) this.releaseHeld(out);
    if (this.raw) {
      if (chunk.length > 0) out.push({ bytes: chunk, frame: false });
      return out;
    }
    let passStart = -1;
    const flushPass = (end: number) => {
      if (passStart >= 0 && end > passStart) out.push({ bytes: chunk.subarray(passStart, end), frame: false });
      passStart = -1;
    };
    let i = 0;
    while (i < chunk.length) {
      const atHeader = this.bodyRemaining === 0 && this.headerLength < 4;
      if (atHeader && this.headerLength === 0) this.holdingFrame = hold;
      const take = atHeader ? Math.min(4 - this.headerLength, chunk.length - i) : Math.min(this.bodyRemaining, chunk.length - i);
      if (this.holdingFrame) {
        flushPass(i);
        this.held.push(chunk.subarray(i, i + take));
        this.heldLength += take;
      } else if (passStart < 0) {
        passStart = i;
      }
      if (atHeader) {
        chunk.copy(this.header, this.headerLength, i, i + take);
        this.headerLength += take;
        i += take;
        if (this.headerLength < 4) continue;
        const length = this.header.readInt32BE(0);
        if (length < 0 || length > MAX_PLAUSIBLE_FRAME_BYTES) {
          // Not a length-prefixed stream: everything from here on passes untouched.
          flushPass(i);
          this.releaseHeld(out);
          this.raw = true;
          if (i < chunk.length) out.push({ bytes: chunk.subarray(i), frame: false });
          return out;
        }
        this.bodyRemaining = length;
      } else {
        this.bodyRemaining -= take;
        i += take;
      }
      if (this.bodyRemaining === 0 && this.headerLength === 4) {
        flushPass(i);
        this.finishFrame(out);
      }
    }
    flushPass(chunk.length);
    return out;
  }

  /** Stops framing for good and returns whatever was held (to be sent as is). */
  abandon(): StreamUnit[] {
    const out: StreamUnit[] = [];
    this.releaseHeld(out);
    this.raw = true;
    return out;
  }

  private finishFrame(out: StreamUnit[]): void {
    if (this.holdingFrame) {
      out.push({ bytes: Buffer.concat(this.held, this.heldLength), frame: true });
      this.held = [];
      this.heldLength = 0;
    }
    this.holdingFrame = false;
    this.headerLength = 0;
  }

  private releaseHeld(out: StreamUnit[]): void {
    if (this.heldLength > 0) out.push({ bytes: Buffer.concat(this.held, this.heldLength), frame: false });
    this.held = [];
    this.heldLength = 0;
    this.holdingFrame = false;
  }
}
