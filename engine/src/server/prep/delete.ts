/**
 * delete (wire-protocol.md §8.3): NUL / no slash / protected path → BadArguments; parent
 * missing → NoNode; DELETE on the PARENT → NoAuth (even when the child is missing ✔);
 * node missing → NoNode; version → BadVersion; children → NotEmpty (after BadVersion ✔).
 * No path syntax check beyond that: `/t1/`, `//a`, `/t1/.` simply do not exist.
 */
import { Err, OpCode, Perms } from '../../jute/index.js';
import { PROTECTED_PATHS, type DeleteTxn } from '../../tree/index.js';
import { checkSession, nextVersion, requireNode, requirePerm, type PrepContext } from './context.js';
import { PrepError } from './errors.js';

export function prepDelete(ctx: PrepContext, req: { path: string; version: number }): DeleteTxn {
  checkSession(ctx);
  const { path } = req;
  const slash = path.lastIndexOf('/');
  if (slash < 0 || path.includes('\u0000') || PROTECTED_PATHS.has(path)) throw new PrepError(Err.BadArguments, path);
  const parentPath = slash === 0 ? '/' : path.slice(0, slash);
  const parent = requireNode(ctx, parentPath);
  requirePerm(ctx, parent.acl, Perms.DELETE, path);
  const node = requireNode(ctx, path);
  nextVersion(node.version, req.version, path);
  if (node.numChildren > 0) throw new PrepError(Err.NotEmpty, path);
  removeNode(ctx, path, parentPath);
  return { op: OpCode.delete, path };
}

/** Records a delete in the view: the node goes, the parent loses a child (its counter stays, §10.2). */
export function removeNode(ctx: PrepContext, path: string, parentPath: string): void {
  const parent = ctx.view.node(parentPath);
  ctx.view.put(path, null);
  if (parent !== null) ctx.view.put(parentPath, { ...parent, numChildren: parent.numChildren - 1 });
}
