/**
 * Bad input (issue "Engine, part 1"): a frame over jute.maxbuffer, a truncated or
 * garbled record, a negative length, a request before the handshake, a client that
 * vanishes mid-frame. Each case runs on its own connection; the expected reaction
 * (close without reply, or an error reply on a connection that stays open) was learned
 * from Apache ZooKeeper 3.8 and is asserted for both servers. After every case a
 * bystander session must still be served, and at the end no committed data is lost.
 * Our member must also log a line for every connection it closes.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Err, JuteWriter, OpCode } from '../../engine/src/jute/index.js';
import { RawZkClient } from '../helpers/raw-client.js';
import * as zk from '../helpers/raw-ops.js';
import { skipUnless, startTarget, type ZkTarget } from './lib/targets.js';

const MAX_BUFFER = 0xfffff;
const CLOSE_WAIT_MS = 5_000;

const lengthPrefix = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const frame = (payload: Buffer): Buffer => Buffer.concat([lengthPrefix(payload.length), payload]);
const hex = (h: string): Buffer => Buffer.from(h.replace(/ /g, ''), 'hex');

type Expect = { closed: true } | { closed: false; err: number };

interface BadCase {
  name: string;
  /** Handshake normally before sending the bad bytes. */
  afterHandshake: boolean;
  /** Sends the bad input; returns the reply's err when a reply is expected. */
  send(c: RawZkClient): Promise<number | null> | number | null;
  expect: Expect;
}

const CASES: BadCase[] = [
  { name: 'first frame longer than jute.maxbuffer (§1)', afterHandshake: false, send: (c) => (c.sendBytes(lengthPrefix(MAX_BUFFER + 1)), null), expect: { closed: true } },
  { name: 'negative first length (§1)', afterHandshake: false, send: (c) => (c.sendBytes(lengthPrefix(-5)), null), expect: { closed: true } },
  { name: 'empty first frame', afterHandshake: false, send: (c) => (c.sendBytes(lengthPrefix(0)), null), expect: { closed: true } },
  { name: 'truncated ConnectRequest (10 bytes)', afterHandshake: false, send: (c) => (c.sendBytes(frame(Buffer.alloc(10))), null), expect: { closed: true } },
  {
    name: 'ConnectRequest whose passwd length overruns the frame',
    afterHandshake: false,
    send: (c) => {
      const f = RawZkClient.connectFrame();
      f.writeInt32BE(1000, 4 + 4 + 8 + 4 + 8);
      c.sendBytes(f);
      return null;
    },
    expect: { closed: true },
  },
  {
    name: 'a request before the handshake (§1: parsed as a ConnectRequest)',
    afterHandshake: false,
    send: (c) => (c.sendBytes(RawZkClient.requestFrame(1, OpCode.exists, hex('0000000a 2f7a6f6f6b6565706572 00'))), null),
    expect: { closed: true },
  },
  { name: 'garbage that is not a four-letter word', afterHandshake: false, send: (c) => (c.sendBytes(Buffer.from('xyzw')), null), expect: { closed: true } },
  { name: 'frame longer than jute.maxbuffer after the handshake', afterHandshake: true, send: (c) => (c.sendBytes(lengthPrefix(MAX_BUFFER + 1)), null), expect: { closed: true } },
  { name: 'negative length after the handshake', afterHandshake: true, send: (c) => (c.sendBytes(lengthPrefix(-1)), null), expect: { closed: true } },
  { name: 'empty frame (no RequestHeader)', afterHandshake: true, send: (c) => (c.sendBytes(lengthPrefix(0)), null), expect: { closed: true } },
  { name: '3-byte frame (truncated RequestHeader)', afterHandshake: true, send: (c) => (c.sendBytes(frame(hex('000000'))), null), expect: { closed: true } },
  {
    name: 'create of 1 MiB + 10 bytes (over jute.maxbuffer)',
    afterHandshake: true,
    send: (c) => (c.sendBytes(RawZkClient.requestFrame(1, OpCode.create, createBody('/too-big', 1024 * 1024 + 10))), null),
    expect: { closed: true },
  },
  { name: 'auth packet that cannot be decoded', afterHandshake: true, send: (c) => (c.sendBytes(RawZkClient.requestFrame(-4, OpCode.auth, hex('00'))), null), expect: { closed: true } },
  { name: 'unknown opcode 99: Unimplemented, then closed (§5)', afterHandshake: true, send: async (c) => (await c.request(99)).err, expect: { closed: true } },
  { name: 'create with no body: MarshallingError (§5)', afterHandshake: true, send: async (c) => (await c.request(OpCode.create)).err, expect: { closed: false, err: Err.MarshallingError } },
  { name: 'getData with a path length of 0x7fffffff', afterHandshake: true, send: async (c) => (await c.request(OpCode.getData, hex('7fffffff'))).err, expect: { closed: false, err: Err.MarshallingError } },
  { name: 'getData with a path length of -5', afterHandshake: true, send: async (c) => (await c.request(OpCode.getData, hex('fffffffb 00'))).err, expect: { closed: false, err: Err.MarshallingError } },
  { name: 'setData with a negative data length', afterHandshake: true, send: async (c) => (await c.request(OpCode.setData, hex('00000001 2f fffffff0 00000000'))).err, expect: { closed: false, err: Err.MarshallingError } },
  { name: 'multi with a garbled op header', afterHandshake: true, send: async (c) => (await c.request(OpCode.multi, hex('00000001 00 ffffffff'))).err, expect: { closed: false, err: Err.MarshallingError } },
  { name: 'setWatches with a truncated body', afterHandshake: true, send: async (c) => (await c.request(OpCode.setWatches, hex('00'))).err, expect: { closed: false, err: Err.MarshallingError } },
];

function createBody(path: string, dataLength: number): Buffer {
  const w = new JuteWriter(dataLength + 64);
  w.ustring(path).buffer(Buffer.alloc(dataLength, 0x61)).int(1).int(31).ustring('world').ustring('anyone').int(0);
  return Buffer.from(w.toBuffer());
}

function closedWithin(c: RawZkClient, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([c.whenClosed().then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)))]).finally(() => clearTimeout(timer));
}

/** Our member must log something when it drops a connection for bad input. */
async function loggedSince(t: ZkTarget, before: number): Promise<boolean> {
  for (let i = 0; i < 40; i++) {
    if (t.output().length > before) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

for (const kind of ['apache', 'zoolab'] as const) {
  describe(`bad input against ${kind}: only the offending connection suffers`, { skip: skipUnless(kind) }, () => {
    let t: ZkTarget;
    let bystander: RawZkClient;
    const committed = new Map<string, string>();

    before(async () => {
      t = await startTarget(kind);
      bystander = await RawZkClient.connect(t.port);
      await zk.create(bystander, { path: '/committed' });
      for (let i = 0; i < 20; i++) {
        const path = `/committed/n${i}`;
        const data = `value-${i}-${'x'.repeat(i * 10)}`;
        assert.equal((await zk.create(bystander, { path, data: Buffer.from(data) })).err, 0);
        committed.set(path, data);
      }
    });
    after(async () => {
      bystander?.destroy();
      await t?.stop();
    });

    for (const bad of CASES) {
      test(bad.name, async () => {
        const c = await RawZkClient.dial(t.port);
        try {
          if (bad.afterHandshake) await c.handshake();
          const logBefore = t.output().length;
          const zxidBefore = (await bystander.ping()).zxid;
          const err = await bad.send(c);
          if (bad.expect.closed) {
            assert.ok(await closedWithin(c, CLOSE_WAIT_MS), 'the server kept the connection open');
            assert.equal(c.arrivals.filter((a) => a.kind !== 'closed' && !(a.kind === 'reply' && a.err === Err.Unimplemented)).length, 0, `unexpected frames: ${JSON.stringify(c.arrivals.map((a) => a.kind))}`);
            if (kind === 'zoolab') assert.ok(await loggedSince(t, logBefore), 'no log line for the closed connection');
          } else {
            assert.equal(err, bad.expect.err);
            assert.equal((await c.ping()).err, 0, 'the connection must stay usable');
            // A malformed write still consumes a zxid (§5).
            if (c.arrivals.some((a) => a.kind === 'reply' && a.op === OpCode.create)) assert.equal((await bystander.ping()).zxid, zxidBefore + 1n);
          }
        } finally {
          c.destroy();
        }
        assert.equal((await bystander.ping()).err, 0, 'the bystander session must still be served');
      });
    }

    test('a client vanishing mid-frame, before and after the handshake', async () => {
      for (const afterHandshake of [false, true]) {
        const c = await RawZkClient.dial(t.port);
        if (afterHandshake) await c.handshake();
        c.sendBytes(lengthPrefix(100));
        c.sendBytes(Buffer.alloc(10));
        c.destroy();
      }
      assert.equal((await bystander.ping()).err, 0);
    });

    test('a frame just under jute.maxbuffer is accepted', async () => {
      const c = await RawZkClient.connect(t.port);
      try {
        const data = Buffer.alloc(MAX_BUFFER - 200, 0x62);
        assert.equal((await zk.create(c, { path: '/almost-max', data })).err, 0);
        assert.equal((await zk.getData(c, '/almost-max')).value?.data?.length, data.length);
      } finally {
        c.destroy();
      }
    });

    test('afterwards: the server is alive, the bystander still gets events, no committed data is lost', async () => {
      assert.ok(t.processAlive(), `the server died:\n${t.output().slice(-3000)}`);
      assert.equal((await zk.exists(bystander, '/committed/n0', true)).err, 0);
      const fresh = await RawZkClient.connect(t.port);
      try {
        for (const [path, data] of committed) {
          const r = await zk.getData(fresh, path);
          assert.equal(r.err, 0, `${path} is gone`);
          assert.equal(r.value?.data?.toString(), data);
        }
        assert.equal((await zk.getChildren(fresh, '/committed')).value?.length, committed.size);
        assert.equal((await zk.setData(fresh, '/committed/n0', Buffer.from('changed'))).err, 0);
        await bystander.ping();
        assert.deepEqual(bystander.events().map((e) => [e.type, e.path]), [[3, '/committed/n0']]);
      } finally {
        fresh.destroy();
      }
    });
  });
}
