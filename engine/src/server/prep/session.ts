/**
 * Session transactions (wire-protocol.md §13): createSession records the session (its
 * password replicated, docs/architecture.md); closeSession — from the client (opcode
 * -11) or from expiry — marks it closing and, in the pending overlay, deletes its
 * ephemerals (those in the database and those pending), so requests prepared behind the
 * close already see them gone. Apply deletes the same ephemerals, in path order.
 */
import { OpCode } from '../../jute/index.js';
import { NodeKind, parentOf, type CloseSessionTxn, type CreateSessionTxn } from '../../tree/index.js';
import type { PrepContext } from './context.js';
import { removeNode } from './delete.js';

export function prepCreateSession(ctx: PrepContext, timeout: number, passwd: Buffer): CreateSessionTxn {
  ctx.view.putSession(ctx.sessionId, true);
  return { op: OpCode.createSession, timeout, passwd };
}

/** No session check: expiry closes sessions it does not own, and closing twice is harmless. */
export function prepCloseSession(ctx: PrepContext): CloseSessionTxn {
  const sid = ctx.sessionId;
  const ephemerals = new Set(ctx.view.tree.getEphemerals(sid));
  for (const [path, node] of ctx.view.changedNodes()) {
    if (node === null) ephemerals.delete(path);
    else if (node.kind === NodeKind.ephemeral && node.owner === sid) ephemerals.add(path);
  }
  for (const path of [...ephemerals].sort()) {
    if (ctx.view.node(path) !== null) removeNode(ctx, path, parentOf(path)!);
  }
  ctx.view.putSession(sid, false);
  return { op: OpCode.closeSession };
}
