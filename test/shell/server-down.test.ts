/**
 * The shell when no server answers, compared with the real zkCli.sh (Apache ZooKeeper
 * 3.8). The Java client fails every request with ConnectionLoss as soon as a connection
 * attempt fails (ClientCnxn's SendThread cleanup) and keeps trying in the background, so
 * zkCli prints `KeeperErrorCode = ConnectionLoss for /` instead of hanging:
 *
 *  - a server that dies mid-session: zkCli.sh against Apache is the reference; zk-cli
 *    against Apache and against our member must print the same transcript;
 *  - a server that was never there: script and one-command runs.
 *
 * The time from a command to its ConnectionLoss line is reported as a diagnostic (a
 * figure, not an assertion: speed targets belong in benchmarks).
 */
import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { apacheZkAvailable, startApacheZk, ZKCLI } from '../helpers/apache-zk.js';
import { freePort } from '../helpers/ports.js';
import { normalize, runApacheCli, runZooLabCli, type CliRun } from './cli-runner.js';
import { InteractiveCli, type CliKind } from './interactive-cli.js';
import { zooLabServerHelper, type MemberForShell } from './zoolab-server-loader.js';

const apacheMissing = apacheZkAvailable() && existsSync(ZKCLI) ? false : 'Apache ZooKeeper 3.8 (Debian zookeeper package) is not installed';

interface Transcript {
  stdout: string;
  stderr: string;
  exitCode: number | null;
}

function normalized(run: CliRun, connect: string): Transcript {
  return { stdout: normalize(run.stdout, connect), stderr: normalize(run.stderr, connect), exitCode: run.exitCode };
}

const apacheServer = async (): Promise<MemberForShell> => {
  const zk = await startApacheZk();
  return { connectString: zk.connectString, port: zk.members[0].clientPort, stop: () => zk.stop() };
};

/** Commands run after the server is gone, each answered with ConnectionLoss. */
const WHILE_DOWN = [
  ['ls /', '/'],
  ['get /a', '/a'],
  ['create /b', '/b'],
  ['stat /a', '/a'],
] as const;

/**
 * Connects, creates /a, lists /, stops the server, waits for the Disconnected event,
 * then runs WHILE_DOWN one at a time, each once the previous one failed. Returns the
 * normalized transcript and how long each ConnectionLoss took to appear.
 */
async function serverDiesMidSession(kind: CliKind, startServer: () => Promise<MemberForShell>): Promise<{ transcript: Transcript; lossMs: number[] }> {
  const server = await startServer();
  let stopped = false;
  const cli = InteractiveCli.start(kind, server.connectString);
  try {
    await cli.until('stdout', /state:SyncConnected/);
    let from = cli.mark('stderr');
    cli.send('create /a x');
    await cli.until('stderr', /Created \/a\n/, from);
    from = cli.mark('stdout');
    cli.send('ls /');
    await cli.until('stdout', /\[a, zookeeper\]\n/, from);

    from = cli.mark('stdout');
    await server.stop();
    stopped = true;
    await cli.until('stdout', /state:Disconnected/, from);

    const lossMs: number[] = [];
    for (const [command, path] of WHILE_DOWN) {
      const mark = cli.mark('stderr');
      const sent = performance.now();
      cli.send(command);
      await cli.until('stderr', new RegExp(`KeeperErrorCode = ConnectionLoss for ${path}\\n`), mark);
      lossMs.push(Math.round(performance.now() - sent));
    }
    return { transcript: normalized(await cli.end(), server.connectString), lossMs };
  } finally {
    cli.kill();
    if (!stopped) await server.stop();
  }
}

function assertSameTranscript(ours: Transcript, reference: Transcript): void {
  assert.equal(ours.stdout, reference.stdout, 'stdout differs');
  assert.equal(ours.stderr, reference.stderr, 'stderr differs');
  assert.equal(ours.exitCode, reference.exitCode, 'exit code differs');
}

function report(t: TestContext, who: string, lossMs: number[]): void {
  t.diagnostic(`${who}: command → ConnectionLoss in ${lossMs.join(', ')} ms`);
}

describe('a server that dies mid-session: zk-cli prints what zkCli.sh prints', { skip: apacheMissing }, () => {
  let reference: Promise<{ transcript: Transcript; lossMs: number[] }> | null = null;
  const referenceRun = () => (reference ??= serverDiesMidSession('zkCli.sh', apacheServer));

  test('zkCli.sh against Apache ZooKeeper 3.8 (the reference) fails each command with ConnectionLoss', async (t) => {
    const { transcript, lossMs } = await referenceRun();
    report(t, 'zkCli.sh', lossMs);
    for (const [, path] of WHILE_DOWN) assert.match(transcript.stderr, new RegExp(`^KeeperErrorCode = ConnectionLoss for ${path}$`, 'm'));
    assert.equal(transcript.exitCode, 1, 'the last command failed');
  });

  test('zk-cli against Apache ZooKeeper 3.8', async (t) => {
    const { transcript: expected } = await referenceRun();
    const { transcript, lossMs } = await serverDiesMidSession('zk-cli', apacheServer);
    report(t, 'zk-cli (Apache)', lossMs);
    assertSameTranscript(transcript, expected);
  });

  test('zk-cli against our member', async (t) => {
    const member = await zooLabServerHelper();
    if (!member) return void t.skip('test/helpers/zoolab-server.ts (our member launcher) is not available');
    const { transcript: expected } = await referenceRun();
    const { transcript, lossMs } = await serverDiesMidSession('zk-cli', member);
    report(t, 'zk-cli (our member)', lossMs);
    assertSameTranscript(transcript, expected);
  });
});

describe('no server at the address: zk-cli prints what zkCli.sh prints', { skip: apacheMissing }, () => {
  test('a script: every command fails with ConnectionLoss, exit code 1', async () => {
    const connect = `127.0.0.1:${await freePort()}`;
    const script = 'ls /\nget /a\ncreate /b x\n';
    const expected = normalized(await runApacheCli(connect, script), connect);
    const ours = normalized(await runZooLabCli(connect, script), connect);
    assert.match(expected.stderr, /^KeeperErrorCode = ConnectionLoss for \/b$/m);
    assertSameTranscript(ours, expected);
  });

  test('one command: ConnectionLoss, exit code 1', async () => {
    const connect = `127.0.0.1:${await freePort()}`;
    const expected = normalized(await runApacheCli(connect, '', ['ls', '/']), connect);
    const ours = normalized(await runZooLabCli(connect, '', ['ls', '/']), connect);
    assert.equal(expected.exitCode, 1);
    assertSameTranscript(ours, expected);
  });
});
