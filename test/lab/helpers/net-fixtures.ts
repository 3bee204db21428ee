/** Small loopback TCP fixtures for link-proxy tests: a recording server and a client. */
import { createServer, connect, type Server, type Socket } from 'node:net';

/** Resolves when `predicate` holds, checking after each turn of the event loop (I/O-driven, not a sleep). */
export async function until(predicate: () => boolean, what: string, maxTurns = 20_000): Promise<void> {
  for (let i = 0; i < maxTurns; i++) {
    if (predicate()) return;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error(`gave up waiting for ${what}`);
}

export interface RecordingServer {
  port: number;
  /** Every accepted socket, in order. */
  sockets: Socket[];
  /** Bytes received per socket. */
  received: Buffer[];
  /** Which sockets saw an error or reset. */
  resets: boolean[];
  close(): Promise<void>;
}

/** Accepts connections, records what arrives and (with `echo`) writes it back. */
export async function recordingServer(options: { echo?: boolean } = {}): Promise<RecordingServer> {
  const sockets: Socket[] = [];
  const received: Buffer[] = [];
  const resets: boolean[] = [];
  const server: Server = createServer({ allowHalfOpen: true }, (socket) => {
    const index = sockets.length;
    sockets.push(socket);
    received.push(Buffer.alloc(0));
    resets.push(false);
    socket.on('data', (chunk: Buffer) => {
      received[index] = Buffer.concat([received[index]!, chunk]);
      if (options.echo) socket.write(chunk);
    });
    socket.on('end', () => socket.end());
    socket.on('error', () => (resets[index] = true));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    sockets,
    received,
    resets,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface TestClient {
  socket: Socket;
  received(): Buffer;
  reset(): boolean;
  closed(): boolean;
}

export async function testClient(port: number): Promise<TestClient> {
  const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  let data = Buffer.alloc(0);
  let wasReset = false;
  let wasClosed = false;
  socket.on('data', (chunk: Buffer) => (data = Buffer.concat([data, chunk])));
  socket.on('error', () => (wasReset = true));
  socket.on('close', () => (wasClosed = true));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return { socket, received: () => data, reset: () => wasReset, closed: () => wasClosed };
}

/** A 4-byte big-endian length prefix plus the payload. */
export function frame(payload: string | Buffer): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const head = Buffer.alloc(4);
  head.writeInt32BE(body.length, 0);
  return Buffer.concat([head, body]);
}
