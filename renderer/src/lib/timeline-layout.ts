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

/**
 * The messages an event sends and the one it receives, as keys shared by both ends
 * (sender > receiver : what). `fanout` keys (a leader's COMMIT, one key for all its
 * learners) are not consumed by a receipt.
 */
interface MessageKeys {
  sends: string[];
  fanout: string | null;
  receives: string | null;
  /** Receipt of a fan-out message. */
  receivesFanout: string | null;
  category: TimelineCategory;
}

function messageKeys(e: LabEvent, proposer: ReadonlyMap<string, MemberId>): MessageKeys | null {
  if (e.body.kind !== 'protocol') return null;
  const m = e.body.member;
  const p = e.body.event;
  const none = { sends: [], fanout: null, receives: null, receivesFanout: null };
  switch (p.kind) {
    case 'vote-sent':
      return { ...none, sends: [`vote:${m}>${p.to}:${p.vote.round}:${p.vote.leader}:${p.vote.zxid}`], category: 'vote' };
    case 'vote-received':
      return { ...none, receives: `vote:${p.from}>${m}:${p.vote.round}:${p.vote.leader}:${p.vote.zxid}`, category: 'vote' };
    case 'proposal-sent':
      return { ...none, sends: p.to.filter((to) => to !== m).map((to) => `prop:${m}>${to}:${p.zxid}`), category: 'proposal' };
    case 'proposal-received':
      return { ...none, receives: `prop:${p.from}>${m}:${p.zxid}`, category: 'proposal' };
    case 'ack-sent':
      return { ...none, sends: [`ack:${m}>${p.to}:${p.zxid}`], category: 'ack' };
    case 'ack-received':
      // The leader's own ACK after its fsync is not a message.
      return p.from === m ? null : { ...none, receives: `ack:${p.from}>${m}:${p.zxid}`, category: 'ack' };
    case 'committed': {
      const leader = proposer.get(p.zxid);
      if (leader === undefined) return null;
      return leader === m ? { ...none, fanout: `commit:${p.zxid}`, category: 'commit' } : { ...none, receivesFanout: `commit:${p.zxid}`, category: 'commit' };
    }
    case 'sync-chosen':
      return { ...none, sends: [`sync:${m}>${p.learner}`], category: 'sync' };
    case 'sync-received':
      return { ...none, receives: `sync:${p.leader}>${m}`, category: 'sync' };
    case 'epoch-accepted':
      return { ...none, sends: [`ackepoch:${m}>${p.leader}`], category: 'epoch' };
    case 'epoch-acked':
      return { ...none, receives: `ackepoch:${p.learner}>${m}`, category: 'epoch' };
    case 'newleader-acked':
      return { ...none, sends: [`nl:${m}>${p.leader}`], category: 'sync' };
    case 'learner-synced':
      return { ...none, receives: `nl:${p.learner}>${m}`, category: 'sync' };
    default:
      return null;
  }
}

/**
 * Happened-before order: each member's events stay in the order it reported them, and a
 * receipt is placed after its send even when the receiver's report (or clock) came first.
 * Among events that are ready, the earliest timestamp (then sequence number) goes next.
 */
function causalOrder(events: readonly LabEvent[], proposer: ReadonlyMap<string, MemberId>): LabEvent[] {
  const queues = new Map<string, LabEvent[]>();
  for (const e of [...events].sort((a, b) => a.seq - b.seq)) {
    const m = memberOf(e);
    const q = `${m ?? 'lab'}`;
    if (!queues.has(q)) queues.set(q, []);
    queues.get(q)!.push(e);
  }
  const keys = new Map(events.map((e) => [e, messageKeys(e, proposer)]));
  // Sends that exist at all: a receipt whose send is absent (filtered, trimmed) need not wait.
  const sendTotal = new Map<string, number>();
  const fanouts = new Set<string>();
  for (const k of keys.values()) {
    for (const s of k?.sends ?? []) sendTotal.set(s, (sendTotal.get(s) ?? 0) + 1);
    if (k?.fanout) fanouts.add(k.fanout);
  }
  const sent = new Map<string, number>();
  const received = new Map<string, number>();
  const fanned = new Set<string>();
  const ready = (e: LabEvent) => {
    const k = keys.get(e);
    if (k?.receives && (sendTotal.get(k.receives) ?? 0) > (received.get(k.receives) ?? 0)) return (sent.get(k.receives) ?? 0) > (received.get(k.receives) ?? 0);
    if (k?.receivesFanout && fanouts.has(k.receivesFanout)) return fanned.has(k.receivesFanout);
    return true;
  };
  const out: LabEvent[] = [];
  const heads = [...queues.values()];
  const index = heads.map(() => 0);
  for (;;) {
    let best = -1;
    let bestReady = false;
    for (let i = 0; i < heads.length; i++) {
      const e = heads[i]![index[i]!];
      if (!e) continue;
      const r = ready(e);
      const cur = best >= 0 ? heads[best]![index[best]!]! : null;
      const better = !cur || (r && !bestReady) || (r === bestReady && (timeOf(e) - timeOf(cur) || e.seq - cur.seq) < 0);
      if (better) {
        best = i;
        bestReady = r;
      }
    }
    if (best < 0) break;
    const e = heads[best]![index[best]!++]!;
    const k = keys.get(e);
    for (const s of k?.sends ?? []) sent.set(s, (sent.get(s) ?? 0) + 1);
    if (k?.receives) received.set(k.receives, (received.get(k.receives) ?? 0) + 1);
    if (k?.fanout) fanned.add(k.fanout);
    out.push(e);
  }
  return out;
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
  const filtered = events.filter((e) => {
    // A member's own role-changed report repeats the lab's `role` event: draw it once.
    if (e.body.kind === 'protocol' && e.body.event.kind === 'role-changed') return false;
    const c = categoryOf(e);
    if (filter.categories && !filter.categories.has(c)) return false;
    const m = memberOf(e);
    return m === null ? LAB_WIDE.has(c) || c === 'process' : laneOf.has(m);
  });
  const proposer = new Map<string, MemberId>();
  for (const e of filtered) if (e.body.kind === 'protocol' && e.body.event.kind === 'proposal-sent') proposer.set(e.body.event.zxid, e.body.member);
  const picked = causalOrder(filtered, proposer);

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
  return { lanes, rows, arrows: matchMessages(picked, laneOf, proposer) };
}

/** Pairs each receipt with the earliest unmatched send of the same message (rows are in causal order). */
function matchMessages(events: readonly LabEvent[], laneOf: Map<MemberId, number>, proposer: ReadonlyMap<string, MemberId>): TimelineArrow[] {
  const sends = new Map<string, { row: number; member: MemberId }[]>();
  const fanouts = new Map<string, { row: number; member: MemberId }>();
  const arrows: TimelineArrow[] = [];
  const push = (from: { row: number; member: MemberId }, row: number, member: MemberId, category: TimelineCategory) => {
    const fromLane = laneOf.get(from.member);
    const toLane = laneOf.get(member);
    if (fromLane !== undefined && toLane !== undefined) arrows.push({ from: from.row, to: row, fromLane, toLane, category });
  };
  events.forEach((e, row) => {
    const k = messageKeys(e, proposer);
    if (!k || e.body.kind !== 'protocol') return;
    const member = e.body.member;
    for (const s of k.sends) {
      if (!sends.has(s)) sends.set(s, []);
      sends.get(s)!.push({ row, member });
    }
    if (k.fanout) fanouts.set(k.fanout, { row, member });
    if (k.receives) {
      const from = sends.get(k.receives)?.shift();
      if (from) push(from, row, member, k.category);
    }
    if (k.receivesFanout) {
      const from = fanouts.get(k.receivesFanout);
      if (from) push(from, row, member, k.category);
    }
  });
  return arrows;
}
