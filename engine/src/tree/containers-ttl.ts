/**
 * Which container and TTL nodes the leader should delete (wire-protocol.md §10.3, §10.4;
 * ZooKeeper's ContainerManager.getCandidates). Pure: the caller passes the leader's wall
 * clock; the server's reaper turns each path into a delete through prep's internal entry
 * point (`Prep.prepareReap`), which checks again against pending changes.
 */
import type { DataTree, NodeInfo } from './data-tree.js';
import { NodeKind, ownerHi, ownerLo, ttlOfOwner } from './ephemeral-owner.js';
import { compareCodeUnits } from './paths.js';

export interface ReapLimits {
  /**
   * `znode.container.maxNeverUsedIntervalMs`: a container that never had a child is reaped
   * once its mtime is this old. 0 (the default) = never.
   */
  maxNeverUsedIntervalMs?: number;
  /** At most this many paths (the caller's per-minute budget). Default: no limit. */
  max?: number;
}

/** Whether a node (as prep or the tree sees it) should be reaped at `now`. */
export function isReapable(node: NodeInfo, now: number, limits: ReapLimits = {}): boolean {
  if (node.numChildren > 0) return false;
  if (node.kind === NodeKind.container) {
    // cversion > 0: it once had a child; never-used ones only after maxNeverUsedIntervalMs.
    if (node.cversion > 0) return true;
    const never = limits.maxNeverUsedIntervalMs ?? 0;
    return never !== 0 && now - node.mtime > never;
  }
  if (node.kind === NodeKind.ttl) {
    const ttl = ttlOfOwner(ownerHi(node.owner), ownerLo(node.owner));
    return ttl !== 0 && now - node.mtime > ttl;
  }
  return false;
}

/** Paths of the container and TTL nodes due for deletion at `now`, in path order. */
export function reapCandidates(tree: DataTree, now: number, limits: ReapLimits = {}): string[] {
  const out: string[] = [];
  for (const set of [tree.containerSlots, tree.ttlSlots]) {
    for (const slot of set) {
      const info = tree.nodeInfo(tree.pathOf(slot))!;
      if (isReapable(info, now, limits)) out.push(tree.pathOf(slot));
    }
  }
  out.sort(compareCodeUnits);
  return limits.max === undefined ? out : out.slice(0, Math.max(0, limits.max));
}
