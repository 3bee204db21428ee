/**
 * The client port: accepts sockets, enforces maxClientCnxns per client IP (excess
 * connections are closed at once, wire-protocol.md §13.2), and wraps each socket in a
 * SocketChannel. `clientPort=0` binds a free port; `port` reports the one bound.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { FlushQueue, SocketChannel, type ConnectionOptions } from './connection.js';
import type { Logger } from './log.js';

export interface ListenerOptions extends Omit<ConnectionOptions, 'flush'> {
  host: string;
  port: number;
  /** 0 = unlimited. */
  maxClientCnxns: number;
  /** Called when a connection is refused for exceeding maxClientCnxns. */
  onRejected(ip: string): void;
  log: Logger;
}

export class ClientListener {
  private readonly server: Server;
  private readonly perIp = new Map<string, number>();
  private readonly sockets = new Set<Socket>();
  private readonly flush = new FlushQueue();
  private boundPort = 0;

  constructor(private readonly opts: ListenerOptions) {
    this.server = createServer((socket) => this.accept(socket));
    this.server.on('error', (e) => opts.log.error(`client port ${opts.host}:${opts.port}: ${e.message}`));
  }

  /** Binds the port; rejects with the OS error (e.g. EADDRINUSE). */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (e: Error) => reject(e);
      this.server.once('error', onError);
      this.server.listen({ host: this.opts.host, port: this.opts.port, backlog: 511 }, () => {
        this.server.off('error', onError);
        const addr = this.server.address();
        this.boundPort = typeof addr === 'object' && addr ? addr.port : this.opts.port;
        resolve(this.boundPort);
      });
    });
  }

  get port(): number {
    return this.boundPort;
  }

  private accept(socket: Socket): void {
    const ip = (socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
    const n = (this.perIp.get(ip) ?? 0) + 1;
    if (this.opts.maxClientCnxns > 0 && n > this.opts.maxClientCnxns) {
      this.opts.log.warn(`too many connections from ${ip} - max is ${this.opts.maxClientCnxns}`);
      this.opts.onRejected(ip);
      socket.destroy();
      return;
    }
    this.perIp.set(ip, n);
    this.sockets.add(socket);
    socket.once('close', () => {
      this.sockets.delete(socket);
      const left = (this.perIp.get(ip) ?? 1) - 1;
      if (left <= 0) this.perIp.delete(ip);
      else this.perIp.set(ip, left);
    });
    new SocketChannel(socket, { ...this.opts, flush: this.flush });
  }

  /**
   * Stops accepting; existing connections stay until `destroyAll`. (net.Server's close
   * callback waits for every connection to end, so it is not awaited here.)
   */
  stopAccepting(): void {
    if (this.server.listening) this.server.close();
  }

  /** Drops every open socket (shutdown). */
  destroyAll(): void {
    for (const s of this.sockets) s.destroy();
  }

  get connectionCount(): number {
    return this.sockets.size;
  }
}
