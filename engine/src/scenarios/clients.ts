/**
 * The client sessions a scenario opens, by name ("a", "monitor", "app-2"). Each one
 * records the watch and session events it receives, so conditions and checks can ask
 * "did NodeCreated fire on /app1/p_2 for client a?". Its sockets can be severed to let a
 * session expire for real (the server hears nothing until the timeout, wire-protocol.md
 * §13.2) without closing it.
 */
import { Socket, connect as netConnect } from 'node:net';
import { PassThrough, type Duplex } from 'node:stream';
import { ZkClient, eventTypeName, keeperStateName, type SessionState, type WatchedEvent } from '../client/index.js';

export type WatchVia = 'exists' | 'getData' | 'getChildren' | 'persistent' | 'persistent-recursive' | 'session';

export interface RecordedEvent {
  /** Per-client, from 1. */
  seq: number;
  at: number;
  /** `NodeCreated`, `NodeDataChanged`, … or `None` for session events. */
  type: string;
  path: string | null;
  /** Session events: the KeeperState name. */
  state: string;
  /** Which registration heard it, and on which path it was registered. */
  via: WatchVia;
  watchPath: string | null;
}

export interface ClientSpec {
  name: string;
  /** Pin to one member (through its client link proxy); null lets the client pick. */
  member: number | null;
  connectString: string;
  sessionTimeoutMs: number;
  canBeReadOnly?: boolean;
  /** Resume an existing session (the "expire it now" trick). */
  sessionId?: bigint;
  sessionPassword?: Buffer;
  /** Which member a client proxy port leads to (to tell which member a session talks to). */
  memberOfPort?: (port: number) => number | null;
}

export class ScenarioClient {
  readonly events: RecordedEvent[] = [];
  /** Zxid of this session's last acknowledged write (read-your-writes checks). */
  lastWriteZxid = -1n;
  private severed = false;
  private readonly sockets = new Set<Duplex>();
  private nextSeq = 1;
  readonly zk: ZkClient;
  private stateListeners = new Set<(s: SessionState) => void>();

  constructor(
    readonly spec: ClientSpec,
    private readonly now: () => number,
  ) {
    this.zk = new ZkClient({
      connectString: spec.connectString,
      sessionTimeout: spec.sessionTimeoutMs,
      canBeReadOnly: spec.canBeReadOnly ?? false,
      shuffleHosts: false,
      sessionId: spec.sessionId,
      sessionPassword: spec.sessionPassword,
      retryDelay: 100,
      socketFactory: (target) => this.openSocket(target.host, target.port),
      defaultWatcher: (e) => {
        if (e.type === -1) this.record(e, 'session', null);
      },
    });
    this.zk.on('state', (s) => this.stateListeners.forEach((l) => l(s)));
  }

  get name(): string {
    return this.spec.name;
  }
  get member(): number | null {
    return this.spec.member;
  }
  get state(): SessionState {
    return this.zk.state;
  }
  /** The member this session is connected to right now, when known. */
  get connectedMember(): number | null {
    const at = this.zk.connectedServer;
    return at && this.spec.memberOfPort ? this.spec.memberOfPort(at.port) : null;
  }

  onState(listener: (s: SessionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** A watcher that records what it hears under `via`. */
  watcher(via: WatchVia, watchPath: string): (e: WatchedEvent) => void {
    return (e) => this.record(e, via, watchPath);
  }

  private record(e: WatchedEvent, via: WatchVia, watchPath: string | null): void {
    this.events.push({ seq: this.nextSeq++, at: this.now(), type: eventTypeName(e.type), path: e.path, state: keeperStateName(e.state), via, watchPath });
  }

  /**
   * Cuts this client off: its connection drops and every reconnect attempt fails at once,
   * so the server hears nothing from the session until it expires it (§13.2).
   */
  sever(): void {
    this.severed = true;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  /** Lets the client reach the servers again (it then learns whether its session survived). */
  restore(): void {
    this.severed = false;
  }

  private openSocket(host: string, port: number): Duplex {
    if (this.severed) {
      // A stream that fails at once: the client treats it as a refused connection and retries later.
      const dead = new PassThrough();
      queueMicrotask(() => dead.destroy(new Error('severed by the scenario')));
      return dead;
    }
    const socket: Socket = netConnect({ host, port, noDelay: true });
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    return socket;
  }

  /** Closes the session; a severed client closes locally only (its "process" died: no goodbye reaches the server). */
  async close(): Promise<void> {
    await this.zk.close().catch(() => undefined);
  }
}

/** Every client of one run, by name. */
export class ClientPool {
  private readonly clients = new Map<string, ScenarioClient>();

  constructor(private readonly now: () => number) {}

  get(name: string): ScenarioClient {
    const c = this.clients.get(name);
    if (!c) throw new Error(`there is no client "${name}" (open it first with client.open; open now: ${[...this.clients.keys()].join(', ') || 'none'})`);
    return c;
  }

  has(name: string): boolean {
    return this.clients.has(name);
  }

  names(): string[] {
    return [...this.clients.keys()];
  }

  /** Opens (or replaces) a named client and waits until it is connected. */
  async open(spec: ClientSpec, timeoutMs: number): Promise<ScenarioClient> {
    const old = this.clients.get(spec.name);
    if (old) await old.close();
    const c = new ScenarioClient(spec, this.now);
    this.clients.set(spec.name, c);
    try {
      await c.zk.connect(timeoutMs);
    } catch (e) {
      this.clients.delete(spec.name);
      await c.close();
      throw e;
    }
    return c;
  }

  /** Adds a client without waiting for it (used when a session is taken over). */
  adopt(c: ScenarioClient): void {
    this.clients.set(c.name, c);
  }

  async close(name: string): Promise<void> {
    const c = this.clients.get(name);
    this.clients.delete(name);
    await c?.close();
  }

  async closeAll(): Promise<void> {
    const all = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(all.map((c) => c.close()));
  }
}
