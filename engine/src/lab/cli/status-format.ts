/**
 * How `zk-lab status` prints a lab: a table for people and, with --json, the contract
 * object `{"members":[{"id","role","state","epoch","zxid","clientPort","digest","sessions",
 * "znodes"}],"leader","quorum":{"size","reachable","canWrite"},"links":[…]}`.
 */
import type { LabStatus, LinkState, MemberRole, MemberStatus } from '../api.js';
import { computeQuorumHealth } from '../quorum-health.js';
import type { LabConfig } from '../lab-config.js';
import { connectString, directConnectString } from '../lab-config.js';
import { LinkMatrix } from '../link-matrix.js';

export type StatusJsonRole = 'leader' | 'follower' | 'observer' | 'looking' | 'standalone' | 'down';

export interface StatusJson {
  members: {
    id: number;
    role: StatusJsonRole;
    state: MemberStatus['state'];
    epoch: number | null;
    zxid: string | null;
    clientPort: number;
    digest: string | null;
    sessions: number | null;
    znodes: number | null;
  }[];
  leader: number | null;
  quorum: { size: number; reachable: number; canWrite: boolean };
  links: LinkState[];
}

/** The contract's role names: a read-only member is LOOKING in ZooKeeper's terms (zab.md §6). */
function contractRole(role: MemberRole): StatusJsonRole {
  return role === 'read-only' ? 'looking' : role;
}

export function statusJson(s: LabStatus): StatusJson {
  return {
    members: s.members.map((m) => ({
      id: m.id,
      role: contractRole(m.role),
      state: m.state,
      epoch: m.epoch,
      zxid: m.zxid,
      clientPort: m.clientPort,
      digest: m.digest,
      sessions: m.sessions,
      znodes: m.znodes,
    })),
    leader: s.leader,
    quorum: { size: s.quorum.size, reachable: s.quorum.reachable, canWrite: s.quorum.canWrite },
    links: s.links,
  };
}

/** A member's faulty links in a few words: `cut 4,5`, `slow →2`, `lossy 3`, `client cut`. */
export function linkSummary(id: number, links: LinkState[]): string {
  const cut = new Set<string>();
  const slow = new Set<string>();
  const lossy = new Set<string>();
  for (const l of links) {
    if (l.from !== id && l.to !== id) continue;
    const other = String(l.from === id ? l.to : l.from);
    if (l.settings.mode !== 'pass') cut.add(other);
    if (l.settings.delayMs > 0 || l.settings.jitterMs > 0) slow.add(other);
    if (l.settings.lossPercent > 0) lossy.add(other);
  }
  const parts: string[] = [];
  if (cut.size) parts.push(`cut ${[...cut].join(',')}`);
  if (slow.size) parts.push(`slow ${[...slow].join(',')}`);
  if (lossy.size) parts.push(`lossy ${[...lossy].join(',')}`);
  return parts.length ? parts.join('; ') : 'ok';
}

export function statusTable(s: LabStatus): string {
  const header = ['member', 'role', 'epoch', 'zxid', 'sessions', 'znodes', 'links', 'process'];
  const rows = s.members.map((m) => [
    `${m.id}${m.kind === 'observer' ? ' (obs)' : ''}`,
    m.role,
    m.epoch === null ? '-' : String(m.epoch),
    m.zxid ?? '-',
    m.sessions === null ? '-' : String(m.sessions),
    m.znodes === null ? '-' : String(m.znodes),
    linkSummary(m.id, s.links),
    processText(m),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const out = [line(header), ...rows.map(line)];
  const q = s.quorum;
  out.push('');
  out.push(`leader: ${s.leader ?? 'none'}   quorum: ${q.reachable} of ${q.voters} voters in the working majority, ${q.size} needed   writes: ${q.canWrite ? 'yes' : 'NO'}`);
  for (const sentence of q.explanation) out.push(`  ${sentence}`);
  out.push(`connect: ${s.lab.connectString}`);
  return out.join('\n');
}

function processText(m: MemberStatus): string {
  switch (m.state) {
    case 'running':
    case 'paused':
    case 'starting':
    case 'stopping':
      return `${m.state} (pid ${m.pid ?? '?'})`;
    case 'crashed':
    case 'killed':
      return m.exit ? `${m.state} (${m.exit.signal ?? `exit ${m.exit.code}`})` : m.state;
    default:
      return m.state;
  }
}

/** What status shows for a lab whose supervisor is not running: every member down. */
export function offlineStatus(dir: string, config: LabConfig, savedLinks: { from: number | 'client'; to: number | 'client'; settings: LinkState['settings'] }[]): LabStatus {
  const matrix = new LinkMatrix(config.members.map((m) => m.id));
  matrix.restore(savedLinks);
  const members: MemberStatus[] = config.members.map((m) => ({
    id: m.id, kind: m.kind, role: 'down', state: 'stopped', epoch: null, acceptedEpoch: null, zxid: null, committedZxid: null,
    leaderId: null, phase: 'none', clientPort: m.clientPort, proxyClientPort: m.proxyClientPort, digest: null, sessions: null,
    znodes: null, watches: null, peersConnected: [], learners: [], syncedLearners: [], outstandingProposals: null, round: null,
    vote: null, serving: null, pid: null, startedAt: null, uptimeMs: null, exit: null, lastLogLines: [], reportedAt: null, stale: true,
  }));
  const quorum = computeQuorumHealth({
    members: config.members.map((m) => ({ id: m.id, kind: m.kind, state: 'stopped', role: 'down', leaderId: null, committedZxid: null })),
    isCut: (a, b) => matrix.isCut(a, b),
  });
  quorum.explanation.push('the lab is not running (no supervisor): start it with zk-lab up.');
  return {
    members,
    leader: null,
    quorum,
    links: matrix.snapshot(),
    lab: {
      dir,
      name: config.name,
      members: config.members.filter((m) => m.kind === 'participant').length,
      observers: config.members.filter((m) => m.kind === 'observer').length,
      tickTimeMs: config.tickTimeMs,
      createdAt: config.createdAt,
      running: false,
      connectString: connectString(config),
      directConnectString: directConnectString(config),
    },
    seq: 0,
    at: Date.now(),
  };
}
