/**
 * What one request's preparation sees: the database, overlaid with pending changes,
 * overlaid with the request's own earlier effects (a multi's earlier ops). Changes go to
 * a scratch layer that is published to the pending overlay only if the whole request
 * succeeds (atomic multi, §14.2).
 */
import type { DataTree, NodeInfo } from '../../tree/index.js';
import type { ZkDatabase } from '../../tree/index.js';
import type { PendingChanges } from './pending-changes.js';

export class PrepView {
  private readonly scratch = new Map<string, NodeInfo | null>();
  private readonly sessionScratch = new Map<bigint, boolean>();

  constructor(
    private readonly db: ZkDatabase,
    private readonly pending: PendingChanges,
  ) {}

  get tree(): DataTree {
    return this.db.tree;
  }

  /** The node at `path` as this request sees it, or null. `""` is the root. */
  node(path: string): NodeInfo | null {
    const p = path === '' ? '/' : path;
    const s = this.scratch.get(p);
    if (s !== undefined) return s;
    const pending = this.pending.node(p);
    if (pending !== undefined) return pending;
    return this.db.tree.nodeInfo(p);
  }

  put(path: string, node: NodeInfo | null): void {
    this.scratch.set(path === '' ? '/' : path, node);
  }

  /** true = alive, false = closing, undefined = unknown to the database and to pending txns. */
  session(id: bigint): boolean | undefined {
    const s = this.sessionScratch.get(id);
    if (s !== undefined) return s;
    const pending = this.pending.session(id);
    if (pending !== undefined) return pending;
    return this.db.session(id) !== undefined ? true : undefined;
  }

  putSession(id: bigint, alive: boolean): void {
    this.sessionScratch.set(id, alive);
  }

  /** Publishes this request's changes to the pending overlay under `zxid`. */
  publish(zxid: bigint): void {
    for (const [p, n] of this.scratch) this.pending.setNode(zxid, p, n);
    for (const [id, alive] of this.sessionScratch) this.pending.setSession(zxid, id, alive);
  }

  /** Pending and scratch nodes, newest state per path (for closeSession's ephemeral scan). */
  *changedNodes(): Generator<[string, NodeInfo | null]> {
    const seen = new Set<string>();
    for (const [p, n] of this.scratch) {
      seen.add(p);
      yield [p, n];
    }
    for (const [p, n] of this.pending.pendingNodes()) if (!seen.has(p)) yield [p, n];
  }
}
