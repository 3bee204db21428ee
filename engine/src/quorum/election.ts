/**
 * Fast Leader Election while LOOKING (zab.md §2.4–2.6, FastLeaderElection.lookForLeader),
 * as a pure state machine: notifications and ticks in, notifications and a decision out.
 * The replies a member sends in any state (the WorkerReceiver thread, §2.3) live in
 * peer.ts, which owns the current vote.
 */
import type { QuorumVerifier } from './quorum-verifier.js';
import type { Outbox } from './ready.js';
import type { Ticks } from './timings.js';
import type { PeerState, Vote } from './protocol-events.js';
import { type Candidate, voteBeats } from './vote-order.js';

/** A vote as received, with the sender's state (ZooKeeper's Vote carries both). */
interface StatedVote {
  vote: Vote;
  state: PeerState;
}

export interface ElectionDecision {
  vote: Vote;
  /** Voters whose votes agreed with the outcome. */
  voters: number[];
}

/**
 * Vote.equals: votes from members that settled (FOLLOWING/LEADING) are compared on
 * leader and peerEpoch only (ZOOKEEPER-1732/1805/1818); a LOOKING vote on all four fields.
 */
export function sameVote(a: StatedVote, b: StatedVote): boolean {
  if (a.state === 'looking' || b.state === 'looking') {
    return a.vote.leader === b.vote.leader && a.vote.zxid === b.vote.zxid && a.vote.round === b.vote.round && a.vote.peerEpoch === b.vote.peerEpoch;
  }
  return a.vote.leader === b.vote.leader && a.vote.peerEpoch === b.vote.peerEpoch;
}

export class Election {
  /** logicalclock: this member's election round. */
  round: number;
  proposal: Vote;
  private readonly recvset = new Map<number, StatedVote>();
  private readonly outofelection = new Map<number, StatedVote>();
  private notTimeout: number;
  private pollDeadline: number;
  /** Set while a quorum agrees with my proposal and I wait for a better vote (§2.5). */
  private finalizeDeadline: number | null = null;
  private readonly hasWeight: (sid: number) => boolean;
  /**
   * An uninitialized member (empty disk in an ensemble that has data, zab.md §1.4,
   * ZOOKEEPER-261/2325) proposes itself with zxid −1 and takes no part in LOOKING exchanges:
   * it only joins a leader that members with history elected (settled votes).
   */
  private readonly uninitialized: boolean;

  constructor(
    private readonly self: number,
    private readonly qv: QuorumVerifier,
    private readonly ticks: Ticks,
    private readonly out: Outbox,
    /** (myid, last logged zxid, currentEpoch), or NO_CANDIDATE for an observer. */
    private readonly initial: Candidate,
    previousRound: number,
    now: number,
    opts: { uninitialized?: boolean } = {},
  ) {
    this.hasWeight = (sid) => qv.isVoter(sid);
    this.uninitialized = opts.uninitialized ?? false;
    this.round = previousRound + 1;
    this.proposal = { ...initial, round: this.round };
    this.notTimeout = ticks.minNotification;
    this.pollDeadline = now + this.notTimeout;
    this.out.event(() => ({ kind: 'election-started', round: this.round, vote: { ...this.proposal } }));
    this.recordOwnVote();
    this.broadcast();
    // My own vote reaches me as a notification in ZooKeeper (loopback); a one-voter
    // ensemble is decided by it alone.
    this.maybeFinalize(now);
  }

  private maybeFinalize(now: number): void {
    const target: StatedVote = { vote: this.proposal, state: 'looking' };
    if (this.finalizeDeadline === null && this.qv.isQuorum(this.supporters(this.recvset, target))) {
      this.finalizeDeadline = now + this.ticks.finalizeWait;
    }
  }

  private recordOwnVote(): void {
    this.recvset.set(this.self, { vote: { ...this.proposal }, state: 'looking' });
  }

  /** Sends my proposal to every voter but me (my own vote goes straight into recvset). */
  private broadcast(): void {
    for (const to of this.qv.voters) {
      if (to === this.self) continue;
      const vote = { ...this.proposal };
      this.out.send.push({ to, msg: { type: 'notification', vote, state: 'looking' } });
      this.out.event(() => ({ kind: 'vote-sent', to, vote, state: 'looking' }));
    }
  }

  private adopt(candidate: Candidate, because: number): void {
    this.proposal = { leader: candidate.leader, zxid: candidate.zxid, peerEpoch: candidate.peerEpoch, round: this.round };
    this.recordOwnVote();
    this.out.event(() => ({ kind: 'vote-changed', vote: { ...this.proposal }, because }));
    this.broadcast();
  }

  /** Voters in `votes` agreeing with `target`. */
  private supporters(votes: Map<number, StatedVote>, target: StatedVote): number[] {
    const out: number[] = [];
    for (const [sid, v] of votes) if (this.qv.isVoter(sid) && sameVote(target, v)) out.push(sid);
    return out.sort((a, b) => a - b);
  }

  /** checkLeader (§2.4): a leader other than me must itself say LEADING; me only in my own round. */
  private leaderConfirmed(votes: Map<number, StatedVote>, leader: number, round: number): boolean {
    if (leader !== this.self) return votes.get(leader)?.state === 'leading';
    return round === this.round;
  }

  /** Handles one notification from a voter; returns the decision if the election ended. */
  onNotification(from: number, vote: Vote, state: PeerState, now: number): ElectionDecision | null {
    if (!this.qv.isVoter(from) || !this.qv.isVoter(vote.leader) || state === 'observing') return null;
    if (state === 'looking') {
      // ZOOKEEPER-2325: a LOOKING vote with zxid −1 comes from an uninitialized member; it
      // supports nobody (forget what it said before it knew), and an uninitialized member
      // ignores LOOKING votes altogether.
      if (vote.zxid < 0n) {
        this.recvset.delete(from);
        return null;
      }
      if (this.uninitialized) return null;
    }
    if (this.finalizeDeadline !== null) {
      // §2.5: only a better vote interrupts the final wait; anything else is consumed.
      if (!voteBeats(vote, this.proposal, this.hasWeight)) {
        this.finalizeDeadline = now + this.ticks.finalizeWait;
        return null;
      }
      this.finalizeDeadline = null;
    }
    this.pollDeadline = now + this.notTimeout;
    return state === 'looking' ? this.onLooking(from, vote, now) : this.onSettled(from, vote, state);
  }

  private onLooking(from: number, vote: Vote, now: number): ElectionDecision | null {
    if (vote.round > this.round) {
      this.round = vote.round;
      this.recvset.clear();
      const mine: Candidate = this.initial;
      this.adopt(voteBeats(vote, mine, this.hasWeight) ? vote : mine, from);
    } else if (vote.round < this.round) {
      return null;
    } else if (voteBeats(vote, this.proposal, this.hasWeight)) {
      this.adopt(vote, from);
    }
    this.recvset.set(from, { vote, state: 'looking' });
    this.maybeFinalize(now);
    return null;
  }

  private onSettled(from: number, vote: Vote, state: PeerState): ElectionDecision | null {
    const n: StatedVote = { vote, state };
    if (vote.round === this.round) {
      this.recvset.set(from, n);
      const voters = this.supporters(this.recvset, n);
      if (this.qv.isQuorum(voters) && this.leaderConfirmed(this.recvset, vote.leader, vote.round)) {
        return this.decide(vote, voters);
      }
    }
    this.outofelection.set(from, n);
    const voters = this.supporters(this.outofelection, n);
    if (this.qv.isQuorum(voters) && this.leaderConfirmed(this.outofelection, vote.leader, vote.round)) {
      this.round = vote.round;
      return this.decide(vote, voters);
    }
    return null;
  }

  private decide(vote: Vote, voters: number[]): ElectionDecision {
    this.finalizeDeadline = null;
    return { vote: { leader: vote.leader, zxid: vote.zxid, peerEpoch: vote.peerEpoch, round: this.round }, voters };
  }

  /** Advances time: ends the final wait, or re-sends my vote with backoff (§2.6). */
  onTick(now: number): ElectionDecision | null {
    if (this.finalizeDeadline !== null && now >= this.finalizeDeadline) {
      const target: StatedVote = { vote: this.proposal, state: 'looking' };
      return this.decide(this.proposal, this.supporters(this.recvset, target));
    }
    if (this.finalizeDeadline === null && now >= this.pollDeadline) {
      this.broadcast();
      this.notTimeout = Math.min(this.notTimeout * 2, this.ticks.maxNotification);
      this.pollDeadline = now + this.notTimeout;
    }
    return null;
  }
}
