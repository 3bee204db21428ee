/**
 * create / create2 / createContainer / createTTL, and creates inside a multi
 * (wire-protocol.md §8.3 order, §9, §10, §18).
 *
 * Which kind of node a request makes: at top level the OPCODE decides containers and
 * TTL nodes (19 → container whatever the flags; 21 → TTL, and its flags must be a TTL
 * mode; 1/15 with flags 4 → a plain persistent node, as ZooKeeper does ✔). Inside a
 * multi the FLAGS decide (4 → container, 5/6 → TTL) whatever the header type (§14.1).
 */
import {
  CONTAINER_EPHEMERAL_OWNER,
  Err,
  MAX_TTL_MS,
  Perms,
  isEphemeralMode,
  isSequentialMode,
  isTTLMode,
  OpCode,
  type ACL,
} from '../../jute/index.js';
import { NodeKind, pathError, sequenceSuffix, ttlOwner, type CreateTxn, type NodeInfo } from '../../tree/index.js';
import { fixupAcl } from './acl.js';
import { checkSession, requirePerm, type PrepContext } from './context.js';
import { PrepError } from './errors.js';

export interface CreateFields {
  path: string;
  data: Buffer | null;
  acl: ACL[];
  flags: number;
  /** -1 when the request record has no ttl field. */
  ttl: bigint;
}

/** How the request's kind is chosen: by top-level opcode, or by flags inside a multi. */
export type CreateSource = 'create' | 'container' | 'ttl' | 'multi';

export function prepCreate(ctx: PrepContext, req: CreateFields, source: CreateSource): CreateTxn {
  const flags = req.flags;
  // 1. Flags 0–6 (§10.1).
  if (!Number.isInteger(flags) || flags < 0 || flags > 6) throw new PrepError(Err.BadArguments, req.path);
  const ttlMode = isTTLMode(flags);
  // §18: opcode 21 with a non-TTL mode (even with ttl −1) is refused, never logged.
  if (source === 'ttl' && !ttlMode) throw new PrepError(Err.BadArguments, req.path);
  // 2. TTL: needs extended types; ttl in 1..2^40−1 for TTL modes, and no ttl otherwise.
  if (ttlMode && !ctx.options.extendedTypesEnabled) throw new PrepError(Err.Unimplemented, req.path);
  if (ttlMode ? req.ttl < 1n || req.ttl > MAX_TTL_MS : req.ttl >= 0n) throw new PrepError(Err.BadArguments, req.path);
  checkSession(ctx);
  // 3. A slash somewhere and no NUL (the full syntax check comes after the suffix).
  const slash = req.path.lastIndexOf('/');
  if (slash < 0 || req.path.includes('\u0000')) throw new PrepError(Err.BadArguments, req.path);
  // 4. ACL fix-up before the parent lookup ✔.
  const acl = fixupAcl(req.acl, ctx.authIds);
  if (acl === null) throw new PrepError(Err.InvalidACL, req.path);
  // 5. Parent exists.
  const parentPath = slash === 0 ? '/' : req.path.slice(0, slash);
  const parent = ctx.view.node(parentPath);
  if (parent === null) throw new PrepError(Err.NoNode, req.path);
  // 6. CREATE on the parent (so NoAuth beats a bad final path ✔).
  requirePerm(ctx, parent.acl, Perms.CREATE, req.path);
  // 7. Sequential suffix from the parent's internal counter (§10.2).
  const path = isSequentialMode(flags) ? req.path + sequenceSuffix(parent.cversion) : req.path;
  // 8. Full path syntax (§8.1).
  if (pathError(path) !== null) throw new PrepError(Err.BadArguments, path);
  // 9. Not there yet.
  if (ctx.view.node(path) !== null) throw new PrepError(Err.NodeExists, path);
  // 10. Ephemerals have no children (checked after NodeExists ✔).
  if (parent.kind === NodeKind.ephemeral) throw new PrepError(Err.NoChildrenForEphemerals, path);

  const owner = ownerFor(ctx, flags, source, req.ttl);
  const node: NodeInfo = {
    acl,
    owner,
    kind: kindFor(flags, source),
    version: 0,
    aversion: 0,
    cversion: 0,
    numChildren: 0,
    ctime: ctx.time,
    mtime: ctx.time,
  };
  ctx.view.put(path, node);
  ctx.view.put(parentPath, { ...parent, cversion: (parent.cversion + 1) | 0, numChildren: parent.numChildren + 1 });
  return { op: OpCode.create, path, data: req.data, acl, ephemeralOwner: owner };
}

function kindFor(flags: number, source: CreateSource): NodeKind {
  if (source === 'container') return NodeKind.container;
  if (isTTLMode(flags)) return NodeKind.ttl;
  if (source === 'multi' && flags === 4) return NodeKind.container;
  return isEphemeralMode(flags) ? NodeKind.ephemeral : NodeKind.persistent;
}

function ownerFor(ctx: PrepContext, flags: number, source: CreateSource, ttl: bigint): bigint {
  switch (kindFor(flags, source)) {
    case NodeKind.container:
      return CONTAINER_EPHEMERAL_OWNER;
    case NodeKind.ttl:
      return ttlOwner(ttl);
    case NodeKind.ephemeral:
      return ctx.sessionId;
    default:
      return 0n;
  }
}
