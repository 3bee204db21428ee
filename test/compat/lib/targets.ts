/**
 * One way to start "a ZooKeeper server under test" for every compatibility test:
 * Apache ZooKeeper 3.8 (the oracle, test/helpers/apache-zk.ts) or our member
 * (test/helpers/zoolab-server.ts, owned by the server engineer). Both are started with
 * the same settings so their answers can be compared:
 *  - tickTime 2000 (session timeouts clamp to [4000, 40000], wire-protocol.md §4.2);
 *  - extended types on, so TTL nodes work (§10.3);
 *  - a super digest for `super:superpw` (§15.2), so tests can act as the super user;
 *  - container/TTL reaping effectively off (check interval one hour): reaping is
 *    timer driven, and a differential run must not depend on when a timer fires.
 *
 * Until our member exists, `zoolabUnavailable()` returns the reason, and the tests that
 * need it skip with that reason. Once the launcher file exists, any failure to start
 * is a test failure, never a skip.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { apacheZkAvailable, startApacheZk } from '../../helpers/apache-zk.js';
import { fourLetterWord } from '../../helpers/four-letter.js';
import { digestId } from '../../helpers/raw-ops.js';

export type TargetKind = 'apache' | 'zoolab';

export interface TargetOptions {
  tickTime?: number;
  extendedTypesEnabled?: boolean;
  /** Container/TTL reaper interval; default one hour (no reaping during a test). */
  containerCheckIntervalMs?: number;
  /** Extra zoo.cfg lines, `key=value`, applied to both kinds. */
  extraConfig?: Record<string, string>;
}

export interface ZkTarget {
  kind: TargetKind;
  host: string;
  port: number;
  /** True while the server process has not exited. */
  processAlive(): boolean;
  /** The server's recent log output, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export const SUPER_USER = 'super';
export const SUPER_PASSWORD = 'superpw';
export const SUPER_DIGEST = digestId(SUPER_USER, SUPER_PASSWORD);

const LAUNCHER_TS = 'test/helpers/zoolab-server.ts';
const launcherUrl = new URL('../../helpers/zoolab-server.js', import.meta.url);

/** Why our member cannot be started yet, or null when it can. */
export function zoolabUnavailable(): string | null {
  if (!existsSync(fileURLToPath(launcherUrl))) {
    return `our member is not ready: ${LAUNCHER_TS} (startZooLabServer, from the server engineer) does not exist yet`;
  }
  return null;
}

export function apacheUnavailable(): string | null {
  return apacheZkAvailable() ? null : 'Apache ZooKeeper 3.8 is not installed (apt-get install zookeeper)';
}

export function unavailable(kind: TargetKind): string | null {
  return kind === 'apache' ? apacheUnavailable() : zoolabUnavailable();
}

/** The `skip` option for node:test: false when the target can run, else the reason. */
export function skipUnless(...kinds: TargetKind[]): string | false {
  for (const k of kinds) {
    const why = unavailable(k);
    if (why) return why;
  }
  return false;
}

function settings(opts: TargetOptions): Record<string, string> {
  return {
    tickTime: String(opts.tickTime ?? 2000),
    extendedTypesEnabled: String(opts.extendedTypesEnabled ?? true),
    'znode.container.checkIntervalMs': String(opts.containerCheckIntervalMs ?? 3_600_000),
    'DigestAuthenticationProvider.superDigest': SUPER_DIGEST,
    ...opts.extraConfig,
  };
}

async function startApache(opts: TargetOptions): Promise<ZkTarget> {
  const s = settings(opts);
  const zk = await startApacheZk({
    tickTime: Number(s.tickTime),
    extendedTypesEnabled: s.extendedTypesEnabled === 'true',
    superDigest: SUPER_DIGEST,
    systemProperties: { 'znode.container.checkIntervalMs': s['znode.container.checkIntervalMs'] },
    extraConfig: Object.entries(opts.extraConfig ?? {}).map(([k, v]) => `${k}=${v}`),
  });
  const m = zk.members[0];
  return {
    kind: 'apache',
    host: '127.0.0.1',
    port: m.clientPort,
    processAlive: () => m.process.exitCode === null && m.process.signalCode === null,
    output: () => m.output(),
    stop: () => zk.stop(),
  };
}

/**
 * The shape test/helpers/zoolab-server.ts promises (server engineer's brief):
 * `startZooLabServer(configOverrides) → { port, dataDir, stop(), kill(), restart() }`.
 */
interface ZooLabHandle {
  port: number;
  stop(): Promise<void>;
  process?: { exitCode: number | null; signalCode: string | null };
  output?: () => string;
}

async function startZooLab(opts: TargetOptions): Promise<ZkTarget> {
  const why = zoolabUnavailable();
  if (why) throw new Error(why);
  const mod = (await import(launcherUrl.href)) as { startZooLabServer?: (cfg: Record<string, string>) => Promise<ZooLabHandle> };
  if (typeof mod.startZooLabServer !== 'function') throw new Error(`${LAUNCHER_TS} does not export startZooLabServer`);
  const h = await mod.startZooLabServer(settings(opts));
  return {
    kind: 'zoolab',
    host: '127.0.0.1',
    port: h.port,
    processAlive: () => (h.process ? h.process.exitCode === null && h.process.signalCode === null : true),
    output: () => h.output?.() ?? '',
    stop: () => h.stop(),
  };
}

export function startTarget(kind: TargetKind, opts: TargetOptions = {}): Promise<ZkTarget> {
  return kind === 'apache' ? startApache(opts) : startZooLab(opts);
}

/** True when the server answers `srvr` with a serving mode. */
export async function isServing(t: ZkTarget): Promise<boolean> {
  try {
    return /Mode: (standalone|leader|follower|observer)/.test(await fourLetterWord(t.port, 'srvr', t.host, 3000));
  } catch {
    return false;
  }
}
