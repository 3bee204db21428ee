/**
 * zoo.cfg → ServerConfig. Pure: the caller supplies the text and a way to read
 * dataDir/myid, so tests need no files.
 *
 * Rules, following ZooKeeper's QuorumPeerConfig/ServerConfig:
 * - Known keys are validated; a bad value is a ConfigError naming the key, the value and
 *   what was expected (one line, printed by zk-server before exiting non-zero).
 * - ZooKeeper turns unknown zoo.cfg keys into `zookeeper.<key>` system properties; the
 *   properties it reads that way are accepted here as plain keys, with or without the
 *   `zookeeper.` prefix (e.g. `DigestAuthenticationProvider.superDigest`).
 * - Keys nobody reads are warnings, never fatal. So are ZooKeeper keys that have no
 *   effect in ZooLab (admin server, TLS, metrics…).
 * - ZooLab-only knobs use the `zoolab.` prefix.
 */
import { ConfigError } from './config-error.js';
import { parseProperties } from './properties.js';
import { parseServerSpec } from './server-spec.js';
import { BUG_SWITCHES, parseBugSwitches } from '../scenarios/bug-switches.js';
import type { BugSwitchName } from '../lab/api.js';
import {
  ALL_FOUR_LETTER_WORDS,
  isEnsemble,
  type LogLevel,
  type PeerType,
  type ServerConfig,
  type ServerSpec,
} from './server-config.js';

export interface ParseOptions {
  /** The file name, for messages. */
  source?: string | null;
  /** Reads `<dataDir>/myid`; returns null when the file does not exist. */
  readMyid?: (dataDir: string) => string | null;
  /** Resolves a relative dataDir/dataLogDir (ZooKeeper resolves against the working directory). */
  resolvePath?: (p: string) => string;
}

/** The values a key accumulates before cross-checks; `null` = not given. */
interface Raw {
  tickTime: number | null;
  dataDir: string | null;
  dataLogDir: string | null;
  clientPort: number | null;
  clientPortAddress: string | null;
  minSessionTimeout: number;
  maxSessionTimeout: number;
  maxClientCnxns: number;
  snapCount: number;
  autopurgeSnapRetainCount: number;
  autopurgePurgeInterval: number;
  fourLetterWords: string | null;
  juteMaxBuffer: number;
  extendedTypesEnabled: boolean;
  initLimit: number | null;
  syncLimit: number | null;
  electionPortBindRetry: number;
  servers: Map<number, ServerSpec>;
  peerType: PeerType | null;
  standaloneEnabled: boolean;
  superDigest: string | null;
  readOnlyModeEnabled: boolean;
  reconfigEnabled: boolean;
  skipACL: boolean;
  sessionlessCnxnTimeout: number;
  checkIntervalMs: number;
  maxPerMinute: number;
  maxNeverUsedIntervalMs: number;
  stateIntervalMs: number;
  streamEvents: boolean;
  logLevel: LogLevel;
  fsyncDelayMs: number;
  outputHighWaterBytes: number;
  commitLogCount: number;
  forceSnapshotSync: boolean;
  bugs: BugSwitchName[];
}

const INT_RE = /^[+-]?\d+$/;
const HEX_RE = /^0[xX][0-9a-fA-F]+$/;

function int(key: string, value: string, min: number, max = 2 ** 31 - 1): number {
  const n = INT_RE.test(value) ? Number(value) : HEX_RE.test(value) ? parseInt(value, 16) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === 2 ** 31 - 1 ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
    throw ConfigError.badValue(key, value, range);
  }
  return n;
}

function bool(key: string, value: string): boolean {
  const v = value.toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw ConfigError.badValue(key, value, "'true' or 'false'");
}

/** skipACL is a yes/no property in ZooKeeper; true/false are accepted too. */
function yesNo(key: string, value: string): boolean {
  const v = value.toLowerCase();
  if (v === 'yes' || v === 'true') return true;
  if (v === 'no' || v === 'false') return false;
  throw ConfigError.badValue(key, value, "'yes' or 'no'");
}

function nonEmpty(key: string, value: string): string {
  if (value === '') throw ConfigError.badValue(key, value, 'a non-empty value');
  return value;
}

type Setter = (raw: Raw, value: string, key: string) => void;

/** Every key the member reads, by canonical name (without a `zookeeper.` prefix). */
const KEYS: Record<string, Setter> = {
  tickTime: (r, v, k) => void (r.tickTime = int(k, v, 1)),
  dataDir: (r, v, k) => void (r.dataDir = nonEmpty(k, v)),
  dataLogDir: (r, v, k) => void (r.dataLogDir = nonEmpty(k, v)),
  clientPort: (r, v, k) => void (r.clientPort = int(k, v, 0, 65535)),
  clientPortAddress: (r, v, k) => void (r.clientPortAddress = nonEmpty(k, v)),
  minSessionTimeout: (r, v, k) => void (r.minSessionTimeout = int(k, v, -1)),
  maxSessionTimeout: (r, v, k) => void (r.maxSessionTimeout = int(k, v, -1)),
  maxClientCnxns: (r, v, k) => void (r.maxClientCnxns = int(k, v, 0)),
  snapCount: (r, v, k) => void (r.snapCount = int(k, v, 1)),
  'autopurge.snapRetainCount': (r, v, k) => void (r.autopurgeSnapRetainCount = int(k, v, 0)),
  'autopurge.purgeInterval': (r, v, k) => void (r.autopurgePurgeInterval = int(k, v, 0)),
  '4lw.commands.whitelist': (r, v) => void (r.fourLetterWords = v),
  'jute.maxbuffer': (r, v, k) => void (r.juteMaxBuffer = int(k, v, 1)),
  extendedTypesEnabled: (r, v, k) => void (r.extendedTypesEnabled = bool(k, v)),
  initLimit: (r, v, k) => void (r.initLimit = int(k, v, 1)),
  syncLimit: (r, v, k) => void (r.syncLimit = int(k, v, 1)),
  electionPortBindRetry: (r, v, k) => void (r.electionPortBindRetry = int(k, v, 0)),
  peerType: (r, v, k) => {
    if (v !== 'participant' && v !== 'observer') throw ConfigError.badValue(k, v, "'participant' or 'observer'");
    r.peerType = v;
  },
  standaloneEnabled: (r, v, k) => void (r.standaloneEnabled = bool(k, v)),
  'DigestAuthenticationProvider.superDigest': (r, v, k) => {
    if (!/^[^:]+:.+$/.test(v)) throw ConfigError.badValue(k, v, "'super:<base64 sha1 of super:password>'");
    r.superDigest = v;
  },
  'readonlymode.enabled': (r, v, k) => void (r.readOnlyModeEnabled = bool(k, v)),
  reconfigEnabled: (r, v, k) => void (r.reconfigEnabled = bool(k, v)),
  skipACL: (r, v, k) => void (r.skipACL = yesNo(k, v)),
  'nio.sessionlessCnxnTimeout': (r, v, k) => void (r.sessionlessCnxnTimeout = int(k, v, 1)),
  'znode.container.checkIntervalMs': (r, v, k) => void (r.checkIntervalMs = int(k, v, 1)),
  'znode.container.maxPerMinute': (r, v, k) => void (r.maxPerMinute = int(k, v, 1)),
  'znode.container.maxNeverUsedIntervalMs': (r, v, k) => void (r.maxNeverUsedIntervalMs = int(k, v, 0)),
  'zoolab.stateIntervalMs': (r, v, k) => void (r.stateIntervalMs = int(k, v, 10)),
  'zoolab.streamEvents': (r, v, k) => void (r.streamEvents = bool(k, v)),
  'zoolab.logLevel': (r, v, k) => {
    if (v !== 'error' && v !== 'warn' && v !== 'info' && v !== 'debug') {
      throw ConfigError.badValue(k, v, "'error', 'warn', 'info' or 'debug'");
    }
    r.logLevel = v;
  },
  'zoolab.fsyncDelayMs': (r, v, k) => void (r.fsyncDelayMs = int(k, v, 0)),
  'zoolab.outputHighWaterBytes': (r, v, k) => void (r.outputHighWaterBytes = int(k, v, 1024)),
  // Ensemble sync (zab.md §3.3, §10): the committed window DIFF serves from (ZooKeeper raises
  // values below 500 to 500; ZooLab accepts them, a labelled deviation to demonstrate SNAP),
  // and the test switch that forces SNAP.
  commitLogCount: (r, v, k) => void (r.commitLogCount = int(k, v, 1)),
  forceSnapshotSync: (r, v, k) => void (r.forceSnapshotSync = bool(k, v)),
  // Instructor bug switches (docs/teaching.md "Bug switches"): an unknown name is an error,
  // never silently ignored — a lab that asked for a violation must get it or fail.
  'zoolab.bugs': (r, v, k) => {
    try {
      r.bugs = [...new Set(parseBugSwitches(v))].sort();
    } catch {
      throw ConfigError.badValue(k, v, `bug switch names from ${BUG_SWITCHES.join(', ')}, comma separated`);
    }
  },
};

/** ZooKeeper keys that are accepted but change nothing here (warned about once each). */
const NO_EFFECT = new Set([
  'admin.enableServer', 'admin.serverPort', 'admin.serverAddress', 'secureClientPort',
  'secureClientPortAddress', 'clientPortListenBacklog', 'quorumListenOnAllIPs', 'syncEnabled',
  'electionAlg', 'localSessionsEnabled', 'localSessionsUpgradingEnabled', 'forceSync',
  'globalOutstandingLimit', 'preAllocSize', 'maxResponseCacheSize', 'connectToLearnerMasterLimit',
  'dynamicConfigFile', 'serverCnxnFactory', 'sslQuorum', 'portUnification', 'multiAddress.enabled',
  'snapSizeLimitInKb', 'txnLogSizeLimitInKb', 'audit.enable',
]);

function defaults(): Raw {
  return {
    tickTime: null,
    dataDir: null,
    dataLogDir: null,
    clientPort: null,
    clientPortAddress: null,
    minSessionTimeout: -1,
    maxSessionTimeout: -1,
    maxClientCnxns: 60,
    snapCount: 100000,
    autopurgeSnapRetainCount: 3,
    autopurgePurgeInterval: 0,
    fourLetterWords: null,
    juteMaxBuffer: 0xfffff,
    extendedTypesEnabled: false,
    initLimit: null,
    syncLimit: null,
    electionPortBindRetry: 3,
    servers: new Map(),
    peerType: null,
    standaloneEnabled: true,
    superDigest: null,
    readOnlyModeEnabled: false,
    reconfigEnabled: false,
    skipACL: false,
    sessionlessCnxnTimeout: 10000,
    checkIntervalMs: 60000,
    maxPerMinute: 10000,
    maxNeverUsedIntervalMs: 0,
    stateIntervalMs: 1000,
    streamEvents: true,
    logLevel: 'info',
    fsyncDelayMs: 0,
    outputHighWaterBytes: 4 * 1024 * 1024,
    commitLogCount: 500,
    forceSnapshotSync: false,
    bugs: [],
  };
}

function setterFor(key: string): Setter | undefined {
  return KEYS[key] ?? (key.startsWith('zookeeper.') ? KEYS[key.slice('zookeeper.'.length)] : undefined);
}

function applyKey(raw: Raw, key: string, value: string, warnings: string[]): void {
  const server = /^server\.(\d+)$/.exec(key);
  if (server) {
    const id = int(key, server[1], 0, 255);
    raw.servers.set(id, parseServerSpec(key, id, value));
    return;
  }
  const set = setterFor(key);
  if (set) return set(raw, value, key);
  const bare = key.startsWith('zookeeper.') ? key.slice('zookeeper.'.length) : key;
  if (NO_EFFECT.has(bare) || /^(group|weight)\.\d+$/.test(bare) || bare.startsWith('metricsProvider.')) {
    warnings.push(`config key ${key} is accepted but has no effect in ZooLab`);
  } else {
    warnings.push(`unknown config key ${key} ignored`);
  }
}

function fourLetterWords(raw: Raw, warnings: string[]): Set<string> {
  const words = new Set<string>();
  const text = raw.fourLetterWords ?? 'srvr';
  for (const item of text.split(',').map((s) => s.trim().toLowerCase())) {
    if (item === '') continue;
    if (item === '*') ALL_FOUR_LETTER_WORDS.forEach((w) => words.add(w));
    else if (ALL_FOUR_LETTER_WORDS.includes(item)) words.add(item);
    else warnings.push(`unknown four-letter word '${item}' in 4lw.commands.whitelist ignored`);
  }
  // kazoo and the Java client probe read-only members with isro (wire-protocol.md §13.5, §16).
  if (raw.readOnlyModeEnabled) words.add('isro');
  return words;
}

function readMyid(dataDir: string, opts: ParseOptions): number | null {
  const text = opts.readMyid?.(dataDir) ?? null;
  if (text === null) return null;
  const t = text.trim();
  if (!/^\d+$/.test(t) || Number(t) > 255) {
    throw new ConfigError(`invalid myid file in ${dataDir}: '${t}' is not a server id from 0 to 255`);
  }
  return Number(t);
}

function sessionTimeouts(raw: Raw, tickTime: number): { min: number; max: number } {
  // -1 means "the default": 2 and 20 ticks (wire-protocol.md §4.2 step 3).
  const min = raw.minSessionTimeout === -1 ? 2 * tickTime : raw.minSessionTimeout;
  const max = raw.maxSessionTimeout === -1 ? 20 * tickTime : raw.maxSessionTimeout;
  if (min > max) {
    throw new ConfigError(`minSessionTimeout (${min}) must not be larger than maxSessionTimeout (${max})`);
  }
  return { min, max };
}

export function parseZooCfg(text: string, opts: ParseOptions = {}): ServerConfig {
  const raw = defaults();
  const warnings: string[] = [];
  for (const { key, value } of parseProperties(text)) applyKey(raw, key, value, warnings);

  const resolve = opts.resolvePath ?? ((p: string) => p);
  if (raw.dataDir === null) throw new ConfigError('dataDir is not set');
  const dataDir = resolve(raw.dataDir);
  const dataLogDir = raw.dataLogDir === null ? dataDir : resolve(raw.dataLogDir);
  const tickTime = raw.tickTime ?? 3000; // ZooKeeperServer.DEFAULT_TICK_TIME
  const timeouts = sessionTimeouts(raw, tickTime);
  const servers = [...raw.servers.values()].sort((a, b) => a.id - b.id);
  const ensemble = isEnsemble({ servers, standaloneEnabled: raw.standaloneEnabled });
  const myid = readMyid(dataDir, opts);

  let clientPort = raw.clientPort;
  let clientPortAddress = raw.clientPortAddress;
  let peerType: PeerType = raw.peerType ?? 'participant';
  if (ensemble) {
    if (raw.initLimit === null) throw new ConfigError('initLimit is not set');
    if (raw.syncLimit === null) throw new ConfigError('syncLimit is not set');
    if (myid === null) throw new ConfigError(`myid file is missing in ${dataDir}`);
    const me = raw.servers.get(myid);
    if (!me) throw new ConfigError(`myid ${myid} has no server.${myid} line in the config`);
    if (raw.peerType === null) peerType = me.type;
    else if (raw.peerType !== me.type) {
      warnings.push(`peerType=${raw.peerType} differs from server.${myid}'s role ${me.type}; using ${me.type}`);
      peerType = me.type;
    }
    // A dynamic-format server line may carry this member's client address (`;host:port`).
    if (me.clientPort !== null) {
      if (clientPort !== null && clientPort !== me.clientPort) {
        throw new ConfigError(`clientPort=${clientPort} conflicts with server.${myid}'s client port ${me.clientPort}`);
      }
      clientPort = me.clientPort;
      clientPortAddress ??= me.clientHost;
    }
  }
  if (clientPort === null) throw new ConfigError('clientPort is not set');

  let autopurgeSnapRetainCount = raw.autopurgeSnapRetainCount;
  if (autopurgeSnapRetainCount < 3) {
    warnings.push(`autopurge.snapRetainCount ${autopurgeSnapRetainCount} raised to the minimum of 3`);
    autopurgeSnapRetainCount = 3;
  }
  if (raw.bugs.length > 0 && !ensemble) warnings.push(`zoolab.bugs=${raw.bugs.join(',')} has no effect on a standalone member`);
  let snapCount = raw.snapCount;
  if (snapCount < 2) {
    warnings.push(`snapCount ${snapCount} raised to the minimum of 2`);
    snapCount = 2;
  }

  return {
    source: opts.source ?? null,
    tickTime,
    dataDir,
    dataLogDir,
    clientPort,
    clientPortAddress: clientPortAddress ?? '127.0.0.1',
    minSessionTimeout: timeouts.min,
    maxSessionTimeout: timeouts.max,
    maxClientCnxns: raw.maxClientCnxns,
    snapCount,
    autopurgeSnapRetainCount,
    autopurgePurgeInterval: raw.autopurgePurgeInterval,
    fourLetterWords: fourLetterWords(raw, warnings),
    juteMaxBuffer: raw.juteMaxBuffer,
    extendedTypesEnabled: raw.extendedTypesEnabled,
    initLimit: raw.initLimit ?? 10,
    syncLimit: raw.syncLimit ?? 5,
    electionPortBindRetry: raw.electionPortBindRetry,
    servers,
    myid,
    peerType,
    standaloneEnabled: raw.standaloneEnabled,
    superDigest: raw.superDigest,
    readOnlyModeEnabled: raw.readOnlyModeEnabled,
    reconfigEnabled: raw.reconfigEnabled,
    skipACL: raw.skipACL,
    sessionlessCnxnTimeout: raw.sessionlessCnxnTimeout,
    commitLogCount: raw.commitLogCount,
    forceSnapshotSync: raw.forceSnapshotSync,
    container: {
      checkIntervalMs: raw.checkIntervalMs,
      maxPerMinute: raw.maxPerMinute,
      maxNeverUsedIntervalMs: raw.maxNeverUsedIntervalMs,
    },
    zoolab: {
      stateIntervalMs: raw.stateIntervalMs,
      streamEvents: raw.streamEvents,
      logLevel: raw.logLevel,
      fsyncDelayMs: raw.fsyncDelayMs,
      outputHighWaterBytes: raw.outputHighWaterBytes,
      bugs: raw.bugs,
    },
    warnings,
  };
}
