/**
 * One flow of bytes through a link proxy: from the socket that sent them to the socket
 * that should receive them, obeying one `LinkDirection` (docs/lab.md "Link semantics").
 *
 * - pass: units are forwarded, after `delayMs ± jitterMs` when set. Delivery order is
 *   always kept (TCP is a stream): a unit never overtakes the one before it.
 * - loss: each whole frame is dropped with probability `lossPercent` (the stream is split
 *   on its 4-byte length prefixes, see frame-splitter.ts). Raw (unframed) bytes are never
 *   dropped, since dropping part of a stream would corrupt everything after it. A frame
 *   held for judging that does not complete within `frameStallMs` means the stream is not
 *   framed after all: framing is abandoned for that connection and the bytes pass.
 * - blackhole: units are held, as TCP would keep retransmitting into a cut cable, up to
 *   `holdLimitBytes`. Past that the flow is "poisoned": further bytes are discarded and the
 *   connection is reset when the link heals (a stream with a hole in it is worthless).
 *   On heal, held units are delivered in order.
 * - reject: the proxy resets the connection (link-proxy.ts); a pipe that still sees bytes
 *   discards them.
 */
import { FrameSplitter, type StreamUnit } from './frame-splitter.js';
import type { LinkDirection } from './link-direction.js';
import type { LabTimers, TimerHandle } from './timers.js';

export const DEFAULT_HOLD_LIMIT_BYTES = 4 * 1024 * 1024;
/** A real frame arrives in one burst; a held "frame" still incomplete after this was a misread. */
export const DEFAULT_FRAME_STALL_MS = 1000;

export interface PipeSink {
  /** Returns false when the receiver's buffer is full (the pipe then asks the source to pause). */
  write(bytes: Buffer): boolean;
  end(): void;
}

export interface PipeHooks {
  /** The sink is full: stop reading the source until `resumeSource`. */
  pauseSource(): void;
  /** The flow lost bytes during a blackhole; the owner resets the connection at heal. */
  poisoned(): void;
  /** The end of the stream was delivered to the sink. */
  ended(): void;
}

export interface PipeOptions {
  timers: LabTimers;
  random: () => number;
  holdLimitBytes?: number;
  frameStallMs?: number;
}

type Queued = { at: number; unit: StreamUnit | 'end' };

export class LinkPipe {
  private readonly splitter = new FrameSplitter();
  private held: (StreamUnit | 'end')[] = [];
  private heldBytes = 0;
  private isPoisoned = false;
  private readonly queue: Queued[] = [];
  private timer: TimerHandle | null = null;
  private stallTimer: TimerHandle | null = null;
  /** Bytes this pipe has read (progress marker for the stall check). */
  private received = 0;
  private lastReleaseAt = 0;
  private finished = false;

  constructor(
    private readonly direction: LinkDirection,
    private sink: PipeSink | null,
    private readonly hooks: PipeHooks,
    private readonly options: PipeOptions,
  ) {}

  get poisoned(): boolean {
    return this.isPoisoned;
  }
  /** Units held by a blackhole plus units waiting out a delay. */
  get waiting(): number {
    return this.held.length + this.queue.length;
  }
  /** True once the end of the stream was delivered to the sink. */
  get ended(): boolean {
    return this.finished;
  }

  /** Attaches the receiving socket (a proxy dials late while the forward direction is cut). */
  attach(sink: PipeSink): void {
    this.sink = sink;
    this.pump();
  }

  /** Bytes arrived from the source. */
  push(chunk: Buffer): void {
    this.direction.bytesReceived += chunk.length;
    this.received += chunk.length;
    for (const unit of this.splitter.push(chunk, this.direction.settings.lossPercent > 0)) this.admit(unit);
    this.watchForStall();
  }

  /** The source finished sending (FIN). */
  end(): void {
    // A frame cut off by the end of the stream will never complete: it goes on as it is.
    if (this.splitter.buffered > 0) for (const unit of this.splitter.abandon()) this.admit(unit);
    this.admit('end');
  }

  /** The direction's settings changed: a healed blackhole releases what it held. */
  settingsChanged(): void {
    if (this.direction.settings.mode !== 'blackhole' && this.held.length > 0) {
      const held = this.held;
      this.held = [];
      this.heldBytes = 0;
      for (const unit of held) this.admit(unit);
    }
    // Loss switched off: a frame held for judging goes on as it is.
    if (this.direction.settings.lossPercent === 0) for (const unit of this.splitter.push(Buffer.alloc(0), false)) this.admit(unit);
  }

  /** Stops all timers; nothing more is delivered. */
  dispose(): void {
    if (this.timer) this.options.timers.clearTimeout(this.timer);
    if (this.stallTimer) this.options.timers.clearTimeout(this.stallTimer);
    this.timer = null;
    this.stallTimer = null;
    this.queue.length = 0;
    this.held = [];
  }

  /** A held frame must complete soon; otherwise the stream was never framed (see header). */
  private watchForStall(): void {
    if (this.stallTimer || this.splitter.buffered === 0) return;
    const before = this.received;
    this.stallTimer = this.options.timers.setTimeout(() => {
      this.stallTimer = null;
      if (this.splitter.buffered === 0) return;
      if (this.received !== before) return this.watchForStall();
      for (const unit of this.splitter.abandon()) this.admit(unit);
    }, this.options.frameStallMs ?? DEFAULT_FRAME_STALL_MS);
  }

  private admit(unit: StreamUnit | 'end'): void {
    const settings = this.direction.settings;
    if (this.isPoisoned || settings.mode === 'reject') {
      if (unit !== 'end') this.direction.bytesDropped += unit.bytes.length;
      return;
    }
    if (settings.mode === 'blackhole') return this.hold(unit);
    if (unit !== 'end' && unit.frame && settings.lossPercent > 0 && this.options.random() * 100 < settings.lossPercent) {
      this.direction.bytesDropped += unit.bytes.length;
      return;
    }
    this.schedule(unit);
  }

  private hold(unit: StreamUnit | 'end'): void {
    const limit = this.options.holdLimitBytes ?? DEFAULT_HOLD_LIMIT_BYTES;
    if (unit !== 'end' && this.heldBytes + unit.bytes.length > limit) {
      this.isPoisoned = true;
      this.direction.bytesDropped += this.heldBytes + unit.bytes.length;
      this.held = [];
      this.heldBytes = 0;
      this.hooks.poisoned();
      return;
    }
    this.held.push(unit);
    if (unit !== 'end') this.heldBytes += unit.bytes.length;
  }

  private schedule(unit: StreamUnit | 'end'): void {
    const { delayMs, jitterMs } = this.direction.settings;
    const now = this.options.timers.now();
    let at = now;
    if (delayMs > 0 || jitterMs > 0) {
      const jitter = jitterMs > 0 ? (this.options.random() * 2 - 1) * jitterMs : 0;
      at = now + Math.max(0, delayMs + jitter);
    }
    // Keep FIFO order: never release before the unit queued ahead of this one.
    at = Math.max(at, this.lastReleaseAt);
    this.lastReleaseAt = at;
    this.queue.push({ at, unit });
    this.pump();
  }

  private pump(): void {
    if (!this.sink) return;
    const now = this.options.timers.now();
    while (this.queue.length > 0 && this.queue[0]!.at <= now) {
      const { unit } = this.queue.shift()!;
      if (unit === 'end') {
        this.finished = true;
        this.sink.end();
        this.hooks.ended();
        continue;
      }
      this.direction.bytesForwarded += unit.bytes.length;
      if (!this.sink.write(unit.bytes)) this.hooks.pauseSource();
    }
    this.arm(now);
  }

  private arm(now: number): void {
    if (this.timer || this.queue.length === 0) return;
    this.timer = this.options.timers.setTimeout(() => {
      this.timer = null;
      this.pump();
    }, this.queue[0]!.at - now);
  }
}
