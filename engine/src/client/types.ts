/**
 * The public types of the ZooLab client: session states, watch events, options and the
 * shapes operations resolve with. Wire records (Stat, ACL, Id, ClientInfo) and the
 * protocol enumerations come from engine/src/jute and are re-exported from index.ts, so
 * there is one definition of each.
 */
import type { Duplex } from 'node:stream';
import type { ACL, ClientInfo, Stat } from '../jute/records.js';
import type { CreateMode, EventType, KeeperState, WatcherType } from '../jute/constants.js';

export type { ACL, ClientInfo, Stat, Id } from '../jute/records.js';

/**
 * Where the session stands. Transitions (wire-protocol.md §4, §13):
 *
 *   connecting ──► connected | connected-read-only
 *   connected ──► disconnected ──► connecting ──► connected (same session, watches restored)
 *   any ──► expired      (the server said so on reconnect: ConnectResponse timeOut 0, §4.2;
 *                         locally only with the opt-in `localSessionExpiry`)
 *   any ──► auth-failed  (an auth packet was rejected; §15.3)
 *   any ──► closed       (close() was called)
 *
 * `expired`, `auth-failed` and `closed` are terminal: the client never reuses the session;
 * make a new ZkClient.
 */
export type SessionState =
  | 'connecting'
  | 'connected'
  | 'connected-read-only'
  | 'disconnected'
  | 'expired'
  | 'auth-failed'
  | 'closed';

export const TERMINAL_STATES: ReadonlySet<SessionState> = new Set<SessionState>(['expired', 'auth-failed', 'closed']);

/**
 * A watch notification as the application sees it (Java's WatchedEvent). Session events
 * have type None (-1) and a null path; node events carry the client-side path (chroot
 * already stripped) and state SyncConnected.
 */
export interface WatchedEvent {
  type: EventType;
  state: KeeperState;
  path: string | null;
}

/** A watch callback. Called at most once per event, even if registered on several tables. */
export type Watcher = (event: WatchedEvent) => void;

/**
 * How a read registers a watch: a function (called once when the watch fires), or `true`
 * for the client's default watcher (the `'watch'` event and `options.defaultWatcher`),
 * which is what zkCli's `-w` flag uses.
 */
export type WatchArg = Watcher | boolean;

export interface WatchOptions {
  watch?: WatchArg;
}

/** A host of the connect string. */
export interface HostPort {
  host: string;
  port: number;
}

/**
 * Opens the byte stream to one server. The default is `net.connect`. The lab injects its
 * own to route client traffic through link proxies; tests use it to force disconnects.
 * If the returned stream is a `net.Socket` that is still connecting, the client waits for
 * its 'connect' event; any other Duplex is taken as already connected.
 */
export type SocketFactory = (target: HostPort) => Duplex;

/** Time source and timers, injectable so ping and timeout logic can be unit tested. */
export interface ClientClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface ZkClientOptions {
  /** `host:port[,host:port...][/chroot]`, e.g. `127.0.0.1:2181,127.0.0.1:2182/app`. */
  connectString: string;
  /** Requested session timeout in ms (the server clamps it, §4.2). Default 30000. */
  sessionTimeout?: number;
  /**
   * How long one connection attempt may take until the ConnectResponse arrives. Default:
   * sessionTimeout / number of hosts (the Java client's rule).
   */
  connectTimeout?: number;
  /**
   * A brand-new session that cannot be established within this many ms ends in
   * `expired`. Default 0: keep trying until close(), as the Java 3.8 client does (requests
   * made meanwhile fail with ConnectionLoss after each failed attempt). With
   * `localSessionExpiry` the default is 4/3 × sessionTimeout, at least 5 s.
   */
  newSessionTimeout?: number;
  /**
   * Declare the session expired on the client's own clock when no server has been heard
   * from for 4/3 of the negotiated timeout (the Java 3.9+ client's ZOOKEEPER-4508 rule).
   * Off by default: as with the Java 3.8 client, only the server decides expiry and the
   * client learns it on reconnect (wire-protocol.md §4.2, §13.2), so a session that the
   * ensemble kept through an election or a partition of any length is resumed. Turn it on
   * to model a 3.9+ client, or when an application must stop acting on a session it can
   * no longer confirm (a lock holder cut off from every server).
   */
  localSessionExpiry?: boolean;
  /**
   * Fail a request with RequestTimeout when no reply came within this many ms, and drop
   * the connection (its other requests fail with ConnectionLoss; the client reconnects),
   * as Java does with `zookeeper.request.timeout`: replies arrive in order, so one that
   * is missing means the connection cannot be trusted. The timer starts when the request
   * is made, queued or not. Default 0: off.
   */
  requestTimeoutMs?: number;
  /** Allow connecting to a read-only server (state `connected-read-only`; §13.5). */
  canBeReadOnly?: boolean;
  /** Resume an existing session (e.g. one handed over from another process). */
  sessionId?: bigint;
  sessionPassword?: Buffer;
  /** Receives session events and events of reads made with `watch: true`. */
  defaultWatcher?: Watcher;
  /** Opens connections (see SocketFactory). */
  socketFactory?: SocketFactory;
  /** Keep the connect string's host order instead of shuffling it (tests, teaching). */
  shuffleHosts?: boolean;
  /** Random source for shuffling and reconnect jitter. Default Math.random. */
  random?: () => number;
  /** Clock and timers. Default: the real ones. */
  clock?: ClientClock;
  /** Pause after every host failed once in a row, in ms. Default 250. */
  retryDelay?: number;
  /** Max random pause before reconnecting after a drop, in ms. Default 50. */
  reconnectJitter?: number;
  /** Largest frame accepted from the server (jute.maxbuffer). Default 0xfffff + 1024. */
  maxFrameLength?: number;
  /** Interval bounds of the read-only → read-write `isro` probe (zab.md §6). Default 100 ms doubling to 5 s. */
  rwProbeMinInterval?: number;
  rwProbeMaxInterval?: number;
}

/** Data and ACL options of create. */
export interface CreateOptions {
  /** Default CreateMode.PERSISTENT. CONTAINER uses opcode 19, TTL modes opcode 21 (§9, §10). */
  mode?: CreateMode;
  /** Default OPEN_ACL_UNSAFE (world:anyone, ALL). */
  acl?: ACL[];
  /** Required for the TTL modes, in ms (1 … 2^40−1, §10.3). */
  ttl?: number;
}

/** Node data: a Buffer, a string (UTF-8), or null (stored as null, §9). */
export type Data = Buffer | Uint8Array | string | null;

export interface CreateResult {
  path: string;
  stat: Stat;
}

export interface DataResult {
  /** null when the node was created with null data (§9). */
  data: Buffer | null;
  stat: Stat;
}

export interface AclResult {
  acl: ACL[];
  stat: Stat;
}

export interface ChildrenResult {
  children: string[];
  /** The parent's Stat (getChildren2, opcode 12). */
  stat: Stat;
}

/** One child with its own Stat (for `ls -s`-like listings and the tree browser). */
export interface ChildWithStat {
  name: string;
  path: string;
  stat: Stat;
}

/** addWatch modes (§12.4). */
export type AddWatchModeName = 'persistent' | 'persistent-recursive';

export interface RemoveWatchesOptions {
  /** Remove only this watcher (opcode 17, checkWatches); without it every watcher of the type goes (opcode 18). */
  watcher?: Watcher | true;
  /** Remove locally even if the server cannot be reached or answers with an error. */
  local?: boolean;
}

export type { CreateMode, EventType, KeeperState, WatcherType };

// ---- multi (§14) ----

/** One operation of a multi (atomic transaction). Versions default to -1 (any). */
export type Op =
  | { type: 'create'; path: string; data?: Data; acl?: ACL[]; mode?: CreateMode; ttl?: number }
  | { type: 'delete'; path: string; version?: number }
  | { type: 'setData'; path: string; data: Data; version?: number }
  | { type: 'check'; path: string; version: number };

/**
 * One result of a multi. When the multi failed, ops before the failing one report
 * `{type:'error', code: 0}` (rolled back), the failing op its own code and later ops
 * RuntimeInconsistency (-2) (§14.2).
 */
export type OpResult =
  | { type: 'create'; path: string; stat?: Stat }
  | { type: 'delete' }
  | { type: 'setData'; stat: Stat }
  | { type: 'check' }
  | { type: 'error'; code: number; codeName: string };

/** One read of a multiRead (opcode 22): not atomic, each op succeeds or fails alone (§14.3). */
export type ReadOp = { type: 'getData'; path: string } | { type: 'getChildren'; path: string };

export type ReadResult =
  | { type: 'getData'; data: Buffer | null; stat: Stat }
  | { type: 'getChildren'; children: string[] }
  | { type: 'error'; code: number; codeName: string };

/** The watches this client holds, by table, as client paths (for `printwatches`-style views). */
export interface WatchSummary {
  data: string[];
  exist: string[];
  child: string[];
  persistent: string[];
  persistentRecursive: string[];
}

/** Events a ZkClient emits. */
export interface ZkClientEvents {
  /** Every state change. */
  state: [state: SessionState, previous: SessionState];
  connecting: [];
  connected: [];
  'connected-read-only': [];
  disconnected: [];
  expired: [];
  'auth-failed': [];
  closed: [];
  /**
   * The default watcher's stream (Java's default Watcher): session events (type None:
   * SyncConnected, ConnectedReadOnly, Disconnected, Expired, AuthFailed, Closed) and the
   * events of reads made with `watch: true`.
   */
  watch: [event: WatchedEvent];
}

/** A re-arming watch from watchData/watchChildren: stop() ends it. */
export interface LiveWatch {
  stop(): void;
  /** Resolves after the first value was delivered to the listener. */
  readonly ready: Promise<void>;
}
