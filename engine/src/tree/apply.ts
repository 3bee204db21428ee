/**
 * Applying one transaction to the tree and the session table: deterministic, the same
 * on every member, in recovery replay and in the simulator. Returns what the reply needs
 * (OpResult) and the watch triggers in the order wire-protocol.md §12.2 requires, each
 * with the ACL that governs its delivery (§12.3).
 *
 * Prep has already validated everything, so a txn normally applies cleanly. If one does
 * not fit the tree (a missing parent, an existing node — a bug or a replay mistake), it
 * is refused with an error result and changes nothing: a multi is dry-run first so it
 * stays all-or-nothing.
 */
import { Err, EventType, OpCode } from '../jute/index.js';
import type { CreateTxn, Txn, TxnEntry } from './txn.js';
import type { ApplyResult, OpResult, SessionRecord, WatchTrigger } from './types.js';
import type { DataTree } from './data-tree.js';
import { kindOf, NodeKind } from './ephemeral-owner.js';
import { ROOT, compareCodeUnits, parentOf } from './paths.js';

export interface ApplyContext {
  tree: DataTree;
  sessions: Map<bigint, SessionRecord>;
}

/** Applies `entry` (its zxid already checked by the caller). */
export function applyEntry(ctx: ApplyContext, entry: TxnEntry, zxid: number): ApplyResult {
  const triggers: WatchTrigger[] = [];
  const txn = entry.txn;
  switch (txn.op) {
    case OpCode.createSession:
      ctx.sessions.set(entry.sessionId, { id: entry.sessionId, timeout: txn.timeout, passwd: txn.passwd });
      return { result: { op: 'createSession' }, triggers };
    case OpCode.closeSession:
      return { result: closeSession(ctx, entry.sessionId, zxid, triggers), triggers };
    case OpCode.multi: {
      if (txn.txns.some((t) => t.op === OpCode.error)) {
        // A failed multi (§14.2): the per-op codes were decided by prep; nothing changes.
        return { result: { op: 'multi', results: txn.txns.map(errorResultOf) }, triggers };
      }
      const failure = dryRunMulti(ctx.tree, txn.txns);
      if (failure !== null) {
        const results: OpResult[] = txn.txns.map((_, i) => ({
          op: 'error',
          err: i < failure.index ? Err.Ok : i === failure.index ? failure.err : Err.RuntimeInconsistency,
        }));
        return { result: { op: 'multi', results }, triggers };
      }
      const results = txn.txns.map((t) => applyOne(ctx.tree, t, zxid, entry.time, triggers));
      return { result: { op: 'multi', results }, triggers };
    }
    default:
      return { result: applyOne(ctx.tree, txn, zxid, entry.time, triggers), triggers };
  }
}

function errorResultOf(t: Txn): OpResult {
  return { op: 'error', err: t.op === OpCode.error ? t.err : Err.Ok };
}

/** One data-tree op; an op that does not fit the tree returns an error result and changes nothing. */
function applyOne(tree: DataTree, txn: Txn, zxid: number, time: number, triggers: WatchTrigger[]): OpResult {
  switch (txn.op) {
    case OpCode.create:
      return create(tree, txn, zxid, time, triggers);
    case OpCode.delete: {
      const slot = tree.slotOf(txn.path);
      if (slot < 0) return { op: 'error', err: Err.NoNode };
      if (txn.path === ROOT || txn.path === '') return { op: 'error', err: Err.BadArguments };
      if (tree.numChildren(slot) > 0) return { op: 'error', err: Err.NotEmpty };
      deleteSlot(tree, slot, zxid, triggers);
      return { op: 'delete' };
    }
    case OpCode.setData: {
      const slot = tree.slotOf(txn.path);
      if (slot < 0) return { op: 'error', err: Err.NoNode };
      const before = tree.store.data[slot]?.length ?? 0;
      tree.setData(slot, txn.data, txn.version, zxid, time);
      tree.quotas.afterSetData(txn.path, (txn.data?.length ?? 0) - before);
      triggers.push({ path: tree.pathOf(slot), type: EventType.NodeDataChanged, acl: tree.aclOfSlot(slot) });
      return { op: 'setData', stat: tree.statOfSlot(slot) };
    }
    case OpCode.setACL: {
      const slot = tree.slotOf(txn.path);
      if (slot < 0) return { op: 'error', err: Err.NoNode };
      tree.setAcl(slot, txn.acl, txn.version);
      // §12.2: setACL fires no watch ✔.
      return { op: 'setACL', stat: tree.statOfSlot(slot) };
    }
    case OpCode.check: {
      const slot = tree.slotOf(txn.path);
      return slot < 0 ? { op: 'check' } : { op: 'check', stat: tree.statOfSlot(slot) };
    }
    case OpCode.error:
      return { op: 'error', err: txn.err };
    default:
      // createSession/closeSession/multi are handled by applyEntry; nothing else is a txn.
      return { op: 'error', err: Err.MarshallingError };
  }
}

function create(tree: DataTree, txn: CreateTxn, zxid: number, time: number, triggers: WatchTrigger[]): OpResult {
  if (tree.slotOf(txn.path) >= 0) return { op: 'error', err: Err.NodeExists };
  const parentPath = parentOf(txn.path);
  const parent = parentPath === null ? -1 : tree.slotOf(parentPath);
  if (parent < 0) return { op: 'error', err: Err.NoNode };
  const slot = tree.createNode(parent, txn.path, txn.data, txn.acl, txn.ephemeralOwner, zxid, time);
  // The reply's Stat is taken before quota bookkeeping may rewrite a stats node (as ZooKeeper does).
  const stat = tree.statOfSlot(slot);
  tree.quotas.afterCreate(txn.path, txn.data?.length ?? 0);
  // §12.2: NodeCreated(P) before NodeChildrenChanged(parent).
  triggers.push({ path: txn.path, type: EventType.NodeCreated, acl: tree.aclOfSlot(slot) });
  triggers.push({ path: tree.pathOf(parent), type: EventType.NodeChildrenChanged, acl: tree.aclOfSlot(parent) });
  const kind = kindOf(txn.ephemeralOwner);
  return { op: 'create', path: txn.path, stat, extended: kind === NodeKind.container || kind === NodeKind.ttl };
}

/** Deletes a childless slot: NodeDeleted(P) with P's old ACL, then NodeChildrenChanged(parent) (§12.2). */
function deleteSlot(tree: DataTree, slot: number, zxid: number, triggers: WatchTrigger[]): void {
  const path = tree.pathOf(slot);
  const acl = tree.aclOfSlot(slot);
  const parent = tree.slotOf(parentOf(path)!);
  const bytes = tree.store.data[slot]?.length ?? 0;
  tree.deleteNode(parent, slot, zxid);
  tree.quotas.afterDelete(path, bytes);
  triggers.push({ path, type: EventType.NodeDeleted, acl });
  triggers.push({ path: tree.pathOf(parent), type: EventType.NodeChildrenChanged, acl: tree.aclOfSlot(parent) });
}

/**
 * Deletes the session's ephemerals in path order — the same order on every member — each
 * like a delete (parent pzxid, watches), then forgets the session (§12.2, §13.2).
 */
function closeSession(ctx: ApplyContext, sessionId: bigint, zxid: number, triggers: WatchTrigger[]): OpResult {
  const paths = ctx.tree.getEphemerals(sessionId).sort(compareCodeUnits);
  for (const p of paths) deleteSlot(ctx.tree, ctx.tree.slotOf(p), zxid, triggers);
  ctx.sessions.delete(sessionId);
  return { op: 'closeSession', deleted: paths };
}

/**
 * Checks that every op of a multi fits the tree the earlier ops would leave (existence and
 * emptiness only: versions and ACLs are prep's job). Returns the first misfit, or null.
 */
function dryRunMulti(tree: DataTree, txns: Txn[]): { index: number; err: number } | null {
  const exists = new Map<string, boolean>();
  const childDelta = new Map<string, number>();
  const has = (p: string): boolean => exists.get(p) ?? tree.exists(p);
  const children = (p: string): number => {
    const s = tree.slotOf(p);
    return (s < 0 ? 0 : tree.numChildren(s)) + (childDelta.get(p) ?? 0);
  };
  for (let i = 0; i < txns.length; i++) {
    const t = txns[i]!;
    switch (t.op) {
      case OpCode.create: {
        const parent = parentOf(t.path);
        if (has(t.path)) return { index: i, err: Err.NodeExists };
        if (parent === null || !has(parent)) return { index: i, err: Err.NoNode };
        exists.set(t.path, true);
        childDelta.set(parent, (childDelta.get(parent) ?? 0) + 1);
        break;
      }
      case OpCode.delete: {
        if (!has(t.path)) return { index: i, err: Err.NoNode };
        if (t.path === ROOT || t.path === '') return { index: i, err: Err.BadArguments };
        if (children(t.path) > 0) return { index: i, err: Err.NotEmpty };
        const parent = parentOf(t.path)!;
        exists.set(t.path, false);
        childDelta.set(parent, (childDelta.get(parent) ?? 0) - 1);
        break;
      }
      case OpCode.setData:
      case OpCode.setACL:
      case OpCode.check:
        if (!has(t.path)) return { index: i, err: Err.NoNode };
        break;
      default:
        return { index: i, err: Err.MarshallingError };
    }
  }
  return null;
}
