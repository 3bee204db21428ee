/**
 * Requests this member answers from its own database and watch tables (the `local`
 * route of op-table.ts): reads with their ACL checks and watch registration
 * (wire-protocol.md §8.3, §12.1, §15.1), multiRead (§14.3), whoAmI, getEphemerals,
 * the watch requests (§12.4–§12.6) and ping. Auth needs the member's config and may
 * close the connection, so the server handles it (auth.ts).
 *
 * Each handler writes exactly one reply (preceded, for SetWatches, by its catch-up
 * notifications) and never throws for bad input: an undecodable body is answered with
 * MarshallingError and the connection stays open (§5).
 */
import { ProtocolError } from '../jute/errors.js';
import { Err } from '../jute/error-codes.js';
import { OpCode, Xid } from '../jute/opcodes.js';
import { AddWatchMode, Perms } from '../jute/constants.js';
import { isWatcherType } from '../watches/index.js';
import {
  AddWatchRequest,
  CheckWatchesRequest,
  ClientInfo,
  ExistsRequest,
  GetACLRequest,
  GetAllChildrenNumberRequest,
  GetChildrenRequest,
  GetDataRequest,
  GetEphemeralsRequest,
  MultiHeader,
  RemoveWatchesRequest,
  SetWatches,
  SetWatches2,
  Stat,
  ACL as AclRecord,
  type ACL,
  type Id,
} from '../jute/records.js';
import { JuteReader } from '../jute/reader.js';
import type { ZkDatabase } from '../tree/zk-database.js';
import type { OutputBuffer } from './output-buffer.js';
import { javaHashSetOrder } from './java-hash-order.js';
import { beginReply, writeHeaderOnly, writeNotification } from './replies.js';
import type { AclRules, WatchTable } from './server-deps.js';

export interface LocalContext<W> {
  db: ZkDatabase;
  watches: WatchTable<W>;
  acl: AclRules;
  /** zookeeper.skipACL=yes: every check passes (§15.1). */
  skipACL: boolean;
  maxBuffer: number;
}

/** The caller: the connection (which is also the watcher identity). */
export interface LocalCaller<W> {
  readonly watcher: W;
  readonly sessionId: bigint;
  readonly authIds: readonly Id[];
}

type Handler = <W>(ctx: LocalContext<W>, caller: LocalCaller<W>, xid: number, body: Buffer, out: OutputBuffer) => void;

/** A keeper error a handler raises to answer with a header-only reply. */
class Refusal {
  constructor(readonly err: number) {}
}

function allowed<W>(ctx: LocalContext<W>, caller: LocalCaller<W>, acl: readonly ACL[], perm: number): boolean {
  return ctx.skipACL || ctx.acl.check(acl, perm, caller.authIds);
}

function requireRead<W>(ctx: LocalContext<W>, caller: LocalCaller<W>, acl: readonly ACL[]): void {
  if (!allowed(ctx, caller, acl, Perms.READ)) throw new Refusal(Err.NoAuth);
}

const exists: Handler = (ctx, caller, xid, body, out) => {
  const req = ExistsRequest.decode(body, ctx.maxBuffer);
  // exists has no ACL check; only a NUL in the path is refused (§8.3).
  if (req.path.includes('\0')) throw new Refusal(Err.BadArguments);
  const tree = ctx.db.tree;
  const slot = tree.slotOf(req.path);
  // The watch is set even when the node is missing: it fires NodeCreated later (§12.1).
  if (req.watch) ctx.watches.addDataWatch(req.path, caller.watcher);
  if (slot < 0) throw new Refusal(Err.NoNode);
  const w = beginReply(out, xid, ctx.db.lastZxid, 0);
  tree.writeStat(slot, w);
  out.end();
};

const getData: Handler = (ctx, caller, xid, body, out) => {
  const req = GetDataRequest.decode(body, ctx.maxBuffer);
  const tree = ctx.db.tree;
  const slot = tree.slotOf(req.path);
  if (slot < 0) throw new Refusal(Err.NoNode);
  requireRead(ctx, caller, tree.aclOfSlot(slot));
  if (req.watch) ctx.watches.addDataWatch(req.path, caller.watcher);
  const w = beginReply(out, xid, ctx.db.lastZxid, 0);
  tree.writeData(slot, w);
  tree.writeStat(slot, w);
  out.end();
};

function children(withStat: boolean): Handler {
  return (ctx, caller, xid, body, out) => {
    const req = GetChildrenRequest.decode(body, ctx.maxBuffer);
    const node = ctx.db.tree.getChildren(req.path);
    if (node === null) throw new Refusal(Err.NoNode);
    requireRead(ctx, caller, node.acl);
    if (req.watch) ctx.watches.addChildWatch(req.path, caller.watcher);
    const w = beginReply(out, xid, ctx.db.lastZxid, 0);
    w.int(node.children.length);
    for (const c of node.children) w.ustring(c);
    if (withStat) Stat.write(w, node.stat);
    out.end();
  };
}

/** Without ADMIN, digest ids are shown as `user:x` (§15.1). */
function maskDigests(acl: readonly ACL[]): ACL[] {
  return acl.map((a) =>
    a.id.scheme === 'digest' ? { perms: a.perms, id: { scheme: 'digest', id: `${a.id.id.split(':')[0]}:x` } } : a,
  );
}

const getACL: Handler = (ctx, caller, xid, body, out) => {
  const req = GetACLRequest.decode(body, ctx.maxBuffer);
  const node = ctx.db.tree.getACL(req.path);
  if (node === null) throw new Refusal(Err.NoNode);
  const admin = allowed(ctx, caller, node.acl, Perms.ADMIN);
  if (!admin && !allowed(ctx, caller, node.acl, Perms.READ)) throw new Refusal(Err.NoAuth);
  const acl = admin ? node.acl : maskDigests(node.acl);
  const w = beginReply(out, xid, ctx.db.lastZxid, 0);
  w.int(acl.length);
  for (const a of acl) AclRecord.write(w, a);
  Stat.write(w, node.stat);
  out.end();
};

const getAllChildrenNumber: Handler = (ctx, caller, xid, body, out) => {
  const req = GetAllChildrenNumberRequest.decode(body, ctx.maxBuffer);
  const acl = ctx.db.tree.aclOf(req.path);
  if (acl === null) throw new Refusal(Err.NoNode);
  requireRead(ctx, caller, acl);
  const n = ctx.db.tree.allChildrenNumber(req.path) ?? 0;
  beginReply(out, xid, ctx.db.lastZxid, 0).int(n);
  out.end();
};

const getEphemerals: Handler = (ctx, caller, xid, body, out) => {
  const req = GetEphemeralsRequest.decode(body, ctx.maxBuffer);
  const paths = ctx.db.tree.getEphemerals(caller.sessionId, req.prefixPath);
  const w = beginReply(out, xid, ctx.db.lastZxid, 0);
  w.int(paths.length);
  for (const p of paths) w.ustring(p);
  out.end();
};

/** whoAmI: one ClientInfo per auth id, in ZooKeeper's hash-set order; digest shows only the user part (§9). */
const whoAmI: Handler = (ctx, caller, xid, _body, out) => {
  const w = beginReply(out, xid, ctx.db.lastZxid, 0);
  w.int(caller.authIds.length);
  for (const id of javaHashSetOrder(caller.authIds)) {
    const user = id.scheme === 'digest' ? id.id.split(':')[0] : id.id;
    ClientInfo.write(w, { authScheme: id.scheme, user });
  }
  out.end();
};

/** multiRead (§14.3): not atomic; each getData/getChildren runs on its own. */
const multiRead: Handler = (ctx, caller, xid, body, out) => {
  const r = new JuteReader(body, 0, body.length, ctx.maxBuffer);
  const ops: { type: number; path: string }[] = [];
  for (;;) {
    const h = MultiHeader.read(r);
    if (h.done) break;
    // Only reads may appear in a multiRead; anything else fails the whole request (§14.1).
    if (h.type === OpCode.getData) ops.push({ type: h.type, path: GetDataRequest.read(r).path });
    else if (h.type === OpCode.getChildren) ops.push({ type: h.type, path: GetChildrenRequest.read(r).path });
    else throw new Refusal(Err.MarshallingError);
  }
  const w = beginReply(out, xid, ctx.db.lastZxid, 0);
  for (const op of ops) {
    const node = op.type === OpCode.getData ? ctx.db.tree.getData(op.path) : ctx.db.tree.getChildren(op.path);
    const err = node === null ? Err.NoNode : allowed(ctx, caller, node.acl, Perms.READ) ? 0 : Err.NoAuth;
    if (err !== 0) {
      w.int(-1).bool(false).int(err).int(err);
    } else if ('data' in node!) {
      w.int(OpCode.getData).bool(false).int(0).buffer(node.data);
      Stat.write(w, node.stat);
    } else {
      const kids = (node as { children: string[] }).children;
      w.int(OpCode.getChildren).bool(false).int(0).int(kids.length);
      for (const c of kids) w.ustring(c);
    }
  }
  w.int(-1).bool(true).int(-1);
  out.end();
};

function watcherType(type: number): number {
  if (!isWatcherType(type)) throw new Refusal(Err.MarshallingError);
  return type;
}

/** checkWatches (17) and removeWatches (18): NoWatcher when none matches; no event is sent (§12.6). */
function watchQuery(remove: boolean): Handler {
  return (ctx, caller, xid, body, out) => {
    const req = (remove ? RemoveWatchesRequest : CheckWatchesRequest).decode(body, ctx.maxBuffer);
    const type = watcherType(req.type);
    const found = remove
      ? ctx.watches.removeWatch(req.path, caller.watcher, type)
      : ctx.watches.hasWatch(req.path, caller.watcher, type);
    if (!found) throw new Refusal(Err.NoWatcher);
    writeHeaderOnly(out, xid, ctx.db.lastZxid, 0);
  };
}

/** addWatch (§12.4): the node need not exist; the reply body is ErrorResponse(0). */
const addWatch: Handler = (ctx, caller, xid, body, out) => {
  const req = AddWatchRequest.decode(body, ctx.maxBuffer);
  if (req.mode !== AddWatchMode.Persistent && req.mode !== AddWatchMode.PersistentRecursive) {
    throw new Refusal(Err.MarshallingError);
  }
  ctx.watches.addPersistentWatch(req.path, caller.watcher, req.mode === AddWatchMode.PersistentRecursive);
  beginReply(out, xid, ctx.db.lastZxid, 0).int(0);
  out.end();
};

/** SetWatches (101) / SetWatches2 (105): catch-up events first, then the reply (§12.5). */
function setWatches(version2: boolean): Handler {
  return (ctx, caller, xid, body, out) => {
    const lists = version2
      ? SetWatches2.decode(body, ctx.maxBuffer)
      : { ...SetWatches.decode(body, ctx.maxBuffer), persistentWatches: [], persistentRecursiveWatches: [] };
    for (const d of ctx.watches.setWatches(ctx.db.tree, caller.watcher, lists)) writeNotification(out, d.event.type, d.event.path);
    writeHeaderOnly(out, xid, ctx.db.lastZxid, 0);
  };
}

/**
 * sasl (102): with no SASL provider configured (always, here), ZooKeeper 3.8 answers with
 * zxid 0, no error and a null token, and keeps the connection (checked against 3.8.0).
 */
const sasl: Handler = (_ctx, _caller, xid, _body, out) => {
  beginReply(out, xid, 0n, 0).buffer(null);
  out.end();
};

/** ping: the reply's xid is always -2, whatever came in (§5). */
const ping: Handler = (ctx, _caller, _xid, _body, out) => {
  writeHeaderOnly(out, Xid.ping, ctx.db.lastZxid, 0);
};

const HANDLERS = new Map<number, Handler>([
  [OpCode.exists, exists],
  [OpCode.getData, getData],
  [OpCode.getChildren, children(false)],
  [OpCode.getChildren2, children(true)],
  [OpCode.getACL, getACL],
  [OpCode.getAllChildrenNumber, getAllChildrenNumber],
  [OpCode.getEphemerals, getEphemerals],
  [OpCode.whoAmI, whoAmI],
  [OpCode.multiRead, multiRead],
  [OpCode.checkWatches, watchQuery(false)],
  [OpCode.removeWatches, watchQuery(true)],
  [OpCode.addWatch, addWatch],
  [OpCode.setWatches, setWatches(false)],
  [OpCode.setWatches2, setWatches(true)],
  [OpCode.ping, ping],
  [OpCode.sasl, sasl],
]);

export function isLocalOp(op: number): boolean {
  return HANDLERS.has(op);
}

/**
 * Runs local request `op` and writes its reply. Returns the error code sent (0 on
 * success), for statistics and logs.
 */
export function runLocalRequest<W>(
  ctx: LocalContext<W>,
  caller: LocalCaller<W>,
  op: number,
  xid: number,
  body: Buffer,
  out: OutputBuffer,
): number {
  const handler = HANDLERS.get(op);
  if (handler === undefined) throw new Error(`opcode ${op} is not a local request`);
  try {
    handler(ctx, caller, xid, body, out);
    return 0;
  } catch (e) {
    out.abort();
    const err = e instanceof Refusal ? e.err : e instanceof ProtocolError ? Err.MarshallingError : null;
    if (err === null) throw e;
    writeHeaderOnly(out, xid, ctx.db.lastZxid, err);
    return err;
  }
}
