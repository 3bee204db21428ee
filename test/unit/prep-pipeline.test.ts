/**
 * Prep without the oracle: the pending-changes overlay (pipelined writes prepared before
 * the earlier ones are applied), committed()/reset(), sessions, reaping, the §18 cases
 * ZooKeeper 3.8.0 gets wrong, and options.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  CheckVersionRequest,
  CONTAINER_EPHEMERAL_OWNER,
  CreateRequest,
  CreateTTLRequest,
  DeleteRequest,
  Err,
  OpCode,
  Perms,
  SetDataRequest,
  type ACL,
  type Id,
} from '../../engine/src/jute/index.js';
import { Prep, encodeCreateSessionBody, type PrepOptions } from '../../engine/src/server/prep/index.js';
import { DataTree, ZkDatabase, ttlOwner, type Txn, type TxnEntry } from '../../engine/src/tree/index.js';
import { encodeMulti } from '../helpers/raw-multi.js';

const OPEN: ACL[] = [{ perms: Perms.ALL, id: { scheme: 'world', id: 'anyone' } }];
const SID = 0x0100000c7c2a0000n;

class Harness {
  readonly db = new ZkDatabase();
  readonly prep: Prep;
  zxid = 0n;
  time = 1_000_000;
  constructor(options: PrepOptions = {}, sessions: bigint[] = [SID]) {
    this.prep = new Prep(this.db, options);
    for (const s of sessions) this.apply(this.prep.prepareCreateSession(s, 30000, Buffer.alloc(16, 1), ++this.zxid, this.time));
  }
  /** Prepares without applying (the txn is "in flight"). */
  prepare(op: number, body: Buffer, opts: { sessionId?: bigint; authIds?: Id[] } = {}): TxnEntry {
    return this.prep.prepare({ sessionId: opts.sessionId ?? SID, cxid: 1, op, body, authIds: opts.authIds ?? [] }, ++this.zxid, this.time);
  }
  apply(e: TxnEntry) {
    const r = this.db.apply(e);
    this.prep.committed(e.zxid);
    return r;
  }
  run(op: number, body: Buffer, opts: { sessionId?: bigint; authIds?: Id[] } = {}) {
    return this.apply(this.prepare(op, body, opts));
  }
}

const create = (path: string, flags = 0, acl: ACL[] = OPEN) => CreateRequest.encode({ path, data: Buffer.from('x'), acl, flags });
const errOf = (t: Txn): number => (t.op === OpCode.error ? t.err : 0);

test('two pipelined creates of one path: the second gets NodeExists before the first is applied', () => {
  const h = new Harness();
  const a = h.prepare(OpCode.create, create('/p'));
  const b = h.prepare(OpCode.create, create('/p'));
  assert.equal(a.txn.op, OpCode.create);
  assert.equal(errOf(b.txn), Err.NodeExists);
  assert.equal(h.apply(a).result.op, 'create');
  assert.deepEqual(h.apply(b).result, { op: 'error', err: Err.NodeExists });
});

test('pipelined sequential creates keep counting; a pipelined delete of a pending node works', () => {
  const h = new Harness();
  const entries = [
    h.prepare(OpCode.create, create('/q')),
    h.prepare(OpCode.create, create('/q/s-', 2)),
    h.prepare(OpCode.create, create('/q/s-', 2)),
    h.prepare(OpCode.create, create('/q/child')),
    h.prepare(OpCode.delete, DeleteRequest.encode({ path: '/q/child', version: 0 })),
    h.prepare(OpCode.create, create('/q/s-', 2)),
    h.prepare(OpCode.delete, DeleteRequest.encode({ path: '/q', version: -1 })),
  ];
  assert.deepEqual(
    entries.map((e) => (e.txn.op === OpCode.create ? e.txn.path : errOf(e.txn))),
    ['/q', '/q/s-0000000000', '/q/s-0000000001', '/q/child', 0, '/q/s-0000000003', Err.NotEmpty],
  );
  for (const e of entries) h.apply(e);
  assert.deepEqual(h.db.tree.getChildren('/q')!.children.sort(), ['s-0000000000', 's-0000000001', 's-0000000003']);
  assert.equal(h.prep.pendingCount, 0, 'every change committed');
});

test('pipelined setData versions chain; BadVersion against the pending version', () => {
  const h = new Harness();
  h.run(OpCode.create, create('/v'));
  const s1 = h.prepare(OpCode.setData, SetDataRequest.encode({ path: '/v', data: null, version: 0 }));
  const s2 = h.prepare(OpCode.setData, SetDataRequest.encode({ path: '/v', data: null, version: 1 }));
  const s3 = h.prepare(OpCode.setData, SetDataRequest.encode({ path: '/v', data: null, version: 1 }));
  assert.ok(s1.txn.op === OpCode.setData && s1.txn.version === 1);
  assert.ok(s2.txn.op === OpCode.setData && s2.txn.version === 2);
  assert.equal(errOf(s3.txn), Err.BadVersion);
});

test('committed(zxid) keeps later changes to the same path; reset() forgets everything pending', () => {
  const h = new Harness();
  const a = h.prepare(OpCode.create, create('/r'));
  const b = h.prepare(OpCode.delete, DeleteRequest.encode({ path: '/r', version: -1 }));
  h.db.apply(a);
  h.prep.committed(a.zxid);
  // The pending delete (zxid b) still hides /r from new requests.
  assert.equal(errOf(h.prepare(OpCode.setData, SetDataRequest.encode({ path: '/r', data: null, version: -1 })).txn), Err.NoNode);
  h.prep.reset();
  assert.equal(h.prep.pendingCount, 0);
  // After a reset prep sees only the database: /r exists again for it.
  assert.equal(h.prepare(OpCode.setData, SetDataRequest.encode({ path: '/r', data: null, version: -1 })).txn.op, OpCode.setData);
  void b;
});

test('a failed multi leaves nothing in the overlay; a successful one publishes all its ops', () => {
  const h = new Harness();
  const failed = h.prepare(
    OpCode.multi,
    encodeMulti([
      { op: 'create', path: '/m', data: null, acl: OPEN, flags: 0 },
      { op: 'create', path: '/m/x', data: null, acl: OPEN, flags: 0 },
      { op: 'check', path: '/m', version: 3 },
    ]),
  );
  assert.ok(failed.txn.op === OpCode.multi);
  assert.deepEqual(failed.txn.txns.map(errOf), [0, 0, Err.BadVersion]);
  assert.equal(h.prep.pendingCount, 0);
  const ok = h.prepare(OpCode.multi, encodeMulti([{ op: 'create', path: '/m', data: null, acl: OPEN, flags: 0 }]));
  assert.ok(ok.txn.op === OpCode.multi && ok.txn.txns[0]!.op === OpCode.create);
  assert.equal(errOf(h.prepare(OpCode.create, create('/m')).txn), Err.NodeExists);
});

test('§18: createTTL with a non-TTL mode is BadArguments even with ttl −1, and nothing unreadable is produced', () => {
  const h = new Harness({ extendedTypesEnabled: true });
  for (const flags of [0, 1, 2, 3, 4]) {
    const e = h.prepare(OpCode.createTTL, CreateTTLRequest.encode({ path: '/x', data: null, acl: OPEN, flags, ttl: -1n }));
    assert.equal(errOf(e.txn), Err.BadArguments, `flags ${flags}`);
  }
});

test('TTL nodes need extended types: Unimplemented otherwise (also inside a multi)', () => {
  const h = new Harness();
  const e = h.prepare(OpCode.createTTL, CreateTTLRequest.encode({ path: '/x', data: null, acl: OPEN, flags: 5, ttl: 100n }));
  assert.equal(errOf(e.txn), Err.Unimplemented);
  const m = h.prepare(OpCode.multi, encodeMulti([{ op: 'create', path: '/x', data: null, acl: OPEN, flags: 5, ttl: 100n }]));
  assert.ok(m.txn.op === OpCode.multi);
  assert.deepEqual(m.txn.txns.map(errOf), [Err.Unimplemented]);
});

test('the node kind: opcode 19 → container, 21 → TTL, 1 with flags 4 → plain; in multi flags 4 → container', () => {
  const h = new Harness({ extendedTypesEnabled: true });
  const owner = (e: TxnEntry) => (e.txn.op === OpCode.create ? e.txn.ephemeralOwner : null);
  assert.equal(owner(h.prepare(OpCode.createContainer, create('/c', 0))), CONTAINER_EPHEMERAL_OWNER);
  assert.equal(owner(h.prepare(OpCode.createContainer, create('/c1', 1))), CONTAINER_EPHEMERAL_OWNER);
  assert.equal(owner(h.prepare(OpCode.create, create('/p', 4))), 0n);
  assert.equal(owner(h.prepare(OpCode.create, create('/e', 1))), SID);
  assert.equal(
    owner(h.prepare(OpCode.createTTL, CreateTTLRequest.encode({ path: '/t', data: null, acl: OPEN, flags: 6, ttl: 777n }))),
    ttlOwner(777),
  );
  const m = h.prepare(OpCode.multi, encodeMulti([{ op: 'create', path: '/mc', data: null, acl: OPEN, flags: 4 }]));
  assert.ok(m.txn.op === OpCode.multi && m.txn.txns[0]!.op === OpCode.create);
  assert.equal((m.txn.txns[0] as { ephemeralOwner: bigint }).ephemeralOwner, CONTAINER_EPHEMERAL_OWNER);
});

test('a standalone check becomes a readable CheckTxn or an error, and its reply carries the Stat', () => {
  const h = new Harness();
  h.run(OpCode.create, create('/k'));
  const ok = h.prepare(OpCode.check, CheckVersionRequest.encode({ path: '/k', version: 0 }));
  assert.deepEqual(ok.txn, { op: OpCode.check, path: '/k', version: 0 });
  const r = h.apply(ok);
  assert.deepEqual(r.result, { op: 'check', stat: h.db.tree.stat('/k')! });
  assert.equal(errOf(h.prepare(OpCode.check, CheckVersionRequest.encode({ path: '/k', version: 4 })).txn), Err.BadVersion);
  assert.equal(errOf(h.prepare(OpCode.check, CheckVersionRequest.encode({ path: '/none', version: -1 })).txn), Err.NoNode);
});

test('sessions: unknown → UnknownSession, closing → SessionExpired, the checkSession hook runs first', () => {
  let moved = false;
  const h = new Harness({ checkSession: () => (moved ? Err.SessionMoved : 0) });
  assert.equal(errOf(h.prepare(OpCode.create, create('/u'), { sessionId: 0x99n }).txn), Err.UnknownSession);
  assert.equal(errOf(h.prepare(OpCode.delete, DeleteRequest.encode({ path: '/u', version: -1 }), { sessionId: 0x99n }).txn), Err.UnknownSession);
  moved = true;
  assert.equal(errOf(h.prepare(OpCode.create, create('/u')).txn), Err.SessionMoved);
  moved = false;
  const close = h.prep.prepareCloseSession(SID, ++h.zxid, h.time);
  assert.equal(close.txn.op, OpCode.closeSession);
  assert.equal(errOf(h.prepare(OpCode.create, create('/u')).txn), Err.SessionExpired, 'a write queued behind the close');
  h.apply(close);
  assert.equal(errOf(h.prepare(OpCode.create, create('/u')).txn), Err.UnknownSession);
});

test('a pending createSession lets the session write before it is applied (forwarded body works too)', () => {
  const h = new Harness({}, []);
  const cs = h.prep.prepare(
    { sessionId: 0x77n, cxid: 0, op: OpCode.createSession, body: encodeCreateSessionBody(5000, Buffer.alloc(16, 9)), authIds: [] },
    ++h.zxid,
    h.time,
  );
  assert.deepEqual(cs.txn, { op: OpCode.createSession, timeout: 5000, passwd: Buffer.alloc(16, 9) });
  assert.equal(h.prepare(OpCode.create, create('/s'), { sessionId: 0x77n }).txn.op, OpCode.create);
  assert.equal(errOf(h.prep.prepare({ sessionId: 0x78n, cxid: 0, op: OpCode.createSession, body: Buffer.alloc(2), authIds: [] }, ++h.zxid, 0).txn), Err.MarshallingError);
});

test('closeSession hides the session\'s ephemerals (applied and pending) from later requests', () => {
  const h = new Harness({}, [SID, 0x2n]);
  h.run(OpCode.create, create('/e1', 1));
  h.run(OpCode.create, create('/p'));
  const pendingEph = h.prepare(OpCode.create, create('/p/e2', 1));
  const close = h.prep.prepareCloseSession(SID, ++h.zxid, h.time);
  // Another session can now create what the closed session owned, and delete /p.
  assert.equal(h.prepare(OpCode.create, create('/e1'), { sessionId: 0x2n }).txn.op, OpCode.create);
  assert.equal(h.prepare(OpCode.delete, DeleteRequest.encode({ path: '/p', version: -1 }), { sessionId: 0x2n }).txn.op, OpCode.delete);
  h.apply(pendingEph);
  const r = h.apply(close);
  assert.deepEqual(r.result, { op: 'closeSession', deleted: ['/e1', '/p/e2'] });
});

test('reaping: the internal delete re-checks the candidate against pending changes and the leader clock', () => {
  const h = new Harness({ extendedTypesEnabled: true });
  h.run(OpCode.createContainer, create('/c'));
  assert.equal(errOf(h.prep.prepareReap('/c', ++h.zxid, h.time).txn), Err.BadVersion, 'never had a child');
  h.run(OpCode.create, create('/c/x'));
  assert.equal(errOf(h.prep.prepareReap('/c', ++h.zxid, h.time).txn), Err.NotEmpty);
  h.run(OpCode.delete, DeleteRequest.encode({ path: '/c/x', version: -1 }));
  const reap = h.prep.prepareReap('/c', ++h.zxid, h.time);
  assert.deepEqual(reap.txn, { op: OpCode.delete, path: '/c' });
  assert.equal(reap.sessionId, 0n);
  assert.equal(h.apply(reap).result.op, 'delete');
  h.run(OpCode.createTTL, CreateTTLRequest.encode({ path: '/t', data: null, acl: OPEN, flags: 5, ttl: 100n }));
  assert.equal(errOf(h.prep.prepareReap('/t', ++h.zxid, h.time + 100).txn), Err.BadVersion, 'not expired yet');
  assert.equal(h.prep.prepareReap('/t', ++h.zxid, h.time + 101).txn.op, OpCode.delete);
  assert.equal(errOf(h.prep.prepareReap('/plain', ++h.zxid, h.time).txn), Err.NoNode);
  h.run(OpCode.create, create('/plain'));
  assert.equal(errOf(h.prep.prepareReap('/plain', ++h.zxid, h.time).txn), Err.BadVersion, 'not a container or TTL node');
});

test('skipACL lets every write through; reconfig needs reconfigEnabled', () => {
  const h = new Harness({ skipACL: true });
  assert.equal(h.prepare(OpCode.setData, SetDataRequest.encode({ path: '/zookeeper/config', data: null, version: -1 })).txn.op, OpCode.setData);
  const r = new Harness({ reconfigEnabled: true });
  assert.equal(errOf(r.prepare(OpCode.reconfig, Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0])).txn), Err.Unimplemented);
});

test('bad input: undecodable bodies are MarshallingError (and consume the zxid); non-write opcodes are a programming error', () => {
  const h = new Harness();
  for (const op of [OpCode.create, OpCode.create2, OpCode.createTTL, OpCode.createContainer, OpCode.delete, OpCode.setData, OpCode.setACL, OpCode.check, OpCode.multi]) {
    const e = h.prepare(op, Buffer.from([0, 0]));
    assert.equal(errOf(e.txn), Err.MarshallingError, `opcode ${op}`);
    assert.equal(e.zxid, h.zxid);
  }
  assert.throws(() => h.prepare(OpCode.getData, Buffer.alloc(0)), /not a write request/);
  // Trailing garbage after a valid body is ignored (§5).
  assert.equal(h.prepare(OpCode.create, Buffer.concat([create('/g'), Buffer.from('junk')])).txn.op, OpCode.create);
});

test('entries carry the request identity and the leader time', () => {
  const h = new Harness();
  const e = h.prep.prepare({ sessionId: SID, cxid: 42, op: OpCode.create, body: create('/id'), authIds: [] }, 100n, 1234);
  assert.equal(e.zxid, 100n);
  assert.equal(e.sessionId, SID);
  assert.equal(e.cxid, 42);
  assert.equal(e.time, 1234);
});

test('sequential suffixes follow the signed 32-bit counter through its wrap (§10.2)', () => {
  // A tree whose /q has already seen 2^31 − 2 child creates, rebuilt through the snapshot path.
  const seed = new ZkDatabase();
  const seedPrep = new Prep(seed);
  seed.apply(seedPrep.prepareCreateSession(SID, 30000, Buffer.alloc(16), 1n, 0));
  seed.apply(seedPrep.prepare({ sessionId: SID, cxid: 0, op: OpCode.create, body: create('/q'), authIds: [] }, 2n, 0));
  const tree = new DataTree({}, true);
  for (const [id, list] of seed.tree.acls.entries()) tree.acls.restore(id, list);
  for (let s = 0; s < seed.tree.store.highWater; s++) {
    if (!seed.tree.store.isLive(s)) continue;
    const rec = seed.tree.recordOf(s);
    tree.insertRecord(rec.path === '/q' ? { ...rec, cversion: 2147483646 } : rec, false);
  }
  tree.linkAll();
  const db = new ZkDatabase({}, { tree, sessions: new Map([[SID, { id: SID, timeout: 30000, passwd: Buffer.alloc(16) }]]), lastZxid: 2n });
  const prep = new Prep(db);
  let zxid = 2n;
  const names: string[] = [];
  for (let i = 0; i < 3; i++) {
    const e = prep.prepare({ sessionId: SID, cxid: 0, op: OpCode.create, body: create('/q/s-', 2), authIds: [] }, ++zxid, 0);
    assert.equal(e.txn.op, OpCode.create);
    names.push((e.txn as { path: string }).path);
    db.apply(e);
    prep.committed(e.zxid);
  }
  assert.deepEqual(names, ['/q/s-2147483646', '/q/s-2147483647', '/q/s--2147483648']);
  assert.equal(db.tree.nodeInfo('/q')!.cversion, -2147483647);
  assert.equal(db.tree.stat('/q')!.cversion, (2 * -2147483647 - 3) | 0, 'reported in int32 arithmetic, as Java does');
});
