/**
 * Instructor-only protocol bugs, off by default, per lab. A lab created with a switch on
 * writes `zoolab.bugs=<names>` (comma separated) into every member's zoo.cfg, preceded by a
 * loud comment; the member is expected to log a WARN line at start and on every role
 * change while a switch is on (docs/teaching.md "Hooks needed from the quorum core").
 * Nothing else turns them on: no environment variable, no default, no UI toggle on a
 * running lab — a lab is created with them or without them.
 */
import type { BugSwitchInfo, BugSwitchName } from '../lab/api.js';
import { t } from './text.js';

export const BUG_SWITCHES: readonly BugSwitchName[] = ['smallQuorum', 'ackBeforeFsync', 'staleReads'];

/** The zoo.cfg key the members read. */
export const BUG_SWITCH_KEY = 'zoolab.bugs';

export function isBugSwitch(v: unknown): v is BugSwitchName {
  return typeof v === 'string' && (BUG_SWITCHES as readonly string[]).includes(v);
}

export function bugSwitchInfo(name: BugSwitchName): BugSwitchInfo {
  return {
    name,
    title: t(`bug.${name}.title`),
    description: t(`bug.${name}.description`),
    changes: t(`bug.${name}.changes`),
    zooCfg: `${BUG_SWITCH_KEY}=${name}`,
  };
}

export function allBugSwitches(): BugSwitchInfo[] {
  return BUG_SWITCHES.map(bugSwitchInfo);
}

/** The zoo.cfg lines for a set of switches (none when the set is empty). */
export function bugSwitchConfig(names: readonly BugSwitchName[]): Record<string, string> {
  if (names.length === 0) return {};
  return { [BUG_SWITCH_KEY]: [...new Set(names)].sort().join(',') };
}

/** Reads `zoolab.bugs=a,b` back (members and tests); unknown names are errors, never ignored. */
export function parseBugSwitches(value: string): BugSwitchName[] {
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = names.filter((n) => !isBugSwitch(n));
  if (bad.length > 0) throw new Error(`${BUG_SWITCH_KEY}: unknown bug switch(es) ${bad.join(', ')} (known: ${BUG_SWITCHES.join(', ')})`);
  return names as BugSwitchName[];
}
