/**
 * A tolerant decoder of one request frame payload (RequestHeader + body), as the server
 * would read it, for the fuzzer's intended-difference vetoes. It extracts what the
 * vetoes look at and never throws: whatever does not decode is left out, exactly as
 * the server would stop at a MarshallingError.
 */
import {
  CheckVersionRequest,
  CreateRequest,
  CreateTTLRequest,
  DeleteRequest,
  GetChildrenRequest,
  GetDataRequest,
  JuteReader,
  MultiHeader,
  OpCode,
  SetDataRequest,
  SetWatches,
  SetWatches2,
  type Codec,
} from '../../../engine/src/jute/index.js';

export interface DecodedFrame {
  /** The header's opcode, or null for a frame shorter than a RequestHeader. */
  type: number | null;
  /** The operations the frame asks for: itself, or every decodable sub-op of a multi. */
  ops: { type: number; ttlCreate: { flags: number; ttl: bigint } | null }[];
  /** removeWatches/checkWatches: the WatcherType field. */
  watcherType: number | null;
  /** The first string of the body (the path for most ops). */
  path: string | null;
  /** Every string the server might echo back (sync path, SetWatches lists). */
  strings: string[];
}

const SUB_OPS: Record<number, Codec<unknown>> = {
  [OpCode.create]: CreateRequest,
  [OpCode.create2]: CreateRequest,
  [OpCode.createContainer]: CreateRequest,
  [OpCode.createTTL]: CreateTTLRequest,
  [OpCode.delete]: DeleteRequest,
  [OpCode.setData]: SetDataRequest,
  [OpCode.check]: CheckVersionRequest,
  [OpCode.getData]: GetDataRequest,
  [OpCode.getChildren]: GetChildrenRequest,
};

function attempt<T>(f: () => T): T | null {
  try {
    return f();
  } catch {
    return null;
  }
}

export function decodeFrame(payload: Buffer): DecodedFrame {
  const out: DecodedFrame = { type: null, ops: [], watcherType: null, path: null, strings: [] };
  if (payload.length < 8) return out;
  const type = payload.readInt32BE(4);
  out.type = type;
  const body = payload.subarray(8);
  const r = new JuteReader(body);
  out.path = attempt(() => new JuteReader(body).ustring());
  if (type === OpCode.createTTL) {
    const req = attempt(() => CreateTTLRequest.decode(body));
    out.ops.push({ type, ttlCreate: req ? { flags: req.flags, ttl: req.ttl } : null });
  } else if (type === OpCode.multi || type === OpCode.multiRead) {
    for (let i = 0; i < 10_000; i++) {
      const h = attempt(() => MultiHeader.read(r));
      if (!h || h.done) break;
      const codec = SUB_OPS[h.type];
      if (!codec) {
        out.ops.push({ type: h.type, ttlCreate: null });
        break;
      }
      const req = attempt(() => codec.read(r)) as { flags?: number; ttl?: bigint } | null;
      if (!req) break;
      out.ops.push({ type: h.type, ttlCreate: h.type === OpCode.createTTL && req.ttl !== undefined ? { flags: req.flags ?? 0, ttl: req.ttl } : null });
    }
  } else {
    out.ops.push({ type, ttlCreate: null });
  }
  if (type === OpCode.removeWatches || type === OpCode.checkWatches) {
    out.watcherType = attempt(() => {
      const rr = new JuteReader(body);
      rr.ustring();
      return rr.int();
    });
  }
  if (type === OpCode.sync && out.path !== null) out.strings.push(out.path);
  if (type === OpCode.setWatches || type === OpCode.setWatches2) {
    const w = attempt(() => (type === OpCode.setWatches ? SetWatches.decode(body) : SetWatches2.decode(body))) as Record<string, unknown> | null;
    if (w) for (const v of Object.values(w)) if (Array.isArray(v)) out.strings.push(...(v as string[]));
  }
  return out;
}
