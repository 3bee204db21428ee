/**
 * Apache ZooKeeper 3.8 standalone (ZooKeeperServerMain) as Debian installs it, with its
 * defaults: fsync on (forceSync=yes), no -Xmx (the JVM's default heap, as Debian's
 * zkServer.sh leaves it), the jar's own class path (no slf4j binding: no logging, as
 * with Debian's scripts). Only these differ from a stock zoo.cfg: maxClientCnxns=0 (the
 * 1 000-session fan-out), the admin HTTP server off (it would take port 8080) and every
 * four-letter word enabled (mntr verifies znode counts).
 *
 * Unlike test/helpers/apache-zk.ts it keeps its data directory across kill -9 and
 * restart, and gives the JVM its default heap (the helper caps it at 512 MiB, too small
 * for 1 000 000 znodes and not the default the issue compares against).
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APACHE_ZK_JAR } from '../../helpers/apache-zk.js';
import { freePort } from '../../helpers/ports.js';
import { jvmFullGc } from '../lib/proc-stats.js';
import { SpawnedServer, type BenchServer } from './bench-server.js';

export async function createApacheStandalone(opts: { label?: string; jvmArgs?: string[] } = {}): Promise<BenchServer> {
  const dir = mkdtempSync(join(tmpdir(), 'apache-bench-'));
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  const port = await freePort();
  const cfg = join(dir, 'zoo.cfg');
  writeFileSync(
    cfg,
    [`tickTime=2000`, `dataDir=${dataDir}`, `clientPort=${port}`, 'clientPortAddress=127.0.0.1', 'maxClientCnxns=0'].join('\n') + '\n',
  );
  const props = ['-Dzookeeper.admin.enableServer=false', '-Dzookeeper.4lw.commands.whitelist=*'];
  return new SpawnedServer({
    kind: 'apache',
    label: opts.label ?? 'apache',
    hostPort: `127.0.0.1:${port}`,
    command: '/usr/bin/java',
    args: [...props, ...(opts.jvmArgs ?? []), '-cp', APACHE_ZK_JAR, 'org.apache.zookeeper.server.ZooKeeperServerMain', cfg],
    env: process.env,
    ipc: false,
    dir,
    fullGc: jvmFullGc,
  });
}
