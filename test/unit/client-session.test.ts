/**
 * The client's session logic against a scripted in-memory server and a manual clock:
 * handshake fields, xid pipelining, pings and timeouts, reconnect order (auth, then
 * SetWatches, then queued requests), ConnectionLoss, expiry said by the server,
 * servers that are behind, SetWatches batching and read-only probing. No sockets, no
 * waiting on real time.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { ZkError, CreateMode, EventType } from '../../engine/src/client/index.js';
import { OpCode, Xid } from '../../engine/src/jute/opcodes.js';
import { AuthPacket, ExistsResponse, GetDataRequest, SetWatches, SetWatches2, type Stat } from '../../engine/src/jute/records.js';
import { settle } from '../client/fake-clock.js';
import { connected, fakeSession } from '../client/fake-session.js';

const STAT: Stat = {
  czxid: 1n,
  mzxid: 1n,
  ctime: 0n,
  mtime: 0n,
  version: 0,
  cversion: 0,
  aversion: 0,
  ephemeralOwner: 0n,
  dataLength: 0,
  numChildren: 0,
  pzxid: 1n,
};

const setup = fakeSession;

test('the handshake carries the requested timeout and the readOnly flag; xids start at 1 and increase', async () => {
  const ctx = setup({ canBeReadOnly: true });
  await connected(ctx);
  const conn = ctx.server.connections[0];
  assert.equal(conn.host, 'a:1');
  assert.deepEqual(conn.connect, {
    protocolVersion: 0,
    lastZxidSeen: 0n,
    timeOut: 3000,
    sessionId: 0n,
    passwd: Buffer.alloc(16),
    readOnly: true,
  });
  assert.equal(ctx.zk.sessionId, 0x100000000001n);
  assert.equal(ctx.zk.negotiatedTimeout, 3000);
  await Promise.all([ctx.zk.delete('/a'), ctx.zk.delete('/b'), ctx.zk.sync('/')].map((p) => p.catch(() => {})));
  assert.deepEqual(
    conn.ops.map((r) => [r.xid, r.opcode]),
    [
      [1, OpCode.delete],
      [2, OpCode.delete],
      [3, OpCode.sync],
    ],
  );
});

test('replies are matched to requests in order; an out-of-order xid drops the connection', async () => {
  const ctx = setup();
  ctx.server.host('a:1', { autoReply: false });
  await connected(ctx);
  const conn = ctx.server.connections[0];
  const first = ctx.zk.exists('/x');
  const second = ctx.zk.exists('/y');
  await settle();
  conn.reply(1, 0, ExistsResponse.encode({ stat: { ...STAT, version: 1 } }), 5n);
  assert.equal((await first)?.version, 1);
  assert.equal(ctx.zk.lastZxidSeen, 5n);
  conn.reply(7, 0, ExistsResponse.encode({ stat: STAT }));
  await assert.rejects(second, (e: unknown) => ZkError.is(e, 'ConnectionLoss'));
  assert.equal(ctx.states.at(-1), 'disconnected');
});

test('an idle connection pings at readTimeout/2 and a silent server is dropped after readTimeout', async () => {
  const ctx = setup();
  await connected(ctx);
  const conn = ctx.server.connections[0];
  // negotiated 3000 → readTimeout 2000 → ping when nothing was sent for 1000 ms.
  await ctx.clock.advance(999);
  assert.equal(conn.requests.filter((r) => r.opcode === OpCode.ping).length, 0);
  await ctx.clock.advance(1);
  assert.deepEqual(conn.requests.map((r) => [r.xid, r.opcode]), [[Xid.ping, OpCode.ping]]);
  await ctx.clock.advance(3000);
  assert.equal(conn.requests.filter((r) => r.opcode === OpCode.ping).length, 4);
  assert.equal(ctx.zk.state, 'connected', 'answered pings keep the connection');

  ctx.server.host('a:1', { mute: true }); // the server hangs: not even pings are answered
  const silent = ctx.server.connections[0];
  await ctx.clock.advance(1999);
  assert.ok(!silent.closed);
  await ctx.clock.advance(1);
  assert.ok(silent.closed, 'dropped after 2/3 of the session timeout without a reply');
  assert.deepEqual(ctx.states.slice(0, 3), ['connected', 'disconnected', 'connecting']);
});

test('traffic postpones pings', async () => {
  const ctx = setup();
  await connected(ctx);
  const conn = ctx.server.connections[0];
  for (let i = 0; i < 5; i++) {
    await ctx.clock.advance(600);
    await ctx.zk.sync('/');
  }
  assert.equal(conn.requests.filter((r) => r.opcode === OpCode.ping).length, 0);
});

test('requests in flight fail with ConnectionLoss; requests made while disconnected go out after the next handshake, in order', async () => {
  const ctx = setup();
  ctx.server.host('a:1', { autoReply: false });
  await connected(ctx);
  const inFlight = ctx.zk.getData('/in-flight');
  await settle();
  ctx.server.connections[0].close();
  await assert.rejects(inFlight, (e: unknown) => ZkError.is(e, 'ConnectionLoss') && (e as ZkError).path === '/in-flight');
  assert.equal(ctx.zk.state, 'disconnected');
  const later = [ctx.zk.create('/q1'), ctx.zk.create('/q2'), ctx.zk.delete('/q3')];
  await ctx.clock.advance(0);
  assert.equal(ctx.zk.state, 'connected');
  const conn = ctx.server.connections[1];
  assert.equal(conn.host, 'b:2', 'the next host');
  await Promise.allSettled(later);
  assert.deepEqual(
    conn.ops.map((r) => r.opcode),
    [OpCode.create, OpCode.create, OpCode.delete],
  );
});

test('a reconnect resumes the session with its password and the last zxid seen, replays auth, then SetWatches, then queued requests', async () => {
  const ctx = setup();
  ctx.server.host('a:1', { zxid: 41n });
  await connected(ctx);
  await ctx.zk.addAuth('digest', 'alice:secret');
  const watcher = () => {};
  ctx.server.host('a:1', { zxid: 42n });
  await ctx.zk.getData('/d', { watch: watcher }).catch(() => {});
  await ctx.zk.exists('/e', { watch: watcher }).catch(() => {});
  await ctx.zk.getChildren('/c', { watch: watcher }).catch(() => {});
  assert.equal(ctx.zk.lastZxidSeen, 42n);
  ctx.server.connections[0].close();
  await settle();
  const queued = ctx.zk.sync('/after');
  await ctx.clock.advance(0);
  await queued;
  const conn = ctx.server.connections[1];
  assert.equal(conn.connect?.sessionId, ctx.zk.sessionId);
  assert.deepEqual(conn.connect?.passwd, ctx.server.password);
  assert.equal(conn.connect?.lastZxidSeen, 42n);
  assert.deepEqual(conn.ops.map((r) => r.opcode), [OpCode.auth, OpCode.setWatches, OpCode.sync]);
  assert.deepEqual(AuthPacket.decode(conn.ops[0].body), { type: 0, scheme: 'digest', auth: Buffer.from('alice:secret') });
  assert.equal(conn.ops[0].xid, Xid.auth);
  assert.ok(conn.ops[1].xid > 0, 'SetWatches goes with a normal xid (§4.1)');
  // The fake answers every read with success, so exists() set a data watch (not an exist watch).
  const sw = SetWatches.decode(conn.ops[1].body);
  assert.equal(sw.relativeZxid, 42n);
  assert.deepEqual(sw.dataWatches.sort(), ['/d', '/e']);
  assert.deepEqual(sw.childWatches, ['/c']);
  assert.deepEqual(ctx.states, ['connected', 'disconnected', 'connecting', 'connected']);
});

test('persistent watches are restored with SetWatches2, and large watch sets are split into ~128 KB packets', async () => {
  const ctx = setup();
  await connected(ctx);
  const w = () => {};
  await ctx.zk.addWatch('/p', w, 'persistent');
  await ctx.zk.addWatch('/r', w, 'persistent-recursive');
  const long = 'x'.repeat(1000);
  await Promise.all(Array.from({ length: 300 }, (_, i) => ctx.zk.getChildren(`/${long}${i}`, { watch: w })));
  ctx.server.connections[0].close();
  await ctx.clock.advance(0);
  const conn = ctx.server.connections[1];
  const packets = conn.ops.filter((r) => r.opcode === OpCode.setWatches || r.opcode === OpCode.setWatches2);
  assert.equal(packets.length, 3, '300 KB of paths → 3 packets');
  assert.deepEqual(packets.map((p) => p.opcode), [OpCode.setWatches, OpCode.setWatches, OpCode.setWatches2]);
  const last = SetWatches2.decode(packets[2].body);
  assert.deepEqual([last.persistentWatches, last.persistentRecursiveWatches], [['/p'], ['/r']]);
  const total = packets.slice(0, 2).reduce((n, p) => n + SetWatches.decode(p.body).childWatches.length, 0) + last.childWatches.length;
  assert.equal(total, 300);
});

test('a server that is behind closes without answering and the next host is tried; after a full round the client pauses', async () => {
  const ctx = setup();
  ctx.server.host('a:1', { handshake: 'refuse' });
  ctx.server.host('b:2', { handshake: 'refuse' });
  ctx.server.host('c:3', { handshake: 'refuse' });
  ctx.zk.start();
  await ctx.clock.advance(0);
  assert.deepEqual(ctx.server.connections.map((c) => c.host), ['a:1', 'b:2', 'c:3']);
  assert.equal(ctx.zk.state, 'connecting');
  ctx.server.host('a:1', { handshake: 'accept' });
  await ctx.clock.advance(99);
  assert.equal(ctx.server.connections.length, 3, 'waits retryDelay after every host failed');
  await ctx.clock.advance(1);
  assert.equal(ctx.zk.state, 'connected');
  assert.equal(ctx.zk.connectedServer?.host, 'a');
});

test('a server that never answers the handshake is abandoned after the connect timeout', async () => {
  const ctx = setup({ connectTimeout: 500 });
  ctx.server.host('a:1', { handshake: 'ignore' });
  ctx.zk.start();
  await ctx.clock.advance(499);
  assert.equal(ctx.server.connections.length, 1);
  await ctx.clock.advance(1);
  assert.equal(ctx.zk.state, 'connected');
  assert.equal(ctx.server.connections[1].host, 'b:2');
});

test('the server saying "expired" ends the session for good', async () => {
  const ctx = setup();
  await connected(ctx);
  const events: number[] = [];
  ctx.zk.on('watch', (e) => events.push(e.state));
  const watchedBefore: number[] = [];
  await ctx.zk.getData('/w', { watch: (e) => watchedBefore.push(e.state) }).catch(() => {});
  ctx.server.host('a:1', { handshake: 'expired' });
  ctx.server.host('b:2', { handshake: 'expired' });
  ctx.server.host('c:3', { handshake: 'expired' });
  ctx.server.connections[0].close();
  await settle();
  const queued = ctx.zk.create('/x').then(
    () => null,
    (e: unknown) => e,
  );
  await ctx.clock.advance(0);
  assert.equal(ctx.zk.state, 'expired');
  assert.ok(ZkError.is(await queued, 'SessionExpired'), 'a request waiting for a connection fails with SessionExpired');
  await assert.rejects(ctx.zk.exists('/'), (e: unknown) => ZkError.is(e, 'SessionExpired'));
  assert.deepEqual(events, [0, -112], 'Disconnected, then Expired');
  assert.deepEqual(watchedBefore, [-112], 'registered watchers hear the end too');
  const connections = ctx.server.connections.length;
  await ctx.clock.advance(60_000);
  assert.equal(ctx.server.connections.length, connections, 'never reconnects after expiry');
});

test('a read-only connection probes the other servers with isro and moves to a read-write one', async () => {
  const ctx = setup({ canBeReadOnly: true });
  ctx.server.host('a:1', { handshake: 'read-only', isro: 'ro' });
  ctx.server.host('b:2', { isro: 'ro' });
  ctx.server.host('c:3', { isro: 'rw' });
  ctx.zk.start();
  await ctx.clock.advance(0);
  assert.equal(ctx.zk.state, 'connected-read-only');
  assert.ok(ctx.zk.isReadOnly);
  await ctx.clock.advance(100);
  assert.deepEqual(ctx.server.probes, ['b:2']);
  await ctx.clock.advance(199);
  assert.deepEqual(ctx.server.probes, ['b:2'], 'the interval doubles');
  await ctx.clock.advance(1);
  assert.deepEqual(ctx.server.probes, ['b:2', 'c:3']);
  await ctx.clock.advance(0);
  assert.equal(ctx.zk.state, 'connected');
  const conn = ctx.server.connections.at(-1)!;
  assert.equal(conn.host, 'c:3');
  assert.equal(conn.connect?.sessionId, 0n, 'a session from a read-only server is not carried to a read-write one');
});

test('close sends closeSession and ends in closed; later calls fail with SessionExpired', async () => {
  const ctx = setup();
  await connected(ctx);
  await ctx.zk.close();
  assert.deepEqual(ctx.server.connections[0].ops.map((r) => r.opcode), [OpCode.closeSession]);
  assert.equal(ctx.zk.state, 'closed');
  await assert.rejects(ctx.zk.exists('/'), (e: unknown) => ZkError.is(e, 'SessionExpired'));
  assert.equal(ctx.clock.pending, 0, 'no timer left behind');
});

test('a watch registered by a reply is in place for a notification in the same chunk', async () => {
  const ctx = setup();
  ctx.server.host('a:1', { autoReply: false });
  await connected(ctx);
  const conn = ctx.server.connections[0];
  const events: string[] = [];
  const read = ctx.zk.exists('/n', { watch: (e) => events.push(`${e.type}:${e.path}`) });
  const req = await conn.waitFor((r) => r.opcode === OpCode.exists);
  assert.equal(GetDataRequest.decode(req.body).watch, true);
  conn.reply(req.xid, -101); // NoNode: an exist watch is set (§12.1)
  conn.notify(EventType.NodeCreated, '/n');
  assert.equal(await read, null);
  await settle();
  assert.deepEqual(events, [`${EventType.NodeCreated}:/n`]);
});

test('sequential creates validate the path with the suffix in mind', async () => {
  const ctx = setup();
  await connected(ctx);
  await ctx.zk.create('/p/', '', { mode: CreateMode.PERSISTENT_SEQUENTIAL }).catch((e: unknown) => assert.ok(!(e instanceof TypeError)));
  assert.equal(ctx.server.connections[0].ops.length, 1, '"/p/" is legal for a sequential create');
});
