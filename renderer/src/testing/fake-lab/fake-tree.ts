/**
 * An in-memory znode tree for the fake lab: Stat bookkeeping close enough to ZooKeeper's
 * (wire-protocol.md §11) for the UI to exercise every field, ephemerals tied to
 * sessions, sequential names, and a listener told about every change.
 *
 * Children are kept sorted lazily (sorted on first listing after a change) so a node with
 * 100,000 children is cheap to build and to page through.
 */
import type { AclJson, ChildSummary, CreateModeName, StatJson } from '../../../../engine/src/lab/api.js';

export interface FakeNode {
  path: string;
  data: Uint8Array | null;
  stat: {
    czxid: bigint;
    mzxid: bigint;
    pzxid: bigint;
    ctime: number;
    mtime: number;
    version: number;
    cversion: number;
    aversion: number;
    ephemeralOwner: bigint;
  };
  acl: AclJson[];
  mode: CreateModeName;
  ttlMs?: number;
  children: Set<string>;
  sorted: string[] | null;
  seq: number;
}

export type TreeEvent =
  | { kind: 'created'; path: string }
  | { kind: 'deleted'; path: string }
  | { kind: 'data'; path: string }
  | { kind: 'children'; path: string };

/** ZooKeeper's error names, as the fake reports them (the lab passes them on the same way). */
export class FakeZkError extends Error {
  constructor(
    readonly codeName: 'NoNode' | 'NodeExists' | 'BadVersion' | 'NotEmpty' | 'NoChildrenForEphemerals' | 'BadArguments' | 'ConnectionLoss',
    path: string,
  ) {
    super(`KeeperErrorCode = ${codeName} for ${path}`);
  }
}

const OPEN_ACL: AclJson[] = [{ scheme: 'world', id: 'anyone', perms: ['read', 'write', 'create', 'delete', 'admin'] }];
const hex = (v: bigint) => '0x' + BigInt.asUintN(64, v).toString(16);

export function parentPath(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

export class FakeTree {
  private readonly nodes = new Map<string, FakeNode>();
  listener: (e: TreeEvent) => void = () => {};

  constructor(now: number) {
    this.nodes.set('/', this.blank('/', null, 0n, now, 'persistent'));
    this.nodes.set('/zookeeper', this.blank('/zookeeper', null, 0n, now, 'persistent'));
    this.nodes.set('/zookeeper/quota', this.blank('/zookeeper/quota', null, 0n, now, 'persistent'));
    this.nodes.set('/zookeeper/config', this.blank('/zookeeper/config', null, 0n, now, 'persistent'));
    this.nodes.get('/')!.children.add('zookeeper');
    this.nodes.get('/zookeeper')!.children.add('quota').add('config');
  }

  private blank(path: string, data: Uint8Array | null, zxid: bigint, now: number, mode: CreateModeName, owner = 0n): FakeNode {
    return {
      path,
      data,
      stat: { czxid: zxid, mzxid: zxid, pzxid: zxid, ctime: now, mtime: now, version: 0, cversion: 0, aversion: 0, ephemeralOwner: owner },
      acl: OPEN_ACL,
      mode,
      children: new Set(),
      sorted: null,
      seq: 0,
    };
  }

  get size(): number {
    return this.nodes.size;
  }

  get(path: string): FakeNode | undefined {
    return this.nodes.get(path);
  }

  require(path: string): FakeNode {
    const n = this.nodes.get(path);
    if (!n) throw new FakeZkError('NoNode', path);
    return n;
  }

  statJson(n: FakeNode): StatJson {
    const s = n.stat;
    return {
      czxid: hex(s.czxid),
      mzxid: hex(s.mzxid),
      pzxid: hex(s.pzxid),
      ctime: s.ctime,
      mtime: s.mtime,
      version: s.version,
      cversion: s.cversion,
      aversion: s.aversion,
      // Clients see 0 for containers and TTL nodes (wire-protocol.md §10.3).
      ephemeralOwner: hex(s.ephemeralOwner),
      dataLength: n.data?.length ?? 0,
      numChildren: n.children.size,
    };
  }

  sortedChildren(n: FakeNode): string[] {
    if (!n.sorted) n.sorted = [...n.children].sort();
    return n.sorted;
  }

  summary(path: string): ChildSummary {
    const n = this.require(path);
    return { name: path === '/' ? '/' : path.slice(path.lastIndexOf('/') + 1), path, numChildren: n.children.size, dataLength: n.data?.length ?? 0, ephemeral: n.stat.ephemeralOwner !== 0n };
  }

  /** Creates a node; returns its actual path (sequential names get their counter). */
  create(path: string, data: Uint8Array | null, mode: CreateModeName, zxid: bigint, now: number, owner: bigint, ttlMs?: number, notify = true): string {
    if (!path.startsWith('/') || path === '/' || path.endsWith('/') || path.includes('//')) throw new FakeZkError('BadArguments', path);
    const parent = this.require(parentPath(path));
    if (parent.stat.ephemeralOwner !== 0n) throw new FakeZkError('NoChildrenForEphemerals', path);
    let actual = path;
    if (mode.includes('sequential')) actual = path + String(parent.stat.cversion).padStart(10, '0');
    if (this.nodes.has(actual)) throw new FakeZkError('NodeExists', actual);
    const ephemeral = mode === 'ephemeral' || mode === 'ephemeral-sequential';
    const node = this.blank(actual, data, zxid, now, mode, ephemeral ? owner : 0n);
    if (ttlMs !== undefined) node.ttlMs = ttlMs;
    this.nodes.set(actual, node);
    parent.children.add(actual.slice(actual.lastIndexOf('/') + 1));
    parent.sorted = null;
    parent.stat.cversion++;
    parent.stat.pzxid = zxid;
    if (notify) {
      this.listener({ kind: 'created', path: actual });
      this.listener({ kind: 'children', path: parent.path });
    }
    return actual;
  }

  setData(path: string, data: Uint8Array | null, version: number, zxid: bigint, now: number): FakeNode {
    const n = this.require(path);
    if (version !== -1 && version !== n.stat.version) throw new FakeZkError('BadVersion', path);
    n.data = data;
    n.stat.version++;
    n.stat.mzxid = zxid;
    n.stat.mtime = now;
    this.listener({ kind: 'data', path });
    return n;
  }

  setAcl(path: string, acl: AclJson[], version: number): FakeNode {
    const n = this.require(path);
    if (version !== -1 && version !== n.stat.aversion) throw new FakeZkError('BadVersion', path);
    n.acl = acl;
    n.stat.aversion++;
    this.listener({ kind: 'data', path });
    return n;
  }

  delete(path: string, version: number, zxid: bigint): void {
    const n = this.require(path);
    if (path === '/' || path === '/zookeeper' || path.startsWith('/zookeeper/')) throw new FakeZkError('BadArguments', path);
    if (version !== -1 && version !== n.stat.version) throw new FakeZkError('BadVersion', path);
    if (n.children.size > 0) throw new FakeZkError('NotEmpty', path);
    this.nodes.delete(path);
    const parent = this.nodes.get(parentPath(path))!;
    parent.children.delete(path.slice(path.lastIndexOf('/') + 1));
    parent.sorted = null;
    parent.stat.cversion++;
    parent.stat.pzxid = zxid;
    this.listener({ kind: 'deleted', path });
    this.listener({ kind: 'children', path: parent.path });
  }

  /** Every path below `path` (and itself), deepest first, as a recursive delete removes them. */
  subtree(path: string): string[] {
    const out: string[] = [];
    const walk = (p: string) => {
      const n = this.require(p);
      for (const c of this.sortedChildren(n)) walk(p === '/' ? `/${c}` : `${p}/${c}`);
      out.push(p);
    };
    walk(path);
    return out;
  }

  ephemeralsOf(owner: bigint): string[] {
    return [...this.nodes.values()].filter((n) => n.stat.ephemeralOwner === owner).map((n) => n.path).sort();
  }

  /** A crude digest: changes whenever any node's version or existence changes. */
  digest(): string {
    let h = 0x811c9dc5;
    for (const n of this.nodes.values()) {
      for (const ch of `${n.path}:${n.stat.mzxid}:${n.stat.version}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    }
    return '0x' + h.toString(16).padStart(8, '0') + 'a5a5a5a5';
  }

  /** Adds `count` children under `parent` without per-node events (demo data for big listings). */
  bulkChildren(parent: string, prefix: string, count: number, zxid: bigint, now: number): void {
    const p = this.require(parent);
    for (let i = 0; i < count; i++) {
      const name = `${prefix}${String(i).padStart(6, '0')}`;
      const path = parent === '/' ? `/${name}` : `${parent}/${name}`;
      const node = this.blank(path, null, zxid, now, 'persistent');
      this.nodes.set(path, node);
      p.children.add(name);
    }
    p.sorted = null;
    p.stat.cversion += count;
    p.stat.pzxid = zxid;
  }
}
