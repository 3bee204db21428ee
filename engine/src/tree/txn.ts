/**
 * Transactions: the only way the data tree changes. Prep (on the leader, or the
 * standalone member) turns a request into a Txn; the log stores it; every member applies
 * it with `DataTree.apply`, deterministically. One definition, one encoding, used by the
 * log, the snapshots, the peer protocol and the simulator.
 *
 * The shapes follow ZooKeeper's txn.jute in spirit, not byte for byte: our log is our own.
 * `time` is the leader's wall clock at prep time (it becomes ctime/mtime everywhere).
 */
import { ACL, OpCode, JuteReader, JuteWriter, type ACL as AclT } from '../jute/index.js';

export type CreateTxn = {
  op: typeof OpCode.create;
  path: string;
  data: Buffer | null;
  acl: AclT[];
  /** 0 persistent; a session id for ephemerals; the container marker; or the TTL encoding (§10.3). */
  ephemeralOwner: bigint;
};
export type DeleteTxn = { op: typeof OpCode.delete; path: string };
/** `version` is the node's version AFTER the write (prep computed current + 1, as ZooKeeper's SetDataTxn). */
export type SetDataTxn = { op: typeof OpCode.setData; path: string; data: Buffer | null; version: number };
/** `version` is the node's aversion AFTER the write (current + 1). */
export type SetACLTxn = { op: typeof OpCode.setACL; path: string; acl: AclT[]; version: number };
/**
 * A `check` (inside a multi, or standalone §14.3) that passed at prep: it changes nothing
 * but keeps its place in the results. `version` is the version that was checked.
 */
export type CheckTxn = { op: typeof OpCode.check; path: string; version: number };
export type MultiTxn = { op: typeof OpCode.multi; txns: Txn[] };
export type CreateSessionTxn = { op: typeof OpCode.createSession; timeout: number; passwd: Buffer };
/** Deletes every ephemeral the session owns at apply time, in path order (deterministic). */
export type CloseSessionTxn = { op: typeof OpCode.closeSession };
/** A failed write still consumes a zxid (wire-protocol.md §5); inside a multi it marks the failing op. */
export type ErrorTxn = { op: typeof OpCode.error; err: number };

export type Txn =
  | CreateTxn
  | DeleteTxn
  | SetDataTxn
  | SetACLTxn
  | CheckTxn
  | MultiTxn
  | CreateSessionTxn
  | CloseSessionTxn
  | ErrorTxn;

/** A transaction with its header: who asked, in which order, and when. */
export interface TxnEntry {
  zxid: bigint;
  /** The session the request came from (0 for server-internal txns such as container reaping). */
  sessionId: bigint;
  /** The client's xid, so the member that owns the connection can match its reply. */
  cxid: number;
  /** Milliseconds since the epoch, read by the leader when it prepared the txn. */
  time: number;
  txn: Txn;
}

function writeAcls(w: JuteWriter, acl: AclT[]): void {
  w.int(acl.length);
  for (const a of acl) ACL.write(w, a);
}
function readAcls(r: JuteReader): AclT[] {
  const n = r.count();
  const out: AclT[] = [];
  for (let i = 0; i < n; i++) out.push(ACL.read(r));
  return out;
}

export function writeTxn(w: JuteWriter, txn: Txn): void {
  w.int(txn.op);
  switch (txn.op) {
    case OpCode.create:
      w.ustring(txn.path).buffer(txn.data);
      writeAcls(w, txn.acl);
      w.long(txn.ephemeralOwner);
      return;
    case OpCode.delete:
      w.ustring(txn.path);
      return;
    case OpCode.setData:
      w.ustring(txn.path).buffer(txn.data).int(txn.version);
      return;
    case OpCode.setACL:
      w.ustring(txn.path);
      writeAcls(w, txn.acl);
      w.int(txn.version);
      return;
    case OpCode.check:
      w.ustring(txn.path).int(txn.version);
      return;
    case OpCode.multi:
      w.int(txn.txns.length);
      for (const t of txn.txns) writeTxn(w, t);
      return;
    case OpCode.createSession:
      w.int(txn.timeout).buffer(txn.passwd);
      return;
    case OpCode.closeSession:
      return;
    case OpCode.error:
      w.int(txn.err);
      return;
  }
}

export function readTxn(r: JuteReader): Txn {
  r.context('Txn', 'op');
  const op = r.int();
  switch (op) {
    case OpCode.create: {
      const path = r.ustring();
      const data = r.buffer();
      const acl = readAcls(r);
      return { op, path, data, acl, ephemeralOwner: r.long() };
    }
    case OpCode.delete:
      return { op, path: r.ustring() };
    case OpCode.setData: {
      const path = r.ustring();
      const data = r.buffer();
      return { op, path, data, version: r.int() };
    }
    case OpCode.setACL: {
      const path = r.ustring();
      const acl = readAcls(r);
      return { op, path, acl, version: r.int() };
    }
    case OpCode.check:
      return { op, path: r.ustring(), version: r.int() };
    case OpCode.multi: {
      const n = r.count();
      const txns: Txn[] = [];
      for (let i = 0; i < n; i++) txns.push(readTxn(r));
      return { op, txns };
    }
    case OpCode.createSession: {
      const timeout = r.int();
      return { op, timeout, passwd: r.buffer() ?? Buffer.alloc(0) };
    }
    case OpCode.closeSession:
      return { op };
    case OpCode.error:
      return { op, err: r.int() };
    default:
      return r.fail(`unknown transaction type ${op}`);
  }
}

export function writeTxnEntry(w: JuteWriter, e: TxnEntry): void {
  w.long(e.zxid).long(e.sessionId).int(e.cxid).longFromNumber(e.time);
  writeTxn(w, e.txn);
}

export function readTxnEntry(r: JuteReader): TxnEntry {
  r.context('TxnEntry', 'header');
  const zxid = r.long();
  const sessionId = r.long();
  const cxid = r.int();
  const time = Number(r.long());
  return { zxid, sessionId, cxid, time, txn: readTxn(r) };
}

/** Encodes one entry into a fresh buffer (log rows, peer messages). */
export function encodeTxnEntry(e: TxnEntry): Buffer {
  const w = new JuteWriter(128);
  writeTxnEntry(w, e);
  return Buffer.from(w.toBuffer());
}

/** Decodes one entry; transaction payloads are not bounded by the client's jute.maxbuffer. */
export function decodeTxnEntry(buf: Buffer): TxnEntry {
  return readTxnEntry(new JuteReader(buf, 0, buf.length, 0x7fffffff));
}
