/**
 * Drives a ZkServer + StandaloneReplication without sockets: fake channels capture
 * frames, a manual TxnLog decides when appends become durable, manual timers drive
 * expiry. Everything else is the real thing (ZkDatabase, Prep, WatchManager,
 * SessionTracker), wired as the member wires it.
 */
import { OutputBuffer } from '../../../engine/src/server/output-buffer.js';
import { PauseReason, type ChannelHandler, type ClientChannel } from '../../../engine/src/server/client-channel.js';
import { ZkServer } from '../../../engine/src/server/zk-server.js';
import { StandaloneReplication } from '../../../engine/src/server/standalone-replication.js';
import { ManualTimers } from '../../../engine/src/server/timers.js';
import { SILENT_LOGGER } from '../../../engine/src/server/log.js';
import type { ClientConnection } from '../../../engine/src/server/client-connection.js';
import { preparer, sessionTracker, defaultCoreParts } from '../../../engine/src/member/core-parts.js';
import { WatchManager } from '../../../engine/src/watches/index.js';
import type { SessionTracker } from '../../../engine/src/sessions/index.js';
import { parseZooCfg } from '../../../engine/src/config/parse-zoo-cfg.js';
import type { ServerConfig } from '../../../engine/src/config/server-config.js';
import { ZkDatabase } from '../../../engine/src/tree/zk-database.js';
import type { TxnEntry } from '../../../engine/src/tree/txn.js';
import type { TxnLog } from '../../../engine/src/storage/contracts.js';
import { CreateRequest, ConnectRequest, JuteWriter } from '../../../engine/src/jute/index.js';

export class FakeChannel implements ClientChannel {
  readonly out = new OutputBuffer();
  isClosed = false;
  closeReason: string | null = null;
  paused = 0;
  private received: Buffer[] = [];
  handler: ChannelHandler | null = null;

  constructor(
    readonly remoteIp = '127.0.0.1',
    readonly remote = `/${remoteIp}:40000`,
  ) {}

  flushSoon(): void {
    const b = this.out.take();
    if (b) this.received.push(Buffer.from(b));
  }
  close(reason: string): void {
    if (this.isClosed) return;
    this.flushSoon();
    this.isClosed = true;
    this.closeReason = reason;
    this.handler?.closed();
  }
  pause(r: PauseReason): void {
    this.paused |= r;
  }
  resume(r: PauseReason): void {
    this.paused &= ~r;
  }
  interestOps(): number {
    return this.paused === 0 ? 1 : 0;
  }
  /** Sends one frame payload to the server. */
  send(payload: Buffer): void {
    this.handler!.frame(payload);
  }
  /** Frames the server wrote since the last call (payloads, without length). */
  frames(): Buffer[] {
    this.flushSoon();
    const all = Buffer.concat(this.received);
    this.received = [];
    const out: Buffer[] = [];
    for (let at = 0; at < all.length; ) {
      const n = all.readInt32BE(at);
      out.push(all.subarray(at + 4, at + 4 + n));
      at += 4 + n;
    }
    return out;
  }
}

/** A TxnLog whose appends become durable only when the test says so. */
export class ManualLog implements TxnLog {
  private pending: { entries: readonly TxnEntry[]; resolve: () => void }[] = [];
  readonly durable: TxnEntry[] = [];
  append(entries: readonly TxnEntry[]): Promise<void> {
    return new Promise((resolve) => this.pending.push({ entries, resolve }));
  }
  /** Makes every pending append durable, in order. */
  flush(): number {
    const p = this.pending;
    this.pending = [];
    for (const { entries, resolve } of p) {
      this.durable.push(...entries);
      resolve();
    }
    return p.length;
  }
  get pendingAppends(): number {
    return this.pending.length;
  }
  read(): TxnEntry[] {
    return [...this.durable];
  }
  async truncateAfter(): Promise<void> {}
  lastZxid(): bigint {
    return this.durable.at(-1)?.zxid ?? 0n;
  }
  firstZxid(): bigint {
    return this.durable[0]?.zxid ?? 0n;
  }
}

export interface Harness {
  server: ZkServer;
  replication: StandaloneReplication;
  db: ZkDatabase;
  log: ManualLog;
  timers: ManualTimers;
  sessions: SessionTracker;
  config: ServerConfig;
  connect(ip?: string): FakeChannel;
  /** Lets the replication hand its batch to the log (one event-loop turn). */
  turn(): Promise<void>;
  /** Makes pending appends durable and lets them apply. */
  commit(): Promise<void>;
}

let nextSessionId = 0x0100000000010000n;

export function harness(cfg = ''): Harness {
  const config = parseZooCfg(`tickTime=2000\ndataDir=/unused\nclientPort=0\n${cfg}`);
  const db = new ZkDatabase();
  const log = new ManualLog();
  const timers = new ManualTimers();
  const sessions = sessionTracker(config, () => timers.monotonic());
  const replication = new StandaloneReplication({
    db,
    log,
    prep: preparer(db, config, sessions),
    sessions,
    timers,
    tickTime: config.tickTime,
    logger: SILENT_LOGGER,
    onFatal: (e) => {
      throw e;
    },
  });
  const server = new ZkServer({
    config,
    db,
    replication,
    watches: new WatchManager<ClientConnection>(),
    acl: defaultCoreParts.acl,
    newSessionId: () => nextSessionId++,
    negotiateTimeout: defaultCoreParts.negotiateTimeout(config),
    log: SILENT_LOGGER,
    newPassword: () => Buffer.alloc(16, 7),
  });
  replication.start(server);
  const turn = () => new Promise<void>((r) => setImmediate(r));
  return {
    server,
    replication,
    db,
    log,
    timers,
    sessions,
    config,
    connect(ip = '127.0.0.1') {
      const ch = new FakeChannel(ip);
      ch.handler = server.attach(ch);
      return ch;
    },
    turn,
    async commit() {
      await turn();
      log.flush();
      await turn();
    },
  };
}

// ---------------------------------------------------------------- frame builders

export function connectRequest(o: { lastZxidSeen?: bigint; timeOut?: number; sessionId?: bigint; passwd?: Buffer; readOnly?: boolean } = {}): Buffer {
  return ConnectRequest.encode({
    protocolVersion: 0,
    lastZxidSeen: o.lastZxidSeen ?? 0n,
    timeOut: o.timeOut ?? 30000,
    sessionId: o.sessionId ?? 0n,
    passwd: o.passwd ?? Buffer.alloc(16),
    readOnly: 'readOnly' in o ? o.readOnly : false,
  });
}

export function request(xid: number, op: number, body: Buffer = Buffer.alloc(0)): Buffer {
  return Buffer.concat([new JuteWriter(8).int(xid).int(op).toBuffer(), body]);
}

export function createBody(path: string, data = 'x'): Buffer {
  return CreateRequest.encode({ path, data: Buffer.from(data), acl: [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }], flags: 0 });
}

export function pathWatchBody(path: string, watch: boolean): Buffer {
  return new JuteWriter(32).ustring(path).bool(watch).toBuffer();
}

/** ReplyHeader of a reply frame. */
export function header(frame: Buffer): { xid: number; zxid: bigint; err: number } {
  return { xid: frame.readInt32BE(0), zxid: frame.readBigInt64BE(4), err: frame.readInt32BE(12) };
}
