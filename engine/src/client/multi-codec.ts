/**
 * multi (opcode 14) and multiRead (opcode 22) bodies (wire-protocol.md §14.1): a
 * MultiHeader before each op, the `{-1, true, -1}` terminator after the last, and the
 * same framing for results, whose type depends on what the server did (§14.1: a create
 * may answer as type 1 or 15).
 */
import { OpCode } from '../jute/opcodes.js';
import { Err, errName } from '../jute/error-codes.js';
import { CreateMode, isTTLMode } from '../jute/constants.js';
import {
  CheckVersionRequest,
  Create2Response,
  CreateRequest,
  CreateResponse,
  CreateTTLRequest,
  DeleteRequest,
  ErrorResponse,
  GetChildrenRequest,
  GetChildrenResponse,
  GetDataRequest,
  GetDataResponse,
  MultiHeader,
  SetDataRequest,
  SetDataResponse,
} from '../jute/records.js';
import type { JuteReader } from '../jute/reader.js';
import { JuteWriter } from '../jute/writer.js';
import { OPEN_ACL_UNSAFE } from './acl.js';
import { toBuffer } from './data.js';
import type { Op, OpResult, ReadOp, ReadResult } from './types.js';

const TERMINATOR = { type: -1, done: true, err: -1 };

/** The opcode a create uses: container and TTL modes have their own (§9). */
export function createOpcode(mode: number): number {
  if (isTTLMode(mode)) return OpCode.createTTL;
  return mode === CreateMode.CONTAINER ? OpCode.createContainer : OpCode.create;
}

/** Encodes a multi body. Paths must already be server paths. */
export function encodeMulti(ops: readonly Op[]): Buffer {
  const w = new JuteWriter(256);
  for (const op of ops) {
    switch (op.type) {
      case 'create': {
        const mode = op.mode ?? CreateMode.PERSISTENT;
        const opcode = createOpcode(mode);
        MultiHeader.write(w, { type: opcode, done: false, err: -1 });
        const fields = { path: op.path, data: toBuffer(op.data === undefined ? '' : op.data), acl: [...(op.acl ?? OPEN_ACL_UNSAFE)], flags: mode };
        if (opcode === OpCode.createTTL) CreateTTLRequest.write(w, { ...fields, ttl: BigInt(op.ttl ?? -1) });
        else CreateRequest.write(w, fields);
        break;
      }
      case 'delete':
        MultiHeader.write(w, { type: OpCode.delete, done: false, err: -1 });
        DeleteRequest.write(w, { path: op.path, version: op.version ?? -1 });
        break;
      case 'setData':
        MultiHeader.write(w, { type: OpCode.setData, done: false, err: -1 });
        SetDataRequest.write(w, { path: op.path, data: toBuffer(op.data), version: op.version ?? -1 });
        break;
      case 'check':
        MultiHeader.write(w, { type: OpCode.check, done: false, err: -1 });
        CheckVersionRequest.write(w, { path: op.path, version: op.version });
        break;
    }
  }
  MultiHeader.write(w, TERMINATOR);
  return Buffer.from(w.toBuffer());
}

export function encodeMultiRead(ops: readonly ReadOp[]): Buffer {
  const w = new JuteWriter(128);
  for (const op of ops) {
    if (op.type === 'getData') {
      MultiHeader.write(w, { type: OpCode.getData, done: false, err: -1 });
      GetDataRequest.write(w, { path: op.path, watch: false });
    } else {
      MultiHeader.write(w, { type: OpCode.getChildren, done: false, err: -1 });
      GetChildrenRequest.write(w, { path: op.path, watch: false });
    }
  }
  MultiHeader.write(w, TERMINATOR);
  return Buffer.from(w.toBuffer());
}

function errorResult(r: JuteReader): { type: 'error'; code: number; codeName: string } {
  const code = ErrorResponse.read(r).err;
  return { type: 'error', code, codeName: errName(code) };
}

/** Decodes multi results; create paths are server paths (the caller strips the chroot). */
export function decodeMultiResults(r: JuteReader): OpResult[] {
  const out: OpResult[] = [];
  for (;;) {
    const h = MultiHeader.read(r);
    if (h.done) return out;
    switch (h.type) {
      case OpCode.create:
        out.push({ type: 'create', path: CreateResponse.read(r).path });
        break;
      case OpCode.create2:
      case OpCode.createContainer:
      case OpCode.createTTL: {
        const res = Create2Response.read(r);
        out.push({ type: 'create', path: res.path, stat: res.stat });
        break;
      }
      case OpCode.delete:
        out.push({ type: 'delete' });
        break;
      case OpCode.setData:
        out.push({ type: 'setData', stat: SetDataResponse.read(r).stat });
        break;
      case OpCode.check:
        out.push({ type: 'check' });
        break;
      case OpCode.error:
        out.push(errorResult(r));
        break;
      default:
        r.fail(`unexpected multi result type ${h.type}`);
    }
  }
}

export function decodeMultiReadResults(r: JuteReader): ReadResult[] {
  const out: ReadResult[] = [];
  for (;;) {
    const h = MultiHeader.read(r);
    if (h.done) return out;
    switch (h.type) {
      case OpCode.getData: {
        const res = GetDataResponse.read(r);
        out.push({ type: 'getData', data: res.data, stat: res.stat });
        break;
      }
      case OpCode.getChildren:
        out.push({ type: 'getChildren', children: GetChildrenResponse.read(r).children });
        break;
      case OpCode.error:
        out.push(errorResult(r));
        break;
      default:
        r.fail(`unexpected multiRead result type ${h.type}`);
    }
  }
}

/** The index of the op that made a multi fail, or -1 (§14.2: earlier ops report 0, later -2). */
export function failedIndex(results: readonly OpResult[]): number {
  return results.findIndex((x) => x.type === 'error' && x.code !== Err.Ok);
}
