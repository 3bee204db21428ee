/**
 * The tree browser's Node-side half: one ZooKeeper session per open browser, keeping a
 * live mirror of the parts of the tree the user has expanded. Lazy on purpose (PrettyZoo
 * #308: whole-tree caches fall over on big trees): only expanded nodes are watched (a
 * re-armed child watch each), only the selected node's data is watched, and wide child
 * lists are served in pages whose Stats are fetched per page.
 *
 * Changes arrive as `TreeChange`s through `emit`; the renderer re-requests what it shows.
 */
import { ZkClient, ZkError, type LiveWatch } from '../client/index.js';
import type { ChildrenPage, ChildSummary, DeletePreview, MemberId, MirrorInfo, NodeDetails, StatJson, TreeChange } from './api.js';
import { aclFromJson, aclToJson, createModeFromName, dataFromBase64, dataToJson, hex64, statToJson } from './tree-json.js';
import { RequestError } from './validate.js';

export const DEFAULT_PAGE_SIZE = 200;
export const MAX_PAGE_SIZE = 5000;
/** Stat lookups in flight per page (pipelined on the one session). */
const STAT_CONCURRENCY = 64;
/** Above this many added/removed children, only a `children` change is sent. */
const MAX_ITEMIZED_CHANGES = 100;

export interface TreeMirrorOptions {
  mirrorId: string;
  member: MemberId | null;
  connectString: string;
  pageSize?: number;
  sessionTimeoutMs?: number;
  emitChange(change: TreeChange): void;
  emitState(info: MirrorInfo): void;
}

interface Expanded {
  watch: LiveWatch;
  children: string[] | null;
  /** The first delivery is the initial listing, not a change. */
  listed: boolean;
}

export class TreeMirror {
  private readonly client: ZkClient;
  private readonly expanded = new Map<string, Expanded>();
  private selected: { path: string; watch: LiveWatch } | null = null;
  private closed = false;

  constructor(private readonly options: TreeMirrorOptions) {
    this.client = new ZkClient({ connectString: options.connectString, sessionTimeout: options.sessionTimeoutMs ?? 10_000, newSessionTimeout: 0 });
    this.client.on('state', () => options.emitState(this.info()));
    this.client.start();
  }

  get id(): string {
    return this.options.mirrorId;
  }

  /** The member this browser's session was opened on (null: any member of the lab). */
  get member(): MemberId | null {
    return this.options.member;
  }

  info(): MirrorInfo {
    const s = this.client.state;
    const state: MirrorInfo['state'] = this.closed
      ? 'closed'
      : s === 'connected' || s === 'connected-read-only'
        ? 'connected'
        : s === 'expired'
          ? 'expired'
          : s === 'closed' || s === 'auth-failed'
            ? 'closed'
            : s === 'disconnected'
              ? 'disconnected'
              : 'connecting';
    const sid = this.client.sessionId;
    return { mirrorId: this.id, member: this.options.member, sessionId: sid === 0n ? null : hex64(sid), state };
  }

  async waitConnected(timeoutMs: number): Promise<void> {
    await this.client.waitForConnected(timeoutMs);
  }

  /** Lists the first page of `path` and keeps it live until collapsed. */
  async expand(path: string, limit?: number): Promise<ChildrenPage> {
    let entry = this.expanded.get(path);
    if (!entry) {
      const created: Expanded = { watch: undefined as unknown as LiveWatch, children: null, listed: false };
      created.watch = this.client.watchChildren(path, (children) => this.childrenChanged(path, created, children));
      this.expanded.set(path, created);
      entry = created;
      try {
        await created.watch.ready;
      } catch (e) {
        this.collapse(path);
        throw e;
      }
    }
    if (entry.children === null) throw new ZkError(-101, path);
    return this.page(path, entry.children, 0, limit);
  }

  collapse(path: string): void {
    const entry = this.expanded.get(path);
    if (!entry) return;
    entry.watch.stop();
    this.expanded.delete(path);
  }

  async children(path: string, offset: number, limit?: number): Promise<ChildrenPage> {
    const known = this.expanded.get(path)?.children;
    const names = known ?? (await this.client.getChildren(path)).sort();
    return this.page(path, names, offset, limit);
  }

  /** Reads a node and keeps its data watched while it stays selected. */
  async get(path: string): Promise<NodeDetails> {
    const [data, acl] = await Promise.all([this.client.getData(path), this.client.getACL(path)]);
    if (this.selected?.path !== path) {
      this.selected?.watch.stop();
      let first = true;
      const watch = this.client.watchData(path, (value) => {
        if (first) return void (first = false);
        this.options.emitChange({ kind: 'data', path, stat: value ? statToJson(value.stat) : null });
      });
      this.selected = { path, watch };
    }
    return { path, ...dataToJson(data.data), stat: statToJson(data.stat), acl: aclToJson(acl.acl) };
  }

  async create(req: { path: string; dataBase64?: string | null; mode?: unknown; ttlMs?: number; acl?: unknown }): Promise<{ path: string; stat: StatJson }> {
    const mode = createModeFromName(req.mode);
    const r = await this.client.createWithStat(req.path, dataFromBase64(req.dataBase64), {
      mode,
      ...(req.acl !== undefined ? { acl: aclFromJson(req.acl) } : {}),
      ...(req.ttlMs !== undefined ? { ttl: req.ttlMs } : {}),
    });
    return { path: r.path, stat: statToJson(r.stat) };
  }

  async set(path: string, dataBase64: unknown, version: number): Promise<{ stat: StatJson }> {
    return { stat: statToJson(await this.client.setData(path, dataFromBase64(dataBase64), version)) };
  }

  async setAcl(path: string, acl: unknown, version: number): Promise<{ stat: StatJson }> {
    return { stat: statToJson(await this.client.setACL(path, aclFromJson(acl), version)) };
  }

  async deletePreview(path: string, limit = 1000): Promise<DeletePreview> {
    const all = await this.client.listSubtree(path);
    const deepestFirst = [...all].reverse();
    return { path, paths: deepestFirst.slice(0, limit), total: all.length, truncated: all.length > limit };
  }

  async delete(path: string, version: number, recursive: boolean): Promise<{ deleted: number }> {
    if (path === '/') throw new RequestError('the root node cannot be deleted');
    if (!recursive) {
      await this.client.delete(path, version);
      return { deleted: 1 };
    }
    if (version !== -1) {
      // The version guards the subtree's root: check it before removing anything.
      const stat = await this.client.exists(path);
      if (!stat) throw new ZkError(-101, path);
      if (stat.version !== version) throw new ZkError(-103, path);
    }
    const count = (await this.client.listSubtree(path)).length;
    await this.client.deleteRecursive(path);
    return { deleted: count };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const path of [...this.expanded.keys()]) this.collapse(path);
    this.selected?.watch.stop();
    this.selected = null;
    await this.client.close().catch(() => {});
    this.options.emitState(this.info());
  }

  private childrenChanged(path: string, entry: Expanded, children: string[] | null): void {
    const before = entry.children;
    entry.children = children;
    if (!entry.listed) {
      entry.listed = true;
      return;
    }
    if (children === null) {
      this.options.emitChange({ kind: 'deleted', path });
      return;
    }
    const previous = new Set(before ?? []);
    const now = new Set(children);
    const added = children.filter((c) => !previous.has(c));
    const removed = (before ?? []).filter((c) => !now.has(c));
    if (added.length + removed.length <= MAX_ITEMIZED_CHANGES) {
      for (const c of added) this.options.emitChange({ kind: 'created', path: join(path, c) });
      for (const c of removed) this.options.emitChange({ kind: 'deleted', path: join(path, c) });
    }
    this.options.emitChange({ kind: 'children', path, total: children.length });
  }

  private async page(path: string, names: string[], offset: number, limit?: number): Promise<ChildrenPage> {
    const size = Math.min(Math.max(1, limit ?? this.options.pageSize ?? DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE);
    const slice = names.slice(Math.max(0, offset), Math.max(0, offset) + size);
    const children: ChildSummary[] = [];
    for (let i = 0; i < slice.length; i += STAT_CONCURRENCY) {
      const batch = slice.slice(i, i + STAT_CONCURRENCY);
      const stats = await Promise.all(batch.map((name) => this.client.exists(join(path, name))));
      batch.forEach((name, j) => {
        const stat = stats[j];
        if (!stat) return; // deleted between the listing and now; the watch reports it
        children.push({ name, path: join(path, name), numChildren: stat.numChildren, dataLength: stat.dataLength, ephemeral: stat.ephemeralOwner !== 0n });
      });
    }
    return { path, total: names.length, offset: Math.max(0, offset), children };
  }
}

function join(parent: string, child: string): string {
  return parent === '/' ? `/${child}` : `${parent}/${child}`;
}
