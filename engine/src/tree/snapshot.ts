/**
 * Snapshots of a ZkDatabase: the tree (paths, data, ACLs, every stored stat field incl.
 * the internal child counter and the raw ephemeralOwner), the session table (timeout and
 * password) and lastZxid, as bytes and back.
 *
 * Taking one without stalling clients: `IncrementalSnapshot` emits the snapshot as
 * chunks, a bounded number of znodes per `nextChunk()`, so the caller can yield to the
 * event loop between chunks while `apply` keeps running. The result is exactly the
 * state at the zxid where the snapshot began: before a not-yet-written znode changes (or
 * is deleted), the tree calls `onBeforeChange` and the snapshot keeps that znode's
 * encoded pre-image; znodes created meanwhile live in slots above the starting
 * high-water mark (slot recycling is frozen while a snapshot runs) and are skipped.
 *
 * Format (big-endian): magic "ZLSN", format version, lastZxid, digest, node count; the
 * ACL table; the sessions; the node records; magic "END!". Restore verifies the record
 * count, the trailer and the digest (recomputed from the records) and refuses anything
 * else with a SnapshotError.
 */
import type { ACL } from '../jute/index.js';
import type { SessionRecord } from './types.js';
import { DataTree, type NodeRecord } from './data-tree.js';
import { ChunkReader, ChunkWriter, SnapshotError } from './snapshot-codec.js';
import { digestHex } from './digest.js';
import { pathError } from './paths.js';

const MAGIC = 0x5a4c534e; // "ZLSN"
const TRAILER = 0x454e4421; // "END!"
const FORMAT_VERSION = 1;

/** What a snapshot holds besides the tree itself. */
export interface SnapshotContents {
  tree: DataTree;
  sessions: Map<bigint, SessionRecord>;
  lastZxid: bigint;
}

export class IncrementalSnapshot {
  /** The zxid whose state this snapshot captures. */
  readonly zxid: bigint;
  /** The tree digest at `zxid`, also written into the header. */
  readonly digest: bigint;
  private readonly tree: DataTree;
  private readonly highWater: number;
  private readonly expectedNodes: number;
  private readonly preImages = new Map<number, Buffer>();
  private header: Buffer | null;
  private cursor = 0;
  private written = 0;
  private finished = false;

  constructor(source: SnapshotContents) {
    this.tree = source.tree;
    this.zxid = source.lastZxid;
    this.digest = source.tree.digest();
    this.expectedNodes = source.tree.store.live;
    const w = new ChunkWriter(4096);
    w.int(MAGIC);
    w.int(FORMAT_VERSION);
    w.bigint(this.zxid);
    w.bigint(BigInt.asIntN(64, this.digest));
    w.int(this.expectedNodes);
    const acls = [...source.tree.acls.entries()];
    w.int(acls.length);
    for (const [id, list] of acls) {
      w.int(id);
      writeAcl(w, list);
    }
    w.int(source.sessions.size);
    for (const s of source.sessions.values()) {
      w.bigint(s.id);
      w.int(s.timeout);
      w.bytes(s.passwd);
    }
    this.header = w.take();
    if (source.tree.onBeforeChange !== null) throw new Error('a snapshot of this tree is already in progress');
    this.highWater = source.tree.store.freezeRecycling();
    source.tree.onBeforeChange = (slot) => this.preserve(slot);
  }

  get done(): boolean {
    return this.finished;
  }

  /**
   * The next chunk of the snapshot, holding up to `maxNodes` znodes, or null once
   * everything (trailer included) has been returned. Concatenating the chunks in order
   * gives the snapshot bytes.
   */
  nextChunk(maxNodes = 5_000): Buffer | null {
    if (this.finished) return null;
    if (this.header !== null) {
      const h = this.header;
      this.header = null;
      return h;
    }
    const w = new ChunkWriter(256 * 1024);
    const store = this.tree.store;
    let n = 0;
    while (this.cursor < this.highWater && n < maxNodes) {
      const slot = this.cursor++;
      const pre = this.preImages.get(slot);
      if (pre !== undefined) {
        this.preImages.delete(slot);
        w.raw(pre);
      } else if (store.isLive(slot)) {
        writeRecord(w, this.tree.recordOf(slot));
      } else {
        continue;
      }
      n++;
    }
    this.written += n;
    if (this.cursor >= this.highWater) {
      if (this.written !== this.expectedNodes) {
        this.release();
        throw new Error(`snapshot wrote ${this.written} znodes, expected ${this.expectedNodes}`);
      }
      w.int(TRAILER);
      this.release();
    }
    return w.take();
  }

  /**
   * Produces every remaining chunk now and returns them concatenated — the whole snapshot
   * when called before any `nextChunk()`. Chunks are not kept otherwise: a streaming
   * caller holds only what it has not written yet.
   */
  drain(): Buffer {
    const chunks: Buffer[] = [];
    for (let c = this.nextChunk(20_000); c !== null; c = this.nextChunk(20_000)) chunks.push(c);
    return Buffer.concat(chunks);
  }

  /**
   * Abandons the snapshot and detaches it from the tree. Call it if you stop calling
   * `nextChunk()` before it returns null (a failed write): until then the tree keeps
   * pre-images and no other snapshot can start.
   */
  cancel(): void {
    if (!this.finished) this.release();
  }

  private preserve(slot: number): void {
    if (slot >= this.highWater || slot < this.cursor || this.preImages.has(slot)) return;
    const w = new ChunkWriter(256);
    writeRecord(w, this.tree.recordOf(slot));
    this.preImages.set(slot, w.take());
  }

  private release(): void {
    this.finished = true;
    this.tree.onBeforeChange = null;
    this.tree.store.thawRecycling();
    this.preImages.clear();
  }
}

function writeAcl(w: ChunkWriter, list: readonly ACL[]): void {
  w.int(list.length);
  for (const a of list) {
    w.int(a.perms);
    w.utf8(a.id.scheme);
    w.utf8(a.id.id);
  }
}

function writeRecord(w: ChunkWriter, r: NodeRecord): void {
  w.utf8(r.path);
  w.latin1(r.data);
  w.int(r.aclId);
  w.long(r.czxid);
  w.long(r.mzxid);
  w.long(r.pzxid);
  w.long(r.ctime);
  w.long(r.mtime);
  w.int(r.version);
  w.int(r.cversion);
  w.int(r.aversion);
  w.int(r.ownerHi);
  w.int(r.ownerLo);
}

/**
 * Rebuilds what a snapshot holds, from its bytes or the pieces they are stored in; throws
 * SnapshotError on anything malformed or inconsistent.
 */
export function readSnapshot(bytes: Buffer | Iterable<Buffer>): SnapshotContents {
  const r = new ChunkReader(bytes);
  try {
    return readContents(r);
  } finally {
    r.close();
  }
}

function readContents(r: ChunkReader): SnapshotContents {
  if (r.int('magic') !== MAGIC) throw new SnapshotError('not a ZooLab snapshot (bad magic)');
  const version = r.int('format version');
  if (version !== FORMAT_VERSION) throw new SnapshotError(`unsupported snapshot format version ${version}`);
  const lastZxid = r.bigint('lastZxid');
  const digest = BigInt.asUintN(64, r.bigint('digest'));
  const count = r.int('node count');
  if (count < 1) throw new SnapshotError(`snapshot node count ${count} is invalid`);

  const tree = new DataTree({}, true);
  const aclCount = r.int('ACL count');
  for (let i = 0; i < aclCount; i++) {
    const id = r.int('ACL id');
    const n = r.int('ACL list length');
    if (id < 0 || n < 0) throw new SnapshotError(`snapshot ACL entry ${i} is invalid`);
    const list: ACL[] = [];
    for (let j = 0; j < n; j++) {
      const perms = r.int('ACL perms');
      const scheme = r.utf8('ACL scheme');
      list.push({ perms, id: { scheme, id: r.utf8('ACL id') } });
    }
    tree.acls.restore(id, list);
  }

  const sessions = new Map<bigint, SessionRecord>();
  const sessionCount = r.int('session count');
  for (let i = 0; i < sessionCount; i++) {
    const id = r.bigint('session id');
    const timeout = r.int('session timeout');
    const passwd = r.bytes('session passwd') ?? Buffer.alloc(0);
    sessions.set(id, { id, timeout, passwd });
  }

  tree.reserve(count);
  for (let i = 0; i < count; i++) {
    const rec: NodeRecord = {
      path: r.utf8('path'),
      data: r.latin1('data'),
      aclId: r.int('aclId'),
      czxid: r.long('czxid'),
      mzxid: r.long('mzxid'),
      pzxid: r.long('pzxid'),
      ctime: r.long('ctime'),
      mtime: r.long('mtime'),
      version: r.int('version'),
      cversion: r.int('cversion'),
      aversion: r.int('aversion'),
      ownerHi: r.int('ownerHi'),
      ownerLo: r.int('ownerLo'),
    };
    const bad = pathError(rec.path);
    if (bad !== null) throw new SnapshotError(`snapshot record ${i} has an invalid path ${JSON.stringify(rec.path)}: ${bad}`);
    try {
      tree.acls.get(rec.aclId);
      tree.insertRecord(rec, false);
    } catch (e) {
      throw new SnapshotError(`snapshot record ${i} (${rec.path}): ${(e as Error).message}`);
    }
  }
  if (r.int('trailer') !== TRAILER) throw new SnapshotError('snapshot trailer missing: the file is truncated or corrupt');
  try {
    tree.linkAll();
  } catch (e) {
    throw new SnapshotError(`snapshot tree is inconsistent: ${(e as Error).message}`);
  }
  tree.acls.dropUnreferenced();
  const actual = tree.digest();
  if (actual !== digest) {
    throw new SnapshotError(`snapshot digest mismatch: header says ${digestHex(digest)}, records give ${digestHex(actual)}`);
  }
  return { tree, sessions, lastZxid };
}
