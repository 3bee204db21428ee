/**
 * The live safety invariants of a lab ("SAFETY HOLDS"), checked on the merged event stream
 * and on what scenario clients were told. Pure: it only folds events it is given (times
 * come from the events), so it runs the same in the lab, in a UI and in unit tests.
 *
 *  - one-leader-per-epoch: no two members establish leadership in the same epoch
 *    (zab.md §8: at most one established leader per epoch).
 *  - committed-prefix: a committed transaction is never lost: no member is elected leader
 *    with a history that ends before a committed zxid, no member truncates a zxid it had
 *    committed, and every write acknowledged to a client stays (zab.md §8, §3.3).
 *  - zxid-monotonic: each member commits zxids in strictly increasing order, and a leader
 *    proposes them in increasing order (zab.md §1.4, §4.2).
 *  - read-your-writes: a session never reads a node older than its own acknowledged write
 *    (wire-protocol.md §17, §13.3: "a client must not go back in time").
 *
 * Each violation says which write was lost and why, from the evidence the events carry
 * (who acked the proposal, who was elected with which history, who truncated what).
 */
import type { BugSwitchName, Hex64, LabEvent, LocalizedText, MemberId, SafetyInvariantId, SafetyReport, SafetyViolation } from '../../lab/api.js';
import { fromJsonSafe, type ProtocolEvent } from '../../quorum/protocol-events.js';
import { zxidLabel } from '../../jute/zxid.js';
import { t, join } from '../text.js';

export const INVARIANTS: readonly SafetyInvariantId[] = ['one-leader-per-epoch', 'committed-prefix', 'zxid-monotonic', 'read-your-writes'];

/** A write a client was told succeeded. */
export interface AckedWrite {
  client: string;
  path: string;
  zxid: bigint;
  /** The member the client was connected to, when known. */
  member: MemberId | null;
  at: number;
  data: string | null;
}

/** A read a client made, with the zxid of the node version it saw. */
export interface ObservedRead {
  client: string;
  path: string;
  /** mzxid of what was read; -1 when the node was missing. */
  mzxid: bigint;
  member: MemberId | null;
  at: number;
}

interface CommitRecord {
  member: MemberId;
  op: string;
  seq: number;
}

const MAX_TRACKED_ZXIDS = 200_000;

const hex = (v: bigint): Hex64 => `0x${BigInt.asUintN(64, v).toString(16)}`;
const label = (v: bigint): string => `${zxidLabel(v)} (${hex(v)})`;

export class SafetyMonitor {
  private readonly violations: SafetyViolation[] = [];
  private readonly seenViolationKeys = new Set<string>();
  private readonly leaderOfEpoch = new Map<number, { member: MemberId; seq: number }>();
  private readonly committedAt = new Map<bigint, CommitRecord>();
  private maxCommitted = -1n;
  private maxCommittedBy: MemberId | null = null;
  /** Per member process: last committed zxid (reset when the process starts again). */
  private readonly lastCommitted = new Map<MemberId, bigint>();
  /** Per member: highest zxid it ever committed (kept across restarts: commits are durable). */
  private readonly highestCommitted = new Map<MemberId, bigint>();
  private readonly lastProposed = new Map<MemberId, bigint>();
  private readonly acks = new Map<bigint, Set<MemberId>>();
  private readonly acked: AckedWrite[] = [];
  /** Per client and path: the zxid of the client's own last acknowledged write. */
  private readonly ownWrites = new Map<string, bigint>();
  private eventsSeen = 0;
  private voters: number | null = null;

  constructor(private readonly bugSwitches: readonly BugSwitchName[] = []) {}

  /** Tells the monitor how many voters the lab has (for "needs 3 of 5" explanations). */
  setVoters(n: number): void {
    this.voters = n;
  }

  /** Folds one lab event; returns true when the report changed. */
  observe(e: LabEvent): boolean {
    const body = e.body;
    if (body.kind === 'process') {
      if (body.state === 'starting' || body.state === 'killed' || body.state === 'crashed' || body.state === 'stopped') {
        this.lastCommitted.delete(body.member);
        this.lastProposed.delete(body.member);
      }
      return false;
    }
    if (body.kind !== 'protocol') return false;
    let event: ProtocolEvent;
    try {
      event = fromJsonSafe<ProtocolEvent>(body.event as never);
    } catch {
      return false;
    }
    this.eventsSeen++;
    const before = this.violations.length;
    this.fold(body.member, event, e);
    return this.violations.length !== before;
  }

  private fold(member: MemberId, ev: ProtocolEvent, e: LabEvent): void {
    switch (ev.kind) {
      case 'leader-established': {
        const prior = this.leaderOfEpoch.get(ev.epoch);
        if (prior && prior.member !== member) {
          this.violate('one-leader-per-epoch', `epoch ${ev.epoch}`, e, {
            summary: t('safety.twoLeaders.summary', { epoch: ev.epoch, a: prior.member, b: member }),
            explanation: join([
              t('safety.twoLeaders.explanation', { epoch: ev.epoch, a: prior.member, b: member }),
              this.bugHint('smallQuorum'),
            ]),
            evidence: [`#${prior.seq} member ${prior.member}: leader-established epoch=${ev.epoch}`, `#${e.seq} member ${member}: leader-established epoch=${ev.epoch} voters=[${ev.voters.join(',')}]`],
            members: [prior.member, member],
            zxid: null,
            path: null,
          });
        } else if (!prior) this.leaderOfEpoch.set(ev.epoch, { member, seq: e.seq });
        this.lastProposed.delete(member);
        return;
      }
      case 'election-decided': {
        if (ev.role !== 'leading' || ev.leader !== member) return;
        // Leader completeness: the new leader's history must reach every committed zxid.
        if (this.maxCommitted > ev.zxid) {
          const lostAcked = this.acked.filter((w) => w.zxid > ev.zxid);
          const lost = lostAcked[0];
          const zxid = lost?.zxid ?? this.maxCommitted;
          this.violate('committed-prefix', `leader ${member} epoch-after ${ev.peerEpoch} lacks ${zxid}`, e, {
            summary: lost
              ? t('safety.lostWrite.summary', { path: lost.path, zxid: label(lost.zxid), client: lost.client })
              : t('safety.lostCommit.summary', { zxid: label(this.maxCommitted) }),
            explanation: join([
              t('safety.newLeaderBehind.explanation', { leader: member, history: label(ev.zxid), zxid: label(zxid), voters: ev.voters.join(', ') }),
              this.ackStory(zxid),
              this.bugHint('smallQuorum'),
              this.bugHint('ackBeforeFsync'),
            ]),
            evidence: [
              `member ${this.maxCommittedBy ?? '?'} committed up to ${label(this.maxCommitted)}`,
              ...lostAcked.slice(0, 5).map((w) => `client ${w.client} was told ${w.path} was written at ${label(w.zxid)}`),
              `#${e.seq} member ${member}: election-decided leader=${member} zxid=${label(ev.zxid)} voters=[${ev.voters.join(',')}]`,
            ],
            members: [member],
            zxid: hex(zxid),
            path: lost?.path ?? null,
          });
        }
        return;
      }
      case 'proposal-sent': {
        const last = this.lastProposed.get(member);
        if (last !== undefined && ev.zxid <= last) {
          this.violate('zxid-monotonic', `proposal ${member} ${ev.zxid}`, e, {
            summary: t('safety.proposalOrder.summary', { member, zxid: label(ev.zxid), last: label(last) }),
            explanation: t('safety.proposalOrder.explanation'),
            evidence: [`#${e.seq} member ${member}: proposal-sent ${label(ev.zxid)} after ${label(last)}`],
            members: [member],
            zxid: hex(ev.zxid),
            path: null,
          });
        }
        this.lastProposed.set(member, ev.zxid);
        return;
      }
      case 'ack-received': {
        let set = this.acks.get(ev.zxid);
        if (!set) {
          set = new Set();
          this.acks.set(ev.zxid, set);
          this.trim(this.acks);
        }
        set.add(ev.from);
        return;
      }
      case 'committed': {
        const last = this.lastCommitted.get(member);
        if (last !== undefined && ev.zxid <= last) {
          this.violate('zxid-monotonic', `commit ${member} ${ev.zxid}`, e, {
            summary: t('safety.commitOrder.summary', { member, zxid: label(ev.zxid), last: label(last) }),
            explanation: t('safety.commitOrder.explanation'),
            evidence: [`#${e.seq} member ${member}: committed ${label(ev.zxid)} after ${label(last)}`],
            members: [member],
            zxid: hex(ev.zxid),
            path: null,
          });
        }
        this.lastCommitted.set(member, ev.zxid);
        if ((this.highestCommitted.get(member) ?? -1n) < ev.zxid) this.highestCommitted.set(member, ev.zxid);
        const prior = this.committedAt.get(ev.zxid);
        if (prior && prior.member !== member && prior.op !== ev.op) {
          this.violate('committed-prefix', `diverged ${ev.zxid}`, e, {
            summary: t('safety.diverged.summary', { zxid: label(ev.zxid), a: prior.member, b: member }),
            explanation: join([t('safety.diverged.explanation', { zxid: label(ev.zxid), a: prior.member, opA: prior.op, b: member, opB: ev.op }), this.bugHint('smallQuorum')]),
            evidence: [`#${prior.seq} member ${prior.member}: committed ${label(ev.zxid)} ${prior.op}`, `#${e.seq} member ${member}: committed ${label(ev.zxid)} ${ev.op}`],
            members: [prior.member, member],
            zxid: hex(ev.zxid),
            path: null,
          });
        } else if (!prior) {
          this.committedAt.set(ev.zxid, { member, op: ev.op, seq: e.seq });
          this.trim(this.committedAt);
        }
        if (ev.zxid > this.maxCommitted) {
          this.maxCommitted = ev.zxid;
          this.maxCommittedBy = member;
        }
        return;
      }
      case 'truncated': {
        const highest = this.highestCommitted.get(member);
        if (highest !== undefined && highest > ev.zxid) {
          this.violate('committed-prefix', `truncated ${member} ${ev.zxid}`, e, {
            summary: t('safety.truncatedCommitted.summary', { member, zxid: label(ev.zxid), highest: label(highest) }),
            explanation: join([t('safety.truncatedCommitted.explanation', { member, zxid: label(ev.zxid), highest: label(highest) }), this.ackStory(highest)]),
            evidence: [`member ${member} had committed up to ${label(highest)}`, `#${e.seq} member ${member}: truncated to ${label(ev.zxid)} removed=${ev.removed}`],
            members: [member],
            zxid: hex(highest),
            path: null,
          });
          this.highestCommitted.set(member, ev.zxid);
        }
        return;
      }
      case 'snapshot-loaded': {
        // A SNAP replaces the tree: commits restart from the snapshot's zxid.
        this.lastCommitted.set(member, ev.zxid);
        return;
      }
      default:
        return;
    }
  }

  /** A write a scenario client was told succeeded. */
  observeAckedWrite(w: AckedWrite): void {
    this.acked.push(w);
    if (this.acked.length > MAX_TRACKED_ZXIDS) this.acked.shift();
    const key = `${w.client}\u0000${w.path}`;
    if ((this.ownWrites.get(key) ?? -1n) < w.zxid) this.ownWrites.set(key, w.zxid);
  }

  /** A read by a scenario client: older than its own acknowledged write breaks read-your-writes. */
  observeRead(r: ObservedRead, seq: number | null = null): boolean {
    const own = this.ownWrites.get(`${r.client}\u0000${r.path}`);
    if (own === undefined || r.mzxid >= own) return false;
    this.violate('read-your-writes', `${r.client} ${r.path} ${own}`, null, {
      summary: t('safety.staleRead.summary', { client: r.client, path: r.path }),
      explanation: join([
        t('safety.staleRead.explanation', { client: r.client, path: r.path, own: label(own), seen: r.mzxid < 0n ? '—' : label(r.mzxid), member: r.member ?? '?' }),
        this.bugHint('staleReads'),
      ]),
      evidence: [`client ${r.client} wrote ${r.path} at ${label(own)}`, `client ${r.client} then read ${r.path} from member ${r.member ?? '?'} and saw ${r.mzxid < 0n ? 'no node' : label(r.mzxid)}`],
      members: r.member === null ? [] : [r.member],
      zxid: hex(own),
      path: r.path,
    }, r.at, seq);
    return true;
  }

  /**
   * An acknowledged write found missing (or older) when read back after the faults: the
   * plainest proof that the committed prefix was lost.
   */
  reportMissingWrite(w: AckedWrite, found: string, at: number): boolean {
    const before = this.violations.length;
    this.violate('committed-prefix', `missing ${w.client} ${w.path} ${w.zxid}`, null, {
      summary: t('safety.lostWrite.summary', { path: w.path, zxid: label(w.zxid), client: w.client }),
      explanation: join([t('safety.missingWrite.explanation', { path: w.path, zxid: label(w.zxid), client: w.client, found }), this.ackStory(w.zxid), this.bugHint('smallQuorum'), this.bugHint('ackBeforeFsync')]),
      evidence: [`client ${w.client} was told ${w.path}${w.data === null ? '' : ` = ${JSON.stringify(w.data)}`} was written at ${label(w.zxid)} (member ${w.member ?? '?'})`, `read back now: ${found}`],
      members: w.member === null ? [] : [w.member],
      zxid: hex(w.zxid),
      path: w.path,
    }, at);
    return this.violations.length !== before;
  }

  ackedWrites(): readonly AckedWrite[] {
    return this.acked;
  }

  get holds(): boolean {
    return this.violations.length === 0;
  }

  report(): SafetyReport {
    return {
      holds: this.violations.length === 0,
      bugSwitches: [...this.bugSwitches],
      eventsSeen: this.eventsSeen,
      invariants: INVARIANTS.map((id) => {
        const violations = this.violations.filter((v) => v.invariant === id);
        return { id, title: t(`invariant.${id}.title`), description: t(`invariant.${id}.description`), ok: violations.length === 0, violations };
      }),
    };
  }

  /** "Acked by members 1 and 2 only: 2 of 5, a quorum needs 3." */
  private ackStory(zxid: bigint): LocalizedText {
    const acks = this.acks.get(zxid);
    if (!acks || acks.size === 0) return t('safety.acks.unknown');
    const list = [...acks].sort((a, b) => a - b).join(', ');
    if (this.voters === null) return t('safety.acks.some', { members: list, count: acks.size });
    const majority = Math.floor(this.voters / 2) + 1;
    return acks.size < majority
      ? t('safety.acks.minority', { members: list, count: acks.size, voters: this.voters, majority })
      : t('safety.acks.majority', { members: list, count: acks.size, voters: this.voters });
  }

  private bugHint(name: BugSwitchName): LocalizedText {
    return this.bugSwitches.includes(name) ? t(`safety.bugHint.${name}`) : { en: '', ko: '' };
  }

  private violate(
    invariant: SafetyInvariantId,
    key: string,
    e: LabEvent | null,
    v: Omit<SafetyViolation, 'invariant' | 'at' | 'seq'>,
    at = e?.at ?? 0,
    seq = e?.seq ?? null,
  ): void {
    const k = `${invariant}|${key}`;
    if (this.seenViolationKeys.has(k)) return;
    this.seenViolationKeys.add(k);
    const tidy = (x: LocalizedText): LocalizedText => ({ en: x.en.replace(/\s+/g, ' ').trim(), ko: x.ko.replace(/\s+/g, ' ').trim() });
    this.violations.push({ ...v, summary: tidy(v.summary), explanation: tidy(v.explanation), invariant, at, seq });
  }

  private trim<K, V>(map: Map<K, V>): void {
    if (map.size <= MAX_TRACKED_ZXIDS) return;
    const first = map.keys().next();
    if (!first.done) map.delete(first.value);
  }
}
