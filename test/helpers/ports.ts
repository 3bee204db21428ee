import { createServer } from 'node:net';

/**
 * Free loopback ports for servers a test starts in another process (members, Apache
 * ZooKeeper, proxies). Between the check here and the server's own bind the port must stay
 * free, so it is not taken from the OS's ephemeral range (Linux 32768–60999, macOS and
 * Windows 49152–65535): every outgoing connection of every test draws its local port from
 * there, and one did take a member's peer port in that window (EADDRINUSE, CI of 22 Nov).
 * Ports come from 20000–31999 instead, each test process from its own slice of 1 000
 * (by pid), each port at most once per process, and only if it can be bound right now.
 */
const FIRST = 20_000;
const SLICE = 1_000;
const SLICES = 12;
const slice = FIRST + (process.pid % SLICES) * SLICE;
const handedOut = new Set<number>();

function canListen(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(null));
    srv.listen(port, '127.0.0.1', () => {
      const addr = srv.address();
      const bound = typeof addr === 'object' && addr ? addr.port : null;
      srv.close(() => resolve(bound));
    });
  });
}

export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = slice + Math.floor(Math.random() * SLICE);
    if (handedOut.has(port)) continue;
    if ((await canListen(port)) !== null) {
      handedOut.add(port);
      return port;
    }
  }
  // The slice is used up or busy: let the OS choose.
  const port = await canListen(0);
  if (port === null) throw new Error('no free loopback port');
  handedOut.add(port);
  return port;
}

export async function freePorts(n: number): Promise<number[]> {
  const out: number[] = [];
  while (out.length < n) out.push(await freePort());
  return out;
}
