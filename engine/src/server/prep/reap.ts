/**
 * Server-internal deletion of a container or TTL node (ZooKeeper's deleteContainer,
 * issued by the leader's reaper; wire-protocol.md §10.3, §10.4). Clients cannot use it:
 * a client-sent opcode 20 is BadArguments (prep.ts). The node must still exist, still
 * be a container or TTL node and still be due at the leader's `time` — it may have
 * gained a child or been refreshed since the candidates were listed.
 */
import { Err, OpCode } from '../../jute/index.js';
import { NodeKind, isReapable, parentOf, type DeleteTxn, type ReapLimits } from '../../tree/index.js';
import type { PrepContext } from './context.js';
import { removeNode } from './delete.js';
import { PrepError } from './errors.js';

export function prepReap(ctx: PrepContext, path: string, limits: ReapLimits): DeleteTxn {
  const parentPath = parentOf(path);
  const node = ctx.view.node(path);
  if (parentPath === null || node === null) throw new PrepError(Err.NoNode, path);
  if (node.numChildren > 0) throw new PrepError(Err.NotEmpty, path);
  if (node.kind !== NodeKind.container && node.kind !== NodeKind.ttl) throw new PrepError(Err.BadVersion, path);
  if (!isReapable(node, ctx.time, limits)) throw new PrepError(Err.BadVersion, path);
  removeNode(ctx, path, parentPath);
  return { op: OpCode.delete, path };
}
