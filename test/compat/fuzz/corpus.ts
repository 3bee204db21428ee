/**
 * The seed corpus of the fuzzer: one valid request frame per client opcode (as real
 * clients would send them, wire-protocol.md §6), built with the engine's jute records.
 * Paths live under the case's own prefix so mutated writes of one case do not collide
 * with another's on purpose.
 */
import {
  AddWatchRequest,
  AuthPacket,
  CheckWatchesRequest,
  CreateRequest,
  CreateTTLRequest,
  DeleteRequest,
  ExistsRequest,
  GetACLRequest,
  GetAllChildrenNumberRequest,
  GetChildren2Request,
  GetChildrenRequest,
  GetDataRequest,
  GetEphemeralsRequest,
  OpCode,
  RemoveWatchesRequest,
  SetACLRequest,
  SetDataRequest,
  SetWatches,
  SetWatches2,
  SyncRequest,
} from '../../../engine/src/jute/index.js';
import { RawZkClient } from '../../helpers/raw-client.js';
import { encodeMulti } from '../../helpers/raw-multi.js';
import { OPEN_ACL } from '../../helpers/raw-ops.js';

export interface CorpusFrame {
  name: string;
  /** The whole frame: length prefix, RequestHeader, body. */
  bytes: Buffer;
}

export function requestCorpus(prefix: string, firstXid: number): CorpusFrame[] {
  let xid = firstXid;
  const f = (name: string, op: number, body: Buffer = Buffer.alloc(0), fixedXid?: number): CorpusFrame => ({
    name,
    bytes: RawZkClient.requestFrame(fixedXid ?? xid++, op, body),
  });
  const p = `${prefix}/n`;
  return [
    f('create', OpCode.create, CreateRequest.encode({ path: prefix, data: Buffer.from('seed'), acl: OPEN_ACL, flags: 0 })),
    f('create2-child', OpCode.create2, CreateRequest.encode({ path: p, data: Buffer.from('child'), acl: OPEN_ACL, flags: 1 })),
    f('createTTL', OpCode.createTTL, CreateTTLRequest.encode({ path: `${prefix}/t`, data: null, acl: OPEN_ACL, flags: 5, ttl: 60_000n })),
    f('createContainer', OpCode.createContainer, CreateRequest.encode({ path: `${prefix}/c`, data: null, acl: OPEN_ACL, flags: 4 })),
    f('exists', OpCode.exists, ExistsRequest.encode({ path: p, watch: true })),
    f('getData', OpCode.getData, GetDataRequest.encode({ path: p, watch: true })),
    f('setData', OpCode.setData, SetDataRequest.encode({ path: p, data: Buffer.from('v2'), version: -1 })),
    f('getChildren', OpCode.getChildren, GetChildrenRequest.encode({ path: prefix, watch: true })),
    f('getChildren2', OpCode.getChildren2, GetChildren2Request.encode({ path: prefix, watch: false })),
    f('getACL', OpCode.getACL, GetACLRequest.encode({ path: p })),
    f('setACL', OpCode.setACL, SetACLRequest.encode({ path: p, acl: OPEN_ACL, version: -1 })),
    f('sync', OpCode.sync, SyncRequest.encode({ path: prefix })),
    f('multi', OpCode.multi, encodeMulti([{ op: 'create', path: `${prefix}/m`, data: null, acl: OPEN_ACL, flags: 0 }, { op: 'check', path: prefix, version: -1 }, { op: 'delete', path: `${prefix}/m`, version: -1 }])),
    f('multiRead', OpCode.multiRead, encodeMulti([{ op: 'getData', path: p }, { op: 'getChildren', path: prefix }])),
    // Persistent watches live on their own path, never also watched by a standard watch on
    // the same connection (intended-differences.ts: standard-watch-replaces-persistent).
    f('addWatch', OpCode.addWatch, AddWatchRequest.encode({ path: `${prefix}/pw`, mode: 1 })),
    f('checkWatches', OpCode.checkWatches, CheckWatchesRequest.encode({ path: p, type: 3 })),
    f('removeWatches', OpCode.removeWatches, RemoveWatchesRequest.encode({ path: p, type: 3 })),
    f('create-under-pw', OpCode.create, CreateRequest.encode({ path: `${prefix}/pw`, data: null, acl: OPEN_ACL, flags: 0 })),
    f('getEphemerals', OpCode.getEphemerals, GetEphemeralsRequest.encode({ prefixPath: prefix })),
    f('getAllChildrenNumber', OpCode.getAllChildrenNumber, GetAllChildrenNumberRequest.encode({ path: prefix })),
    f('whoAmI', OpCode.whoAmI),
    f('setWatches', OpCode.setWatches, SetWatches.encode({ relativeZxid: 0n, dataWatches: [p], existWatches: [`${prefix}/x`], childWatches: [prefix] })),
    f('setWatches2', OpCode.setWatches2, SetWatches2.encode({ relativeZxid: 0n, dataWatches: [], existWatches: [], childWatches: [], persistentWatches: [`${prefix}/pw`], persistentRecursiveWatches: [] })),
    f('auth', OpCode.auth, AuthPacket.encode({ type: 0, scheme: 'digest', auth: Buffer.from('fuzz:pw') }), -4),
    f('delete', OpCode.delete, DeleteRequest.encode({ path: p, version: -1 })),
    f('ping', OpCode.ping, Buffer.alloc(0), -2),
  ];
}
