/**
 * Prep: turns a write request into the transaction every member will apply — pure and
 * deterministic (wire-protocol.md §5, §8–§15; ZooKeeper's PrepRequestProcessor). Runs on
 * the standalone member or the leader; followers forward the same serializable request.
 *
 *   const prep = new Prep(db, { extendedTypesEnabled, skipACL, reconfigEnabled });
 *   const entry = prep.prepare({ sessionId, cxid, op, body, authIds }, zxid, leaderTimeMs);
 *   ...log, replicate, then db.apply(entry) on every member...
 *   prep.committed(entry.zxid);     // after the local apply: drop its pending changes
 *   prep.reset();                   // leadership changed: forget everything pending
 *
 * `prepare` never throws for bad input: a request that fails validation or cannot be
 * decoded becomes an ErrorTxn (MarshallingError for undecodable bodies), which still
 * consumes its zxid (§5). It throws only for a programming error (an opcode that is not
 * a write). Each prepared txn's effects enter the pending-changes overlay so requests
 * prepared behind it, before it is applied, see them.
 *
 * Server entry points besides client requests: `prepareCreateSession`,
 * `prepareCloseSession` (client close or expiry) and `prepareReap` (container/TTL
 * deletion; clients cannot send deleteContainer).
 */
import {
  CheckVersionRequest,
  CreateRequest,
  CreateTTLRequest,
  DeleteRequest,
  Err,
  JuteReader,
  JuteWriter,
  OpCode,
  ProtocolError,
  ReconfigRequest,
  SetACLRequest,
  SetDataRequest,
  type Id,
  type RecordCodec,
} from '../../jute/index.js';
import type { ReapLimits, Txn, TxnEntry, ZkDatabase } from '../../tree/index.js';
import { prepCheck } from './check.js';
import { checkSession, type PrepContext, type PrepOptions } from './context.js';
import { prepCreate } from './create.js';
import { prepDelete } from './delete.js';
import { PrepError } from './errors.js';
import { decodeMulti, prepMulti } from './multi.js';
import { PendingChanges } from './pending-changes.js';
import { prepReap } from './reap.js';
import { prepCloseSession, prepCreateSession } from './session.js';
import { prepSetAcl } from './set-acl.js';
import { prepSetData } from './set-data.js';
import { PrepView } from './view.js';

/** A client write as it reaches the member that prepares txns (the server's WriteRequest). */
export interface PrepRequest {
  sessionId: bigint;
  cxid: number;
  /** The RequestHeader opcode. */
  op: number;
  /** The request record's bytes after the RequestHeader. */
  body: Buffer;
  /** The connection's auth ids (ip, digest, super) when the request arrived. */
  authIds: readonly Id[];
}

export class Prep {
  private readonly pending = new PendingChanges();

  constructor(
    private db: ZkDatabase,
    private readonly options: PrepOptions = {},
  ) {}

  /** Points prep at a replaced database (a follower's SNAP, a restore) and forgets pending changes. */
  setDatabase(db: ZkDatabase): void {
    this.db = db;
    this.pending.reset();
  }

  prepare(req: PrepRequest, zxid: bigint, time: number): TxnEntry {
    return this.run(req.sessionId, req.cxid, req.authIds, zxid, time, (ctx) => this.dispatch(ctx, req));
  }

  /** The createSession txn for a new connection (the server generated id and password, §13.1). */
  prepareCreateSession(sessionId: bigint, timeout: number, passwd: Buffer, zxid: bigint, time: number): TxnEntry {
    return this.run(sessionId, 0, [], zxid, time, (ctx) => prepCreateSession(ctx, timeout, passwd));
  }

  /** The closeSession txn for a client close (opcode -11) or an expiry. */
  prepareCloseSession(sessionId: bigint, zxid: bigint, time: number, cxid = 0): TxnEntry {
    return this.run(sessionId, cxid, [], zxid, time, (ctx) => prepCloseSession(ctx));
  }

  /** The delete of a container/TTL candidate (server-internal, session 0), or an ErrorTxn if it no longer qualifies. */
  prepareReap(path: string, zxid: bigint, time: number, limits: ReapLimits = {}): TxnEntry {
    return this.run(0n, 0, [], zxid, time, (ctx) => prepReap(ctx, path, limits));
  }

  /** The txn with this zxid has been applied locally: its pending changes are now in the database. */
  committed(zxid: bigint): void {
    this.pending.committed(zxid);
  }

  /** Forgets every pending change (leadership change, or prepared txns were abandoned). */
  reset(): void {
    this.pending.reset();
  }

  /** Paths and sessions with pending changes. */
  get pendingCount(): number {
    return this.pending.size;
  }

  private run(
    sessionId: bigint,
    cxid: number,
    authIds: readonly Id[],
    zxid: bigint,
    time: number,
    body: (ctx: PrepContext) => { txn: Txn; publish: boolean } | Txn,
  ): TxnEntry {
    const view = new PrepView(this.db, this.pending);
    const ctx: PrepContext = { view, sessionId, authIds, time, options: this.options };
    let txn: Txn;
    try {
      const out = body(ctx);
      const wrapped = 'publish' in out ? out : { txn: out, publish: true };
      txn = wrapped.txn;
      if (wrapped.publish) view.publish(zxid);
    } catch (e) {
      if (!(e instanceof PrepError)) throw e;
      txn = { op: OpCode.error, err: e.code };
    }
    return { zxid, sessionId, cxid, time, txn };
  }

  private dispatch(ctx: PrepContext, req: PrepRequest): { txn: Txn; publish: boolean } | Txn {
    switch (req.op) {
      case OpCode.create:
      case OpCode.create2:
        return prepCreate(ctx, { ...decode(CreateRequest, req.body), ttl: -1n }, 'create');
      case OpCode.createContainer:
        return prepCreate(ctx, { ...decode(CreateRequest, req.body), ttl: -1n }, 'container');
      case OpCode.createTTL:
        return prepCreate(ctx, decode(CreateTTLRequest, req.body), 'ttl');
      // These check the session before decoding, as ZooKeeper does.
      case OpCode.delete:
        checkSession(ctx);
        return prepDelete(ctx, decode(DeleteRequest, req.body));
      case OpCode.setData:
        checkSession(ctx);
        return prepSetData(ctx, decode(SetDataRequest, req.body));
      case OpCode.setACL:
        checkSession(ctx);
        return prepSetAcl(ctx, decode(SetACLRequest, req.body));
      case OpCode.check:
        checkSession(ctx);
        return prepCheck(ctx, decode(CheckVersionRequest, req.body));
      case OpCode.multi: {
        const { txn, ok } = prepMulti(ctx, decodeMulti(req.body));
        return { txn, publish: ok };
      }
      case OpCode.reconfig:
        // ZooKeeper decodes the request first: an undecodable one is MarshallingError even
        // when reconfig is disabled (found by the compat fuzz test).
        decode(ReconfigRequest, req.body);
        if (!ctx.options.reconfigEnabled) throw new PrepError(Err.ReconfigDisabled);
        checkSession(ctx);
        // Dynamic reconfiguration is not implemented (ZooKeeper answers the same in standalone).
        throw new PrepError(Err.Unimplemented);
      case OpCode.deleteContainer:
        // Server-internal only: a client-sent one is meaningless (§18); see prepareReap.
        throw new PrepError(Err.BadArguments);
      case OpCode.createSession: {
        const { timeout, passwd } = decodeCreateSessionBody(req.body);
        return prepCreateSession(ctx, timeout, passwd);
      }
      case OpCode.closeSession:
        return prepCloseSession(ctx);
      default:
        throw new TypeError(`prep: opcode ${req.op} is not a write request`);
    }
  }
}

/** Decodes a request record; undecodable bytes are a MarshallingError (§5). */
function decode<T>(codec: RecordCodec<T>, body: Buffer): T {
  try {
    return codec.decode(body);
  } catch (e) {
    if (e instanceof ProtocolError) throw new PrepError(Err.MarshallingError);
    throw e;
  }
}

/**
 * The body of a forwarded createSession request (opcode -10): int timeout + buffer
 * passwd. ZooLab's own encoding, for followers forwarding session creation to the leader.
 */
export function encodeCreateSessionBody(timeout: number, passwd: Buffer): Buffer {
  const w = new JuteWriter(32);
  w.int(timeout).buffer(passwd);
  return Buffer.from(w.toBuffer());
}

export function decodeCreateSessionBody(body: Buffer): { timeout: number; passwd: Buffer } {
  try {
    const r = new JuteReader(body);
    r.context('CreateSession', 'timeout');
    const timeout = r.int();
    r.context('CreateSession', 'passwd');
    return { timeout, passwd: r.buffer() ?? Buffer.alloc(0) };
  } catch (e) {
    if (e instanceof ProtocolError) throw new PrepError(Err.MarshallingError);
    throw e;
  }
}
