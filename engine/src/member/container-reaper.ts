/**
 * Container and TTL reaping (wire-protocol.md §10.3, §10.4): every
 * znode.container.checkIntervalMs the member that prepares txns asks the tree for
 * candidates and submits a server-internal delete for each, at most
 * znode.container.maxPerMinute per minute. Each becomes an ordinary txn (NodeDeleted on
 * the node, NodeChildrenChanged on its parent); prep skips a node that gained a child.
 */
import type { ZkDatabase } from '../tree/zk-database.js';
import type { ContainerConfig } from '../config/server-config.js';
import type { Timers } from '../server/timers.js';

export class ContainerReaper {
  constructor(
    private readonly db: () => ZkDatabase,
    private readonly submit: (path: string) => void,
    private readonly config: ContainerConfig,
    private readonly timers: Timers,
    /** Skip passes while the member is not serving. */
    private readonly active: () => boolean = () => true,
  ) {}

  /** Starts the periodic check; returns its stop function. */
  start(): () => void {
    return this.timers.every(this.config.checkIntervalMs, () => this.runOnce());
  }

  /** One pass: returns the paths submitted. */
  runOnce(): string[] {
    if (!this.active()) return [];
    const perPass = Math.max(1, Math.floor((this.config.maxPerMinute * this.config.checkIntervalMs) / 60_000));
    const paths = this.db().reapCandidates(this.timers.now(), {
      maxNeverUsedIntervalMs: this.config.maxNeverUsedIntervalMs,
      max: Math.min(perPass, this.config.maxPerMinute),
    });
    for (const p of paths) this.submit(p);
    return paths;
  }
}
