/**
 * Messages between members: election notifications (zab.md §2.1) and ZAB packets
 * (§3.1, §4.1), each defined once. Our members talk only to each other, so the shapes
 * follow ZooKeeper's packets in meaning, not in bytes.
 *
 * ZAB relies on FIFO, gap-free channels (TCP). Every ZAB packet travels on a `link`, one
 * learner↔leader association chosen by the learner, and carries a per-direction sequence
 * number; a receiver ignores duplicates and treats a gap as a broken connection. Over
 * TCP that check never fires; in the simulator it turns loss and reordering into the
 * connection failures TCP would report.
 */
import type { TxnEntry } from '../tree/txn.js';
import type { ClientRequest, SessionInfo } from './contracts.js';
import type { LearnerType, PeerState, Vote } from './protocol-events.js';

/** FLE notification; the sender's sid comes from the connection (zab.md §2.1). */
export interface Notification {
  type: 'notification';
  vote: Vote;
  state: PeerState;
}

/** A session id with the timeout the learner saw, shipped in PING replies (zab.md §5). */
export interface SessionTouch {
  sessionId: bigint;
  timeoutMs: number;
}

/** ZAB packet bodies. Direction: L = leader, F = learner (follower or observer). */
export type ZabBody =
  /** F→L FOLLOWERINFO/OBSERVERINFO: zxid field (acceptedEpoch, 0). */
  | { type: 'learnerinfo'; acceptedEpoch: number; learnerType: LearnerType }
  /** L→F LEADERINFO: the new epoch e'. */
  | { type: 'leaderinfo'; epoch: number }
  /** F→L ACKEPOCH: currentEpoch (−1 when LEADERINFO's epoch equalled acceptedEpoch) + last logged zxid. */
  | { type: 'ackepoch'; currentEpoch: number; lastZxid: bigint }
  /** L→F DIFF: entries follow; zxid = leader's last committed. */
  | { type: 'diff'; zxid: bigint }
  /** L→F TRUNC: drop entries above zxid, then entries follow. */
  | { type: 'trunc'; zxid: bigint }
  /** L→F SNAP: the leader's database at zxid (tree + sessions), then entries follow. */
  | { type: 'snap'; zxid: bigint; bytes: Buffer; sessions: SessionInfo[] }
  | { type: 'proposal'; entry: TxnEntry }
  | { type: 'commit'; zxid: bigint }
  /** L→observer: a committed txn in full (observers get no PROPOSAL). */
  | { type: 'inform'; entry: TxnEntry }
  /** L→F NEWLEADER: the sync payload ends here. */
  | { type: 'newleader'; epoch: number }
  /** F→L ACK of a proposal, or of NEWLEADER with zxid (e', 0). */
  | { type: 'ack'; zxid: bigint }
  /** L→F UPTODATE: start serving. */
  | { type: 'uptodate' }
  /** L→F heartbeat (zxid = leader's last proposed). */
  | { type: 'ping'; zxid: bigint }
  /** F→L heartbeat echo carrying the learner's session touches. */
  | { type: 'pong'; touches: SessionTouch[] }
  /** F→L a client write (or createSession / closeSession) to order. */
  | { type: 'request'; request: ClientRequest }
  /** F→L a client's session reconnected here; L→F the verdict. */
  | { type: 'revalidate'; sessionId: bigint; timeoutMs: number }
  | { type: 'revalidated'; sessionId: bigint; valid: boolean }
  /** F→L a client sync; L→F released once everything proposed before it committed (zab.md §4.5). */
  | { type: 'sync'; sessionId: bigint }
  | { type: 'synced'; sessionId: bigint }
  /** Either side closes the link (like a TCP FIN); the other side stops using it. */
  | { type: 'close'; reason: string };

export interface ZabPacket {
  type: 'zab';
  link: number;
  /** The packet's number on its link; negative for a liveness packet (see livenessSeq). */
  seq: number;
  body: ZabBody;
}

/**
 * Liveness packets (PING, and the learner's reply carrying session touches) take no number
 * on their link: they may overtake packets queued to the same peer that wait for this
 * member's disk, and nothing waits for them. ZooKeeper answers a PING at once from the
 * learner's thread, not behind ACKs waiting for the fsync; numbered like the rest, a reply
 * could sit behind two log flushes and a slow disk would look like a dead peer (syncLimit)
 * although both ends were alive. Nothing orders on them: a PING carries no state a learner
 * acts on and a reply's touches only keep sessions alive.
 *
 * Their `seq` is negative and says how many numbered packets the sender had made before:
 * -(n + 1). A receiver still missing some of those n a syncLimit later treats the link as
 * broken — the gap a numbered PING used to reveal at once (a lost packet on a link that
 * stays up, as the simulator's lossy network produces).
 */
export function livenessSeq(numberedBefore: number): number {
  return -(numberedBefore + 1);
}

/** For a liveness packet's `seq`: how many numbered packets its sender had made before it; null for a numbered packet. */
export function numberedBefore(seq: number): number | null {
  return seq < 0 ? -seq - 1 : null;
}

export type PeerMessage = Notification | ZabPacket;

/** A message to deliver: `to` is a member's sid. */
export interface Outgoing {
  to: number;
  msg: PeerMessage;
  /**
   * May leave before this batch's persist completes: it depends on nothing the batch
   * writes (a leader's PROPOSAL, as ZooKeeper sends it before logging; a COMMIT of a txn
   * logged in an earlier batch). See ready.ts for the ordering rule.
   */
  early?: true;
  /** A liveness packet (see livenessSeq): leaves at once, ahead of anything queued to `to`, and holds nothing back. */
  unordered?: true;
}
