/**
 * The client while no server answers, against the scripted in-memory server and a manual
 * clock (no sockets, no waiting on real time):
 *  - requests fail with ConnectionLoss at the next failed connection attempt, as the
 *    Java 3.8 client's SendThread cleanup does, and the client keeps looking;
 *  - only the server decides expiry: an outage of any length ends in a resumed session
 *    unless the server says "expired"; the Java 3.9+ local rule is opt-in;
 *  - `requestTimeoutMs` (Java's zookeeper.request.timeout).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { KeeperState, ZkArgumentError, ZkClient, ZkError, type WatchedEvent } from '../../engine/src/client/index.js';
import { OpCode } from '../../engine/src/jute/opcodes.js';
import { settle } from '../client/fake-clock.js';
import { FAKE_HOSTS, connected, everyHostRefuses, fakeSession, outcome } from '../client/fake-session.js';

function isCode(e: unknown, name: Parameters<typeof ZkError.is>[1], path?: string): boolean {
  return ZkError.is(e, name) && (path === undefined || (e as ZkError).path === path);
}

// ---- requests while no server can be reached ----

test('a request made while no server can be reached fails with ConnectionLoss at the next failed attempt; the client keeps trying', async () => {
  const ctx = fakeSession();
  await connected(ctx);
  everyHostRefuses(ctx);
  ctx.server.connections[0].close();
  await settle();
  assert.equal(ctx.zk.state, 'disconnected');
  const read = outcome(ctx.zk.getData('/config'));
  const write = outcome(ctx.zk.create('/x'));
  await ctx.clock.advance(0); // b:2, c:3 and a:1 refuse in turn
  assert.ok(isCode(await read, 'ConnectionLoss', '/config'));
  assert.ok(isCode(await write, 'ConnectionLoss', '/x'));
  assert.equal(ctx.zk.state, 'connecting', 'still looking for a server');
  const attempts = ctx.server.connections.length;

  // A full round failed: the next attempt waits retryDelay. A request made meanwhile
  // waits for that attempt, and fails with it.
  const later = outcome(ctx.zk.exists('/later'));
  await ctx.clock.advance(99);
  assert.equal(await Promise.race([later, 'pending']), 'pending');
  await ctx.clock.advance(1);
  assert.ok(isCode(await later, 'ConnectionLoss', '/later'));
  assert.ok(ctx.server.connections.length > attempts);

  for (const h of FAKE_HOSTS) ctx.server.host(h, { handshake: 'accept' });
  await ctx.clock.advance(100);
  assert.equal(ctx.zk.state, 'connected');
  assert.equal(ctx.zk.sessionId, 0x100000000001n, 'the same session');
  assert.ok(await ctx.zk.exists('/after'));
  assert.deepEqual(
    ctx.server.connections.at(-1)!.ops.map((r) => r.opcode),
    [OpCode.exists],
    'failed requests are not replayed: only the new one goes out',
  );
});

test('requests made before the first connection fail with ConnectionLoss when it cannot be made', async () => {
  const ctx = fakeSession();
  everyHostRefuses(ctx);
  const first = outcome(ctx.zk.getChildren('/')); // starts the client
  await ctx.clock.advance(0);
  assert.ok(isCode(await first, 'ConnectionLoss', '/'));
  assert.equal(ctx.zk.state, 'connecting');
  assert.equal(ctx.zk.sessionId, 0n);
});

test('requests made while disconnected are sent after the handshake of an attempt that succeeds', async () => {
  const ctx = fakeSession();
  await connected(ctx);
  ctx.server.host('a:1', { handshake: 'refuse' });
  ctx.server.connections[0].close();
  await settle();
  const queued = [ctx.zk.create('/q1'), ctx.zk.setData('/q2', 'v'), ctx.zk.delete('/q3')];
  await ctx.clock.advance(0); // b:2 accepts
  await Promise.all(queued);
  assert.deepEqual(
    ctx.server.connections[1].ops.map((r) => r.opcode),
    [OpCode.create, OpCode.setData, OpCode.delete],
  );
});

test('addAuth while no server can be reached rejects with ConnectionLoss, and the credentials still go with the next handshake', async () => {
  const ctx = fakeSession();
  await connected(ctx);
  everyHostRefuses(ctx);
  ctx.server.connections[0].close();
  await settle();
  const auth = outcome(ctx.zk.addAuth('digest', 'alice:secret'));
  await ctx.clock.advance(0);
  assert.ok(isCode(await auth, 'ConnectionLoss'));
  ctx.server.host('c:3', { handshake: 'accept' });
  await ctx.clock.advance(100); // after the pause: b:2 refuses, c:3 accepts
  assert.equal(ctx.zk.state, 'connected');
  assert.equal(ctx.zk.connectedServer?.host, 'c');
  assert.deepEqual(ctx.server.connections.at(-1)!.ops.map((r) => r.opcode), [OpCode.auth]);
});

test('a socket factory that throws counts as a failed attempt: waiting requests fail with ConnectionLoss', async () => {
  let fail = true;
  const ctx = fakeSession();
  const zk = new ZkClient({
    connectString: 'a:1',
    shuffleHosts: false,
    reconnectJitter: 0,
    retryDelay: 100,
    clock: ctx.clock,
    socketFactory: (t) => {
      if (fail) throw new Error('no route to host');
      return ctx.server.socketFactory(t);
    },
  });
  const read = outcome(zk.exists('/'));
  await ctx.clock.advance(0);
  assert.ok(isCode(await read, 'ConnectionLoss', '/'));
  fail = false;
  await ctx.clock.advance(100);
  assert.equal(zk.state, 'connected');
  await zk.close();
});

// ---- expiry is the server's call ----

test('an established session is never expired by the client: after an outage of 60 session timeouts it is resumed', async () => {
  const ctx = fakeSession({ retryDelay: 1000 });
  const events: WatchedEvent[] = [];
  ctx.zk.on('watch', (e) => events.push(e));
  await connected(ctx);
  const { sessionId, sessionPassword } = ctx.zk;
  everyHostRefuses(ctx);
  ctx.server.connections[0].close();
  for (let i = 0; i < 60; i++) await ctx.clock.advance(3000);
  assert.equal(ctx.zk.state, 'connecting');
  const attempts = ctx.server.connections.length;
  assert.ok(attempts > 150, `kept trying (${attempts} attempts)`);

  ctx.server.host('b:2', { handshake: 'accept' });
  await ctx.clock.advance(1000);
  assert.equal(ctx.zk.state, 'connected');
  const resumed = ctx.server.connections.at(-1)!;
  assert.equal(resumed.host, 'b:2');
  assert.equal(resumed.connect?.sessionId, sessionId, 'the reconnect asks for the same session');
  assert.deepEqual(resumed.connect?.passwd, sessionPassword);
  assert.equal(ctx.zk.sessionId, sessionId);
  assert.deepEqual(
    events.map((e) => e.state),
    [KeeperState.SyncConnected, KeeperState.Disconnected, KeeperState.SyncConnected],
    'no Expired event',
  );
  assert.ok(!ctx.states.includes('expired'));
});

test('after a long outage the server saying "expired" is what ends the session', async () => {
  const ctx = fakeSession();
  await connected(ctx);
  everyHostRefuses(ctx);
  ctx.server.connections[0].close();
  for (let i = 0; i < 10; i++) await ctx.clock.advance(3000);
  assert.equal(ctx.zk.state, 'connecting');
  for (const h of FAKE_HOSTS) ctx.server.host(h, { handshake: 'expired' });
  await ctx.clock.advance(100);
  assert.equal(ctx.zk.state, 'expired');
});

test('a brand-new session keeps trying by default (Java 3.8), and gives up after newSessionTimeout when one is set', async () => {
  const patient = fakeSession();
  everyHostRefuses(patient);
  patient.zk.start();
  for (let i = 0; i < 20; i++) await patient.clock.advance(3000);
  assert.equal(patient.zk.state, 'connecting');
  patient.server.host('a:1', { handshake: 'accept' });
  await patient.clock.advance(100);
  assert.equal(patient.zk.state, 'connected');

  const bounded = fakeSession({ newSessionTimeout: 2000 });
  everyHostRefuses(bounded);
  const result = outcome(bounded.zk.connect());
  await bounded.clock.advance(1999);
  assert.equal(bounded.zk.state, 'connecting');
  await bounded.clock.advance(1);
  assert.ok(isCode(await result, 'SessionExpired'));
  assert.equal(bounded.zk.state, 'expired');
});

test('localSessionExpiry (opt-in, Java 3.9+): no server heard for 4/3 of the negotiated timeout expires the session locally', async () => {
  const ctx = fakeSession({ localSessionExpiry: true });
  await connected(ctx);
  everyHostRefuses(ctx);
  ctx.server.connections[0].close();
  await ctx.clock.advance(3999);
  assert.equal(ctx.zk.state, 'connecting');
  await ctx.clock.advance(1);
  assert.equal(ctx.zk.state, 'expired');
  await assert.rejects(ctx.zk.exists('/'), (e: unknown) => isCode(e, 'SessionExpired'));

  // A new session under the opt-in gets 4/3 × the requested timeout, at least 5 s.
  const fresh = fakeSession({ localSessionExpiry: true });
  everyHostRefuses(fresh);
  fresh.zk.start();
  await fresh.clock.advance(4999);
  assert.equal(fresh.zk.state, 'connecting');
  await fresh.clock.advance(1);
  assert.equal(fresh.zk.state, 'expired');
});

// ---- requestTimeoutMs ----

test('requestTimeoutMs: a reply that does not come in time fails the request with RequestTimeout and drops the connection', async () => {
  const ctx = fakeSession({ requestTimeoutMs: 500 });
  ctx.server.host('a:1', { autoReply: false });
  await connected(ctx);
  const slow = outcome(ctx.zk.getData('/slow'));
  await ctx.clock.advance(200);
  const other = outcome(ctx.zk.exists('/other'));
  await ctx.clock.advance(299);
  assert.equal(await Promise.race([slow, 'pending']), 'pending');
  await ctx.clock.advance(1);
  const err = await slow;
  assert.ok(isCode(err, 'RequestTimeout', '/slow'));
  assert.equal((err as ZkError).message, 'KeeperErrorCode = Request timeout for /slow');
  assert.ok(isCode(await other, 'ConnectionLoss', '/other'), 'the rest of the connection fails with ConnectionLoss');
  assert.ok(ctx.server.connections[0].closed);
  assert.deepEqual(ctx.states.slice(0, 3), ['connected', 'disconnected', 'connecting']);

  // The client reconnects (b:2 answers); answered requests are not timed out later.
  await ctx.clock.advance(0);
  assert.equal(ctx.zk.state, 'connected');
  assert.ok(await ctx.zk.exists('/fine'));
  await ctx.clock.advance(2000);
  assert.equal(ctx.zk.state, 'connected');
  assert.equal(ctx.server.connections.length, 2);
});

test('requestTimeoutMs counts from when the request is made, also while it waits for a connection', async () => {
  const ctx = fakeSession({ requestTimeoutMs: 500, connectTimeout: 10_000 });
  for (const h of FAKE_HOSTS) ctx.server.host(h, { handshake: 'ignore' });
  const read = outcome(ctx.zk.exists('/'));
  await ctx.clock.advance(499);
  assert.equal(await Promise.race([read, 'pending']), 'pending');
  await ctx.clock.advance(1);
  assert.ok(isCode(await read, 'RequestTimeout', '/'));
  assert.ok(ctx.server.connections[0].closed, 'the attempt was dropped (Java: cleanAndNotifyState)');
});

test('without requestTimeoutMs a request waits for its reply as long as the connection lives', async () => {
  const ctx = fakeSession();
  ctx.server.host('a:1', { autoReply: false });
  await connected(ctx);
  const read = outcome(ctx.zk.getData('/slow'));
  await ctx.clock.advance(60_000); // pings are answered: the connection stays
  assert.equal(await Promise.race([read, 'pending']), 'pending');
  const req = await ctx.server.connections[0].waitFor((r) => r.opcode === OpCode.getData);
  ctx.server.connections[0].reply(req.xid, -101);
  assert.ok(isCode(await read, 'NoNode', '/slow'));
});

test('requestTimeoutMs must be 0 or a positive number', () => {
  assert.throws(() => new ZkClient({ connectString: 'a:1', requestTimeoutMs: -1 }), ZkArgumentError);
  assert.throws(() => new ZkClient({ connectString: 'a:1', requestTimeoutMs: Number.NaN }), ZkArgumentError);
});
