/**
 * Typed request/response helpers over RawZkClient: one function per client opcode
 * (wire-protocol.md §6), encoding the request with the engine's jute records and
 * decoding the reply body only when err == 0 (§5: error replies carry no body).
 * A body that fails to decode is reported, not thrown, so differential runs can
 * record it as an outcome.
 */
import { createHash } from 'node:crypto';
import {
  AddWatchRequest,
  AuthPacket,
  CheckVersionRequest,
  CheckWatchesRequest,
  Create2Response,
  CreateRequest,
  CreateResponse,
  CreateTTLRequest,
  DeleteRequest,
  ErrorResponse,
  ExistsRequest,
  ExistsResponse,
  GetACLRequest,
  GetACLResponse,
  GetAllChildrenNumberRequest,
  GetAllChildrenNumberResponse,
  GetChildren2Request,
  GetChildren2Response,
  GetChildrenRequest,
  GetChildrenResponse,
  GetDataRequest,
  GetDataResponse,
  GetEphemeralsRequest,
  GetEphemeralsResponse,
  OpCode,
  Perms,
  RemoveWatchesRequest,
  SetACLRequest,
  SetACLResponse,
  SetDataRequest,
  SetDataResponse,
  SetWatches,
  SetWatches2,
  SyncRequest,
  SyncResponse,
  WhoAmIResponse,
  type ACL,
  type ClientInfo,
  type RecordCodec,
  type Stat,
} from '../../engine/src/jute/index.js';
import type { RawReply, RawZkClient } from './raw-client.js';
import { decodeMultiResponse, encodeMulti, type MultiOp, type MultiResult } from './raw-multi.js';

export interface OpReply<T> {
  err: number;
  zxid: bigint;
  /** The decoded body when err == 0 and the op has one. */
  value: T | null;
  /** Set when err == 0 but the body could not be decoded. */
  decodeError?: string;
  raw: RawReply;
}

export const OPEN_ACL: ACL[] = [{ perms: Perms.ALL, id: { scheme: 'world', id: 'anyone' } }];
export const READ_ACL: ACL[] = [{ perms: Perms.READ, id: { scheme: 'world', id: 'anyone' } }];

/** The digest ACL id of user:password (§15.2): user + ':' + base64(sha1("user:password")). */
export function digestId(user: string, password: string): string {
  return `${user}:${createHash('sha1').update(`${user}:${password}`, 'utf8').digest('base64')}`;
}

async function call<T>(c: RawZkClient, op: number, body: Buffer | undefined, decode: ((b: Buffer) => T) | null): Promise<OpReply<T>> {
  const raw = await c.request(op, body);
  const out: OpReply<T> = { err: raw.err, zxid: raw.zxid, value: null, raw };
  if (raw.err === 0 && decode) {
    try {
      out.value = decode(raw.body);
    } catch (e) {
      out.decodeError = (e as Error).message;
    }
  }
  return out;
}

const dec =
  <T>(codec: RecordCodec<T>) =>
  (b: Buffer): T =>
    codec.decode(b);

export interface CreateArgs {
  path: string;
  data?: Buffer | null;
  acl?: ACL[];
  flags?: number;
  /** 1 create, 15 create2, 19 createContainer, 21 createTTL (default: 1, or 21 when ttl is given). */
  op?: number;
  ttl?: bigint;
}

export function create(c: RawZkClient, a: CreateArgs): Promise<OpReply<{ path: string; stat?: Stat }>> {
  const op = a.op ?? (a.ttl !== undefined ? OpCode.createTTL : OpCode.create);
  const base = { path: a.path, data: a.data === undefined ? Buffer.alloc(0) : a.data, acl: a.acl ?? OPEN_ACL, flags: a.flags ?? 0 };
  const body = op === OpCode.createTTL ? CreateTTLRequest.encode({ ...base, ttl: a.ttl ?? -1n }) : CreateRequest.encode(base);
  return call(c, op, body, op === OpCode.create ? dec(CreateResponse) : dec(Create2Response));
}

export function del(c: RawZkClient, path: string, version = -1): Promise<OpReply<null>> {
  return call(c, OpCode.delete, DeleteRequest.encode({ path, version }), null);
}

export async function exists(c: RawZkClient, path: string, watch = false): Promise<OpReply<Stat>> {
  const r = await call(c, OpCode.exists, ExistsRequest.encode({ path, watch }), dec(ExistsResponse));
  return { ...r, value: r.value?.stat ?? null };
}

export function getData(c: RawZkClient, path: string, watch = false): Promise<OpReply<{ data: Buffer | null; stat: Stat }>> {
  return call(c, OpCode.getData, GetDataRequest.encode({ path, watch }), dec(GetDataResponse));
}

export async function setData(c: RawZkClient, path: string, data: Buffer | null, version = -1): Promise<OpReply<Stat>> {
  const r = await call(c, OpCode.setData, SetDataRequest.encode({ path, data, version }), dec(SetDataResponse));
  return { ...r, value: r.value?.stat ?? null };
}

export function getACL(c: RawZkClient, path: string): Promise<OpReply<{ acl: ACL[]; stat: Stat }>> {
  return call(c, OpCode.getACL, GetACLRequest.encode({ path }), dec(GetACLResponse));
}

export async function setACL(c: RawZkClient, path: string, acl: ACL[], version = -1): Promise<OpReply<Stat>> {
  const r = await call(c, OpCode.setACL, SetACLRequest.encode({ path, acl, version }), dec(SetACLResponse));
  return { ...r, value: r.value?.stat ?? null };
}

export async function getChildren(c: RawZkClient, path: string, watch = false): Promise<OpReply<string[]>> {
  const r = await call(c, OpCode.getChildren, GetChildrenRequest.encode({ path, watch }), dec(GetChildrenResponse));
  return { ...r, value: r.value?.children ?? null };
}

export function getChildren2(c: RawZkClient, path: string, watch = false): Promise<OpReply<{ children: string[]; stat: Stat }>> {
  return call(c, OpCode.getChildren2, GetChildren2Request.encode({ path, watch }), dec(GetChildren2Response));
}

export async function sync(c: RawZkClient, path: string): Promise<OpReply<string>> {
  const r = await call(c, OpCode.sync, SyncRequest.encode({ path }), dec(SyncResponse));
  return { ...r, value: r.value?.path ?? null };
}

/** A standalone check (13). Apache 3.8 never answers it (wire-protocol.md §14.3, §18). */
export function check(c: RawZkClient, path: string, version: number): Promise<OpReply<null>> {
  return call(c, OpCode.check, CheckVersionRequest.encode({ path, version }), null);
}

export async function multi(c: RawZkClient, ops: MultiOp[]): Promise<OpReply<MultiResult[]>> {
  return call(c, OpCode.multi, encodeMulti(ops), decodeMultiResponse);
}

export async function multiRead(c: RawZkClient, ops: MultiOp[]): Promise<OpReply<MultiResult[]>> {
  return call(c, OpCode.multiRead, encodeMulti(ops), decodeMultiResponse);
}

/** addWatch (106): the success body is ErrorResponse(0) (§6). The value is that inner err. */
export async function addWatch(c: RawZkClient, path: string, mode: number): Promise<OpReply<number>> {
  const r = await call(c, OpCode.addWatch, AddWatchRequest.encode({ path, mode }), dec(ErrorResponse));
  return { ...r, value: r.value?.err ?? null };
}

export function removeWatches(c: RawZkClient, path: string, type: number): Promise<OpReply<null>> {
  return call(c, OpCode.removeWatches, RemoveWatchesRequest.encode({ path, type }), null);
}

export function checkWatches(c: RawZkClient, path: string, type: number): Promise<OpReply<null>> {
  return call(c, OpCode.checkWatches, CheckWatchesRequest.encode({ path, type }), null);
}

export async function getEphemerals(c: RawZkClient, prefixPath: string | null): Promise<OpReply<string[]>> {
  const r = await call(c, OpCode.getEphemerals, GetEphemeralsRequest.encode({ prefixPath }), dec(GetEphemeralsResponse));
  return { ...r, value: r.value?.ephemerals ?? null };
}

export async function getAllChildrenNumber(c: RawZkClient, path: string): Promise<OpReply<number>> {
  const r = await call(c, OpCode.getAllChildrenNumber, GetAllChildrenNumberRequest.encode({ path }), dec(GetAllChildrenNumberResponse));
  return { ...r, value: r.value?.totalNumber ?? null };
}

export async function whoAmI(c: RawZkClient): Promise<OpReply<ClientInfo[]>> {
  const r = await call(c, OpCode.whoAmI, undefined, dec(WhoAmIResponse));
  return { ...r, value: r.value?.clientInfo ?? null };
}

/** An auth packet (xid -4, §15.3). Unknown schemes get AuthFailed and the connection is closed. */
export function auth(c: RawZkClient, scheme: string, credentials: string): Promise<OpReply<null>> {
  return call(c, OpCode.auth, AuthPacket.encode({ type: 0, scheme, auth: Buffer.from(credentials, 'utf8') }), null);
}

export interface WatchLists {
  dataWatches?: string[];
  existWatches?: string[];
  childWatches?: string[];
  persistentWatches?: string[];
  persistentRecursiveWatches?: string[];
}

/** setWatches (101), or setWatches2 (105) when persistent lists are given (§12.5). */
export function setWatches(c: RawZkClient, relativeZxid: bigint, w: WatchLists): Promise<OpReply<null>> {
  const base = { relativeZxid, dataWatches: w.dataWatches ?? [], existWatches: w.existWatches ?? [], childWatches: w.childWatches ?? [] };
  if (w.persistentWatches || w.persistentRecursiveWatches) {
    const body = SetWatches2.encode({
      ...base,
      persistentWatches: w.persistentWatches ?? [],
      persistentRecursiveWatches: w.persistentRecursiveWatches ?? [],
    });
    return call(c, OpCode.setWatches2, body, null);
  }
  return call(c, OpCode.setWatches, SetWatches.encode(base), null);
}

/** closeSession (-11): the server replies, then closes the socket (§13.2). */
export function closeSession(c: RawZkClient): Promise<OpReply<null>> {
  return call(c, OpCode.closeSession, undefined, null);
}
