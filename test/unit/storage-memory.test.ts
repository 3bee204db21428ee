/**
 * The simulator's store: nothing is durable until flushed; a crash loses exactly the
 * unflushed ops.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StorageReport } from '../../engine/src/storage/contracts.js';
import { MemoryStore } from '../../engine/src/storage/memory-store.js';
import { recoverStore } from '../../engine/src/storage/recover-store.js';
import { entries, mapFns, z } from './storage-fixtures.js';

/** Lets promise callbacks run (no timers involved). */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

test('writes are invisible and pending until flushed', async () => {
  const store = new MemoryStore();
  let done = false;
  const p = store.log.append(entries(1, 1, 3)).then(() => (done = true));
  await settle();
  assert.equal(done, false);
  assert.equal(store.pending(), 1);
  assert.equal(store.log.lastZxid(), 0n, 'a member never reports what its disk does not hold');
  assert.deepEqual(store.log.read(0n), []);
  assert.equal(store.flush(), 1);
  await p;
  assert.equal(store.log.lastZxid(), z(1, 3));
});

test('flush(n) makes only the oldest n ops durable, in order', async () => {
  const store = new MemoryStore();
  const settled: string[] = [];
  void store.log.append(entries(1, 1, 1)).then(() => settled.push('a1'));
  void store.stable.setAcceptedEpoch(1).then(() => settled.push('epoch'));
  void store.log.append(entries(1, 2, 2)).then(() => settled.push('a2'));
  assert.equal(store.flush(2), 2);
  await settle();
  assert.deepEqual(settled, ['a1', 'epoch']);
  assert.equal(store.log.lastZxid(), z(1, 1));
  assert.equal(store.pending(), 1);
});

test('crash loses unflushed ops, keeps flushed ones; lost promises never settle', async () => {
  const store = new MemoryStore();
  await Promise.all([store.log.append(entries(1, 1, 2)), Promise.resolve(store.flush())]);
  let lostSettled = false;
  void store.log.append(entries(1, 3, 4)).finally(() => (lostSettled = true));
  void store.stable.setCurrentEpoch(1).finally(() => (lostSettled = true));
  store.crash();
  assert.equal(store.flush(), 0, 'nothing left to flush');
  await settle();
  assert.equal(lostSettled, false);
  assert.deepEqual(store.log.read(0n), entries(1, 1, 2));
  assert.equal(store.stable.currentEpoch(), 0);
  // The "restarted member" continues on the same disk.
  const next = store.log.append(entries(1, 3, 3));
  store.flush();
  await next;
  assert.equal(store.log.lastZxid(), z(1, 3));
});

test('a crash between the chunks of a snapshot discards it, reported', async () => {
  const reports: StorageReport[] = [];
  const store = new MemoryStore({ chunkBytes: 2, logger: (r) => reports.push(r) });
  void store.snapshots.write(z(1, 1), Buffer.from('abcdef'));
  await settle();
  assert.equal(store.pending(), 5, 'begin + 3 chunks + end');
  store.flush(3);
  store.crash();
  assert.deepEqual(store.snapshots.list(), []);
  assert.deepEqual(
    reports.map((r) => r.code),
    ['snapshot-incomplete'],
  );
});

test('appendAndSetCurrentEpoch is one op: a crash keeps both or neither', async () => {
  const store = new MemoryStore();
  void store.appendAndSetCurrentEpoch(entries(2, 1, 3), 2);
  store.crash();
  assert.equal(store.log.lastZxid(), 0n);
  assert.equal(store.stable.currentEpoch(), 0);
  const p = store.appendAndSetCurrentEpoch(entries(2, 1, 3), 2);
  store.flush(1);
  await p;
  assert.equal(store.log.lastZxid(), z(2, 3));
  assert.equal(store.stable.currentEpoch(), 2);
});

test('a damaged snapshot is reported and skipped; a damaged row fails its read', async () => {
  const reports: StorageReport[] = [];
  const store = new MemoryStore({ autoFlush: true, logger: (r) => reports.push(r) });
  await store.log.append(entries(1, 1, 6));
  await store.snapshots.write(z(1, 2), Buffer.from('old'));
  await store.snapshots.write(z(1, 4), Buffer.from('new'));
  store.disk.damageSnapshot(z(1, 4));
  assert.deepEqual(store.snapshots.latest(), { zxid: z(1, 2), bytes: Buffer.from('old') });
  assert.equal(reports[0]?.code, 'snapshot-corrupt');
  assert.match(reports[0]!.message, /1:4 is corrupt \(checksum mismatch\)/);
  store.disk.damageRow(z(1, 3), 5);
  assert.throws(() => store.log.read(0n), /log entry 1:3 is damaged: checksum mismatch/);
  assert.deepEqual(store.log.read(z(1, 3)).length, 3);
});

test('recoverStore cuts a damaged tail durably and rebuilds the database', async () => {
  const reports: StorageReport[] = [];
  const store = new MemoryStore({ autoFlush: true });
  await store.log.append(entries(1, 1, 5));
  store.disk.damageRow(z(1, 5));
  const result = await recoverStore(store, mapFns, { logger: (r) => reports.push(r), checkEpochs: false });
  assert.equal(result.lastZxid, z(1, 4));
  assert.equal(store.log.lastZxid(), z(1, 4), 'the tail is gone from the log too');
  assert.deepEqual(
    reports.map((r) => r.code),
    ['log-tail-truncated', 'recovered'],
  );
});

test('recoverStore enforces the epoch invariants when asked', async () => {
  const store = new MemoryStore({ autoFlush: true });
  await store.log.append(entries(2, 1, 1));
  await assert.rejects(recoverStore(store, mapFns, { checkEpochs: true }), /currentEpoch 0 is older than the last logged zxid 2:1/);
  await store.stable.setAcceptedEpoch(2);
  await store.stable.setCurrentEpoch(2);
  const r = await recoverStore(store, mapFns, { checkEpochs: true });
  assert.equal(r.lastZxid, z(2, 1));
});
