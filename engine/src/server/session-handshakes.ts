/**
 * From a ConnectRequest to an open session (wire-protocol.md §4): runs the pure decision
 * (handshake.ts), then either creates a session — a createSession txn through the
 * replication, the ConnectResponse only once it is applied (§4.2 step 4) — or resumes
 * one: password check against the replicated session record, then the replication
 * revalidates it and renegotiates its timeout (§4.2 step 5). Reading stays paused until
 * the session is ready (§4.2 step 6); the host then runs the frames held meanwhile.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { ZkDatabase } from '../tree/zk-database.js';
import type { ServerConfig } from '../config/server-config.js';
import { PauseReason } from './client-channel.js';
import type { ClientConnection } from './client-connection.js';
import { decideHandshake, EXPIRED_RESPONSE } from './handshake.js';
import { writeConnectResponse } from './replies.js';
import type { Replication } from './replication.js';
import type { ServerStats } from './server-stats.js';
import type { Logger } from './log.js';

/** What the handshakes need from the server. */
export interface HandshakeHost {
  readonly database: ZkDatabase;
  readonly readOnly: boolean;
  readonly stats: ServerStats;
  close(conn: ClientConnection, reason: string): void;
  /** The ConnectResponse is written: register the session on `conn` and run its held frames. */
  opened(conn: ClientConnection): void;
}

export interface HandshakeOptions {
  config: ServerConfig;
  replication: Replication;
  newSessionId(): bigint;
  negotiateTimeout(requested: number): number;
  newPassword?: () => Buffer;
  wallMs(): number;
  log: Logger;
}

function passwordsMatch(expected: Buffer, given: Buffer): boolean {
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export class SessionHandshakes {
  /** Connections waiting for their createSession txn, by the new session id. */
  private readonly creating = new Map<bigint, ClientConnection>();

  constructor(
    private readonly opts: HandshakeOptions,
    private readonly host: HandshakeHost,
  ) {}

  /** The first frame of a connection. */
  begin(conn: ClientConnection, frame: Buffer): void {
    const d = decideHandshake(frame, {
      lastZxid: this.opts.replication.lastAppliedZxid(),
      readOnly: this.host.readOnly,
      negotiateTimeout: this.opts.negotiateTimeout,
      maxBuffer: this.opts.config.juteMaxBuffer,
      staleReadsBug: this.opts.config.zoolab.bugs.includes('staleReads'),
    });
    if (d.action === 'refuse') {
      this.host.stats.unsuccessfulHandshakes++;
      this.opts.log.info(`refusing connection ${conn.channel.remote}: ${d.reason}`);
      return this.host.close(conn, d.reason);
    }
    conn.state = 'handshaking';
    conn.oldClient = d.oldClient;
    conn.readOnlyClient = d.readOnlyClient;
    conn.timeout = d.timeout;
    // Nothing else is read until the session is ready (§4.2 step 6).
    conn.channel.pause(PauseReason.Handshake);
    if (d.action === 'create') return this.create(conn, d.timeout);
    const record = this.host.database.session(d.sessionId);
    if (record === undefined || !passwordsMatch(record.passwd, d.passwd)) {
      return this.refuse(conn, d.sessionId, record === undefined ? 'unknown session' : 'wrong password');
    }
    conn.sessionId = d.sessionId;
    conn.passwd = record.passwd;
    this.opts.replication.revalidate(d.sessionId, d.timeout, (verdict) => {
      if (conn.state !== 'handshaking') return;
      if (verdict === 'valid') return this.finish(conn);
      if (verdict === 'expired') return this.refuse(conn, d.sessionId, 'session expired or closing');
      this.unavailable(conn, `cannot check session 0x${d.sessionId.toString(16)}`);
    });
  }

  private create(conn: ClientConnection, timeout: number): void {
    const db = this.host.database;
    let sid = this.opts.newSessionId();
    // Never reuse the id of a session that is still alive (e.g. restored from disk).
    while (db.session(sid) !== undefined || this.creating.has(sid)) sid = this.opts.newSessionId();
    conn.sessionId = sid;
    conn.passwd = (this.opts.newPassword ?? (() => randomBytes(16)))();
    this.creating.set(sid, conn);
    this.opts.replication.createSession(sid, timeout, conn.passwd);
  }

  /** A createSession txn was applied (replication contract point 2). */
  sessionCreated(sessionId: bigint): void {
    const conn = this.creating.get(sessionId);
    if (conn === undefined) return;
    this.creating.delete(sessionId);
    if (conn.state === 'handshaking') this.finish(conn);
  }

  /**
   * A session created without a txn, or not created at all (replication contract point 3):
   * the member stopped serving read-write before the createSession could be ordered.
   */
  sessionReady(sessionId: bigint, ok: boolean): void {
    const conn = this.creating.get(sessionId);
    if (conn === undefined) return;
    this.creating.delete(sessionId);
    if (conn.state !== 'handshaking') return;
    if (ok) return this.finish(conn);
    this.unavailable(conn, 'its new session could not be created');
  }

  /** The connection closed: it no longer waits for its session. */
  forget(conn: ClientConnection): void {
    if (this.creating.get(conn.sessionId) === conn) this.creating.delete(conn.sessionId);
  }

  /**
   * The member cannot create or check the session now (it stopped serving read-write): the
   * connection is closed without a reply, as ZooKeeper closes its client connections when
   * it stops serving, and the client tries again, elsewhere or later. Never the timeout-0
   * reply: that tells the client its session is gone for good, and it is not.
   */
  private unavailable(conn: ClientConnection, why: string): void {
    this.host.stats.unsuccessfulHandshakes++;
    this.opts.log.info(`closing ${conn.channel.remote}: not serving read-write, ${why}`);
    conn.sessionId = 0n;
    this.host.close(conn, `not serving read-write: ${why}`);
  }

  /** Unknown/expired/closing session or wrong password: timeout 0 reply, then close (§4.2 step 5). */
  private refuse(conn: ClientConnection, sid: bigint, why: string): void {
    this.host.stats.unsuccessfulHandshakes++;
    this.opts.log.info(`refusing session 0x${sid.toString(16)} from ${conn.channel.remote}: ${why}`);
    writeConnectResponse(conn.channel.out, EXPIRED_RESPONSE, conn.oldClient);
    conn.sessionId = 0n;
    this.host.close(conn, why);
  }

  private finish(conn: ClientConnection): void {
    conn.state = 'open';
    conn.established = this.opts.wallMs();
    writeConnectResponse(
      conn.channel.out,
      { timeOut: conn.timeout, sessionId: conn.sessionId, passwd: conn.passwd, readOnly: this.host.readOnly },
      conn.oldClient,
    );
    this.host.stats.packetsSent++;
    conn.stats.sent++;
    conn.stats.lastOp = 'SESS';
    conn.channel.flushSoon();
    this.host.opened(conn);
  }
}
