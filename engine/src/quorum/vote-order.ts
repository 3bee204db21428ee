/**
 * The total order Fast Leader Election uses to compare candidates (zab.md §2.2,
 * FastLeaderElection.totalOrderPredicate): a higher peerEpoch wins, then a higher last
 * logged zxid, then a higher server id. Distinct candidates never tie. A candidate with
 * no voting weight (an observer, or the "no candidate" vote observers send) never wins.
 */

/** The three fields FLE orders candidates by. */
export interface Candidate {
  leader: number;
  zxid: bigint;
  peerEpoch: number;
}

/** The vote an observer proposes: it can never win (ZooKeeper uses Long.MIN_VALUE). */
export const NO_CANDIDATE: Candidate = Object.freeze({ leader: -1, zxid: -1n, peerEpoch: -1 });

/**
 * True if `challenger` should replace `current` as the proposed leader.
 * `hasWeight(sid)` tells whether a server may be elected (a voter).
 */
export function voteBeats(challenger: Candidate, current: Candidate, hasWeight: (sid: number) => boolean): boolean {
  if (!hasWeight(challenger.leader)) return false;
  if (challenger.peerEpoch !== current.peerEpoch) return challenger.peerEpoch > current.peerEpoch;
  if (challenger.zxid !== current.zxid) return challenger.zxid > current.zxid;
  return challenger.leader > current.leader;
}

/** The better of two candidates under `voteBeats` (the second if neither beats the other). */
export function betterCandidate<T extends Candidate>(a: T, b: T, hasWeight: (sid: number) => boolean): T {
  return voteBeats(a, b, hasWeight) ? a : b;
}
