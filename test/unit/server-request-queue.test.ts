/** Per-session FIFO ordering rules (request-queue.ts header; wire-protocol.md §1, §17). */
import test from 'node:test';
import assert from 'node:assert/strict';
import { Pending, RequestQueue, type PendingRequest } from '../../engine/src/server/request-queue.js';

function req(kind: Pending, xid: number): PendingRequest<string> {
  return { kind, xid, op: 0, body: Buffer.alloc(0), receivedAt: 0, done: false, outcome: null };
}

/** Runs drain and returns "xid:how" for everything answered. */
function drain(q: RequestQueue<string>): string[] {
  const out: string[] = [];
  q.drain((r) => void out.push(r.kind === Pending.Local ? `${r.xid}:ran` : `${r.xid}:${r.outcome}`));
  return out;
}

test('an idle queue lets a read run at once', () => {
  const q = new RequestQueue<string>();
  assert.equal(q.idle, true);
  q.push(req(Pending.Local, 1));
  assert.deepEqual(drain(q), ['1:ran']);
  assert.equal(q.idle, true);
});

test('a read waits for the session’s earlier write, then runs after its reply', () => {
  const q = new RequestQueue<string>();
  q.push(req(Pending.Ordered, 1));
  q.push(req(Pending.Local, 2));
  assert.equal(q.idle, false);
  assert.deepEqual(drain(q), [], 'nothing may be answered before the write is applied');
  assert.ok(q.complete('applied', (r) => r.xid === 1));
  assert.deepEqual(drain(q), ['1:applied', '2:ran']);
});

test('pipelined writes and reads are answered strictly in arrival order', () => {
  const q = new RequestQueue<string>();
  const kinds = [Pending.Ordered, Pending.Local, Pending.Ordered, Pending.Ordered, Pending.Local, Pending.Local];
  kinds.forEach((k, i) => q.push(req(k, i + 1)));
  const answered: string[] = [];
  q.complete('w1', (r) => r.xid === 1);
  answered.push(...drain(q));
  assert.deepEqual(answered, ['1:w1', '2:ran']);
  q.complete('w3', (r) => r.xid === 3);
  q.complete('w4', (r) => r.xid === 4);
  answered.push(...drain(q));
  assert.deepEqual(answered, ['1:w1', '2:ran', '3:w3', '4:w4', '5:ran', '6:ran']);
  assert.equal(q.length, 0);
});

test('ordered requests complete oldest first: a sync behind a write waits for it', () => {
  const q = new RequestQueue<string>();
  q.push(req(Pending.Ordered, 1)); // a write
  q.push(req(Pending.Ordered, 2)); // a sync
  const first = q.complete('w', () => true)!;
  assert.equal(first.xid, 1, 'the oldest waiting request takes the first outcome');
  assert.deepEqual(drain(q), ['1:w']);
  q.complete('s', (r) => r.xid === 2);
  assert.deepEqual(drain(q), ['2:s']);
});

test('complete refuses a txn whose cxid does not match the oldest waiting request', () => {
  const q = new RequestQueue<string>();
  q.push(req(Pending.Ordered, 7));
  assert.equal(q.complete('x', (r) => r.xid === 99), null);
  assert.deepEqual(drain(q), []);
  assert.equal(q.length, 1);
});

test('drain stops when the answer asks it to (connection closed)', () => {
  const q = new RequestQueue<string>();
  [1, 2, 3].forEach((x) => q.push(req(Pending.Local, x)));
  const seen: number[] = [];
  q.drain((r) => {
    seen.push(r.xid);
    return r.xid !== 2;
  });
  assert.deepEqual(seen, [1, 2]);
  assert.deepEqual(
    q.clear().map((r) => r.xid),
    [3],
  );
});

test('long runs compact without losing order', () => {
  const q = new RequestQueue<string>();
  let next = 0;
  const answered: number[] = [];
  for (let round = 0; round < 50; round++) {
    for (let i = 0; i < 100; i++) q.push(req(Pending.Ordered, next++));
    for (let i = 0; i < 60; i++) q.complete('ok', () => true);
    q.drain((r) => void answered.push(r.xid));
  }
  for (let i = 0; i < 2000; i++) q.complete('ok', () => true);
  q.drain((r) => void answered.push(r.xid));
  assert.equal(answered.length, 5000);
  assert.deepEqual(answered, [...Array(5000).keys()]);
});
