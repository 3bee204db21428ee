/** Enumerations of the client protocol (wire-protocol.md §10.1, §12.6, §12.7, §15.1). */

export const EventType = {
  None: -1,
  NodeCreated: 1,
  NodeDeleted: 2,
  NodeDataChanged: 3,
  NodeChildrenChanged: 4,
  DataWatchRemoved: 5,
  ChildWatchRemoved: 6,
  PersistentWatchRemoved: 7,
} as const;
export type EventType = (typeof EventType)[keyof typeof EventType];

export const KeeperState = {
  Unknown: -1,
  Disconnected: 0,
  NoSyncConnected: 1,
  SyncConnected: 3,
  AuthFailed: 4,
  ConnectedReadOnly: 5,
  SaslAuthenticated: 6,
  Expired: -112,
  Closed: 7,
} as const;
export type KeeperState = (typeof KeeperState)[keyof typeof KeeperState];

function nameOf(table: Record<string, number>, v: number): string {
  for (const [k, x] of Object.entries(table)) if (x === v) return k;
  return `Unknown(${v})`;
}
export const eventTypeName = (v: number): string => nameOf(EventType, v);
export const keeperStateName = (v: number): string => nameOf(KeeperState, v);

/** removeWatches/checkWatches `type` (§12.6); 4 and 5 are the 3.9 additions we implement. */
export const WatcherType = {
  Children: 1,
  Data: 2,
  Any: 3,
  Persistent: 4,
  PersistentRecursive: 5,
} as const;
export type WatcherType = (typeof WatcherType)[keyof typeof WatcherType];

/** addWatch modes (§12.4). */
export const AddWatchMode = {
  Persistent: 0,
  PersistentRecursive: 1,
} as const;
export type AddWatchMode = (typeof AddWatchMode)[keyof typeof AddWatchMode];

/** Create flags (§10.1). */
export const CreateMode = {
  PERSISTENT: 0,
  EPHEMERAL: 1,
  PERSISTENT_SEQUENTIAL: 2,
  EPHEMERAL_SEQUENTIAL: 3,
  CONTAINER: 4,
  PERSISTENT_WITH_TTL: 5,
  PERSISTENT_SEQUENTIAL_WITH_TTL: 6,
} as const;
export type CreateMode = (typeof CreateMode)[keyof typeof CreateMode];

export const isEphemeralMode = (flags: number): boolean => flags === 1 || flags === 3;
export const isSequentialMode = (flags: number): boolean => flags === 2 || flags === 3 || flags === 6;
export const isTTLMode = (flags: number): boolean => flags === 5 || flags === 6;
export const isContainerMode = (flags: number): boolean => flags === 4;

/** ACL permission bits (§15.1). */
export const Perms = {
  READ: 1,
  WRITE: 2,
  CREATE: 4,
  DELETE: 8,
  ADMIN: 16,
  ALL: 31,
} as const;

/** Stored ephemeralOwner markers (§10.3, §10.4). Clients see 0 for both kinds. */
export const CONTAINER_EPHEMERAL_OWNER = -0x8000000000000000n;
export const TTL_OWNER_MASK = 0xff00000000000000n;
export const MAX_TTL_MS = (1n << 40n) - 1n;
