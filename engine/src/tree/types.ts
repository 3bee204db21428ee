/**
 * What applying a transaction produces, shared by the tree, the server's reply path,
 * the watch manager and the simulator.
 */
import type { ACL, Stat } from '../jute/index.js';
import type { EventType } from '../jute/constants.js';

/**
 * A change a watch may be waiting for, in the order the transaction made it
 * (wire-protocol.md §12.2: NodeCreated(P) before NodeChildrenChanged(parent)).
 * `acl` is the ACL that governs delivery (§12.3): the node's own, its old one for a
 * NodeDeleted, the parent's for NodeChildrenChanged. The list is shared with the tree:
 * read it, never change it.
 */
export interface WatchTrigger {
  path: string;
  type: EventType;
  acl: readonly ACL[];
}

/** The result of one applied operation, as the reply needs it. */
export type OpResult =
  | { op: 'create'; path: string; stat: Stat; /** container or TTL: multi reports type 15 (§14.1) */ extended: boolean }
  | { op: 'delete' }
  | { op: 'setData'; stat: Stat }
  | { op: 'setACL'; stat: Stat }
  | { op: 'check'; /** the node's Stat, for a standalone check's reply (§14.3); absent if it vanished */ stat?: Stat }
  | { op: 'error'; err: number }
  | { op: 'multi'; results: OpResult[] }
  | { op: 'createSession' }
  | { op: 'closeSession'; /** ephemerals deleted, in order */ deleted: string[] };

export interface ApplyResult {
  result: OpResult;
  triggers: WatchTrigger[];
}

/** A session as the replicated database knows it (created and closed by transactions). */
export interface SessionRecord {
  id: bigint;
  timeout: number;
  passwd: Buffer;
}
