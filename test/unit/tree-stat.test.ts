/**
 * DataTree Stat rules (wire-protocol.md §11), reserved nodes (§8.2) and the gauges
 * ZooKeeper reports (node count, approximate data size; §16), checked through apply().
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { CONTAINER_EPHEMERAL_OWNER, Err, JuteWriter, OpCode, Perms, Stat } from '../../engine/src/jute/index.js';
import { ZkDatabase, ttlOwner } from '../../engine/src/tree/index.js';
import { OPEN, TxnDriver, createTxn } from './helpers-tree/txns.js';

test('a fresh database holds exactly the reserved nodes with ZooKeeper 3.8 stats', () => {
  const db = new ZkDatabase();
  assert.equal(db.lastZxid, 0n);
  assert.equal(db.tree.nodeCount, 5, 'the root counts twice, as in ZooKeeper');
  assert.equal(db.tree.approximateDataSize, 44, '"" + "/" + /zookeeper + /zookeeper/quota + /zookeeper/config path lengths');
  const zero = { czxid: 0n, mzxid: 0n, ctime: 0n, mtime: 0n, version: 0, aversion: 0, ephemeralOwner: 0n, dataLength: 0, pzxid: 0n };
  assert.deepEqual(db.tree.stat('/'), { ...zero, cversion: -1, numChildren: 1 });
  assert.deepEqual(db.tree.stat(''), db.tree.stat('/'), '"" is the root alias');
  assert.deepEqual(db.tree.stat('/zookeeper'), { ...zero, cversion: -2, numChildren: 2 });
  assert.deepEqual(db.tree.stat('/zookeeper/quota'), { ...zero, cversion: 0, numChildren: 0 });
  assert.deepEqual(db.tree.stat('/zookeeper/config'), { ...zero, cversion: 0, numChildren: 0, aversion: -1 });
  assert.deepEqual(db.tree.getACL('/zookeeper/config')!.acl, [{ perms: Perms.READ, id: { scheme: 'world', id: 'anyone' } }]);
  assert.deepEqual(db.tree.getACL('/')!.acl, OPEN);
  assert.deepEqual(db.tree.getChildren('/zookeeper')!.children.sort(), ['config', 'quota']);
  assert.equal(db.tree.getData('/')!.data!.length, 0, 'reserved nodes hold empty (not null) data');
});

test('the ensemble config can seed /zookeeper/config', () => {
  const db = new ZkDatabase({ configData: Buffer.from('server.1=a:1:2\nversion=0') });
  assert.equal(db.tree.getData('/zookeeper/config')!.data!.toString(), 'server.1=a:1:2\nversion=0');
  assert.equal(db.tree.approximateDataSize, 44 + 24);
});

test('create stamps czxid/mzxid/pzxid and times; the parent gets pzxid and cversion', () => {
  const t = new TxnDriver();
  t.time = 1234;
  const r = t.create('/a', 'hi');
  assert.equal(r.result.op, 'create');
  assert.deepEqual(t.db.tree.stat('/a'), {
    czxid: 1n, mzxid: 1n, pzxid: 1n, ctime: 1234n, mtime: 1234n,
    version: 0, cversion: 0, aversion: 0, ephemeralOwner: 0n, dataLength: 2, numChildren: 0,
  });
  const root = t.db.tree.stat('/')!;
  assert.equal(root.pzxid, 1n);
  assert.equal(root.cversion, 0, '2×1 − 2 children');
  assert.equal(root.mzxid, 0n, 'a child create does not touch mzxid');
  assert.equal(t.db.lastZxid, 1n);
});

test('reported cversion = 2 × child creates − numChildren, i.e. creates + deletes', () => {
  const t = new TxnDriver();
  t.create('/p');
  t.create('/p/a');
  assert.equal(t.db.tree.stat('/p')!.cversion, 1);
  t.create('/p/s1');
  t.create('/p/s2');
  assert.equal(t.db.tree.stat('/p')!.cversion, 3);
  t.delete('/p/a');
  assert.equal(t.db.tree.stat('/p')!.cversion, 4);
  assert.equal(t.db.tree.nodeInfo('/p')!.cversion, 3, 'the internal counter counts creates only');
  assert.equal(t.db.tree.stat('/p')!.numChildren, 2);
});

test('pzxid moves on child create/delete only: not on setData of a child, not for grandchildren, not on failures', () => {
  const t = new TxnDriver();
  t.create('/p'); // 1
  t.create('/p/c'); // 2
  t.setData('/p/c', 'x'); // 3
  assert.equal(t.db.tree.stat('/p')!.pzxid, 2n);
  t.create('/p/c/g'); // 4
  assert.equal(t.db.tree.stat('/p')!.pzxid, 2n, 'grandchild');
  assert.equal(t.db.tree.stat('/p/c')!.pzxid, 4n);
  const dup = t.create('/p/c'); // 5: fails
  assert.deepEqual(dup.result, { op: 'error', err: Err.NodeExists });
  assert.equal(t.db.tree.stat('/p')!.pzxid, 2n);
  assert.equal(t.db.lastZxid, 5n, 'a failed txn still advances lastZxid');
  t.delete('/p/c/g'); // 6
  t.delete('/p/c'); // 7
  assert.equal(t.db.tree.stat('/p')!.pzxid, 7n);
});

test('setData bumps version, mzxid and mtime; setACL bumps aversion only', () => {
  const t = new TxnDriver();
  t.create('/a', 'one');
  t.time += 50;
  const r = t.setData('/a', 'three');
  assert.equal(r.result.op, 'setData');
  const s = t.db.tree.stat('/a')!;
  assert.equal(s.version, 1);
  assert.equal(s.mzxid, 2n);
  assert.equal(s.czxid, 1n);
  assert.equal(s.mtime - s.ctime, 50n);
  assert.equal(s.dataLength, 5);
  assert.equal(t.db.tree.approximateDataSize, 44 + 2 + 5);
  const acl = [{ perms: Perms.READ, id: { scheme: 'world', id: 'anyone' } }];
  const a = t.setAcl('/a', acl);
  assert.equal(a.triggers.length, 0, 'setACL fires no watch (§12.2)');
  const s2 = t.db.tree.stat('/a')!;
  assert.equal(s2.aversion, 1);
  assert.equal(s2.mzxid, 2n, 'setACL does not change mzxid');
  assert.equal(s2.mtime, s.mtime, 'setACL does not change mtime');
  assert.deepEqual(t.db.tree.getACL('/a')!.acl, acl);
});

test('null data and empty data are kept apart; both have dataLength 0', () => {
  const t = new TxnDriver();
  t.create('/n', null);
  t.create('/e', '');
  assert.equal(t.db.tree.getData('/n')!.data, null);
  assert.deepEqual(t.db.tree.getData('/e')!.data, Buffer.alloc(0));
  assert.equal(t.db.tree.stat('/n')!.dataLength, 0);
  t.setData('/e', null);
  assert.equal(t.db.tree.getData('/e')!.data, null);
});

test('binary data survives byte for byte', () => {
  const t = new TxnDriver();
  const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  t.apply({ op: OpCode.create, path: '/bin', data: bytes, acl: OPEN, ephemeralOwner: 0n });
  assert.deepEqual(t.db.tree.getData('/bin')!.data, bytes);
  assert.equal(t.db.tree.stat('/bin')!.dataLength, 256);
});

test('ephemeralOwner: the session for ephemerals, 0 for persistent, container and TTL nodes', () => {
  const t = new TxnDriver();
  const sid = 0x0100000c7c2a0001n;
  t.openSession(sid);
  t.create('/e', '', { owner: sid });
  t.create('/c', '', { owner: CONTAINER_EPHEMERAL_OWNER });
  t.create('/t', '', { owner: ttlOwner(5000) });
  assert.equal(t.db.tree.stat('/e')!.ephemeralOwner, sid);
  assert.equal(t.db.tree.stat('/c')!.ephemeralOwner, 0n);
  assert.equal(t.db.tree.stat('/t')!.ephemeralOwner, 0n);
  assert.equal(t.db.tree.nodeInfo('/c')!.owner, CONTAINER_EPHEMERAL_OWNER, 'the raw owner is kept');
  assert.equal(t.db.tree.ephemeralsCount, 1);
});

test('a multi stamps every sub-op with the same zxid', () => {
  const t = new TxnDriver();
  t.create('/m');
  const r = t.apply({
    op: OpCode.multi,
    txns: [createTxn('/m/a'), createTxn('/m/b'), { op: OpCode.setData, path: '/m', data: Buffer.from('x'), version: 1 }],
  });
  assert.equal(r.result.op, 'multi');
  assert.equal(t.db.tree.stat('/m/a')!.czxid, 2n);
  assert.equal(t.db.tree.stat('/m/b')!.czxid, 2n);
  assert.equal(t.db.tree.stat('/m')!.mzxid, 2n);
  assert.equal(t.db.tree.stat('/m')!.pzxid, 2n);
});

test('node count and data size follow creates and deletes; getAllChildrenNumber counts descendants', () => {
  const t = new TxnDriver();
  t.create('/a', '12345');
  t.create('/a/b', 'xy');
  t.create('/a/b/c');
  assert.equal(t.db.tree.nodeCount, 8);
  assert.equal(t.db.tree.approximateDataSize, 44 + (2 + 5) + (4 + 2) + 6);
  assert.equal(t.db.tree.allChildrenNumber('/a'), 2);
  assert.equal(t.db.tree.allChildrenNumber('/'), 6, 'everything but the root, /zookeeper included');
  assert.equal(t.db.tree.allChildrenNumber('/a/b/c'), 0);
  assert.equal(t.db.tree.allChildrenNumber('/nope'), null);
  t.delete('/a/b/c');
  assert.equal(t.db.tree.nodeCount, 7);
  assert.equal(t.db.tree.approximateDataSize, 44 + 7 + 6);
});

test('children are listed by name; deleted slots are recycled without confusing the index', () => {
  const t = new TxnDriver();
  t.create('/p');
  for (let i = 0; i < 50; i++) t.create(`/p/c${i}`);
  for (let i = 0; i < 50; i += 2) t.delete(`/p/c${i}`);
  for (let i = 0; i < 10; i++) t.create(`/q${i}`);
  const kids = t.db.tree.getChildren('/p')!.children.sort();
  assert.deepEqual(kids, Array.from({ length: 25 }, (_, i) => `c${2 * i + 1}`).sort());
  for (let i = 0; i < 50; i++) assert.equal(t.db.tree.exists(`/p/c${i}`), i % 2 === 1);
  for (let i = 0; i < 10; i++) assert.equal(t.db.tree.getChildren(`/q${i}`)!.children.length, 0);
  assert.equal(t.db.tree.stat('/p')!.numChildren, 25);
});

test('apply refuses zxids that do not move forward, and changes nothing', () => {
  const t = new TxnDriver();
  t.create('/a');
  const before = t.db.digest();
  assert.throws(() => t.db.apply({ zxid: 1n, sessionId: 0n, cxid: 0, time: 0, txn: createTxn('/b') }), /not after the last applied/);
  assert.equal(t.db.tree.exists('/b'), false);
  assert.equal(t.db.digest(), before);
});

test('txns that do not fit the tree are refused with an error result and change nothing', () => {
  const t = new TxnDriver();
  const before = t.db.digest();
  assert.deepEqual(t.create('/no/parent').result, { op: 'error', err: Err.NoNode });
  assert.deepEqual(t.delete('/nothing').result, { op: 'error', err: Err.NoNode });
  assert.deepEqual(t.delete('/zookeeper').result, { op: 'error', err: Err.NotEmpty });
  assert.deepEqual(t.delete('/').result, { op: 'error', err: Err.BadArguments });
  assert.deepEqual(t.apply({ op: OpCode.setData, path: '/x', data: null, version: 1 }).result, { op: 'error', err: Err.NoNode });
  assert.equal(t.db.digest(), before);
  // A multi whose second op cannot apply changes nothing at all.
  const r = t.apply({ op: OpCode.multi, txns: [createTxn('/m'), createTxn('/m'), createTxn('/k')] });
  assert.deepEqual(r.result, {
    op: 'multi',
    results: [
      { op: 'error', err: Err.Ok },
      { op: 'error', err: Err.NodeExists },
      { op: 'error', err: Err.RuntimeInconsistency },
    ],
  });
  assert.equal(r.triggers.length, 0);
  assert.equal(t.db.tree.exists('/m'), false);
  assert.equal(t.db.digest(), before);
});

test('an error txn and a failed multi apply as results only', () => {
  const t = new TxnDriver();
  const before = t.db.digest();
  assert.deepEqual(t.apply({ op: OpCode.error, err: Err.BadVersion }).result, { op: 'error', err: Err.BadVersion });
  const r = t.apply({
    op: OpCode.multi,
    txns: [
      { op: OpCode.error, err: Err.Ok },
      { op: OpCode.error, err: Err.BadVersion },
      { op: OpCode.error, err: Err.RuntimeInconsistency },
    ],
  });
  assert.deepEqual(r.result, {
    op: 'multi',
    results: [
      { op: 'error', err: 0 },
      { op: 'error', err: -103 },
      { op: 'error', err: -2 },
    ],
  });
  assert.equal(t.db.lastZxid, 2n);
  assert.equal(t.db.digest(), before);
});

test('create results say whether multi must report type 15 (container or TTL)', () => {
  const t = new TxnDriver();
  const plain = t.create('/p').result;
  const container = t.create('/c', '', { owner: CONTAINER_EPHEMERAL_OWNER }).result;
  const ttl = t.create('/t', '', { owner: ttlOwner(1) }).result;
  assert.ok(plain.op === 'create' && !plain.extended);
  assert.ok(container.op === 'create' && container.extended);
  assert.ok(ttl.op === 'create' && ttl.extended);
});

test('a check txn reports the node Stat (standalone check reply, §14.3)', () => {
  const t = new TxnDriver();
  t.create('/a', 'v');
  const r = t.apply({ op: OpCode.check, path: '/a', version: 0 });
  assert.deepEqual(r.result, { op: 'check', stat: t.db.tree.stat('/a')! });
  assert.equal(r.triggers.length, 0);
});

test('writeStat/writeData write exactly what Stat.write(statOfSlot) and the data buffer would', () => {
  const t = new TxnDriver();
  t.create('/p', 'parent');
  t.create('/p/a', 'x'.repeat(100));
  t.create('/p/nul', null);
  t.create('/p/eph', 'e', { owner: 0x0100000c7c2a0001n });
  t.create('/p/neg', 'n', { owner: -0x7eadbeef12345678n });
  t.create('/p/cont', '', { owner: CONTAINER_EPHEMERAL_OWNER });
  t.create('/p/ttl', 't', { owner: ttlOwner(60_000) });
  t.setData('/p/a', '\u00ff\u0000bin');
  t.delete('/p/nul');
  t.create('/p/nul', null);
  const tree = t.db.tree;
  for (const path of ['/', '/zookeeper', '/zookeeper/config', '/p', '/p/a', '/p/nul', '/p/eph', '/p/neg', '/p/cont', '/p/ttl']) {
    const slot = tree.slotOf(path);
    const fast = new JuteWriter(8);
    tree.writeData(slot, fast);
    tree.writeStat(slot, fast);
    const slow = new JuteWriter(8).buffer(tree.getData(path)!.data);
    Stat.write(slow, tree.statOfSlot(slot));
    assert.deepEqual(fast.toBuffer(), slow.toBuffer(), path);
  }
});
