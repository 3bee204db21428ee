/**
 * Sessions (wire-protocol.md §13, zab.md §5): id layout, timeout negotiation, expiry
 * buckets and the tracker, all driven by an injected clock.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { Err } from '../../engine/src/jute/index.js';
import {
  ExpiryBuckets,
  SessionIdGenerator,
  SessionTracker,
  initialSessionId,
  negotiateTimeout,
  timeoutBounds,
} from '../../engine/src/sessions/index.js';

/** A hand-driven monotonic clock. */
function manualClock(start = 0) {
  let now = start;
  return { now: () => now, set: (t: number) => void (now = t), advance: (d: number) => void (now += d) };
}

test('session ids: server id in byte 7, 40 bits of the clock, a 16-bit sequence (§13.1)', () => {
  assert.equal(initialSessionId(1, 0xc7c2a), 0x0100000c7c2a0000n, 'the id a standalone 3.8 handed out');
  const gen = new SessionIdGenerator(1, 0xc7c2a);
  assert.equal(gen.nextId(), 0x0100000c7c2a0000n);
  assert.equal(gen.nextId(), 0x0100000c7c2a0001n);
  // Only the low 40 bits of the clock are kept.
  assert.equal(initialSessionId(3, 2 ** 41 + 5), BigInt.asIntN(64, (3n << 56n) | (5n << 16n)));
  assert.equal(initialSessionId(254, 0) >> 56n, -2n, 'ids of servers ≥ 128 are negative longs');
  assert.throws(() => initialSessionId(256, 0), RangeError);
});

test('Long.MIN_VALUE (the container marker) is never handed out', () => {
  assert.equal(initialSessionId(128, 0), -(1n << 63n) + 1n);
  const gen = new SessionIdGenerator(127, 0xffffffffff);
  const first = gen.nextId();
  assert.equal(first, 0x7fffffffffff0000n);
  for (let i = 0; i < 0xffff; i++) gen.nextId();
  assert.equal(gen.nextId(), -(1n << 63n) + 1n, 'the 64-bit wrap skips Long.MIN_VALUE');
});

test('timeout negotiation clamps to [2, 20] × tickTime by default (§4.2) or to configured bounds', () => {
  const b = timeoutBounds(2000);
  assert.deepEqual(b, { min: 4000, max: 40000 });
  for (const [req, got] of [[1, 4000], [0, 4000], [-5, 4000], [100000, 40000], [10000, 10000], [40000, 40000]]) {
    assert.equal(negotiateTimeout(req!, b), got, `requested ${req}`);
  }
  assert.deepEqual(timeoutBounds(2000, 1000, -1), { min: 1000, max: 40000 });
  assert.equal(negotiateTimeout(1500, timeoutBounds(100, 1000, 5000)), 1500);
});

test('expiry buckets round deadlines up to the next tick boundary; touches move elements', () => {
  const q = new ExpiryBuckets<string>(2000, 0);
  assert.equal(q.roundUp(0), 2000);
  assert.equal(q.roundUp(3999), 4000);
  assert.equal(q.roundUp(4000), 6000);
  assert.equal(q.update('a', 4000, 0), 6000);
  assert.equal(q.update('b', 4000, 1500), 6000);
  assert.equal(q.update('c', 4000, 2500), 8000);
  assert.deepEqual(q.snapshot(), [{ expiresAt: 6000, keys: ['a', 'b'] }, { expiresAt: 8000, keys: ['c'] }]);
  assert.equal(q.nextDeadline(), 6000);
  assert.deepEqual(q.poll(5999), []);
  q.update('a', 4000, 5000); // touched: moves to 10000
  assert.deepEqual(q.poll(6000), ['b']);
  assert.deepEqual(q.poll(20000), ['c', 'a'], 'oldest bucket first, several buckets at once');
  assert.equal(q.size, 0);
  assert.equal(q.nextDeadline(), null);
  assert.equal(q.remove('zzz'), false);
});

test('a session expires between timeout and timeout + tickTime after its last activity (§13.2)', () => {
  const clock = manualClock(0);
  const t = new SessionTracker({ tickTime: 2000, clock: clock.now });
  t.addSession(1n, 4000);
  assert.equal(t.expiresAt(1n), 6000);
  clock.set(5999);
  assert.deepEqual(t.expire(), []);
  clock.set(6000);
  assert.deepEqual(t.expire(), [{ id: 1n, timeout: 4000, closing: true }]);
  assert.equal(t.checkSession(1n), Err.SessionExpired, 'expired sessions are closing until removed');
  assert.deepEqual(t.expire(), [], 'expired once');
  t.removeSession(1n);
  assert.equal(t.checkSession(1n), Err.UnknownSession);
});

test('touches keep a session alive; renegotiation changes its timeout', () => {
  const clock = manualClock(1000);
  const t = new SessionTracker({ tickTime: 2000, clock: clock.now });
  t.addSession(7n, 4000);
  for (let i = 0; i < 10; i++) {
    clock.advance(3000);
    assert.equal(t.touchSession(7n), true);
    assert.deepEqual(t.expire(), []);
  }
  assert.equal(t.touchSession(7n, 10000), true);
  assert.equal(t.get(7n)!.timeout, 10000);
  clock.advance(10000);
  assert.deepEqual(t.expire(), []);
  clock.advance(2000);
  assert.equal(t.expire().length, 1);
  assert.equal(t.touchSession(99n), false, 'unknown');
});

test('a closing session is never touched back to life', () => {
  const clock = manualClock(0);
  const t = new SessionTracker({ tickTime: 1000, clock: clock.now });
  t.addSession(2n, 3000);
  t.setClosing(2n);
  assert.equal(t.touchSession(2n), false);
  t.addSession(2n, 3000);
  assert.equal(t.checkSession(2n), Err.SessionExpired);
  clock.advance(1e6);
  assert.deepEqual(t.expire(), [], 'a closing session is not expired again');
  assert.equal(t.isAlive(2n), false);
});

test('nextExpiry tells the driver when to call expire(); dump buckets list sessions', () => {
  const clock = manualClock(0);
  const t = new SessionTracker({ tickTime: 2000, clock: clock.now });
  assert.equal(t.nextExpiry(), null);
  t.addSession(1n, 4000);
  t.addSession(2n, 10000);
  assert.equal(t.nextExpiry(), 6000);
  assert.deepEqual(t.bucketSnapshot(), [{ expiresAt: 6000, sessions: [1n] }, { expiresAt: 12000, sessions: [2n] }]);
  assert.equal(t.size, 2);
});

test('recreate (a new leader): every session from the database with a full fresh timeout', () => {
  const clock = manualClock(0);
  const t = new SessionTracker({ tickTime: 2000, clock: clock.now });
  t.addSession(1n, 4000);
  t.setClosing(1n);
  clock.set(50_000);
  t.recreate([{ id: 1n, timeout: 4000 }, { id: 3n, timeout: 8000 }]);
  assert.equal(t.checkSession(1n), 0, 'closing state belonged to the old leader');
  assert.equal(t.expiresAt(1n), 56_000);
  assert.equal(t.expiresAt(3n), 60_000);
  assert.deepEqual(t.all().map((s) => s.id).sort(), [1n, 3n]);
});

test('an explicit now overrides the injected clock', () => {
  const t = new SessionTracker({ tickTime: 1000, clock: () => 0 });
  t.addSession(1n, 2000, 10_000);
  assert.equal(t.expiresAt(1n), 13_000);
  assert.equal(t.touchSession(1n, undefined, 20_000), true);
  assert.equal(t.expiresAt(1n), 23_000);
  assert.deepEqual(t.expire(22_999), []);
  assert.equal(t.expire(23_000).length, 1);
});
