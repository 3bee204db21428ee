/**
 * The member's figures as four-letter words read them (server/four-letter-words.ts
 * formats them). The connection asking is listed too, as ZooKeeper lists it (§16).
 */
import type { ServerConfig } from '../config/server-config.js';
import { isEnsemble } from '../config/server-config.js';
import type { MemberRole } from '../quorum/protocol-events.js';
import type { ClientChannel } from '../server/client-channel.js';
import type { ConnectionSummary, FourLetterContext, SessionBucket, WatchSummary } from '../server/four-letter-words.js';
import { monitorLines } from '../server/mntr.js';
import type { Replication } from '../server/replication.js';
import type { WatchTable } from '../server/server-deps.js';
import { ConnectionStats, LatencyStats } from '../server/server-stats.js';
import type { ZkServer } from '../server/zk-server.js';
import type { ClientConnection } from '../server/client-connection.js';
import { directorySize, environment, maxFileDescriptors, openFileDescriptors } from './host-info.js';
import { fullVersion } from './version.js';

/** srvr's `Mode:` for each role. */
export function modeOf(role: MemberRole): string {
  switch (role) {
    case 'leading':
      return 'leader';
    case 'following':
      return 'follower';
    case 'observing':
      return 'observer';
    default:
      return role;
  }
}

export interface ContextSources {
  config: ServerConfig;
  server: ZkServer;
  replication: Replication;
  watches: WatchTable<ClientConnection>;
  sessionBuckets(): SessionBucket[];
  clientPort(): number;
  startedAt: number;
  snapshots(): { count: number; time: LatencyStats };
  fsyncTime: LatencyStats;
}

function summary(c: ClientConnection): ConnectionSummary {
  return {
    remote: c.channel.remote,
    interestOps: c.channel.interestOps(),
    queued: c.queue.length,
    stats: c.stats,
    sessionId: c.state === 'open' ? c.sessionId : 0n,
    established: c.established,
    timeout: c.timeout,
  };
}

/** The four-letter-word connection itself: one packet received, nothing sent yet. */
function asking(channel: ClientChannel): ConnectionSummary {
  const stats = new ConnectionStats();
  stats.received = 1;
  return { remote: channel.remote, interestOps: 0, queued: 0, stats, sessionId: 0n, established: 0, timeout: 0 };
}

let traceMask = 306n; // ZooKeeper's default trace mask

export function fourLetterContext(src: ContextSources, channel: ClientChannel): FourLetterContext {
  const { server, config, replication } = src;
  const db = server.database;
  const connections = () => [...server.clientConnections().map(summary), asking(channel)];
  const dataWatches = () => src.watches.dataTableByPath();
  return {
    serving: server.serving,
    readOnly: server.readOnly,
    mode: modeOf(server.currentRole),
    proposalSizes: replication.proposalSizes?.(),
    version: fullVersion(),
    stats: server.stats,
    outstanding: server.outstanding,
    lastZxid: db.lastZxid,
    nodeCount: db.tree.nodeCount,
    connections,
    conf() {
      const lines: [string, string | number][] = [
        ['clientPort', src.clientPort()],
        ['secureClientPort', -1],
        ['dataDir', config.dataDir],
        ['dataDirSize', directorySize(config.dataDir)],
        ['dataLogDir', config.dataLogDir],
        ['dataLogSize', directorySize(config.dataLogDir)],
        ['tickTime', config.tickTime],
        ['maxClientCnxns', config.maxClientCnxns],
        ['minSessionTimeout', config.minSessionTimeout],
        ['maxSessionTimeout', config.maxSessionTimeout],
        ['clientPortListenBacklog', -1],
        ['serverId', config.myid ?? 0],
      ];
      if (isEnsemble(config)) {
        const me = config.servers.find((s) => s.id === config.myid);
        lines.push(
          ['initLimit', config.initLimit],
          ['syncLimit', config.syncLimit],
          ['electionAlg', 3],
          ['electionPort', me?.electionPort ?? -1],
          ['quorumPort', me?.quorumPort ?? -1],
          ['peerType', config.peerType === 'observer' ? 1 : 0],
          ['membership: ', ''],
        );
        for (const s of config.servers) {
          lines.push([`server.${s.id}`, `${s.host}:${s.quorumPort}:${s.electionPort}:${s.type};${s.clientHost ?? '0.0.0.0'}:${s.clientPort ?? src.clientPort()}`]);
        }
      }
      return lines;
    },
    environment,
    monitor() {
      const snaps = src.snapshots();
      return monitorLines({
        version: fullVersion(),
        serverState: modeOf(server.currentRole),
        ephemeralsCount: db.tree.ephemeralsCount,
        aliveConnections: connections().length,
        outstandingRequests: server.outstanding,
        znodeCount: db.tree.nodeCount,
        globalSessions: db.sessionCount,
        watchCount: src.watches.watchCount(),
        approximateDataSize: db.tree.approximateDataSize,
        openFileDescriptors: openFileDescriptors(),
        maxFileDescriptors: maxFileDescriptors(),
        uptimeMs: Date.now() - src.startedAt,
        stats: server.stats,
        snapCount: snaps.count,
        commitCount: server.commitCount,
        fsyncTime: src.fsyncTime,
        snapshotTime: snaps.time,
        quorum: replication.quorumFigures?.(),
      });
    },
    watchSummary(): WatchSummary {
      const byPath = dataWatches();
      const watchers = new Set<ClientConnection>();
      let total = 0;
      for (const list of byPath.values()) {
        total += list.length;
        for (const w of list) watchers.add(w);
      }
      return { connections: watchers.size, paths: byPath.size, total };
    },
    watchesBySession() {
      const bySession = new Map<bigint, string[]>();
      for (const [path, list] of dataWatches()) {
        for (const w of list) {
          const paths = bySession.get(w.sessionId) ?? [];
          paths.push(path);
          bySession.set(w.sessionId, paths);
        }
      }
      return [...bySession];
    },
    watchesByPath() {
      return [...dataWatches()].map(([path, list]) => [path, list.map((w) => w.sessionId)] as [string, bigint[]]);
    },
    sessionBuckets: src.sessionBuckets,
    ephemerals: () => [...db.tree.ephemeralsBySessionId()],
    dirs: () => ({ dataDirSize: directorySize(config.dataDir), logDirSize: directorySize(config.dataLogDir) }),
    digests: () => [[db.lastZxid, db.digestHex()]],
    resetConnectionStats: () => {
      for (const c of server.clientConnections()) c.stats.reset();
    },
    resetServerStats: () => server.stats.reset(),
    get traceMask() {
      return traceMask;
    },
    set traceMask(v: bigint) {
      traceMask = v;
    },
  };
}
