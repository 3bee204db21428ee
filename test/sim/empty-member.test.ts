/**
 * A member whose disk was wiped (ZOOKEEPER-261/2325, zab.md §1.4 and §9): it may have
 * helped commit a txn it no longer holds, so it must not vote as if it had zxid 0 and help
 * elect a leader that lacks the txn. It joins a leader the members with history elected,
 * and is brought up to date with a SNAP.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { create, leaders, run, scriptedSim, startAll, status, until, untilLeader, valueAt } from './scripted.js';

test('a wiped member does not help a lagging member lead without a committed txn; it syncs by SNAP once a member with the txn leads', async () => {
  const sim = scriptedSim({ voters: 3 });
  startAll(sim);
  const leader = await untilLeader(sim);
  const [follower, lagging] = sim.members.filter((m) => m.sid !== leader).map((m) => m.sid) as [number, number];
  const L = sim.member(leader);
  const F = sim.member(follower);
  const C = sim.member(lagging);

  // X commits on the leader and F while C is cut off.
  sim.network.partition([[lagging], [leader, follower]]);
  L.core!.submit(create(0n, 1, '/x', 'committed'));
  await until(sim, 'X committed on L and F', () => valueAt(L, '/x') === 'committed' && valueAt(F, '/x') === 'committed');
  await run(sim, 10);
  assert.equal(valueAt(C, '/x'), null, 'C missed X');

  // L goes down; F loses its disk and comes back empty; C is reachable again.
  L.crash();
  sim.network.dropFor(leader);
  F.crash();
  sim.network.dropFor(follower);
  sim.wipe(follower);
  sim.network.heal();
  F.start();
  await run(sim, 400);
  assert.deepEqual(
    leaders(sim).map((m) => m.sid),
    [],
    `C (without X) and the wiped F must not elect anyone (${status(sim)})`,
  );
  assert.deepEqual(sim.ghost.failures, []);

  // L, which has X, comes back: it leads, and F and C get X.
  L.start();
  const next = await untilLeader(sim);
  await run(sim, 20);
  for (const m of sim.members) assert.equal(valueAt(m, '/x'), 'committed', `member ${m.sid} has X (leader ${next})`);
  assert.deepEqual(sim.ghost.failures, []);
  const syncs = syncModesOf(sim, follower);
  assert.equal(syncs.at(-1), 'SNAP', `the wiped member is synced by SNAP (got ${syncs.join(',')})`);
});

function syncModesOf(sim: ReturnType<typeof scriptedSim>, sid: number): string[] {
  return sim.syncModes.filter((s) => s.learner === sid).map((s) => s.mode);
}

test('empty members still elect when every voter is heard and none has a txn (an epoch moved on with no data)', async () => {
  const sim = scriptedSim({ voters: 3 });
  startAll(sim);
  const leader = await untilLeader(sim);
  const others = sim.members.filter((m) => m.sid !== leader).map((m) => m.sid);
  for (const sid of others) {
    sim.member(sid).crash();
    sim.network.dropFor(sid);
    sim.wipe(sid);
  }
  // The leader keeps epoch 1 and no txn; the two empty members come back.
  for (const sid of others) sim.member(sid).start();
  const next = await untilLeader(sim);
  assert.equal(next, leader, 'the member with the newest epoch leads');
  assert.deepEqual(sim.ghost.failures, []);
});
