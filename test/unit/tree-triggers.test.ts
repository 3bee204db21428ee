/**
 * Watch triggers produced by apply (wire-protocol.md §12.2 order, §12.3 delivery ACL),
 * session close (ephemerals deleted in path order, §13.2) and getEphemerals (§9).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { EventType, OpCode, Perms, type ACL } from '../../engine/src/jute/index.js';
import { OPEN, TxnDriver, createTxn } from './helpers-tree/txns.js';

const READ_ONLY: ACL[] = [{ perms: Perms.READ, id: { scheme: 'digest', id: 'bob:x' } }];
const SECRET: ACL[] = [{ perms: Perms.ALL, id: { scheme: 'digest', id: 'alice:y' } }];

const brief = (ts: { path: string; type: number; acl: readonly ACL[] }[]) => ts.map((t) => [t.type, t.path, t.acl]);

test('create: NodeCreated(P) with P\'s ACL, then NodeChildrenChanged(parent) with the parent\'s ACL', () => {
  const t = new TxnDriver();
  t.create('/p', '', { acl: READ_ONLY });
  const r = t.create('/p/c', '', { acl: SECRET });
  assert.deepEqual(brief(r.triggers), [
    [EventType.NodeCreated, '/p/c', SECRET],
    [EventType.NodeChildrenChanged, '/p', READ_ONLY],
  ]);
  assert.deepEqual(brief(t.create('/top').triggers)[1], [EventType.NodeChildrenChanged, '/', OPEN]);
});

test('delete: NodeDeleted(P) with P\'s old ACL, then NodeChildrenChanged(parent)', () => {
  const t = new TxnDriver();
  t.create('/p', '', { acl: READ_ONLY });
  t.create('/p/c', '', { acl: SECRET });
  assert.deepEqual(brief(t.delete('/p/c').triggers), [
    [EventType.NodeDeleted, '/p/c', SECRET],
    [EventType.NodeChildrenChanged, '/p', READ_ONLY],
  ]);
});

test('setData fires NodeDataChanged; setACL and failures fire nothing', () => {
  const t = new TxnDriver();
  t.create('/a', '', { acl: SECRET });
  assert.deepEqual(brief(t.setData('/a', 'x').triggers), [[EventType.NodeDataChanged, '/a', SECRET]]);
  assert.deepEqual(t.setAcl('/a', OPEN).triggers, []);
  assert.deepEqual(t.create('/a').triggers, []);
});

test('a multi fires per applied sub-op, in op order', () => {
  const t = new TxnDriver();
  t.create('/m');
  const r = t.apply({
    op: OpCode.multi,
    txns: [createTxn('/m/a'), { op: OpCode.setData, path: '/m/a', data: Buffer.from('1'), version: 1 }, { op: OpCode.delete, path: '/m/a' }],
  });
  assert.deepEqual(
    r.triggers.map((x) => [x.type, x.path]),
    [
      [EventType.NodeCreated, '/m/a'],
      [EventType.NodeChildrenChanged, '/m'],
      [EventType.NodeDataChanged, '/m/a'],
      [EventType.NodeDeleted, '/m/a'],
      [EventType.NodeChildrenChanged, '/m'],
    ],
  );
});

test('closeSession deletes the session\'s ephemerals in path order, like deletes, and forgets the session', () => {
  const t = new TxnDriver();
  const s1 = 0x100n;
  const s2 = 0x200n;
  t.openSession(s1);
  t.openSession(s2);
  t.create('/q');
  t.create('/q/z', '', { owner: s1 });
  t.create('/q/a', '', { owner: s1 });
  t.create('/b', '', { owner: s1 });
  t.create('/q/other', '', { owner: s2 });
  assert.equal(t.db.tree.ephemeralsCount, 4);
  const r = t.closeSession(s1);
  assert.deepEqual(r.result, { op: 'closeSession', deleted: ['/b', '/q/a', '/q/z'] });
  assert.deepEqual(
    r.triggers.map((x) => [x.type, x.path]),
    [
      [EventType.NodeDeleted, '/b'],
      [EventType.NodeChildrenChanged, '/'],
      [EventType.NodeDeleted, '/q/a'],
      [EventType.NodeChildrenChanged, '/q'],
      [EventType.NodeDeleted, '/q/z'],
      [EventType.NodeChildrenChanged, '/q'],
    ],
  );
  assert.equal(t.db.tree.stat('/q')!.pzxid, t.zxid, 'the parent pzxid moves like a delete');
  assert.equal(t.db.session(s1), undefined);
  assert.ok(t.db.session(s2));
  assert.equal(t.db.tree.ephemeralsCount, 1);
  assert.deepEqual(t.db.tree.getEphemerals(s2), ['/q/other']);
});

test('createSession records timeout and password', () => {
  const t = new TxnDriver();
  t.openSession(0x42n, 12000);
  assert.deepEqual(t.db.session(0x42n), { id: 0x42n, timeout: 12000, passwd: Buffer.alloc(16, 7) });
  assert.equal(t.db.sessionCount, 1);
});

test('getEphemerals: a null, empty, blank or "/" prefix means all; otherwise a plain string prefix', () => {
  const t = new TxnDriver();
  const sid = 7n;
  t.openSession(sid);
  for (const p of ['/eph1', '/eph3', '/x', '/e']) t.create(p, '', { owner: sid });
  const all = ['/e', '/eph1', '/eph3', '/x'];
  for (const prefix of [null, '', '  ', '/']) assert.deepEqual(t.db.tree.getEphemerals(sid, prefix).sort(), all);
  assert.deepEqual(t.db.tree.getEphemerals(sid, '/e').sort(), ['/e', '/eph1', '/eph3']);
  assert.deepEqual(t.db.tree.getEphemerals(sid, '/eph3'), ['/eph3']);
  assert.deepEqual(t.db.tree.getEphemerals(99n), []);
});
