/**
 * Public surface of storage. The simulator can import memory-store.js directly to avoid
 * loading better-sqlite3; members use openSqliteStore + recoverStore.
 */
export type * from './contracts.js';
export { StorageError, isStorageError, type StorageErrorKind } from './errors.js';
export { MemoryStore, type MemoryStoreOptions } from './memory-store.js';
export { MemoryDisk } from './memory-disk.js';
export { openSqliteStore, fsyncDelayFromEnv, SqliteStore, type SqliteStoreOptions } from './sqlite-store.js';
export { recover, type RecoveryFns, type RecoveryPolicy, type RecoveryResult } from './recovery.js';
export { recoverStore, type RecoverStoreOptions } from './recover-store.js';
export { epochProblems } from './epoch-check.js';
export { continuityProblem } from './continuity.js';
export { storePaths, type StorePaths } from './store-paths.js';
export { MIN_SNAP_RETAIN, SNAPSHOT_CHUNK_BYTES } from './ops.js';
