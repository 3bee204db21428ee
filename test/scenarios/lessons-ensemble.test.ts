/**
 * Every built-in lesson that needs an ensemble (3, 4 or 5 members), headless, on real
 * zk-server members behind the lab's link proxies: elections, quorum loss, partitions,
 * DIFF/TRUNC/SNAP re-sync, forwarded writes, stale reads. Each must pass every check.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { assertPassed, builtIns, runScenario } from './helpers/run-scenario.js';

const lessons = builtIns().filter((d) => d.kind === 'lesson' && d.lab.members > 1);

test('there are ensemble lessons to run', () => {
  assert.ok(lessons.length >= 8, lessons.map((d) => d.id).join(', '));
});

for (const doc of lessons) {
  test(`lesson ${doc.id} (${doc.lab.members} members) passes headless`, { timeout: 240_000 }, async () => {
    const t = await runScenario(doc.id);
    assertPassed(t);
    assert.ok(t.run.safety?.holds, 'no lesson breaks safety');
  });
}
