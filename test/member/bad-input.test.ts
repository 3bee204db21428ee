/**
 * Bad input on raw sockets (wire-protocol.md §1, §4, §5): each kind closes only the
 * offending connection, with one log line, or is answered with MarshallingError where
 * ZooKeeper answers; an established session on another connection keeps working and no
 * committed data is lost.
 */
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { startZooLabServer, type ZooLabServer } from '../helpers/zoolab-server.js';
import { RawZkClient } from '../helpers/raw-client.js';
import { create, getData, OPEN_ACL } from '../helpers/raw-ops.js';
import { fourLetterWord } from '../helpers/four-letter.js';
import { Err, OpCode, JuteWriter } from '../../engine/src/jute/index.js';

let server: ZooLabServer;
let bystander: RawZkClient;

before(async () => {
  server = await startZooLabServer({ 'jute.maxbuffer': 0xfffff, 'zookeeper.nio.sessionlessCnxnTimeout': 1000 });
  bystander = await RawZkClient.connect(server.port);
  assert.equal((await create(bystander, { path: '/keep', data: Buffer.from('safe'), acl: OPEN_ACL })).err, 0);
});

after(async () => {
  bystander?.destroy();
  await server?.stop();
});

function frame(payload: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeInt32BE(payload.length);
  return Buffer.concat([len, payload]);
}

/** The bystander still gets correct answers, and the member still serves. */
async function othersUnharmed(): Promise<void> {
  const r = await getData(bystander, '/keep');
  assert.equal(r.err, 0);
  assert.equal(r.value!.data!.toString(), 'safe');
  assert.match(await fourLetterWord(server.port, 'srvr'), /Mode: standalone/);
  assert.equal(server.process.exitCode, null);
}

/** Sends raw bytes on a fresh socket and waits until the server closes it. */
async function closedBy(bytes: Buffer): Promise<{ arrivals: number }> {
  const c = await RawZkClient.dial(server.port);
  c.sendBytes(bytes);
  await c.whenClosed();
  return { arrivals: c.arrivals.filter((a) => a.kind !== 'closed').length };
}

function logLinesMatching(re: RegExp): number {
  return server.output().split('\n').filter((l) => re.test(l)).length;
}

test('a frame longer than jute.maxbuffer closes that connection without a reply', { timeout: 60_000 }, async () => {
  const before = logLinesMatching(/exceeds jute\.maxbuffer/);
  const lenOnly = Buffer.alloc(4);
  lenOnly.writeInt32BE(0x100000);
  assert.deepEqual(await closedBy(lenOnly), { arrivals: 0 });
  await othersUnharmed();
  assert.equal(logLinesMatching(/WARN .*exceeds jute\.maxbuffer/), before + 1);
});

test('a negative length closes that connection', { timeout: 60_000 }, async () => {
  assert.deepEqual(await closedBy(Buffer.from([0xff, 0xff, 0xff, 0xfe, 1, 2, 3])), { arrivals: 0 });
  await othersUnharmed();
  assert.ok(logLinesMatching(/negative frame length -2/) >= 1);
});

test('an unknown four-letter word reads as a huge length: silent close', { timeout: 60_000 }, async () => {
  assert.deepEqual(await closedBy(Buffer.from('xyzw')), { arrivals: 0 });
  await othersUnharmed();
});

test('a garbled ConnectRequest closes the connection without a reply', { timeout: 60_000 }, async () => {
  assert.deepEqual(await closedBy(frame(Buffer.from([0, 0, 0, 0, 1]))), { arrivals: 0 });
  await othersUnharmed();
  assert.ok(logLinesMatching(/refusing connection .*malformed ConnectRequest/) >= 1);
});

test('a request before the handshake is read as a ConnectRequest and refused', { timeout: 60_000 }, async () => {
  const getDataFirst = new JuteWriter(32).int(1).int(OpCode.getData).ustring('/keep').bool(false).toBuffer();
  assert.deepEqual(await closedBy(frame(getDataFirst)), { arrivals: 0 });
  await othersUnharmed();
});

test('a truncated request header closes only that connection', { timeout: 60_000 }, async () => {
  const c = await RawZkClient.connect(server.port);
  c.sendBytes(frame(Buffer.from([0, 0, 1])));
  await c.whenClosed();
  await othersUnharmed();
});

test('truncated or garbled records get MarshallingError and the connection stays open', { timeout: 60_000 }, async () => {
  const c = await RawZkClient.connect(server.port);
  try {
    // getData whose path length claims more bytes than the frame holds.
    const read = await c.request(OpCode.getData, Buffer.from([0, 0, 0, 50, 0x2f]));
    assert.equal(read.err, Err.MarshallingError);
    // A create with a garbled body: the error txn still consumes a zxid (§5).
    const zxidBefore = (await c.ping()).zxid;
    const write = await c.request(OpCode.create, Buffer.from([0xff, 0xff, 0xff, 0x00]));
    assert.equal(write.err, Err.MarshallingError);
    assert.equal(write.zxid, zxidBefore + 1n);
    assert.equal(c.closed, false);
    assert.equal((await getData(c, '/keep')).err, 0, 'the same connection keeps working');
  } finally {
    c.destroy();
  }
  await othersUnharmed();
});

test('a client vanishing mid-frame is logged and disturbs nobody', { timeout: 60_000 }, async () => {
  const c = await RawZkClient.connect(server.port);
  const partial = Buffer.alloc(14);
  partial.writeInt32BE(100, 0); // announces 100 bytes, sends 10
  c.sendBytes(partial);
  c.destroy();
  await c.whenClosed();
  // The server notices the close asynchronously; poll the log rather than sleeping blindly.
  for (let i = 0; i < 100 && logLinesMatching(/closed by the client in the middle of a frame/) === 0; i++) {
    await othersUnharmed();
  }
  assert.ok(logLinesMatching(/closed by the client in the middle of a frame/) >= 1);
  await othersUnharmed();
});

test('a connection that never sends a whole first frame is dropped after the sessionless timeout', { timeout: 60_000 }, async () => {
  const c = await RawZkClient.dial(server.port);
  c.sendBytes(Buffer.from([0, 0])); // not even a length
  const started = Date.now();
  await c.whenClosed();
  assert.ok(Date.now() - started >= 900, 'not before the configured timeout');
  assert.ok(logLinesMatching(/nothing usable received within 1000 ms/) >= 1);
  await othersUnharmed();
});

test('random garbage on many connections at once leaves the member serving', { timeout: 60_000 }, async () => {
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      const c = await RawZkClient.dial(server.port);
      const bytes = Buffer.from(Array.from({ length: 1 + Math.floor(rand() * 200) }, () => Math.floor(rand() * 256)));
      c.sendBytes(bytes);
      c.destroy();
      await c.whenClosed();
    }),
  );
  await othersUnharmed();
});
