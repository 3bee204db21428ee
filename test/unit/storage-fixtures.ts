/**
 * Fixtures for the storage tests: txn entries with predictable zxids, and a trivial
 * stand-in database (a Map keyed by path) with apply/serialize/deserialize, so storage
 * is tested without the tree's internals.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpCode } from '../../engine/src/jute/opcodes.js';
import { makeZxid } from '../../engine/src/jute/zxid.js';
import type { RecoveryFns } from '../../engine/src/storage/recovery.js';
import type { Txn, TxnEntry } from '../../engine/src/tree/txn.js';

export const z = (epoch: number, counter: number): bigint => makeZxid(epoch, counter);

/** A create of `/n<counter>` (or `path`) holding `data`, at (epoch, counter). */
export function entry(epoch: number, counter: number, path = `/n${epoch}-${counter}`, data = `v${epoch}-${counter}`): TxnEntry {
  return {
    zxid: z(epoch, counter),
    sessionId: 0x10n,
    cxid: counter,
    time: 1_700_000_000_000 + counter,
    txn: { op: OpCode.create, path, data: Buffer.from(data), acl: [], ephemeralOwner: 0n },
  };
}

/** Entries (epoch, from) .. (epoch, to). */
export function entries(epoch: number, from: number, to: number): TxnEntry[] {
  const out: TxnEntry[] = [];
  for (let c = from; c <= to; c++) out.push(entry(epoch, c));
  return out;
}

/** The stand-in database: path → data, plus the last applied zxid. */
export interface MapDb {
  nodes: Map<string, string>;
  lastZxid: bigint;
}

function applyTxn(db: MapDb, txn: Txn): void {
  switch (txn.op) {
    case OpCode.create:
    case OpCode.setData:
      db.nodes.set(txn.path, txn.data?.toString() ?? '');
      return;
    case OpCode.delete:
      db.nodes.delete(txn.path);
      return;
    case OpCode.multi:
      for (const t of txn.txns) applyTxn(db, t);
      return;
    default:
      return;
  }
}

export function applyToMap(db: MapDb, e: TxnEntry): void {
  if (e.zxid <= db.lastZxid) throw new Error(`applied out of order: ${e.zxid} after ${db.lastZxid}`);
  applyTxn(db, e.txn);
  db.lastZxid = e.zxid;
}

export function serializeMap(db: MapDb): Buffer {
  return Buffer.from(JSON.stringify({ lastZxid: String(db.lastZxid), nodes: [...db.nodes] }));
}

export function deserializeMap(bytes: Buffer): MapDb {
  const o = JSON.parse(bytes.toString()) as { lastZxid: string; nodes: [string, string][] };
  return { lastZxid: BigInt(o.lastZxid), nodes: new Map(o.nodes) };
}

export const mapFns: RecoveryFns<MapDb> = {
  empty: () => ({ nodes: new Map(), lastZxid: 0n }),
  deserialize: (bytes) => deserializeMap(bytes),
  apply: applyToMap,
};

/** A fresh temporary directory and its cleanup. */
export function tempDir(prefix = 'zoolab-storage-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
