import test from 'node:test';
import assert from 'node:assert/strict';
import { SessionExpiry } from '../../engine/src/quorum/zab/session-expiry.js';

test('sessions expire in tick-wide buckets; touches postpone; closing is final', () => {
  const t = new SessionExpiry(5);
  t.add(1n, 10, 0, 2); // deadline 0+10 rounded up to the next bucket: 15
  t.add(2n, 10, 3, null); // 13 → 15
  t.add(3n, 20, 0, 1); // 20 → 25
  assert.deepEqual(t.expire(14), []);
  assert.equal(t.touch(2n, 12), true); // 22 → 25
  assert.deepEqual(t.expire(15), [1n]);
  assert.equal(t.isClosing(1n), true);
  assert.equal(t.touch(1n, 15), false);
  assert.deepEqual(t.expire(100), [3n, 2n]); // one bucket (25), in the order sessions entered it
  assert.deepEqual(t.expire(200), []);
  t.remove(3n);
  assert.equal(t.has(3n), false);
  assert.equal(t.owner(1n), 2);
  t.setOwner(2n, 4);
  assert.equal(t.owner(2n), 4);
});
