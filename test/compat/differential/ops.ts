/**
 * The operations of a differential run, as plain data: a generated sequence is fully
 * determined by its seed, can be printed, replayed and shrunk. `slot` is one of the
 * run's client slots (each holds one session at a time; closeSession makes the slot
 * open a fresh one). Paths are absolute and already include the run's base path.
 */
import type { MultiOp } from '../../helpers/raw-multi.js';
import type { WatchLists } from '../../helpers/raw-ops.js';

/** Named ACL shapes; the runner turns them into ACL lists (runner.ts `aclFor`). */
export type AclSpec =
  | 'open'
  | 'read'
  | 'digestAlice'
  | 'digestBobRead'
  | 'authAll'
  | 'ip'
  | 'empty'
  | 'badWorld'
  | 'badIp'
  | 'unknownScheme'
  | 'noColonDigest';

export type DataSpec = null | string;

export type GenOp =
  | { k: 'create'; slot: number; path: string; data: DataSpec; acl: AclSpec; flags: number; opcode: number; ttl?: bigint }
  | { k: 'delete'; slot: number; path: string; version: number }
  | { k: 'setData'; slot: number; path: string; data: DataSpec; version: number }
  | { k: 'exists' | 'getData' | 'getChildren' | 'getChildren2'; slot: number; path: string; watch: boolean }
  | { k: 'getACL'; slot: number; path: string }
  | { k: 'setACL'; slot: number; path: string; acl: AclSpec; version: number }
  | { k: 'addWatch'; slot: number; path: string; mode: number }
  | { k: 'removeWatches' | 'checkWatches'; slot: number; path: string; type: number }
  | { k: 'multi' | 'multiRead'; slot: number; ops: MultiSpec[] }
  | { k: 'getEphemerals'; slot: number; prefix: string | null }
  | { k: 'getAllChildrenNumber'; slot: number; path: string }
  | { k: 'sync'; slot: number; path: string }
  | { k: 'auth'; slot: number; scheme: string; credentials: string }
  | { k: 'whoAmI'; slot: number }
  /** closeSession; the slot then opens a new session. */
  | { k: 'closeSession'; slot: number }
  /** Drop the TCP connection, resume the session on a new one, then send SetWatches(2). */
  | { k: 'reconnect'; slot: number; watches: WatchLists; relativeZxid: 'last' | 'zero'; readOnly: boolean | 'omit' }
  /** A side connection resumes a session that was closed earlier: expect the "expired" answer (§4.2 step 5). */
  | { k: 'resumeClosed'; slot: number }
  /** A side connection claims a lastZxidSeen ahead of the server: expect a close without reply (§4.2 step 1). */
  | { k: 'connectAhead'; slot: number }
  /** Several requests pipelined on one connection before any reply is read (FIFO, §1). */
  | { k: 'burst'; slot: number; ops: GenOp[] }
  /** A request whose body is cut short: MarshallingError, connection stays open (§5). */
  | { k: 'truncated'; slot: number; opcode: number; path: string; keepBytes: number }
  /** An opcode the server does not implement: Unimplemented, then the connection closes (§5). */
  | { k: 'unknownOpcode'; slot: number; opcode: number };

/** A multi sub-op: MultiOp with named data/ACL specs. */
export type MultiSpec =
  | { op: 'create'; path: string; data: DataSpec; acl: AclSpec; flags: number; type: number; ttl?: bigint }
  | Exclude<MultiOp, { op: 'create' } | { op: 'setData' }>
  | { op: 'setData'; path: string; data: DataSpec; version: number };

function str(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x));
}

/** A one-line human description of an op (used in transcripts and failure messages). */
export function describe(op: GenOp): string {
  const { k, slot, ...rest } = op;
  if (op.k === 'burst') return `s${slot} burst[${op.ops.map(describe).join(' ; ')}]`;
  return `s${slot} ${k} ${str(rest)}`;
}
