/**
 * Request handling beyond ordering: auth packets (§15.3), whoAmI (§9), read ACL checks
 * (§8.3, §15.1), watch requests (§12.4–§12.6), multiRead (§14.3), and what a member
 * that stops serving does to its clients (§17).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  AddWatchRequest,
  AuthPacket,
  CheckWatchesRequest,
  ConnectResponse,
  CreateRequest,
  Err,
  EventType,
  GetDataRequest,
  JuteWriter,
  MultiHeader,
  OpCode,
  Perms,
  WatcherType,
  WhoAmIResponse,
  Xid,
} from '../../engine/src/jute/index.js';
import { digestId } from '../../engine/src/server/prep/index.js';
import { connectRequest, createBody, harness, header, pathWatchBody, request } from './helpers-server/harness.js';

async function session(h: ReturnType<typeof harness>) {
  const ch = h.connect();
  ch.send(connectRequest());
  await h.commit();
  ConnectResponse.decode(ch.frames()[0]);
  return ch;
}

function auth(scheme: string, credentials: string): Buffer {
  return request(Xid.auth, OpCode.auth, AuthPacket.encode({ type: 0, scheme, auth: Buffer.from(credentials) }));
}

test('digest auth adds up; whoAmI lists ids with the digest user part only', async () => {
  const h = harness();
  const ch = await session(h);
  ch.send(auth('digest', 'alice:secret'));
  assert.deepEqual(header(ch.frames()[0]), { xid: -4, zxid: 0n, err: 0 }, 'auth replies carry zxid 0');
  ch.send(request(5, OpCode.whoAmI));
  const [reply] = ch.frames();
  assert.equal(header(reply).err, 0);
  assert.deepEqual(WhoAmIResponse.decode(reply.subarray(16)).clientInfo, [
    { authScheme: 'digest', user: 'alice' },
    { authScheme: 'ip', user: '127.0.0.1' },
  ]);
});

test('super digest gives the super id', async () => {
  const h = harness(`DigestAuthenticationProvider.superDigest=${digestId('super:pw')}`);
  const ch = await session(h);
  ch.send(auth('digest', 'super:pw'));
  ch.send(request(5, OpCode.whoAmI));
  const frames = ch.frames();
  const ids = WhoAmIResponse.decode(frames[1].subarray(16)).clientInfo;
  assert.ok(ids.some((i) => i.authScheme === 'super' && i.user === ''));
});

test('an unknown auth scheme: AuthFailed with zxid 0, then the connection closes', async () => {
  const h = harness();
  const ch = await session(h);
  ch.send(auth('kerberos', 'x'));
  assert.deepEqual(header(ch.frames()[0]), { xid: -4, zxid: 0n, err: Err.AuthFailed });
  assert.equal(ch.isClosed, true);
});

test('an undecodable auth packet closes the connection without a reply (as ZooKeeper)', async () => {
  const h = harness();
  const ch = await session(h);
  ch.send(request(Xid.auth, OpCode.auth, Buffer.from([0, 0, 0, 0, 0, 0, 0, 9, 0x64])));
  assert.deepEqual(ch.frames(), []);
  assert.equal(ch.isClosed, true);
});

test('sasl without a provider: zxid 0, no error, a null token; the connection stays', async () => {
  const h = harness();
  const ch = await session(h);
  ch.send(request(8, OpCode.sasl, Buffer.from([0, 0, 0, 1, 0x61])));
  const [reply] = ch.frames();
  assert.deepEqual(header(reply), { xid: 8, zxid: 0n, err: 0 });
  assert.equal(reply.readInt32BE(16), -1);
  assert.equal(ch.isClosed, false);
});

test('reads check READ; exists needs nothing; getACL masks digest ids without ADMIN', async () => {
  const h = harness();
  const owner = await session(h);
  owner.send(auth('digest', 'alice:secret'));
  const aliceId = digestId('alice:secret');
  owner.send(
    request(
      1,
      OpCode.create,
      CreateRequest.encode({
        path: '/secret',
        data: Buffer.from('s'),
        acl: [
          { perms: Perms.ALL, id: { scheme: 'digest', id: aliceId } },
          { perms: Perms.READ, id: { scheme: 'world', id: 'anyone' } },
        ],
        flags: 0,
      }),
    ),
  );
  owner.send(request(2, OpCode.create, CreateRequest.encode({ path: '/private', data: null, acl: [{ perms: Perms.ALL, id: { scheme: 'digest', id: aliceId } }], flags: 0 })));
  await h.commit();
  owner.frames();

  const other = await session(h);
  other.send(request(1, OpCode.getData, pathWatchBody('/private', false)));
  other.send(request(2, OpCode.exists, pathWatchBody('/private', false)));
  other.send(request(3, OpCode.getACL, new JuteWriter(16).ustring('/secret').toBuffer()));
  const [denied, exists, acl] = other.frames();
  assert.deepEqual(header(denied), { xid: 1, zxid: 4n, err: Err.NoAuth }, 'reads reply with the last zxid (two creates, two sessions)');
  assert.equal(header(exists).err, 0);
  assert.equal(header(acl).err, 0);
  assert.ok(acl.subarray(16).includes(Buffer.from('alice:x')), 'digest id masked to user:x');
  assert.ok(!acl.subarray(16).includes(Buffer.from(aliceId)));
});

test('exists with a NUL in the path is BadArguments; reads of malformed paths are NoNode', async () => {
  const h = harness();
  const ch = await session(h);
  ch.send(request(1, OpCode.exists, pathWatchBody('/a\0b', false)));
  ch.send(request(2, OpCode.getData, pathWatchBody('//x', false)));
  const [e, g] = ch.frames();
  assert.equal(header(e).err, Err.BadArguments);
  assert.equal(header(g).err, Err.NoNode);
});

test('addWatch replies ErrorResponse(0); a bad mode is MarshallingError; check/remove watches', async () => {
  const h = harness();
  const ch = await session(h);
  ch.send(request(1, OpCode.addWatch, AddWatchRequest.encode({ path: '/w', mode: 1 })));
  ch.send(request(2, OpCode.addWatch, AddWatchRequest.encode({ path: '/w', mode: 7 })));
  ch.send(request(3, OpCode.checkWatches, CheckWatchesRequest.encode({ path: '/w', type: WatcherType.Any })));
  ch.send(request(4, OpCode.removeWatches, CheckWatchesRequest.encode({ path: '/w', type: WatcherType.PersistentRecursive })));
  ch.send(request(5, OpCode.checkWatches, CheckWatchesRequest.encode({ path: '/w', type: WatcherType.Any })));
  const [add, bad, check, remove, gone] = ch.frames();
  assert.equal(add.length, 20);
  assert.deepEqual([header(add).err, add.readInt32BE(16)], [0, 0]);
  assert.equal(header(bad).err, Err.MarshallingError);
  assert.equal(header(check).err, 0);
  assert.equal(header(remove).err, 0);
  assert.equal(header(gone).err, Err.NoWatcher);
});

test('a persistent recursive watch fires for descendants before the write’s reply', async () => {
  const h = harness();
  const ch = await session(h);
  ch.send(request(1, OpCode.addWatch, AddWatchRequest.encode({ path: '/', mode: 1 })));
  ch.send(request(2, OpCode.create, createBody('/r')));
  await h.commit();
  const [, event, reply] = ch.frames();
  assert.equal(header(event).xid, -1);
  assert.equal(event.readInt32BE(16), EventType.NodeCreated);
  assert.equal(header(reply).xid, 2);
});

test('multiRead runs each read on its own; a write inside it fails the whole request', async () => {
  const h = harness();
  const ch = await session(h);
  const w = new JuteWriter(64);
  MultiHeader.write(w, { type: OpCode.getData, done: false, err: -1 });
  GetDataRequest.write(w, { path: '/zookeeper', watch: false });
  MultiHeader.write(w, { type: OpCode.getData, done: false, err: -1 });
  GetDataRequest.write(w, { path: '/missing', watch: false });
  MultiHeader.write(w, { type: -1, done: true, err: -1 });
  ch.send(request(1, OpCode.multiRead, Buffer.from(w.toBuffer())));
  const bad = new JuteWriter(64);
  MultiHeader.write(bad, { type: OpCode.create, done: false, err: -1 });
  CreateRequest.write(bad, { path: '/x', data: null, acl: [], flags: 0 });
  MultiHeader.write(bad, { type: -1, done: true, err: -1 });
  ch.send(request(2, OpCode.multiRead, Buffer.from(bad.toBuffer())));
  const [ok, refused] = ch.frames();
  assert.equal(header(ok).err, 0);
  const body = ok.subarray(16);
  assert.deepEqual([body.readInt32BE(0), body.readInt8(4), body.readInt32BE(5)], [OpCode.getData, 0, 0]);
  assert.deepEqual(header(refused), { xid: 2, zxid: 1n, err: Err.MarshallingError });
});

test('a member that stops serving closes its clients and refuses new ones', async () => {
  const h = harness();
  const ch = await session(h);
  h.server.servingChanged(false, 'looking');
  assert.equal(ch.isClosed, true);
  const late = h.connect();
  assert.equal(late.isClosed, true);
  h.server.servingChanged(true, 'standalone');
  const back = h.connect();
  back.send(connectRequest());
  await h.commit();
  assert.equal(ConnectResponse.decode(back.frames()[0]).timeOut, 30000);
});
