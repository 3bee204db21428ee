/** Small readings of a LabStatus shared by conditions and checks. */
import type { LabEvent, LabStatus, MemberId, MemberStatus } from '../../lab/api.js';
import { fromJsonSafe, type ProtocolEvent } from '../../quorum/protocol-events.js';
import { counterOf, epochOf } from '../../jute/zxid.js';

export function zxidOf(hex: string | null): bigint | null {
  if (hex === null) return null;
  const m = /^(-?)0x([0-9a-f]+)$/i.exec(hex);
  if (!m) return null;
  const v = BigInt(`0x${m[2]}`);
  return m[1] ? -v : v;
}

export function memberOf(s: LabStatus, id: MemberId): MemberStatus {
  const m = s.members.find((x) => x.id === id);
  if (!m) throw new Error(`there is no member ${id}`);
  return m;
}

/** The most advanced committed zxid among running members (the leader's, normally). */
export function frontier(s: LabStatus): bigint {
  let best = -1n;
  for (const m of s.members) {
    const z = zxidOf(m.committedZxid);
    if (m.state === 'running' && z !== null && z > best) best = z;
  }
  return best;
}

/**
 * How many transactions `behind` lags `ahead` (same epoch: counter difference; across
 * epochs we count the newer epoch's counter plus one per epoch change, a lower bound).
 */
export function txnsBehind(ahead: bigint, behind: bigint): number {
  if (behind >= ahead) return 0;
  if (epochOf(ahead) === epochOf(behind)) return counterOf(ahead) - counterOf(behind);
  return counterOf(ahead) + (epochOf(ahead) - epochOf(behind));
}

/** Protocol events in `events`, decoded, with their member and lab seq. */
export function protocolEvents(events: readonly LabEvent[]): { member: MemberId; seq: number; at: number; event: ProtocolEvent }[] {
  const out: { member: MemberId; seq: number; at: number; event: ProtocolEvent }[] = [];
  for (const e of events) {
    if (e.body.kind !== 'protocol') continue;
    try {
      out.push({ member: e.body.member, seq: e.seq, at: e.at, event: fromJsonSafe<ProtocolEvent>(e.body.event as never) });
    } catch {
      // A malformed event is not ours to judge here.
    }
  }
  return out;
}
