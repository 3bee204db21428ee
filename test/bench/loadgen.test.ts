/**
 * The benchmark's load generator does what its figures claim: every request it counts
 * was sent and answered without error, replies are the ones asked for, deletes remove
 * exactly what creates made, watches fire at every session, and the latency histogram's
 * percentiles are right. Functional checks against a real member, not timings.
 */
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { Histogram } from './lib/histogram.js';
import { CountedPathFrames, createFrame, setDataFrame } from './loadgen/frames.js';
import { PipelinedSession } from './loadgen/session.js';
import { WorkerPool } from './loadgen/worker-pool.js';
import { keyPath } from './loadgen/workloads.js';
import { createZooLabMember } from './servers/zoolab-member.js';
import type { BenchServer } from './servers/bench-server.js';
import { createNodes } from './suites/setup.js';
import { fourLetterWord } from '../helpers/four-letter.js';

test('histogram percentiles are within 1 % and merge like one histogram', () => {
  const a = new Histogram();
  const b = new Histogram();
  const all = new Histogram();
  // 1..10 000 µs, split unevenly between two histograms.
  for (let i = 1; i <= 10_000; i++) {
    const ms = i / 1000;
    (i % 3 === 0 ? a : b).record(ms);
    all.record(ms);
  }
  const merged = Histogram.from(a.toData()).merge(b.toData());
  assert.equal(merged.count, 10_000);
  for (const [p, exact] of [
    [50, 5],
    [99, 9.9],
    [99.9, 9.99],
  ] as const) {
    assert.ok(Math.abs(merged.percentile(p) - exact) / exact < 0.01, `p${p} = ${merged.percentile(p)}, expected ≈ ${exact}`);
    assert.equal(merged.percentile(p), all.percentile(p));
  }
  assert.equal(merged.percentile(100), 10);
  assert.equal(merged.percentile(0), 0.001);
  assert.ok(Number.isNaN(new Histogram().percentile(50)));
});

test('counted path frames equal freshly encoded ones', () => {
  const frames = new CountedPathFrames('/bench/c/r0t-0001-', 9, (p) => createFrame(p));
  for (const n of [0, 7, 123_456_789, 999_999_999]) {
    assert.deepEqual(frames.frame(n), createFrame(frames.path(n)));
  }
  assert.throws(() => frames.frame(1_000_000_000), RangeError);
});

let server: BenchServer;
let pool: WorkerPool;

async function znodeCount(): Promise<number> {
  const mntr = await fourLetterWord(Number(server.hostPort.split(':')[1]), 'mntr');
  return Number(/^zk_znode_count\s+(\d+)$/m.exec(mntr)![1]);
}

before(async () => {
  server = await createZooLabMember();
  await server.start();
  pool = WorkerPool.start(2);
  await createNodes(server.hostPort, ['/t', '/t/k', '/t/c', '/t/p', ...Array.from({ length: 10 }, (_, i) => keyPath('/t/k/k', i))]);
});

after(async () => {
  await pool?.stop();
  await server?.destroy();
});

test('creates made by several sessions are deleted exactly, with no errors', async () => {
  const before = await znodeCount();
  await pool.open([server.hostPort], 3);
  const created = await pool.load({ kind: 'create', prefix: '/t/c/x' }, { inFlight: 20, warmupMs: 50, durationMs: 300 });
  await pool.closeAll();
  const total = created.sent.reduce((a, b) => a + b, 0);
  assert.equal(created.sent.length, 3);
  assert.ok(created.sent.every((n) => n > 0), `every session created nodes: ${created.sent}`);
  assert.equal(created.errors, 0);
  assert.ok(created.completed > 0 && created.completed <= total);
  assert.equal(await znodeCount(), before + total);

  await pool.open([server.hostPort], 3);
  const deleted = await pool.load({ kind: 'delete', prefix: '/t/c/x', counts: created.sent }, { inFlight: 20, warmupMs: 0, durationMs: null });
  await pool.closeAll();
  // Run dry: every delete was inside the window and answered without error.
  assert.equal(deleted.completed, total);
  assert.equal(deleted.errors, 0);
  assert.equal(deleted.histogram.count, total);
  assert.equal(await znodeCount(), before);
});

test('a populate run creates exactly its range under parents', async () => {
  await createNodes(server.hostPort, ['/t/p/p00000', '/t/p/p00001']);
  const before = await znodeCount();
  await pool.open([server.hostPort], 4);
  const r = await pool.load({ kind: 'populate', root: '/t/p', perParent: 100, from: 0, to: 150 }, { inFlight: 10, warmupMs: 0, durationMs: null });
  await pool.closeAll();
  assert.equal(r.completed, 150);
  assert.equal(await znodeCount(), before + 150);
});

test('reads are counted inside the window, with the getData reply size', async () => {
  await pool.open([server.hostPort], 2);
  const r = await pool.load({ kind: 'get', keyPrefix: '/t/k/k', keys: 10 }, { inFlight: 10, warmupMs: 100, durationMs: 300 });
  await pool.closeAll();
  assert.equal(r.errors, 0);
  assert.deepEqual(r.replyLengths, [188]); // header 16 + data 4+100 + Stat 68
  assert.equal(r.histogram.count, r.completed);
  assert.ok(r.throughput > 0);
  assert.ok(r.histogram.percentile(50) <= r.histogram.percentile(99));
});

test('a mistaken expectation is caught: setData on a missing node fails the run', async () => {
  await pool.open([server.hostPort], 1);
  const r = await pool.load({ kind: 'set', keyPrefix: '/t/missing/k', keys: 3 }, { inFlight: 2, warmupMs: 0, durationMs: 100 });
  await pool.closeAll();
  assert.ok(r.errors > 0);
  assert.ok(r.errorCodes[-101]! > 0, `NoNode expected: ${JSON.stringify(r.errorCodes)}`);
});

test('a watch armed in every session fires at every session', async () => {
  await pool.open([server.hostPort], 25);
  const trigger = await PipelinedSession.open(server.hostPort);
  try {
    for (let round = 0; round < 2; round++) {
      const { fired } = await pool.arm('/t/k/k0000');
      assert.equal((await trigger.call(setDataFrame('/t/k/k0000'))).err, 0);
      const f = await fired;
      assert.equal(f.sessions, 25);
      assert.ok(f.firstAt <= f.lastAt);
    }
  } finally {
    await trigger.close();
    await pool.closeAll();
  }
});

test('connect+close loops complete sessions without errors', async () => {
  const r = await pool.churn([server.hostPort], 4, { warmupMs: 50, durationMs: 300 });
  assert.equal(r.errors, 0);
  assert.ok(r.completed > 0);
  assert.equal(r.histogram.count, r.completed);
});
