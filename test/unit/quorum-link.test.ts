/**
 * LinkEnd: numbered packets in order (duplicates ignored, a gap reported); liveness packets
 * take no number, may overtake, and announce how many numbered ones came before them — an
 * announcement still unmet after the limit means packets were lost on a link that stayed up.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { numberedBefore } from '../../engine/src/quorum/messages.js';
import { LinkEnd } from '../../engine/src/quorum/zab/link.js';

const ping = { type: 'ping', zxid: 0n } as const;

test('numbered packets: in order, duplicates ignored, a gap reported', () => {
  const out = new LinkEnd(7);
  const inn = new LinkEnd(7);
  const [a, b, c] = [out.packet(ping), out.packet(ping), out.packet(ping)];
  assert.deepEqual([a.seq, b.seq, c.seq], [0, 1, 2]);
  assert.equal(inn.accept(a, 0), 'ok');
  assert.equal(inn.accept(a, 0), 'duplicate');
  assert.equal(inn.accept(c, 0), 'gap');
});

test('a liveness packet takes no number, says how many came before, and may overtake them', () => {
  const out = new LinkEnd(1);
  const inn = new LinkEnd(1);
  const a = out.packet(ping);
  const b = out.packet(ping);
  const live = out.liveness(ping);
  assert.equal(numberedBefore(live.seq), 2);
  assert.equal(numberedBefore(a.seq), null);
  assert.equal(out.packet(ping).seq, 2, 'the liveness packet used no number');
  // It arrives first: fine, as long as the two it announced follow within the limit.
  assert.equal(inn.accept(live, 10), 'ok');
  assert.equal(inn.overdue(15, 10), false);
  assert.equal(inn.accept(a, 16), 'ok');
  assert.equal(inn.accept(b, 17), 'ok');
  assert.equal(inn.overdue(100, 10), false, 'met: nothing is owed');
});

test('announced packets that never arrive make the link overdue; each announcement is timed on its own', () => {
  const out = new LinkEnd(1);
  const inn = new LinkEnd(1);
  const a = out.packet(ping);
  const first = out.liveness(ping); // announces 1
  out.packet(ping); // lost
  const second = out.liveness(ping); // announces 2
  inn.accept(first, 0);
  inn.accept(second, 8);
  inn.accept(a, 9); // meets the first announcement only
  assert.equal(inn.overdue(17, 10), false, 'the second is 9 ticks old');
  assert.equal(inn.overdue(19, 10), true, 'the second is 11 ticks old: its packet was lost');
});
