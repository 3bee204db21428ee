/**
 * The crash test's history: an endless, deterministic sequence of txns where each
 * entry is a pure function of its zxid. The child writes a prefix of it; the parent
 * can compute the exact state any prefix must produce, so "nothing half-applied" is
 * checked by comparing digests, not by trusting the child.
 */
import { createHash } from 'node:crypto';
import { OpCode } from '../../../engine/src/jute/opcodes.js';
import { counterOf, epochOf, makeZxid } from '../../../engine/src/jute/zxid.js';
import type { Txn, TxnEntry } from '../../../engine/src/tree/txn.js';
import { applyToMap, type MapDb } from '../../unit/storage-fixtures.js';

/** Txns per epoch before the writer moves to the next one (through appendAndSetCurrentEpoch). */
export const EPOCH_LENGTH = 400;

export const FIRST_ZXID = makeZxid(1, 1);

export function nextZxid(zxid: bigint): bigint {
  if (zxid === 0n) return FIRST_ZXID;
  return counterOf(zxid) >= EPOCH_LENGTH ? makeZxid(epochOf(zxid) + 1, 1) : zxid + 1n;
}

const pathOf = (epoch: number, counter: number): string => `/k/${epoch}-${counter}`;
const create = (path: string, data: string): Txn => ({ op: OpCode.create, path, data: Buffer.from(data), acl: [], ephemeralOwner: 0n });

/** The txn at `zxid`: mostly creates; some multis (3 creates), setData and deletes. */
export function entryAt(zxid: bigint): TxnEntry {
  const e = epochOf(zxid);
  const c = counterOf(zxid);
  let txn: Txn;
  if (c % 7 === 0) {
    txn = { op: OpCode.multi, txns: [0, 1, 2].map((i) => create(`${pathOf(e, c)}/m${i}`, `multi ${e}-${c}-${i}`)) };
  } else if (c % 5 === 0 && c > 1) {
    txn = { op: OpCode.setData, path: pathOf(e, c - 1), data: Buffer.from(`set by ${e}-${c}`), version: -1 };
  } else if (c % 11 === 0 && c > 2) {
    txn = { op: OpCode.delete, path: pathOf(e, c - 2) };
  } else {
    txn = create(pathOf(e, c), `data ${e}-${c} `.repeat(1 + (c % 4)));
  }
  return { zxid, sessionId: 0x55n, cxid: c, time: 1_700_000_000_000 + c, txn };
}

/** Order-independent digest of a database's content. */
export function digest(db: MapDb): string {
  const h = createHash('sha256');
  for (const [k, v] of [...db.nodes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) h.update(`${k}\0${v}\0`);
  return h.digest('hex').slice(0, 16);
}

/** Advances `db` along the history up to and including `target`. */
export function advanceTo(db: MapDb, target: bigint): void {
  for (let zx = nextZxid(db.lastZxid); zx <= target; zx = nextZxid(zx)) applyToMap(db, entryAt(zx));
}
