/**
 * Creates the lab a scenario runs in: the members it asks for, the lab's "snappy" timings
 * (zab.md §10), a short container/TTL reaper interval when the lesson needs one, and — only
 * when an instructor asked — the bug switches, announced in every zoo.cfg.
 */
import { randomInt } from 'node:crypto';
import { createLabDir, prepareMemberDir } from '../lab/lab-layout.js';
import { LabStore } from '../lab/lab-store.js';
import type { BugSwitchName } from '../lab/api.js';
import { bugSwitchConfig } from './bug-switches.js';
import type { LabSetup } from './document.js';

export function scenarioZooCfgLines(setup: LabSetup, bugSwitches: readonly BugSwitchName[]): string[] {
  const lines: string[] = [];
  if (setup.containerCheckIntervalMs !== null) lines.push(`znode.container.checkIntervalMs=${setup.containerCheckIntervalMs}`);
  for (const [key, value] of Object.entries(setup.zooCfg)) lines.push(`${key}=${value}`);
  const bugs = bugSwitchConfig(bugSwitches);
  for (const [key, value] of Object.entries(bugs)) {
    lines.push(
      '# !!! INSTRUCTOR BUG SWITCH ON — this lab deliberately breaks ZooKeeper\'s protocol so a safety violation',
      '# !!! can be demonstrated. Never use it for anything else. (docs/teaching.md "Bug switches")',
      `${key}=${value}`,
    );
  }
  return lines;
}

/** Creates `dir` as a new lab for a scenario (it must not exist or be empty). */
export async function createScenarioLab(dir: string, name: string, setup: LabSetup, bugSwitches: readonly BugSwitchName[], now: number): Promise<void> {
  const config = await createLabDir(dir, { members: setup.members, observers: setup.observers, tickTimeMs: setup.tickTimeMs, name }, now, randomInt(2 ** 31));
  const extra = scenarioZooCfgLines(setup, bugSwitches);
  if (extra.length === 0) return;
  const withExtra = { ...config, extraZooCfgLines: extra };
  const store = LabStore.open(dir);
  try {
    store.setConfig(withExtra);
  } finally {
    store.close();
  }
  for (const m of withExtra.members) prepareMemberDir(dir, withExtra, m.id);
}
