/**
 * What every op handler gets, and the checks they share (session, node lookup,
 * permission, version). Handlers throw PrepError; prep.ts turns that into an ErrorTxn.
 */
import { Err, type ACL, type Id } from '../../jute/index.js';
import type { NodeInfo } from '../../tree/index.js';
import { checkAcl } from './acl.js';
import { PrepError } from './errors.js';
import type { PrepView } from './view.js';

export interface PrepOptions {
  /** `zookeeper.extendedTypesEnabled`: allow TTL nodes (§10.3). Default false, as ZooKeeper. */
  extendedTypesEnabled?: boolean;
  /** `zookeeper.skipACL=yes`: no permission checks. */
  skipACL?: boolean;
  /** `reconfigEnabled`: otherwise reconfig → ReconfigDisabled (§6). */
  reconfigEnabled?: boolean;
  /**
   * An extra session check run before prep's own (known to the database, not closing):
   * e.g. the leader's tracker saying the session is closing or owned by another server.
   * Returns 0, or the error code to fail with (SessionExpired, SessionMoved...).
   */
  checkSession?: (sessionId: bigint) => number;
}

export interface PrepContext {
  view: PrepView;
  sessionId: bigint;
  authIds: readonly Id[];
  /** The leader's wall clock for this txn (ms). */
  time: number;
  options: PrepOptions;
}

/**
 * ZooKeeper's sessionTracker.checkSession: unknown → UnknownSession, closing →
 * SessionExpired (§7). Server-internal requests (session 0) are not checked.
 */
export function checkSession(ctx: PrepContext): void {
  if (ctx.sessionId === 0n) return;
  const extra = ctx.options.checkSession?.(ctx.sessionId) ?? 0;
  if (extra !== 0) throw new PrepError(extra);
  const state = ctx.view.session(ctx.sessionId);
  if (state === undefined) throw new PrepError(Err.UnknownSession);
  if (!state) throw new PrepError(Err.SessionExpired);
}

/** The node at `path`, or NoNode. */
export function requireNode(ctx: PrepContext, path: string): NodeInfo {
  const n = ctx.view.node(path);
  if (n === null) throw new PrepError(Err.NoNode, path);
  return n;
}

/** NoAuth unless the caller has `perm` on `acl` (§15.1). */
export function requirePerm(ctx: PrepContext, acl: readonly ACL[], perm: number, path: string): void {
  if (!checkAcl(acl, perm, ctx.authIds, { skipACL: ctx.options.skipACL })) throw new PrepError(Err.NoAuth, path);
}

/**
 * ZooKeeper's checkAndIncVersion: `expected` must be -1 or the current version, else
 * BadVersion; returns the next version (int32 arithmetic, as in Java).
 */
export function nextVersion(current: number, expected: number, path: string): number {
  if (expected !== -1 && expected !== current) throw new PrepError(Err.BadVersion, path);
  return (current + 1) | 0;
}
