/**
 * The ZooLab ZooKeeper client: public API. See docs/client.md.
 */
export { ZkClient, CONFIG_NODE } from './zk-client.js';
export { ZkError, ZkMultiError, ZkArgumentError, isRetryable } from './errors.js';
export { Transaction } from './transaction.js';
export { OPEN_ACL_UNSAFE, CREATOR_ALL_ACL, READ_ACL_UNSAFE, ANYONE_ID, AUTH_IDS, digestId, digestAcl, permsToString, parsePerms } from './acl.js';
export { parseConnectString, formatHost, DEFAULT_PORT, type ConnectString } from './connect-string.js';
export { validatePath, parentOf, joinPath } from './paths.js';
export { pathPrefixes, type MkdirpOptions } from './helpers.js';
export { formatWatchedEvent } from './describe.js';
export type { DataListener, ChildrenListener } from './live-watch.js';
export type * from './types.js';
export { TERMINAL_STATES } from './types.js';
// The protocol enumerations and records, so users need only this module.
export { CreateMode, EventType, KeeperState, WatcherType, Perms, eventTypeName, keeperStateName } from '../jute/constants.js';
export { Err, errName, keeperErrorText, type ErrName } from '../jute/error-codes.js';
export { hex, zxidLabel } from '../jute/zxid.js';
