/**
 * Quorum health, computed and explained (the lab's "can I write?" panel). Pure: it reads
 * member reports and the link matrix and returns a verdict with sentences saying why.
 *
 * Rules (zab.md §2.8, §4.3, §4.4): a write commits when a leader and enough voters that
 * follow it, counting the leader, form a majority of the voters (floor(v/2)+1), and every
 * one of them is running and connected to the leader in both directions (ZAB needs
 * PROPOSAL out and ACK back). Observers never count. A paused process counts as absent:
 * it holds its sockets but answers nothing.
 */
import type { MemberId, MemberKind, MemberRole, ProcessState, QuorumHealth } from './api.js';

export interface HealthMember {
  id: MemberId;
  kind: MemberKind;
  state: ProcessState;
  role: MemberRole;
  leaderId: MemberId | null;
  committedZxid: bigint | null;
}

export interface HealthInput {
  members: HealthMember[];
  /** Whether bytes from `from` to `to` are stopped (blackhole or reject). */
  isCut(from: MemberId, to: MemberId): boolean;
}

const listOf = (ids: MemberId[]): string => (ids.length === 1 ? `member ${ids[0]}` : `members ${ids.join(', ')}`);
const setOf = (ids: MemberId[]): string => `{${ids.join(',')}}`;

export function computeQuorumHealth(input: HealthInput): QuorumHealth {
  const members = [...input.members].sort((a, b) => a.id - b.id);
  const voters = members.filter((m) => m.kind === 'participant');
  const size = Math.floor(voters.length / 2) + 1;
  const alive = (m: HealthMember) => m.state === 'running';
  const linked = (a: MemberId, b: MemberId) => !input.isCut(a, b) && !input.isCut(b, a);
  const explanation: string[] = [`${size} of ${voters.length} voting members make a majority.`];

  const absent = members.filter((m) => !alive(m));
  for (const m of absent) explanation.push(`member ${m.id} is ${absentWord(m.state)}.`);

  if (voters.length === 1 && members.length === 1) {
    const only = voters[0]!;
    const up = alive(only);
    explanation.push(up ? `member ${only.id} runs alone: it accepts writes by itself.` : 'the only member is not running: nothing can be written.');
    return {
      size,
      voters: 1,
      reachable: up ? 1 : 0,
      workingMajority: up ? [only.id] : [],
      canWrite: up,
      // A standalone member runs no ZAB: it leads nobody.
      leader: up && only.role === 'leader' ? only.id : null,
      stale: up ? [] : [only.id],
      explanation,
    };
  }

  // Groups around each reported leader: the voters following it over intact links.
  const leaders = members.filter((m) => alive(m) && m.role === 'leader' && m.kind === 'participant');
  const groups = leaders.map((leader) => ({
    leader: leader.id,
    voters: voters
      // A follower that does not say whom it follows (srvr-only members) is taken to follow a leader it is linked to.
      .filter((v) => alive(v) && (v.id === leader.id || ((v.leaderId === leader.id || v.leaderId === null) && v.role === 'follower' && linked(v.id, leader.id))))
      .map((v) => v.id),
  }));
  groups.sort((a, b) => b.voters.length - a.voters.length || a.leader - b.leader);
  const effective = groups.find((g) => g.voters.length >= size) ?? null;

  let workingMajority: MemberId[];
  let leader: MemberId | null;
  let canWrite: boolean;
  if (effective) {
    leader = effective.leader;
    workingMajority = effective.voters;
    canWrite = true;
    const followers = effective.voters.filter((v) => v !== leader);
    explanation.push(
      `member ${leader} leads ${followers.length > 0 ? `with ${listOf(followers)} following` : 'alone'}: ${effective.voters.length} of ${size} needed votes, writes can commit.`,
    );
    for (const g of groups) {
      if (g !== effective) explanation.push(`member ${g.leader} still thinks it leads but has only ${g.voters.length} of ${size} votes: it cannot commit and will step down.`);
    }
  } else {
    leader = null;
    canWrite = false;
    workingMajority = largestConnectedStar(voters.filter(alive).map((v) => v.id), linked);
    for (const g of groups) explanation.push(`member ${g.leader} leads but only ${g.voters.length} of ${size} needed votes follow it: writes cannot commit.`);
    if (workingMajority.length >= size) {
      explanation.push(`voters ${setOf(workingMajority)} can reach each other's candidate: an election can form a quorum; writes resume once it completes.`);
    } else {
      explanation.push(
        `no ${size} running voters are connected to one candidate (the best group is ${setOf(workingMajority)}): writes cannot succeed until members return or links heal.`,
      );
    }
  }

  const leaderMember = leader === null ? null : members.find((m) => m.id === leader)!;
  const stale: MemberId[] = [];
  for (const m of members) {
    if (!alive(m)) {
      stale.push(m.id);
      continue;
    }
    if (leader === null) continue;
    const inGroup = m.kind === 'participant' ? workingMajority.includes(m.id) : (m.leaderId === leader || m.leaderId === null) && linked(m.id, leader);
    if (!inGroup) {
      stale.push(m.id);
      const cutOff = !linked(m.id, leader);
      explanation.push(
        cutOff
          ? `member ${m.id} is cut off from leader ${leader}: it serves no writes, and reads there may be stale.`
          : `member ${m.id} is not following leader ${leader} yet (${m.role}).`,
      );
    } else if (leaderMember?.committedZxid != null && m.committedZxid != null && m.committedZxid < leaderMember.committedZxid) {
      explanation.push(`member ${m.id} is catching up (at ${hexOf(m.committedZxid)}, behind the leader's ${hexOf(leaderMember.committedZxid)}).`);
    }
  }

  return {
    size,
    voters: voters.length,
    reachable: workingMajority.length,
    workingMajority,
    canWrite,
    leader,
    stale,
    explanation,
  };
}

/** The biggest set {c} ∪ {voters linked to c} over candidates c (ties: lowest id). */
function largestConnectedStar(alive: MemberId[], linked: (a: MemberId, b: MemberId) => boolean): MemberId[] {
  let best: MemberId[] = [];
  for (const c of alive) {
    const group = alive.filter((v) => v === c || linked(v, c));
    if (group.length > best.length) best = group;
  }
  return best;
}

function absentWord(state: ProcessState): string {
  switch (state) {
    case 'paused':
      return 'paused (SIGSTOP): it holds its connections but answers nothing';
    case 'killed':
      return 'killed';
    case 'crashed':
      return 'crashed';
    case 'starting':
      return 'still starting';
    case 'stopping':
      return 'stopping';
    default:
      return 'stopped';
  }
}

function hexOf(v: bigint): string {
  return '0x' + v.toString(16);
}
