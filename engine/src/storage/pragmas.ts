/**
 * SQLite settings, each stated explicitly with the reason (style.md B4).
 *
 * What survives what, with these settings:
 * - kill -9 of the member: every append whose promise resolved, because it resolves only
 *   after COMMIT returned, and a committed WAL frame is in the OS page cache even before
 *   any fsync. A transaction cut short has no commit frame and SQLite ignores it.
 * - power loss / OS crash: the same, because synchronous=FULL fsyncs the WAL at every
 *   commit (on macOS only with fullfsync, which we set), provided the disk honours
 *   flushes. Anything not yet committed is lost — it was never acknowledged.
 */
import type Database from 'better-sqlite3';

const WAL_LIMIT_BYTES = 64 * 1024 * 1024;
const CACHE_KIB = 256;

/** The writer's connection (in the worker thread). */
export function applyWriterPragmas(db: Database.Database): void {
  // WAL: the member thread's reader never blocks the writer (and vice versa), and a commit
  // is one sequential append to the -wal file plus one fsync.
  const mode = db.pragma('journal_mode = WAL', { simple: true });
  if (mode !== 'wal') throw new Error(`SQLite refused WAL mode (got ${String(mode)})`);
  // FULL: fsync the WAL on every commit, so "durable" means power-loss durable. NORMAL
  // would skip it and survive only a process crash.
  db.pragma('synchronous = FULL');
  // macOS fsync() does not flush the drive cache; F_FULLFSYNC does. No-op elsewhere.
  db.pragma('fullfsync = ON');
  db.pragma('checkpoint_fullfsync = ON');
  // The default, stated: fold the WAL back into the main file every ~1000 pages. The
  // checkpoint runs in the writer thread after a commit, never on the member thread.
  db.pragma('wal_autocheckpoint = 1000');
  // After a checkpoint, shrink a WAL that a big snapshot grew instead of keeping it.
  db.pragma(`journal_size_limit = ${WAL_LIMIT_BYTES}`);
  commonPragmas(db);
}

/** The member thread's read-only connection. */
export function applyReaderPragmas(db: Database.Database): void {
  // Belt and braces: this connection must never write (the worker owns writes).
  db.pragma('query_only = ON');
  commonPragmas(db);
}

function commonPragmas(db: Database.Database): void {
  // Wait (bounded) instead of failing when the other connection briefly holds a lock,
  // e.g. during WAL recovery or a checkpoint.
  db.pragma('busy_timeout = 5000');
  // Extra b-tree sanity checks on every page read: damage surfaces as SQLITE_CORRUPT
  // rather than as wrong rows.
  db.pragma('cell_size_check = ON');
  // The file is data, not code: no SQL functions or views run from its schema.
  db.pragma('trusted_schema = OFF');
  db.pragma('temp_store = MEMORY');
  // A small page cache (256 KiB instead of SQLite's 2 MiB default) per connection. Appends
  // touch only the right edge of the log's b-tree, snapshots stream through once, and
  // everything else is read once at startup; the default cost the member ~17 MiB of RSS
  // at 100 000 znodes (freed pages stay in malloc's arenas), for no measurable speed
  // (docs/performance.md).
  db.pragma(`cache_size = -${CACHE_KIB}`);
}
