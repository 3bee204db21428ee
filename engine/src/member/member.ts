/**
 * One ZooKeeper member, composed: configuration → store (SQLite) → recovery → database
 * → replication (standalone here; the ensemble plugs in through `createReplication`) →
 * client server → client port, plus the background work (session expiry, container
 * reaper, snapshots, autopurge, state reports).
 *
 *   const m = await startMember(config, { log, parts });
 *   m.clientPort   // the bound port (clientPort=0 picks a free one)
 *   await m.stop() // stop accepting, answer what was logged, flush the log, close the store
 *
 * Startup fails with a MemberStartError (one-line message) when the data directory is
 * unusable or the store refuses to open/recover.
 */
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import type { ServerConfig } from '../config/server-config.js';
import { isEnsemble } from '../config/server-config.js';
import { ZkDatabase } from '../tree/zk-database.js';
import type { TxnEntry } from '../tree/txn.js';
import type { DurableStore, StorageReport } from '../storage/contracts.js';
import { openSqliteStore } from '../storage/sqlite-store.js';
import { recoverStore } from '../storage/recover-store.js';
import { NO_EVENTS, type MemberState, type ProtocolEventSink } from '../quorum/protocol-events.js';
import type { Logger } from '../server/log.js';
import { ClientListener } from '../server/client-listener.js';
import { ZkServer } from '../server/zk-server.js';
import { StandaloneReplication } from '../server/standalone-replication.js';
import type { Replication } from '../server/replication.js';
import { answerFourLetterWord, notInWhitelist } from '../server/four-letter-words.js';
import { REAL_TIMERS, type Timers } from '../server/timers.js';
import { LatencyStats } from '../server/server-stats.js';
import type { ClientConnection } from '../server/client-connection.js';
import type { AclRules, SessionTracking, TxnPreparer, WatchTable } from '../server/server-deps.js';
import { ContainerReaper } from './container-reaper.js';
import { Snapshotter } from './snapshotter.js';
import { fourLetterContext } from './four-letter-context.js';
import { IdleHeapCompactor, v8Heap, type CompactableHeap } from './heap-compaction.js';

/** The pure-core pieces a member is built from (tree/, watches/, sessions/, server/prep/). */
export interface CoreParts {
  /** `sessions` is the tracker from `sessions()`, for prep's session check. */
  prep(db: () => ZkDatabase, config: ServerConfig, sessions: SessionTracking): TxnPreparer;
  watches(): WatchTable<ClientConnection>;
  sessions(config: ServerConfig): SessionTracking;
  /** A generator of fresh session ids for this server (§13.1); `now` is a monotonic ms clock. */
  sessionIds(serverId: number, now: number): () => bigint;
  negotiateTimeout(config: ServerConfig): (requested: number) => number;
  acl: AclRules;
}

export class MemberStartError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MemberStartError';
  }
}

export interface MemberOptions {
  log: Logger;
  parts: CoreParts;
  events?: ProtocolEventSink;
  timers?: Timers;
  /** The ensemble's replication (quorum/); absent = standalone. */
  createReplication?: (ctx: ReplicationContext) => Replication;
  /** Called when the member must stop on its own (log failure); zk-server exits. */
  onFatal?: (error: Error) => void;
  /**
   * The heap to compact when idle after a burst (heap-compaction.ts). Default: V8's,
   * unless env ZOOLAB_IDLE_COMPACTION=0; null turns it off.
   */
  heap?: CompactableHeap | null;
}

/** What an ensemble Replication gets to build itself from. */
export interface ReplicationContext {
  config: ServerConfig;
  /** Restored from the newest snapshot; for an ensemble the log after it is in `logTail`. */
  db: ZkDatabase;
  /** Ensemble only: durable log entries after the snapshot, not applied (empty otherwise). */
  logTail: TxnEntry[];
  store: DurableStore;
  prep: TxnPreparer;
  sessions: SessionTracking;
  timers: Timers;
  log: Logger;
  events: ProtocolEventSink;
  afterApply(): void;
  onFatal(error: Error): void;
}

export interface Member {
  readonly clientPort: number;
  readonly config: ServerConfig;
  readonly server: ZkServer;
  state(): MemberState;
  /** Takes a snapshot now (tests, lab). */
  snapshot(): Promise<void>;
  /** Expires a session now (lab); false when unknown, closing, or not expired here. */
  expireSession(sessionId: bigint): boolean;
  /** Time left before each live session expires (lab); empty where sessions do not expire (a follower). */
  sessionTimeLeft(): { sessionId: bigint; expiresInMs: number }[];
  stop(reason?: string): Promise<void>;
}

function checkDataDir(dir: string, key: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    accessSync(dir, constants.R_OK | constants.W_OK);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new MemberStartError(`${key} ${dir} is not usable: ${err.code ?? err.message}`, { cause: e });
  }
}

function storageLogger(log: Logger): (r: StorageReport) => void {
  return (r) => log[r.level](`storage ${r.code}: ${r.message}`);
}

export async function startMember(config: ServerConfig, opts: MemberOptions): Promise<Member> {
  const log = opts.log;
  const timers = opts.timers ?? REAL_TIMERS;
  const events = opts.events ?? NO_EVENTS;
  if (isEnsemble(config) && opts.createReplication === undefined) {
    throw new MemberStartError(`config lists ${config.servers.length} servers but ensemble mode is not available in this build`);
  }
  checkDataDir(config.dataDir, 'dataDir');
  if (config.dataLogDir !== config.dataDir) checkDataDir(config.dataLogDir, 'dataLogDir');

  let store: DurableStore;
  try {
    store = await openSqliteStore({
      dataDir: config.dataDir,
      dataLogDir: config.dataLogDir,
      fsyncDelayMs: config.zoolab.fsyncDelayMs || undefined,
      logger: storageLogger(log),
    });
  } catch (e) {
    throw new MemberStartError(`cannot open the data store in ${config.dataDir}: ${(e as Error).message}`, { cause: e });
  }
  try {
    return await compose(config, opts, store, timers, events);
  } catch (e) {
    await store.close().catch(() => undefined);
    if (e instanceof MemberStartError) throw e;
    throw new MemberStartError(`cannot start: ${(e as Error).message}`, { cause: e });
  }
}

async function compose(
  config: ServerConfig,
  opts: MemberOptions,
  store: DurableStore,
  timers: Timers,
  events: ProtocolEventSink,
): Promise<Member> {
  const log = opts.log;
  const started = performance.now();
  // An ensemble member applies only the snapshot: the log after it may hold txns that
  // never committed, and its quorum core applies them once a sync says they did.
  const logTail: TxnEntry[] = [];
  const recovered = await recoverStore(
    store,
    {
      empty: () => new ZkDatabase(),
      deserialize: (bytes) => ZkDatabase.deserialize(bytes),
      deserializeChunks: (chunks) => ZkDatabase.deserialize(chunks),
      apply: opts.createReplication ? (_db, entry) => void logTail.push(entry) : (db, entry) => void db.apply(entry),
    },
    // The quorum core checks the epochs itself, and repairs the one state a crash during a
    // SNAP sync can leave (ZOOKEEPER-2354); a plain member has no epochs to check.
    { logger: storageLogger(log), checkEpochs: isEnsemble(config) && !opts.createReplication },
  );
  let db = recovered.db;
  log.info(
    `recovered zxid 0x${recovered.lastZxid.toString(16)} (snapshot ${recovered.snapshotZxid === null ? 'none' : '0x' + recovered.snapshotZxid.toString(16)}, ` +
      `${recovered.replayed} txns replayed) in ${Math.round(performance.now() - started)} ms`,
  );

  const { parts } = opts;
  const currentDb = () => db;
  const watches = parts.watches();
  const sessions = parts.sessions(config);
  const prep = parts.prep(currentDb, config, sessions);
  const snapshotter = new Snapshotter(currentDb, store.snapshots, config.snapCount, log.child('snapshot'));
  const fsyncTime = new LatencyStats();
  let fatal = false;
  const onFatal = (e: Error) => {
    if (fatal) return;
    fatal = true;
    opts.onFatal?.(e);
  };

  const replicationContext: ReplicationContext = {
    config,
    db,
    logTail,
    store,
    prep,
    sessions,
    timers,
    log: log.child('replication'),
    events,
    afterApply: () => snapshotter.applied(),
    onFatal,
  };
  let replication: Replication;
  if (opts.createReplication) {
    replication = opts.createReplication(replicationContext);
  } else {
    replication = new StandaloneReplication({
      db,
      log: store.log,
      prep,
      sessions,
      timers,
      tickTime: config.tickTime,
      logger: log.child('replication'),
      events,
      afterApply: () => snapshotter.applied(),
      fsyncTime,
      onFatal,
    });
  }

  const serverId = config.myid ?? 1; // standalone uses server id 1 in session ids (§13.1)
  const server = new ZkServer({
    config,
    db,
    replication,
    watches,
    acl: parts.acl,
    // A wall-aligned monotonic clock: ids of a restarted member start above those of its past runs.
    newSessionId: parts.sessionIds(serverId, timers.monotonic()),
    negotiateTimeout: parts.negotiateTimeout(config),
    log: log.child('server'),
    events,
    // Follow database replacements (an ensemble follower's SNAP sync).
    onDatabaseReplaced: (next) => void (db = next),
  });
  replication.start(server);

  const startedAt = Date.now();
  let port = config.clientPort;
  const listener = new ClientListener({
    host: config.clientPortAddress,
    port: config.clientPort,
    maxClientCnxns: config.maxClientCnxns,
    maxBuffer: config.juteMaxBuffer,
    outputHighWaterBytes: config.zoolab.outputHighWaterBytes,
    log: log.child('conn'),
    onRejected: () => void server.stats.connectionsRejected++,
    sessionlessTimeoutMs: config.sessionlessCnxnTimeout,
    onSessionlessExpired: () => void server.stats.sessionlessExpired++,
    attach: (channel) => server.attach(channel),
    fourLetterWord: (word, channel, extra) => {
      server.stats.packetsReceived++;
      if (!config.fourLetterWords.has(word)) return notInWhitelist(word);
      const ctx = fourLetterContext(
        {
          config,
          server,
          replication,
          watches,
          sessionBuckets: () => replication.sessionBuckets?.() ?? [],
          clientPort: () => port,
          startedAt,
          snapshots: () => ({ count: snapshotter.count, time: snapshotter.time }),
          fsyncTime,
        },
        channel,
      );
      const answer = answerFourLetterWord(word, ctx, extra === null ? undefined : extra.readBigInt64BE(0));
      server.stats.packetsSent++;
      return answer;
    },
  });
  try {
    port = await listener.listen();
  } catch (e) {
    await replication.close();
    const err = e as NodeJS.ErrnoException;
    throw new MemberStartError(`cannot listen on ${config.clientPortAddress}:${config.clientPort}: ${err.code ?? err.message}`, { cause: e });
  }
  log.info(`serving clients on ${config.clientPortAddress}:${port} (${replication.role})`);

  const stops: (() => void)[] = [];
  if (replication.reap !== undefined) {
    const reap = replication.reap.bind(replication);
    const reaper = new ContainerReaper(currentDb, (p) => reap(p), config.container, timers, () => server.serving);
    stops.push(reaper.start());
  }
  if (config.autopurgePurgeInterval > 0) {
    stops.push(
      timers.every(config.autopurgePurgeInterval * 3_600_000, () => {
        store.snapshots.purge(config.autopurgeSnapRetainCount).then(
          (r) => log.info(`autopurge removed ${r.snapshotsRemoved} snapshots and ${r.logEntriesRemoved} log entries`),
          (e: unknown) => log.warn(`autopurge failed: ${(e as Error).message}`),
        );
      }),
    );
  }

  const heap = opts.heap !== undefined ? opts.heap : process.env.ZOOLAB_IDLE_COMPACTION === '0' ? null : v8Heap();
  if (heap !== null) {
    const compactor = new IdleHeapCompactor({
      heap,
      timers,
      // Requests in, txns applied (also those a leader sends), snapshots being written.
      activity: () => server.stats.packetsReceived + Number(db.lastZxid) + snapshotter.count + (snapshotter.busy ? 0.5 : 0),
      log: log.child('memory'),
    });
    stops.push(compactor.start());
  }

  const state = (): MemberState => ({
    sid: serverId,
    role: server.currentRole,
    phase: null,
    learnerType: config.peerType,
    acceptedEpoch: store.stable.acceptedEpoch(),
    currentEpoch: store.stable.currentEpoch(),
    lastLoggedZxid: store.log.lastZxid(),
    committedZxid: db.lastZxid,
    leaderId: null,
    round: 0,
    vote: null,
    peersConnected: [],
    learners: [],
    syncedLearners: [],
    outstandingProposals: 0,
    pendingSyncs: replication.stats().pendingSyncs,
    serving: server.serving,
    sessionCount: db.sessionCount,
    znodeCount: db.tree.nodeCount,
    digest: db.digestHex(),
    ...replication.memberState?.(),
  });

  let stopping: Promise<void> | null = null;
  const stop = (reason = 'shutdown'): Promise<void> => {
    stopping ??= (async () => {
      log.info(`stopping: ${reason}`);
      for (const s of stops) s();
      listener.stopAccepting();
      // Writes already logged are applied and answered before the connections go.
      await replication.close();
      server.closeAll(reason);
      // Let the final replies and closes reach the sockets (flushed once per turn).
      await new Promise<void>((r) => setImmediate(r));
      await snapshotter.idle();
      await store.close();
      listener.destroyAll();
      log.info('stopped');
    })();
    return stopping;
  };

  return {
    get clientPort() {
      return port;
    },
    config,
    server,
    state,
    snapshot: () => snapshotter.take(),
    expireSession: (sid) => replication.expireSession?.(sid) ?? false,
    sessionTimeLeft: () => replication.sessionTimeLeft?.() ?? [],
    stop,
  };
}
