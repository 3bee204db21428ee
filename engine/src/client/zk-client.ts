/**
 * ZkClient: a promise-based ZooKeeper client for ZooKeeper 3.8-compatible servers (ours
 * and Apache's). Every operation of the client protocol (wire-protocol.md §6) is a
 * typed method; many requests may be in flight on one connection and their replies are
 * matched in order. Failures reject with ZkError (`.code`, `.codeName`, `.path`).
 *
 *   const zk = await ZkClient.connect({ connectString: '127.0.0.1:2181/app' });
 *   await zk.mkdirp('/config');
 *   const { data } = await zk.getData('/config', { watch: (e) => console.log(e) });
 *   await zk.close();
 *
 * See docs/client.md for the session states, watches and helpers.
 */
import { EventEmitter } from 'node:events';
import { connect as netConnect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { AddWatchMode, CreateMode, EventType, KeeperState, WatcherType, isSequentialMode, isTTLMode, MAX_TTL_MS } from '../jute/constants.js';
import { Err } from '../jute/error-codes.js';
import { OpCode } from '../jute/opcodes.js';
import {
  AddWatchRequest,
  CheckWatchesRequest,
  Create2Response,
  CreateRequest,
  CreateResponse,
  CreateTTLRequest,
  DeleteRequest,
  ExistsRequest,
  ExistsResponse,
  GetACLRequest,
  GetACLResponse,
  GetAllChildrenNumberRequest,
  GetAllChildrenNumberResponse,
  GetChildren2Request,
  GetChildren2Response,
  GetChildrenRequest,
  GetChildrenResponse,
  GetDataRequest,
  GetDataResponse,
  GetEphemeralsRequest,
  GetEphemeralsResponse,
  ReconfigRequest,
  RemoveWatchesRequest,
  SetACLRequest,
  SetACLResponse,
  SetDataRequest,
  SetDataResponse,
  SyncRequest,
  SyncResponse,
  WhoAmIResponse,
  type ACL,
  type ClientInfo,
  type Stat,
  type WatcherEvent,
} from '../jute/records.js';
import { DEFAULT_MAX_BUFFER } from '../jute/reader.js';
import { OPEN_ACL_UNSAFE } from './acl.js';
import { WatchRegistry, type WatchTable } from './client-watches.js';
import { parseConnectString } from './connect-string.js';
import { toBuffer } from './data.js';
import { ZkArgumentError, ZkError, ZkMultiError } from './errors.js';
import { childrenWithStats, deleteRecursive, listSubtree, mkdirp, type MkdirpOptions } from './helpers.js';
import { watchChildren, watchData, type ChildrenListener, type DataListener } from './live-watch.js';
import { createOpcode, decodeMultiReadResults, decodeMultiResults, encodeMulti, encodeMultiRead, failedIndex } from './multi-codec.js';
import { Chroot, validatePath } from './paths.js';
import type { RequestSpec } from './request.js';
import { Session } from './session.js';
import { Transaction } from './transaction.js';
import type {
  AclResult,
  AddWatchModeName,
  ChildrenResult,
  ChildWithStat,
  ClientClock,
  CreateOptions,
  CreateResult,
  Data,
  DataResult,
  HostPort,
  LiveWatch,
  Op,
  OpResult,
  ReadOp,
  ReadResult,
  RemoveWatchesOptions,
  SessionState,
  WatchArg,
  WatchedEvent,
  Watcher,
  WatchOptions,
  WatchSummary,
  ZkClientEvents,
  ZkClientOptions,
} from './types.js';

/** The node holding the ensemble's dynamic configuration (§8.2); never chrooted. */
export const CONFIG_NODE = '/zookeeper/config';

const realClock: ClientClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export class ZkClient extends EventEmitter<ZkClientEvents> {
  /** The chroot of the connect string ('' when none). */
  readonly chroot: string;
  /** The connect string's hosts, in the order given. */
  readonly hosts: readonly HostPort[];
  private readonly root: Chroot;
  private readonly session: Session;
  private readonly registry = new WatchRegistry();
  private readonly options: ZkClientOptions;
  /** Stands for "the default watcher" in the watch tables (watch: true). */
  private readonly defaultWatcher: Watcher = (event) => {
    this.emit('watch', event);
    this.options.defaultWatcher?.(event);
  };

  constructor(options: ZkClientOptions | string) {
    super();
    this.options = typeof options === 'string' ? { connectString: options } : { ...options };
    const parsed = parseConnectString(this.options.connectString);
    this.chroot = parsed.chroot;
    this.hosts = parsed.hosts;
    this.root = new Chroot(parsed.chroot);
    const sessionTimeout = this.options.sessionTimeout ?? 30_000;
    const localSessionExpiry = this.options.localSessionExpiry ?? false;
    this.session = new Session(
      {
        hosts: parsed.hosts,
        sessionTimeout,
        connectTimeout: this.options.connectTimeout,
        newSessionTimeout: this.options.newSessionTimeout ?? (localSessionExpiry ? Math.max(Math.floor((sessionTimeout * 4) / 3), 5000) : 0),
        localSessionExpiry,
        requestTimeout: checkRequestTimeout(this.options.requestTimeoutMs),
        canBeReadOnly: this.options.canBeReadOnly ?? false,
        sessionId: this.options.sessionId ?? 0n,
        sessionPassword: this.options.sessionPassword ?? null,
        socketFactory: this.options.socketFactory ?? ((t) => netConnect({ host: t.host, port: t.port, noDelay: true })),
        shuffleHosts: this.options.shuffleHosts ?? true,
        random: this.options.random ?? Math.random,
        clock: this.options.clock ?? realClock,
        retryDelay: this.options.retryDelay ?? 250,
        reconnectJitter: this.options.reconnectJitter ?? 50,
        maxFrameLength: this.options.maxFrameLength ?? DEFAULT_MAX_BUFFER + 1024,
        rwProbeMinInterval: this.options.rwProbeMinInterval ?? 100,
        rwProbeMaxInterval: this.options.rwProbeMaxInterval ?? 5000,
      },
      this.registry,
      {
        onState: (state, prev) => {
          this.emit('state', state, prev);
          this.emit(state);
        },
        onNotification: (e) => this.onNotification(e),
        onSessionEvent: (state, terminal) => this.onSessionEvent(state, terminal),
      },
    );
  }

  /** Creates a client and waits until it is connected; on failure it is closed and the error thrown. */
  static async connect(options: ZkClientOptions | string, timeoutMs?: number): Promise<ZkClient> {
    const zk = new ZkClient(options);
    try {
      await zk.connect(timeoutMs);
      return zk;
    } catch (e) {
      await zk.close();
      throw e;
    }
  }

  // ---- session ----

  /** Starts connecting (idempotent). Requests made before the connection is up are queued. */
  start(): void {
    this.session.start();
  }

  /** Starts connecting and resolves once connected (see waitForConnected). */
  connect(timeoutMs?: number): Promise<void> {
    this.start();
    return this.waitForConnected(timeoutMs);
  }

  /**
   * Resolves when the state is `connected` (or `connected-read-only`); rejects with
   * SessionExpired / AuthFailed if the session ends first, or OperationTimeout after
   * `timeoutMs` (the client keeps trying in that case).
   */
  waitForConnected(timeoutMs?: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.isConnected) return resolve();
      if (this.session.isTerminal) return reject(new ZkError(this.state === 'auth-failed' ? Err.AuthFailed : Err.SessionExpired));
      const clock = this.options.clock ?? realClock;
      let timer: unknown = null;
      const onState = (state: SessionState) => {
        if (state === 'connected' || state === 'connected-read-only') finish(null);
        else if (state === 'auth-failed') finish(new ZkError(Err.AuthFailed));
        else if (state === 'expired' || state === 'closed') finish(new ZkError(Err.SessionExpired));
      };
      const finish = (err: Error | null) => {
        this.off('state', onState);
        if (timer !== null) clock.clearTimeout(timer);
        if (err) reject(err);
        else resolve();
      };
      this.on('state', onState);
      if (timeoutMs !== undefined) timer = clock.setTimeout(() => finish(new ZkError(Err.OperationTimeout)), timeoutMs);
    });
  }

  /** Sends closeSession (its ephemerals go away at once) and closes. State `closed`; idempotent. */
  close(): Promise<void> {
    return this.session.close();
  }

  get state(): SessionState {
    return this.session.state;
  }

  get isConnected(): boolean {
    return this.state === 'connected' || this.state === 'connected-read-only';
  }

  /** True while connected to a read-only server (§13.5). */
  get isReadOnly(): boolean {
    return this.state === 'connected-read-only';
  }

  /** 0n until the first handshake. */
  get sessionId(): bigint {
    return this.session.sessionId;
  }

  get sessionPassword(): Buffer {
    return this.session.password;
  }

  /** The timeout the server granted (0 before the first handshake). */
  get negotiatedTimeout(): number {
    return this.session.negotiatedTimeout;
  }

  /** The highest zxid seen in a reply: sent on reconnect so no server behind it is used (§4.2). */
  get lastZxidSeen(): bigint {
    return this.session.lastZxid;
  }

  /** The server of the current connection, or null. */
  get connectedServer(): HostPort | null {
    return this.session.server;
  }

  // ---- node operations ----

  /**
   * Creates a node and returns its actual path (with the sequential suffix). `data`
   * defaults to empty; pass null to store null data (§9). Container and TTL modes use
   * opcodes 19 and 21.
   */
  async create(path: string, data: Data = '', options: CreateOptions = {}): Promise<string> {
    const mode = options.mode ?? CreateMode.PERSISTENT;
    if (mode === CreateMode.CONTAINER || isTTLMode(mode)) return (await this.createWithStat(path, data, options)).path;
    return this.submit({
      ...this.createSpec(path, data, options, OpCode.create),
      read: (_e, r) => this.root.toClient(CreateResponse.read(r).path),
    });
  }

  /** Like create, also returning the new node's Stat (create2, opcode 15). */
  async createWithStat(path: string, data: Data = '', options: CreateOptions = {}): Promise<CreateResult> {
    const mode = options.mode ?? CreateMode.PERSISTENT;
    const opcode = mode === CreateMode.CONTAINER || isTTLMode(mode) ? createOpcode(mode) : OpCode.create2;
    return this.submit({
      ...this.createSpec(path, data, options, opcode),
      read: (_e, r) => {
        const res = Create2Response.read(r);
        return { path: this.root.toClient(res.path), stat: res.stat };
      },
    });
  }

  /** A container node (§10.4): removed by the server once its last child is gone. */
  async createContainer(path: string, data: Data = '', acl?: ACL[]): Promise<CreateResult> {
    return this.createWithStat(path, data, { mode: CreateMode.CONTAINER, acl });
  }

  /** A TTL node (§10.3): removed when childless and unmodified for `ttl` ms. Needs extended types on the server. */
  async createTTL(path: string, data: Data, ttl: number, options: { sequential?: boolean; acl?: ACL[] } = {}): Promise<CreateResult> {
    const mode = options.sequential ? CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL : CreateMode.PERSISTENT_WITH_TTL;
    return this.createWithStat(path, data, { mode, ttl, acl: options.acl });
  }

  /** Deletes a node; version -1 (default) matches any. */
  async delete(path: string, version = -1): Promise<void> {
    const p = this.serverPath(path);
    return this.submit({ opcode: OpCode.delete, body: DeleteRequest.encode({ path: p, version }), path, read: () => undefined });
  }

  /**
   * The node's Stat, or null if it does not exist. A watch is set either way (§12.1): on
   * an existing node it fires on change or delete, on a missing one when it is created.
   */
  async exists(path: string, options: WatchOptions = {}): Promise<Stat | null> {
    const p = this.serverPath(path);
    const watcher = this.watcherOf(options.watch);
    return this.submit({
      opcode: OpCode.exists,
      body: ExistsRequest.encode({ path: p, watch: watcher !== null }),
      path,
      acceptErrors: [Err.NoNode],
      onReply: (err) => {
        if (watcher && err === Err.Ok) this.registry.add('data', p, watcher);
        else if (watcher && err === Err.NoNode) this.registry.add('exist', p, watcher);
      },
      read: (err, r) => (err === Err.NoNode ? null : ExistsResponse.read(r).stat),
    });
  }

  /** The node's data and Stat; a watch (if asked) fires on change or delete. */
  async getData(path: string, options: WatchOptions = {}): Promise<DataResult> {
    const p = this.serverPath(path);
    return this.submit({
      opcode: OpCode.getData,
      body: GetDataRequest.encode({ path: p, watch: this.wantsWatch(options.watch) }),
      path,
      onReply: this.registerOnSuccess('data', p, options.watch),
      read: (_e, r) => GetDataResponse.read(r),
    });
  }

  /** Replaces the data; version -1 (default) matches any. Returns the new Stat. */
  async setData(path: string, data: Data, version = -1): Promise<Stat> {
    const p = this.serverPath(path);
    return this.submit({
      opcode: OpCode.setData,
      body: SetDataRequest.encode({ path: p, data: toBuffer(data), version }),
      path,
      read: (_e, r) => SetDataResponse.read(r).stat,
    });
  }

  async getACL(path: string): Promise<AclResult> {
    const p = this.serverPath(path);
    return this.submit({ opcode: OpCode.getACL, body: GetACLRequest.encode({ path: p }), path, read: (_e, r) => GetACLResponse.read(r) });
  }

  /** Replaces the ACL; `aversion` -1 (default) matches any. An empty list is refused (InvalidACL). */
  async setACL(path: string, acl: ACL[], aversion = -1): Promise<Stat> {
    const p = this.serverPath(path);
    if (acl.length === 0) throw new ZkError(Err.InvalidACL, path);
    return this.submit({
      opcode: OpCode.setACL,
      body: SetACLRequest.encode({ path: p, acl, version: aversion }),
      path,
      read: (_e, r) => SetACLResponse.read(r).stat,
    });
  }

  /** Child names (unordered, §9). A watch fires on a child create/delete or the node's deletion. */
  async getChildren(path: string, options: WatchOptions = {}): Promise<string[]> {
    const p = this.serverPath(path);
    return this.submit({
      opcode: OpCode.getChildren,
      body: GetChildrenRequest.encode({ path: p, watch: this.wantsWatch(options.watch) }),
      path,
      onReply: this.registerOnSuccess('child', p, options.watch),
      read: (_e, r) => GetChildrenResponse.read(r).children,
    });
  }

  /** Child names plus the parent's Stat (getChildren2, opcode 12 — what zkCli's `ls -s` uses). */
  async getChildrenAndStat(path: string, options: WatchOptions = {}): Promise<ChildrenResult> {
    const p = this.serverPath(path);
    return this.submit({
      opcode: OpCode.getChildren2,
      body: GetChildren2Request.encode({ path: p, watch: this.wantsWatch(options.watch) }),
      path,
      onReply: this.registerOnSuccess('child', p, options.watch),
      read: (_e, r) => GetChildren2Response.read(r),
    });
  }

  /** Paths of this session's ephemerals under a prefix (plain string prefix, §9). Default: all. */
  async getEphemerals(prefix = '/'): Promise<string[]> {
    const prefixPath = this.serverPath(prefix);
    return this.submit({
      opcode: OpCode.getEphemerals,
      body: GetEphemeralsRequest.encode({ prefixPath }),
      path: prefix,
      read: (_e, r) =>
        GetEphemeralsResponse.read(r)
          .ephemerals.filter((e) => this.root.contains(e))
          .map((e) => this.root.toClient(e)),
    });
  }

  /** Number of descendants of the node, not counting itself (§9). */
  async getAllChildrenNumber(path: string): Promise<number> {
    const p = this.serverPath(path);
    return this.submit({
      opcode: OpCode.getAllChildrenNumber,
      body: GetAllChildrenNumberRequest.encode({ path: p }),
      path,
      read: (_e, r) => GetAllChildrenNumberResponse.read(r).totalNumber,
    });
  }

  /** Makes the serving member catch up with the leader (§17); a read after it sees every write committed before it. */
  async sync(path = '/'): Promise<void> {
    const p = this.serverPath(path);
    return this.submit({
      opcode: OpCode.sync,
      body: SyncRequest.encode({ path: p }),
      path,
      read: (_e, r) => void SyncResponse.read(r),
    });
  }

  /** The ensemble configuration node's data (`/zookeeper/config`, outside any chroot). */
  async getConfig(options: WatchOptions = {}): Promise<DataResult> {
    return this.submit({
      opcode: OpCode.getData,
      body: GetDataRequest.encode({ path: CONFIG_NODE, watch: this.wantsWatch(options.watch) }),
      path: CONFIG_NODE,
      onReply: this.registerOnSuccess('data', CONFIG_NODE, options.watch),
      read: (_e, r) => GetDataResponse.read(r),
    });
  }

  /**
   * Dynamic reconfiguration (opcode 16, ZooKeeperAdmin#reconfigure): comma-separated
   * `server.N=...` specs to add, server ids to remove, or a whole new member list;
   * `fromConfig` is the expected current config version (-1: any). Resolves with the new
   * config. Servers refuse it with ReconfigDisabled unless `reconfigEnabled=true` (§6).
   */
  async reconfig(joining: string | null, leaving: string | null, newMembers: string | null, fromConfig = -1n): Promise<DataResult> {
    return this.submit({
      opcode: OpCode.reconfig,
      body: ReconfigRequest.encode({ joiningServers: joining, leavingServers: leaving, newMembers, curConfigId: fromConfig }),
      path: CONFIG_NODE,
      read: (_e, r) => GetDataResponse.read(r),
    });
  }

  // ---- multi ----

  /**
   * Runs the ops atomically (§14.2). Resolves with one result per op; if any op fails,
   * nothing is applied and it rejects with ZkMultiError (code of the failing op,
   * `.results` for all, `.failedIndex`).
   */
  async multi(ops: readonly Op[]): Promise<OpResult[]> {
    const serverOps = ops.map((op) => this.checkOp(op));
    return this.submit({
      opcode: OpCode.multi,
      body: encodeMulti(serverOps),
      read: (_e, r) => {
        const results = decodeMultiResults(r).map((x) => (x.type === 'create' ? { ...x, path: this.root.toClient(x.path) } : x));
        const failed = failedIndex(results);
        if (failed >= 0) {
          const bad = results[failed] as { code: number };
          throw new ZkMultiError(bad.code, ops[failed]?.path, results, failed);
        }
        return results;
      },
    });
  }

  /** A builder for multi: `zk.transaction().create(...).setData(...).check(...).commit()`. */
  transaction(): Transaction {
    return new Transaction((ops) => this.multi(ops));
  }

  /** Several reads in one round trip (opcode 22). Not atomic: each result is a value or an error (§14.3). */
  async multiRead(ops: readonly ReadOp[]): Promise<ReadResult[]> {
    const serverOps = ops.map((op) => ({ ...op, path: this.serverPath(op.path) }));
    return this.submit({ opcode: OpCode.multiRead, body: encodeMultiRead(serverOps), read: (_e, r) => decodeMultiReadResults(r) });
  }

  // ---- auth ----

  /**
   * Adds credentials (e.g. `addAuth('digest', 'alice:secret')`). Resolves when the server
   * accepted them; they are replayed after every reconnect. A rejection ends the session
   * (state `auth-failed`, §15.3).
   */
  addAuth(scheme: string, auth: Buffer | string): Promise<void> {
    return this.session.addAuth(scheme, typeof auth === 'string' ? Buffer.from(auth, 'utf8') : auth);
  }

  /** The identities the server associates with this connection, e.g. `[{authScheme:'ip', user:'127.0.0.1'}]`. */
  async whoAmI(): Promise<ClientInfo[]> {
    return this.submit({ opcode: OpCode.whoAmI, body: null, read: (_e, r) => WhoAmIResponse.read(r).clientInfo });
  }

  // ---- watches ----

  /**
   * A persistent watch (§12.4): not removed when it fires. `persistent-recursive` (the
   * default, as in zkCli) covers the node and every descendant but never reports
   * NodeChildrenChanged. Remove it with removeWatches.
   */
  async addWatch(path: string, watcher: Watcher | true, mode: AddWatchModeName = 'persistent-recursive'): Promise<void> {
    const p = this.serverPath(path);
    const w = watcher === true ? this.defaultWatcher : watcher;
    const recursive = mode === 'persistent-recursive';
    return this.submit({
      opcode: OpCode.addWatch,
      body: AddWatchRequest.encode({ path: p, mode: recursive ? AddWatchMode.PersistentRecursive : AddWatchMode.Persistent }),
      path,
      onReply: (err) => {
        if (err === Err.Ok) this.registry.add(recursive ? 'persistentRecursive' : 'persistent', p, w);
      },
      read: () => undefined,
    });
  }

  /**
   * Removes watches of a type from a path (§12.6). With `watcher`, only that one goes
   * (checkWatches, opcode 17: the server watch stays for the others); without, every
   * watcher of the type (removeWatches, opcode 18). Each removed watcher receives a
   * locally generated DataWatchRemoved / ChildWatchRemoved / PersistentWatchRemoved event.
   * NoWatcher if nothing matched. `local: true` removes locally even when the server
   * cannot be reached or disagrees.
   */
  async removeWatches(path: string, type: WatcherType, options: RemoveWatchesOptions = {}): Promise<void> {
    const p = this.serverPath(path);
    const watcher = options.watcher === undefined ? null : options.watcher === true ? this.defaultWatcher : options.watcher;
    const opcode = watcher ? OpCode.checkWatches : OpCode.removeWatches;
    const body = watcher ? CheckWatchesRequest.encode({ path: p, type }) : RemoveWatchesRequest.encode({ path: p, type });
    return this.submit({
      opcode,
      body,
      path,
      onReply: (err) => {
        if (err !== Err.Ok && !options.local) throw new ZkError(err, path);
        if (!this.registry.contains(p, watcher, type)) throw new ZkError(Err.NoWatcher, path);
        for (const { watcher: w, event } of this.registry.remove(p, watcher, type)) {
          this.deliver([w], { type: event, state: KeeperState.SyncConnected, path });
        }
      },
      read: () => undefined,
    });
  }

  /** The paths this client watches, per table (client paths). */
  watches(): WatchSummary {
    const map = (t: WatchTable) => this.registry.paths(t).map((p) => this.root.toClient(p));
    return {
      data: map('data'),
      exist: map('exist'),
      child: map('child'),
      persistent: map('persistent'),
      persistentRecursive: map('persistentRecursive'),
    };
  }

  /**
   * Keeps `listener` up to date with a node's data: reads with a watch, and re-reads and
   * re-arms every time it fires. The listener gets null while the node does not exist.
   */
  watchData(path: string, listener: DataListener): LiveWatch {
    return watchData(this, path, listener);
  }

  /** Keeps `listener` up to date with a node's children (null while the node does not exist). */
  watchChildren(path: string, listener: ChildrenListener): LiveWatch {
    return watchChildren(this, path, listener);
  }

  // ---- helpers ----

  /** Creates the node and any missing ancestors (like `mkdir -p`); existing nodes are fine. */
  mkdirp(path: string, options: MkdirpOptions = {}): Promise<void> {
    return mkdirp(this, path, options);
  }

  /** Deletes the node and its whole subtree (zkCli's `deleteall`); a missing node is fine. */
  deleteRecursive(path: string): Promise<void> {
    return deleteRecursive(this, path);
  }

  /** The node and all its descendants, breadth first (Java's ZKUtil.listSubTreeBFS). */
  listSubtree(path: string): Promise<string[]> {
    return listSubtree(this, path);
  }

  /** Each child with its own Stat, sorted by name (pipelined exists calls). */
  getChildrenWithStats(path: string): Promise<ChildWithStat[]> {
    return childrenWithStats(this, path);
  }

  // ---- internals ----

  private submit<T>(spec: RequestSpec<T>): Promise<T> {
    return this.session.submit(spec);
  }

  /** Validates a client path and maps it through the chroot. Throws ZkArgumentError. */
  private serverPath(path: string, sequential = false): string {
    validatePath(path, sequential);
    return this.root.toServer(path);
  }

  private watcherOf(watch: WatchArg | undefined): Watcher | null {
    if (watch === true) return this.defaultWatcher;
    if (typeof watch === 'function') return watch;
    return null;
  }

  private wantsWatch(watch: WatchArg | undefined): boolean {
    return watch === true || typeof watch === 'function';
  }

  /** Java registers data/child watches only when the read succeeded (§12.1). */
  private registerOnSuccess(table: WatchTable, serverPath: string, watch: WatchArg | undefined): ((err: number) => void) | undefined {
    const watcher = this.watcherOf(watch);
    if (!watcher) return undefined;
    return (err) => {
      if (err === Err.Ok) this.registry.add(table, serverPath, watcher);
    };
  }

  private createSpec(path: string, data: Data, options: CreateOptions, opcode: number): Omit<RequestSpec<never>, 'read'> {
    const mode = options.mode ?? CreateMode.PERSISTENT;
    const p = this.serverPath(path, isSequentialMode(mode));
    const acl = [...(options.acl ?? OPEN_ACL_UNSAFE)];
    if (acl.length === 0) throw new ZkError(Err.InvalidACL, path);
    checkTtl(mode, options.ttl);
    const fields = { path: p, data: toBuffer(data), acl, flags: mode };
    const body = opcode === OpCode.createTTL ? CreateTTLRequest.encode({ ...fields, ttl: BigInt(options.ttl!) }) : CreateRequest.encode(fields);
    return { opcode, body, path };
  }

  /** Validates one multi op and maps its path to the server. */
  private checkOp(op: Op): Op {
    if (op.type === 'create') {
      const mode = op.mode ?? CreateMode.PERSISTENT;
      checkTtl(mode, op.ttl);
      if (op.acl && op.acl.length === 0) throw new ZkError(Err.InvalidACL, op.path);
      return { ...op, path: this.serverPath(op.path, isSequentialMode(mode)) };
    }
    return { ...op, path: this.serverPath(op.path) };
  }

  private onNotification(e: WatcherEvent): void {
    const watchers = this.registry.materialize(e.type, e.path);
    if (watchers.size === 0) return;
    this.deliver(watchers, { type: e.type as EventType, state: e.state as KeeperState, path: this.root.toClient(e.path) });
  }

  /**
   * Session events go to the default watcher. When the session is over (expired,
   * auth-failed, closed) every registered watcher also gets the event once and the
   * tables are emptied: no watch can fire any more.
   */
  private onSessionEvent(state: KeeperState, terminal: boolean): void {
    const event: WatchedEvent = { type: EventType.None, state, path: null };
    const watchers = new Set<Watcher>([this.defaultWatcher]);
    if (terminal) for (const w of this.registry.drainAll()) watchers.add(w);
    this.deliver(watchers, event);
  }

  /**
   * Calls watchers after the current frame's promise reactions (a microtask), so a
   * reply's continuation and the events after it run in wire order. A throwing watcher
   * is reported as a process warning and does not disturb the others.
   */
  private deliver(watchers: Iterable<Watcher>, event: WatchedEvent): void {
    for (const w of watchers) {
      queueMicrotask(() => {
        try {
          w(event);
        } catch (e) {
          process.emitWarning(`ZooKeeper watcher threw: ${(e as Error)?.stack ?? String(e)}`, 'ZkWatcherError');
        }
      });
    }
  }
}

/** 0 (off) or a positive number of ms. */
function checkRequestTimeout(ms: number | undefined): number {
  if (ms === undefined) return 0;
  if (!Number.isFinite(ms) || ms < 0) throw new ZkArgumentError(`requestTimeoutMs must be 0 (off) or a positive number of ms, got ${ms}`);
  return ms;
}

function checkTtl(mode: number, ttl: number | undefined): void {
  if (isTTLMode(mode)) {
    if (ttl === undefined || !Number.isInteger(ttl) || ttl <= 0 || BigInt(ttl) > MAX_TTL_MS) {
      throw new ZkArgumentError(`ttl must be an integer in [1, ${MAX_TTL_MS}] for mode ${mode}`);
    }
  } else if (ttl !== undefined && ttl >= 0) {
    throw new ZkArgumentError(`ttl is only valid with a TTL create mode (got mode ${mode})`);
  }
}
