/**
 * Executes StoreOps against the member's SQLite files: one batch = one transaction per
 * file = one fsync per file (synchronous=FULL). Runs in the writer worker
 * (sqlite-writer-worker.ts) so fsyncs never block the member's event loop; it is plain
 * synchronous code, so tests can also drive it directly.
 *
 * Semantics are those of MemoryDisk (memory-disk.ts); the shared contract tests hold
 * both to them. With split files the snapshot file commits before the log file, which is
 * the safe order for every op that touches both: a crash in between leaves snapshots
 * deleted but the log intact (truncate, purge), never a snapshot above a truncated log.
 */
import Database from 'better-sqlite3';
import { zxidLabel } from '../jute/zxid.js';
import { crc32Of } from './checksum.js';
import type { EpochName, StorageLogger } from './contracts.js';
import { StorageError } from './errors.js';
import {
  abandoned,
  changedInTransit,
  notAfter,
  purgedBelow,
  SNAPSHOT_CHUNK_BYTES,
  type OpOutcome,
  type StoreOp,
  type StoreState,
} from './ops.js';
import { applyWriterPragmas } from './pragmas.js';
import { checkIsDatabase, createSchema, identifyFile } from './schema.js';
import { planPurge, type StoredSnapshot } from './snapshot-verify.js';
import type { FileRole, StorePaths } from './store-paths.js';
import { firstNotAfter } from './validate.js';

export interface WriterOptions {
  /** Simulated slow disk: every flush takes at least this long before it commits. */
  fsyncDelayMs: number;
  logger: StorageLogger;
}

interface OpenSnapshot {
  id: number;
  zxid: bigint;
  seq: number;
  size: number;
  crc: number;
}


function openFile(file: string, role: FileRole): Database.Database {
  const db = new Database(file);
  try {
    db.defaultSafeIntegers(true);
    checkIsDatabase(db, file);
    const kind = identifyFile(db, file, role);
    applyWriterPragmas(db);
    if (kind === 'fresh') createSchema(db, role);
    else checkStructure(db, file);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

function prepareStatements(L: Database.Database, S: Database.Database) {
  return {
    insertRow: L.prepare('INSERT INTO txn_log (zxid, entry, crc) VALUES (?, ?, ?)'),
    // Two single-row lookups on the rowid b-tree; `SELECT min(), max()` together would scan the table.
    first: L.prepare('SELECT zxid FROM txn_log ORDER BY zxid ASC LIMIT 1').pluck(),
    last: L.prepare('SELECT zxid FROM txn_log ORDER BY zxid DESC LIMIT 1').pluck(),
    truncateRows: L.prepare('DELETE FROM txn_log WHERE zxid > ?'),
    purgeRows: L.prepare('DELETE FROM txn_log WHERE zxid <= ?'),
    getState: L.prepare('SELECT name, value FROM durable_state'),
    setState: L.prepare('UPDATE durable_state SET value = ? WHERE name = ?'),
    snapBegin: S.prepare('INSERT INTO snapshots (zxid, size, crc, complete) VALUES (?, 0, 0, 0)'),
    snapChunk: S.prepare('INSERT INTO snapshot_chunks (snapshot_id, seq, bytes) VALUES (?, ?, ?)'),
    snapComplete: S.prepare('UPDATE snapshots SET size = ?, crc = ?, complete = 1 WHERE id = ?'),
    snapIdsAbove: S.prepare('SELECT id FROM snapshots WHERE zxid > ?'),
    snapIncomplete: S.prepare('SELECT id, zxid FROM snapshots WHERE complete = 0'),
    snapDeleteChunks: S.prepare('DELETE FROM snapshot_chunks WHERE snapshot_id = ?'),
    snapDelete: S.prepare('DELETE FROM snapshots WHERE id = ?'),
    snapList: S.prepare('SELECT id, zxid, size, crc FROM snapshots WHERE complete = 1 ORDER BY zxid DESC, id DESC'),
    snapBytes: S.prepare('SELECT bytes FROM snapshot_chunks WHERE snapshot_id = ? ORDER BY seq').pluck(),
  };
}
type Statements = ReturnType<typeof prepareStatements>;

/**
 * SQLite's quick_check (b-tree structure, not row contents — those have their CRCs):
 * a damaged page is refused here with a clear message instead of failing some later
 * query mid-flight. Every table is checked but the snapshot chunks: they are nearly all
 * of the file (1.3 GB for the snapshots of a 1M-znode tree, 1.6 s to check), and every
 * load verifies a snapshot's size and CRC anyway, falling back to an older one when it
 * is damaged or unreadable (snapshot-verify.ts).
 */
function checkStructure(db: Database.Database, file: string): void {
  let rows: { quick_check: string }[] = [];
  try {
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name <> 'snapshot_chunks'").pluck().all() as string[];
    for (const t of tables) rows.push(...(db.pragma(`quick_check("${t}")`) as { quick_check: string }[]).filter((r) => r.quick_check !== 'ok'));
    if (rows.length === 0) rows = [{ quick_check: 'ok' }];
  } catch (e) {
    throw new StorageError('corrupt', `${file} is damaged: ${(e as Error).message}`, { cause: e });
  }
  const problems = rows.map((r) => r.quick_check);
  if (problems.length !== 1 || problems[0] !== 'ok') {
    throw new StorageError('corrupt', `${file} failed SQLite's structure check: ${problems.join('; ')}`);
  }
}

export class SqliteWriter {
  private readonly logDb: Database.Database;
  private readonly snapDb: Database.Database;
  private readonly writing = new Map<number, OpenSnapshot | 'abandoned'>();
  private readonly sleepCell = new Int32Array(new SharedArrayBuffer(4));
  private readonly s: Statements;

  constructor(
    private readonly paths: StorePaths,
    private readonly opts: WriterOptions,
  ) {
    this.logDb = openFile(paths.logFile, paths.logRole);
    try {
      this.snapDb = paths.split ? openFile(paths.snapshotFile, paths.snapshotRole) : this.logDb;
    } catch (e) {
      this.logDb.close();
      throw e;
    }
    this.s = prepareStatements(this.logDb, this.snapDb);
    this.discardIncomplete();
  }

  /** Durable state, as the member thread caches it. */
  state(): StoreState {
    const st = new Map<string, bigint>();
    for (const r of this.s.getState.all() as { name: string; value: bigint }[]) st.set(r.name, r.value);
    return {
      firstZxid: (this.s.first.get() as bigint | undefined) ?? 0n,
      lastZxid: this.lastZxid(),
      acceptedEpoch: Number(st.get('acceptedEpoch') ?? 0n),
      currentEpoch: Number(st.get('currentEpoch') ?? 0n),
      purgedThrough: st.get('purgedThrough') ?? 0n,
    };
  }

  /**
   * Runs one batch: every op in order inside one transaction per file, then (simulated
   * slow disk) waits, then commits — snapshot file first. Throws only for failures that
   * leave durability unknown (the store must then stop); contract breaches are soft
   * per-op outcomes.
   */
  execute(ops: readonly StoreOp[]): { outcomes: OpOutcome[]; state: StoreState } {
    const dbs = this.paths.split ? [this.snapDb, this.logDb] : [this.logDb];
    for (const db of dbs) db.exec('BEGIN IMMEDIATE');
    let outcomes: OpOutcome[];
    try {
      outcomes = ops.map((op) => this.run(op));
      if (this.opts.fsyncDelayMs > 0) Atomics.wait(this.sleepCell, 0, 0, this.opts.fsyncDelayMs);
      for (const db of dbs) db.exec('COMMIT');
    } catch (e) {
      for (const db of dbs) if (db.inTransaction) db.exec('ROLLBACK');
      throw e;
    }
    return { outcomes, state: this.state() };
  }

  close(): void {
    if (this.paths.split) this.snapDb.close();
    this.logDb.close();
  }

  private lastZxid(): bigint {
    return (this.s.last.get() as bigint | undefined) ?? 0n;
  }

  private purgedThrough(): bigint {
    return this.state().purgedThrough;
  }

  private setState(name: EpochName | 'purgedThrough', value: bigint | number): void {
    this.s.setState.run(BigInt(value), name);
  }

  private run(op: StoreOp): OpOutcome {
    switch (op.kind) {
      case 'append': {
        const last = this.lastZxid();
        const bad = firstNotAfter(op.rows, last);
        if (bad !== null) return notAfter(bad, last);
        for (const r of op.rows) this.s.insertRow.run(r.zxid, r.bytes, r.crc);
        if (op.currentEpoch !== null) this.setState('currentEpoch', op.currentEpoch);
        return { ok: true };
      }
      case 'truncate': {
        const purged = this.purgedThrough();
        if (op.after < purged) return purgedBelow(op.after, purged);
        this.dropAbove(op.after);
        return { ok: true };
      }
      case 'snapshotInstall': {
        if (crc32Of(op.bytes) !== op.crc) return changedInTransit();
        this.dropAbove(op.zxid);
        // Everything at or below zxid is now covered by this snapshot (see ops.ts).
        if (op.zxid < this.purgedThrough()) this.setState('purgedThrough', op.zxid);
        const id = Number(this.s.snapBegin.run(op.zxid).lastInsertRowid);
        let seq = 0;
        for (let at = 0; at < op.bytes.length || seq === 0; at += SNAPSHOT_CHUNK_BYTES) {
          this.s.snapChunk.run(id, seq++, op.bytes.subarray(at, at + SNAPSHOT_CHUNK_BYTES));
        }
        this.s.snapComplete.run(op.bytes.length, op.crc, id);
        this.opts.logger({ level: 'info', code: 'snapshot-written', message: `snapshot at ${zxidLabel(op.zxid)} installed (${op.bytes.length} bytes)` });
        return { ok: true };
      }
      case 'setEpoch':
        this.setState(op.name, op.value);
        return { ok: true };
      case 'snapshotBegin': {
        const id = Number(this.s.snapBegin.run(op.zxid).lastInsertRowid);
        this.writing.set(op.token, { id, zxid: op.zxid, seq: 0, size: 0, crc: 0 });
        return { ok: true };
      }
      case 'snapshotChunk': {
        const w = this.writing.get(op.token);
        if (w && w !== 'abandoned') {
          this.s.snapChunk.run(w.id, w.seq++, op.bytes);
          w.size += op.bytes.length;
          w.crc = crc32Of(op.bytes, w.crc);
        }
        return { ok: true };
      }
      case 'snapshotEnd': {
        const w = this.writing.get(op.token);
        this.writing.delete(op.token);
        if (!w || w === 'abandoned') return abandoned();
        if (w.size !== op.size || w.crc !== op.crc) {
          this.deleteSnapshot(w.id);
          return changedInTransit();
        }
        this.s.snapComplete.run(op.size, op.crc, w.id);
        this.opts.logger({ level: 'info', code: 'snapshot-written', message: `snapshot at ${zxidLabel(w.zxid)} written (${op.size} bytes)` });
        return { ok: true };
      }
      case 'snapshotAbort': {
        const w = this.writing.get(op.token);
        this.writing.delete(op.token);
        if (w && w !== 'abandoned') this.deleteSnapshot(w.id);
        return { ok: true };
      }
      case 'purge':
        return this.purge(op.retain);
    }
  }

  private purge(retain: number): OpOutcome {
    const plan = planPurge(this.storedSnapshots(), retain, this.opts.logger);
    for (const id of plan.remove) this.deleteSnapshot(id);
    let removedRows = 0;
    let purged = this.purgedThrough();
    if (plan.logThrough !== null) {
      removedRows = this.s.purgeRows.run(plan.logThrough).changes;
      if (plan.logThrough > purged) {
        purged = plan.logThrough;
        this.setState('purgedThrough', purged);
      }
    }
    if (plan.remove.length > 0 || removedRows > 0) {
      this.opts.logger({
        level: 'info',
        code: 'purged',
        message: `purged ${plan.remove.length} snapshots and ${removedRows} log entries (log now starts after ${zxidLabel(purged)})`,
      });
    }
    return { ok: true, purge: { snapshotsRemoved: plan.remove.length, logEntriesRemoved: removedRows, purgedThrough: purged } };
  }

  private storedSnapshots(): StoredSnapshot[] {
    return (this.s.snapList.all() as { id: bigint; zxid: bigint; size: bigint; crc: bigint }[]).map((r) => ({
      id: Number(r.id),
      zxid: r.zxid,
      size: Number(r.size),
      crc: Number(r.crc),
      load: () => this.s.snapBytes.iterate(r.id) as IterableIterator<Buffer>,
    }));
  }

  /** Log rows and snapshots above `zxid` go (snapshots first: see the file header); writes above it are abandoned. */
  private dropAbove(zxid: bigint): void {
    for (const { id } of this.s.snapIdsAbove.all(zxid) as { id: bigint }[]) this.deleteSnapshot(Number(id));
    for (const [token, w] of this.writing) {
      if (w !== 'abandoned' && w.zxid > zxid) this.writing.set(token, 'abandoned');
    }
    this.s.truncateRows.run(zxid);
  }

  private deleteSnapshot(id: number): void {
    this.s.snapDeleteChunks.run(id);
    this.s.snapDelete.run(id);
  }

  /** A crash mid-snapshot leaves an incomplete one: drop it (reported), it was never acknowledged. */
  private discardIncomplete(): void {
    const rows = this.s.snapIncomplete.all() as { id: bigint; zxid: bigint }[];
    if (rows.length === 0) return;
    this.snapDb.transaction(() => {
      for (const r of rows) {
        this.deleteSnapshot(Number(r.id));
        this.opts.logger({
          level: 'warn',
          code: 'snapshot-incomplete',
          message: `discarding snapshot at ${zxidLabel(r.zxid)} whose write never finished`,
        });
      }
    }).immediate();
  }
}

/** Turns a SQLite failure into a StorageError (kept separate so the worker reports it uniformly). */
export function asStorageError(e: unknown): StorageError {
  if (e instanceof StorageError) return e;
  const err = e as Error & { code?: string };
  const kind = err.code === 'SQLITE_CORRUPT' || err.code === 'SQLITE_NOTADB' ? 'corrupt' : 'io';
  return new StorageError(kind, `SQLite: ${err.message ?? String(e)}${err.code ? ` (${err.code})` : ''}`, { cause: e });
}
