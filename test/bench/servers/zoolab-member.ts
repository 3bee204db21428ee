/**
 * Our member as the benchmark runs it: `node dist/engine/bin/zk-server.js zoo.cfg`, the
 * compiled script next to this file in the same build tree, on a fixed loopback port.
 *
 * Settings beyond zoo.cfg defaults, and why:
 * - maxClientCnxns=0: the watch fan-out opens 1 000 sessions from 127.0.0.1 (Apache gets
 *   the same);
 * - zoolab.streamEvents=false: the IPC channel exists only so the member exits with us
 *   (ZOOLAB_EXIT_WITH_PARENT); streaming every protocol event to a parent is a lab
 *   feature a standalone server does not pay for;
 * - zoolab.logLevel=warn: Debian's Apache ZooKeeper has no slf4j binding on its class
 *   path, so it logs nothing; we log only warnings.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MEMBER_NODE_FLAGS } from '../../../engine/src/member/node-flags.js';
import { ZK_SERVER_SCRIPT } from '../../helpers/zoolab-server.js';
import { freePort } from '../../helpers/ports.js';
import { SpawnedServer, type BenchServer } from './bench-server.js';
import { nodeFullGc } from './node-inspector.js';

export interface ZooLabMemberOptions {
  label?: string;
  /** Extra environment, e.g. ZOOLAB_FSYNC_DELAY_MS for the simulated slow disk. */
  env?: Record<string, string>;
  /** Node flags before the script (e.g. --max-semi-space-size=1). */
  nodeArgs?: string[];
  /** Extra or overriding zoo.cfg keys. */
  config?: Record<string, string | number | boolean>;
  /**
   * Start with the inspector on a loopback port so fullGc() can force a collection
   * (servers/node-inspector.ts). Only for memory figures: it is not how members run.
   */
  inspectable?: boolean;
}

export async function createZooLabMember(opts: ZooLabMemberOptions = {}): Promise<BenchServer> {
  const dir = mkdtempSync(join(tmpdir(), 'zoolab-bench-'));
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  const port = await freePort();
  const values: Record<string, string | number | boolean> = {
    tickTime: 2000,
    dataDir,
    clientPort: port,
    clientPortAddress: '127.0.0.1',
    maxClientCnxns: 0,
    '4lw.commands.whitelist': '*',
    'zoolab.streamEvents': false,
    'zoolab.stateIntervalMs': 60_000,
    'zoolab.logLevel': 'warn',
    ...opts.config,
  };
  const cfg = join(dir, 'zoo.cfg');
  writeFileSync(cfg, Object.entries(values).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
  const inspect = opts.inspectable ? ['--inspect=127.0.0.1:0'] : [];
  const server: SpawnedServer = new SpawnedServer({
    kind: 'zoolab',
    label: opts.label ?? 'zoolab',
    hostPort: `127.0.0.1:${port}`,
    command: process.execPath,
    args: [...inspect, ...MEMBER_NODE_FLAGS, ...(opts.nodeArgs ?? []), ZK_SERVER_SCRIPT, cfg],
    env: { ...process.env, ...opts.env, ZOOLAB_EXIT_WITH_PARENT: '1' },
    ipc: true,
    dir,
    fullGc: opts.inspectable ? () => nodeFullGc(server.output()) : undefined,
  });
  return server;
}
