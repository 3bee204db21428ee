import test from 'node:test';
import assert from 'node:assert/strict';
import {
  type EventOf,
  type MemberState,
  type ProtocolEvent,
  type ProtocolEventKind,
  type ReportedEvent,
  NO_EVENTS,
  RecordingSink,
  bigintToHex,
  describeEvent,
  fanOut,
  fromJsonSafe,
  hexToBigint,
  toJsonSafe,
} from '../../engine/src/quorum/protocol-events.js';
import { makeZxid } from '../../engine/src/jute/zxid.js';

const z = makeZxid(3, 7);
const vote = { leader: 2, zxid: z, peerEpoch: 3, round: 4 };

/** One sample per kind; the mapped type makes the compiler reject a missing kind. */
const samples: { [K in ProtocolEventKind]: EventOf<K> } = {
  'role-changed': { kind: 'role-changed', role: 'leading', phase: 'discovery', previousRole: 'looking', previousPhase: 'election' },
  'peer-connected': { kind: 'peer-connected', peer: 3 },
  'peer-disconnected': { kind: 'peer-disconnected', peer: 3 },
  'election-started': { kind: 'election-started', round: 4, vote },
  'vote-sent': { kind: 'vote-sent', to: 1, vote, state: 'looking' },
  'vote-received': { kind: 'vote-received', from: 1, vote, state: 'following' },
  'vote-changed': { kind: 'vote-changed', vote, because: 2 },
  'election-decided': { kind: 'election-decided', leader: 2, round: 4, peerEpoch: 3, zxid: z, role: 'following', voters: [1, 2] },
  'learner-connected': { kind: 'learner-connected', learner: 1, learnerType: 'observer', acceptedEpoch: 3 },
  'learner-disconnected': { kind: 'learner-disconnected', learner: 1, reason: 'timeout' },
  'epoch-proposed': { kind: 'epoch-proposed', epoch: 4, voters: [1, 2] },
  'epoch-accepted': { kind: 'epoch-accepted', epoch: 4, leader: 2 },
  'epoch-acked': { kind: 'epoch-acked', learner: 1, currentEpoch: 3, lastZxid: z },
  'epoch-persisted': { kind: 'epoch-persisted', which: 'current', epoch: 4 },
  'sync-chosen': { kind: 'sync-chosen', learner: 1, mode: 'TRUNC', peerZxid: makeZxid(3, 9), zxid: z, txnCount: 0 },
  'sync-received': { kind: 'sync-received', leader: 2, mode: 'SNAP', zxid: z },
  truncated: { kind: 'truncated', zxid: z, removed: 2 },
  'snapshot-loaded': { kind: 'snapshot-loaded', zxid: z },
  'newleader-acked': { kind: 'newleader-acked', epoch: 4, leader: 2 },
  'learner-synced': { kind: 'learner-synced', learner: 1 },
  'leader-established': { kind: 'leader-established', epoch: 4, voters: [1, 2] },
  uptodate: { kind: 'uptodate', leader: 2, epoch: 4 },
  'proposal-sent': { kind: 'proposal-sent', zxid: z, op: 'create', sessionId: 0x0100000000000001n, to: [1, 3] },
  'proposal-received': { kind: 'proposal-received', zxid: z, op: 'create', from: 2 },
  logged: { kind: 'logged', zxid: z, count: 5 },
  'ack-sent': { kind: 'ack-sent', zxid: z, to: 2 },
  'ack-received': { kind: 'ack-received', zxid: z, from: 1 },
  committed: { kind: 'committed', zxid: z, op: 'setData' },
  'request-forwarded': { kind: 'request-forwarded', sessionId: 0xff00000000000001n, cxid: 9, op: 'delete', leader: 2 },
  'sync-parked': { kind: 'sync-parked', sessionId: 5n, zxid: z },
  'sync-released': { kind: 'sync-released', sessionId: 5n, zxid: z },
  'leader-stepped-down': { kind: 'leader-stepped-down', epoch: 4, reason: 'lost-quorum', detail: 'synced [2] of 3' },
  'leader-lost': { kind: 'leader-lost', leader: 2, reason: 'timeout', detail: '' },
  'session-created': { kind: 'session-created', sessionId: 5n, timeoutMs: 4000, zxid: z },
  'session-expired': { kind: 'session-expired', sessionId: 5n },
  'session-closed': { kind: 'session-closed', sessionId: 5n, reason: 'expired', ephemerals: 2, zxid: z },
  'session-revalidated': { kind: 'session-revalidated', sessionId: 5n, owner: 3, valid: true },
  'watch-fired': { kind: 'watch-fired', sessionId: 5n, path: '/a', type: 1, zxid: z },
  'read-only': { kind: 'read-only', entered: true },
};

test('every event kind survives a JSON round trip unchanged', () => {
  for (const event of Object.values(samples) as ProtocolEvent[]) {
    const wire = JSON.parse(JSON.stringify(toJsonSafe(event)));
    assert.deepEqual(fromJsonSafe<ProtocolEvent>(wire), event, event.kind);
  }
});

test('bigints travel as hex strings, including -1 (no data) and values above 2^63', () => {
  const e: ProtocolEvent = { kind: 'ack-sent', zxid: -1n, to: 1 };
  assert.deepEqual(toJsonSafe(e), { kind: 'ack-sent', zxid: '-0x1', to: 1 });
  assert.equal(bigintToHex(0xffffffffffffffffn), '0xffffffffffffffff');
  assert.equal(hexToBigint('0xFFFFFFFFFFFFFFFF'), 0xffffffffffffffffn);
  assert.equal(hexToBigint('-0x1'), -1n);
  assert.throws(() => hexToBigint('12'), /expected a hex string/);
});

test('state snapshots and envelopes round trip', () => {
  const state: MemberState = {
    sid: 1, role: 'following', phase: 'broadcast', learnerType: 'participant', acceptedEpoch: 4, currentEpoch: 4,
    lastLoggedZxid: makeZxid(4, 2), committedZxid: makeZxid(4, 1), leaderId: 2, round: 3, vote,
    peersConnected: [2, 3], learners: [], syncedLearners: [], outstandingProposals: 0, pendingSyncs: 0,
    serving: true, sessionCount: 1, znodeCount: 4, digest: 'ab12',
  };
  assert.deepEqual(fromJsonSafe<MemberState>(JSON.parse(JSON.stringify(toJsonSafe(state)))), state);
  const reported: ReportedEvent = { sid: 1, seq: 10, timeMs: 1234, event: samples['proposal-sent'] };
  assert.deepEqual(fromJsonSafe<ReportedEvent>(JSON.parse(JSON.stringify(toJsonSafe(reported)))), reported);
});

test('descriptions are one line and name the kind', () => {
  for (const event of Object.values(samples) as ProtocolEvent[]) {
    const text = describeEvent(event);
    assert.ok(text.startsWith(event.kind), text);
    assert.ok(!text.includes('\n'), text);
  }
  assert.equal(describeEvent(samples['ack-received']), 'ack-received 3:7 from 1');
});

test('sinks: the no-op sink is disabled; fanOut skips disabled sinks', () => {
  assert.equal(NO_EVENTS.enabled, false);
  assert.equal(fanOut(NO_EVENTS, NO_EVENTS), NO_EVENTS);
  const a = new RecordingSink();
  const b = new RecordingSink();
  const both = fanOut(a, NO_EVENTS, b);
  both.emit(samples.uptodate);
  assert.deepEqual(a.drain(), [samples.uptodate]);
  assert.deepEqual(b.events, [samples.uptodate]);
  assert.deepEqual(a.events, []);
});
