/**
 * The pending-changes overlay (ZooKeeper's outstandingChanges): what prepared but not
 * yet applied txns will do to znodes and sessions, so a request prepared behind them
 * sees their effects — two pipelined creates of one path give NodeExists, sequential
 * numbers keep counting, a delete after a pending create works.
 *
 * Each change is tagged with the zxid of the txn that made it. `committed(zxid)` drops
 * the changes made by txns up to that zxid once they are applied to the database (a
 * later change to the same path stays); `reset()` drops everything (leadership change).
 */
import type { NodeInfo } from '../../tree/index.js';

interface Change<T> {
  zxid: bigint;
  key: T;
}

class ZxidQueue<K, V> {
  private readonly latest = new Map<K, { change: Change<K>; value: V }>();
  private queue: Change<K>[] = [];
  private head = 0;

  get(key: K): V | undefined {
    return this.latest.get(key)?.value;
  }

  set(zxid: bigint, key: K, value: V): void {
    const change = { zxid, key };
    this.queue.push(change);
    this.latest.set(key, { change, value });
  }

  committed(zxid: bigint): void {
    while (this.head < this.queue.length && this.queue[this.head]!.zxid <= zxid) {
      const change = this.queue[this.head++]!;
      if (this.latest.get(change.key)?.change === change) this.latest.delete(change.key);
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  clear(): void {
    this.latest.clear();
    this.queue = [];
    this.head = 0;
  }

  get size(): number {
    return this.latest.size;
  }

  *entries(): Generator<[K, V]> {
    for (const [k, { value }] of this.latest) yield [k, value];
  }
}

export class PendingChanges {
  /** path → the node as pending txns leave it (null = deleted). */
  private readonly nodes = new ZxidQueue<string, NodeInfo | null>();
  /** session id → alive after pending txns (true = created, false = closing). */
  private readonly sessions = new ZxidQueue<bigint, boolean>();

  /** The pending state of `path`: a node, null (pending delete) or undefined (no pending change). */
  node(path: string): NodeInfo | null | undefined {
    return this.nodes.get(path);
  }

  setNode(zxid: bigint, path: string, node: NodeInfo | null): void {
    this.nodes.set(zxid, path, node);
  }

  session(id: bigint): boolean | undefined {
    return this.sessions.get(id);
  }

  setSession(zxid: bigint, id: bigint, alive: boolean): void {
    this.sessions.set(zxid, id, alive);
  }

  /** Pending nodes (path, state), for closeSession's ephemeral scan. */
  pendingNodes(): Generator<[string, NodeInfo | null]> {
    return this.nodes.entries();
  }

  committed(zxid: bigint): void {
    this.nodes.committed(zxid);
    this.sessions.committed(zxid);
  }

  reset(): void {
    this.nodes.clear();
    this.sessions.clear();
  }

  /** Paths and sessions with a pending change (for stats and tests). */
  get size(): number {
    return this.nodes.size + this.sessions.size;
  }
}
