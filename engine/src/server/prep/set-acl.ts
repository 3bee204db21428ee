/**
 * setACL (wire-protocol.md §8.3): path syntax → BadArguments; ACL fix-up → InvalidACL
 * (before NoNode ✔); NoNode; ADMIN → NoAuth; aversion → BadVersion (NoAuth first ✔).
 * The txn carries the new aversion.
 */
import { Err, OpCode, Perms, type ACL } from '../../jute/index.js';
import { pathError, type SetACLTxn } from '../../tree/index.js';
import { fixupAcl } from './acl.js';
import { checkSession, nextVersion, requireNode, requirePerm, type PrepContext } from './context.js';
import { PrepError } from './errors.js';

export function prepSetAcl(ctx: PrepContext, req: { path: string; acl: ACL[]; version: number }): SetACLTxn {
  checkSession(ctx);
  const { path } = req;
  if (pathError(path) !== null) throw new PrepError(Err.BadArguments, path);
  const acl = fixupAcl(req.acl, ctx.authIds);
  if (acl === null) throw new PrepError(Err.InvalidACL, path);
  const node = requireNode(ctx, path);
  requirePerm(ctx, node.acl, Perms.ADMIN, path);
  const aversion = nextVersion(node.aversion, req.version, path);
  ctx.view.put(path, { ...node, acl, aversion });
  return { op: OpCode.setACL, path, acl, version: aversion };
}
