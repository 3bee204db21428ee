/**
 * The member's configuration, as parsed from zoo.cfg (plus dataDir/myid). Field names
 * follow the zoo.cfg keys; system-property-style knobs ZooKeeper reads from `-D` flags
 * are accepted as zoo.cfg keys too (see parse-zoo-cfg.ts). Durations are milliseconds.
 */
import type { BugSwitchName } from '../lab/api.js';

export type PeerType = 'participant' | 'observer';

/** One `server.N=host:quorumPort:electionPort[:role][;[clientHost:]clientPort]` line. */
export interface ServerSpec {
  id: number;
  host: string;
  quorumPort: number;
  electionPort: number;
  type: PeerType;
  /** The client address from the `;…` part, when given (dynamic-config format). */
  clientHost: string | null;
  clientPort: number | null;
}

export interface ContainerConfig {
  /** znode.container.checkIntervalMs: how often the container/TTL reaper runs (default 60000). */
  checkIntervalMs: number;
  /** znode.container.maxPerMinute: cap on reaper deletions per minute (default 10000). */
  maxPerMinute: number;
  /** znode.container.maxNeverUsedIntervalMs: reap never-used containers after this (0 = never). */
  maxNeverUsedIntervalMs: number;
}

/** ZooLab-only knobs (`zoolab.` prefix in zoo.cfg). */
export interface ZooLabConfig {
  /** How often a reporting member sends a `state` message to its parent (default 1000). */
  stateIntervalMs: number;
  /** Whether protocol events are streamed to the parent (default true when reporting). */
  streamEvents: boolean;
  /** Log level for stderr: error, warn, info or debug (default info). */
  logLevel: LogLevel;
  /** Extra delay per log flush, to make group commit visible in demos (default 0). */
  fsyncDelayMs: number;
  /** Pause reading a connection whose unsent output exceeds this many bytes (default 4 MiB). */
  outputHighWaterBytes: number;
  /**
   * Instructor bug switches (`zoolab.bugs=a,b`, docs/teaching.md): protocol rules this member
   * breaks on purpose. Empty unless a lab was created with them; sorted, no duplicates.
   */
  bugs: BugSwitchName[];
}

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface ServerConfig {
  /** The file it came from, for messages (null when built in memory). */
  source: string | null;
  tickTime: number;
  dataDir: string;
  dataLogDir: string;
  clientPort: number;
  clientPortAddress: string;
  minSessionTimeout: number;
  maxSessionTimeout: number;
  maxClientCnxns: number;
  snapCount: number;
  autopurgeSnapRetainCount: number;
  /** Hours between purges; 0 disables autopurge (ZooKeeper's default). */
  autopurgePurgeInterval: number;
  /** Enabled four-letter words (lower case); `*` in the config expands to all of them. */
  fourLetterWords: ReadonlySet<string>;
  juteMaxBuffer: number;
  extendedTypesEnabled: boolean;
  initLimit: number;
  syncLimit: number;
  electionPortBindRetry: number;
  servers: ServerSpec[];
  /** From dataDir/myid; null when absent (standalone). */
  myid: number | null;
  peerType: PeerType;
  standaloneEnabled: boolean;
  /** `super:<base64 sha1>`, or null. */
  superDigest: string | null;
  readOnlyModeEnabled: boolean;
  reconfigEnabled: boolean;
  skipACL: boolean;
  /** zookeeper.nio.sessionlessCnxnTimeout: drop a connection with no first frame after this (ms). */
  sessionlessCnxnTimeout: number;
  /** `commitLogCount` / `zookeeper.commitLogCount`: committed txns a leader keeps for DIFF (default 500). */
  commitLogCount: number;
  /** `zookeeper.forceSnapshotSync`: a leader always syncs learners with SNAP (tests, demos). */
  forceSnapshotSync: boolean;
  container: ContainerConfig;
  zoolab: ZooLabConfig;
  /** Non-fatal findings (unknown keys, values raised to a minimum), one line each. */
  warnings: string[];
}

/** Every four-letter word the member knows (wire-protocol.md §16). */
export const ALL_FOUR_LETTER_WORDS: readonly string[] = [
  'conf', 'cons', 'crst', 'dirs', 'dump', 'envi', 'gtmk', 'hash', 'isro', 'mntr',
  'ruok', 'srst', 'srvr', 'stat', 'stmk', 'wchc', 'wchp', 'wchs',
];

/** Whether the member runs as part of an ensemble (more than one server line, §1 of zab.md). */
export function isEnsemble(config: Pick<ServerConfig, 'servers' | 'standaloneEnabled'>): boolean {
  return config.servers.length > 1 || (config.servers.length === 1 && !config.standaloneEnabled);
}
