/**
 * The member thread's read-only view of its SQLite files. WAL mode lets it read while
 * the writer worker commits; every statement sees the last committed — hence durable —
 * state. Checksums are verified by the callers (facades.ts, recovery.ts).
 */
import Database from 'better-sqlite3';
import type { RawLogRow, SnapshotInfo, SnapshotMeta, StorageLogger } from './contracts.js';
import { applyReaderPragmas } from './pragmas.js';
import { joined, newestValid, type StoredSnapshot, type VerifiedSnapshot } from './snapshot-verify.js';
import type { StorePaths } from './store-paths.js';

function openReadOnly(file: string): Database.Database {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.defaultSafeIntegers(true);
  applyReaderPragmas(db);
  return db;
}

function prepareStatements(L: Database.Database, S: Database.Database) {
  return {
    rows: L.prepare('SELECT zxid, entry, crc FROM txn_log WHERE zxid > ? AND zxid <= ? ORDER BY zxid'),
    snapList: S.prepare('SELECT id, zxid, size, crc FROM snapshots WHERE complete = 1 ORDER BY zxid DESC, id DESC'),
    snapBytes: S.prepare('SELECT bytes FROM snapshot_chunks WHERE snapshot_id = ? ORDER BY seq').pluck(),
  };
}

export class SqliteReader {
  private readonly logDb: Database.Database;
  private readonly snapDb: Database.Database;
  private readonly s: ReturnType<typeof prepareStatements>;

  constructor(paths: StorePaths) {
    this.logDb = openReadOnly(paths.logFile);
    this.snapDb = paths.split ? openReadOnly(paths.snapshotFile) : this.logDb;
    this.s = prepareStatements(this.logDb, this.snapDb);
  }

  readRows(after: bigint, upTo: bigint): RawLogRow[] {
    return (this.s.rows.all(after, upTo) as { zxid: bigint; entry: Buffer; crc: bigint }[]).map((r) => ({
      zxid: r.zxid,
      bytes: r.entry,
      crc: Number(r.crc),
    }));
  }

  stored(): StoredSnapshot[] {
    return (this.s.snapList.all() as { id: bigint; zxid: bigint; size: bigint; crc: bigint }[]).map((r) => ({
      id: Number(r.id),
      zxid: r.zxid,
      size: Number(r.size),
      crc: Number(r.crc),
      load: () => this.s.snapBytes.iterate(r.id) as IterableIterator<Buffer>,
    }));
  }

  latest(logger: StorageLogger): SnapshotInfo | null {
    const s = newestValid(this.stored(), logger);
    return s === null ? null : joined(s);
  }

  /** The newest valid snapshot as its stored pieces (recovery reads them without joining). */
  latestPieces(logger: StorageLogger): VerifiedSnapshot | null {
    return newestValid(this.stored(), logger);
  }

  list(): SnapshotMeta[] {
    return this.stored().map((s) => ({ zxid: s.zxid, size: s.size }));
  }

  close(): void {
    if (this.snapDb !== this.logDb) this.snapDb.close();
    this.logDb.close();
  }
}
