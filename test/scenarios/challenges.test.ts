/**
 * Break-it challenges. With the real protocol the attack runs and SAFETY HOLDS (and every
 * acknowledged write survives). With the instructor bug switch the same scenario must show
 * the violation it promises, named in the safety view — the members honour `zoolab.bugs`
 * (docs/protocol.md "Instructor bug switches"), so a run that reports itself unavailable is
 * a failure, not a skip.
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

  test(`challenge ${doc.id}: with ${doc.challenge!.bugSwitch} on, ${doc.challenge!.invariant} is violated and explained`, { timeout: 240_000 }, async () => {
    const r = await runScenario(doc.id, { bugSwitches: [doc.challenge!.bugSwitch] });
    assert.notEqual(r.run.state, 'unavailable', `the members must honour ${doc.challenge!.bugSwitch}: ${r.run.messageText.en}`);
    assertPassed(r);
    const inv = r.run.safety!.invariants.find((i) => i.id === doc.challenge!.invariant)!;
    assert.equal(inv.ok, false, r.lines.join('\n'));
    assert.ok(inv.violations[0]!.explanation.en.length > 40, 'the violation says why');
    assert.ok(r.lines.some((l) => /^SAFETY VIOLATED/.test(l)));
  });
}
