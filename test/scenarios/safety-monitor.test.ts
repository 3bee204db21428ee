/**
 * The safety monitor on hand-made event streams: a clean history holds; each violation the
 * bug switches are meant to cause is reported, with the explanation of which write was lost
 * and why (who acked it, who was elected with which history).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import type { LabEvent } from '../../engine/src/lab/api.js';
import { toJsonSafe, type ProtocolEvent } from '../../engine/src/quorum/protocol-events.js';
import { SafetyMonitor } from '../../engine/src/scenarios/safety/safety-monitor.js';

const z = (epoch: number, counter: number) => (BigInt(epoch) << 32n) | BigInt(counter);

class Stream {
  seq = 0;
  readonly events: LabEvent[] = [];
  p(member: number, event: ProtocolEvent): this {
    this.seq++;
    this.events.push({ seq: this.seq, at: 1000 + this.seq, body: { kind: 'protocol', member, memberSeq: this.seq, memberTimeMs: 0, event: toJsonSafe(event) } });
    return this;
  }
  process(member: number, state: 'starting' | 'killed'): this {
    this.seq++;
    this.events.push({ seq: this.seq, at: 1000 + this.seq, body: { kind: 'process', member, state, pid: null } });
    return this;
  }
  feed(m: SafetyMonitor): void {
    for (const e of this.events) m.observe(e);
  }
}

/** A leader of epoch `e` commits `n` writes acked by `ackers` (which include the leader). */
function reign(s: Stream, leader: number, epoch: number, members: number[], ackers: number[], n: number, from = 1): void {
  s.p(leader, { kind: 'election-decided', leader, round: 1, peerEpoch: epoch - 1, zxid: z(epoch - 1, 0), role: 'leading', voters: members });
  s.p(leader, { kind: 'leader-established', epoch, voters: members });
  for (let i = from; i < from + n; i++) {
    s.p(leader, { kind: 'proposal-sent', zxid: z(epoch, i), op: 'create', sessionId: 1n, to: members.filter((m) => m !== leader) });
    for (const a of ackers) s.p(leader, { kind: 'ack-received', zxid: z(epoch, i), from: a });
    for (const m of ackers) s.p(m, { kind: 'committed', zxid: z(epoch, i), op: 'create' });
  }
}

test('a clean history holds every invariant', () => {
  const s = new Stream();
  reign(s, 1, 1, [1, 2, 3], [1, 2, 3], 5);
  s.p(1, { kind: 'leader-stepped-down', epoch: 1, reason: 'lost-quorum', detail: '' });
  s.process(2, 'killed').process(2, 'starting');
  s.p(3, { kind: 'election-decided', leader: 3, round: 2, peerEpoch: 1, zxid: z(1, 5), role: 'leading', voters: [2, 3] });
  s.p(3, { kind: 'leader-established', epoch: 2, voters: [2, 3] });
  s.p(3, { kind: 'committed', zxid: z(2, 1), op: 'setData' });
  s.p(2, { kind: 'committed', zxid: z(1, 4), op: 'create' }); // replayed after its restart: allowed
  s.p(2, { kind: 'committed', zxid: z(2, 1), op: 'setData' });
  const m = new SafetyMonitor();
  m.setVoters(3);
  s.feed(m);
  const r = m.report();
  assert.equal(r.holds, true, JSON.stringify(r.invariants.flatMap((i) => i.violations)));
  assert.equal(r.invariants.length, 4);
  assert.ok(r.eventsSeen > 20);
  assert.ok(r.invariants.every((i) => i.title.en && i.title.ko && i.description.ko));
});

test('smallQuorum: two leaders establish the same epoch and commit different transactions at one zxid', () => {
  const s = new Stream();
  reign(s, 1, 1, [1, 2, 3, 4, 5], [1, 2, 3], 2);
  // Split brain: {2,3} and {4,5} both elect a leader of epoch 2 (2 of 5 accepted as a quorum).
  s.p(2, { kind: 'election-decided', leader: 2, round: 3, peerEpoch: 1, zxid: z(1, 2), role: 'leading', voters: [2, 3] });
  s.p(2, { kind: 'leader-established', epoch: 2, voters: [2, 3] });
  s.p(5, { kind: 'election-decided', leader: 5, round: 3, peerEpoch: 1, zxid: z(1, 2), role: 'leading', voters: [4, 5] });
  s.p(5, { kind: 'leader-established', epoch: 2, voters: [4, 5] });
  s.p(2, { kind: 'committed', zxid: z(2, 1), op: 'create' });
  s.p(5, { kind: 'committed', zxid: z(2, 1), op: 'setData' });
  const m = new SafetyMonitor(['smallQuorum']);
  m.setVoters(5);
  s.feed(m);
  const r = m.report();
  assert.equal(r.holds, false);
  const twoLeaders = r.invariants.find((i) => i.id === 'one-leader-per-epoch')!;
  assert.equal(twoLeaders.ok, false);
  assert.deepEqual(twoLeaders.violations[0]!.members, [2, 5]);
  assert.match(twoLeaders.violations[0]!.summary.en, /Two leaders in epoch 2: members 2 and 5/);
  assert.match(twoLeaders.violations[0]!.explanation.en, /smallQuorum bug switch is on/);
  assert.match(twoLeaders.violations[0]!.summary.ko, /에포크 2에 리더가 둘/);
  const diverged = r.invariants.find((i) => i.id === 'committed-prefix')!.violations;
  assert.ok(diverged.some((v) => /Two different transactions committed at zxid 2:1/.test(v.summary.en)), JSON.stringify(diverged));
});

test('ackBeforeFsync: a leader elected without an acknowledged write — the write, its acks and the new leader are named', () => {
  const s = new Stream();
  reign(s, 1, 1, [1, 2, 3, 4, 5], [1, 2], 3); // acked by 2 of 5 only (as when acks come before durability)
  const m = new SafetyMonitor(['ackBeforeFsync']);
  m.setVoters(5);
  m.observeAckedWrite({ client: 'w', path: '/ack/w-0003', zxid: z(1, 3), member: 1, at: 1, data: 'v-3' });
  s.feed(m);
  assert.equal(m.holds, true, 'nothing is lost yet');
  const after = new Stream();
  after.seq = s.seq;
  after.p(3, { kind: 'election-decided', leader: 3, round: 2, peerEpoch: 1, zxid: z(1, 1), role: 'leading', voters: [3, 4, 5] });
  after.feed(m);
  const lost = m.report().invariants.find((i) => i.id === 'committed-prefix')!.violations[0]!;
  assert.ok(lost, 'the lost write is reported');
  assert.match(lost.summary.en, /Acknowledged write LOST: \/ack\/w-0003 \(zxid 1:3 \(0x100000003\), told to client w\)/);
  assert.match(lost.explanation.en, /Member 3 was elected leader with a history that ends at 1:1/);
  assert.match(lost.explanation.en, /Only members 1, 2 acknowledged it: 2 of 5, fewer than the majority of 3/);
  assert.match(lost.explanation.en, /ackBeforeFsync bug switch is on/);
  assert.equal(lost.path, '/ack/w-0003');
  assert.equal(lost.zxid, '0x100000003');
  assert.ok(lost.evidence.some((e) => /election-decided leader=3/.test(e)));
});

test('a member truncating below what it committed breaks the committed prefix', () => {
  const s = new Stream();
  reign(s, 1, 1, [1, 2, 3], [1, 2, 3], 4);
  s.p(2, { kind: 'sync-received', leader: 3, mode: 'TRUNC', zxid: z(1, 2) });
  s.p(2, { kind: 'truncated', zxid: z(1, 2), removed: 2 });
  const m = new SafetyMonitor();
  m.setVoters(3);
  s.feed(m);
  const v = m.report().invariants.find((i) => i.id === 'committed-prefix')!.violations;
  assert.equal(v.length, 1);
  assert.match(v[0]!.summary.en, /Member 2 truncated its log to 1:2 \(0x100000002\), below its committed 1:4/);
});

test('a truncation of uncommitted entries (the normal TRUNC) is fine', () => {
  const s = new Stream();
  reign(s, 1, 1, [1, 2, 3], [1, 2, 3], 2);
  s.p(1, { kind: 'proposal-sent', zxid: z(1, 3), op: 'create', sessionId: 1n, to: [2, 3] });
  s.p(1, { kind: 'logged', zxid: z(1, 3), count: 1 });
  s.p(1, { kind: 'truncated', zxid: z(1, 2), removed: 1 });
  const m = new SafetyMonitor();
  s.feed(m);
  assert.equal(m.holds, true);
});

test('zxids must increase: a member committing out of order is reported', () => {
  const s = new Stream();
  s.p(1, { kind: 'committed', zxid: z(1, 5), op: 'create' });
  s.p(1, { kind: 'committed', zxid: z(1, 4), op: 'create' });
  const m = new SafetyMonitor();
  s.feed(m);
  const v = m.report().invariants.find((i) => i.id === 'zxid-monotonic')!.violations;
  assert.match(v[0]!.summary.en, /Member 1 committed 1:4 .* after 1:5/);
});

test('staleReads: a session that reads older than its own write is reported once', () => {
  const m = new SafetyMonitor(['staleReads']);
  m.observeAckedWrite({ client: 'c', path: '/ryw', zxid: z(1, 7), member: 1, at: 1, data: '2' });
  assert.equal(m.observeRead({ client: 'c', path: '/ryw', mzxid: z(1, 7), member: 1, at: 2 }), false);
  assert.equal(m.observeRead({ client: 'other', path: '/ryw', mzxid: z(1, 3), member: 2, at: 3 }), false, 'another client may read older data');
  assert.equal(m.observeRead({ client: 'c', path: '/ryw', mzxid: z(1, 3), member: 2, at: 4 }), true);
  m.observeRead({ client: 'c', path: '/ryw', mzxid: z(1, 3), member: 2, at: 5 });
  const v = m.report().invariants.find((i) => i.id === 'read-your-writes')!.violations;
  assert.equal(v.length, 1);
  assert.match(v[0]!.explanation.en, /wrote \/ryw at 1:7 .* then read it from member 2 and saw 1:3/);
  assert.match(v[0]!.explanation.en, /staleReads bug switch is on/);
});

test('a missing acknowledged write reported by a check says what was found instead', () => {
  const m = new SafetyMonitor();
  m.setVoters(3);
  const w = { client: 'w', path: '/a', zxid: z(2, 9), member: 1, at: 1, data: 'x' };
  m.observeAckedWrite(w);
  assert.equal(m.reportMissingWrite(w, 'member 2 has no /a', 10), true);
  assert.equal(m.reportMissingWrite(w, 'member 2 has no /a', 11), false, 'reported once');
  const v = m.report().invariants.find((i) => i.id === 'committed-prefix')!.violations[0]!;
  assert.match(v.explanation.en, /but now member 2 has no \/a/);
  assert.match(v.explanation.en, /Which members acknowledged it was not reported/);
});
