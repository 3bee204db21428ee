import test from 'node:test';
import assert from 'node:assert/strict';
import { apacheZkAvailable, startApacheZk } from '../helpers/apache-zk.js';
import { fourLetterWord } from '../helpers/four-letter.js';

test('the Apache ZooKeeper oracle starts, answers ruok and stops', { skip: apacheZkAvailable() ? false : 'Apache ZooKeeper is not installed (.ci/run installs it)' }, async () => {
  const zk = await startApacheZk();
  try {
    assert.equal(await fourLetterWord(zk.members[0].clientPort, 'ruok'), 'imok');
  } finally {
    await zk.stop();
  }
  assert.notEqual(zk.members[0].process.exitCode ?? zk.members[0].process.signalCode, null);
});
