/**
 * The client suite against our member (engine/bin/zk-server via test/helpers/zoolab-server.ts).
 * The helper is loaded at run time so this file compiles before it lands; until then the
 * suite is skipped with the reason below.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineClientSuite } from './suite.js';
import type { ServerUnderTest } from './harness.js';

const helperUrl = new URL('../helpers/zoolab-server.js', import.meta.url);

interface ZooLabServer {
  port: number;
  stop(): Promise<void>;
}
type Start = (overrides?: Record<string, unknown>) => Promise<ZooLabServer>;

async function loadStarter(): Promise<Start | string> {
  if (!existsSync(fileURLToPath(helperUrl))) {
    return 'our member is not available yet: test/helpers/zoolab-server.ts (startZooLabServer, owned by the server engineer) has not landed';
  }
  const mod = (await import(helperUrl.href)) as { startZooLabServer?: Start };
  if (typeof mod.startZooLabServer !== 'function') return 'test/helpers/zoolab-server.ts does not export startZooLabServer yet';
  return mod.startZooLabServer;
}

const starter = await loadStarter();

defineClientSuite({
  name: 'zoolab',
  skip: typeof starter === 'string' ? starter : false,
  async start({ tickTime }): Promise<ServerUnderTest> {
    const server = await (starter as Start)({ tickTime, extendedTypesEnabled: true });
    return { connectString: `127.0.0.1:${server.port}`, ports: [server.port], stop: () => server.stop() };
  },
});
