/**
 * The timeline layout: lanes, happened-order rows, message arrows matched send → receipt
 * (votes, proposals, acks, commits, epoch and sync steps), lab-wide marks, filters, and
 * the SVG export drawn from the same layout.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import type { LabEvent, ProtocolEventJson } from '../../engine/src/lab/api.js';
import { layoutTimeline } from '../../renderer/src/lib/timeline-layout.js';
import { timelineLabel } from '../../renderer/src/lib/timeline-labels.js';
import { renderTimelineSvg } from '../../renderer/src/lib/timeline-svg.js';
import { t } from './helpers/fake-setup.js';

let seq = 0;
const at = 1_700_000_000_000;
const p = (member: number, time: number, event: ProtocolEventJson): LabEvent => ({ seq: ++seq, at: at + time, body: { kind: 'protocol', member, memberSeq: seq, memberTimeMs: at + time, event } });
const label = (e: LabEvent) => timelineLabel(e, t);

/**
 * One write on a 3-member ensemble led by 1. Member 2's reports reach the lab before the
 * leader's, all in the same millisecond: a receipt arrives before its send.
 */
function writeEvents(): LabEvent[] {
  seq = 0;
  const z = '0x100000001';
  return [
    p(2, 2, { kind: 'proposal-received', zxid: z, op: 'create', from: 1 }),
    p(2, 2, { kind: 'ack-sent', zxid: z, to: 1 }),
    p(1, 2, { kind: 'proposal-sent', zxid: z, op: 'create', sessionId: '0x1', to: [2, 3] }),
    p(3, 2, { kind: 'proposal-received', zxid: z, op: 'create', from: 1 }),
    p(3, 3, { kind: 'ack-sent', zxid: z, to: 1 }),
    p(1, 3, { kind: 'ack-received', zxid: z, from: 1 }),
    p(1, 4, { kind: 'ack-received', zxid: z, from: 2 }),
    p(1, 5, { kind: 'ack-received', zxid: z, from: 3 }),
    p(1, 5, { kind: 'committed', zxid: z, op: 'create' }),
    p(2, 6, { kind: 'committed', zxid: z, op: 'create' }),
    p(3, 6, { kind: 'committed', zxid: z, op: 'create' }),
    { seq: ++seq, at: at + 7, body: { kind: 'action', actor: 'ui', action: 'member.kill', target: '1', message: 'killed member 1 (pid 7) with SIGKILL', ok: true } },
  ];
}

test('a write draws PROPOSAL, ACK and COMMIT arrows between the right lanes, sends above receipts', () => {
  const L = layoutTimeline(writeEvents(), [1, 2, 3], {}, label);
  assert.deepEqual(L.lanes, [1, 2, 3]);
  assert.equal(L.rows.length, 12);
  const kinds = (c: string) => L.arrows.filter((a) => a.category === c);
  assert.equal(kinds('proposal').length, 2);
  assert.equal(kinds('ack').length, 2, "the leader's own ACK is not a message");
  assert.equal(kinds('commit').length, 2);
  for (const a of L.arrows) assert.ok(a.from < a.to, `arrow ${a.category} ${a.from}→${a.to} points forward`);
  for (const m of [1, 2, 3]) {
    const seqs = L.rows.filter((r) => r.member === m).map((r) => r.seq);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), `member ${m}'s events keep the order it reported them`);
  }
  for (const a of kinds('proposal')) assert.equal(L.rows[a.from]!.member, 1);
  for (const a of kinds('ack')) assert.equal(L.rows[a.to]!.member, 1);
  const mark = L.rows.at(-1)!;
  assert.equal(mark.lane, null, 'lab actions span every lane');
  assert.equal(mark.ok, true);
  assert.match(mark.label, /killed member 1/);
  assert.match(L.rows[0]!.label, /^PROPOSAL 1:1 create → \[2,3\]$/);
});

test('votes pair by sender, receiver and vote; filters drop lanes and categories (and their arrows)', () => {
  seq = 0;
  const v = { leader: 3, zxid: '0x0', peerEpoch: 0, round: 1 };
  const events = [
    p(1, 1, { kind: 'vote-sent', to: 2, vote: v, state: 'looking' }),
    p(1, 1, { kind: 'vote-sent', to: 3, vote: v, state: 'looking' }),
    p(2, 2, { kind: 'vote-received', from: 1, vote: v, state: 'looking' }),
    p(3, 2, { kind: 'vote-received', from: 1, vote: v, state: 'looking' }),
    p(3, 3, { kind: 'vote-received', from: 2, vote: v, state: 'looking' }),
    p(2, 4, { kind: 'role-changed', role: 'following', phase: 'discovery', previousRole: 'looking', previousPhase: 'election' }),
  ];
  const all = layoutTimeline(events, [1, 2, 3], {}, label);
  assert.equal(all.arrows.length, 2, 'the receipt with no matching send has no arrow');
  assert.equal(all.rows.length, 5, "a member's role-changed report is not drawn twice");
  const no3 = layoutTimeline(events, [1, 2, 3], { members: [1, 2] }, label);
  assert.deepEqual(no3.lanes, [1, 2]);
  assert.equal(no3.arrows.length, 1);
  const none = layoutTimeline(events, [1, 2, 3], { categories: new Set(['ack']) }, label);
  assert.equal(none.rows.length, 0);
});

test('the SVG export is a standalone document with lanes, arrow heads and escaped labels', () => {
  const events = writeEvents();
  events.push({ seq: ++seq, at: at + 8, body: { kind: 'action', actor: 'ui', action: 'x', target: null, message: 'a <b> & "c"', ok: true } });
  const L = layoutTimeline(events, [1, 2, 3], {}, label);
  const svg = renderTimelineSvg(L, { laneLabel: (m) => `member ${m}`, labLabel: 'lab' });
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg, /<\/svg>$/);
  assert.equal((svg.match(/marker-end=/g) ?? []).length, L.arrows.length);
  assert.equal((svg.match(/>member \d</g) ?? []).length, 3);
  assert.match(svg, /a &lt;b&gt; &amp; &quot;c&quot;/);
  const cut = renderTimelineSvg(L, { laneLabel: String, labLabel: 'lab', upToRow: 3 });
  assert.ok((cut.match(/<circle/g) ?? []).length <= 3, 'a paused export stops at the cursor');
});
