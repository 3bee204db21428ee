/**
 * The versioned schema of a ZooLab store file. The SQLite header identifies the file:
 * `application_id` says "ZooLab store" and `user_version` is the schema version; the
 * `meta` table says which role the file plays. A foreign or newer file is refused with a
 * message saying so, before anything is written to it.
 */
import type Database from 'better-sqlite3';
import { StorageError } from './errors.js';
import type { FileRole } from './store-paths.js';

/** 'ZLAB' as a big-endian int: SQLite's header field for "which application owns this file". */
export const APPLICATION_ID = 0x5a4c4142;
export const SCHEMA_VERSION = 1;

const META = `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;`;

/** The log and the epochs: ZAB sync sets both in one transaction (store-paths.ts). */
const LOG_TABLES = `
CREATE TABLE txn_log (
  zxid  INTEGER PRIMARY KEY,  -- the rowid itself: ordered, unique, cheap min/max
  entry BLOB NOT NULL,        -- encodeTxnEntry (engine/src/tree/txn.ts)
  crc   INTEGER NOT NULL      -- CRC32 of entry, verified on every read
);
CREATE TABLE durable_state (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO durable_state (name, value) VALUES ('acceptedEpoch', 0), ('currentEpoch', 0), ('purgedThrough', 0);
`;

/** Snapshots in chunks, so a big one is written in many small transactions. */
const SNAPSHOT_TABLES = `
CREATE TABLE snapshots (
  id       INTEGER PRIMARY KEY,
  zxid     INTEGER NOT NULL,
  size     INTEGER NOT NULL,   -- total bytes, recorded when complete
  crc      INTEGER NOT NULL,   -- CRC32 of all chunks in order, recorded when complete
  complete INTEGER NOT NULL    -- 0 while being written; incomplete ones are dropped at open
);
CREATE INDEX snapshots_by_zxid ON snapshots (zxid);
CREATE TABLE snapshot_chunks (
  id          INTEGER PRIMARY KEY,
  snapshot_id INTEGER NOT NULL,
  seq         INTEGER NOT NULL,
  bytes       BLOB NOT NULL
);
CREATE UNIQUE INDEX snapshot_chunks_order ON snapshot_chunks (snapshot_id, seq);
`;

function tablesFor(role: FileRole): string {
  if (role === 'txnlog') return META + LOG_TABLES;
  if (role === 'snapshots') return META + SNAPSHOT_TABLES;
  return META + LOG_TABLES + SNAPSHOT_TABLES;
}

function hex32(n: number): string {
  return '0x' + (n >>> 0).toString(16).padStart(8, '0');
}

/**
 * Says whether the file is empty ('fresh') or a current ZooLab store in `role` ('ours');
 * throws a format error otherwise. Reads only: a foreign file is left untouched.
 */
export function identifyFile(db: Database.Database, file: string, role: FileRole): 'fresh' | 'ours' {
  // Numbers whatever the connection's safeIntegers setting.
  const appId = Number(db.pragma('application_id', { simple: true }));
  const version = Number(db.pragma('user_version', { simple: true }));
  const tables = Number(db.prepare(`SELECT count(*) AS n FROM sqlite_schema`).pluck().get());
  if (appId === 0 && version === 0 && tables === 0) return 'fresh';
  if (appId !== APPLICATION_ID) {
    throw new StorageError('format', `${file} is not a ZooLab store (SQLite application_id ${hex32(appId)}, expected ${hex32(APPLICATION_ID)})`);
  }
  if (version > SCHEMA_VERSION) {
    throw new StorageError(
      'format',
      `${file} was written by a newer ZooLab (schema ${version}; this build reads schema ${SCHEMA_VERSION}); upgrade ZooLab to open it`,
    );
  }
  if (version < SCHEMA_VERSION) {
    throw new StorageError('format', `${file} has schema ${version}, which this build cannot migrate (it reads ${SCHEMA_VERSION})`);
  }
  const row = db.prepare(`SELECT value FROM meta WHERE key = 'role'`).get() as { value: string } | undefined;
  if (row?.value !== role) {
    throw new StorageError('format', `${file} holds a '${row?.value ?? 'unknown'}' store where a '${role}' store was expected`);
  }
  return 'ours';
}

/** Creates the schema in a fresh file, in one transaction (a crash leaves it fresh). */
export function createSchema(db: Database.Database, role: FileRole): void {
  db.transaction(() => {
    db.exec(tablesFor(role));
    db.prepare(`INSERT INTO meta (key, value) VALUES ('role', ?), ('schema', ?)`).run(role, String(SCHEMA_VERSION));
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

/** Reads the header, turning "not a database" into a clear format error. */
export function checkIsDatabase(db: Database.Database, file: string): void {
  try {
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'SQLITE_NOTADB') throw new StorageError('format', `${file} is not a SQLite database`, { cause: e });
    if (code === 'SQLITE_CORRUPT') throw new StorageError('corrupt', `${file} is damaged: ${(e as Error).message}`, { cause: e });
    throw e;
  }
}
