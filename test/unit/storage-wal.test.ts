/**
 * scanWal against WAL files written by SQLite itself, then damaged by hand; and SQLite's
 * own view of the damaged files, to show the scan predicts what SQLite will keep.
 */
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { describeWal, scanWal, walLosesCommits } from '../../engine/src/storage/wal-inspect.js';
import { tempDir } from './storage-fixtures.js';

const ROWS = 20;
const tmp = tempDir('zoolab-wal-');
let wal: Buffer;
let mainFile: Buffer;
/** WAL length before the last transaction, which spans several frames (a 12 KB row). */
let beforeBig = 0;
const FRAME = 24 + 4096;
const COMMITS = ROWS + 2; // CREATE TABLE + ROWS small inserts + one big insert

before(() => {
  const db = new Database(join(tmp.dir, 'w.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0'); // keep every frame in the WAL for the test
  db.exec('CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB)');
  const ins = db.prepare('INSERT INTO t VALUES (?, ?)');
  for (let i = 1; i <= ROWS; i++) ins.run(i, Buffer.alloc(100, i)); // one transaction each
  beforeBig = readFileSync(join(tmp.dir, 'w.db-wal')).length;
  ins.run(ROWS + 1, Buffer.alloc(12_000, 7)); // overflow pages: several frames, one commit
  // Copy while the connection is open: what a kill -9 would leave behind.
  wal = readFileSync(join(tmp.dir, 'w.db-wal'));
  mainFile = readFileSync(join(tmp.dir, 'w.db'));
  db.close();
});
after(() => tmp.cleanup());

/** Opens a copy of the database with the given WAL bytes; returns the row count SQLite sees. */
function sqliteSees(name: string, walBytes: Buffer): number {
  const file = join(tmp.dir, `${name}.db`);
  writeFileSync(file, mainFile);
  writeFileSync(`${file}-wal`, walBytes);
  const db = new Database(file);
  try {
    const tables = db.prepare(`SELECT count(*) AS n FROM sqlite_schema WHERE name = 't'`).get() as { n: number };
    if (tables.n === 0) return -1;
    return (db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

function flip(buf: Buffer, at: number): Buffer {
  const out = Buffer.from(buf);
  out[at]! ^= 0x40;
  return out;
}

test('a clean WAL: every frame used, one commit per transaction', () => {
  const scan = scanWal(wal);
  assert.equal(scan.headerValid, true);
  assert.equal(scan.pageSize, 4096);
  assert.equal(scan.usedCommits, COMMITS);
  assert.equal(scan.usedFrames, (wal.length - 32) / FRAME);
  assert.equal(scan.partialBytes, 0);
  assert.equal(scan.uncommittedFrames, 0);
  assert.equal(scan.damagedFrame, null);
  assert.equal(describeWal('w', scan), null);
  assert.equal(sqliteSees('clean', wal), ROWS + 1);
  assert.ok((wal.length - beforeBig) / FRAME >= 3, 'the last transaction spans several frames');
});

test('a partial last frame is a torn tail: the last transaction is ignored, nothing acknowledged lost', () => {
  const torn = wal.subarray(0, wal.length - 1000);
  const scan = scanWal(torn);
  assert.equal(scan.partialBytes, FRAME - 1000);
  assert.equal(scan.usedCommits, COMMITS - 1);
  assert.equal(walLosesCommits(scan), false);
  assert.equal(describeWal('w', scan)?.level, 'warn');
  assert.match(describeWal('w', scan)!.message, /partial frame.*torn tail/);
  assert.equal(sqliteSees('torn', torn), ROWS);
});

test('a transaction cut short (kill -9 between its frames): valid frames with no commit', () => {
  const cut = wal.subarray(0, beforeBig + 2 * FRAME);
  const scan = scanWal(cut);
  assert.equal(scan.uncommittedFrames, 2);
  assert.equal(scan.usedCommits, COMMITS - 1);
  assert.equal(scan.partialBytes, 0);
  assert.equal(walLosesCommits(scan), false);
  assert.match(describeWal('w', scan)!.message, /unfinished transaction \(2 frames\)/);
  assert.equal(sqliteSees('cut', cut), ROWS);
});

test('damage in the middle with commits after it: SQLite would drop acknowledged writes', () => {
  // Among the small inserts every frame is a commit frame; the big insert adds one more commit.
  const smallFrames = (beforeBig - 32) / FRAME;
  const middle = smallFrames - 5;
  const expectedLost = smallFrames - middle - 1 + 1;
  const damaged = flip(wal, 32 + middle * FRAME + 24 + 2000);
  const scan = scanWal(damaged);
  assert.equal(scan.damagedFrame, middle);
  assert.equal(scan.commitsAfterDamage, expectedLost);
  assert.equal(walLosesCommits(scan), true);
  const d = describeWal('w', scan)!;
  assert.equal(d.level, 'error');
  assert.match(d.message, new RegExp(`frame ${middle} fails its checksum and ${expectedLost} committed transactions follow`));
  // SQLite indeed keeps only what comes before the damaged frame.
  assert.equal(sqliteSees('middle', damaged), scan.usedCommits - 1);
});

test('damage in the last frame only: a torn tail', () => {
  const frames = (wal.length - 32) / FRAME;
  const damaged = flip(wal, wal.length - 10);
  const scan = scanWal(damaged);
  assert.equal(scan.damagedFrame, frames - 1);
  assert.equal(scan.commitsAfterDamage, 0);
  assert.equal(describeWal('w', scan)?.level, 'warn');
  assert.equal(sqliteSees('last', damaged), ROWS);
});

test('a damaged WAL header hides every committed transaction', () => {
  const damaged = flip(wal, 17); // salt-1
  const scan = scanWal(damaged);
  assert.equal(scan.headerValid, false);
  // With the salt changed no frame matches: they all look stale, as they do to SQLite.
  assert.equal(scan.usedCommits, 0);
  const badSum = flip(wal, 25); // checksum-1: salts still match the frames
  const scan2 = scanWal(badSum);
  assert.equal(scan2.headerValid, false);
  assert.equal(scan2.commitsAfterDamage, COMMITS);
  assert.equal(walLosesCommits(scan2), true);
  assert.equal(sqliteSees('header', badSum), -1, 'SQLite ignores the whole WAL');
});

test('frames from before a WAL reset (other salt) are stale, not damage', () => {
  const db = new Database(join(tmp.dir, 'r.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB)');
  const ins = db.prepare('INSERT INTO t VALUES (?, ?)');
  for (let i = 1; i <= 10; i++) ins.run(i, Buffer.alloc(100));
  db.pragma('wal_checkpoint(PASSIVE)');
  ins.run(11, Buffer.alloc(100)); // restarts the WAL from frame 0 with a new salt
  const reset = readFileSync(join(tmp.dir, 'r.db-wal'));
  copyFileSync(join(tmp.dir, 'r.db'), join(tmp.dir, 'r-copy.db'));
  db.close();
  const scan = scanWal(reset);
  assert.equal(scan.usedCommits, 1);
  assert.ok(scan.staleFrames > 0);
  assert.equal(scan.damagedFrame, null);
  assert.equal(describeWal('r', scan), null);
});

test('empty or tiny files', () => {
  assert.equal(describeWal('x', scanWal(Buffer.alloc(0))), null);
  assert.equal(scanWal(Buffer.alloc(10)).partialBytes, 10);
});
