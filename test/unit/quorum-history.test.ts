import test from 'node:test';
import assert from 'node:assert/strict';
import { History, isNextZxid } from '../../engine/src/quorum/history.js';
import { makeZxid } from '../../engine/src/jute/zxid.js';
import { OpCode } from '../../engine/src/jute/opcodes.js';
import type { TxnEntry } from '../../engine/src/tree/txn.js';

const z = makeZxid;
const entry = (zxid: bigint): TxnEntry => ({ zxid, sessionId: 1n, cxid: 1, time: 0, txn: { op: OpCode.delete, path: '/x' } });

test('continuity: consecutive counters, or counter 1 of a later epoch (ZOOKEEPER-4925)', () => {
  assert.equal(isNextZxid(z(1, 4), z(1, 5)), true);
  assert.equal(isNextZxid(z(1, 4), z(3, 1)), true);
  assert.equal(isNextZxid(0n, z(1, 1)), true);
  assert.equal(isNextZxid(z(1, 4), z(1, 6)), false);
  assert.equal(isNextZxid(z(1, 4), z(2, 2)), false);
  assert.equal(isNextZxid(z(2, 4), z(1, 5)), false);
  assert.equal(isNextZxid(z(1, 0xffffffff), z(2, 0)), false);
});

test('append refuses a hole and changes nothing', () => {
  const h = new History(0n, [entry(z(1, 1))]);
  assert.match(h.append(entry(z(1, 3)))!, /1:3 cannot follow 1:1/);
  assert.equal(h.last(), z(1, 1));
  assert.throws(() => new History(0n, [entry(z(1, 2))]), /not continuous/);
});

test('truncate removes only above the point and never a committed entry', () => {
  const h = new History(0n, [z(1, 1), z(1, 2), z(1, 3), z(1, 4)].map(entry));
  h.commitTo(z(1, 2));
  assert.throws(() => h.truncateAfter(z(1, 1)), /would remove committed/);
  assert.equal(h.truncateAfter(z(1, 2)), 2);
  assert.equal(h.last(), z(1, 2));
  assert.equal(h.append(entry(z(2, 1))), null);
});

test('trim keeps the newest windowSize committed entries and everything unapplied', () => {
  const h = new History(0n, [1, 2, 3, 4, 5, 6].map((c) => entry(z(1, c))));
  h.commitTo(z(1, 5));
  h.trim(2, z(1, 5));
  assert.equal(h.base, z(1, 3));
  assert.deepEqual(h.range(0n).map((e) => e.zxid), [z(1, 4), z(1, 5), z(1, 6)]);
  h.trim(0, z(1, 4)); // applied only up to 1:4: 1:5 stays
  assert.equal(h.base, z(1, 4));
  assert.equal(h.floorBelow(z(1, 6)), z(1, 5));
  assert.equal(h.floorBelow(z(1, 5)), z(1, 4));
  assert.equal(h.nextAfter(z(1, 4))?.zxid, z(1, 5));
});

test('resetTo (SNAP) empties the log at a committed point', () => {
  const h = new History(0n, [entry(z(1, 1))]);
  h.resetTo(z(3, 7));
  assert.equal(h.last(), z(3, 7));
  assert.equal(h.committed, z(3, 7));
  assert.equal(h.size, 0);
  assert.equal(h.append(entry(z(3, 8))), null);
});
