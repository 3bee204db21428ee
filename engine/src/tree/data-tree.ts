/**
 * DataTree: the znodes of one member, their Stat bookkeeping, the ephemeral index, the
 * container/TTL candidate sets, the node count and data size gauges and an incrementally
 * maintained digest.
 *
 * Reads (for the server's read path, prep and the watch catch-up) take paths and return
 * fresh values; `""` is the root's alias (§8.2). Mutations are the low-level primitives
 * that `ZkDatabase.apply` (apply.ts) uses; nothing else should call them, so that the
 * tree only ever changes through transactions.
 *
 * Stat rules (wire-protocol.md §11): the stored child counter (`cversion`) counts child
 * creates only; clients see `2 × counter − numChildren`. zxids and times are numbers
 * internally (exact below 2^53) and bigint at the edge (`Stat`).
 */
import type { ACL, JuteWriter, Stat } from '../jute/index.js';
import { Perms } from '../jute/index.js';
import { AclCache } from './acl-cache.js';
import { digestValue, hashPathData, hi32, lo32, mix } from './digest.js';
import { kindOfOwner, NodeKind, ownerHi, ownerLo, ownerOf, ttlOfOwner } from './ephemeral-owner.js';
import { NodeStore } from './node-store.js';
import { PathIndex } from './path-index.js';
import { QuotaTracker } from './quota.js';
import { CONFIG_PATH, QUOTA_PATH, ROOT, ZOOKEEPER_PATH, nameOf, parentOf } from './paths.js';

export const OPEN_ACL: readonly ACL[] = [{ perms: Perms.ALL, id: { scheme: 'world', id: 'anyone' } }];
export const READ_ACL: readonly ACL[] = [{ perms: Perms.READ, id: { scheme: 'world', id: 'anyone' } }];

/** What prep needs to know about a node (raw, internal values). */
export interface NodeInfo {
  acl: readonly ACL[];
  /** The stored owner: session id, container marker or TTL encoding (ephemeral-owner.ts). */
  owner: bigint;
  kind: NodeKind;
  version: number;
  aversion: number;
  /** The internal child-create counter (§10.2), not the client-visible cversion. */
  cversion: number;
  numChildren: number;
  ctime: number;
  mtime: number;
}

/** The raw record of one node, as snapshots store it. */
export interface NodeRecord {
  path: string;
  data: string | null;
  aclId: number;
  czxid: number;
  mzxid: number;
  pzxid: number;
  ctime: number;
  mtime: number;
  version: number;
  cversion: number;
  aversion: number;
  ownerHi: number;
  ownerLo: number;
}

export interface TreeOptions {
  /** Initial data of /zookeeper/config (the dynamic config in an ensemble; empty standalone). */
  configData?: Buffer | null;
}

/** Converts wire data to the stored latin1 byte string (one char per byte). */
export function toStored(data: Buffer | null): string | null {
  return data === null ? null : data.toString('latin1');
}
export function fromStored(data: string | null): Buffer | null {
  return data === null ? null : Buffer.from(data, 'latin1');
}

export class DataTree {
  readonly store = new NodeStore();
  readonly acls = new AclCache();
  private readonly index = new PathIndex(this.store.paths);
  /** Ephemeral slots by owning session. */
  private readonly ephemeralsBySession = new Map<bigint, Set<number>>();
  private ephemeralTotal = 0;
  readonly containerSlots = new Set<number>();
  readonly ttlSlots = new Set<number>();
  private digestA = 0;
  private digestB = 0;
  private dataSize = 0;
  /** Keeps /zookeeper/quota/<path>/zookeeper_stats current (quota.ts); apply.ts drives it. */
  readonly quotas = new QuotaTracker(this);

  /**
   * Called before any change to a live slot's stored record (or its release), so an
   * incremental snapshot can keep the pre-image (snapshot.ts). Null when no snapshot runs.
   */
  onBeforeChange: ((slot: number) => void) | null = null;

  /** A tree holding only the reserved nodes (§8.2), or an empty shell for `restore`. */
  constructor(options: TreeOptions = {}, empty = false) {
    if (empty) return;
    const open = this.acls.acquire(OPEN_ACL);
    this.acls.retain(open);
    this.acls.retain(open);
    const read = this.acls.acquire(READ_ACL);
    const root = this.insertRecord(rawRecord(ROOT, '', open));
    const zk = this.insertRecord(rawRecord(ZOOKEEPER_PATH, '', open));
    const quota = this.insertRecord(rawRecord(QUOTA_PATH, '', open));
    // ZooKeeper installs the config node's ACL with setACL(version -1), which leaves aversion = -1 ✔.
    const cfg = rawRecord(CONFIG_PATH, toStored(options.configData ?? Buffer.alloc(0)), read);
    cfg.aversion = -1;
    const config = this.insertRecord(cfg);
    this.linkHashed(root, zk);
    this.linkHashed(zk, quota);
    this.linkHashed(zk, config);
  }

  // ---------------------------------------------------------------- lookups

  /** The slot of `path` (`""` = root), or -1. */
  slotOf(path: string): number {
    return this.index.get(path === '' ? ROOT : path);
  }

  exists(path: string): boolean {
    return this.slotOf(path) >= 0;
  }

  pathOf(slot: number): string {
    const p = this.store.paths[slot];
    if (p === undefined) throw new Error(`slot ${slot} is not a live znode`);
    return p;
  }

  // ---------------------------------------------------------------- reads

  stat(path: string): Stat | null {
    const s = this.slotOf(path);
    return s < 0 ? null : this.statOfSlot(s);
  }

  /** The node's ACL (shared, read-only), or null when it does not exist. */
  aclOf(path: string): readonly ACL[] | null {
    const s = this.slotOf(path);
    return s < 0 ? null : this.acls.get(this.store.aclId[s]!);
  }

  getData(path: string): { data: Buffer | null; stat: Stat; acl: readonly ACL[] } | null {
    const s = this.slotOf(path);
    if (s < 0) return null;
    return { data: fromStored(this.store.data[s]!), stat: this.statOfSlot(s), acl: this.acls.get(this.store.aclId[s]!) };
  }

  /** Child names in no particular order (§9), with the parent's Stat. */
  getChildren(path: string): { children: string[]; stat: Stat; acl: readonly ACL[] } | null {
    const s = this.slotOf(path);
    if (s < 0) return null;
    return { children: this.childNames(s), stat: this.statOfSlot(s), acl: this.acls.get(this.store.aclId[s]!) };
  }

  getACL(path: string): { acl: readonly ACL[]; stat: Stat } | null {
    const s = this.slotOf(path);
    if (s < 0) return null;
    return { acl: this.acls.get(this.store.aclId[s]!), stat: this.statOfSlot(s) };
  }

  nodeInfo(path: string): NodeInfo | null {
    const s = this.slotOf(path);
    if (s < 0) return null;
    const st = this.store;
    const hi = st.ownerHi[s]!;
    const lo = st.ownerLo[s]!;
    return {
      acl: this.acls.get(st.aclId[s]!),
      owner: ownerOf(hi, lo),
      kind: kindOfOwner(hi, lo),
      version: st.version[s]!,
      aversion: st.aversion[s]!,
      cversion: st.cversion[s]!,
      numChildren: this.numChildren(s),
      ctime: st.ctime[s]!,
      mtime: st.mtime[s]!,
    };
  }

  /** Every descendant of `path`, not counting itself (§9); null when it does not exist. */
  allChildrenNumber(path: string): number | null {
    const s = this.slotOf(path);
    if (s < 0) return null;
    if (s === this.slotOf(ROOT)) return this.store.live - 1;
    const st = this.store;
    let n = 0;
    const stack = [s];
    while (stack.length > 0) {
      const p = stack.pop()!;
      n += st.childCount[p]!;
      for (let c = st.firstChild[p]!; c !== 0; c = st.nextSibling[c - 1]!) stack.push(c - 1);
    }
    return n;
  }

  /**
   * The session's ephemeral paths. A null, empty, blank or `/` prefix means all;
   * otherwise a plain string prefix match (`/e` matches `/eph3`) (§9).
   */
  getEphemerals(sessionId: bigint, prefix: string | null = null): string[] {
    const set = this.ephemeralsBySession.get(sessionId);
    if (set === undefined) return [];
    const all = prefix === null || prefix.trim() === '' || prefix === ROOT;
    const out: string[] = [];
    for (const slot of set) {
      const p = this.store.paths[slot]!;
      if (all || p.startsWith(prefix)) out.push(p);
    }
    return out;
  }

  /** Sessions owning at least one ephemeral, with their paths (the `dump` 4lw). */
  *ephemeralsBySessionId(): Generator<[bigint, string[]]> {
    for (const [sid, set] of this.ephemeralsBySession) yield [sid, [...set].map((s) => this.store.paths[s]!)];
  }

  /** ZooKeeper's node count: the root is counted twice (its `""` alias), so a fresh tree has 5 (§16). */
  get nodeCount(): number {
    return this.store.live + 1;
  }

  /** Σ (path length + data length) over all nodes, as ZooKeeper's zk_approximate_data_size ✔. */
  get approximateDataSize(): number {
    return this.dataSize;
  }

  get ephemeralsCount(): number {
    return this.ephemeralTotal;
  }

  /** The order-independent tree digest (digest.ts), maintained on every change. */
  digest(): bigint {
    return digestValue(this.digestA, this.digestB);
  }

  /** The digest recomputed from every node, for tests and snapshot verification. */
  recomputeDigest(): bigint {
    let a = 0;
    let b = 0;
    for (let s = 0; s < this.store.highWater; s++) {
      if (!this.store.isLive(s)) continue;
      this.nodeHash(s);
      a = (a + this.hashA) >>> 0;
      b = (b + this.hashB) >>> 0;
    }
    return digestValue(a, b);
  }

  // ---------------------------------------------------------------- slot-level reads (apply, snapshot)

  statOfSlot(s: number): Stat {
    const st = this.store;
    const numChildren = this.numChildren(s);
    const hi = st.ownerHi[s]!;
    const lo = st.ownerLo[s]!;
    const data = st.data[s];
    return {
      czxid: BigInt(st.czxid[s]!),
      mzxid: BigInt(st.mzxid[s]!),
      ctime: BigInt(st.ctime[s]!),
      mtime: BigInt(st.mtime[s]!),
      version: st.version[s]!,
      // §11: reported cversion = 2 × internal counter − numChildren (int32 arithmetic, as in Java).
      cversion: (2 * st.cversion[s]! - numChildren) | 0,
      aversion: st.aversion[s]!,
      ephemeralOwner: kindOfOwner(hi, lo) === NodeKind.ephemeral ? ownerOf(hi, lo) : 0n,
      dataLength: data === null || data === undefined ? 0 : data.length,
      numChildren,
      pzxid: BigInt(st.pzxid[s]!),
    };
  }

  /**
   * Writes slot `s`'s Stat record (the same fields and rules as `statOfSlot`) straight from
   * the stored numbers: the read path answers with no Stat object and no bigint made,
   * which was its biggest cost (docs/performance.md).
   */
  writeStat(s: number, w: JuteWriter): void {
    const st = this.store;
    const numChildren = st.childCount[s]!;
    const hi = st.ownerHi[s]!;
    const lo = st.ownerLo[s]!;
    const data = st.data[s];
    w.longFromNumber(st.czxid[s]!).longFromNumber(st.mzxid[s]!).longFromNumber(st.ctime[s]!).longFromNumber(st.mtime[s]!);
    w.int(st.version[s]!).int((2 * st.cversion[s]! - numChildren) | 0).int(st.aversion[s]!);
    // ephemeralOwner: the two stored halves are its 64 bits; 0 unless ephemeral (§11).
    if (kindOfOwner(hi, lo) === NodeKind.ephemeral) w.int(hi).int(lo);
    else w.int(0).int(0);
    w.int(data === null || data === undefined ? 0 : data.length).int(numChildren).longFromNumber(st.pzxid[s]!);
  }

  /** Writes slot `s`'s data as a jute buffer (null stays null), without making a Buffer. */
  writeData(s: number, w: JuteWriter): void {
    w.latin1Buffer(this.store.data[s] ?? null);
  }

  numChildren(s: number): number {
    return this.store.childCount[s]!;
  }

  childNames(s: number): string[] {
    const st = this.store;
    const out: string[] = [];
    for (let c = st.firstChild[s]!; c !== 0; c = st.nextSibling[c - 1]!) out.push(nameOf(st.paths[c - 1]!));
    return out;
  }

  aclOfSlot(s: number): readonly ACL[] {
    return this.acls.get(this.store.aclId[s]!);
  }

  kindOfSlot(s: number): NodeKind {
    return kindOfOwner(this.store.ownerHi[s]!, this.store.ownerLo[s]!);
  }

  ttlOfSlot(s: number): number {
    return ttlOfOwner(this.store.ownerHi[s]!, this.store.ownerLo[s]!);
  }

  recordOf(s: number): NodeRecord {
    const st = this.store;
    return {
      path: st.paths[s]!,
      data: st.data[s]!,
      aclId: st.aclId[s]!,
      czxid: st.czxid[s]!,
      mzxid: st.mzxid[s]!,
      pzxid: st.pzxid[s]!,
      ctime: st.ctime[s]!,
      mtime: st.mtime[s]!,
      version: st.version[s]!,
      cversion: st.cversion[s]!,
      aversion: st.aversion[s]!,
      ownerHi: st.ownerHi[s]!,
      ownerLo: st.ownerLo[s]!,
    };
  }

  // ---------------------------------------------------------------- mutations (apply.ts only)

  /** Creates a child of `parent` (which must exist and not hold `path`); bumps the parent's counter and pzxid. */
  createNode(
    parent: number,
    path: string,
    data: Buffer | null,
    acl: readonly ACL[],
    owner: bigint,
    zxid: number,
    time: number,
  ): number {
    const aclId = this.acls.acquire(acl);
    const rec = rawRecord(path, toStored(data), aclId);
    rec.czxid = rec.mzxid = rec.pzxid = zxid;
    rec.ctime = rec.mtime = time;
    rec.ownerHi = ownerHi(owner);
    rec.ownerLo = ownerLo(owner);
    this.beginChange(parent);
    this.store.cversion[parent] = (this.store.cversion[parent]! + 1) | 0;
    this.store.pzxid[parent] = zxid;
    const slot = this.insertRecord(rec);
    this.link(parent, slot);
    this.endChange(parent);
    return slot;
  }

  /** Deletes a childless node; the parent's pzxid moves, its counter does not (§10.2). */
  deleteNode(parent: number, slot: number, zxid: number): void {
    if (this.numChildren(slot) > 0) throw new Error(`cannot delete ${this.pathOf(slot)}: it has children`);
    this.beginChange(parent);
    this.store.unlink(parent, slot);
    this.store.pzxid[parent] = zxid;
    this.endChange(parent);
    this.removeRecord(slot);
  }

  setData(slot: number, data: Buffer | null, version: number, zxid: number, time: number): void {
    this.beginChange(slot);
    const st = this.store;
    const old = st.data[slot];
    const stored = toStored(data);
    this.dataSize += (stored?.length ?? 0) - (old?.length ?? 0);
    st.data[slot] = stored;
    st.version[slot] = version | 0;
    st.mzxid[slot] = zxid;
    st.mtime[slot] = time;
    hashPathData(st.paths[slot]!, stored, st.pathDataHash, slot);
    this.endChange(slot);
  }

  /**
   * Replaces a node's data without touching its Stat (version, mzxid, mtime stay): how
   * ZooKeeper updates quota stats nodes (quota.ts).
   */
  rewriteData(slot: number, text: string): void {
    this.beginChange(slot);
    const st = this.store;
    this.dataSize += text.length - (st.data[slot]?.length ?? 0);
    st.data[slot] = text;
    hashPathData(st.paths[slot]!, text, st.pathDataHash, slot);
    this.endChange(slot);
  }

  setAcl(slot: number, acl: readonly ACL[], aversion: number): void {
    this.beginChange(slot);
    const st = this.store;
    const next = this.acls.acquire(acl);
    this.acls.release(st.aclId[slot]!);
    st.aclId[slot] = next;
    st.aversion[slot] = aversion | 0;
    this.endChange(slot);
  }

  // ---------------------------------------------------------------- snapshot restore

  /** Makes room for `n` znodes up front (snapshot restore knows the count). */
  reserve(n: number): void {
    this.store.reserve(n);
    this.index.reserve(n);
  }

  /**
   * Inserts a node record as-is (its ACL id must be installed; ACL references are taken
   * by the caller or by `linkAll`). With `hash` false (snapshot restore) the digest is
   * left for `linkAll` to compute in one pass.
   */
  insertRecord(rec: NodeRecord, hash = true): number {
    const st = this.store;
    const s = st.allocate(rec.path);
    try {
      this.index.add(s);
    } catch (e) {
      st.release(s);
      throw e;
    }
    st.data[s] = rec.data;
    st.czxid[s] = rec.czxid;
    st.mzxid[s] = rec.mzxid;
    st.pzxid[s] = rec.pzxid;
    st.ctime[s] = rec.ctime;
    st.mtime[s] = rec.mtime;
    st.version[s] = rec.version;
    st.cversion[s] = rec.cversion;
    st.aversion[s] = rec.aversion;
    st.aclId[s] = rec.aclId;
    st.ownerHi[s] = rec.ownerHi;
    st.ownerLo[s] = rec.ownerLo;
    this.indexKind(s, +1);
    this.dataSize += rec.path.length + (rec.data?.length ?? 0);
    hashPathData(rec.path, rec.data, st.pathDataHash, s);
    if (hash) this.endChange(s);
    return s;
  }

  /**
   * After inserting every record of a snapshot with `hash` false: links each node under
   * its parent, takes the ACL references and computes the digest.
   */
  linkAll(): void {
    const st = this.store;
    let lastParentPath = '';
    let lastParent = -1;
    for (let s = 0; s < st.highWater; s++) {
      const path = st.paths[s];
      if (path === undefined) continue;
      this.acls.retain(st.aclId[s]!);
      if (path === ROOT) continue;
      // Siblings tend to be adjacent: reuse the previous parent without building its path again.
      const cut = path.lastIndexOf('/');
      let parent: number;
      if (lastParent >= 0 && cut === (lastParentPath === ROOT ? 0 : lastParentPath.length) && path.startsWith(lastParentPath)) {
        parent = lastParent;
      } else {
        lastParentPath = cut === 0 ? ROOT : path.slice(0, cut);
        parent = lastParent = this.slotOf(lastParentPath);
        if (parent < 0) throw new Error(`znode ${path} has no parent in the snapshot`);
      }
      st.link(parent, s);
    }
    if (this.slotOf(ROOT) < 0) throw new Error('snapshot has no root znode');
    this.digestA = 0;
    this.digestB = 0;
    for (let s = 0; s < st.highWater; s++) if (st.isLive(s)) this.endChange(s);
    this.quotas.rebuild();
  }

  // ---------------------------------------------------------------- internals

  private link(parent: number, child: number): void {
    this.store.link(parent, child);
  }

  private removeRecord(s: number): void {
    const st = this.store;
    this.beginChange(s);
    const path = st.paths[s]!;
    this.dataSize -= path.length + (st.data[s]?.length ?? 0);
    this.indexKind(s, -1);
    this.acls.release(st.aclId[s]!);
    this.index.remove(s);
    st.release(s);
  }

  /** Adds (+1) or removes (-1) a slot from the ephemeral / container / TTL indexes. */
  private indexKind(s: number, delta: 1 | -1): void {
    const hi = this.store.ownerHi[s]!;
    const lo = this.store.ownerLo[s]!;
    switch (kindOfOwner(hi, lo)) {
      case NodeKind.ephemeral: {
        const sid = ownerOf(hi, lo);
        let set = this.ephemeralsBySession.get(sid);
        if (delta > 0) {
          if (set === undefined) this.ephemeralsBySession.set(sid, (set = new Set()));
          set.add(s);
        } else if (set !== undefined) {
          set.delete(s);
          if (set.size === 0) this.ephemeralsBySession.delete(sid);
        }
        this.ephemeralTotal += delta;
        return;
      }
      case NodeKind.container:
        if (delta > 0) this.containerSlots.add(s);
        else this.containerSlots.delete(s);
        return;
      case NodeKind.ttl:
        if (delta > 0) this.ttlSlots.add(s);
        else this.ttlSlots.delete(s);
        return;
      default:
        return;
    }
  }

  /** Before changing a live slot: let a running snapshot keep its pre-image, and take its hash out of the digest. */
  private beginChange(s: number): void {
    this.onBeforeChange?.(s);
    this.unhash(s);
  }

  private endChange(s: number): void {
    this.nodeHash(s);
    this.digestA = (this.digestA + this.hashA) >>> 0;
    this.digestB = (this.digestB + this.hashB) >>> 0;
  }

  private unhash(s: number): void {
    this.nodeHash(s);
    this.digestA = (this.digestA - this.hashA) >>> 0;
    this.digestB = (this.digestB - this.hashB) >>> 0;
  }

  private hashA = 0;
  private hashB = 0;

  /** Hashes slot `s` (path, data, every stored stat field, numChildren, ACL) into hashA/hashB. */
  private nodeHash(s: number): void {
    const st = this.store;
    this.hashA = st.pathDataHash[2 * s]! | 0;
    this.hashB = st.pathDataHash[2 * s + 1]! | 0;
    this.mixLong(st.czxid[s]!);
    this.mixLong(st.mzxid[s]!);
    this.mixLong(st.pzxid[s]!);
    this.mixLong(st.ctime[s]!);
    this.mixLong(st.mtime[s]!);
    this.mixInt(st.version[s]!);
    this.mixInt(st.cversion[s]!);
    this.mixInt(st.aversion[s]!);
    this.mixInt(st.ownerHi[s]!);
    this.mixInt(st.ownerLo[s]!);
    this.mixInt(this.numChildren(s));
    const aclId = st.aclId[s]!;
    this.mixInt(this.acls.hashA(aclId));
    this.mixInt(this.acls.hashB(aclId));
    const a = this.hashA;
    const b = this.hashB;
    this.hashA = (a ^ (a >>> 16)) >>> 0;
    this.hashB = (b ^ (b >>> 15)) >>> 0;
  }

  private mixInt(x: number): void {
    this.hashA = mix(this.hashA, x);
    this.hashB = Math.imul(this.hashB ^ x, 16777619);
  }

  private mixLong(n: number): void {
    this.mixInt(lo32(n));
    this.mixInt(hi32(n));
  }

  /** Links a child under a parent whose hash is already in the digest (numChildren is hashed). */
  private linkHashed(parent: number, child: number): void {
    this.unhash(parent);
    this.link(parent, child);
    this.endChange(parent);
  }
}

function rawRecord(path: string, data: string | null, aclId: number): NodeRecord {
  return {
    path,
    data,
    aclId,
    czxid: 0,
    mzxid: 0,
    pzxid: 0,
    ctime: 0,
    mtime: 0,
    version: 0,
    cversion: 0,
    aversion: 0,
    ownerHi: 0,
    ownerLo: 0,
  };
}
