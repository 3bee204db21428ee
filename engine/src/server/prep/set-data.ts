/**
 * setData (wire-protocol.md §8.3): path syntax → BadArguments; NoNode; WRITE → NoAuth;
 * version → BadVersion (NoNode before BadVersion ✔). The txn carries the new version.
 */
import { Err, OpCode, Perms } from '../../jute/index.js';
import { pathError, type SetDataTxn } from '../../tree/index.js';
import { checkSession, nextVersion, requireNode, requirePerm, type PrepContext } from './context.js';
import { PrepError } from './errors.js';

export function prepSetData(ctx: PrepContext, req: { path: string; data: Buffer | null; version: number }): SetDataTxn {
  checkSession(ctx);
  const { path } = req;
  if (pathError(path) !== null) throw new PrepError(Err.BadArguments, path);
  const node = requireNode(ctx, path);
  requirePerm(ctx, node.acl, Perms.WRITE, path);
  const version = nextVersion(node.version, req.version, path);
  ctx.view.put(path, { ...node, version, mtime: ctx.time });
  return { op: OpCode.setData, path, data: req.data, version };
}
