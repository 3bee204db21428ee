/**
 * The `mntr` lines, in the order ZooKeeper 3.8 prints them (gauges first, then
 * counters, then `_avg/_min/_max/_cnt/_sum` summaries). We print the metrics we
 * actually keep; monitoring tools look keys up by name, so the ones we have carry
 * ZooKeeper's names and meanings. Ensemble members add peer and leader lines.
 */
import { javaDouble } from './java-format.js';
import type { LatencyStats, ServerStats } from './server-stats.js';

export interface MonitorFigures {
  version: string;
  /** standalone, leader, follower, observer or read-only. */
  serverState: string;
  ephemeralsCount: number;
  aliveConnections: number;
  outstandingRequests: number;
  znodeCount: number;
  globalSessions: number;
  watchCount: number;
  approximateDataSize: number;
  openFileDescriptors: number;
  maxFileDescriptors: number;
  uptimeMs: number;
  stats: ServerStats;
  /** Snapshots taken since start (zk_snap_count). */
  snapCount: number;
  /** Txns applied since start (zk_commit_count). */
  commitCount: number;
  fsyncTime: LatencyStats;
  snapshotTime: LatencyStats;
  /** Present on ensemble members. */
  quorum?: {
    peerState: string;
    quorumSize: number;
    /** Leader only. */
    leader?: {
      learners: number;
      syncedFollowers: number;
      syncedNonVotingFollowers: number;
      syncedObservers: number;
      pendingSyncs: number;
      leaderUptimeMs: number;
      lastProposalSize: number;
      minProposalSize: number;
      maxProposalSize: number;
    };
  };
}

type Line = [string, string | number | bigint];

function summary(name: string, s: LatencyStats): Line[] {
  return [
    [`avg_${name}`, javaDouble(s.avg)],
    [`min_${name}`, s.min],
    [`max_${name}`, s.max],
    [`cnt_${name}`, s.count],
    [`sum_${name}`, s.total],
  ];
}

export function monitorLines(f: MonitorFigures): Line[] {
  const st = f.stats;
  const lines: Line[] = [
    ['version', f.version],
    ['server_state', f.serverState],
    ['ephemerals_count', f.ephemeralsCount],
    ['num_alive_connections', f.aliveConnections],
    ['avg_latency', javaDouble(st.latency.avg)],
    ['outstanding_requests', f.outstandingRequests],
    ['znode_count', f.znodeCount],
    ['global_sessions', f.globalSessions],
    ['non_mtls_remote_conn_count', 0],
    ['last_client_response_size', st.lastResponseSize],
    ['packets_sent', st.packetsSent],
    ['packets_received', st.packetsReceived],
    ['max_client_response_size', st.maxResponseSize],
    ['connection_drop_probability', '0.0'],
    ['watch_count', f.watchCount],
    ['auth_failed_count', st.authFailed],
    ['min_latency', st.latency.min],
    ['max_file_descriptor_count', f.maxFileDescriptors],
    ['approximate_data_size', f.approximateDataSize],
    ['open_file_descriptor_count', f.openFileDescriptors],
    ['local_sessions', 0],
    ['uptime', f.uptimeMs],
    ['max_latency', st.latency.max],
    ['outstanding_tls_handshake', 0],
    ['min_client_response_size', st.minResponseSize],
    ['non_mtls_local_conn_count', 0],
  ];
  if (f.quorum) {
    lines.push(['peer_state', f.quorum.peerState], ['quorum_size', f.quorum.quorumSize]);
    const l = f.quorum.leader;
    if (l) {
      lines.push(
        ['learners', l.learners],
        ['synced_followers', l.syncedFollowers],
        ['synced_non_voting_followers', l.syncedNonVotingFollowers],
        ['synced_observers', l.syncedObservers],
        ['pending_syncs', l.pendingSyncs],
        ['leader_uptime', l.leaderUptimeMs],
        ['last_proposal_size', l.lastProposalSize],
        ['min_proposal_size', l.minProposalSize],
        ['max_proposal_size', l.maxProposalSize],
      );
    }
  }
  lines.push(
    ['proposal_count', 0],
    ['bytes_received_count', st.bytesReceived],
    ['connection_rejected', st.connectionsRejected],
    ['unsuccessful_handshake', st.unsuccessfulHandshakes],
    ['snap_count', f.snapCount],
    ['commit_count', f.commitCount],
    ['stale_sessions_expired', st.sessionsExpired],
    ['sessionless_connections_expired', st.sessionlessExpired],
    ...summary('readlatency', st.readLatency),
    ...summary('updatelatency', st.updateLatency),
    ...summary('fsynctime', f.fsyncTime),
    ...summary('snapshottime', f.snapshotTime),
  );
  return lines;
}
