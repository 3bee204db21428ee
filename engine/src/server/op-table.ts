/**
 * The one opcode table the server dispatches from (wire-protocol.md §6; style.md B2).
 * Each opcode has a route:
 *
 *   replicate  goes through the Replication seam (consumes a zxid even when it fails, §5);
 *              the reply is produced when the txn is applied locally
 *   sync       ordered with the writes but consumes no zxid (§9, zab.md §4.5)
 *   local      answered by this member from its own database and watch tables, in
 *              session order (reads, watches, ping, auth, whoAmI)
 *
 * Opcodes that are not in the table (0 notification, 10, anything unknown) are answered
 * with Unimplemented and the connection is closed (§5).
 * `readOnlyRefused` marks the ops a read-only member answers with NotReadOnly (§13.5).
 */
import { OpCode, OP_TAGS } from '../jute/opcodes.js';

export type Route = 'replicate' | 'sync' | 'local';

export interface OpSpec {
  readonly code: number;
  readonly route: Route;
  /** cons's `lop` tag. */
  readonly tag: string;
  /** Refused with NotReadOnly by a read-only member (writes, check and sync). */
  readonly readOnlyRefused: boolean;
  /** Counted as a read (mntr readlatency) rather than an update. */
  readonly isRead: boolean;
}

function spec(code: number, route: Route, isRead = false): OpSpec {
  return {
    code,
    route,
    tag: OP_TAGS.get(code) ?? 'UNKN',
    readOnlyRefused: route !== 'local' && code !== OpCode.closeSession,
    isRead,
  };
}

export const OP_TABLE: ReadonlyMap<number, OpSpec> = new Map(
  [
    // Writes: prep turns each into a txn or an error txn (§8.3).
    spec(OpCode.create, 'replicate'),
    spec(OpCode.create2, 'replicate'),
    spec(OpCode.createContainer, 'replicate'),
    spec(OpCode.createTTL, 'replicate'),
    spec(OpCode.delete, 'replicate'),
    // Client-sent deleteContainer: prep answers BadArguments (§6, §18).
    spec(OpCode.deleteContainer, 'replicate'),
    spec(OpCode.setData, 'replicate'),
    spec(OpCode.setACL, 'replicate'),
    spec(OpCode.check, 'replicate'),
    spec(OpCode.multi, 'replicate'),
    // reconfig: ReconfigDisabled unless enabled; prep decides (§6).
    spec(OpCode.reconfig, 'replicate'),
    spec(OpCode.closeSession, 'replicate'),
    spec(OpCode.sync, 'sync'),
    // Reads and session-local requests.
    spec(OpCode.exists, 'local', true),
    spec(OpCode.getData, 'local', true),
    spec(OpCode.getChildren, 'local', true),
    spec(OpCode.getChildren2, 'local', true),
    spec(OpCode.getACL, 'local', true),
    spec(OpCode.getAllChildrenNumber, 'local', true),
    spec(OpCode.getEphemerals, 'local', true),
    spec(OpCode.multiRead, 'local', true),
    spec(OpCode.whoAmI, 'local', true),
    spec(OpCode.checkWatches, 'local', true),
    spec(OpCode.removeWatches, 'local', true),
    spec(OpCode.addWatch, 'local', true),
    spec(OpCode.setWatches, 'local', true),
    spec(OpCode.setWatches2, 'local', true),
    spec(OpCode.ping, 'local', true),
    spec(OpCode.auth, 'local', true),
    spec(OpCode.sasl, 'local', true),
  ].map((s) => [s.code, s]),
);
