/**
 * How the leader brings one learner up to date (zab.md §3.3, LearnerHandler.syncFollower),
 * decided from the learner's last logged zxid and the leader's committed window.
 *
 * Deviation from ZooKeeper, deliberate: ZooKeeper refuses a TRUNC whose target lies in an
 * earlier epoch than the learner's zxid and sends a SNAP instead, because its file-based
 * log cannot truncate across epoch files. Our log can, and the target is always an entry
 * both logs share (every history after the learner's epoch extends that epoch's initial,
 * committed history), so we TRUNC and then DIFF. The simulator checks that no TRUNC ever
 * removes a committed zxid.
 */

export type SyncPlan =
  /** Send every committed entry after `from` (the learner's zxid, in the leader's history). */
  | { mode: 'DIFF'; from: bigint }
  /** The learner drops entries above `to`, then gets every committed entry after `to`. */
  | { mode: 'TRUNC'; to: bigint }
  /** The learner gets the leader's database, then the committed entries after it. */
  | { mode: 'SNAP' };

/** What the planner needs to know about the leader's log. */
export interface CommittedWindow {
  /** zxid just before the first entry the leader still holds (snapshot or trim point). */
  base: bigint;
  /** Last committed zxid (the sync point). */
  committed: bigint;
  /** Whether the leader's log holds this zxid (committed, or an outstanding proposal). */
  has(zxid: bigint): boolean;
  /** Largest held zxid below the argument, or base. */
  floorBelow(zxid: bigint): bigint;
}

export function planSync(peerZxid: bigint, w: CommittedWindow, forceSnapshot = false): SyncPlan {
  if (forceSnapshot) return { mode: 'SNAP' };
  // 2. Already there: an empty DIFF.
  if (peerZxid === w.committed) return { mode: 'DIFF', from: peerZxid };
  if (peerZxid > w.committed) {
    // The learner logged proposals I still have outstanding (it may even have ACKed them,
    // counting toward their quorum): keep them, DIFF from there. ZooKeeper TRUNCates to
    // its last commit here and re-sends them, which briefly drops a durable copy.
    if (w.has(peerZxid)) return { mode: 'DIFF', from: peerZxid };
    // 3. An uncommitted tail I never had (an ex-leader's or an older epoch's): drop it.
    return { mode: 'TRUNC', to: w.committed };
  }
  // 5/6. Older than anything we hold: the whole database.
  if (peerZxid < w.base) return { mode: 'SNAP' };
  // 4. Inside the window: a shared zxid means the logs agree up to it (prefix property).
  if (peerZxid === w.base || w.has(peerZxid)) return { mode: 'DIFF', from: peerZxid };
  // Absent: the learner's entries above our nearest lower entry never committed (ZOOKEEPER-1154).
  return { mode: 'TRUNC', to: w.floorBelow(peerZxid) };
}
