/**
 * One client socket (node:net): framing, four-letter words, batched writes and
 * backpressure. It knows nothing about sessions or requests; the server attaches a
 * `ChannelHandler` that gets whole frames.
 *
 * - The first 4 bytes of a connection may be a four-letter word (wire-protocol.md §1):
 *   answered, then the socket is closed. Otherwise every byte goes through the framer.
 * - Bad framing (negative length, a length over jute.maxbuffer, or an unknown word, which
 *   reads as a huge length) closes this connection only, with one log line (§1).
 * - Frames produced during one event-loop turn go out in a single write per connection
 *   (the FlushQueue runs once per turn, in setImmediate).
 * - Reading pauses while the handshake is pending, while unsent output is above the high
 *   water mark (resumed on 'drain'), or while the request backlog is too long.
 * - A connection that sends no whole first frame (ConnectRequest or four-letter word)
 *   within `sessionlessTimeoutMs` is dropped, as ZooKeeper's NIO factory drops
 *   sessionless connections (zookeeper.nio.sessionlessCnxnTimeout, 10 s).
 */
import type { Socket } from 'node:net';
import { FrameDecoder, FrameError } from '../jute/framing.js';
import { OutputBuffer } from './output-buffer.js';
import { PauseReason, type ChannelHandler, type ClientChannel } from './client-channel.js';
import { asFourLetterWord } from './four-letter-words.js';
import type { Logger } from './log.js';

/** Writes every dirty channel once per event-loop turn. */
export class FlushQueue {
  private dirty: SocketChannel[] = [];
  private scheduled = false;

  add(ch: SocketChannel): void {
    this.dirty.push(ch);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.run);
    }
  }

  private readonly run = (): void => {
    this.scheduled = false;
    const list = this.dirty;
    this.dirty = [];
    for (const ch of list) ch.flushNow();
  };
}

export interface ConnectionOptions {
  maxBuffer: number;
  outputHighWaterBytes: number;
  flush: FlushQueue;
  log: Logger;
  /** Answers a four-letter word (`extra`: the 8-byte argument of stmk). */
  fourLetterWord(word: string, channel: ClientChannel, extra: Buffer | null): string;
  /** Called once the connection is known not to be a four-letter word. */
  attach(channel: ClientChannel): ChannelHandler;
  /** Drop connections that have not sent their first frame after this long (default 10 s). */
  sessionlessTimeoutMs?: number;
  /** Told when a connection is dropped for sending nothing usable in time. */
  onSessionlessExpired?: () => void;
}

function formatRemote(socket: Socket): { remote: string; ip: string } {
  const ip = (socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
  return { remote: `/${ip}:${socket.remotePort ?? 0}`, ip };
}

export class SocketChannel implements ClientChannel {
  readonly remote: string;
  readonly remoteIp: string;
  readonly out = new OutputBuffer();
  isClosed = false;
  private readonly decoder: FrameDecoder;
  private handler: ChannelHandler | null = null;
  /** Bytes received before we know whether this is a four-letter word. */
  private head: Buffer | null = Buffer.alloc(0);
  private paused = 0;
  private queuedForFlush = false;
  private closeAfterFlush = false;
  private word: string | null = null;
  private firstFrameTimer: NodeJS.Timeout | null;

  constructor(
    private readonly socket: Socket,
    private readonly opts: ConnectionOptions,
  ) {
    const r = formatRemote(socket);
    this.remote = r.remote;
    this.remoteIp = r.ip;
    this.decoder = new FrameDecoder(opts.maxBuffer);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (e: NodeJS.ErrnoException) => this.opts.log.debug(`connection ${this.remote}: ${e.code ?? e.message}`));
    socket.on('close', () => this.onClose());
    socket.on('drain', () => this.resume(PauseReason.Output));
    this.firstFrameTimer = setTimeout(() => {
      this.opts.log.info(`closing connection ${this.remote}: nothing usable received within ${this.opts.sessionlessTimeoutMs ?? 10_000} ms`);
      this.opts.onSessionlessExpired?.();
      this.destroy();
    }, opts.sessionlessTimeoutMs ?? 10_000);
    this.firstFrameTimer.unref();
  }

  private firstFrameArrived(): void {
    if (this.firstFrameTimer === null) return;
    clearTimeout(this.firstFrameTimer);
    this.firstFrameTimer = null;
  }

  private onData(chunk: Buffer): void {
    if (this.isClosed) return;
    if (this.head !== null) {
      this.head = this.head.length === 0 ? chunk : Buffer.concat([this.head, chunk]);
      if (this.word !== null) return this.maybeAnswerStmk();
      if (this.head.length < 4) return;
      const word = asFourLetterWord(this.head);
      if (word !== null) return this.answerWord(word);
      chunk = this.head;
      this.head = null;
      this.handler = this.opts.attach(this);
    }
    let frames: Buffer[];
    try {
      frames = this.decoder.push(chunk);
    } catch (e) {
      if (!(e instanceof FrameError)) throw e;
      this.opts.log.warn(`closing connection ${this.remote}: ${e.message}`);
      return this.destroy();
    }
    if (frames.length > 0) this.firstFrameArrived();
    for (const frame of frames) {
      if (this.isClosed) return;
      this.handler!.frame(frame);
    }
  }

  /** Four-letter word: answer, flush, close (§1, §16). stmk needs its 8-byte argument first. */
  private answerWord(word: string): void {
    this.word = word;
    this.firstFrameArrived();
    this.socket.pause();
    if (word === 'stmk') {
      this.socket.resume();
      return this.maybeAnswerStmk();
    }
    this.finishWord(null);
  }

  private maybeAnswerStmk(): void {
    if (this.head!.length < 12) return;
    this.socket.pause();
    this.finishWord(this.head!.subarray(4, 12));
  }

  private finishWord(extra: Buffer | null): void {
    let answer: string;
    try {
      answer = this.opts.fourLetterWord(this.word!, this, extra);
    } catch (e) {
      this.opts.log.error(`four-letter word ${this.word} failed: ${(e as Error).stack ?? e}`);
      answer = '';
    }
    this.isClosed = true;
    this.socket.end(answer);
  }

  flushSoon(): void {
    if (this.queuedForFlush || this.isClosed) return;
    this.queuedForFlush = true;
    this.opts.flush.add(this);
  }

  /** Writes everything buffered now (FlushQueue calls this once per turn). */
  flushNow(): void {
    this.queuedForFlush = false;
    const bytes = this.out.take();
    if (bytes !== null && !this.socket.destroyed) {
      this.socket.write(bytes);
      if (this.socket.writableLength > this.opts.outputHighWaterBytes) this.pause(PauseReason.Output);
    }
    if (this.closeAfterFlush) {
      this.closeAfterFlush = false;
      this.socket.end();
    }
  }

  close(reason: string): void {
    if (this.isClosed) return;
    this.opts.log.debug(`closing connection ${this.remote}: ${reason}`);
    this.isClosed = true;
    this.closeAfterFlush = true;
    // Flush through the queue so replies written this turn still go out first.
    this.queuedForFlush = false;
    this.opts.flush.add(this);
    this.notifyClosed();
  }

  /** Drops the connection without flushing (bad input). */
  destroy(): void {
    this.isClosed = true;
    this.socket.destroy();
    this.notifyClosed();
  }

  pause(reason: PauseReason): void {
    if (this.paused === 0) this.socket.pause();
    this.paused |= reason;
  }

  resume(reason: PauseReason): void {
    if ((this.paused & reason) === 0) return;
    this.paused &= ~reason;
    if (this.paused === 0 && !this.isClosed) this.socket.resume();
  }

  interestOps(): number {
    if (this.word !== null) return 0;
    return (this.paused === 0 ? 1 : 0) | (this.socket.writableLength > 0 ? 4 : 0);
  }

  private onClose(): void {
    if (!this.isClosed && this.decoder.buffered > 0) {
      this.opts.log.info(`connection ${this.remote} closed by the client in the middle of a frame`);
    }
    this.isClosed = true;
    this.notifyClosed();
  }

  private notifyClosed(): void {
    this.firstFrameArrived();
    const h = this.handler;
    this.handler = null;
    h?.closed();
  }
}
