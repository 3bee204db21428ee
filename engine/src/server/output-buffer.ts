/**
 * A connection's unsent frames, encoded back to back into one growing buffer. Replies and
 * notifications produced while one batch of input (or one batch of applied transactions)
 * is handled go out as a single socket write: `take()` hands the bytes over and starts a
 * fresh buffer, so nothing is copied or shared after the hand-off.
 */
import { JuteWriter } from '../jute/writer.js';

const MIN_SIZE = 1024;

export class OutputBuffer {
  private w = new JuteWriter(MIN_SIZE);
  private frameAt = -1;
  /** Frames completed since the last `take()`. */
  frames = 0;

  /** Starts a frame; write its payload to the returned writer, then call `end()`. */
  begin(): JuteWriter {
    this.frameAt = this.w.offset;
    this.w.int(0);
    return this.w;
  }

  /** Back-fills the length of the frame started by `begin()`. */
  end(): void {
    this.w.patchInt(this.frameAt, this.w.offset - this.frameAt - 4);
    this.frameAt = -1;
    this.frames++;
  }

  /** Drops a frame begun but not finished (an encoder threw half-way). */
  abort(): void {
    if (this.frameAt >= 0) this.w.offset = this.frameAt;
    this.frameAt = -1;
  }

  get byteLength(): number {
    return this.w.offset;
  }

  /** The encoded bytes (ownership passes to the caller), or null when empty. */
  take(): Buffer | null {
    if (this.w.offset === 0) return null;
    const bytes = this.w.toBuffer();
    // Start the next batch at a size that would have fit this one, within reason.
    this.w = new JuteWriter(Math.min(Math.max(MIN_SIZE, bytes.length), 64 * 1024));
    this.frames = 0;
    return bytes;
  }
}
