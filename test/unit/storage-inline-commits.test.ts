/**
 * Inline commits (storage/inline-commits.ts): which batches the member thread commits
 * itself and which go to the writer worker, that what it commits is durable and in order,
 * that its WAL is checkpointed by the worker, and that a locked file or a slow disk sends
 * work back to the worker.
 */
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { CHECKPOINT_EVERY, INLINE_MAX_OPS, InlineCommits, RECENT, SLOW_COMMIT_MS, SLOW_DISK_PAUSE_MS, SLOW_OF_LAST } from '../../engine/src/storage/inline-commits.js';
import { openSqliteStore } from '../../engine/src/storage/sqlite-store.js';
import { storePaths } from '../../engine/src/storage/store-paths.js';
import { entries, entry, tempDir } from './storage-fixtures.js';

/** Tests that count inline commits: a busy machine's slow commits must not pause them. */
const NEVER_SLOW = { inlineSlowCommitMs: Infinity };

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const tmp = tempDir();
  try {
    await fn(tmp.dir);
  } finally {
    tmp.cleanup();
  }
}

for (const split of [false, true]) {
  test(`appends one at a time commit inline and are there after a reopen${split ? ' (split dataLogDir)' : ''}`, () =>
    withDir(async (dir) => {
      const opts = { dataDir: join(dir, 'data'), dataLogDir: join(dir, split ? 'log' : 'data'), ...NEVER_SLOW };
      const store = await openSqliteStore(opts);
      for (const e of entries(1, 1, 20)) await store.log.append([e]);
      await store.stable.setCurrentEpoch(1);
      assert.deepEqual(store.stats(), { batches: 21, ops: 21, largestBatch: 1, inline: 21 });
      assert.equal(store.log.lastZxid(), entries(1, 20, 20)[0]!.zxid, 'the cached durable state follows inline commits');
      await store.close();
      const again = await openSqliteStore(opts);
      const input = again.recoveryInput();
      assert.deepEqual(
        input.rows.map((r) => r.zxid),
        entries(1, 1, 20).map((e) => e.zxid),
      );
      assert.equal(again.stable.currentEpoch(), 1);
      await again.close();
    }));
}

test('big batches, snapshots and a busy worker go through the worker, in order with inline commits', () =>
  withDir(async (dir) => {
    const store = await openSqliteStore({ dataDir: dir, ...NEVER_SLOW });
    // One batch larger than INLINE_MAX_OPS: the worker's.
    await Promise.all(entries(1, 1, INLINE_MAX_OPS + 1).map((e) => store.log.append([e])));
    assert.equal(store.stats().inline, 0);
    // A snapshot (its chunks and end) is the worker's whatever its size.
    await store.snapshots.write(entries(1, INLINE_MAX_OPS + 1, INLINE_MAX_OPS + 1)[0]!.zxid, Buffer.from('tree'));
    assert.equal(store.stats().inline, 0);
    // A big batch in flight in the worker, then single appends behind it: they must land after it.
    const big = Promise.all(entries(1, 100, 199).map((e) => store.log.append([e])));
    const behind = (async () => {
      await new Promise((r) => setImmediate(r));
      for (const e of entries(1, 200, 204)) await store.log.append([e]);
    })();
    await Promise.all([big, behind]);
    const rows = store.recoveryInput().rows.map((r) => r.zxid);
    assert.deepEqual(rows.slice(-105), entries(1, 100, 204).map((e) => e.zxid));
    assert.ok(store.stats().inline > 0, 'once the worker is idle again, single appends go inline');
    await store.close();
  }));

test('no inline commits with a simulated slow disk, or when turned off', () =>
  withDir(async (dir) => {
    for (const opts of [{ fsyncDelayMs: 1 }, { inlineCommits: false }]) {
      const store = await openSqliteStore({ dataDir: join(dir, JSON.stringify(opts).replace(/\W/g, '')), ...opts });
      for (const e of entries(1, 1, 3)) await store.log.append([e]);
      assert.equal(store.stats().inline, 0, JSON.stringify(opts));
      assert.equal(store.stats().batches, 3);
      await store.close();
    }
  }));

test('the WAL of inline commits is checkpointed by the worker, so it stays small', () =>
  withDir(async (dir) => {
    const store = await openSqliteStore({ dataDir: dir, ...NEVER_SLOW });
    const n = CHECKPOINT_EVERY * 6;
    for (let i = 1; i <= n; i++) await store.log.append([entry(1, i)]);
    // A batch formed while a checkpoint holds the file goes to the worker: one per checkpoint at most.
    assert.ok(store.stats().inline >= n - n / CHECKPOINT_EVERY, `${store.stats().inline} of ${n} inline`);
    // Each commit appends one or two 4 KiB frames: without checkpoints the WAL would hold at
    // least n of them (12 MiB). With one every CHECKPOINT_EVERY commits it starts over, so it
    // holds about 2–3 frames × CHECKPOINT_EVERY (~5 MiB).
    const wal = statSync(join(dir, 'zoolab.db-wal')).size;
    assert.ok(wal < n * 4096 * 0.6, `WAL ${wal} bytes after ${n} inline commits`);
    await store.close();
  }));

test('a file locked by another connection sends the batch to the worker (which waits); nothing is lost', () =>
  withDir(async (dir) => {
    const store = await openSqliteStore({ dataDir: dir, ...NEVER_SLOW });
    await store.log.append([entry(1, 1)]);
    const other = new Database(join(dir, 'zoolab.db'));
    other.exec('BEGIN IMMEDIATE');
    const pending = store.log.append([entry(1, 2)]);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(store.log.lastZxid(), entry(1, 1).zxid, 'still waiting for the lock');
    other.exec('COMMIT');
    other.close();
    await pending;
    assert.equal(store.log.lastZxid(), entry(1, 2).zxid);
    assert.deepEqual(store.stats(), { batches: 2, ops: 2, largestBatch: 1, inline: 1 });
    await store.close();
  }));

test('slow inline commits (SLOW_OF_LAST of the last RECENT) pause inline commits for a while, then they resume', () =>
  withDir(async (dir) => {
    await (await openSqliteStore({ dataDir: dir })).close();
    let clock = 0;
    let slow = false;
    const reports: string[] = [];
    const inline = new InlineCommits({
      paths: storePaths(dir, dir),
      logger: (r) => reports.push(r.code),
      requestCheckpoint: () => {},
      // While `slow`, every reading of the clock moves it on by more than SLOW_COMMIT_MS.
      now: () => (slow ? (clock += SLOW_COMMIT_MS + 1) : clock),
    });
    let c = 0;
    const append = () => [{ kind: 'append' as const, rows: [{ zxid: entry(1, ++c).zxid, bytes: Buffer.from('x'), crc: 0 }], currentEpoch: null }];
    // Slow ones short of SLOW_OF_LAST in any RECENT window: a spike, not a slow disk.
    for (let i = 0; i < 3 * RECENT; i++) {
      slow = i % RECENT < SLOW_OF_LAST - 1;
      assert.ok(inline.accepts([]) && inline.commit(append()), `commit ${i}`);
    }
    assert.deepEqual(reports, []);
    slow = true;
    for (let i = 0; i < SLOW_OF_LAST; i++) assert.ok(inline.commit(append()));
    slow = false;
    assert.equal(inline.accepts(append()), false, 'paused');
    assert.deepEqual(reports, ['inline-commits-paused']);
    clock += SLOW_DISK_PAUSE_MS;
    assert.ok(inline.accepts(append()), 'tried again after the pause');
    assert.deepEqual(inline.stats, { commits: 3 * RECENT + SLOW_OF_LAST, slowPauses: 1 });
    assert.equal(inline.accepts([{ kind: 'truncate', after: 0n }]), false, 'truncation is the worker’s');
    inline.close();
  }));
