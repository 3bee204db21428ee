/**
 * Shared setup for the recipe tests: one server per test file (Apache ZooKeeper 3.8, and
 * our member when its helper is present), clients that can be made to lose their session
 * on demand, and small waiting helpers. Session loss is forced deterministically: the
 * client's proxy refuses connections, another client resumes the session and closes it
 * (the server deletes its ephemerals at once), then the proxy lets the client back, and
 * the server tells it "expired".
 */
import { existsSync } from 'node:fs';
import { after, afterEach, before, describe } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ZkClient, type ZkClientOptions } from '../../engine/src/client/index.js';
import { apacheZkAvailable, startApacheZk } from '../helpers/apache-zk.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { waitForState } from '../client/harness.js';
import type { ServerTarget, ServerUnderTest } from '../client/harness.js';

export const TICK = 500;

const zoolabHelper = new URL('../helpers/zoolab-server.js', import.meta.url);

/** The servers recipe tests run against. */
export async function recipeTargets(): Promise<ServerTarget[]> {
  const apache: ServerTarget = {
    name: 'apache-zk-3.8',
    skip: apacheZkAvailable() ? false : 'Apache ZooKeeper 3.8 is not installed',
    async start({ tickTime }) {
      const zk = await startApacheZk({ tickTime });
      return { connectString: zk.connectString, ports: zk.members.map((m) => m.clientPort), stop: () => zk.stop() };
    },
  };
  let zoolabSkip: string | false = false;
  let start: ((o: Record<string, unknown>) => Promise<{ port: number; stop(): Promise<void> }>) | null = null;
  if (!existsSync(fileURLToPath(zoolabHelper))) zoolabSkip = 'test/helpers/zoolab-server.ts (our member) has not landed';
  else start = ((await import(zoolabHelper.href)) as { startZooLabServer: typeof start }).startZooLabServer;
  const zoolab: ServerTarget = {
    name: 'zoolab',
    skip: zoolabSkip,
    async start({ tickTime }): Promise<ServerUnderTest> {
      const s = await start!({ tickTime });
      return { connectString: `127.0.0.1:${s.port}`, ports: [s.port], stop: () => s.stop() };
    },
  };
  return [apache, zoolab];
}

/** A client whose session the test can end at will. */
export interface TestClient {
  zk: ZkClient;
  /** Ends the session on the server and waits until the client reports `expired`. */
  expire(): Promise<void>;
}

export class RecipeClients {
  private readonly clients: ZkClient[] = [];
  private readonly proxies: TcpProxy[] = [];

  constructor(private readonly server: () => ServerUnderTest) {}

  async open(options: Partial<ZkClientOptions> = {}): Promise<TestClient> {
    const proxy = await TcpProxy.start({ host: '127.0.0.1', port: this.server().ports[0] });
    this.proxies.push(proxy);
    const zk = new ZkClient({ connectString: proxy.address, sessionTimeout: 10_000, ...options });
    this.clients.push(zk);
    await zk.connect(15_000);
    const expire = async () => {
      proxy.reject();
      const killer = new ZkClient({ connectString: this.server().connectString, sessionId: zk.sessionId, sessionPassword: zk.sessionPassword });
      await killer.connect(15_000);
      await killer.close();
      proxy.forward();
      await waitForState(zk, 'expired');
    };
    return { zk, expire };
  }

  /** Several clients at once. */
  async openMany(n: number): Promise<TestClient[]> {
    return Promise.all(Array.from({ length: n }, () => this.open()));
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.clients.splice(0).map((c) => c.close().catch(() => {})));
    await Promise.all(this.proxies.splice(0).map((p) => p.close()));
  }
}

/** A promise with its resolve function, for "this happened" signals in tests. */
export function signal<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * True if `p` is still pending after `zk` made a few round trips to the server: any
 * notification that could have released it arrives before those replies (§12.3), and the
 * recipe's follow-up requests are queued before ours. Used to assert "still waiting".
 */
export async function stillPending(p: Promise<unknown>, zk: ZkClient, roundTrips = 3): Promise<boolean> {
  let done = false;
  p.then(
    () => (done = true),
    () => (done = true),
  );
  for (let i = 0; i < roundTrips; i++) await zk.sync('/');
  await new Promise((r) => setImmediate(r));
  return !done;
}

/**
 * One describe block per target server: the server starts before the block's tests and
 * stops after them, and every client a test opened is closed after it. `body` gets the
 * clients and a fresh path under `prefix` per call (tests never share znodes).
 */
export async function describeRecipe(
  title: string,
  prefix: string,
  body: (ctx: { clients: RecipeClients; freshPath: () => string }) => void,
): Promise<void> {
  for (const target of await recipeTargets()) {
    describe(`${title} against ${target.name}`, { skip: target.skip }, () => {
      let server: ServerUnderTest | undefined;
      const clients = new RecipeClients(() => server!);
      let n = 0;
      before(async () => {
        server = await target.start({ tickTime: TICK });
      });
      after(async () => server?.stop());
      afterEach(() => clients.closeAll());
      body({ clients, freshPath: () => `${prefix}${++n}` });
    });
  }
}
