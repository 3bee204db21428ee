/**
 * check (inside a multi, or standalone — which 3.8.0 mishandles, §14.3/§18): path
 * syntax → BadArguments; NoNode; READ → NoAuth; version → BadVersion. It changes nothing;
 * a passing check becomes a CheckTxn, which every member can read back from the log.
 */
import { Err, OpCode, Perms } from '../../jute/index.js';
import { pathError, type CheckTxn } from '../../tree/index.js';
import { checkSession, nextVersion, requireNode, requirePerm, type PrepContext } from './context.js';
import { PrepError } from './errors.js';

export function prepCheck(ctx: PrepContext, req: { path: string; version: number }): CheckTxn {
  checkSession(ctx);
  const { path } = req;
  if (pathError(path) !== null) throw new PrepError(Err.BadArguments, path);
  const node = requireNode(ctx, path);
  requirePerm(ctx, node.acl, Perms.READ, path);
  nextVersion(node.version, req.version, path);
  return { op: OpCode.check, path, version: req.version };
}
