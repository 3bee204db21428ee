/**
 * Differential test of the shell: each script in test/fixtures/zkcli runs through Apache's
 * zkCli.sh against a fresh Apache ZooKeeper 3.8 and through our zk-cli against another
 * fresh one; stdout, stderr and the exit code must agree modulo times, zxids, session ids
 * and ports (cli-runner.ts `normalize`). The same scripts then run through zk-cli against
 * our own member, which must print what zkCli.sh printed against Apache.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { apacheZkAvailable, startApacheZk, ZKCLI } from '../helpers/apache-zk.js';
import { normalize, readScript, runApacheCli, runZooLabCli, withEventsApart, type CliRun } from './cli-runner.js';
import { zooLabServerHelper } from './zoolab-server-loader.js';
import { ZkClient } from '../../engine/src/client/index.js';

const SCRIPTS = ['basics.zk', 'errors.zk', 'acl.zk', 'watches.zk', 'quotas.zk', 'session.zk', 'chroot.zk'];

/** One-command runs (`zkCli.sh -server X cmd args`): output and exit code. */
const ONE_SHOT: string[][] = [['ls', '/'], ['get', '/nope'], ['create', '/x', 'data'], ['stat', '/zookeeper'], ['whoami']];

/**
 * One-command runs refused before anything is sent: the program exits at once, and
 * whether the SyncConnected event made it out first is a race in zkCli (and in zk-cli),
 * so only the command's own output and exit code are compared.
 */
const ONE_SHOT_OFFLINE: string[][] = [['foo'], ['ls'], ['set', '-v'], ['get', '-x', '/']];

const apacheMissing = apacheZkAvailable() && existsSync(ZKCLI) ? false : 'Apache ZooKeeper 3.8 (Debian zookeeper package) is not installed';

interface Normalized {
  stdout: string;
  /** Watch events (session and node) in the order printed (see withEventsApart). */
  events: string[];
  stderr: string;
  exitCode: number | null;
}

type Runner = (connect: string, script: string, command?: string[]) => Promise<CliRun>;
type ServerStarter = () => Promise<{ connectString: string; port: number; stop(): Promise<void> }>;

const apacheServer: ServerStarter = async () => {
  const zk = await startApacheZk();
  return { connectString: zk.connectString, port: zk.members[0].clientPort, stop: () => zk.stop() };
};

/** Scripts that run under a chroot (`-server host:port/chroot`); the chroot node is made first. */
const CHROOTS: Record<string, string> = { 'chroot.zk': '/jail' };

async function capture(start: ServerStarter, runner: Runner, script: string, command: string[] = []): Promise<Normalized> {
  const server = await start();
  try {
    const chroot = CHROOTS[script] ?? '';
    if (chroot) {
      const zk = await ZkClient.connect(server.connectString, 10_000);
      await zk.create(chroot, null).finally(() => zk.close());
    }
    const connect = server.connectString + chroot;
    const r = await runner(connect, readScript(script, { PORT: String(server.port) }), command);
    return { ...withEventsApart(normalize(r.stdout, connect)), stderr: normalize(r.stderr, connect), exitCode: r.exitCode };
  } finally {
    await server.stop();
  }
}

function assertSame(ours: Normalized, reference: Normalized, compareEvents = true): void {
  assert.equal(ours.stdout, reference.stdout, 'stdout differs');
  if (compareEvents) assert.deepEqual(ours.events, reference.events, 'watch events differ');
  assert.equal(ours.stderr, reference.stderr, 'stderr differs');
  assert.equal(ours.exitCode, reference.exitCode, 'exit code differs');
}

/** zkCli.sh's output per script, shared by the Apache and the ZooLab-member comparisons. */
const reference = new Map<string, Promise<Normalized>>();
function referenceFor(script: string): Promise<Normalized> {
  let r = reference.get(script);
  if (!r) {
    r = capture(apacheServer, runApacheCli, script);
    reference.set(script, r);
  }
  return r;
}

describe('zk-cli vs zkCli.sh, both against Apache ZooKeeper 3.8', { skip: apacheMissing }, () => {
  for (const script of SCRIPTS) {
    test(`script ${script}`, async () => {
      const expected = await referenceFor(script);
      assertSame(await capture(apacheServer, runZooLabCli, script), expected);
    });
  }
  for (const command of ONE_SHOT) {
    test(`one command: ${command.join(' ')}`, async () => {
      const expected = await capture(apacheServer, runApacheCli, 'empty.zk', command);
      assertSame(await capture(apacheServer, runZooLabCli, 'empty.zk', command), expected);
    });
  }
  for (const command of ONE_SHOT_OFFLINE) {
    test(`one refused command: ${command.join(' ')}`, async () => {
      const expected = await capture(apacheServer, runApacheCli, 'empty.zk', command);
      assertSame(await capture(apacheServer, runZooLabCli, 'empty.zk', command), expected, false);
    });
  }
});

const helper = await zooLabServerHelper();

describe('zk-cli against our member prints what zkCli.sh prints against Apache', {
  skip: apacheMissing || (helper ? false : 'test/helpers/zoolab-server.ts (our member launcher) does not exist yet'),
}, () => {
  for (const script of SCRIPTS) {
    test(`script ${script}`, async () => {
      const expected = await referenceFor(script);
      assertSame(await capture(helper!, runZooLabCli, script), expected);
    });
  }
});
