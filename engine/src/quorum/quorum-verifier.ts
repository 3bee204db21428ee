/**
 * Who is in the ensemble and what counts as a quorum (zab.md §2.8, QuorumMaj): a set of
 * voters is a quorum when it holds more than half of all voters. Observers never count.
 *
 * The instructor bug switch `smallQuorum` (docs/teaching.md) lowers that to half, rounded
 * down (2 of 5): two disjoint groups can then both "have a quorum" — split brain on purpose.
 */
import type { LearnerType } from './protocol-events.js';

export interface MemberSpec {
  sid: number;
  type: LearnerType;
}

export class QuorumVerifier {
  readonly members: readonly MemberSpec[];
  /** Voting members' sids, ascending. */
  readonly voters: readonly number[];
  readonly observers: readonly number[];
  private readonly voterSet: ReadonlySet<number>;
  private readonly typeOf: ReadonlyMap<number, LearnerType>;

  /** Instructor bug switch: ⌊voters/2⌋ instead of a majority (never in a real ensemble). */
  readonly smallQuorum: boolean;
  /** Smallest number of voters that is a quorum: ⌊voters/2⌋ + 1 (bug switch: max(1, ⌊voters/2⌋)). */
  readonly quorumSize: number;

  constructor(members: readonly MemberSpec[], opts: { smallQuorum?: boolean } = {}) {
    this.smallQuorum = opts.smallQuorum ?? false;
    const seen = new Set<number>();
    for (const m of members) {
      if (!Number.isInteger(m.sid) || m.sid < 0 || m.sid > 255) throw new Error(`server id ${m.sid} must be an integer in 0..255`);
      if (seen.has(m.sid)) throw new Error(`server id ${m.sid} is configured twice`);
      seen.add(m.sid);
    }
    this.members = [...members].sort((a, b) => a.sid - b.sid);
    this.voters = this.members.filter((m) => m.type === 'participant').map((m) => m.sid);
    this.observers = this.members.filter((m) => m.type === 'observer').map((m) => m.sid);
    if (this.voters.length === 0) throw new Error('an ensemble needs at least one participant');
    this.voterSet = new Set(this.voters);
    this.typeOf = new Map(this.members.map((m) => [m.sid, m.type]));
    const half = Math.floor(this.voters.length / 2);
    this.quorumSize = this.smallQuorum ? Math.max(1, half) : half + 1;
  }

  isVoter(sid: number): boolean {
    return this.voterSet.has(sid);
  }

  isMember(sid: number): boolean {
    return this.typeOf.has(sid);
  }

  learnerType(sid: number): LearnerType | undefined {
    return this.typeOf.get(sid);
  }

  /** True if the voters among `sids` form a quorum; non-voters and duplicates are ignored. */
  isQuorum(sids: Iterable<number>): boolean {
    const counted = new Set<number>();
    for (const s of sids) if (this.voterSet.has(s)) counted.add(s);
    return counted.size >= this.quorumSize;
  }

  /** Every member except `sid`. */
  others(sid: number): number[] {
    return this.members.map((m) => m.sid).filter((s) => s !== sid);
  }
}
