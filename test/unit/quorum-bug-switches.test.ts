/**
 * The instructor bug switches' plumbing (docs/teaching.md "Hooks needed from the quorum
 * core"): `zoolab.bugs` in zoo.cfg, the quorum size `smallQuorum` gives, the handshake
 * check `staleReads` skips, and the member state that names them. What each switch breaks
 * is shown on the simulator (test/sim/bug-switches.test.ts) and in the challenges
 * (test/scenarios/challenges.test.ts).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, parseZooCfg } from '../../engine/src/config/index.js';
import { QuorumVerifier } from '../../engine/src/quorum/quorum-verifier.js';
import { decideHandshake } from '../../engine/src/server/handshake.js';
import { connectRequest } from './helpers-server/harness.js';
import { scriptedSim, startAll, untilLeader } from '../sim/scripted.js';

const ensemble = (extra: string) =>
  parseZooCfg(`tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/d\nclientPort=2181\nserver.1=127.0.0.1:2888:3888\nserver.2=127.0.0.1:2889:3889\nserver.3=127.0.0.1:2890:3890\n${extra}`, {
    readMyid: () => '1',
  });

test('zoo.cfg: zoolab.bugs is off by default, parsed sorted without duplicates, and an unknown name is an error', () => {
  assert.deepEqual(ensemble('').zoolab.bugs, []);
  const c = ensemble('zoolab.bugs=staleReads, smallQuorum,staleReads');
  assert.deepEqual(c.zoolab.bugs, ['smallQuorum', 'staleReads']);
  assert.ok(!c.warnings.some((w) => w.includes('zoolab.bugs')), 'a known key, no "unknown key" warning');
  assert.throws(() => ensemble('zoolab.bugs=smallQuorum,fastPaxos'), (e: unknown) => e instanceof ConfigError && /zoolab\.bugs/.test(e.message) && /ackBeforeFsync/.test(e.message));
  const standalone = parseZooCfg('tickTime=2000\ndataDir=/d\nclientPort=2181\nzoolab.bugs=ackBeforeFsync\n');
  assert.ok(standalone.warnings.some((w) => /zoolab\.bugs=ackBeforeFsync has no effect on a standalone member/.test(w)));
});

test('smallQuorum: a quorum is half the voters rounded down (at least one) instead of a majority', () => {
  const voters = (n: number) => Array.from({ length: n }, (_, i) => ({ sid: i + 1, type: 'participant' as const }));
  const sizes = [1, 2, 3, 4, 5, 7].map((n) => [new QuorumVerifier(voters(n)).quorumSize, new QuorumVerifier(voters(n), { smallQuorum: true }).quorumSize]);
  assert.deepEqual(sizes, [
    [1, 1],
    [2, 1],
    [2, 1],
    [3, 2],
    [3, 2],
    [4, 3],
  ]);
  const five = new QuorumVerifier(voters(5), { smallQuorum: true });
  assert.equal(five.isQuorum([1, 2]), true, 'two of five');
  assert.equal(five.isQuorum([3, 4]), true, 'and a disjoint two of five: split brain');
  assert.equal(new QuorumVerifier(voters(5)).isQuorum([1, 2]), false);
});

test('staleReads: the handshake lets a client that has seen a newer zxid in', () => {
  const ctx = { lastZxid: 10n, readOnly: false, negotiateTimeout: (t: number) => t, maxBuffer: 0xfffff };
  const ahead = connectRequest({ lastZxidSeen: 11n, sessionId: 5n, passwd: Buffer.alloc(16, 1) });
  assert.equal(decideHandshake(ahead, ctx).action, 'refuse');
  assert.equal(decideHandshake(ahead, { ...ctx, staleReadsBug: true }).action, 'resume');
});

test('the member state names the switches a member runs with, and only then', async () => {
  const figures = { znodeCount: 0, digest: '' };
  const on = scriptedSim({ voters: 3, bugs: ['staleReads', 'ackBeforeFsync'] });
  startAll(on);
  await untilLeader(on);
  for (const m of on.members) assert.deepEqual(m.core!.state(figures).bugs, ['ackBeforeFsync', 'staleReads']);
  const off = scriptedSim({ voters: 3 });
  startAll(off);
  for (const m of off.members) assert.equal('bugs' in m.core!.state(figures), false);
});
