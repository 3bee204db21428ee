/**
 * A loopback TCP proxy for tests: forwards every connection to a target port, can drop
 * all current connections (forcing clients to reconnect, as a network blip would), and
 * can rewrite server→client frames (4-byte length + payload, wire-protocol.md §1) to
 * simulate a server that answers differently.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { FrameDecoder } from '../../engine/src/jute/index.js';

export interface TcpProxyOptions {
  /**
   * Rewrites one server→client frame payload. `index` counts frames on that connection
   * (0 is the ConnectResponse). Return the new payload, or null to pass it unchanged.
   */
  transformServerFrame?: (payload: Buffer, index: number) => Buffer | null;
}

export interface TcpProxy {
  port: number;
  /** Connections accepted so far. */
  accepted(): number;
  /** Destroys every open client and upstream socket; new connections are still accepted. */
  dropAll(): void;
  /** While blocked, new connections are closed at once (the server looks unreachable). */
  setBlocked(blocked: boolean): void;
  close(): Promise<void>;
}

export function startTcpProxy(targetPort: number, opts: TcpProxyOptions = {}, host = '127.0.0.1'): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let accepted = 0;
  let blocked = false;
  const server: Server = createServer((client) => {
    if (blocked) {
      client.destroy();
      return;
    }
    accepted++;
    const upstream = connect(targetPort, host);
    open.add(client);
    open.add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
    client.pipe(upstream);
    if (!opts.transformServerFrame) {
      upstream.pipe(client);
      return;
    }
    const transform = opts.transformServerFrame;
    const decoder = new FrameDecoder(0x7fffffff);
    let index = 0;
    upstream.on('data', (chunk: Buffer) => {
      for (const payload of decoder.push(chunk)) {
        const out = transform(payload, index++) ?? payload;
        const len = Buffer.alloc(4);
        len.writeInt32BE(out.length);
        client.write(Buffer.concat([len, out]));
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      resolve({
        port,
        accepted: () => accepted,
        setBlocked: (b) => void (blocked = b),
        dropAll: () => {
          for (const s of open) s.destroy();
          open.clear();
        },
        close: () =>
          new Promise<void>((r) => {
            for (const s of open) s.destroy();
            open.clear();
            server.close(() => r());
          }),
      });
    });
  });
}
