/**
 * The idle heap compaction policy (engine/src/member/heap-compaction.ts) on manual time
 * with a fake heap: compact once after a quiet second when the heap grew enough, never
 * while work goes on, never for small growth, and again only after new growth.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { IdleHeapCompactor, v8Heap, type CompactableHeap } from '../../engine/src/member/heap-compaction.js';
import { ManualTimers } from '../../engine/src/server/timers.js';
import { createLogger } from '../../engine/src/server/log.js';

const MiB = 1024 * 1024;

class FakeHeap implements CompactableHeap {
  constructor(
    public size: number,
    private readonly live: number,
  ) {}
  compacted = 0;
  committedBytes(): number {
    return this.size;
  }
  compact(): void {
    this.compacted++;
    this.size = this.live;
  }
}

function setup(heap: FakeHeap) {
  const timers = new ManualTimers();
  let activity = 0;
  const compactor = new IdleHeapCompactor({ heap, timers, activity: () => activity, log: createLogger('error') });
  const stop = compactor.start();
  return { timers, compactor, stop, work: () => void activity++ };
}

test('compacts once after about a second of quiet when the heap grew by 16 MiB and 25%', () => {
  const heap = new FakeHeap(30 * MiB, 30 * MiB);
  const { timers, work } = setup(heap);
  // A burst: activity changes at every check, the heap grows.
  for (let i = 0; i < 10; i++) {
    work();
    heap.size += 5 * MiB;
    timers.advance(500);
  }
  assert.equal(heap.compacted, 0, 'never while busy');
  timers.advance(500); // one quiet check
  assert.equal(heap.compacted, 0);
  timers.advance(500); // second quiet check: compact
  assert.equal(heap.compacted, 1);
  assert.equal(heap.size, 30 * MiB);
  timers.advance(10_000);
  assert.equal(heap.compacted, 1, 'staying idle does not compact again');
});

test('startup garbage goes at the first quiet second', () => {
  const heap = new FakeHeap(90 * MiB, 40 * MiB);
  const { timers } = setup(heap);
  timers.advance(1_500);
  assert.equal(heap.compacted, 1);
  assert.equal(heap.size, 40 * MiB);
});

test('a small heap is not compacted', () => {
  const heap = new FakeHeap(12 * MiB, 5 * MiB);
  const { timers } = setup(heap);
  timers.advance(5_000);
  assert.equal(heap.compacted, 0);
});

test('small growth is left alone; new growth after a compaction is measured from the compacted size', () => {
  const heap = new FakeHeap(100 * MiB, 100 * MiB);
  const { timers, work } = setup(heap);
  timers.advance(5_000); // the startup compaction (nothing to free here)
  assert.equal(heap.compacted, 1);
  heap.compacted = 0;
  work();
  heap.size = 120 * MiB; // +20 MiB but only +20 %: not worth a pause
  timers.advance(5_000);
  assert.equal(heap.compacted, 0);
  work();
  heap.size = 140 * MiB; // +40 %
  timers.advance(5_000);
  assert.equal(heap.compacted, 1);
  // The live size is 100 MiB: the next compaction needs 25 % over that again.
  work();
  heap.size = 110 * MiB;
  timers.advance(5_000);
  assert.equal(heap.compacted, 1);
  work();
  heap.size = 130 * MiB;
  timers.advance(5_000);
  assert.equal(heap.compacted, 2);
});

test('stop() ends the checks', () => {
  const heap = new FakeHeap(10 * MiB, 10 * MiB);
  const { timers, stop, work } = setup(heap);
  work();
  heap.size = 100 * MiB;
  stop();
  timers.advance(10_000);
  assert.equal(heap.compacted, 0);
});

test('the real V8 heap: compact() frees what garbage held', () => {
  const heap = v8Heap();
  let junk: string[] | null = Array.from({ length: 200_000 }, (_, i) => `garbage-${i}-${'x'.repeat(64)}`);
  const before = heap.committedBytes();
  assert.ok(junk.length > 0 && before > 0);
  junk = null;
  heap.compact();
  assert.ok(heap.committedBytes() < before, `${heap.committedBytes()} should be below ${before}`);
});
