/**
 * Pre-encoded client frames for the load generator. Every record is encoded with the
 * engine's one jute definition (engine/src/jute/records.ts); the generator only keeps the
 * resulting bytes so the hot path is a Buffer copy, not an encode.
 *
 * Frame = 4-byte length + RequestHeader{xid, type} + body (wire-protocol.md §1, §5). The
 * server echoes xids and never checks them (§5), so load requests all use xid 1; replies
 * are matched to requests by FIFO order (§1), and xids -1 (watch event) and -2 (ping)
 * identify the unsolicited frames.
 */
import {
  ConnectRequest,
  CreateRequest,
  DeleteRequest,
  ExistsRequest,
  GetDataRequest,
  JuteWriter,
  OpCode,
  Perms,
  SetDataRequest,
  Xid,
  finishFrame,
  startFrame,
} from '../../../engine/src/jute/index.js';

export const LOAD_XID = 1;
/** Byte offsets inside a reply frame, counted from its 4-byte length (§5: ReplyHeader). */
export const REPLY_XID_AT = 4;
export const REPLY_ERR_AT = 16;

const OPEN_ACL = [{ perms: Perms.ALL, id: { scheme: 'world', id: 'anyone' } }];

/** The values are 100 bytes. */
export const VALUE_100 = Buffer.alloc(100, 0x7a);

function frame(xid: number, op: number, body: Buffer | null): Buffer {
  const w = startFrame(new JuteWriter(16 + (body?.length ?? 0)));
  w.int(xid).int(op);
  if (body) w.raw(body);
  return finishFrame(w);
}

/** A new-session ConnectRequest with the readOnly byte, as the Java client sends it (§4.1). */
export function connectFrame(timeoutMs: number): Buffer {
  const w = startFrame();
  ConnectRequest.write(w, { protocolVersion: 0, lastZxidSeen: 0n, timeOut: timeoutMs, sessionId: 0n, passwd: Buffer.alloc(16), readOnly: false });
  return finishFrame(w);
}

export const pingFrame = (): Buffer => frame(Xid.ping, OpCode.ping, null);
export const closeSessionFrame = (): Buffer => frame(LOAD_XID, OpCode.closeSession, null);

export function createFrame(path: string, data: Buffer = VALUE_100): Buffer {
  return frame(LOAD_XID, OpCode.create, CreateRequest.encode({ path, data, acl: OPEN_ACL, flags: 0 }));
}
export function deleteFrame(path: string): Buffer {
  return frame(LOAD_XID, OpCode.delete, DeleteRequest.encode({ path, version: -1 }));
}
export function setDataFrame(path: string, data: Buffer = VALUE_100): Buffer {
  return frame(LOAD_XID, OpCode.setData, SetDataRequest.encode({ path, data, version: -1 }));
}
export function getDataFrame(path: string, watch = false): Buffer {
  return frame(LOAD_XID, OpCode.getData, GetDataRequest.encode({ path, watch }));
}
export function existsFrame(path: string, watch = false): Buffer {
  return frame(LOAD_XID, OpCode.exists, ExistsRequest.encode({ path, watch }));
}

/**
 * Frames for paths that end in a fixed-width decimal counter (`<prefix>000000042`): the
 * frame is encoded once and each request copies it and rewrites the digits in place, so
 * generating 100 000 unique creates costs no encoding at all.
 */
export class CountedPathFrames {
  private readonly template: Buffer;
  private readonly digitsAt: number;

  constructor(
    readonly prefix: string,
    readonly width: number,
    build: (path: string) => Buffer,
  ) {
    const placeholder = `${prefix}${'0'.repeat(width)}`;
    this.template = build(placeholder);
    const at = this.template.indexOf(Buffer.from(placeholder, 'utf8'));
    if (at < 0 || this.template.indexOf(Buffer.from(placeholder, 'utf8'), at + 1) >= 0) {
      throw new Error(`path ${placeholder} must appear exactly once in its frame`);
    }
    this.digitsAt = at + Buffer.byteLength(prefix, 'utf8');
  }

  path(n: number): string {
    return `${this.prefix}${String(n).padStart(this.width, '0')}`;
  }

  frame(n: number): Buffer {
    if (n < 0 || n >= 10 ** this.width) throw new RangeError(`${n} does not fit in ${this.width} digits`);
    const out = Buffer.allocUnsafe(this.template.length);
    this.template.copy(out);
    let v = n;
    for (let i = this.width - 1; i >= 0; i--) {
      out[this.digitsAt + i] = 0x30 + (v % 10);
      v = Math.floor(v / 10);
    }
    return out;
  }
}
