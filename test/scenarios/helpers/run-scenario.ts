/** Runs a scenario headless for a test and keeps its transcript for the failure message. */
import assert from 'node:assert/strict';
import type { BugSwitchName, ScenarioLang, ScenarioRun } from '../../../engine/src/lab/api.js';
import { runHeadless } from '../../../engine/src/scenarios/headless.js';
import { builtInScenarioDir, loadScenarioDir } from '../../../engine/src/scenarios/library.js';
import type { ScenarioDoc } from '../../../engine/src/scenarios/document.js';

export interface Transcript {
  run: ScenarioRun;
  lines: string[];
}

export async function runScenario(id: string, options: { lang?: ScenarioLang; bugSwitches?: BugSwitchName[] } = {}): Promise<Transcript> {
  const lines: string[] = [];
  const run = await runHeadless({ scenario: id, lang: options.lang, bugSwitches: options.bugSwitches, out: (l) => lines.push(l) });
  return { run, lines };
}

/** Fails with the whole transcript, so a broken lesson says which step and why. */
export function assertPassed(t: Transcript): void {
  assert.equal(t.run.state, 'passed', `scenario ${t.run.scenarioId} ended ${t.run.state}:\n${t.lines.join('\n')}`);
  assert.ok(t.run.checks.passed > 0 && t.run.checks.failed === 0);
  assert.ok(t.run.steps.every((s) => s.status === 'passed'), 'every step passed');
}

export function builtIns(): ScenarioDoc[] {
  const dir = builtInScenarioDir();
  if (!dir) throw new Error('resources/scenarios not found next to the build');
  return loadScenarioDir(dir);
}
