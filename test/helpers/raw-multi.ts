/**
 * multi (14) and multiRead (22) encoding for the raw test client (wire-protocol.md §14.1):
 * each op is a MultiHeader{type, done=false, err=-1} plus its request record, then the
 * terminator {-1, true, -1}. Results mirror that shape with the *effective* result type.
 */
import {
  CheckVersionRequest,
  CreateRequest,
  CreateTTLRequest,
  DeleteRequest,
  GetChildrenRequest,
  GetDataRequest,
  JuteReader,
  JuteWriter,
  MultiHeader,
  OpCode,
  SetDataRequest,
  Stat,
  ustring,
  vector,
  type ACL,
} from '../../engine/src/jute/index.js';

export type MultiOp =
  | { op: 'create'; path: string; data: Buffer | null; acl: ACL[]; flags: number; /** header type, default 1 */ type?: number; ttl?: bigint }
  | { op: 'delete'; path: string; version: number }
  | { op: 'setData'; path: string; data: Buffer | null; version: number }
  | { op: 'check'; path: string; version: number }
  | { op: 'getData'; path: string }
  | { op: 'getChildren'; path: string };

export type MultiResult =
  | { type: 1; path: string }
  | { type: 15; path: string; stat: Stat }
  | { type: 2 }
  | { type: 13 }
  | { type: 5; stat: Stat }
  | { type: 4; data: Buffer | null; stat: Stat }
  | { type: 8; children: string[] }
  | { type: -1; err: number }
  /** A result type we do not know: the rest of the response cannot be parsed. */
  | { type: number; unknown: true };

function headerType(o: MultiOp): number {
  switch (o.op) {
    case 'create':
      return o.type ?? (o.ttl !== undefined ? OpCode.createTTL : OpCode.create);
    case 'delete':
      return OpCode.delete;
    case 'setData':
      return OpCode.setData;
    case 'check':
      return OpCode.check;
    case 'getData':
      return OpCode.getData;
    case 'getChildren':
      return OpCode.getChildren;
  }
}

export function encodeMulti(ops: MultiOp[]): Buffer {
  const w = new JuteWriter(256);
  for (const o of ops) {
    const type = headerType(o);
    MultiHeader.write(w, { type, done: false, err: -1 });
    switch (o.op) {
      case 'create':
        if (type === OpCode.createTTL) {
          CreateTTLRequest.write(w, { path: o.path, data: o.data, acl: o.acl, flags: o.flags, ttl: o.ttl ?? -1n });
        } else {
          CreateRequest.write(w, { path: o.path, data: o.data, acl: o.acl, flags: o.flags });
        }
        break;
      case 'delete':
        DeleteRequest.write(w, { path: o.path, version: o.version });
        break;
      case 'setData':
        SetDataRequest.write(w, { path: o.path, data: o.data, version: o.version });
        break;
      case 'check':
        CheckVersionRequest.write(w, { path: o.path, version: o.version });
        break;
      case 'getData':
        GetDataRequest.write(w, { path: o.path, watch: false });
        break;
      case 'getChildren':
        GetChildrenRequest.write(w, { path: o.path, watch: false });
        break;
    }
  }
  MultiHeader.write(w, { type: -1, done: true, err: -1 });
  return Buffer.from(w.toBuffer());
}

const children = vector(ustring);

export function decodeMultiResponse(body: Buffer): MultiResult[] {
  const r = new JuteReader(body);
  const out: MultiResult[] = [];
  for (;;) {
    const h = MultiHeader.read(r);
    if (h.done) return out;
    switch (h.type) {
      case 1:
        out.push({ type: 1, path: r.ustring() });
        break;
      case 15:
        out.push({ type: 15, path: r.ustring(), stat: Stat.read(r) });
        break;
      case 2:
        out.push({ type: 2 });
        break;
      case 13:
        out.push({ type: 13 });
        break;
      case 5:
        out.push({ type: 5, stat: Stat.read(r) });
        break;
      case 4:
        out.push({ type: 4, data: r.buffer(), stat: Stat.read(r) });
        break;
      case 8:
        out.push({ type: 8, children: children.read(r) });
        break;
      case -1:
        out.push({ type: -1, err: r.int() });
        break;
      default:
        out.push({ type: h.type, unknown: true });
        return out;
    }
  }
}
