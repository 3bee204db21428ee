/**
 * A small request preparer for the simulator, standing in until the server's Prep
 * (engine/src/server/prep) is available: create / setData / delete with version checks,
 * createSession and closeSession, validated against the database plus the changes still
 * in flight (PrepRequestProcessor's outstanding-changes overlay). Enough for the
 * simulator's workload; anything else becomes an Unimplemented error txn.
 */
import { CreateRequest, DeleteRequest, Err, OpCode, SetDataRequest } from '../../engine/src/jute/index.js';
import type { ClientRequest, RequestPreparer } from '../../engine/src/quorum/contracts.js';
import type { Txn, TxnEntry } from '../../engine/src/tree/txn.js';
import type { ZkDatabase } from '../../engine/src/tree/zk-database.js';

interface NodeView {
  exists: boolean;
  version: number;
  owner: bigint;
}

interface Change extends NodeView {
  zxid: bigint;
}

class Refusal {
  constructor(readonly err: number) {}
}

export class StandInPrep implements RequestPreparer {
  private readonly overlay = new Map<string, Change>();

  constructor(private readonly db: () => ZkDatabase) {}

  private view(path: string): NodeView {
    const c = this.overlay.get(path);
    if (c) return c;
    const stat = this.db().tree.stat(path);
    return stat ? { exists: true, version: stat.version, owner: stat.ephemeralOwner } : { exists: false, version: -1, owner: 0n };
  }

  private change(path: string, zxid: bigint, v: NodeView): void {
    this.overlay.set(path, { ...v, zxid });
  }

  prepare(req: ClientRequest, zxid: bigint, timeMs: number): TxnEntry {
    const head = { zxid, sessionId: req.sessionId, cxid: req.cxid, time: timeMs };
    try {
      return { ...head, txn: this.txnFor(req, zxid) };
    } catch (e) {
      if (e instanceof Refusal) return { ...head, txn: { op: OpCode.error, err: e.err } };
      return { ...head, txn: { op: OpCode.error, err: Err.MarshallingError } };
    }
  }

  private txnFor(req: ClientRequest, zxid: bigint): Txn {
    switch (req.op) {
      case OpCode.create: {
        const r = CreateRequest.decode(req.body);
        if (this.view(r.path).exists) throw new Refusal(Err.NodeExists);
        const owner = r.flags === 1 ? req.sessionId : 0n;
        this.change(r.path, zxid, { exists: true, version: 0, owner });
        return { op: OpCode.create, path: r.path, data: r.data, acl: r.acl, ephemeralOwner: owner };
      }
      case OpCode.setData: {
        const r = SetDataRequest.decode(req.body);
        const v = this.view(r.path);
        if (!v.exists) throw new Refusal(Err.NoNode);
        if (r.version !== -1 && r.version !== v.version) throw new Refusal(Err.BadVersion);
        this.change(r.path, zxid, { ...v, version: v.version + 1 });
        return { op: OpCode.setData, path: r.path, data: r.data, version: v.version + 1 };
      }
      case OpCode.delete: {
        const r = DeleteRequest.decode(req.body);
        const v = this.view(r.path);
        if (!v.exists) throw new Refusal(Err.NoNode);
        if (r.version !== -1 && r.version !== v.version) throw new Refusal(Err.BadVersion);
        this.change(r.path, zxid, { exists: false, version: -1, owner: 0n });
        return { op: OpCode.delete, path: r.path };
      }
      case OpCode.closeSession:
        this.closing(req.sessionId, zxid);
        return { op: OpCode.closeSession };
      default:
        throw new Refusal(Err.Unimplemented);
    }
  }

  /** closeSession deletes the session's ephemerals: reflect that in the overlay. */
  private closing(sessionId: bigint, zxid: bigint): void {
    for (const path of this.db().tree.getEphemerals(sessionId)) this.change(path, zxid, { exists: false, version: -1, owner: 0n });
    for (const [path, c] of this.overlay) {
      if (c.exists && c.owner === sessionId) this.change(path, zxid, { exists: false, version: -1, owner: 0n });
    }
  }

  createSession(sessionId: bigint, timeoutMs: number, passwd: Buffer, zxid: bigint, timeMs: number): TxnEntry {
    return { zxid, sessionId, cxid: 0, time: timeMs, txn: { op: OpCode.createSession, timeout: timeoutMs, passwd } };
  }

  closeSession(sessionId: bigint, zxid: bigint, timeMs: number): TxnEntry {
    this.closing(sessionId, zxid);
    return { zxid, sessionId, cxid: 0, time: timeMs, txn: { op: OpCode.closeSession } };
  }

  committed(zxid: bigint): void {
    for (const [path, c] of this.overlay) if (c.zxid <= zxid) this.overlay.delete(path);
  }

  reset(): void {
    this.overlay.clear();
  }
}
