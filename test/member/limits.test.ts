/**
 * Connection limits: maxClientCnxns per client IP (wire-protocol.md §13.2), and
 * backpressure — a client that stops reading its replies is paused without holding up
 * anyone else, and gets every reply, in order, once it reads again.
 */
import test, { after } from 'node:test';
import assert from 'node:assert/strict';
import { startZooLabServer, type ZooLabServer } from '../helpers/zoolab-server.js';
import { RawZkClient } from '../helpers/raw-client.js';
import { create, getData, OPEN_ACL } from '../helpers/raw-ops.js';
import { fourLetterWord } from '../helpers/four-letter.js';
import { GetDataRequest, OpCode } from '../../engine/src/jute/index.js';

const servers: ZooLabServer[] = [];
const clients: RawZkClient[] = [];
after(async () => {
  for (const c of clients) c.destroy();
  await Promise.all(servers.map((s) => s.stop()));
});

test('maxClientCnxns: connections beyond the limit from one IP are closed at once', { timeout: 60_000 }, async () => {
  const s = await startZooLabServer({ maxClientCnxns: 3 });
  servers.push(s);
  for (let i = 0; i < 3; i++) clients.push(await RawZkClient.connect(s.port));
  const extra = await RawZkClient.dial(s.port);
  clients.push(extra);
  await extra.whenClosed();
  assert.match(s.output(), /WARN .*too many connections from 127\.0\.0\.1 - max is 3/);
  for (const c of clients.slice(0, 3)) assert.equal((await c.ping()).err, 0, 'the first three keep working');
  // A slot frees up when one of them leaves.
  const leaving = clients[0]!;
  leaving.destroy();
  await leaving.whenClosed();
  let again: RawZkClient | null = null;
  for (let attempt = 0; attempt < 50 && again === null; attempt++) {
    try {
      again = await RawZkClient.connect(s.port);
    } catch {
      // the server has not processed the close yet
    }
  }
  assert.ok(again, 'a new connection is accepted once a slot is free');
  clients.push(again);
});

test('a client that does not read is paused; others are served; nothing is lost', { timeout: 60_000 }, async () => {
  const s = await startZooLabServer({ 'zoolab.outputHighWaterBytes': 1 << 20 });
  servers.push(s);
  const writer = await RawZkClient.connect(s.port);
  clients.push(writer);
  const big = Buffer.alloc(500_000, 7);
  assert.equal((await create(writer, { path: '/big', data: big, acl: OPEN_ACL })).err, 0);
  assert.equal((await create(writer, { path: '/small', data: Buffer.from('s'), acl: OPEN_ACL })).err, 0);

  const slow = await RawZkClient.connect(s.port);
  clients.push(slow);
  slow.replyTimeoutMs = 60_000;
  slow.socket.pause();
  const pending = Array.from({ length: 60 }, () => slow.request(OpCode.getData, GetDataRequest.encode({ path: '/big', watch: false })));

  // Meanwhile another client is answered.
  for (let i = 0; i < 20; i++) assert.equal((await getData(writer, '/small')).err, 0);
  // The stalled connection shows as not reading (interest ops without the read bit).
  let stalled = false;
  for (let i = 0; i < 50 && !stalled; i++) {
    const cons = await fourLetterWord(s.port, 'cons');
    const line = cons.split('\n').find((l) => l.includes(`:${slow.socket.localPort}[`));
    stalled = line !== undefined && /\[(0|4)\]/.test(line);
  }
  assert.ok(stalled, 'the server paused reading from the client that does not read');

  slow.socket.resume();
  const replies = await Promise.all(pending);
  assert.equal(replies.length, 60);
  for (const r of replies) {
    assert.equal(r.err, 0);
    assert.equal(r.inOrder, true);
  }
});
