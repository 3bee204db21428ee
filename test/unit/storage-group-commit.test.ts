/**
 * GroupCommitter with a hand-driven flush and scheduler: no timers, no disk.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GroupCommitter, type Outcome } from '../../engine/src/storage/group-commit.js';

interface Pending {
  batch: string[];
  finish(outcomes?: Outcome<string>[]): void;
  fail(e: Error): void;
}

function harness(limits: { maxBatchOps?: number; maxBatchWeight?: number } = {}) {
  const flushes: Pending[] = [];
  const scheduled: (() => void)[] = [];
  const busy: boolean[] = [];
  const gc = new GroupCommitter<string, string>({
    flush: (batch) =>
      new Promise((resolve, reject) =>
        flushes.push({
          batch,
          finish: (outcomes) => resolve(outcomes ?? batch.map((op) => ({ ok: true, value: `done:${op}` }))),
          fail: reject,
        }),
      ),
    weight: (op) => op.length,
    maxBatchOps: limits.maxBatchOps ?? 100,
    maxBatchWeight: limits.maxBatchWeight ?? 1000,
    schedule: (run) => scheduled.push(run),
    onBusyChange: (b) => busy.push(b),
  });
  const runScheduled = (): void => {
    while (scheduled.length) scheduled.shift()!();
  };
  return { gc, flushes, runScheduled, busy };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

test('submits in one turn share the first flush; later ones wait and share the next', async () => {
  const { gc, flushes, runScheduled } = harness();
  const results: string[] = [];
  const p = ['a', 'b', 'c'].map((op) => gc.submit(op).then((r) => results.push(r)));
  assert.equal(flushes.length, 0, 'the first flush waits for the scheduler');
  runScheduled();
  assert.deepEqual(flushes.map((f) => f.batch), [['a', 'b', 'c']]);
  // Arrivals during the flush queue up; no second flush is in flight.
  const q = ['d', 'e'].map((op) => gc.submit(op).then((r) => results.push(r)));
  runScheduled();
  assert.equal(flushes.length, 1);
  assert.equal(gc.queued, 2);
  flushes[0]!.finish();
  await Promise.all(p);
  await tick();
  assert.deepEqual(flushes.map((f) => f.batch), [['a', 'b', 'c'], ['d', 'e']]);
  flushes[1]!.finish();
  await Promise.all(q);
  assert.deepEqual(results, ['done:a', 'done:b', 'done:c', 'done:d', 'done:e']);
  assert.deepEqual(gc.stats, { batches: 2, ops: 5, largestBatch: 3 });
});

test('batches respect the op and weight limits, but always take one op', async () => {
  const { gc, flushes, runScheduled } = harness({ maxBatchOps: 2, maxBatchWeight: 5 });
  const all = ['aa', 'bb', 'cc', 'dddddddd', 'e'].map((op) => gc.submit(op));
  runScheduled();
  for (let i = 0; i < 4; i++) {
    flushes[i]!.finish();
    await tick();
  }
  await Promise.all(all);
  assert.deepEqual(
    flushes.map((f) => f.batch),
    [['aa', 'bb'], ['cc'], ['dddddddd'], ['e']],
  );
});

test('a soft failure rejects only its own op', async () => {
  const { gc, flushes, runScheduled } = harness();
  const a = gc.submit('a');
  const b = gc.submit('b');
  runScheduled();
  flushes[0]!.finish([
    { ok: true, value: 'A' },
    { ok: false, error: new Error('b was invalid') },
  ]);
  assert.equal(await a, 'A');
  await assert.rejects(b, /b was invalid/);
  const c = gc.submit('c');
  runScheduled();
  flushes[1]!.finish();
  assert.equal(await c, 'done:c');
});

test('a failed flush fails the batch, the queue and every later submit', async () => {
  const { gc, flushes, runScheduled, busy } = harness();
  const a = gc.submit('a');
  runScheduled();
  const b = gc.submit('b');
  flushes[0]!.fail(new Error('fsync: EIO'));
  await assert.rejects(a, /EIO/);
  await assert.rejects(b, /EIO/);
  await assert.rejects(gc.submit('c'), /EIO/);
  assert.equal(flushes.length, 1, 'nothing is flushed after a failure');
  assert.match(String(gc.failed), /EIO/);
  assert.deepEqual(busy, [true, false]);
  await gc.whenIdle();
});

test('whenIdle waits for queued and in-flight work; busy changes are reported once each', async () => {
  const { gc, flushes, runScheduled, busy } = harness();
  await gc.whenIdle();
  const a = gc.submit('a');
  let idle = false;
  const idleP = gc.whenIdle().then(() => (idle = true));
  runScheduled();
  gc.submit('b').catch(() => undefined);
  flushes[0]!.finish();
  await a;
  await tick();
  assert.equal(idle, false, 'b is still in flight');
  flushes[1]!.finish();
  await idleP;
  assert.deepEqual(busy, [true, false]);
});

test('fail() rejects what is queued and refuses new work', async () => {
  const { gc } = harness();
  const a = gc.submit('a');
  gc.fail(new Error('closed'));
  await assert.rejects(a, /closed/);
  await assert.rejects(gc.submit('b'), /closed/);
});

function pipelined(maxInFlight: number) {
  const flushes: Pending[] = [];
  const scheduled: (() => void)[] = [];
  const gc = new GroupCommitter<string, string>({
    flush: (batch) =>
      new Promise((resolve, reject) =>
        flushes.push({ batch, finish: (o) => resolve(o ?? batch.map((op) => ({ ok: true, value: `done:${op}` }))), fail: reject }),
      ),
    weight: (op) => op.length,
    maxBatchOps: 100,
    maxBatchWeight: 1000,
    maxInFlight,
    schedule: (run) => scheduled.push(run),
  });
  const runScheduled = (): void => {
    while (scheduled.length) scheduled.shift()!();
  };
  return { gc, flushes, runScheduled };
}

test('maxInFlight: later batches are handed over while earlier ones are in flight, and settle in order', async () => {
  const { gc, flushes, runScheduled } = pipelined(2);
  const order: string[] = [];
  const a = gc.submit('a').then((r) => order.push(r));
  runScheduled();
  const b = ['b1', 'b2'].map((op) => gc.submit(op).then((r) => order.push(r)));
  runScheduled();
  const c = gc.submit('c').then((r) => order.push(r));
  runScheduled();
  // Two in flight at most: 'c' waits.
  assert.deepEqual(flushes.map((f) => f.batch), [['a'], ['b1', 'b2']]);
  // The second flush finishing first changes nothing: results follow formation order.
  flushes[1]!.finish();
  await tick();
  assert.deepEqual(order, []);
  flushes[0]!.finish();
  await Promise.all([a, ...b]);
  assert.deepEqual(order, ['done:a', 'done:b1', 'done:b2']);
  await tick();
  assert.deepEqual(flushes.map((f) => f.batch), [['a'], ['b1', 'b2'], ['c']]);
  flushes[2]!.finish();
  await c;
  assert.deepEqual(order, ['done:a', 'done:b1', 'done:b2', 'done:c']);
  await gc.whenIdle();
});

test('maxInFlight: a failed flush fails the batches in flight behind it, even ones that succeeded', async () => {
  const { gc, flushes, runScheduled } = pipelined(3);
  const a = gc.submit('a');
  runScheduled();
  const b = gc.submit('b');
  runScheduled();
  flushes[1]!.finish();
  flushes[0]!.fail(new Error('disk gone'));
  await assert.rejects(a, /disk gone/);
  await assert.rejects(b, /disk gone/);
  await assert.rejects(gc.submit('c'), /disk gone/);
  assert.equal(gc.failed?.message, 'disk gone');
});
