/** The driver's clock (timings.ts TickClock): ticks follow elapsed time, missed ones are caught up. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { TickClock } from '../../engine/src/quorum/timings.js';

test('one tick per resolution period, none for a timer that fires early', () => {
  const c = new TickClock(50, 1000);
  assert.equal(c.due(1049), 0);
  assert.equal(c.due(1050), 1);
  assert.equal(c.due(1099.9), 0, 'a timer a hair early gets nothing');
  assert.equal(c.due(1100.1), 1, 'and the next turn gets it: no drift');
  assert.equal(c.due(1150), 1);
});

test('a paused process gets every tick it missed at once, bounded', () => {
  const c = new TickClock(50, 0);
  assert.equal(c.due(50), 1);
  assert.equal(c.due(10_050), 200, 'ten seconds paused: 200 ticks on resume');
  assert.equal(c.due(10_100), 1, 'then back to one per period');
  const bounded = new TickClock(10, 0, 1000);
  assert.equal(bounded.due(3_600_000), 1000);
  assert.equal(bounded.due(3_600_010), 1, 'the excess is forgiven, not owed');
});
