/**
 * The differential's normalization (cli-runner.ts): getEphemerals lists compare in one
 * order (wire-protocol.md §9: no ordering; Apache answers in hash order, our member
 * sorted), and nothing else is reordered.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { normalize, sortPathList } from './cli-runner.js';

test('a getEphemerals list is sorted; Apache hash order and our sorted order normalize alike', () => {
  const apache = '[/app/eseq-0000000003, /app/eph]';
  const ours = '[/app/eph, /app/eseq-0000000003]';
  assert.equal(sortPathList(apache), ours);
  assert.equal(normalize(`x\n${apache}\ny`, '127.0.0.1:1'), normalize(`x\n${ours}\ny`, '127.0.0.1:1'));
  assert.equal(sortPathList('[/only]'), '[/only]');
  assert.equal(sortPathList('[]'), '[]');
});

test('other bracketed lines keep their order', () => {
  for (const line of ['[zookeeper, app]', '[b, a]', 'x [/b, /a]', '[/b, a]', '/b, /a']) assert.equal(sortPathList(line), line);
});
