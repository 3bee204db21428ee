/**
 * Client histories recorded by the simulator, and the register model they are checked
 * against: a few znodes, each absent or holding (value, version), with create / setData /
 * delete / getData as ZooKeeper answers them (wire-protocol.md §10–11).
 */

export type KeyOp =
  | { kind: 'create'; key: string; value: string }
  | { kind: 'set'; key: string; value: string }
  | { kind: 'delete'; key: string }
  | { kind: 'read'; key: string };

/** What the client saw. `err` is a ZooKeeper error code (0 = ok). */
export interface KeyResult {
  err: number;
  /** Reads: the node's value and version when err = 0. */
  value?: string;
  version?: number;
}

export interface HistoryOp {
  client: number;
  op: KeyOp;
  /** Logical times (a global counter): call < return. */
  call: number;
  /** null = the outcome is unknown (connection lost, member crashed). */
  ret: number | null;
  result: KeyResult | null;
  /** The zxid in the reply header (writes: the txn's; reads: the member's last applied). */
  zxid: bigint | null;
  /** Reads preceded by a sync: when the sync was called (logical time). */
  syncedAt?: number;
}

export interface KeyState {
  exists: boolean;
  value: string;
  version: number;
}

export const ABSENT: KeyState = Object.freeze({ exists: false, value: '', version: -1 });

const NO_NODE = -101;
const NODE_EXISTS = -110;

/** The model's step: the result the op must return in `s`, and the state after it. */
export function stepKey(s: KeyState, op: KeyOp): { result: KeyResult; next: KeyState } {
  switch (op.kind) {
    case 'create':
      return s.exists ? { result: { err: NODE_EXISTS }, next: s } : { result: { err: 0 }, next: { exists: true, value: op.value, version: 0 } };
    case 'set':
      return s.exists ? { result: { err: 0 }, next: { exists: true, value: op.value, version: s.version + 1 } } : { result: { err: NO_NODE }, next: s };
    case 'delete':
      return s.exists ? { result: { err: 0 }, next: ABSENT } : { result: { err: NO_NODE }, next: s };
    case 'read':
      return s.exists ? { result: { err: 0, value: s.value, version: s.version }, next: s } : { result: { err: NO_NODE }, next: s };
  }
}

export function sameResult(a: KeyResult, b: KeyResult): boolean {
  return a.err === b.err && (a.err !== 0 || (a.value === b.value && a.version === b.version));
}
