/**
 * A TCP proxy for one ordered link: it listens on a loopback port and forwards every
 * connection it accepts to `target`. Bytes from the dialler to the target obey
 * `forward`; bytes back obey `backward` (two `LinkDirection`s, each shared with the
 * proxy of the opposite pair). No iptables, no tc: etcd's pkg/proxy idea (style.md A7).
 *
 * Connection-level rules (docs/lab.md "Link semantics"):
 * - reject in either direction: a new connection is reset right after accept (the dialler
 *   sees ECONNRESET, the closest a user-space proxy gets to a refused SYN); switching a
 *   direction to reject resets every connection carrying it.
 * - blackhole forward at accept time: the proxy does not dial the target until the link
 *   heals (the SYN is "lost"); the dialler's bytes are held meanwhile.
 * - the target refusing the dial resets the accepted socket.
 * - an abrupt close (RST) on one side is passed on unless the direction it would travel is
 *   blackholed; then it is passed on at heal.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { LinkDirection } from './link-direction.js';
import type { OpeningRewriter } from './election-handshake.js';
import { LinkPipe } from './link-pipe.js';
import type { LabTimers } from './timers.js';

export interface LinkProxyOptions {
  /** Where connections go. */
  target: { host: string; port: number };
  forward: LinkDirection;
  backward: LinkDirection;
  timers: LabTimers;
  random: () => number;
  /** Port to listen on; 0 picks a free one. A restarted lab reuses its ports. */
  listenPort?: number;
  listenHost?: string;
  holdLimitBytes?: number;
  /** Rewrites what each dialler sends first (election links: election-handshake.ts). */
  openingRewriter?: () => OpeningRewriter;
}

export class LinkProxy {
  private server: Server | null = null;
  private readonly connections = new Set<ProxiedConnection>();
  private listenPortValue = 0;
  rejectedConnections = 0;

  constructor(private readonly options: LinkProxyOptions) {}

  get port(): number {
    return this.listenPortValue;
  }
  get openConnections(): number {
    return this.connections.size;
  }
  get target(): { host: string; port: number } {
    return this.options.target;
  }

  /** Starts listening (on `port` when given, else the configured one); resolves with the bound port. */
  async start(port = this.options.listenPort ?? 0): Promise<number> {
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.options.listenHost ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    this.listenPortValue = typeof address === 'object' && address ? address.port : 0;
    return this.listenPortValue;
  }

  /** Redirects future connections (a member restarted on another port); existing ones are reset. */
  retarget(target: { host: string; port: number }): void {
    this.options.target = target;
    for (const c of [...this.connections]) c.reset();
  }

  /** Resets every connection without closing the listener. */
  resetAll(): void {
    for (const c of [...this.connections]) c.reset();
  }

  async close(): Promise<void> {
    for (const c of [...this.connections]) c.reset();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    const { forward, backward } = this.options;
    if (forward.settings.mode === 'reject' || backward.settings.mode === 'reject') {
      this.rejectedConnections++;
      resetSocket(socket);
      return;
    }
    const connection = new ProxiedConnection(socket, this.options, () => this.connections.delete(connection));
    this.connections.add(connection);
  }
}

/** One accepted connection and the one it dialled, with a pipe each way. */
class ProxiedConnection {
  private target: Socket | null = null;
  private readonly forwardPipe: LinkPipe;
  private readonly backwardPipe: LinkPipe;
  private readonly unsubscribe: (() => void)[] = [];
  private closed = false;
  private sourceSentEnd = false;
  private targetSentEnd = false;
  /** An abrupt close seen on one side while the direction towards the other was cut. */
  private pendingReset = false;

  constructor(
    private readonly source: Socket,
    private readonly options: LinkProxyOptions,
    private readonly onClosed: () => void,
  ) {
    const { forward, backward, timers, random, holdLimitBytes } = options;
    const pipeOptions = { timers, random, holdLimitBytes };
    this.forwardPipe = new LinkPipe(forward, null, this.hooks('forward'), pipeOptions);
    this.backwardPipe = new LinkPipe(backward, sinkOf(source), this.hooks('backward'), pipeOptions);
    forward.connections++;
    backward.connections++;
    this.unsubscribe.push(forward.onChange(() => this.directionChanged(this.forwardPipe)));
    this.unsubscribe.push(backward.onChange(() => this.directionChanged(this.backwardPipe)));

    source.setNoDelay(true);
    const opening = options.openingRewriter?.();
    source.on('data', (chunk: Buffer) => {
      for (const bytes of opening ? opening.push(chunk) : [chunk]) this.forwardPipe.push(bytes);
    });
    source.on('end', () => {
      this.sourceSentEnd = true;
      for (const bytes of opening?.flush() ?? []) this.forwardPipe.push(bytes);
      this.forwardPipe.end();
    });
    source.on('error', () => {});
    source.on('close', () => this.sideClosed(this.sourceSentEnd, forward));
    source.resume();
    if (forward.settings.mode !== 'blackhole') this.dial();
  }

  reset(): void {
    if (this.closed) return;
    resetSocket(this.source);
    if (this.target) resetSocket(this.target);
    this.cleanup();
  }

  private hooks(which: 'forward' | 'backward') {
    return {
      pauseSource: () => {
        const reader = which === 'forward' ? this.source : this.target;
        const writer = which === 'forward' ? this.target : this.source;
        if (!reader || !writer) return;
        reader.pause();
        writer.once('drain', () => reader.resume());
      },
      poisoned: () => {},
      ended: () => {
        if (this.forwardPipe.ended && this.backwardPipe.ended) {
          this.source.destroy();
          this.target?.destroy();
          this.cleanup();
        }
      },
    };
  }

  private dial(): void {
    if (this.target || this.closed) return;
    const target = connect({ ...this.options.target, allowHalfOpen: true });
    this.target = target;
    target.setNoDelay(true);
    target.on('data', (chunk: Buffer) => this.backwardPipe.push(chunk));
    target.on('end', () => {
      this.targetSentEnd = true;
      this.backwardPipe.end();
    });
    target.on('error', () => {});
    target.on('close', () => this.sideClosed(this.targetSentEnd, this.options.backward));
    this.forwardPipe.attach(sinkOf(target));
  }

  private directionChanged(pipe: LinkPipe): void {
    if (this.closed) return;
    const { forward, backward } = this.options;
    if (forward.settings.mode === 'reject' || backward.settings.mode === 'reject') return this.reset();
    const healed = forward.settings.mode !== 'blackhole' && backward.settings.mode !== 'blackhole';
    if (healed && (this.pendingReset || this.forwardPipe.poisoned || this.backwardPipe.poisoned)) return this.reset();
    if (pipe === this.forwardPipe && forward.settings.mode !== 'blackhole') this.dial();
    pipe.settingsChanged();
  }

  /**
   * One socket closed. After a clean FIN the other direction may still be draining, so
   * nothing happens; an abrupt close resets the other side, unless the direction it would
   * travel in is cut (then the news waits for the heal).
   */
  private sideClosed(sentEnd: boolean, directionFromIt: LinkDirection): void {
    if (this.closed || sentEnd) return;
    if (directionFromIt.settings.mode === 'blackhole') {
      this.pendingReset = true;
      return;
    }
    this.reset();
  }

  private cleanup(): void {
    if (this.closed) return;
    this.closed = true;
    this.forwardPipe.dispose();
    this.backwardPipe.dispose();
    for (const u of this.unsubscribe) u();
    this.options.forward.connections--;
    this.options.backward.connections--;
    this.onClosed();
  }
}

function sinkOf(socket: Socket) {
  return {
    write: (bytes: Buffer) => (socket.destroyed ? true : socket.write(bytes)),
    end: () => {
      if (!socket.destroyed) socket.end();
    },
  };
}

function resetSocket(socket: Socket): void {
  if (socket.destroyed) return;
  // resetAndDestroy sends RST (Node ≥ 18.3); a socket not yet connected can only be destroyed.
  if (typeof socket.resetAndDestroy === 'function' && !socket.connecting) socket.resetAndDestroy();
  else socket.destroy();
}
