/**
 * Builds a member's card (`MemberStatus`) from what the supervisor knows about its process
 * and what the member last reported (`MemberState`, engine/src/quorum/protocol-events.ts).
 * Roles are renamed to the lab's vocabulary (status --json contract): leading → leader,
 * following → follower, observing → observer; a member without a process is `down`.
 */
import type { JsonSafe, MemberRole as QuorumRole, MemberState } from '../quorum/protocol-events.js';
import type { MemberRole, MemberStatus, ProcessState, ZabPhase } from './api.js';
import type { MemberPorts } from './lab-config.js';

export interface MemberFacts {
  ports: MemberPorts;
  state: ProcessState;
  pid: number | null;
  startedAt: number | null;
  exit: { code: number | null; signal: string | null; at: number } | null;
  lastLogLines: string[];
  reported: JsonSafe<MemberState> | null;
  reportedAt: number | null;
  now: number;
}

const ROLE_NAMES: Record<QuorumRole, MemberRole> = {
  leading: 'leader',
  following: 'follower',
  observing: 'observer',
  looking: 'looking',
  standalone: 'standalone',
  'read-only': 'read-only',
};

export function labRole(state: ProcessState, reported: JsonSafe<MemberState> | null): MemberRole {
  if (state !== 'running' && state !== 'paused') return 'down';
  if (!reported) return 'looking';
  return ROLE_NAMES[reported.role] ?? 'looking';
}

/** Normalises a hex string to lowercase `0x…` (reports may use upper case or `-0x1`). */
function hex(value: string | null | undefined): string | null {
  if (typeof value !== 'string') return null;
  return value.toLowerCase();
}

export function buildMemberStatus(f: MemberFacts, stale: boolean): MemberStatus {
  const r = f.state === 'running' || f.state === 'paused' ? f.reported : null;
  const alive = f.state === 'running' || f.state === 'paused' || f.state === 'starting' || f.state === 'stopping';
  const phase: ZabPhase = r?.phase ?? 'none';
  return {
    id: f.ports.id,
    kind: f.ports.kind,
    role: labRole(f.state, f.reported),
    state: f.state,
    epoch: r ? r.currentEpoch : null,
    acceptedEpoch: r ? r.acceptedEpoch : null,
    zxid: hex(r?.lastLoggedZxid),
    committedZxid: hex(r?.committedZxid),
    leaderId: r?.leaderId ?? null,
    phase,
    clientPort: f.ports.clientPort,
    proxyClientPort: f.ports.proxyClientPort,
    digest: r ? normaliseDigest(r.digest) : null,
    sessions: r ? r.sessionCount : null,
    znodes: r ? znodesInTree(r.znodeCount) : null,
    watches: null,
    peersConnected: r?.peersConnected ?? [],
    learners: r?.learners ?? [],
    syncedLearners: r?.syncedLearners ?? [],
    outstandingProposals: r ? r.outstandingProposals : null,
    round: r ? r.round : null,
    vote: r?.vote ?? null,
    serving: r ? r.serving : null,
    pid: alive ? f.pid : null,
    startedAt: alive ? f.startedAt : null,
    uptimeMs: alive && f.startedAt !== null ? Math.max(0, f.now - f.startedAt) : null,
    exit: f.exit,
    lastLogLines: f.state === 'crashed' ? f.lastLogLines : f.lastLogLines.slice(-5),
    reportedAt: f.reportedAt,
    stale,
  };
}

function normaliseDigest(d: string | null | undefined): string | null {
  if (typeof d !== 'string' || d === '') return null;
  return d.startsWith('0x') ? d.toLowerCase() : '0x' + d.toLowerCase();
}

/** zxid hex → bigint for comparisons (null when unknown). */
export function zxidValue(hexText: string | null): bigint | null {
  if (hexText === null) return null;
  try {
    return hexText.startsWith('-') ? -BigInt(hexText.slice(1)) : BigInt(hexText);
  } catch {
    return null;
  }
}

/**
 * Members report ZooKeeper's node count (srvr "Node count", mntr zk_znode_count), which
 * counts the root twice (under `""` and `/`): a fresh tree of `/`, `/zookeeper`,
 * `/zookeeper/quota` and `/zookeeper/config` reports 5. The lab shows the znodes actually in
 * the tree, each once — the number a cluster export reports (api.ts MemberStatus.znodes).
 */
export function znodesInTree(reportedNodeCount: number): number {
  return Math.max(0, reportedNodeCount - 1);
}
