/**
 * What only the SQLite store has: files and their layout, schema versioning, the writer
 * worker (group commit, slow disk, event loop left free), damage found at open.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import type { StorageReport } from '../../engine/src/storage/contracts.js';
import { isStorageError } from '../../engine/src/storage/errors.js';
import { APPLICATION_ID } from '../../engine/src/storage/schema.js';
import { fsyncDelayFromEnv, openSqliteStore } from '../../engine/src/storage/sqlite-store.js';
import { entries, tempDir, z } from './storage-fixtures.js';

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const tmp = tempDir();
  try {
    await fn(tmp.dir);
  } finally {
    tmp.cleanup();
  }
}

async function refusesToOpen(opts: Parameters<typeof openSqliteStore>[0], kind: string, pattern: RegExp): Promise<void> {
  await assert.rejects(openSqliteStore(opts), (e: unknown) => {
    assert.ok(isStorageError(e), String(e));
    assert.equal(e.kind, kind);
    assert.match(e.message, pattern);
    return true;
  });
}

test('one file by default; log + epochs and snapshots apart with a dataLogDir', () =>
  withDir(async (dir) => {
    const one = await openSqliteStore({ dataDir: join(dir, 'a') });
    await one.close();
    assert.ok(existsSync(join(dir, 'a', 'zoolab.db')));

    const split = await openSqliteStore({ dataDir: join(dir, 'data'), dataLogDir: join(dir, 'log') });
    await split.appendAndSetCurrentEpoch(entries(3, 1, 2), 3);
    await split.snapshots.write(z(3, 2), Buffer.from('s'));
    await split.close();
    const logDb = new Database(join(dir, 'log', 'zoolab-txnlog.db'), { readonly: true });
    const epoch = logDb.prepare(`SELECT value FROM durable_state WHERE name = 'currentEpoch'`).pluck().get();
    const rows = logDb.prepare('SELECT count(*) FROM txn_log').pluck().get();
    logDb.close();
    assert.equal(epoch, 3, 'currentEpoch lives in the log file, beside the txns it must agree with');
    assert.equal(rows, 2);
    const snapDb = new Database(join(dir, 'data', 'zoolab-snapshots.db'), { readonly: true });
    assert.equal(snapDb.prepare('SELECT count(*) FROM snapshots').pluck().get(), 1);
    snapDb.close();
  }));

test('a layout change between runs is refused', () =>
  withDir(async (dir) => {
    await (await openSqliteStore({ dataDir: join(dir, 'd') })).close();
    await refusesToOpen({ dataDir: join(dir, 'd'), dataLogDir: join(dir, 'l') }, 'format', /dataLogDir = dataDir/);
    await (await openSqliteStore({ dataDir: join(dir, 'd2'), dataLogDir: join(dir, 'l2') })).close();
    await refusesToOpen({ dataDir: join(dir, 'd2') }, 'format', /separate dataLogDir/);
  }));

test('foreign, newer or non-SQLite files are refused and left untouched', () =>
  withDir(async (dir) => {
    const foreign = join(dir, 'foreign');
    const db = new Database(join(foreign + '.db'));
    db.exec('CREATE TABLE users (name TEXT)');
    db.close();
    const { mkdirSync, renameSync } = await import('node:fs');
    mkdirSync(foreign);
    renameSync(foreign + '.db', join(foreign, 'zoolab.db'));
    const before = readFileSync(join(foreign, 'zoolab.db'));
    await refusesToOpen({ dataDir: foreign }, 'format', /not a ZooLab store \(SQLite application_id 0x00000000/);
    assert.deepEqual(readFileSync(join(foreign, 'zoolab.db')), before, 'not even switched to WAL');

    const newer = join(dir, 'newer');
    await (await openSqliteStore({ dataDir: newer })).close();
    const n = new Database(join(newer, 'zoolab.db'));
    n.pragma('user_version = 7');
    n.close();
    await refusesToOpen({ dataDir: newer }, 'format', /written by a newer ZooLab \(schema 7; this build reads schema 1\)/);

    const garbage = join(dir, 'garbage');
    mkdirSync(garbage);
    writeFileSync(join(garbage, 'zoolab.db'), Buffer.alloc(8192, 0x5a));
    await refusesToOpen({ dataDir: garbage }, 'format', /is not a SQLite database/);

    const wrongRole = join(dir, 'role');
    await (await openSqliteStore({ dataDir: join(dir, 'x'), dataLogDir: wrongRole })).close();
    renameSync(join(wrongRole, 'zoolab-txnlog.db'), join(wrongRole, 'zoolab.db'));
    await refusesToOpen({ dataDir: wrongRole }, 'format', /holds a 'txnlog' store where a 'combined' store was expected/);
    assert.equal(APPLICATION_ID, 0x5a4c4142);
  }));

test('concurrent appends share flushes; awaited ones do not', () =>
  withDir(async (dir) => {
    const store = await openSqliteStore({ dataDir: dir });
    await Promise.all(entries(1, 1, 300).map((e) => store.log.append([e])));
    assert.deepEqual(store.stats(), { batches: 1, ops: 300, largestBatch: 300 });
    for (const e of entries(1, 301, 305)) await store.log.append([e]);
    assert.equal(store.stats().batches, 6);
    await store.close();
  }));

test('slow disk: appends arriving during a commit ride the next one, and the event loop stays free', () =>
  withDir(async (dir) => {
    const store = await openSqliteStore({ dataDir: dir, fsyncDelayMs: 300 });
    assert.equal(store.fsyncDelayMs, 300);
    const first = store.log.append(entries(1, 1, 1));
    // While the worker sits in its 300 ms "fsync", this thread keeps turning and queuing.
    let turns = 0;
    const later: Promise<void>[] = [];
    await new Promise<void>((resolve) => {
      const spin = (): void => {
        turns++;
        if (turns <= 20) later.push(store.log.append(entries(1, 1 + turns, 1 + turns)));
        if (turns < 20) setImmediate(spin);
        else resolve();
      };
      setImmediate(spin);
    });
    await first;
    await Promise.all(later);
    assert.equal(turns, 20);
    // Appends handed over while a commit sits in its fsync are committed together after
    // it: at most 2 commits (the first may already take the appends of the first turns,
    // which reach the worker before it starts).
    const stats = store.stats();
    assert.equal(stats.ops, 21);
    assert.ok(stats.batches <= 2, `21 appends in ${stats.batches} commits`);
    assert.equal(store.log.lastZxid(), z(1, 21));
    await store.close();
  }));

test('ZOOLAB_FSYNC_DELAY_MS sets the simulated delay', () => {
  assert.equal(fsyncDelayFromEnv({}), 0);
  assert.equal(fsyncDelayFromEnv({ ZOOLAB_FSYNC_DELAY_MS: '12' }), 12);
  assert.throws(() => fsyncDelayFromEnv({ ZOOLAB_FSYNC_DELAY_MS: 'fast' }), /not a non-negative number/);
});

test('a snapshot cut short by a crash is dropped at open, reported', () =>
  withDir(async (dir) => {
    const store = await openSqliteStore({ dataDir: dir });
    await store.snapshots.write(z(1, 1), Buffer.from('complete'));
    await store.close();
    const db = new Database(join(dir, 'zoolab.db'));
    const id = db.prepare('INSERT INTO snapshots (zxid, size, crc, complete) VALUES (?, 0, 0, 0)').run(z(1, 9)).lastInsertRowid;
    db.prepare('INSERT INTO snapshot_chunks (snapshot_id, seq, bytes) VALUES (?, 0, ?)').run(id, Buffer.from('half'));
    db.close();
    const reports: StorageReport[] = [];
    const again = await openSqliteStore({ dataDir: dir, logger: (r) => reports.push(r) });
    assert.deepEqual(reports.map((r) => [r.code, r.message]), [['snapshot-incomplete', 'discarding snapshot at 1:9 whose write never finished']]);
    assert.deepEqual(again.snapshots.list(), [{ zxid: z(1, 1), size: 8 }]);
    await again.close();
    const check = new Database(join(dir, 'zoolab.db'), { readonly: true });
    assert.equal(check.prepare('SELECT count(*) FROM snapshot_chunks').pluck().get(), 1);
    check.close();
  }));

test('a damaged snapshot is skipped by latest() and removed by purge', () =>
  withDir(async (dir) => {
    const reports: StorageReport[] = [];
    const store = await openSqliteStore({ dataDir: dir, logger: (r) => reports.push(r), chunkBytes: 3 });
    await store.log.append(entries(1, 1, 9));
    for (const c of [3, 6, 9]) await store.snapshots.write(z(1, c), Buffer.from(`state at ${c}`));
    await store.close();
    const db = new Database(join(dir, 'zoolab.db'));
    db.prepare(`UPDATE snapshot_chunks SET bytes = X'000000' WHERE seq = 1 AND snapshot_id = (SELECT id FROM snapshots WHERE zxid = ?)`).run(z(1, 9));
    db.close();
    const again = await openSqliteStore({ dataDir: dir, logger: (r) => reports.push(r) });
    assert.deepEqual(again.snapshots.latest(), { zxid: z(1, 6), bytes: Buffer.from('state at 6') });
    assert.match(reports.find((r) => r.code === 'snapshot-corrupt')!.message, /1:9 is corrupt \(checksum mismatch\)/);
    const purged = await again.snapshots.purge(3);
    assert.deepEqual(purged, { snapshotsRemoved: 1, logEntriesRemoved: 3, purgedThrough: z(1, 3) });
    assert.deepEqual(again.snapshots.list().map((s) => s.zxid), [z(1, 6), z(1, 3)]);
    await again.close();
  }));

test('a big snapshot is written in chunks while appends keep flowing', () =>
  withDir(async (dir) => {
    const store = await openSqliteStore({ dataDir: dir, chunkBytes: 64 * 1024 });
    const big = Buffer.alloc(4 * 1024 * 1024);
    for (let i = 0; i < big.length; i += 4) big.writeUInt32LE(i, i);
    const writing = store.snapshots.write(z(1, 0x100), big);
    const appends = entries(1, 1, 50).map((e) => store.log.append([e]));
    let appendsDoneFirst = false;
    await Promise.all(appends).then(() => (appendsDoneFirst = true));
    const before = store.snapshots.list().length;
    await writing;
    assert.equal(appendsDoneFirst, true);
    assert.equal(before, 0, 'the appends finished while the snapshot was still being written');
    assert.deepEqual(store.snapshots.latest()?.bytes.equals(big), true);
    assert.ok(store.stats().batches > 64, `one flush per chunk, appends riding them (${store.stats().batches} batches)`);
    await store.close();
  }));

test('when the writer dies, pending and later writes fail with the same error', () =>
  withDir(async (dir) => {
    const store = await openSqliteStore({ dataDir: dir, fsyncDelayMs: 200 });
    await store.log.append(entries(1, 1, 1));
    const pending = store.log.append(entries(1, 2, 2));
    // Simulate the worker thread dying mid-flush (an addon crash, an OOM in the worker).
    await (store as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    await assert.rejects(pending, (e: unknown) => isStorageError(e) && /writer worker exited/.test(e.message));
    await assert.rejects(store.log.append(entries(1, 3, 3)), /writer worker exited/);
    assert.equal(store.log.lastZxid(), z(1, 1), 'the getters still report the last durable state');
    await store.close();
    const again = await openSqliteStore({ dataDir: dir });
    assert.ok(again.log.lastZxid() >= z(1, 1));
    await again.close();
  }));
