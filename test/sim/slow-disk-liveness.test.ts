/**
 * A slow disk is not a dead peer. Three members under a steady stream of writes, every log
 * write slow (the lab's "lose an acknowledged write" challenge runs with a 600 ms disk):
 *
 * - With ackBeforeFsync (ACKs leave before the disk; 700 ms flushes = 14 ticks of 50 ms,
 *   syncLimit 5 × 250 = 1 250 ms): a learner's PING reply used to wait behind its batch's
 *   flush — and every ACK after it waited behind the reply — so the leader heard nothing
 *   for two flushes, dropped live learners and lost its quorum. PING and its reply are now
 *   liveness packets that overtake what waits for the disk (messages.ts livenessSeq), as a
 *   ZooKeeper learner answers a PING at once.
 * - The real protocol with 500 ms flushes: an ACK waits for at most two flushes, inside
 *   syncLimit, so nobody is dropped. (With flushes over syncLimit / 2, ZooKeeper's
 *   per-learner ACK deadline drops a slow-disk learner, and so does ours: zab.md §4.4.)
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import type { BugSwitchName } from '../../engine/src/lab/api.js';
import { create, createSession, leaders, run, scriptedSim, sessionId, startAll, until, untilLeader, valueAt } from './scripted.js';

const CASES: { bugs: BugSwitchName[]; diskTicks: number }[] = [
  { bugs: ['ackBeforeFsync'], diskTicks: 14 },
  { bugs: [], diskTicks: 10 },
];

for (const { bugs, diskTicks } of CASES) {
  test(`${bugs.join(', ') || 'real protocol'}, ${diskTicks * 50} ms a flush, steady writes: the leader keeps every learner and its quorum`, async () => {
    const sim = scriptedSim({ voters: 3, bugs, diskLatency: diskTicks });
    startAll(sim);
    const first = sim.member(await untilLeader(sim));
    const epoch = first.core!.currentEpoch;
    const session = sessionId(1);
    first.core!.submit(createSession(session));
    await until(sim, 'the session', () => first.db.session(session) !== undefined, 500);
    // A write every 3 ticks for 120 ticks: every member's disk stays busy throughout.
    for (let i = 0; i < 40; i++) {
      first.core!.submit(create(session, i + 1, `/w${i}`, String(i)));
      await run(sim, 3);
    }
    await until(sim, 'the last write on every member', () => sim.members.every((m) => valueAt(m, '/w39') === '39'), 500);
    assert.deepEqual(leaders(sim).map((m) => m.sid), [first.sid], 'no election happened');
    assert.equal(first.core!.currentEpoch, epoch, 'still the first epoch');
    // The switch's own findings (ACKs before durability) are expected; nothing else is.
    assert.deepEqual(sim.ghost.failures.filter((f) => !/ACKed .* before it was durable|durable only on/.test(f)), []);
  });
}
