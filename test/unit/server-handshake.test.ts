/** The handshake state machine (wire-protocol.md §4), driven without sockets. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { ConnectResponse, OpCode } from '../../engine/src/jute/index.js';
import { decideHandshake } from '../../engine/src/server/handshake.js';
import { PauseReason } from '../../engine/src/server/client-channel.js';
import { connectRequest, createBody, harness, header, request } from './helpers-server/harness.js';

const ctx = { lastZxid: 10n, readOnly: false, negotiateTimeout: (t: number) => Math.min(Math.max(t, 4000), 40000), maxBuffer: 0xfffff };

test('decision: new session, negotiated timeout, old and new clients', () => {
  const d = decideHandshake(connectRequest({ timeOut: 100000 }), ctx);
  assert.equal(d.action, 'create');
  assert.equal(d.action === 'create' && d.timeout, 40000);
  assert.equal(d.action === 'create' && d.oldClient, false);
  const old = decideHandshake(connectRequest({ timeOut: 1, readOnly: undefined }), ctx);
  assert.equal(old.action === 'create' && old.oldClient, true);
  assert.equal(old.action === 'create' && old.timeout, 4000);
});

test('decision: client ahead, malformed, read-only member', () => {
  assert.equal(decideHandshake(connectRequest({ lastZxidSeen: 11n }), ctx).action, 'refuse');
  assert.equal(decideHandshake(connectRequest({ lastZxidSeen: 10n }), ctx).action, 'create');
  assert.equal(decideHandshake(Buffer.from([0, 0, 0]), ctx).action, 'refuse');
  const ro = { ...ctx, readOnly: true };
  assert.equal(decideHandshake(connectRequest({ readOnly: false }), ro).action, 'refuse');
  assert.equal(decideHandshake(connectRequest({ readOnly: undefined }), ro).action, 'refuse');
  assert.equal(decideHandshake(connectRequest({ readOnly: true }), ro).action, 'create');
});

test('decision: resume carries id and password', () => {
  const d = decideHandshake(connectRequest({ sessionId: 5n, passwd: Buffer.alloc(16, 1) }), ctx);
  assert.equal(d.action, 'resume');
  assert.equal(d.action === 'resume' && d.sessionId, 5n);
  assert.deepEqual(d.action === 'resume' && d.passwd, Buffer.alloc(16, 1));
});

test('new session: reply only after the createSession txn is durable and applied', async () => {
  const h = harness();
  const ch = h.connect();
  ch.send(connectRequest({ timeOut: 30000 }));
  assert.equal(ch.paused & PauseReason.Handshake, PauseReason.Handshake, 'reading pauses during the handshake');
  await h.turn();
  assert.deepEqual(ch.frames(), [], 'no reply before the txn is durable');
  await h.commit();
  const [reply] = ch.frames();
  assert.equal(reply.length, 37, 'a new client gets the readOnly byte');
  const r = ConnectResponse.decode(reply);
  assert.equal(r.timeOut, 30000);
  assert.equal(r.sessionId >> 56n, 1n, 'standalone session ids carry server id 1');
  assert.equal(r.passwd!.length, 16);
  assert.equal(r.readOnly, false);
  assert.equal(h.db.lastZxid, 1n, 'createSession consumed a zxid');
  assert.equal(ch.paused, 0, 'reading resumes');
});

test('an old client (no readOnly byte) gets a 36-byte reply', async () => {
  const h = harness();
  const ch = h.connect();
  ch.send(connectRequest({ readOnly: undefined }));
  await h.commit();
  assert.equal(ch.frames()[0].length, 36);
});

test('a client that has seen a later zxid is closed without a reply', async () => {
  const h = harness();
  const ch = h.connect();
  ch.send(connectRequest({ lastZxidSeen: 5n }));
  assert.equal(ch.isClosed, true);
  assert.deepEqual(ch.frames(), []);
});

test('a new session the replication cannot create (member stopped serving): closed without a reply, never "expired"', async () => {
  const h = harness();
  const createSession = h.replication.createSession.bind(h.replication);
  // As the ensemble's replication does when its peer is no longer leading or following.
  h.replication.createSession = (sessionId) => h.server.sessionReady(sessionId, false);
  const ch = h.connect();
  ch.send(connectRequest());
  await h.commit();
  assert.equal(ch.isClosed, true);
  assert.match(ch.closeReason ?? '', /not serving read-write/);
  assert.deepEqual(ch.frames(), [], 'no ConnectResponse: a timeout-0 one would tell the client its session expired');
  // The client tries again; once the member can create sessions, it gets one.
  const again = h.connect();
  h.replication.createSession = createSession;
  again.send(connectRequest());
  await h.commit();
  assert.equal(ConnectResponse.decode(again.frames()[0]!).timeOut, 30000);
});

test('requests pipelined behind the ConnectRequest run after the handshake, in order', async () => {
  const h = harness();
  const ch = h.connect();
  ch.send(connectRequest());
  ch.send(request(1, OpCode.create, createBody('/p')));
  ch.send(request(2, OpCode.exists, Buffer.from([0, 0, 0, 2, 0x2f, 0x70, 0])));
  await h.commit(); // createSession
  await h.commit(); // the create
  const frames = ch.frames();
  assert.equal(frames.length, 3);
  assert.equal(ConnectResponse.decode(frames[0]).timeOut, 30000);
  assert.deepEqual(header(frames[1]), { xid: 1, zxid: 2n, err: 0 });
  assert.equal(header(frames[2]).xid, 2);
  assert.equal(header(frames[2]).err, 0, 'the exists after the create sees /p');
});

async function establish(h: ReturnType<typeof harness>, timeOut = 30000) {
  const ch = h.connect();
  ch.send(connectRequest({ timeOut }));
  await h.commit();
  const r = ConnectResponse.decode(ch.frames()[0]);
  return { ch, sessionId: r.sessionId, passwd: r.passwd! };
}

test('resume: right password renegotiates the timeout and closes the old connection', async () => {
  const h = harness();
  const first = await establish(h, 30000);
  const second = h.connect();
  second.send(connectRequest({ sessionId: first.sessionId, passwd: first.passwd, timeOut: 10000 }));
  const [reply] = second.frames();
  const r = ConnectResponse.decode(reply);
  assert.equal(r.sessionId, first.sessionId);
  assert.equal(r.timeOut, 10000);
  assert.equal(first.ch.isClosed, true, 'the previous connection of the session is closed');
  assert.equal(h.sessions.get(first.sessionId)!.timeout, 10000);
});

test('resume: wrong password or unknown session → timeout 0, session 0, then close', async () => {
  const h = harness();
  const first = await establish(h);
  for (const attempt of [
    { sessionId: first.sessionId, passwd: Buffer.alloc(16, 9) },
    { sessionId: 0x77n, passwd: Buffer.alloc(16) },
  ]) {
    const ch = h.connect();
    ch.send(connectRequest(attempt));
    const [reply] = ch.frames();
    const r = ConnectResponse.decode(reply);
    assert.equal(r.timeOut, 0);
    assert.equal(r.sessionId, 0n);
    assert.deepEqual(r.passwd, Buffer.alloc(16));
    assert.equal(ch.isClosed, true);
  }
  assert.equal(first.ch.isClosed, false, 'a failed attempt does not disturb the session’s connection');
});

test('expired session: connection closed silently; reconnect gets the expired reply', async () => {
  const h = harness();
  const s = await establish(h, 4000);
  h.timers.advance(6000);
  await h.commit();
  assert.equal(s.ch.isClosed, true);
  assert.deepEqual(s.ch.frames(), [], 'nothing is sent on expiry (§13.2)');
  const again = h.connect();
  again.send(connectRequest({ sessionId: s.sessionId, passwd: s.passwd }));
  assert.equal(ConnectResponse.decode(again.frames()[0]).timeOut, 0);
});

test('resume while the member cannot check the session (not serving read-write): closed without a reply, the session intact', async () => {
  const h = harness();
  const s = await establish(h);
  const revalidate = h.replication.revalidate.bind(h.replication);
  // As the ensemble's replication answers when its peer is not leading or following.
  h.replication.revalidate = (_id, _timeout, done) => done('unavailable');
  const moving = h.connect();
  moving.send(connectRequest({ sessionId: s.sessionId, passwd: s.passwd }));
  assert.equal(moving.isClosed, true);
  assert.match(moving.closeReason ?? '', /not serving read-write/);
  assert.deepEqual(moving.frames(), [], 'no timeout-0 reply: the session is not expired');
  assert.ok(h.sessions.get(s.sessionId), 'the session lives on');
  h.replication.revalidate = revalidate;
  const again = h.connect();
  again.send(connectRequest({ sessionId: s.sessionId, passwd: s.passwd }));
  assert.equal(ConnectResponse.decode(again.frames()[0]!).sessionId, s.sessionId, 'tried again, it is resumed');
});
