/**
 * multi (opcode 14, wire-protocol.md §14): decoding the op list and preparing it
 * atomically. Each op is checked against the state the earlier ops would produce (the
 * shared PrepView). On the first failure the whole multi becomes an error multi: ops
 * before it report 0, the failing op its code, the rest RuntimeInconsistency (§14.2),
 * and none of its changes reach the pending overlay.
 */
import {
  CheckVersionRequest,
  CreateRequest,
  CreateTTLRequest,
  DeleteRequest,
  Err,
  JuteReader,
  MultiHeader,
  OpCode,
  ProtocolError,
  SetDataRequest,
} from '../../jute/index.js';
import { isTTLMode } from '../../jute/constants.js';
import type { MultiTxn, Txn } from '../../tree/index.js';
import { prepCheck } from './check.js';
import type { PrepContext } from './context.js';
import { prepCreate, type CreateFields } from './create.js';
import { prepDelete } from './delete.js';
import { PrepError } from './errors.js';
import { prepSetData } from './set-data.js';

export type MultiOp =
  | { kind: 'create'; fields: CreateFields; ttlFieldMissing?: boolean }
  | { kind: 'delete'; path: string; version: number }
  | { kind: 'setData'; path: string; data: Buffer | null; version: number }
  | { kind: 'check'; path: string; version: number };

/**
 * Decodes a multi request body. Anything undecodable — a truncated record, an unknown
 * op type, a read op (getData/getChildren belong to multiRead, §14.1) — is a
 * MarshallingError for the whole request.
 */
export function decodeMulti(body: Buffer): MultiOp[] {
  const r = new JuteReader(body);
  const ops: MultiOp[] = [];
  try {
    for (let h = MultiHeader.read(r); !h.done; h = MultiHeader.read(r)) {
      switch (h.type) {
        case OpCode.create:
        case OpCode.create2:
        case OpCode.createContainer: {
          const c = CreateRequest.read(r);
          ops.push({ kind: 'create', fields: { ...c, ttl: -1n }, ttlFieldMissing: isTTLMode(c.flags) });
          break;
        }
        case OpCode.createTTL:
          ops.push({ kind: 'create', fields: CreateTTLRequest.read(r) });
          break;
        case OpCode.delete:
          ops.push({ kind: 'delete', ...DeleteRequest.read(r) });
          break;
        case OpCode.setData:
          ops.push({ kind: 'setData', ...SetDataRequest.read(r) });
          break;
        case OpCode.check:
          ops.push({ kind: 'check', ...CheckVersionRequest.read(r) });
          break;
        default:
          throw new PrepError(Err.MarshallingError);
      }
    }
  } catch (e) {
    if (e instanceof ProtocolError) throw new PrepError(Err.MarshallingError);
    throw e;
  }
  return ops;
}

/** Prepares every op; returns the MultiTxn and whether it succeeded (only then publish the view). */
export function prepMulti(ctx: PrepContext, ops: MultiOp[]): { txn: MultiTxn; ok: boolean } {
  const txns: Txn[] = [];
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    // A TTL mode sent in a plain create record has no ttl: when ZooKeeper 3.8 reaches such
    // an op it refuses the whole multi with MarshallingError and applies nothing (an
    // earlier failing op still wins; both found by the differential test).
    if (op.kind === 'create' && op.ttlFieldMissing) throw new PrepError(Err.MarshallingError);
    try {
      txns.push(prepOne(ctx, op));
    } catch (e) {
      if (!(e instanceof PrepError)) throw e;
      const failed: Txn[] = ops.map((_, j) => ({
        op: OpCode.error,
        err: j < i ? Err.Ok : j === i ? e.code : Err.RuntimeInconsistency,
      }));
      return { txn: { op: OpCode.multi, txns: failed }, ok: false };
    }
  }
  return { txn: { op: OpCode.multi, txns }, ok: true };
}

function prepOne(ctx: PrepContext, op: MultiOp): Txn {
  switch (op.kind) {
    case 'create':
      // Inside a multi the flags, not the header type, decide containers and TTL nodes (§14.1).
      return prepCreate(ctx, op.fields, 'multi');
    case 'delete':
      return prepDelete(ctx, op);
    case 'setData':
      return prepSetData(ctx, op);
    case 'check':
      return prepCheck(ctx, op);
  }
}
