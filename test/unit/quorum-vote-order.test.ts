import test from 'node:test';
import assert from 'node:assert/strict';
import { NO_CANDIDATE, betterCandidate, voteBeats } from '../../engine/src/quorum/vote-order.js';
import { makeZxid } from '../../engine/src/jute/zxid.js';

const voters = new Set([1, 2, 3]);
const weight = (sid: number): boolean => voters.has(sid);
const v = (leader: number, epoch: number, counter: number, peerEpoch: number) => ({ leader, zxid: makeZxid(epoch, counter), peerEpoch });

// zab.md §2.2: peerEpoch, then last logged zxid, then server id; no weight never wins.
const table: { name: string; challenger: ReturnType<typeof v>; current: ReturnType<typeof v>; beats: boolean }[] = [
  { name: 'higher peerEpoch wins despite a lower zxid', challenger: v(1, 1, 9, 3), current: v(3, 2, 5, 2), beats: true },
  { name: 'lower peerEpoch loses despite a higher zxid', challenger: v(3, 3, 1, 1), current: v(1, 1, 1, 2), beats: false },
  { name: 'equal epochs: higher zxid wins', challenger: v(1, 2, 7, 2), current: v(3, 2, 6, 2), beats: true },
  { name: 'equal epochs: lower zxid loses', challenger: v(3, 2, 5, 2), current: v(1, 2, 6, 2), beats: false },
  { name: 'zxid epoch outranks counter', challenger: v(1, 3, 1, 3), current: v(2, 2, 900, 3), beats: true },
  { name: 'all equal: higher sid wins', challenger: v(3, 2, 5, 2), current: v(2, 2, 5, 2), beats: true },
  { name: 'all equal: lower sid loses', challenger: v(1, 2, 5, 2), current: v(2, 2, 5, 2), beats: false },
  { name: 'a candidate never beats itself', challenger: v(2, 2, 5, 2), current: v(2, 2, 5, 2), beats: false },
  { name: 'no weight (observer 4) never wins', challenger: v(4, 9, 9, 9), current: v(1, 0, 0, 0), beats: false },
];

for (const row of table) {
  test(`vote order: ${row.name}`, () => {
    assert.equal(voteBeats(row.challenger, row.current, weight), row.beats);
  });
}

test('vote order: any voter beats the observers\' no-candidate vote, which beats nobody', () => {
  assert.equal(voteBeats(v(1, 0, 0, 0), NO_CANDIDATE, weight), true);
  assert.equal(voteBeats(NO_CANDIDATE, v(1, 0, 0, 0), weight), false);
});

test('vote order is a strict total order over distinct voter candidates', () => {
  const all = [];
  for (const leader of [1, 2, 3]) for (const pe of [1, 2]) for (const c of [1, 2]) all.push(v(leader, pe, c, pe));
  for (const a of all) {
    for (const b of all) {
      const same = a.leader === b.leader && a.zxid === b.zxid && a.peerEpoch === b.peerEpoch;
      const ab = voteBeats(a, b, weight);
      const ba = voteBeats(b, a, weight);
      if (same) assert.equal(ab || ba, false);
      else assert.equal(ab !== ba, true, `exactly one of ${JSON.stringify([a, b], (_, x) => (typeof x === 'bigint' ? String(x) : x))} wins`);
    }
  }
  assert.deepEqual(betterCandidate(v(1, 1, 1, 1), v(2, 1, 1, 1), weight), v(2, 1, 1, 1));
});
