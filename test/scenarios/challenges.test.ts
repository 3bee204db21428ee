/**
 * Break-it challenges. With the real protocol the attack runs and SAFETY HOLDS (and every
 * acknowledged write survives). With the instructor bug switch the same scenario must show
 * the violation it promises, named in the safety view — the members honour `zoolab.bugs`
 * (docs/protocol.md "Instructor bug switches"), so a run that reports itself unavailable is
 * a failure, not a skip.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/**
 * `bugMayPrevent`: a wait the bug switch may make impossible (c1's members never agreeing
 * after a split brain) goes on to the checks when a switch is on — and still ends the run
 * without one. A one-member lab and a node nobody creates stand in for the split brain.
 */
function neverScenario(dir: string): string {
  const file = join(dir, 'never.json');
  const en = (s: string) => ({ en: s, ko: s });
  writeFileSync(
    file,
    JSON.stringify({
      format: 'zoolab-scenario',
      version: 1,
      id: 'never-happens',
      kind: 'challenge',
      order: 9999,
      title: en('A wait that never comes true'),
      goal: en('Shows what bugMayPrevent does.'),
      lab: { members: 1 },
      challenge: { bugSwitch: 'staleReads', invariant: 'read-your-writes' },
      paths: ['/never'],
      steps: [
        {
          id: 'wait',
          title: en('Wait for /never'),
          say: en('Nobody creates /never.'),
          highlight: { views: ['tree'] },
          waitFor: { condition: 'node', path: '/never', timeoutMs: 300, bugMayPrevent: true },
          check: [{ check: 'node', path: '/never', exists: false, explain: en('Nobody created it.') }],
        },
      ],
    }),
  );
  return file;
}

test('bugMayPrevent: with a bug switch on, a wait that times out goes on to the checks; without one it ends the run', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'zoolab-never-'));
  try {
    const file = neverScenario(dir);
    const withBug = await runScenario(file, { bugSwitches: ['staleReads'] });
    assertPassed(withBug);
    assert.equal(withBug.run.checks.passed, 1);
    assert.ok(
      withBug.lines.some((l) => /Waited 300 ms; with staleReads on this may never happen, so the checks go on without it/.test(l)),
      withBug.lines.join('\n'),
    );
    const withoutBug = (await runScenario(file)).run;
    assert.equal(withoutBug.state, 'failed');
    assert.equal(withoutBug.checks.passed + withoutBug.checks.failed, 0, 'no check ran');
    assert.match(withoutBug.messageText.en, /Waited 300 ms, but this did not happen/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
