/**
 * Starts real Apache ZooKeeper 3.8 (Debian's `zookeeper` package) for differential,
 * compatibility and benchmark runs: standalone or an ensemble, in a temp directory, on
 * free loopback ports. Every process is killed and every directory removed by `stop()`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts } from './ports.js';
import { fourLetterWord } from './four-letter.js';

export const APACHE_ZK_JAR = '/usr/share/java/zookeeper.jar';
export const ZKCLI = '/usr/share/zookeeper/bin/zkCli.sh';

export function apacheZkAvailable(): boolean {
  return existsSync(APACHE_ZK_JAR) && existsSync('/usr/bin/java');
}

export interface ApacheZkOptions {
  /** Number of voting members; 1 (default) runs ZooKeeperServerMain standalone. */
  members?: number;
  tickTime?: number;
  extendedTypesEnabled?: boolean;
  /** `super:<base64 sha1>` for zookeeper.DigestAuthenticationProvider.superDigest. */
  superDigest?: string;
  readOnlyModeEnabled?: boolean;
  /** Extra zoo.cfg lines. */
  extraConfig?: string[];
  /** Extra JVM -D properties, without the -D. */
  systemProperties?: Record<string, string>;
}

export interface ApacheZkMember {
  id: number;
  clientPort: number;
  process: ChildProcess;
  dataDir: string;
  /** The JVM's stderr/stdout tail, for failure messages. */
  output(): string;
}

export interface ApacheZk {
  members: ApacheZkMember[];
  /** `127.0.0.1:p1,127.0.0.1:p2,...` */
  connectString: string;
  dir: string;
  stop(): Promise<void>;
}

function jvmArgs(opts: ApacheZkOptions): string[] {
  const props: Record<string, string> = {
    'zookeeper.admin.enableServer': 'false',
    'zookeeper.4lw.commands.whitelist': '*',
    'zookeeper.extendedTypesEnabled': String(opts.extendedTypesEnabled ?? true),
    'readonlymode.enabled': String(opts.readOnlyModeEnabled ?? false),
    ...(opts.superDigest ? { 'zookeeper.DigestAuthenticationProvider.superDigest': opts.superDigest } : {}),
    ...opts.systemProperties,
  };
  return ['-Xmx512m', ...Object.entries(props).map(([k, v]) => `-D${k}=${v}`), '-cp', `${APACHE_ZK_JAR}`];
}

async function waitServing(port: number, proc: ChildProcess, output: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`Apache ZooKeeper exited with ${proc.exitCode}:\n${output()}`);
    try {
      const answer = await fourLetterWord(port, 'srvr', '127.0.0.1', 1000);
      if (/Mode: (standalone|leader|follower|observer)/.test(answer)) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`Apache ZooKeeper on ${port} did not start serving:\n${output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startApacheZk(opts: ApacheZkOptions = {}): Promise<ApacheZk> {
  if (!apacheZkAvailable()) throw new Error('Apache ZooKeeper is not installed (apt-get install zookeeper)');
  const n = opts.members ?? 1;
  const dir = mkdtempSync(join(tmpdir(), 'apache-zk-'));
  const ports = await freePorts(n * 3);
  const tickTime = opts.tickTime ?? 2000;
  const members: ApacheZkMember[] = [];
  for (let i = 1; i <= n; i++) {
    const dataDir = join(dir, `m${i}`);
    mkdirSync(dataDir, { recursive: true });
    const clientPort = ports[(i - 1) * 3];
    const lines = [`tickTime=${tickTime}`, `dataDir=${dataDir}`, `clientPort=${clientPort}`, 'clientPortAddress=127.0.0.1'];
    if (n > 1) {
      lines.push('initLimit=10', 'syncLimit=5');
      for (let j = 1; j <= n; j++) lines.push(`server.${j}=127.0.0.1:${ports[(j - 1) * 3 + 1]}:${ports[(j - 1) * 3 + 2]}`);
      writeFileSync(join(dataDir, 'myid'), `${i}\n`);
    }
    lines.push(...(opts.extraConfig ?? []));
    const cfg = join(dir, `zoo${i}.cfg`);
    writeFileSync(cfg, lines.join('\n') + '\n');
    const main = n > 1 ? 'org.apache.zookeeper.server.quorum.QuorumPeerMain' : 'org.apache.zookeeper.server.ZooKeeperServerMain';
    const proc = spawn('/usr/bin/java', [...jvmArgs(opts), main, cfg], { stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const keep = (c: Buffer) => {
      tail = (tail + c.toString()).slice(-8000);
    };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    members.push({ id: i, clientPort, process: proc, dataDir, output: () => tail });
  }
  const stop = async () => {
    await Promise.all(
      members.map(
        (m) =>
          new Promise<void>((resolve) => {
            if (m.process.exitCode !== null || m.process.signalCode !== null) return resolve();
            m.process.once('exit', () => resolve());
            m.process.kill('SIGKILL');
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await Promise.all(members.map((m) => waitServing(m.clientPort, m.process, m.output)));
  } catch (e) {
    await stop();
    throw e;
  }
  return { members, connectString: members.map((m) => `127.0.0.1:${m.clientPort}`).join(','), dir, stop };
}
