import test from 'node:test';
import assert from 'node:assert/strict';
import {
  ConnectRequest,
  ConnectResponse,
  CreateRequest,
  FrameDecoder,
  FrameError,
  JuteReader,
  JuteWriter,
  ProtocolError,
  Stat,
  finishFrame,
  startFrame,
} from '../../engine/src/jute/index.js';
import { decodeTxnEntry, encodeTxnEntry, type TxnEntry } from '../../engine/src/tree/txn.js';

const stat = {
  czxid: 1n, mzxid: 2n, ctime: 3n, mtime: 4n, version: 5, cversion: 6, aversion: 7,
  ephemeralOwner: 0x0100000c7c2a0000n, dataLength: 9, numChildren: 10, pzxid: 11n,
};

test('Stat is 68 bytes and round-trips', () => {
  const bytes = Stat.encode(stat);
  assert.equal(bytes.length, 68);
  assert.deepEqual(Stat.decode(bytes), stat);
});

test('ConnectRequest with and without the trailing readOnly byte (wire-protocol.md §4.1)', () => {
  const base = { protocolVersion: 0, lastZxidSeen: 0n, timeOut: 30000, sessionId: 0n, passwd: Buffer.alloc(16) };
  const withRo = ConnectRequest.encode({ ...base, readOnly: false });
  const old = ConnectRequest.encode({ ...base, readOnly: undefined });
  assert.equal(withRo.length, 45);
  assert.equal(old.length, 44);
  assert.equal(ConnectRequest.decode(withRo).readOnly, false);
  assert.equal(ConnectRequest.decode(old).readOnly, undefined);
});

test('ConnectResponse matches the captured Java reply (§4.3)', () => {
  const passwd = Buffer.from('58c13fe9000000000000000000000000', 'hex');
  const bytes = ConnectResponse.encode({ protocolVersion: 0, timeOut: 30000, sessionId: 0x010000148dc10001n, passwd, readOnly: false });
  assert.equal(bytes.length, 37);
  assert.equal(bytes.subarray(0, 16).toString('hex'), '0000000000007530010000148dc10001');
});

test('the captured zkCli create decodes (§19)', () => {
  const hex = '000000032f7a630000000178000000010000001f00000005776f726c640000000661' + '6e796f6e6500000000';
  const req = CreateRequest.decode(Buffer.from(hex, 'hex'));
  assert.equal(req.path, '/zc');
  assert.equal(req.data?.toString(), 'x');
  assert.deepEqual(req.acl, [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }]);
  assert.equal(req.flags, 0);
  assert.equal(CreateRequest.encode(req).toString('hex'), hex);
});

test('null buffers and empty buffers stay different', () => {
  const w = new JuteWriter();
  w.buffer(null).buffer(Buffer.alloc(0));
  const r = new JuteReader(w.toBuffer());
  assert.equal(r.buffer(), null);
  assert.deepEqual(r.buffer(), Buffer.alloc(0));
});

test('truncated records name the record, field and offset', () => {
  const bytes = Stat.encode(stat).subarray(0, 30);
  assert.throws(() => Stat.decode(bytes), (e: unknown) => {
    assert.ok(e instanceof ProtocolError);
    assert.equal(e.message, 'cannot decode Stat.mtime at byte 24: needs 8 bytes, 6 left');
    return true;
  });
});

test('lengths below -1 or above the cap are refused before allocating', () => {
  const w = new JuteWriter();
  w.int(-2);
  assert.throws(() => new JuteReader(w.toBuffer()).buffer(), /negative buffer length -2/);
  const big = new JuteWriter();
  big.int(0x100000);
  assert.throws(() => new JuteReader(big.toBuffer()).ustring(), /exceeds the limit 1048575/);
});

test('frames split at every offset reassemble', () => {
  const frames = [Buffer.from('hello'), Buffer.alloc(0), Buffer.from('zookeeper!')];
  const wire = Buffer.concat(frames.map((f) => {
    const w = startFrame();
    w.raw(f);
    return Buffer.from(finishFrame(w));
  }));
  for (let cut = 0; cut <= wire.length; cut++) {
    const d = new FrameDecoder(1000);
    const got = [...d.push(wire.subarray(0, cut)), ...d.push(wire.subarray(cut))];
    assert.deepEqual(got.map(String), frames.map(String), `cut at ${cut}`);
    assert.equal(d.buffered, 0);
  }
});

test('an oversized frame length is an error', () => {
  const d = new FrameDecoder(0xfffff);
  assert.throws(() => d.push(Buffer.from([0, 0x10, 0, 0])), FrameError);
  assert.throws(() => new FrameDecoder(10).push(Buffer.from([0xff, 0xff, 0xff, 0xfe])), /negative frame length/);
});

test('transaction entries round-trip, multi included', () => {
  const entry: TxnEntry = {
    zxid: 0x500000003n, sessionId: 0x0100000c7c2a0001n, cxid: 7, time: 1_700_000_000_123,
    txn: {
      op: 14,
      txns: [
        { op: 1, path: '/a', data: null, acl: [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }], ephemeralOwner: 0n },
        { op: 5, path: '/a', data: Buffer.from('x'), version: -1 },
        { op: 13, path: '/a', version: 1 },
        { op: -1, err: -103 },
      ],
    },
  };
  assert.deepEqual(decodeTxnEntry(encodeTxnEntry(entry)), entry);
});

test('longs: bigints wrap to 64 bits like Java longs; numbers below 2^53 write the same bytes', () => {
  const w = new JuteWriter(4); // grows on the way
  w.long(0xffffffffffffffffn).long(-(2n ** 63n)).long(0x0100000c7c2a0001n);
  const numbers = [0, 1, -1, 2 ** 32, -(2 ** 32) - 5, 1_700_000_000_123, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER];
  for (const n of numbers) w.longFromNumber(n);
  const r = new JuteReader(w.toBuffer());
  assert.deepEqual([r.long(), r.long(), r.long()], [-1n, -(2n ** 63n), 0x0100000c7c2a0001n]);
  for (const n of numbers) assert.equal(r.long(), BigInt(n), `${n}`);
  assert.equal(r.remaining(), 0);
});

test('strings and byte strings: one-pass UTF-8 lengths, latin1 data as jute buffers', () => {
  const w = new JuteWriter(2);
  w.ustring('/a/ünï/€/😀').ustring('').ustring(null);
  w.latin1Buffer('\u0000\u00ff\u0080abc').latin1Buffer('').latin1Buffer(null);
  const r = new JuteReader(w.toBuffer());
  assert.equal(r.ustring(), '/a/ünï/€/😀');
  assert.equal(r.ustring(), '');
  assert.equal(r.ustringOrNull(), null);
  assert.deepEqual(r.buffer(), Buffer.from([0, 0xff, 0x80, 0x61, 0x62, 0x63]));
  assert.deepEqual(r.buffer(), Buffer.alloc(0));
  assert.equal(r.buffer(), null);
  assert.equal(r.remaining(), 0);
  // The encoded length prefix is the UTF-8 byte count.
  assert.equal(new JuteWriter().ustring('€').toBuffer().readInt32BE(0), 3);
});
