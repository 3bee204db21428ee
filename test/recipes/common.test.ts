/** Sequence-number parsing and ordering used by every recipe. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { bySequence, sequenceOf } from '../../engine/src/recipes/index.js';
import { readRule, writeRule } from '../../engine/src/recipes/rw-lock.js';
import { mutexRule } from '../../engine/src/recipes/lock.js';

test('sequence numbers: the dash before the digits is a separator; overflowed ones are negative', () => {
  assert.equal(sequenceOf('lock-6e08be1d-b367-4398-b3de-fed7353439f0-0000000001'), 1);
  assert.equal(sequenceOf('qn-0000000042'), 42);
  assert.equal(sequenceOf('n_x--2147483648'), -2147483648);
  assert.equal(sequenceOf('plain0000000007'), 7);
  assert.throws(() => sequenceOf('no-digits'), /not a sequential node name/);
  assert.deepEqual(bySequence(['a-0000000010', 'b-0000000002', 'c-0000000003']), ['b-0000000002', 'c-0000000003', 'a-0000000010']);
});

test('blocking rules: mutex and writer wait for the node before; a reader for the last writer before it', () => {
  const q = ['read-a-1', 'write-b-2', 'read-c-3', 'read-d-4', 'write-e-5', 'read-f-6'];
  assert.equal(mutexRule(q, 0), null);
  assert.equal(mutexRule(q, 3), 'read-c-3');
  assert.equal(writeRule(q, 4), 'read-d-4');
  assert.equal(readRule(q, 0), null);
  assert.equal(readRule(q, 3), 'write-b-2');
  assert.equal(readRule(q, 5), 'write-e-5');
});
