/**
 * Request ordering and reply rules of the server (wire-protocol.md §1, §5, §12.3, §17),
 * driven without sockets: writes become durable only when the test flushes the log.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { ConnectResponse, EventType, KeeperState, OpCode, Err, JuteWriter } from '../../engine/src/jute/index.js';
import { connectRequest, createBody, harness, header, pathWatchBody, request } from './helpers-server/harness.js';

async function session(h: ReturnType<typeof harness>) {
  const ch = h.connect();
  ch.send(connectRequest());
  await h.commit();
  const r = ConnectResponse.decode(ch.frames()[0]);
  return { ch, sessionId: r.sessionId };
}

test('a read waits for the session’s earlier write; replies keep request order', async () => {
  const h = harness();
  const { ch } = await session(h);
  ch.send(request(1, OpCode.create, createBody('/a')));
  ch.send(request(2, OpCode.exists, pathWatchBody('/a', false)));
  await h.turn();
  assert.deepEqual(ch.frames(), [], 'the read is held while the write is not applied');
  await h.commit();
  const [create, exists] = ch.frames();
  assert.deepEqual(header(create), { xid: 1, zxid: 2n, err: 0 });
  assert.deepEqual(header(exists), { xid: 2, zxid: 2n, err: 0 }, 'the read sees the write');
});

test('another session’s read is not held behind this session’s write', async () => {
  const h = harness();
  const a = await session(h);
  const b = await session(h);
  a.ch.send(request(1, OpCode.create, createBody('/a')));
  b.ch.send(request(1, OpCode.exists, pathWatchBody('/a', false)));
  const [bReply] = b.ch.frames();
  assert.deepEqual(header(bReply), { xid: 1, zxid: 2n, err: Err.NoNode });
  assert.equal(bReply.length, 16, 'error replies are exactly 16 bytes');
  await h.commit();
  assert.equal(header(a.ch.frames()[0]).err, 0);
});

test('a notification precedes the reply of the write that caused it', async () => {
  const h = harness();
  const { ch } = await session(h);
  ch.send(request(1, OpCode.exists, pathWatchBody('/w', true)));
  ch.send(request(2, OpCode.create, createBody('/w')));
  await h.commit();
  const frames = ch.frames();
  assert.equal(frames.length, 3);
  assert.equal(header(frames[0]).err, Err.NoNode);
  assert.deepEqual(header(frames[1]), { xid: -1, zxid: -1n, err: 0 }, 'notification header: xid -1, zxid -1 (3.8)');
  assert.equal(frames[1].readInt32BE(16), EventType.NodeCreated);
  assert.equal(frames[1].readInt32BE(20), KeeperState.SyncConnected);
  assert.equal(header(frames[2]).xid, 2);
});

test('many writes in one turn are group-committed in one log append', async () => {
  const h = harness();
  const { ch } = await session(h);
  for (let i = 0; i < 50; i++) ch.send(request(i + 1, OpCode.create, createBody(`/n${i}`)));
  await h.turn();
  assert.equal(h.log.pendingAppends, 1);
  await h.commit();
  const frames = ch.frames();
  assert.equal(frames.length, 50);
  frames.forEach((f, i) => assert.deepEqual(header(f), { xid: i + 1, zxid: BigInt(i + 2), err: 0 }));
});

test('failed writes consume a zxid and reply with their own zxid', async () => {
  const h = harness();
  const { ch } = await session(h);
  ch.send(request(1, OpCode.create, Buffer.from([0, 0])));
  await h.commit();
  const [reply] = ch.frames();
  assert.deepEqual(header(reply), { xid: 1, zxid: 2n, err: Err.MarshallingError });
  assert.equal(reply.length, 16);
  assert.equal(h.db.lastZxid, 2n);
});

test('ping: reply xid is -2 whatever came in, zxid is the last applied', async () => {
  const h = harness();
  const { ch } = await session(h);
  ch.send(request(77, OpCode.ping));
  assert.deepEqual(header(ch.frames()[0]), { xid: -2, zxid: 1n, err: 0 });
});

test('unknown opcode: Unimplemented with zxid -1, then the connection closes (session lives on)', async () => {
  const h = harness();
  const { ch, sessionId } = await session(h);
  ch.send(request(5, 99));
  const [reply] = ch.frames();
  assert.deepEqual(header(reply), { xid: 5, zxid: -1n, err: Err.Unimplemented });
  assert.equal(ch.isClosed, true);
  assert.ok(h.db.session(sessionId), 'the session still exists');
});

test('a malformed read body gets MarshallingError and the connection stays open', async () => {
  const h = harness();
  const { ch } = await session(h);
  ch.send(request(3, OpCode.getData, Buffer.from([0, 0, 0, 9, 0x2f])));
  assert.deepEqual(header(ch.frames()[0]), { xid: 3, zxid: 1n, err: Err.MarshallingError });
  assert.equal(ch.isClosed, false);
  ch.send(request(4, OpCode.ping));
  assert.equal(header(ch.frames()[0]).xid, -2);
});

test('a truncated request header closes the connection', async () => {
  const h = harness();
  const { ch } = await session(h);
  ch.send(Buffer.from([0, 0, 0]));
  assert.equal(ch.isClosed, true);
});

test('sync waits for earlier writes and echoes the path', async () => {
  const h = harness();
  const { ch } = await session(h);
  ch.send(request(1, OpCode.create, createBody('/s')));
  ch.send(request(2, OpCode.sync, new JuteWriter(16).ustring('/whatever').toBuffer()));
  await h.turn();
  assert.deepEqual(ch.frames(), []);
  await h.commit();
  const [w, s] = ch.frames();
  assert.equal(header(w).xid, 1);
  assert.deepEqual(header(s), { xid: 2, zxid: 2n, err: 0 });
  assert.equal(s.subarray(16).toString('latin1', 4), '/whatever');
});

test('closeSession: reply with its zxid, then the connection closes', async () => {
  const h = harness();
  const { ch, sessionId } = await session(h);
  ch.send(request(9, OpCode.closeSession));
  await h.commit();
  const [reply] = ch.frames();
  assert.deepEqual(header(reply), { xid: 9, zxid: 2n, err: 0 });
  assert.equal(ch.isClosed, true);
  assert.equal(h.db.session(sessionId), undefined);
});

test('request before the handshake: the first frame is read as a ConnectRequest and refused', async () => {
  const h = harness();
  const ch = h.connect();
  ch.send(request(1, OpCode.exists, pathWatchBody('/', false)));
  assert.equal(ch.isClosed, true);
  assert.deepEqual(ch.frames(), []);
});

test('duplicate and negative xids are echoed', async () => {
  const h = harness();
  const { ch } = await session(h);
  ch.send(request(-100, OpCode.exists, pathWatchBody('/', false)));
  ch.send(request(-100, OpCode.exists, pathWatchBody('/', false)));
  assert.deepEqual(
    ch.frames().map((f) => header(f).xid),
    [-100, -100],
  );
});
