/**
 * Break-it challenges. With the real protocol the attack runs and SAFETY HOLDS (and every
 * acknowledged write survives). With the instructor bug switch the same scenario must show
 * the violation it promises, named in the safety view — this needs the quorum core's
 * bug-switch hooks (docs/teaching.md); until a build's members honour `zoolab.bugs` the run
 * reports itself unavailable and the test is skipped with that reason.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { assertPassed, builtIns, runScenario } from './helpers/run-scenario.js';

const challenges = builtIns().filter((d) => d.kind === 'challenge');

for (const doc of challenges) {
  test(`challenge ${doc.id}: the real protocol keeps safety`, { timeout: 240_000 }, async () => {
    const t = await runScenario(doc.id);
    assertPassed(t);
    assert.equal(t.run.safety?.holds, true, t.lines.join('\n'));
    assert.ok(t.lines.some((l) => /^SAFETY HOLDS/.test(l)), 'the verdict is printed');
  });

  test(`challenge ${doc.id}: with ${doc.challenge!.bugSwitch} on, ${doc.challenge!.invariant} is violated and explained`, { timeout: 240_000 }, async (t) => {
    const r = await runScenario(doc.id, { bugSwitches: [doc.challenge!.bugSwitch] });
    if (r.run.state === 'unavailable') {
      t.skip(`members do not implement bug switches yet: ${r.run.messageText.en}`);
      return;
    }
    assertPassed(r);
    const inv = r.run.safety!.invariants.find((i) => i.id === doc.challenge!.invariant)!;
    assert.equal(inv.ok, false, r.lines.join('\n'));
    assert.ok(inv.violations[0]!.explanation.en.length > 40, 'the violation says why');
    assert.ok(r.lines.some((l) => /^SAFETY VIOLATED/.test(l)));
  });
}
