/**
 * Link proxy on real loopback sockets with hand-driven time: pass, delay (order kept),
 * per-frame loss, blackhole (hold and release, poisoning past the hold limit, deferred
 * dial), reject (existing and new connections).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { LinkDirection } from '../../engine/src/lab/link-direction.js';
import { LinkProxy } from '../../engine/src/lab/link-proxy.js';
import { seededRandom } from '../../engine/src/lab/timers.js';
import { ManualTimers } from '../lab/helpers/manual-timers.js';
import { frame, recordingServer, testClient, until } from '../lab/helpers/net-fixtures.js';

async function setup(options: { echo?: boolean; holdLimitBytes?: number } = {}) {
  const server = await recordingServer({ echo: options.echo });
  const timers = new ManualTimers();
  const forward = new LinkDirection(1, 2);
  const backward = new LinkDirection(2, 1);
  const proxy = new LinkProxy({
    target: { host: '127.0.0.1', port: server.port },
    forward,
    backward,
    timers,
    random: seededRandom(42),
    holdLimitBytes: options.holdLimitBytes,
  });
  const port = await proxy.start();
  return {
    server,
    timers,
    forward,
    backward,
    proxy,
    port,
    async close() {
      await proxy.close();
      await server.close();
    },
  };
}

test('pass forwards both ways and counts bytes and connections', async (t) => {
  const lab = await setup({ echo: true });
  t.after(() => lab.close());
  const client = await testClient(lab.port);
  client.socket.write(frame('ping'));
  await until(() => client.received().length === 8, 'echo');
  assert.deepEqual(client.received(), frame('ping'));
  assert.equal(lab.forward.bytesForwarded, 8);
  assert.equal(lab.backward.bytesForwarded, 8);
  assert.equal(lab.forward.connections, 1);
  assert.equal(lab.backward.connections, 1);
  client.socket.end();
  await until(() => lab.forward.connections === 0, 'connection closed');
  assert.equal(lab.backward.connections, 0);
});

test('delay holds each unit until its time and keeps order under jitter', async (t) => {
  const lab = await setup();
  t.after(() => lab.close());
  lab.forward.update({ delayMs: 100, jitterMs: 80 });
  const client = await testClient(lab.port);
  await until(() => lab.server.sockets.length === 1, 'dial');
  const frames = Array.from({ length: 20 }, (_, i) => frame(`m${i}`));
  for (const f of frames) client.socket.write(f);
  const total = Buffer.concat(frames).length;
  await until(() => lab.forward.bytesReceived === total, 'proxy read everything');
  assert.equal(lab.timers.pendingCount, 1, 'one timer for the head of the queue');
  assert.equal(lab.server.received[0]!.length, 0, 'nothing delivered before the delay');
  lab.timers.advance(19);
  assert.equal(lab.forward.bytesForwarded, 0, 'minimum delay is 100-80 ms');
  lab.timers.advance(200);
  await until(() => lab.server.received[0]!.length === total, 'all delivered');
  assert.deepEqual(lab.server.received[0], Buffer.concat(frames), 'order kept');
});

test('loss drops whole frames with the given probability and never splits one', async (t) => {
  const lab = await setup();
  t.after(() => lab.close());
  lab.forward.update({ lossPercent: 50 });
  const client = await testClient(lab.port);
  const frames = Array.from({ length: 200 }, (_, i) => frame(`frame-${String(i).padStart(3, '0')}`));
  const total = Buffer.concat(frames).length;
  client.socket.write(Buffer.concat(frames));
  await until(() => lab.forward.bytesForwarded + lab.forward.bytesDropped === total, 'all frames judged');
  await until(() => lab.server.received[0]?.length === lab.forward.bytesForwarded, 'delivered');
  const got = lab.server.received[0]!;
  const names: string[] = [];
  for (let at = 0; at < got.length; ) {
    const n = got.readInt32BE(at);
    names.push(got.subarray(at + 4, at + 4 + n).toString());
    at += 4 + n;
  }
  assert.ok(names.every((n) => /^frame-\d{3}$/.test(n)), 'every delivered frame is whole');
  assert.ok(names.length > 60 && names.length < 140, `about half kept, got ${names.length}`);
  assert.deepEqual(names, [...names].sort(), 'survivors stay in order');
});

test('an unframed stream passes whole even at 100% loss', async (t) => {
  const lab = await setup({ echo: true });
  t.after(() => lab.close());
  lab.forward.update({ lossPercent: 100 });
  lab.backward.update({ lossPercent: 100 });
  const client = await testClient(lab.port);
  client.socket.write('srvr');
  await until(() => client.received().toString() === 'srvr', 'raw echo');
});

test('blackhole holds bytes and delivers them in order when healed', async (t) => {
  const lab = await setup({ echo: true });
  t.after(() => lab.close());
  const client = await testClient(lab.port);
  client.socket.write(frame('before'));
  await until(() => client.received().length === 10, 'first echo');
  lab.backward.update({ mode: 'blackhole' });
  client.socket.write(frame('during'));
  await until(() => lab.server.received[0]!.length === 20, 'server got the second frame');
  await until(() => lab.backward.bytesReceived === 20, 'the reply reached the proxy');
  assert.equal(lab.backward.bytesForwarded, 10);
  assert.equal(client.received().length, 10, 'reply held by the blackhole');
  lab.backward.update({ mode: 'pass' });
  await until(() => client.received().length === 20, 'held reply released');
  assert.deepEqual(client.received(), Buffer.concat([frame('before'), frame('during')]));
});

test('a blackhole past its hold limit poisons the connection, which is reset at heal', async (t) => {
  const lab = await setup({ holdLimitBytes: 100 });
  t.after(() => lab.close());
  const client = await testClient(lab.port);
  await until(() => lab.server.sockets.length === 1, 'dial');
  lab.forward.update({ mode: 'blackhole' });
  client.socket.write(frame(Buffer.alloc(200, 1)));
  await until(() => lab.forward.bytesDropped === 204, 'dropped past the limit');
  assert.equal(lab.server.received[0]!.length, 0);
  lab.forward.update({ mode: 'pass' });
  await until(() => client.reset() || client.closed(), 'client reset');
  await until(() => lab.server.resets[0]! || lab.server.sockets[0]!.destroyed, 'server side reset');
  assert.equal(lab.proxy.openConnections, 0);
});

test('blackhole at accept time defers the dial until the link heals', async (t) => {
  const lab = await setup();
  t.after(() => lab.close());
  lab.forward.update({ mode: 'blackhole' });
  const client = await testClient(lab.port);
  client.socket.write(frame('hello'));
  await until(() => lab.proxy.openConnections === 1, 'accepted');
  // A second connection to the target proves the event loop ran past any dial the proxy might have made.
  const probe = await testClient(lab.server.port);
  await until(() => lab.server.sockets.length >= 1, 'probe accepted');
  assert.equal(lab.server.sockets.length, 1, 'only the probe reached the target');
  probe.socket.destroy();
  lab.forward.update({ mode: 'pass' });
  await until(() => lab.server.sockets.length === 2, 'dialled after heal');
  await until(() => lab.server.received[1]!.length === 9, 'held bytes delivered');
  assert.deepEqual(lab.server.received[1], frame('hello'));
});

test('reject resets open connections and refuses new ones until healed', async (t) => {
  const lab = await setup({ echo: true });
  t.after(() => lab.close());
  const client = await testClient(lab.port);
  await until(() => lab.server.sockets.length === 1, 'dial');
  lab.forward.update({ mode: 'reject' });
  await until(() => client.reset(), 'existing connection reset');
  const second = await testClient(lab.port).catch(() => null);
  if (second) await until(() => second.reset() || second.closed(), 'new connection reset');
  await until(() => lab.proxy.rejectedConnections === 1, 'counted as rejected');
  lab.forward.update({ mode: 'pass' });
  const third = await testClient(lab.port);
  third.socket.write(frame('ok'));
  await until(() => third.received().length === 6, 'works after heal');
});

test('a stream that only looks framed is never stalled: without loss bytes pass at once, with loss a stalled "frame" is released', async (t) => {
  const lab = await setup({ echo: true });
  t.after(() => lab.close());
  // 4 bytes that read as a 1000-byte length, then a short message: a protocol that is not length-prefixed.
  const unframed = Buffer.from([0, 0, 3, 232, 1, 2, 3]);
  const first = await testClient(lab.port);
  first.socket.write(unframed);
  await until(() => lab.forward.bytesReceived === unframed.length, 'read by the proxy');
  assert.equal(lab.forward.bytesForwarded, unframed.length, 'passed at once: nothing is held without loss');
  await until(() => first.received().length === unframed.length, 'echo without loss');

  lab.forward.update({ lossPercent: 50 });
  const second = await testClient(lab.port);
  second.socket.write(unframed);
  await until(() => lab.forward.bytesReceived === 2 * unframed.length, 'read by the proxy');
  assert.equal(lab.forward.bytesForwarded, unframed.length, 'held while it might be a frame');
  lab.timers.advance(999);
  assert.equal(lab.forward.bytesForwarded, unframed.length, 'still waiting for the rest of the "frame"');
  lab.timers.advance(1);
  assert.equal(lab.forward.bytesForwarded, 2 * unframed.length, 'released, not dropped, once it stalled');
  await until(() => second.received().length === unframed.length, 'echo after the release');
});

test('bad settings are refused with a clear message and change nothing', () => {
  const d = new LinkDirection(1, 2);
  assert.throws(() => d.update({ lossPercent: 120 }), /lossPercent must be between 0 and 100, not 120/);
  assert.throws(() => d.update({ delayMs: -1 }), /delayMs must be between 0 and 60000 ms, not -1/);
  assert.throws(() => d.update({ mode: 'drop' as never }), /link mode must be pass, blackhole or reject/);
  assert.deepEqual(d.settings, { mode: 'pass', delayMs: 0, jitterMs: 0, lossPercent: 0 });
});
