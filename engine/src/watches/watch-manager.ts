/**
 * WatchManager<W>: the server's watch tables, generic over the watcher identity (a
 * connection). Pure: it turns the triggers a transaction produced (ZkDatabase.apply)
 * into ordered deliveries, and never touches a socket.
 *
 *   wm.addDataWatch(path, conn)          exists / getData with watch=true (§12.1)
 *   wm.addChildWatch(path, conn)         getChildren(2) with watch=true
 *   wm.addPersistentWatch(path, conn, recursive)   addWatch mode 0 / 1 (§12.4)
 *   wm.trigger(triggers, canRead)        → [{ watcher, event }] in delivery order
 *   wm.setWatches(tree, conn, request)   reconnect catch-up (§12.5): events to send first
 *   wm.hasWatch / removeWatch(path, conn, WatcherType)   checkWatches / removeWatches (§12.6)
 *   wm.removeWatcher(conn)               the connection closed: drop all its watches
 *
 * Semantics (wire-protocol.md §12), with ZooKeeper 3.9's fixes (ZOOKEEPER-4466): a
 * standard (one-shot) watch and a persistent watch on the same path coexist; removing
 * Data/Children touches only standard watches, Any removes all, Persistent (4) and
 * PersistentRecursive (5) remove those. Per trigger a connection gets at most one event
 * (NodeDeleted with both a data and a child watch → one event). Delivery needs READ on
 * the ACL the trigger carries (§12.3, the CVE-2024-23944 fix); a one-shot watch that
 * fires without READ is consumed silently, as in ZooKeeper.
 */
import { EventType, KeeperState, WatcherType, type ACL, type WatcherEvent } from '../jute/index.js';
import { ancestorsOf } from '../tree/paths.js';
import type { WatchTrigger } from '../tree/types.js';

/** One watch table: standard data/exist, standard child, persistent, persistent-recursive. */
export type WatchKind = 'data' | 'child' | 'persistent' | 'recursive';
const KINDS: readonly WatchKind[] = ['data', 'child', 'persistent', 'recursive'];

export interface Delivery<W> {
  watcher: W;
  event: WatcherEvent;
}

/** What setWatches needs from the database: the node's zxids, or null when missing. */
export interface WatchCatchUpSource {
  stat(path: string): { mzxid: bigint; pzxid: bigint } | null;
}

/** SetWatches / SetWatches2 (§3); the persistent lists exist only in SetWatches2. */
export interface SetWatchesRequest {
  relativeZxid: bigint;
  dataWatches: readonly string[];
  existWatches: readonly string[];
  childWatches: readonly string[];
  persistentWatches?: readonly string[];
  persistentRecursiveWatches?: readonly string[];
}

/** The kinds a removeWatches/checkWatches `type` matches (§12.6, 3.9 semantics). */
function kindsOf(type: number): readonly WatchKind[] {
  switch (type) {
    case WatcherType.Children:
      return ['child'];
    case WatcherType.Data:
      return ['data'];
    case WatcherType.Any:
      return KINDS;
    case WatcherType.Persistent:
      return ['persistent'];
    case WatcherType.PersistentRecursive:
      return ['recursive'];
    default:
      throw new RangeError(`unknown watcher type ${type}`);
  }
}

export function isWatcherType(type: number): boolean {
  return type >= WatcherType.Children && type <= WatcherType.PersistentRecursive && Number.isInteger(type);
}

const event = (type: EventType, path: string): WatcherEvent => ({ type, state: KeeperState.SyncConnected, path });

export class WatchManager<W> {
  private readonly tables: Record<WatchKind, Map<string, Set<W>>> = {
    data: new Map(),
    child: new Map(),
    persistent: new Map(),
    recursive: new Map(),
  };
  private readonly byWatcher = new Map<W, Record<WatchKind, Set<string>>>();

  addDataWatch(path: string, w: W): void {
    this.add('data', path, w);
  }

  addChildWatch(path: string, w: W): void {
    this.add('child', path, w);
  }

  addPersistentWatch(path: string, w: W, recursive: boolean): void {
    this.add(recursive ? 'recursive' : 'persistent', path, w);
  }

  /**
   * The deliveries a transaction's triggers cause, in order: trigger by trigger (§12.2),
   * one event per connection per trigger, filtered by `canRead(watcher, trigger.acl)`.
   * One-shot watches that match are removed whether or not the event is delivered.
   */
  trigger(triggers: readonly WatchTrigger[], canRead: (w: W, acl: readonly ACL[]) => boolean): Delivery<W>[] {
    const out: Delivery<W>[] = [];
    for (const t of triggers) {
      const watchers = this.collect(t.path, t.type);
      for (const w of watchers) if (canRead(w, t.acl)) out.push({ watcher: w, event: event(t.type, t.path) });
    }
    return out;
  }

  /**
   * SetWatches/SetWatches2 after a reconnect (§12.5): for each path either an event now
   * (returned, to be sent BEFORE the reply) or a registration. No ACL filter, as in
   * ZooKeeper: the events name paths the client already watched.
   */
  setWatches(source: WatchCatchUpSource, w: W, req: SetWatchesRequest): Delivery<W>[] {
    const out: Delivery<W>[] = [];
    const fire = (type: EventType, path: string) => out.push({ watcher: w, event: event(type, path) });
    for (const path of req.dataWatches) {
      const s = source.stat(path);
      if (s === null) fire(EventType.NodeDeleted, path);
      else if (s.mzxid > req.relativeZxid) fire(EventType.NodeDataChanged, path);
      else this.add('data', path, w);
    }
    for (const path of req.existWatches) {
      if (source.stat(path) !== null) fire(EventType.NodeCreated, path);
      else this.add('data', path, w);
    }
    for (const path of req.childWatches) {
      const s = source.stat(path);
      if (s === null) fire(EventType.NodeDeleted, path);
      else if (s.pzxid > req.relativeZxid) fire(EventType.NodeChildrenChanged, path);
      else this.add('child', path, w);
    }
    for (const path of req.persistentWatches ?? []) this.add('persistent', path, w);
    for (const path of req.persistentRecursiveWatches ?? []) this.add('recursive', path, w);
    return out;
  }

  /** checkWatches: does `w` hold a watch of this WatcherType on `path`? */
  hasWatch(path: string, w: W, type: number): boolean {
    const mine = this.byWatcher.get(w);
    return mine !== undefined && kindsOf(type).some((k) => mine[k].has(path));
  }

  /** removeWatches: drops `w`'s watches of this WatcherType on `path`; false = none (NoWatcher, §12.6). */
  removeWatch(path: string, w: W, type: number): boolean {
    let removed = false;
    for (const k of kindsOf(type)) removed = this.remove(k, path, w) || removed;
    return removed;
  }

  /** Drops every watch of a closed connection (§12.3: watches live on the connection). */
  removeWatcher(w: W): void {
    const mine = this.byWatcher.get(w);
    if (mine === undefined) return;
    for (const k of KINDS) {
      for (const path of mine[k]) {
        const set = this.tables[k].get(path);
        set?.delete(w);
        if (set?.size === 0) this.tables[k].delete(path);
      }
    }
    this.byWatcher.delete(w);
  }

  /** `zk_watch_count`: (path, connection) pairs in ZooKeeper's data table plus its child table. */
  watchCount(): number {
    let n = 0;
    for (const mine of this.byWatcher.values()) n += this.dataTablePaths(mine).size + this.childTablePaths(mine).size;
    return n;
  }

  /**
   * ZooKeeper 3.8's data/exist table, which wchs/wchc/wchp report (§16): standard data
   * watches plus persistent and recursive ones, one entry per (path, connection).
   */
  dataTableByWatcher(): Map<W, string[]> {
    const out = new Map<W, string[]>();
    for (const [w, mine] of this.byWatcher) {
      const paths = this.dataTablePaths(mine);
      if (paths.size > 0) out.set(w, [...paths]);
    }
    return out;
  }

  dataTableByPath(): Map<string, W[]> {
    const out = new Map<string, W[]>();
    for (const [w, paths] of this.dataTableByWatcher()) {
      for (const p of paths) {
        let list = out.get(p);
        if (list === undefined) out.set(p, (list = []));
        list.push(w);
      }
    }
    return out;
  }

  /** wchs: `<connections> connections watching <paths> paths\nTotal watches:<watches>`. */
  dataTableSummary(): { connections: number; paths: number; watches: number } {
    const byPath = this.dataTableByPath();
    let watches = 0;
    for (const ws of byPath.values()) watches += ws.length;
    return { connections: this.dataTableByWatcher().size, paths: byPath.size, watches };
  }

  /** Every watch a connection holds, by kind (the lab's inspector). */
  watchesOf(w: W): Record<WatchKind, string[]> {
    const mine = this.byWatcher.get(w);
    return {
      data: [...(mine?.data ?? [])],
      child: [...(mine?.child ?? [])],
      persistent: [...(mine?.persistent ?? [])],
      recursive: [...(mine?.recursive ?? [])],
    };
  }

  // ---------------------------------------------------------------- internals

  /** The watchers one trigger reaches, each once, removing the one-shot watches it fires. */
  private collect(path: string, type: EventType): Set<W> {
    const hit = new Set<W>();
    const take = (k: WatchKind, p: string, oneShot: boolean) => {
      const set = this.tables[k].get(p);
      if (set === undefined) return;
      for (const w of set) hit.add(w);
      if (oneShot) for (const w of [...set]) this.remove(k, p, w);
    };
    if (type === EventType.NodeChildrenChanged) {
      take('child', path, true);
      take('persistent', path, false);
      return hit;
    }
    take('data', path, true);
    if (type === EventType.NodeDeleted) take('child', path, true);
    take('persistent', path, false);
    if (this.tables.recursive.size > 0) {
      take('recursive', path, false);
      for (const a of ancestorsOf(path)) take('recursive', a, false);
    }
    return hit;
  }

  private add(kind: WatchKind, path: string, w: W): void {
    let set = this.tables[kind].get(path);
    if (set === undefined) this.tables[kind].set(path, (set = new Set()));
    set.add(w);
    let mine = this.byWatcher.get(w);
    if (mine === undefined) {
      mine = { data: new Set(), child: new Set(), persistent: new Set(), recursive: new Set() };
      this.byWatcher.set(w, mine);
    }
    mine[kind].add(path);
  }

  private remove(kind: WatchKind, path: string, w: W): boolean {
    const set = this.tables[kind].get(path);
    if (set === undefined || !set.delete(w)) return false;
    if (set.size === 0) this.tables[kind].delete(path);
    const mine = this.byWatcher.get(w)!;
    mine[kind].delete(path);
    if (KINDS.every((k) => mine[k].size === 0)) this.byWatcher.delete(w);
    return true;
  }

  private dataTablePaths(mine: Record<WatchKind, Set<string>>): Set<string> {
    return new Set([...mine.data, ...mine.persistent, ...mine.recursive]);
  }

  private childTablePaths(mine: Record<WatchKind, Set<string>>): Set<string> {
    return new Set([...mine.child, ...mine.persistent]);
  }
}
