/**
 * A lab's fixed shape: its members, their ports and the ports of every link proxy. Chosen
 * once at creation (free loopback ports) and kept in lab.sqlite, so a restarted lab comes
 * back on the same addresses and `zkCli.sh -server …` keeps working.
 */
import { createHash } from 'node:crypto';
import type { LabSpec, MemberId, MemberKind } from './api.js';

export const LAB_FORMAT = 'zoolab-lab';
export const LAB_FORMAT_VERSION = 1;

/** The "snappy" timings of zab.md §10: faithful ratios, quicker ticks. */
export const DEFAULT_TICK_TIME_MS = 250;
export const DEFAULT_INIT_LIMIT = 10;
export const DEFAULT_SYNC_LIMIT = 5;
export const MAX_VOTERS = 9;
export const MAX_OBSERVERS = 9;

export interface MemberPorts {
  id: MemberId;
  kind: MemberKind;
  /** The member's own listeners. */
  clientPort: number;
  quorumPort: number;
  electionPort: number;
  /** The client link proxy in front of it. */
  proxyClientPort: number;
}

/** The proxy member `from` dials to reach member `to` (one listener per peer port). */
export interface PeerProxyPorts {
  from: MemberId;
  to: MemberId;
  quorumPort: number;
  electionPort: number;
}

export interface LabConfig {
  format: typeof LAB_FORMAT;
  version: number;
  name: string;
  createdAt: number;
  tickTimeMs: number;
  initLimit: number;
  syncLimit: number;
  /** Seeds the proxies' loss and jitter, so a run can be repeated. */
  seed: number;
  members: MemberPorts[];
  peerProxies: PeerProxyPorts[];
  /**
   * Password of the lab's own `super` digest identity (members get only its hash as
   * DigestAuthenticationProvider.superDigest). The lab's internal clients (subtree export and
   * import) authenticate with it so they see and copy every node and unmasked digest ACLs;
   * the tree browser and shells do not, so users meet ZooKeeper's real ACL behaviour.
   */
  superSecret?: string;
  /**
   * Extra zoo.cfg lines written after the lab's own (comments allowed): a scenario's short
   * container reaper interval, or an instructor bug switch with its warning
   * (engine/src/scenarios/lab-setup.ts, docs/teaching.md).
   */
  extraZooCfgLines?: string[];
}

export class LabSpecError extends Error {
  override name = 'LabSpecError';
}

/** Checks a requested lab shape; returns it with defaults filled in. */
export function normalizeSpec(spec: LabSpec): Required<LabSpec> {
  const members = spec.members;
  const observers = spec.observers ?? 0;
  if (!Number.isInteger(members) || members < 1 || members > MAX_VOTERS) {
    throw new LabSpecError(`--members must be a whole number from 1 to ${MAX_VOTERS}, not ${members}`);
  }
  if (!Number.isInteger(observers) || observers < 0 || observers > MAX_OBSERVERS) {
    throw new LabSpecError(`--observers must be a whole number from 0 to ${MAX_OBSERVERS}, not ${observers}`);
  }
  if (members === 1 && observers > 0) {
    throw new LabSpecError('observers need an ensemble: use at least 2 voting members with --observers');
  }
  const tickTimeMs = spec.tickTimeMs ?? DEFAULT_TICK_TIME_MS;
  if (!Number.isInteger(tickTimeMs) || tickTimeMs < 10 || tickTimeMs > 60_000) {
    throw new LabSpecError(`tickTime must be between 10 and 60000 ms, not ${tickTimeMs}`);
  }
  const initLimit = spec.initLimit ?? DEFAULT_INIT_LIMIT;
  const syncLimit = spec.syncLimit ?? DEFAULT_SYNC_LIMIT;
  for (const [name, v] of [['initLimit', initLimit], ['syncLimit', syncLimit]] as const) {
    if (!Number.isInteger(v) || v < 1 || v > 1000) throw new LabSpecError(`${name} must be between 1 and 1000 ticks, not ${v}`);
  }
  return { members, observers, tickTimeMs, initLimit, syncLimit, name: spec.name ?? '' };
}

export function memberIds(config: LabConfig): MemberId[] {
  return config.members.map((m) => m.id);
}
export function voterIds(config: LabConfig): MemberId[] {
  return config.members.filter((m) => m.kind === 'participant').map((m) => m.id);
}

export function memberPorts(config: LabConfig, id: MemberId): MemberPorts {
  const m = config.members.find((x) => x.id === id);
  if (!m) throw new LabSpecError(`there is no member ${id} (members are ${memberIds(config).join(', ')})`);
  return m;
}

export function peerProxyPorts(config: LabConfig, from: MemberId, to: MemberId): PeerProxyPorts {
  const p = config.peerProxies.find((x) => x.from === from && x.to === to);
  if (!p) throw new LabSpecError(`no proxy from member ${from} to member ${to}`);
  return p;
}

/**
 * zoo.cfg for member `id`. It binds its own real ports (server.<id>) and reaches every
 * peer j through the proxy id→j, so the lab controls each ordered link.
 */
export function renderZooCfg(config: LabConfig, id: MemberId, dataDir: string): string {
  const self = memberPorts(config, id);
  const lines = [
    `# Written by zk-lab for member ${id} of lab "${config.name}". Peers are reached through the lab's link proxies.`,
    `tickTime=${config.tickTimeMs}`,
    `initLimit=${config.initLimit}`,
    `syncLimit=${config.syncLimit}`,
    `dataDir=${dataDir}`,
    `clientPort=${self.clientPort}`,
    'clientPortAddress=127.0.0.1',
    '4lw.commands.whitelist=*',
    // No AdminServer (Apache ZooKeeper members would all want port 8080).
    'admin.enableServer=false',
    'extendedTypesEnabled=true',
    'zoolab.stateIntervalMs=500',
    'zoolab.streamEvents=true',
  ];
  if (config.superSecret) lines.push(`DigestAuthenticationProvider.superDigest=${superDigest(config.superSecret)}`);
  if (config.extraZooCfgLines) lines.push(...config.extraZooCfgLines);
  if (config.members.length > 1) {
    for (const m of config.members) {
      const role = m.kind === 'observer' ? ':observer' : '';
      if (m.id === id) {
        lines.push(`server.${m.id}=127.0.0.1:${m.quorumPort}:${m.electionPort}${role}`);
      } else {
        const p = peerProxyPorts(config, id, m.id);
        lines.push(`server.${m.id}=127.0.0.1:${p.quorumPort}:${p.electionPort}${role}`);
      }
    }
    if (self.kind === 'observer') lines.push('peerType=observer');
  }
  return lines.join('\n') + '\n';
}

/** Through the client link proxies (faults on client links apply). */
export function connectString(config: LabConfig): string {
  return config.members.map((m) => `127.0.0.1:${m.proxyClientPort}`).join(',');
}
/** Straight to the members. */
export function directConnectString(config: LabConfig): string {
  return config.members.map((m) => `127.0.0.1:${m.clientPort}`).join(',');
}

/** `super:<base64 sha1("super:" + secret)>`, ZooKeeper's DigestAuthenticationProvider form. */
export function superDigest(secret: string): string {
  return `super:${createHash('sha1').update(`super:${secret}`).digest('base64')}`;
}
