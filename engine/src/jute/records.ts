/**
 * Every client-protocol record, defined once (wire-protocol.md §3; names and field order
 * from zookeeper.jute). `Infer<typeof X>` is the TypeScript type of record X.
 */
import { bool, buffer, int, long, nullableUstring, record, trailing, ustring, vector, type Infer } from './schema.js';

// ---- data records ----
export const Id = record('Id', { scheme: ustring, id: ustring });
export const ACL = record('ACL', { perms: int, id: Id });
/** The 68-byte Stat every read and write reply carries (§11 gives the update rules). */
export const Stat = record('Stat', {
  czxid: long,
  mzxid: long,
  ctime: long,
  mtime: long,
  version: int,
  cversion: int,
  aversion: int,
  ephemeralOwner: long,
  dataLength: int,
  numChildren: int,
  pzxid: long,
});
export const ClientInfo = record('ClientInfo', { authScheme: ustring, user: ustring });

export type Id = Infer<typeof Id>;
export type ACL = Infer<typeof ACL>;
export type Stat = Infer<typeof Stat>;
export type ClientInfo = Infer<typeof ClientInfo>;

// ---- session and envelope records ----
export const ConnectRequest = record('ConnectRequest', {
  protocolVersion: int,
  lastZxidSeen: long,
  timeOut: int,
  sessionId: long,
  passwd: buffer,
  /** Absent from node-zookeeper-client's handshake (§4.1): `undefined` marks an "old" client. */
  readOnly: trailing(bool),
});
export const ConnectResponse = record('ConnectResponse', {
  protocolVersion: int,
  timeOut: int,
  sessionId: long,
  passwd: buffer,
  /** Sent back only to clients that sent it. */
  readOnly: trailing(bool),
});
export const RequestHeader = record('RequestHeader', { xid: int, type: int });
export const ReplyHeader = record('ReplyHeader', { xid: int, zxid: long, err: int });
export const WatcherEvent = record('WatcherEvent', { type: int, state: int, path: ustring });
export const AuthPacket = record('AuthPacket', { type: int, scheme: ustring, auth: buffer });
export const SetWatches = record('SetWatches', {
  relativeZxid: long,
  dataWatches: vector(ustring),
  existWatches: vector(ustring),
  childWatches: vector(ustring),
});
export const SetWatches2 = record('SetWatches2', {
  relativeZxid: long,
  dataWatches: vector(ustring),
  existWatches: vector(ustring),
  childWatches: vector(ustring),
  persistentWatches: vector(ustring),
  persistentRecursiveWatches: vector(ustring),
});
export const MultiHeader = record('MultiHeader', { type: int, done: bool, err: int });
export const ErrorResponse = record('ErrorResponse', { err: int });

export type ConnectRequest = Infer<typeof ConnectRequest>;
export type ConnectResponse = Infer<typeof ConnectResponse>;
export type RequestHeader = Infer<typeof RequestHeader>;
export type ReplyHeader = Infer<typeof ReplyHeader>;
export type WatcherEvent = Infer<typeof WatcherEvent>;
export type AuthPacket = Infer<typeof AuthPacket>;
export type SetWatches = Infer<typeof SetWatches>;
export type SetWatches2 = Infer<typeof SetWatches2>;
export type MultiHeader = Infer<typeof MultiHeader>;

// ---- request and response bodies ----
export const CreateRequest = record('CreateRequest', { path: ustring, data: buffer, acl: vector(ACL), flags: int });
export const CreateTTLRequest = record('CreateTTLRequest', {
  path: ustring,
  data: buffer,
  acl: vector(ACL),
  flags: int,
  ttl: long,
});
export const CreateResponse = record('CreateResponse', { path: ustring });
export const Create2Response = record('Create2Response', { path: ustring, stat: Stat });
export const DeleteRequest = record('DeleteRequest', { path: ustring, version: int });
export const ExistsRequest = record('ExistsRequest', { path: ustring, watch: bool });
export const ExistsResponse = record('ExistsResponse', { stat: Stat });
export const GetDataRequest = record('GetDataRequest', { path: ustring, watch: bool });
export const GetDataResponse = record('GetDataResponse', { data: buffer, stat: Stat });
export const SetDataRequest = record('SetDataRequest', { path: ustring, data: buffer, version: int });
export const SetDataResponse = record('SetDataResponse', { stat: Stat });
export const GetChildrenRequest = record('GetChildrenRequest', { path: ustring, watch: bool });
export const GetChildrenResponse = record('GetChildrenResponse', { children: vector(ustring) });
export const GetChildren2Request = record('GetChildren2Request', { path: ustring, watch: bool });
export const GetChildren2Response = record('GetChildren2Response', { children: vector(ustring), stat: Stat });
export const GetACLRequest = record('GetACLRequest', { path: ustring });
export const GetACLResponse = record('GetACLResponse', { acl: vector(ACL), stat: Stat });
export const SetACLRequest = record('SetACLRequest', { path: ustring, acl: vector(ACL), version: int });
export const SetACLResponse = record('SetACLResponse', { stat: Stat });
export const CheckVersionRequest = record('CheckVersionRequest', { path: ustring, version: int });
export const SyncRequest = record('SyncRequest', { path: ustring });
export const SyncResponse = record('SyncResponse', { path: ustring });
export const AddWatchRequest = record('AddWatchRequest', { path: ustring, mode: int });
export const CheckWatchesRequest = record('CheckWatchesRequest', { path: ustring, type: int });
export const RemoveWatchesRequest = record('RemoveWatchesRequest', { path: ustring, type: int });
/** A null, empty, blank or "/" prefix means "all" (§9). */
export const GetEphemeralsRequest = record('GetEphemeralsRequest', { prefixPath: nullableUstring });
export const GetEphemeralsResponse = record('GetEphemeralsResponse', { ephemerals: vector(ustring) });
export const GetAllChildrenNumberRequest = record('GetAllChildrenNumberRequest', { path: ustring });
export const GetAllChildrenNumberResponse = record('GetAllChildrenNumberResponse', { totalNumber: int });
export const WhoAmIResponse = record('WhoAmIResponse', { clientInfo: vector(ClientInfo) });
export const ReconfigRequest = record('ReconfigRequest', {
  joiningServers: nullableUstring,
  leavingServers: nullableUstring,
  newMembers: nullableUstring,
  curConfigId: long,
});
export const GetSASLRequest = record('GetSASLRequest', { token: buffer });
export const SetSASLResponse = record('SetSASLResponse', { token: buffer });

export type CreateRequest = Infer<typeof CreateRequest>;
export type CreateTTLRequest = Infer<typeof CreateTTLRequest>;
export type CreateResponse = Infer<typeof CreateResponse>;
export type Create2Response = Infer<typeof Create2Response>;
export type DeleteRequest = Infer<typeof DeleteRequest>;
export type ExistsRequest = Infer<typeof ExistsRequest>;
export type GetDataRequest = Infer<typeof GetDataRequest>;
export type GetDataResponse = Infer<typeof GetDataResponse>;
export type SetDataRequest = Infer<typeof SetDataRequest>;
export type GetChildrenRequest = Infer<typeof GetChildrenRequest>;
export type GetChildren2Response = Infer<typeof GetChildren2Response>;
export type GetACLResponse = Infer<typeof GetACLResponse>;
export type SetACLRequest = Infer<typeof SetACLRequest>;
export type CheckVersionRequest = Infer<typeof CheckVersionRequest>;
export type AddWatchRequest = Infer<typeof AddWatchRequest>;
export type RemoveWatchesRequest = Infer<typeof RemoveWatchesRequest>;
export type GetEphemeralsRequest = Infer<typeof GetEphemeralsRequest>;
export type ReconfigRequest = Infer<typeof ReconfigRequest>;
