/**
 * The timeline as a space-time (Lamport) diagram, laid out without pixels: one lane per
 * member, one row per event in happened order, arrows joining each message's send to
 * its receipt (votes, proposals, acks, commits, epoch and sync steps — zab.md §2–§4), and
 * lab-wide marks for what someone did (kill, partition…). The canvas view and the SVG
 * export both draw this same layout.
 *
 * Row order: members share the lab host's clock, so protocol events sort by the member's
 * own timestamp (ties by sequence number, sends before receipts); lab events by their
 * `at`. Pure and deterministic.
 */
import type { LabEvent, MemberId, ProtocolEventJson } from '../../../engine/src/lab/api.js';

export type TimelineCategory =
  | 'vote'
  | 'election'
  | 'epoch'
  | 'sync'
  | 'proposal'
  | 'ack'
  | 'commit'
  | 'session'
  | 'watch'
  | 'peer'
  | 'role'
  | 'disk'
  | 'action'
  | 'process'
  | 'link'
  | 'quorum'
  | 'log';

export const TIMELINE_CATEGORIES: readonly TimelineCategory[] = [
  'vote', 'election', 'epoch', 'sync', 'proposal', 'ack', 'commit', 'session', 'watch', 'peer', 'role', 'disk',
  'action', 'process', 'link', 'quorum', 'log',
];

/** Categories drawn across every lane (the lab acted, not a member). */
const LAB_WIDE: ReadonlySet<TimelineCategory> = new Set(['action', 'link', 'quorum']);

export interface TimelineRow {
  seq: number;
  /** Wall-clock ms used for ordering (the member's for protocol events). */
  time: number;
  /** Lane index; null for lab-wide marks. */
  lane: number | null;
  member: MemberId | null;
  category: TimelineCategory;
  label: string;
  /** For lab actions: whether it succeeded. */
  ok?: boolean;
}

export interface TimelineArrow {
  from: number;
  to: number;
  fromLane: number;
  toLane: number;
  category: TimelineCategory;
}

export interface TimelineLayout {
  lanes: MemberId[];
  rows: TimelineRow[];
  arrows: TimelineArrow[];
}

export interface TimelineFilter {
  /** Members to draw (lanes); events of other members are left out. */
  members?: readonly MemberId[];
  /** Categories to draw; all when undefined. */
  categories?: ReadonlySet<TimelineCategory>;
}

export function categoryOf(e: LabEvent): TimelineCategory {
  const b = e.body;
  switch (b.kind) {
    case 'action':
      return 'action';
    case 'process':
      return 'process';
    case 'role':
      return 'role';
    case 'links':
      return 'link';
    case 'quorum':
      return 'quorum';
    case 'log':
      return 'log';
    case 'protocol':
      return protocolCategory(b.event);
  }
}

function protocolCategory(p: ProtocolEventJson): TimelineCategory {
  switch (p.kind) {
    case 'vote-sent':
    case 'vote-received':
    case 'vote-changed':
      return 'vote';
    case 'election-started':
    case 'election-decided':
    case 'leader-stepped-down':
    case 'leader-lost':
      return 'election';
    case 'learner-connected':
    case 'learner-disconnected':
    case 'epoch-proposed':
    case 'epoch-accepted':
    case 'epoch-acked':
    case 'epoch-persisted':
    case 'leader-established':
      return 'epoch';
    case 'sync-chosen':
    case 'sync-received':
    case 'truncated':
    case 'snapshot-loaded':
    case 'newleader-acked':
    case 'learner-synced':
    case 'uptodate':
    case 'sync-parked':
    case 'sync-released':
      return 'sync';
    case 'proposal-sent':
    case 'proposal-received':
    case 'request-forwarded':
      return 'proposal';
    case 'ack-sent':
    case 'ack-received':
      return 'ack';
    case 'committed':
      return 'commit';
    case 'logged':
      return 'disk';
    case 'session-created':
    case 'session-expired':
    case 'session-closed':
    case 'session-revalidated':
      return 'session';
    case 'watch-fired':
      return 'watch';
    case 'peer-connected':
    case 'peer-disconnected':
      return 'peer';
    case 'role-changed':
    case 'read-only':
      return 'role';
  }
}

function memberOf(e: LabEvent): MemberId | null {
  const b = e.body;
  return b.kind === 'process' || b.kind === 'role' || b.kind === 'protocol' || b.kind === 'log' ? b.member : null;
}

function timeOf(e: LabEvent): number {
  return e.body.kind === 'protocol' ? e.body.memberTimeMs : e.at;
}

/** Sends sort before receipts within the same millisecond, so arrows point forward. */
function sendRank(e: LabEvent): number {
  if (e.body.kind !== 'protocol') return 1;
  const k = e.body.event.kind;
  return k.endsWith('-sent') || k === 'epoch-proposed' || k === 'sync-chosen' || k === 'leader-established' ? 0 : 1;
}

/**
 * Lays out `events` (any order; typically the ring's contents). `label` words each row
 * (timeline-labels.ts, through the current language).
 */
export function layoutTimeline(
  events: readonly LabEvent[],
  allMembers: readonly MemberId[],
  filter: TimelineFilter,
  label: (e: LabEvent) => string,
): TimelineLayout {
  const lanes = [...(filter.members ?? allMembers)].sort((a, b) => a - b);
  const laneOf = new Map(lanes.map((m, i) => [m, i]));
  const picked = events
    .filter((e) => {
      // A member's own role-changed report repeats the lab's `role` event: draw it once.
      if (e.body.kind === 'protocol' && e.body.event.kind === 'role-changed') return false;
      const c = categoryOf(e);
      if (filter.categories && !filter.categories.has(c)) return false;
      const m = memberOf(e);
      return m === null ? LAB_WIDE.has(c) || c === 'process' : laneOf.has(m);
    })
    .map((e) => ({ e, t: timeOf(e), r: sendRank(e) }))
    .sort((a, b) => a.t - b.t || a.r - b.r || a.e.seq - b.e.seq)
    .map((x) => x.e);

  const rows: TimelineRow[] = picked.map((e) => {
    const member = memberOf(e);
    const category = categoryOf(e);
    const row: TimelineRow = {
      seq: e.seq,
      time: timeOf(e),
      lane: member === null || LAB_WIDE.has(category) ? null : laneOf.get(member)!,
      member,
      category,
      label: label(e),
    };
    if (e.body.kind === 'action') row.ok = e.body.ok;
    return row;
  });
  return { lanes, rows, arrows: matchMessages(picked, laneOf) };
}

/** Pairs each receipt with the earliest unmatched send of the same message. */
function matchMessages(events: readonly LabEvent[], laneOf: Map<MemberId, number>): TimelineArrow[] {
  const sends = new Map<string, { row: number; member: MemberId }[]>();
  const arrows: TimelineArrow[] = [];
  const proposer = new Map<string, MemberId>();
  const commitSource = new Map<string, number>();
  const offer = (key: string, row: number, member: MemberId) => {
    let q = sends.get(key);
    if (!q) sends.set(key, (q = []));
    q.push({ row, member });
  };
  const take = (key: string, row: number, member: MemberId, category: TimelineCategory) => {
    const q = sends.get(key);
    const s = q?.shift();
    if (!s) return;
    const fromLane = laneOf.get(s.member);
    const toLane = laneOf.get(member);
    if (fromLane === undefined || toLane === undefined) return;
    arrows.push({ from: s.row, to: row, fromLane, toLane, category });
  };

  events.forEach((e, row) => {
    if (e.body.kind !== 'protocol') return;
    const m = e.body.member;
    const p = e.body.event;
    switch (p.kind) {
      case 'vote-sent':
        return offer(`vote:${m}>${p.to}:${p.vote.round}:${p.vote.leader}:${p.vote.zxid}`, row, m);
      case 'vote-received':
        return take(`vote:${p.from}>${m}:${p.vote.round}:${p.vote.leader}:${p.vote.zxid}`, row, m, 'vote');
      case 'proposal-sent':
        proposer.set(p.zxid, m);
        for (const to of p.to) if (to !== m) offer(`prop:${m}>${to}:${p.zxid}`, row, m);
        return;
      case 'proposal-received':
        return take(`prop:${p.from}>${m}:${p.zxid}`, row, m, 'proposal');
      case 'ack-sent':
        return offer(`ack:${m}>${p.to}:${p.zxid}`, row, m);
      case 'ack-received':
        if (p.from === m) return; // the leader's own ACK after its fsync is not a message
        return take(`ack:${p.from}>${m}:${p.zxid}`, row, m, 'ack');
      case 'committed': {
        const leader = proposer.get(p.zxid);
        if (leader === m) {
          commitSource.set(p.zxid, row);
        } else if (leader !== undefined) {
          const from = commitSource.get(p.zxid);
          const fromLane = laneOf.get(leader);
          const toLane = laneOf.get(m);
          if (from !== undefined && fromLane !== undefined && toLane !== undefined) arrows.push({ from, to: row, fromLane, toLane, category: 'commit' });
        }
        return;
      }
      case 'sync-chosen':
        return offer(`sync:${m}>${p.learner}`, row, m);
      case 'sync-received':
        return take(`sync:${p.leader}>${m}`, row, m, 'sync');
      case 'epoch-accepted':
        return offer(`ackepoch:${m}>${p.leader}`, row, m);
      case 'epoch-acked':
        return take(`ackepoch:${p.learner}>${m}`, row, m, 'epoch');
      case 'newleader-acked':
        return offer(`nl:${m}>${p.leader}`, row, m);
      case 'learner-synced':
        return take(`nl:${p.learner}>${m}`, row, m, 'sync');
      default:
        return;
    }
  });
  return arrows;
}
