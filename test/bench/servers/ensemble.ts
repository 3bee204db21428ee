/**
 * 3-member ensembles of either kind on one machine, for `--suite ensemble` (Engine,
 * part 3). Both get the same zoo.cfg shape (server.N lines, myid files, initLimit=10,
 * syncLimit=5, tickTime=2000); each member is a SpawnedServer, so any member can be
 * killed -9 and restarted on its data.
 *
 * Our member reads the same keys (engine/src/config). Until engine/bin/zk-server runs
 * ensembles it refuses such a config ("ensemble mode is not available in this build")
 * and the suite reports that instead of figures.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APACHE_ZK_JAR } from '../../helpers/apache-zk.js';
import { fourLetterWord } from '../../helpers/four-letter.js';
import { freePorts } from '../../helpers/ports.js';
import { MEMBER_NODE_FLAGS } from '../../../engine/src/member/node-flags.js';
import { ZK_SERVER_SCRIPT } from '../../helpers/zoolab-server.js';
import { splitHostPort } from '../loadgen/session.js';
import { SpawnedServer, type BenchServer, type ServerKind } from './bench-server.js';

export interface BenchEnsemble {
  kind: ServerKind;
  label: string;
  members: BenchServer[];
  /** Client addresses, member i at index i. */
  hostPorts: string[];
  /** Starts every member at once (a quorum is needed before any serves). */
  start(): Promise<void>;
  /** Index of the member that reports `Mode: leader` to srvr, or -1. */
  leader(): Promise<number>;
  destroy(): Promise<void>;
}

export async function createEnsemble(kind: ServerKind, size = 3, opts: { memberNodeArgs?: string[] } = {}): Promise<BenchEnsemble> {
  const dir = mkdtempSync(join(tmpdir(), `${kind}-ensemble-bench-`));
  const ports = await freePorts(size * 3);
  const serverLines = Array.from({ length: size }, (_, j) => `server.${j + 1}=127.0.0.1:${ports[j * 3 + 1]}:${ports[j * 3 + 2]}`);
  const members: BenchServer[] = [];
  for (let i = 1; i <= size; i++) {
    const memberDir = join(dir, `m${i}`);
    const dataDir = join(memberDir, 'data');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'myid'), `${i}\n`);
    const clientPort = ports[(i - 1) * 3]!;
    const lines = [
      'tickTime=2000',
      'initLimit=10',
      'syncLimit=5',
      `dataDir=${dataDir}`,
      `clientPort=${clientPort}`,
      'clientPortAddress=127.0.0.1',
      'maxClientCnxns=0',
      ...serverLines,
      ...(kind === 'zoolab' ? ['4lw.commands.whitelist=*', 'zoolab.streamEvents=false', 'zoolab.stateIntervalMs=60000', 'zoolab.logLevel=warn'] : []),
    ];
    const cfg = join(memberDir, 'zoo.cfg');
    writeFileSync(cfg, lines.join('\n') + '\n');
    const hostPort = `127.0.0.1:${clientPort}`;
    members.push(
      kind === 'zoolab'
        ? new SpawnedServer({
            kind,
            label: `zoolab m${i}`,
            hostPort,
            command: process.execPath,
            args: [...MEMBER_NODE_FLAGS, ...(opts.memberNodeArgs ?? []), ZK_SERVER_SCRIPT, cfg],
            env: { ...process.env, ZOOLAB_EXIT_WITH_PARENT: '1' },
            ipc: true,
            dir: memberDir,
          })
        : new SpawnedServer({
            kind,
            label: `apache m${i}`,
            hostPort,
            command: '/usr/bin/java',
            args: ['-Dzookeeper.admin.enableServer=false', '-Dzookeeper.4lw.commands.whitelist=*', '-cp', APACHE_ZK_JAR, 'org.apache.zookeeper.server.quorum.QuorumPeerMain', cfg],
            env: process.env,
            ipc: false,
            dir: memberDir,
          }),
    );
  }
  const ensemble: BenchEnsemble = {
    kind,
    label: `${kind} ×${size}`,
    members,
    hostPorts: members.map((m) => m.hostPort),
    async start() {
      await Promise.all(members.map((m) => m.start()));
    },
    async leader() {
      const modes = await Promise.all(
        members.map((m) => fourLetterWord(Number(splitHostPort(m.hostPort)[1]), 'srvr', '127.0.0.1', 2000).catch(() => '')),
      );
      return modes.findIndex((a) => /Mode: leader/.test(a));
    },
    async destroy() {
      await Promise.all(members.map((m) => m.destroy(true)));
    },
  };
  return ensemble;
}
