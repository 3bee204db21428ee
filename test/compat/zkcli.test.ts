/**
 * zkCli.sh (the real Java client from Debian's zookeeper package) runs the same scripts
 * against Apache ZooKeeper 3.8 and against our member; the normalized outputs (times,
 * zxids, session ids and ports abstracted, zkcli/run-zkcli.ts) must be identical:
 * stdout, stderr, the watch events it printed, and exit codes. JVM start-up is the cost
 * (~1 s per run), so the commands are batched into three runs per server.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { ZKCLI } from '../helpers/apache-zk.js';
import { skipUnless, startTarget, type ZkTarget } from './lib/targets.js';
import { normalizeRuns, runZkCli, type NormalizedRun } from './zkcli/run-zkcli.js';
import { AFTER_CLOSE_SCRIPT, MAIN_SCRIPT, ONE_SHOT_COMMANDS, asStdin } from './zkcli/scripts.js';

const skip = (...kinds: ('apache' | 'zoolab')[]) => (existsSync(ZKCLI) ? skipUnless(...kinds) : `${ZKCLI} is not installed`);
const RUN_NAMES = ['main script', 'after-close script', ...ONE_SHOT_COMMANDS.map((c) => `one-shot "${c.join(' ')}"`)];

async function runAll(t: ZkTarget): Promise<NormalizedRun[]> {
  const runs = [await runZkCli(t.port, [], asStdin(MAIN_SCRIPT)), await runZkCli(t.port, [], asStdin(AFTER_CLOSE_SCRIPT))];
  for (const cmd of ONE_SHOT_COMMANDS) runs.push(await runZkCli(t.port, cmd, ''));
  return normalizeRuns(runs, t.port);
}

async function onFreshServer(kind: 'apache' | 'zoolab'): Promise<NormalizedRun[]> {
  const t = await startTarget(kind);
  try {
    return await runAll(t);
  } finally {
    await t.stop();
  }
}

/** The first differing line of two texts, with a little context. */
function lineDiff(what: string, expected: string[], actual: string[], names: [string, string]): string | null {
  const n = Math.max(expected.length, actual.length);
  for (let i = 0; i < n; i++) {
    if (expected[i] === actual[i]) continue;
    const ctx = expected.slice(Math.max(0, i - 3), i).map((l) => `      = ${l}`);
    return [`${what}, line ${i + 1}:`, ...ctx, `      - ${names[0]}: ${expected[i] ?? '(end)'}`, `      + ${names[1]}: ${actual[i] ?? '(end)'}`].join('\n');
  }
  return null;
}

function compareRuns(expected: NormalizedRun[], actual: NormalizedRun[], names: [string, string]): string[] {
  const problems: string[] = [];
  expected.forEach((e, i) => {
    const a = actual[i];
    for (const stream of ['stdout', 'stderr', 'events'] as const) {
      const d = lineDiff(`${RUN_NAMES[i]} ${stream}`, e[stream], a[stream], names);
      if (d) problems.push(d);
    }
    if (e.exitCode !== a.exitCode) problems.push(`${RUN_NAMES[i]}: exit code ${names[0]} ${e.exitCode}, ${names[1]} ${a.exitCode}`);
  });
  return problems;
}

test('zkCli.sh prints the same against our member as against Apache ZooKeeper 3.8', { skip: skip('apache', 'zoolab'), timeout: 180_000 }, async () => {
  const [apache, ours] = await Promise.all([onFreshServer('apache'), onFreshServer('zoolab')]);
  const problems = compareRuns(apache, ours, ['apache', 'zoolab']);
  assert.equal(problems.length, 0, problems.join('\n'));
});

test('zkCli.sh output is reproducible after normalization (two Apache servers), and exercises what it should', { skip: skip('apache'), timeout: 180_000 }, async () => {
  const [a, b] = await Promise.all([onFreshServer('apache'), onFreshServer('apache')]);
  const problems = compareRuns(a, b, ['apacheA', 'apacheB']);
  assert.equal(problems.length, 0, problems.join('\n'));
  // Landmarks: the script really reached the server paths it is meant to cover.
  const [main, after, getNope, getA] = a;
  for (const expected of ['Created /a/s-0000000000', 'Created /t/ts-0000000000', 'Node already exists: /a', 'version No is not valid : /a', 'Insufficient permission : /zookeeper/config', 'KeeperErrorCode = Reconfig is disabled']) {
    assert.ok(main.stderr.includes(expected), `missing on stderr: ${expected}`);
  }
  for (const expected of ['digest: alice', '[/a/e, /a/es-0000000003]', 'Sync is OK', 'ephemeralOwner = S1']) assert.ok(main.stdout.includes(expected), `missing on stdout: ${expected}`);
  assert.ok(main.stdout.some((l) => /^Output stat for \/a count=\d+,bytes=\d+$/.test(l)), 'quota stats are printed');
  assert.ok(main.events.includes('state:SyncConnected type:NodeCreated path:/c/x'), 'the recursive watch fired');
  assert.ok(main.events.includes('state:SyncConnected type:PersistentWatchRemoved path:/c'));
  assert.ok(!after.stdout.some((l) => l.includes('/a/e')), 'ephemerals are gone after the session closed');
  assert.deepEqual([getNope.exitCode, getA.exitCode], [1, 0]);
});
