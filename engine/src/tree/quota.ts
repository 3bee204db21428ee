/**
 * Quota bookkeeping (wire-protocol.md §8.2): a quota on P is the node
 * /zookeeper/quota/P/zookeeper_limits; the server keeps /zookeeper/quota/P/zookeeper_stats
 * holding "count=N,bytes=M" for P's subtree (P included) up to date as apply runs, the
 * way ZooKeeper 3.8's DataTree does:
 *  - creating a zookeeper_limits node starts tracking P;
 *  - creating a zookeeper_stats node recounts P's subtree into it;
 *  - every create / delete / setData under a tracked P adjusts the deepest tracked
 *    prefix's stats (count ±1, bytes ± data length);
 *  - deleting the limits node stops tracking.
 * The stats node's data is rewritten in place: no zxid, version or watch (as in ZooKeeper).
 * Enforcement (QuotaExceeded) is off, as in ZooKeeper's default.
 */
import type { DataTree } from './data-tree.js';
import { ancestorsOf, nameOf, parentOf, ROOT } from './paths.js';

export const QUOTA_ROOT = '/zookeeper/quota';
export const LIMIT_NODE = 'zookeeper_limits';
export const STAT_NODE = 'zookeeper_stats';

export const statPathOf = (path: string): string => `${QUOTA_ROOT}${path}/${STAT_NODE}`;
const trimQuotaPath = (quotaPath: string): string => quotaPath.slice(QUOTA_ROOT.length);

/** ZooKeeper's StatsTrack text: "count=N,bytes=M", extra keys after "=" as ";key=value" (sorted). */
export function parseStats(text: string): Map<string, number> {
  const stats = new Map<string, number>();
  if (text.length === 0) return stats;
  for (const pair of text.split(/[,;]+/)) {
    if (pair === '') continue;
    // Java's split drops trailing empty strings ("bytes=2=" → [bytes, 2]).
    const kv = pair.split('=');
    while (kv.length > 0 && kv[kv.length - 1] === '') kv.pop();
    const v = kv[1] === undefined || kv[1] === '' ? -1 : Number(kv[1]);
    if (kv.length > 0) stats.set(kv[0]!, Number.isFinite(v) ? v : -1);
  }
  return stats;
}

export function formatStats(stats: Map<string, number>): string {
  const count = stats.get('count') ?? -1;
  const bytes = stats.get('bytes') ?? -1;
  let out = `count=${count},bytes=${bytes}`;
  const extra = [...stats.keys()].filter((k) => k !== 'count' && k !== 'bytes').sort();
  if (extra.length > 0) out += '=' + extra.map((k) => `;${k}=${stats.get(k)}`).join('');
  return out;
}

export class QuotaTracker {
  /** Paths that have a zookeeper_limits node. */
  private readonly tracked = new Set<string>();

  constructor(private readonly tree: DataTree) {}

  get size(): number {
    return this.tracked.size;
  }

  /** The deepest tracked path that is `path` or one of its ancestors (never the root), or null. */
  maxPrefix(path: string): string | null {
    if (this.tracked.size === 0) return null;
    if (path !== ROOT && this.tracked.has(path)) return path;
    for (const a of ancestorsOf(path)) if (a !== ROOT && this.tracked.has(a)) return a;
    return null;
  }

  afterCreate(path: string, dataLength: number): void {
    const parent = parentOf(path)!;
    if (parent.startsWith(QUOTA_ROOT)) {
      const name = nameOf(path);
      if (name === LIMIT_NODE) this.tracked.add(trimQuotaPath(parent));
      if (name === STAT_NODE) this.recount(trimQuotaPath(parent));
    }
    const prefix = this.maxPrefix(path);
    if (prefix !== null) this.adjust(prefix, dataLength, 1);
  }

  afterDelete(path: string, dataLength: number): void {
    const parent = parentOf(path)!;
    if (parent.startsWith('/zookeeper') && nameOf(path) === LIMIT_NODE) this.tracked.delete(trimQuotaPath(parent));
    const prefix = this.maxPrefix(path);
    if (prefix !== null) this.adjust(prefix, -dataLength, -1);
  }

  afterSetData(path: string, bytesDiff: number): void {
    const prefix = this.maxPrefix(path);
    if (prefix !== null) this.adjust(prefix, bytesDiff, 0);
  }

  /** Finds every limits node again (after a snapshot restore); the stats nodes are already exact. */
  rebuild(): void {
    this.tracked.clear();
    const store = this.tree.store;
    const suffix = '/' + LIMIT_NODE;
    const root = this.tree.slotOf(QUOTA_ROOT);
    const stack = root < 0 ? [] : [root];
    while (stack.length > 0) {
      const s = stack.pop()!;
      const p = store.paths[s]!;
      if (store.childCount[s] === 0 && p.endsWith(suffix)) this.tracked.add(p.slice(QUOTA_ROOT.length, p.length - suffix.length));
      for (let c = store.firstChild[s]!; c !== 0; c = store.nextSibling[c - 1]!) stack.push(c - 1);
    }
  }

  /** Recounts P's subtree (P itself included) into its stats node. */
  private recount(path: string): void {
    const statSlot = this.tree.slotOf(statPathOf(path));
    if (statSlot < 0) return;
    let count = 0;
    let bytes = 0;
    const start = this.tree.slotOf(path);
    if (start >= 0) {
      const store = this.tree.store;
      const stack = [start];
      while (stack.length > 0) {
        const s = stack.pop()!;
        count++;
        bytes += store.data[s]?.length ?? 0;
        for (let c = store.firstChild[s]!; c !== 0; c = store.nextSibling[c - 1]!) stack.push(c - 1);
      }
    }
    this.tree.rewriteData(statSlot, `count=${count},bytes=${bytes}`);
  }

  private adjust(prefix: string, bytesDiff: number, countDiff: number): void {
    const statSlot = this.tree.slotOf(statPathOf(prefix));
    if (statSlot < 0) return;
    const stats = parseStats(this.tree.store.data[statSlot] ?? '');
    stats.set('count', (stats.get('count') ?? -1) + countDiff);
    stats.set('bytes', (stats.get('bytes') ?? -1) + bytesDiff);
    this.tree.rewriteData(statSlot, formatStats(stats));
  }
}
