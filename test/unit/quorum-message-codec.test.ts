import test from 'node:test';
import assert from 'node:assert/strict';
import { decodePeerMessage, encodePeerMessage } from '../../engine/src/quorum/message-codec.js';
import type { PeerMessage, ZabBody } from '../../engine/src/quorum/messages.js';
import { makeZxid } from '../../engine/src/jute/zxid.js';
import { OpCode } from '../../engine/src/jute/opcodes.js';
import type { TxnEntry } from '../../engine/src/tree/txn.js';

const z = makeZxid(3, 9);
const entry: TxnEntry = { zxid: z, sessionId: 0x0100000000000007n, cxid: 12, time: 1_700_000_000_123, txn: { op: OpCode.setData, path: '/a', data: Buffer.from('v'), version: 2 } };

/** One body per type; the mapped type makes the compiler reject a missing one. */
const bodies: { [K in ZabBody['type']]: Extract<ZabBody, { type: K }> } = {
  learnerinfo: { type: 'learnerinfo', acceptedEpoch: 4, learnerType: 'observer' },
  leaderinfo: { type: 'leaderinfo', epoch: 5 },
  ackepoch: { type: 'ackepoch', currentEpoch: -1, lastZxid: z },
  diff: { type: 'diff', zxid: z },
  trunc: { type: 'trunc', zxid: 0n },
  snap: { type: 'snap', zxid: z, bytes: Buffer.from([1, 2, 3]), sessions: [{ id: 5n, timeoutMs: 4000 }] },
  proposal: { type: 'proposal', entry },
  commit: { type: 'commit', zxid: z },
  inform: { type: 'inform', entry },
  newleader: { type: 'newleader', epoch: 5 },
  ack: { type: 'ack', zxid: makeZxid(5, 0) },
  uptodate: { type: 'uptodate' },
  ping: { type: 'ping', zxid: z },
  pong: { type: 'pong', touches: [{ sessionId: 9n, timeoutMs: 2000 }, { sessionId: 10n, timeoutMs: 3000 }] },
  request: { type: 'request', request: { sessionId: 7n, cxid: 3, op: OpCode.create, body: Buffer.from('xyz'), authIds: [{ scheme: 'digest', id: 'u:h' }] } },
  revalidate: { type: 'revalidate', sessionId: 7n, timeoutMs: 3000 },
  revalidated: { type: 'revalidated', sessionId: 7n, valid: true },
  sync: { type: 'sync', sessionId: 7n },
  synced: { type: 'synced', sessionId: 7n },
  close: { type: 'close', reason: 'lost-quorum' },
};

function roundTrip(m: PeerMessage): PeerMessage {
  const wire = encodePeerMessage(m);
  assert.equal(wire.readInt32BE(0), wire.length - 4, 'length prefix');
  return decodePeerMessage(wire.subarray(4));
}

test('every ZAB packet survives encoding', () => {
  for (const body of Object.values(bodies) as ZabBody[]) {
    const m: PeerMessage = { type: 'zab', link: 0xfffffffff * 0x100000 + 7, seq: 42, body };
    assert.deepEqual(roundTrip(m), m, body.type);
  }
});

test('notifications survive encoding, observer votes included', () => {
  for (const m of [
    { type: 'notification', vote: { leader: 3, zxid: z, peerEpoch: 3, round: 17 }, state: 'leading' },
    { type: 'notification', vote: { leader: -1, zxid: -1n, peerEpoch: -1, round: 1 }, state: 'observing' },
  ] as PeerMessage[]) {
    assert.deepEqual(roundTrip(m), m);
  }
});

test('malformed messages are refused with a clear error, never half-decoded', () => {
  assert.throws(() => decodePeerMessage(Buffer.from([0, 0, 0, 9])), /unknown peer message kind 9/);
  const good = encodePeerMessage({ type: 'zab', link: 1, seq: 0, body: bodies.commit }).subarray(4);
  assert.throws(() => decodePeerMessage(good.subarray(0, good.length - 2)));
  assert.throws(() => decodePeerMessage(Buffer.concat([good, Buffer.from([0])])), /trailing/);
  const badType = Buffer.from(good);
  badType.writeInt32BE(99, 16); // kind(4) + link(8) + seq(4), then the body type
  assert.throws(() => decodePeerMessage(badType), /unknown ZAB packet type/);
});
