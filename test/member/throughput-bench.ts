/**
 * Throughput of one member vs Apache ZooKeeper 3.8 standalone (the benchmark:
 * 4 sessions × 100 requests in flight; reads = getData of a 100-byte node, writes =
 * setData of 100 bytes). A figure, not a test:
 *
 *   node <build>/test/member/throughput-bench.js [--seconds 5] [--rounds 2] [--only zoolab|apache]
 *   node <build>/test/member/throughput-bench.js --port 2181   (a server already running)
 *   --kinds read,write (default) | read | write
 *
 * The load generator is deliberately lean (pre-encoded frames, replies counted by length
 * prefix, one write per socket per turn) so it is not the bottleneck on a small machine.
 * One server runs at a time (started fresh for each round); rounds alternate the order
 * to spread out noise from other processes.
 */
import { connect, type Socket } from 'node:net';
import { startZooLabServer } from '../helpers/zoolab-server.js';
import { startApacheZk } from '../helpers/apache-zk.js';
import { ConnectRequest, CreateRequest, GetDataRequest, OpCode, SetDataRequest, JuteWriter } from '../../engine/src/jute/index.js';

const SESSIONS = 4;
const IN_FLIGHT = 100;
const PATH = '/bench';
const DATA = Buffer.alloc(100, 0x61);

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : fallback;
}

function frame(payload: Buffer): Buffer {
  return new JuteWriter(payload.length + 4).int(payload.length).raw(payload).toBuffer();
}

function request(xid: number, op: number, body: Buffer): Buffer {
  return frame(Buffer.concat([new JuteWriter(8).int(xid).int(op).toBuffer(), body]));
}

/** One session: handshake, then keeps IN_FLIGHT requests outstanding until stopped. */
class Session {
  private socket!: Socket;
  private pending = Buffer.alloc(0);
  private connected = false;
  completed = 0;
  errors = 0;
  /** Reply frame lengths seen (a read of the same node must always be the same size). */
  readonly sizes = new Set<number>();
  private running = false;
  private outstanding = 0;

  constructor(
    private readonly port: number,
    private readonly req: Buffer,
  ) {}

  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket = connect(this.port, '127.0.0.1', () => {
        this.socket.setNoDelay(true);
        this.socket.write(
          frame(ConnectRequest.encode({ protocolVersion: 0, lastZxidSeen: 0n, timeOut: 30000, sessionId: 0n, passwd: Buffer.alloc(16), readOnly: false })),
        );
      });
      this.socket.on('error', reject);
      this.socket.on('data', (chunk: Buffer) => {
        const frames = this.frames(chunk);
        if (!this.connected && frames > 0) {
          this.connected = true;
          resolve();
          return;
        }
        this.onReplies(frames);
      });
    });
  }

  /** Counts whole frames in the stream (and checks error codes of replies). */
  private frames(chunk: Buffer): number {
    let buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    let n = 0;
    let at = 0;
    while (buf.length - at >= 4) {
      const len = buf.readInt32BE(at);
      if (buf.length - at - 4 < len) break;
      if (this.connected) {
        if (buf.readInt32BE(at + 16) !== 0) this.errors++;
        this.sizes.add(len);
      }
      at += 4 + len;
      n++;
    }
    this.pending = at === buf.length ? Buffer.alloc(0) : Buffer.from(buf.subarray(at));
    return n;
  }

  private onReplies(n: number): void {
    this.completed += n;
    this.outstanding -= n;
    if (!this.running) return;
    const more = IN_FLIGHT - this.outstanding;
    if (more > 0) this.send(more);
  }

  private send(n: number): void {
    this.outstanding += n;
    this.socket.write(n === 1 ? this.req : Buffer.concat(Array(n).fill(this.req)));
  }

  start(): void {
    this.running = true;
    this.send(IN_FLIGHT);
  }

  stop(): void {
    this.running = false;
  }

  close(): void {
    this.socket.destroy();
  }
}

async function setup(port: number): Promise<void> {
  const s = new Session(port, request(1, OpCode.create, CreateRequest.encode({ path: PATH, data: DATA, acl: [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }], flags: 0 })));
  await s.open();
  s.start();
  s.stop();
  await new Promise<void>((r) => {
    const t = setInterval(() => {
      if (s.completed > 0) {
        clearInterval(t);
        r();
      }
    }, 5);
  });
  s.close();
}

async function measure(port: number, kind: 'read' | 'write', seconds: number): Promise<number> {
  const req =
    kind === 'read'
      ? request(7, OpCode.getData, GetDataRequest.encode({ path: PATH, watch: false }))
      : request(7, OpCode.setData, SetDataRequest.encode({ path: PATH, data: DATA, version: -1 }));
  const sessions = Array.from({ length: SESSIONS }, () => new Session(port, req));
  await Promise.all(sessions.map((s) => s.open()));
  // Warm up for a second, then count.
  sessions.forEach((s) => s.start());
  await new Promise((r) => setTimeout(r, 1000));
  const base = sessions.reduce((n, s) => n + s.completed, 0);
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const done = sessions.reduce((n, s) => n + s.completed, 0) - base;
  const elapsed = (performance.now() - t0) / 1000;
  sessions.forEach((s) => s.stop());
  const errors = sessions.reduce((n, s) => n + s.errors, 0);
  const sizes = new Set(sessions.flatMap((s) => [...s.sizes]));
  // getData of /bench: header 16 + data 4+100 + Stat 68; setData: header 16 + Stat 68.
  const expected = kind === 'read' ? 188 : 84;
  if (sizes.size !== 1 || !sizes.has(expected)) throw new Error(`unexpected reply sizes ${[...sizes]} during the ${kind} run`);
  sessions.forEach((s) => s.close());
  if (errors > 0) throw new Error(`${errors} error replies during the ${kind} run`);
  return done / elapsed;
}

interface Target {
  name: string;
  /** Starts a fresh server and returns its port and how to stop it. */
  start(): Promise<{ port: number; stop(): Promise<void> }>;
}

async function main(): Promise<void> {
  const seconds = Number(arg('seconds', '5'));
  const rounds = Number(arg('rounds', '2'));
  const only = arg('only', '');
  const kinds = arg('kinds', 'read,write').split(',') as ('read' | 'write')[];
  const givenPort = Number(arg('port', '0'));
  const targets: Target[] = [];
  if (givenPort > 0) {
    // An already running server (e.g. one being profiled).
    targets.push({ name: 'given', start: async () => ({ port: givenPort, stop: async () => {} }) });
  } else {
    if (only !== 'apache') {
      targets.push({
        name: 'zoolab',
        start: async () => {
          const z = await startZooLabServer({});
          return { port: z.port, stop: () => z.stop() };
        },
      });
    }
    if (only !== 'zoolab') {
      targets.push({
        name: 'apache',
        start: async () => {
          const a = await startApacheZk({});
          return { port: a.members[0]!.clientPort, stop: () => a.stop() };
        },
      });
    }
  }
  // One server runs at a time, so neither competes with the other for the CPU.
  const results: Record<string, Record<string, number[]>> = {};
  for (let r = 0; r < rounds; r++) {
    for (const t of r % 2 === 0 ? targets : [...targets].reverse()) {
      const server = await t.start();
      try {
        if (r === 0 || givenPort === 0) await setup(server.port).catch(() => undefined);
        for (const kind of kinds) {
          const ops = await measure(server.port, kind, seconds);
          ((results[t.name] ??= {})[kind] ??= []).push(ops);
          console.log(`round ${r + 1} ${t.name.padEnd(6)} ${kind.padEnd(5)} ${Math.round(ops)} ops/s`);
        }
      } finally {
        await server.stop();
      }
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  for (const kind of kinds) {
    const line = Object.entries(results).map(([name, r]) => `${name} ${Math.round(median(r[kind]!))}`);
    const z = results.zoolab?.[kind];
    const a = results.apache?.[kind];
    const ratio = z && a ? ` ratio ${(median(z) / median(a)).toFixed(2)}` : '';
    console.log(`${kind}: ${line.join(', ')} ops/s (median)${ratio}`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
