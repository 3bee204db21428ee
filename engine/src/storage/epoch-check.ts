/**
 * ZooKeeper's startup checks on the epoch files (QuorumPeer.loadDataBase, zab.md §1.3):
 * acceptedEpoch ≥ currentEpoch ≥ epoch of the last logged zxid. A quorum member that
 * breaks them must not start (it could vote with a history it never accepted).
 * Standalone members do not use epochs and skip this.
 */
import { epochOf, zxidLabel } from '../jute/zxid.js';

export function epochProblems(acceptedEpoch: number, currentEpoch: number, lastLoggedZxid: bigint): string[] {
  const problems: string[] = [];
  if (currentEpoch < epochOf(lastLoggedZxid)) {
    problems.push(`currentEpoch ${currentEpoch} is older than the last logged zxid ${zxidLabel(lastLoggedZxid)}`);
  }
  if (acceptedEpoch < currentEpoch) {
    problems.push(`acceptedEpoch ${acceptedEpoch} is older than currentEpoch ${currentEpoch}`);
  }
  return problems;
}
