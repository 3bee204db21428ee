/**
 * The reply to a request whose txn was applied (wire-protocol.md §5, §6, §14.1). The
 * ReplyHeader's zxid is the txn's own zxid, for successes and failures alike (§5).
 */
import { OpCode } from '../jute/opcodes.js';
import { Stat } from '../jute/records.js';
import type { TxnEntry } from '../tree/txn.js';
import type { ApplyResult, OpResult } from '../tree/types.js';
import type { OutputBuffer } from './output-buffer.js';
import { beginReply } from './replies.js';
import type { JuteWriter } from '../jute/writer.js';

/** Result types inside a multi reply (§14.1). */
const MultiType = { create: 1, create2: 15, delete: 2, setData: 5, check: 13, error: -1 } as const;

function writeMultiResult(w: JuteWriter, r: OpResult): void {
  switch (r.op) {
    case 'create':
      // The effective mode decides, not the request header: containers and TTL nodes get
      // create2 results, plain creates create results (kazoo parses only the latter, §14.1).
      if (r.extended) {
        w.int(MultiType.create2).bool(false).int(0).ustring(r.path);
        Stat.write(w, r.stat);
      } else {
        w.int(MultiType.create).bool(false).int(0).ustring(r.path);
      }
      return;
    case 'delete':
      w.int(MultiType.delete).bool(false).int(0);
      return;
    case 'setData':
      w.int(MultiType.setData).bool(false).int(0);
      Stat.write(w, r.stat);
      return;
    case 'check':
      w.int(MultiType.check).bool(false).int(0);
      return;
    case 'error':
      w.int(MultiType.error).bool(false).int(r.err).int(r.err);
      return;
    default:
      // setACL and session ops cannot occur inside a multi (prep refuses them).
      throw new Error(`unexpected ${r.op} result inside a multi`);
  }
}

/** Encodes the reply for request `op` (the client's opcode) from its applied txn. */
export function writeAppliedReply(out: OutputBuffer, xid: number, op: number, entry: TxnEntry, applied: ApplyResult): void {
  const r = applied.result;
  const zxid = entry.zxid;
  if (r.op === 'error') {
    beginReply(out, xid, zxid, r.err);
    return out.end();
  }
  const w = beginReply(out, xid, zxid, 0);
  switch (r.op) {
    case 'create':
      w.ustring(r.path);
      // create (1) answers the path; create2, createContainer and createTTL add the Stat (§9).
      if (op !== OpCode.create) Stat.write(w, r.stat);
      break;
    case 'setData':
    case 'setACL':
      Stat.write(w, r.stat);
      break;
    case 'check':
      // 3.8 sends nothing for a standalone check (§14.3, §18); we answer with the Stat.
      if (r.stat) Stat.write(w, r.stat);
      break;
    case 'multi':
      // The header's err stays 0 even when the multi failed: the results say so (§14.2).
      for (const sub of r.results) writeMultiResult(w, sub);
      w.int(-1).bool(true).int(-1);
      break;
    case 'delete':
    case 'createSession':
    case 'closeSession':
      break;
  }
  out.end();
}
