import test from 'node:test';
import assert from 'node:assert/strict';
import { History } from '../../engine/src/quorum/history.js';
import { planSync, type SyncPlan } from '../../engine/src/quorum/zab/sync-plan.js';
import { makeZxid } from '../../engine/src/jute/zxid.js';
import { OpCode } from '../../engine/src/jute/opcodes.js';
import type { TxnEntry } from '../../engine/src/tree/txn.js';

const z = makeZxid;
const entry = (zxid: bigint): TxnEntry => ({ zxid, sessionId: 1n, cxid: 1, time: 0, txn: { op: OpCode.delete, path: '/x' } });

/** The leader's window: base 1:2 (snapshot), then 1:3 1:4 1:5 2:1 2:2, committed to 2:2. */
function leaderWindow(): History {
  const h = new History(z(1, 2), [z(1, 3), z(1, 4), z(1, 5), z(2, 1), z(2, 2)].map(entry));
  h.commitTo(z(2, 2));
  return h;
}

// zab.md §3.3, with our cross-epoch TRUNC (sync-plan.ts header).
const table: { name: string; peer: bigint; plan: SyncPlan }[] = [
  { name: 'peer at the last commit: empty DIFF', peer: z(2, 2), plan: { mode: 'DIFF', from: z(2, 2) } },
  { name: 'peer inside the window: DIFF from it', peer: z(1, 4), plan: { mode: 'DIFF', from: z(1, 4) } },
  { name: 'peer exactly at the window base: DIFF of everything', peer: z(1, 2), plan: { mode: 'DIFF', from: z(1, 2) } },
  { name: 'peer below the window: SNAP', peer: z(1, 1), plan: { mode: 'SNAP' } },
  { name: 'empty peer below the window: SNAP', peer: 0n, plan: { mode: 'SNAP' } },
  { name: 'peer past the last commit (uncommitted tail): TRUNC to the last commit', peer: z(2, 7), plan: { mode: 'TRUNC', to: z(2, 2) } },
  { name: 'ex-leader tail of an old epoch past the commit: TRUNC to the last commit', peer: z(3, 1), plan: { mode: 'TRUNC', to: z(2, 2) } },
  { name: 'peer zxid absent inside the window (divergent 1:6+): TRUNC to the entry below', peer: z(1, 7), plan: { mode: 'TRUNC', to: z(1, 5) } },
];

for (const row of table) {
  test(`sync plan: ${row.name}`, () => {
    const h = leaderWindow();
    assert.deepEqual(planSync(row.peer, { base: h.base, committed: h.committed, has: (x) => h.has(x), floorBelow: (x) => h.floorBelow(x) }), row.plan);
  });
}

test('sync plan: a learner holding my outstanding proposals keeps them (DIFF, not TRUNC)', () => {
  const h = leaderWindow();
  assert.equal(h.append(entry(z(2, 3))), null); // proposed, not yet committed
  const w = { base: h.base, committed: h.committed, has: (x: bigint) => h.has(x), floorBelow: (x: bigint) => h.floorBelow(x) };
  assert.deepEqual(planSync(z(2, 3), w), { mode: 'DIFF', from: z(2, 3) });
  assert.deepEqual(planSync(z(2, 4), w), { mode: 'TRUNC', to: z(2, 2) });
});

test('sync plan: forceSnapshotSync always SNAPs', () => {
  const h = leaderWindow();
  assert.deepEqual(planSync(z(2, 2), { base: h.base, committed: h.committed, has: (x) => h.has(x), floorBelow: (x) => h.floorBelow(x) }, true), { mode: 'SNAP' });
});

test('sync plan: a leader whose window covers the whole history DIFFs an empty learner', () => {
  const h = new History(0n, [z(1, 1), z(1, 2)].map(entry));
  h.commitTo(z(1, 2));
  assert.deepEqual(planSync(0n, { base: h.base, committed: h.committed, has: (x) => h.has(x), floorBelow: (x) => h.floorBelow(x) }), { mode: 'DIFF', from: 0n });
});

test('sync plan: an uninitialized learner (zxid −1, ZOOKEEPER-2325) always gets a SNAP, even from a complete window', () => {
  const h = new History(0n, [z(1, 1), z(1, 2)].map(entry));
  h.commitTo(z(1, 2));
  assert.deepEqual(planSync(-1n, { base: h.base, committed: h.committed, has: (x) => h.has(x), floorBelow: (x) => h.floorBelow(x) }), { mode: 'SNAP' });
  const empty = new History(0n);
  assert.deepEqual(planSync(-1n, { base: empty.base, committed: empty.committed, has: (x) => empty.has(x), floorBelow: (x) => empty.floorBelow(x) }), { mode: 'SNAP' });
});
