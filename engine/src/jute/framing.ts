/**
 * Incremental framing of the client protocol (wire-protocol.md §1): a 4-byte big-endian
 * signed length, then that many bytes. Whole frames are sliced without copying; only a
 * frame split across chunks is assembled. An oversized or negative length is refused
 * before anything is allocated for it.
 */
import { JuteWriter } from './writer.js';

export class FrameError extends Error {
  constructor(readonly length: number, readonly maxLength: number) {
    super(
      length < 0
        ? `negative frame length ${length}`
        : `frame length ${length} exceeds jute.maxbuffer ${maxLength}`,
    );
    this.name = 'FrameError';
  }
}

export class FrameDecoder {
  private pending: Buffer | null = null;

  constructor(readonly maxLength: number) {}

  /** Bytes buffered but not yet part of a whole frame. */
  get buffered(): number {
    return this.pending?.length ?? 0;
  }

  /**
   * Feeds a chunk and returns the frames it completes (payloads, without the length).
   * Throws FrameError on a bad length; the connection must then be closed.
   */
  push(chunk: Buffer): Buffer[] {
    let buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    const frames: Buffer[] = [];
    let at = 0;
    while (buf.length - at >= 4) {
      const n = buf.readInt32BE(at);
      if (n < 0 || n > this.maxLength) throw new FrameError(n, this.maxLength);
      if (buf.length - at - 4 < n) break;
      frames.push(buf.subarray(at + 4, at + 4 + n));
      at += 4 + n;
    }
    this.pending = at === buf.length ? null : Buffer.from(buf.subarray(at));
    return frames;
  }

  /** Takes the raw bytes not yet consumed (used when a connection changes how it reads). */
  drain(): Buffer | null {
    const p = this.pending;
    this.pending = null;
    return p;
  }
}

/** Starts a frame: call `finishFrame` after writing the payload. */
export function startFrame(w: JuteWriter = new JuteWriter()): JuteWriter {
  w.int(0);
  return w;
}

/** Back-fills the length of a frame started at offset 0 and returns its bytes. */
export function finishFrame(w: JuteWriter): Buffer {
  w.patchInt(0, w.offset - 4);
  return w.toBuffer();
}
