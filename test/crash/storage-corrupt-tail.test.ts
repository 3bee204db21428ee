/**
 * Damaged files, made by hand: a WAL cut mid-frame, flipped bytes in WAL frames, in log
 * rows and in snapshots, a main file cut short. Each is detected and reported; a damaged
 * tail is cut, never applied; damage with committed history after it is refused unless
 * the operator accepts the loss; refusals leave the files as they were.
 *
 * "Kill -9 images" are taken by copying the files while the store is open and idle
 * (every append awaited, so everything is committed, nothing is checkpointed yet).
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { StorageReport } from '../../engine/src/storage/contracts.js';
import { isStorageError } from '../../engine/src/storage/errors.js';
import { recoverStore } from '../../engine/src/storage/recover-store.js';
import { openSqliteStore, type SqliteStore } from '../../engine/src/storage/sqlite-store.js';
import { entry, mapFns, serializeMap, tempDir, z } from '../unit/storage-fixtures.js';

const N = 40;
const FRAME = 24 + 4096;
const marker = (c: number): string => `MARK-${String(c).padStart(6, '0')}-END`;
const markedEntry = (c: number) => entry(1, c, `/m${c}`, marker(c));

/** Appends N marked entries, one transaction each. */
async function fill(store: SqliteStore, from = 1, to = N): Promise<void> {
  for (let c = from; c <= to; c++) await store.log.append([markedEntry(c)]);
}

/** Copies the open store's files (db, wal) into `to`: what a kill -9 would leave. */
function killImage(store: SqliteStore, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const suffix of ['', '-wal']) {
    const from = store.paths.logFile + suffix;
    if (existsSync(from)) copyFileSync(from, join(to, 'zoolab.db' + suffix));
  }
}

function flipAll(file: string, needle: string): number {
  const bytes = readFileSync(file);
  let count = 0;
  for (let at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, at + 1)) {
    bytes[at + 5]! ^= 0x04;
    count++;
  }
  writeFileSync(file, bytes);
  return count;
}

async function openAndRecover(dataDir: string, opts: { acceptWalLoss?: boolean; discardCorruptHistory?: boolean } = {}) {
  const reports: StorageReport[] = [];
  const logger = (r: StorageReport): void => {
    reports.push(r);
  };
  const store = await openSqliteStore({ dataDir, logger, acceptWalLoss: opts.acceptWalLoss });
  try {
    const result = await recoverStore(store, mapFns, { logger, discardCorruptHistory: opts.discardCorruptHistory });
    return { store, result, reports };
  } catch (e) {
    await store.close();
    throw e;
  }
}

async function refused(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isStorageError(e, 'corrupt'), String(e));
    assert.match(e.message, pattern);
    return true;
  });
}

test('a WAL cut mid-frame: the torn transaction is reported and ignored, the rest recovers', async () => {
  const tmp = tempDir('zoolab-torn-');
  try {
    const store = await openSqliteStore({ dataDir: join(tmp.dir, 'live') });
    await fill(store);
    killImage(store, join(tmp.dir, 'img'));
    await store.close();
    const wal = join(tmp.dir, 'img', 'zoolab.db-wal');
    truncateSync(wal, statSync(wal).size - 1500);
    const { store: s, result, reports } = await openAndRecover(join(tmp.dir, 'img'));
    const torn = reports.find((r) => r.code === 'wal-torn-tail');
    assert.ok(torn, 'the torn WAL tail is reported');
    assert.equal(torn.level, 'warn');
    assert.match(torn.message, /unfinished transaction.*partial frame/);
    assert.equal(result.lastZxid, z(1, N - 1));
    assert.equal(result.db.nodes.get(`/m${N - 1}`), marker(N - 1));
    assert.equal(result.db.nodes.has(`/m${N}`), false);
    // The store continues from there.
    await s.log.append([markedEntry(N)]);
    await s.close();
  } finally {
    tmp.cleanup();
  }
});

test('a flipped byte in a WAL frame with commits after it: refused untouched, or opened with the loss reported', async () => {
  const tmp = tempDir('zoolab-walflip-');
  try {
    const store = await openSqliteStore({ dataDir: join(tmp.dir, 'live') });
    await fill(store);
    killImage(store, join(tmp.dir, 'img'));
    await store.close();
    const wal = join(tmp.dir, 'img', 'zoolab.db-wal');
    const bytes = readFileSync(wal);
    const frames = (bytes.length - 32) / FRAME;
    assert.ok(Number.isInteger(frames) && frames > 20, `a WAL of whole frames (${frames})`);
    bytes[32 + (frames - 10) * FRAME + 24 + 100]! ^= 0x10;
    writeFileSync(wal, bytes);
    await refused(openSqliteStore({ dataDir: join(tmp.dir, 'img') }), /WAL frame \d+ fails its checksum and \d+ committed transactions follow.*refusing to open/);
    assert.deepEqual(readFileSync(wal), bytes, 'the refused files are left as they were');

    const { store: s, result, reports } = await openAndRecover(join(tmp.dir, 'img'), { acceptWalLoss: true });
    const loss = reports.find((r) => r.code === 'wal-corrupt');
    assert.equal(loss?.level, 'error');
    assert.ok(result.lastZxid < z(1, N) && result.lastZxid > 0n, 'a consistent prefix survives');
    for (let c = 1; c <= Number(result.lastZxid & 0xffffffffn); c++) assert.equal(result.db.nodes.get(`/m${c}`), marker(c));
    await s.close();
  } finally {
    tmp.cleanup();
  }
});

test('a flipped byte in the last log row: detected by its CRC, cut, never applied', async () => {
  const tmp = tempDir('zoolab-rowtail-');
  try {
    const dir = join(tmp.dir, 'd');
    const store = await openSqliteStore({ dataDir: dir });
    await fill(store);
    await store.close(); // checkpointed: the rows are in the main file
    assert.equal(flipAll(join(dir, 'zoolab.db'), marker(N)), 1);
    const first = await openAndRecover(dir);
    const cut = first.reports.find((r) => r.code === 'log-tail-truncated');
    assert.ok(cut);
    assert.match(cut.message, new RegExp(`log entry 1:${N} \\(checksum mismatch\\): 1 entry cut after 1:${N - 1}, none applied`));
    assert.equal(first.result.lastZxid, z(1, N - 1));
    assert.equal(first.result.db.nodes.has(`/m${N}`), false);
    assert.equal(first.store.log.lastZxid(), z(1, N - 1), 'cut durably before serving');
    await first.store.close();
    const second = await openAndRecover(dir);
    assert.deepEqual(second.reports.map((r) => r.code), ['recovered']);
    assert.equal(second.result.lastZxid, z(1, N - 1));
    await second.store.close();
  } finally {
    tmp.cleanup();
  }
});

test('a flipped byte in a middle log row: refused, or cut there when the operator accepts the loss', async () => {
  const tmp = tempDir('zoolab-rowmid-');
  try {
    const dir = join(tmp.dir, 'd');
    const store = await openSqliteStore({ dataDir: dir });
    await fill(store);
    await store.close();
    flipAll(join(dir, 'zoolab.db'), marker(20));
    const before = readFileSync(join(dir, 'zoolab.db'));
    await refused(openAndRecover(dir), /corrupt history at log entry 1:20 \(checksum mismatch\) with 20 valid entries after it/);
    assert.deepEqual(readFileSync(join(dir, 'zoolab.db')), before, 'nothing was cut');
    const { store: s, result, reports } = await openAndRecover(dir, { discardCorruptHistory: true });
    assert.equal(result.lastZxid, z(1, 19));
    assert.equal(reports.find((r) => r.code === 'log-corrupt')?.level, 'error');
    assert.equal(s.log.lastZxid(), z(1, 19));
    await s.close();
  } finally {
    tmp.cleanup();
  }
});

test('a damaged snapshot: reported, skipped, recovery falls back to an older one plus the log', async () => {
  const tmp = tempDir('zoolab-snap-');
  try {
    const dir = join(tmp.dir, 'd');
    const store = await openSqliteStore({ dataDir: dir });
    const db = mapFns.empty();
    for (let c = 1; c <= N; c++) {
      await store.log.append([markedEntry(c)]);
      mapFns.apply(db, markedEntry(c));
      if (c === 10 || c === 30) await store.snapshots.write(z(1, c), serializeMap(db));
    }
    await store.close();
    // marker(30) is in the newest snapshot's JSON (quoted) and in log row 30 (length-prefixed,
    // unquoted): damage only the snapshot's copy.
    const file = join(dir, 'zoolab.db');
    const bytes = readFileSync(file);
    const inSnapshot = bytes.indexOf(`"${marker(30)}"`);
    assert.ok(inSnapshot > 0);
    bytes[inSnapshot + 3]! ^= 0x02;
    writeFileSync(file, bytes);
    const { store: s, result, reports } = await openAndRecover(dir);
    assert.match(reports.find((r) => r.code === 'snapshot-corrupt')!.message, /1:30 is corrupt \(checksum mismatch\)/);
    assert.equal(result.snapshotZxid, z(1, 10));
    assert.equal(result.replayed, N - 10);
    assert.equal(result.db.nodes.get(`/m30`), marker(30));
    await s.close();
  } finally {
    tmp.cleanup();
  }
});

test('a main file cut short: refused with a clear message', async () => {
  const tmp = tempDir('zoolab-short-');
  try {
    const dir = join(tmp.dir, 'd');
    const store = await openSqliteStore({ dataDir: dir });
    for (let c = 1; c <= 400; c++) await store.log.append([entry(1, c, `/p${c}`, 'x'.repeat(200))]);
    await store.close();
    const file = join(dir, 'zoolab.db');
    truncateSync(file, Math.floor(statSync(file).size / 2) + 1234);
    await assert.rejects(openSqliteStore({ dataDir: dir }), (e: unknown) => {
      assert.ok(isStorageError(e, 'corrupt'), String(e));
      assert.match(e.message, /zoolab\.db (failed SQLite's structure check|is damaged)/);
      return true;
    });
  } finally {
    tmp.cleanup();
  }
});
