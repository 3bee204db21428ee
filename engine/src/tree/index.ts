/** The pure data model of a member: transactions, the tree, the database, snapshots. */
export * from './txn.js';
export * from './types.js';
export * from './paths.js';
export * from './ephemeral-owner.js';
export { DataTree, OPEN_ACL, READ_ACL, type NodeInfo, type NodeRecord, type TreeOptions } from './data-tree.js';
export { ZkDatabase } from './zk-database.js';
export { IncrementalSnapshot, type SnapshotContents } from './snapshot.js';
export { SnapshotError } from './snapshot-codec.js';
export { isReapable, reapCandidates, type ReapLimits } from './containers-ttl.js';
export { digestHex } from './digest.js';
