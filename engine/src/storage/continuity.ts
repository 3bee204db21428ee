/**
 * The shape of a healthy history (zab.md §1.4): within an epoch, counters are consecutive;
 * an epoch's first txn has counter 1; zxids only grow. Recovery uses this to tell a torn
 * or damaged log from a whole one: any other step means txns are missing.
 *
 * The only legitimate jump is across a snapshot (a follower's SNAP sync installs state at
 * a zxid its log never held), so recovery checks continuity from the snapshot it loaded,
 * never across one.
 */
import { counterOf, epochOf, zxidLabel } from '../jute/zxid.js';

/** Why `next` cannot directly follow `prev` in a replayed history, or null when it can. */
export function continuityProblem(prev: bigint, next: bigint): string | null {
  if (next <= prev) return `zxid ${zxidLabel(next)} does not come after ${zxidLabel(prev)}`;
  const prevEpoch = epochOf(prev);
  const nextEpoch = epochOf(next);
  if (nextEpoch === prevEpoch) {
    return counterOf(next) === counterOf(prev) + 1 ? null : `gap between ${zxidLabel(prev)} and ${zxidLabel(next)}`;
  }
  return counterOf(next) === 1
    ? null
    : `epoch ${nextEpoch} starts at ${zxidLabel(next)} after ${zxidLabel(prev)}: txns ${nextEpoch}:1.. are missing`;
}
