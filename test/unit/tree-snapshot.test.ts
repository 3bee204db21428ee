/**
 * The tree digest (order-independent, maintained incrementally) and snapshots: exact
 * round trips, incremental snapshots taken while apply keeps running, and corrupt input.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { CONTAINER_EPHEMERAL_OWNER, OpCode, Perms } from '../../engine/src/jute/index.js';
import { DataTree, SnapshotError, ZkDatabase, ttlOwner, type NodeRecord } from '../../engine/src/tree/index.js';
import { TxnDriver, dumpTree } from './helpers-tree/txns.js';

/** A small seeded PRNG (mulberry32), so every run applies the same random history. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Applies `n` random valid operations over a small namespace. */
function randomOps(t: TxnDriver, n: number, seed: number): void {
  const rnd = prng(seed);
  const sessions = [0x101n, 0x102n];
  for (const s of sessions) if (!t.db.session(s)) t.openSession(s);
  const acls = [
    [{ perms: Perms.ALL, id: { scheme: 'world', id: 'anyone' } }],
    [{ perms: Perms.READ | Perms.WRITE, id: { scheme: 'digest', id: 'u:h' } }],
  ];
  for (let i = 0; i < n; i++) {
    t.time += Math.floor(rnd() * 10);
    const depth = 1 + Math.floor(rnd() * 3);
    let path = '';
    for (let d = 0; d < depth; d++) path += `/n${Math.floor(rnd() * 4)}`;
    const existing = t.db.tree.exists(path);
    const roll = rnd();
    if (!existing) {
      const parent = path.slice(0, path.lastIndexOf('/')) || '/';
      if (!t.db.tree.exists(parent) || t.db.tree.nodeInfo(parent)!.kind === 1) continue;
      const kind = rnd();
      const owner = kind < 0.2 ? sessions[Math.floor(rnd() * 2)]! : kind < 0.3 ? CONTAINER_EPHEMERAL_OWNER : kind < 0.35 ? ttlOwner(100) : 0n;
      t.create(path, rnd() < 0.1 ? null : 'd'.repeat(Math.floor(rnd() * 20)), { acl: acls[Math.floor(rnd() * 2)]!, owner });
    } else if (roll < 0.4) {
      t.setData(path, 'v' + i);
    } else if (roll < 0.5) {
      t.setAcl(path, acls[Math.floor(rnd() * 2)]!);
    } else if (roll < 0.8 && t.db.tree.stat(path)!.numChildren === 0) {
      t.delete(path);
    } else if (roll < 0.82) {
      const s = sessions[Math.floor(rnd() * 2)]!;
      t.closeSession(s);
      t.openSession(s);
    }
  }
}

test('the incremental digest always equals a digest recomputed from scratch', () => {
  const t = new TxnDriver();
  assert.equal(t.db.digest(), t.db.tree.recomputeDigest());
  for (let round = 0; round < 20; round++) {
    randomOps(t, 50, round + 1);
    assert.equal(t.db.digest(), t.db.tree.recomputeDigest(), `after round ${round}`);
  }
});

test('the digest depends on the set of znodes, not on the order they were inserted', () => {
  const t = new TxnDriver();
  randomOps(t, 400, 42);
  const records: NodeRecord[] = [];
  for (let s = 0; s < t.db.tree.store.highWater; s++) if (t.db.tree.store.isLive(s)) records.push(t.db.tree.recordOf(s));
  const build = (order: NodeRecord[]): bigint => {
    const tree = new DataTree({}, true);
    for (const [id, list] of t.db.tree.acls.entries()) tree.acls.restore(id, list);
    for (const r of order) tree.insertRecord(r, false);
    tree.linkAll();
    assert.equal(tree.digest(), tree.recomputeDigest());
    return tree.digest();
  };
  const rnd = prng(7);
  const shuffled = [...records].sort(() => rnd() - 0.5);
  assert.equal(build(records), t.db.digest());
  assert.equal(build([...records].reverse()), t.db.digest());
  assert.equal(build(shuffled), t.db.digest());
});

test('the digest tells different trees apart', () => {
  const a = new TxnDriver();
  const b = new TxnDriver();
  a.create('/x', 'same');
  b.create('/x', 'same');
  assert.equal(a.db.digest(), b.db.digest(), 'same history, same digest');
  a.setData('/x', 'one');
  b.setData('/x', 'two');
  assert.notEqual(a.db.digest(), b.db.digest(), 'data differs');
  const c = new TxnDriver();
  c.create('/x', 'same');
  c.setAcl('/x', [{ perms: Perms.READ, id: { scheme: 'world', id: 'anyone' } }]);
  const d = new TxnDriver();
  d.create('/x', 'same');
  d.setAcl('/x', [{ perms: Perms.WRITE, id: { scheme: 'world', id: 'anyone' } }]);
  assert.notEqual(c.db.digest(), d.db.digest(), 'ACL differs');
  assert.notEqual(new TxnDriver().db.digest(), a.db.digest());
});

test('serialize/deserialize round-trips everything: stats, counters, raw owners, ACLs, sessions, lastZxid', () => {
  const t = new TxnDriver();
  randomOps(t, 600, 3);
  t.create('/seq');
  t.create('/seq/a');
  t.delete('/seq/a'); // the internal counter (1) differs from what cversion alone shows
  const bytes = t.db.serialize();
  const copy = ZkDatabase.deserialize(bytes);
  assert.equal(dumpTree(copy), dumpTree(t.db));
  assert.equal(copy.digest(), t.db.digest());
  assert.equal(copy.lastZxid, t.db.lastZxid);
  assert.equal(copy.tree.nodeInfo('/seq')!.cversion, 1);
  assert.equal(copy.tree.nodeCount, t.db.tree.nodeCount);
  assert.equal(copy.tree.approximateDataSize, t.db.tree.approximateDataSize);
  assert.equal(copy.tree.ephemeralsCount, t.db.tree.ephemeralsCount);
  for (const s of [0x101n, 0x102n]) assert.deepEqual(copy.tree.getEphemerals(s).sort(), t.db.tree.getEphemerals(s).sort());
  assert.deepEqual(copy.reapCandidates(t.time + 1000), t.db.reapCandidates(t.time + 1000));
  assert.deepEqual(copy.serialize(), bytes, 'serializing the copy gives the same bytes');
  // The copy keeps working: the same txns give the same state.
  const t2 = new TxnDriver(copy);
  t2.time = t.time;
  randomOps(t, 100, 9);
  randomOps(t2, 100, 9);
  assert.equal(dumpTree(copy), dumpTree(t.db));
});

test('an incremental snapshot is exactly the state at its zxid, whatever apply does meanwhile', () => {
  const t = new TxnDriver();
  randomOps(t, 800, 11);
  const expected = t.db.serialize();
  const zxid = t.db.lastZxid;
  const snap = t.db.beginSnapshot();
  assert.equal(snap.zxid, zxid);
  const chunks: Buffer[] = [];
  let round = 0;
  for (let chunk = snap.nextChunk(7); chunk !== null; chunk = snap.nextChunk(7)) {
    chunks.push(chunk);
    randomOps(t, 15, 100 + round++); // creates, deletes, setData, setACL, session closes between chunks
  }
  assert.ok(round > 5, 'the snapshot really was taken in many steps');
  assert.ok(t.db.lastZxid > zxid);
  const bytes = Buffer.concat(chunks);
  assert.deepEqual(bytes, expected);
  const restored = ZkDatabase.deserialize(bytes);
  assert.equal(restored.lastZxid, zxid);
  // After the snapshot finished, slots are recycled again and a new snapshot sees the new state.
  randomOps(t, 50, 999);
  assert.equal(dumpTree(ZkDatabase.deserialize(t.db.serialize())), dumpTree(t.db));
});

test('only one snapshot at a time; cancel releases the tree', () => {
  const t = new TxnDriver();
  t.create('/a');
  const s1 = t.db.beginSnapshot();
  assert.throws(() => t.db.beginSnapshot(), /already in progress/);
  s1.cancel();
  t.create('/b');
  const bytes = t.db.serialize();
  assert.ok(ZkDatabase.deserialize(bytes).tree.exists('/b'));
});

test('corrupt or truncated snapshots are refused with a SnapshotError', () => {
  const t = new TxnDriver();
  randomOps(t, 200, 5);
  const bytes = t.db.serialize();
  assert.throws(() => ZkDatabase.deserialize(bytes.subarray(0, bytes.length - 3)), SnapshotError);
  assert.throws(() => ZkDatabase.deserialize(bytes.subarray(0, 40)), SnapshotError);
  assert.throws(() => ZkDatabase.deserialize(Buffer.from('not a snapshot at all')), /bad magic/);
  // Flip a byte inside some znode's data: the digest check catches it.
  const i = bytes.indexOf(Buffer.from('dddd'));
  assert.ok(i > 0);
  const flipped = Buffer.from(bytes);
  flipped[i] = 0x65;
  assert.throws(() => ZkDatabase.deserialize(flipped), /digest mismatch/);
});

test('a snapshot of a tree with a znode missing its parent is refused', () => {
  const tree = new DataTree({}, true);
  tree.acls.restore(0, [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }]);
  const rec = (path: string): NodeRecord => ({
    path, data: null, aclId: 0, czxid: 0, mzxid: 0, pzxid: 0, ctime: 0, mtime: 0,
    version: 0, cversion: 0, aversion: 0, ownerHi: 0, ownerLo: 0,
  });
  tree.insertRecord(rec('/'), false);
  tree.insertRecord(rec('/a/b'), false);
  assert.throws(() => tree.linkAll(), /no parent/);
  assert.throws(() => tree.insertRecord(rec('/'), false), /duplicate znode/);
});

test('data of every byte value survives a snapshot', () => {
  const t = new TxnDriver();
  const bytes = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 7) & 0xff));
  t.apply({ op: OpCode.create, path: '/b', data: bytes, acl: [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }], ephemeralOwner: 0n });
  t.apply({ op: OpCode.create, path: '/é', data: null, acl: [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }], ephemeralOwner: 0n });
  const copy = ZkDatabase.deserialize(t.db.serialize());
  assert.deepEqual(copy.tree.getData('/b')!.data, bytes);
  assert.equal(copy.tree.getData('/é')!.data, null);
});

test('a snapshot record with an invalid path is refused', () => {
  const t = new TxnDriver();
  t.create('/abc');
  const bytes = t.db.serialize();
  const i = bytes.indexOf(Buffer.from('/abc'));
  const bad = Buffer.from(bytes);
  bad.write('xabc', i, 'latin1');
  assert.throws(() => ZkDatabase.deserialize(bad), /invalid path "xabc"/);
});

test('the same final state reached by applying ops in different orders has the same digest', () => {
  // Inside one multi every op shares a zxid, so independent ops can be permuted without
  // changing the final state — but they land in different slots, in a different order.
  const ops = [
    { op: OpCode.create, path: '/x', data: Buffer.from('1'), acl: [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }], ephemeralOwner: 0n },
    { op: OpCode.create, path: '/y', data: null, acl: [{ perms: 1, id: { scheme: 'world', id: 'anyone' } }], ephemeralOwner: 0n },
    { op: OpCode.create, path: '/x/k', data: Buffer.from('kk'), acl: [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }], ephemeralOwner: 0n },
    { op: OpCode.setData, path: '/base', data: Buffer.from('new'), version: 1 },
  ] as const;
  const orders = [
    [0, 1, 2, 3],
    [3, 1, 0, 2],
    [1, 0, 3, 2],
  ];
  const digests = orders.map((order) => {
    const t = new TxnDriver();
    t.create('/base', 'old');
    t.create('/gap');
    t.delete('/gap'); // a free slot to recycle, so slot assignment differs with the order
    t.apply({ op: OpCode.multi, txns: order.map((i) => ({ ...ops[i]! }) as never) });
    return { digest: t.db.digest(), dump: dumpTree(t.db) };
  });
  assert.equal(new Set(digests.map((d) => d.dump)).size, 1, 'the final states are identical');
  assert.equal(new Set(digests.map((d) => d.digest)).size, 1, 'and so are the digests');
});

test('a snapshot loads the same from the pieces a store keeps it in, wherever they are cut', () => {
  const t = new TxnDriver();
  t.openSession(0x1234n);
  t.create('/a', 'x'.repeat(300));
  t.create('/a/ünïcode', null);
  t.create('/a/e', 'eph', { owner: 0x1234n });
  for (let i = 0; i < 20; i++) t.create(`/a/n${i}`, `v${i}`);
  const bytes = t.db.serialize();
  const expected = dumpTree(t.db);
  // Every single cut point, then pieces of every size from 1 to 9 bytes (values straddle
  // cuts in every possible way), plus empty pieces in between.
  const cuts: Buffer[][] = [];
  for (let at = 0; at <= bytes.length; at++) cuts.push([bytes.subarray(0, at), bytes.subarray(at)]);
  for (let size = 1; size < 10; size++) {
    const pieces: Buffer[] = [];
    for (let at = 0; at < bytes.length; at += size) pieces.push(bytes.subarray(at, at + size), Buffer.alloc(0));
    cuts.push(pieces);
  }
  for (const pieces of cuts) {
    const copy = ZkDatabase.deserialize(pieces);
    assert.equal(dumpTree(copy), expected);
    assert.equal(copy.digestHex(), t.db.digestHex());
  }
  // Pieces that stop short are refused like a short buffer.
  assert.throws(() => ZkDatabase.deserialize([bytes.subarray(0, 100), bytes.subarray(100, bytes.length - 3)]), SnapshotError);
});
