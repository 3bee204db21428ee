/**
 * Shared pieces of the client test suites: the server-under-test factory shape, event
 * collectors that let a test await the next watch event or state instead of sleeping,
 * and a per-test fixture that closes every client it opened.
 */
import { connect } from 'node:net';
import { PassThrough, type Duplex } from 'node:stream';
import { ZkClient, type SessionState, type SocketFactory, type WatchedEvent, type Watcher, type ZkClientOptions } from '../../engine/src/client/index.js';

export interface ServerUnderTest {
  /** `127.0.0.1:port[,...]` of the running server(s). */
  connectString: string;
  /** Client ports, one per member. */
  ports: number[];
  /**
   * An ensemble run that spreads clients over its members: the connect string of the i-th
   * client (the suite's admin client is 0). Absent: every client uses `connectString`.
   */
  spread?(i: number): string;
  stop(): Promise<void>;
}

export interface ServerStartOptions {
  tickTime?: number;
}

export interface ServerTarget {
  /** Shown in test names: 'apache-zk-3.8', 'zoolab'. */
  name: string;
  /** A reason to skip the whole suite (naming the missing piece), or false. */
  skip: string | false;
  start(opts: ServerStartOptions): Promise<ServerUnderTest>;
}

/** Collects events delivered to `watcher` and lets the test await them in order. */
export class EventQueue<T = WatchedEvent> {
  private readonly items: T[] = [];
  private readonly waiters: Array<(v: T) => void> = [];
  readonly all: T[] = [];

  readonly push = (v: T): void => {
    this.all.push(v);
    const w = this.waiters.shift();
    if (w) w(v);
    else this.items.push(v);
  };

  /** A watcher function that pushes into this queue. */
  get watcher(): Watcher {
    return this.push as unknown as Watcher;
  }

  next(timeoutMs = 10_000): Promise<T> {
    const v = this.items.shift();
    if (v !== undefined) return Promise.resolve(v);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(done);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new Error(`no event within ${timeoutMs} ms (seen: ${JSON.stringify(this.all)})`));
      }, timeoutMs);
      const done = (x: T) => {
        clearTimeout(timer);
        resolve(x);
      };
      this.waiters.push(done);
    });
  }

  /** Events received but not yet taken with next(). */
  get pending(): readonly T[] {
    return this.items;
  }
}

/** Resolves when the client reaches `state` (or rejects after a timeout, naming the states seen). */
export function waitForState(zk: ZkClient, state: SessionState, timeoutMs = 20_000): Promise<void> {
  if (zk.state === state) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const seen: SessionState[] = [];
    const on = (s: SessionState) => {
      seen.push(s);
      if (s === state) {
        clearTimeout(timer);
        zk.off('state', on);
        resolve();
      }
    };
    const timer = setTimeout(() => {
      zk.off('state', on);
      reject(new Error(`state ${state} not reached within ${timeoutMs} ms (seen ${seen.join(' → ') || 'nothing'}, now ${zk.state})`));
    }, timeoutMs);
    zk.on('state', on);
  });
}

/** Records every state change of a client. */
export function recordStates(zk: ZkClient): SessionState[] {
  const out: SessionState[] = [];
  zk.on('state', (s) => out.push(s));
  return out;
}

/** A socket factory that connects once; every later attempt fails at once, so the client cannot reconnect. */
export function oneConnectionOnly(): SocketFactory {
  let used = false;
  return (target): Duplex => {
    if (!used) {
      used = true;
      return connect(target.port, target.host);
    }
    const refused = new PassThrough();
    process.nextTick(() => refused.destroy(new Error('this test allows one connection only')));
    return refused;
  };
}

/** Opens clients for one test and closes them all at the end. */
export class ClientPool {
  private readonly clients: ZkClient[] = [];

  constructor(
    private readonly defaults: () => Partial<ZkClientOptions> & { connectString: string },
    /** Run on every client `open` connected (the spread run syncs, to see what other clients wrote before). */
    private readonly afterOpen?: (zk: ZkClient) => Promise<void>,
  ) {}

  /** A connected client (options override the defaults). */
  async open(options: Partial<ZkClientOptions> = {}): Promise<ZkClient> {
    const zk = this.make(options);
    await zk.connect(15_000);
    await this.afterOpen?.(zk);
    return zk;
  }

  /** A client that has not been started. */
  make(options: Partial<ZkClientOptions> = {}): ZkClient {
    const zk = new ZkClient({ sessionTimeout: 10_000, ...this.defaults(), ...options });
    this.clients.push(zk);
    return zk;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.clients.splice(0).map((c) => c.close().catch(() => {})));
  }
}
