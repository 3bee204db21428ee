/**
 * Argument checks done on the caller's thread before anything is queued, so a contract
 * breach rejects at once with a clear message and writes nothing. The executors re-check
 * what only they can know (zxids against what is already on disk).
 */
import { counterOf, zxidLabel } from '../jute/zxid.js';
import type { TxnEntry } from '../tree/txn.js';
import { StorageError } from './errors.js';

const MAX_ZXID = (1n << 63n) - 1n;

/** zxids > 0, increasing within the batch, never counter 0 (the (e, 0) marker, zab.md §1.4). */
export function validateEntries(entries: readonly TxnEntry[]): void {
  let prev = 0n;
  for (const e of entries) {
    if (typeof e.zxid !== 'bigint' || e.zxid <= 0n || e.zxid > MAX_ZXID) {
      throw new StorageError('invalid', `cannot log zxid ${String(e.zxid)}: zxids are positive 63-bit values`);
    }
    if (counterOf(e.zxid) === 0) {
      throw new StorageError('invalid', `cannot log zxid ${zxidLabel(e.zxid)}: counter 0 marks a new epoch, no txn has it`);
    }
    if (e.zxid <= prev) {
      throw new StorageError('invalid', `zxids must increase within an append: ${zxidLabel(e.zxid)} after ${zxidLabel(prev)}`);
    }
    prev = e.zxid;
  }
}

/** Epochs are the high 32 bits of a zxid. */
export function validateEpoch(epoch: number): void {
  if (!Number.isInteger(epoch) || epoch < 0 || epoch > 0xffffffff) {
    throw new StorageError('invalid', `epoch ${epoch} is not an integer in 0..2^32-1`);
  }
}

export function validateZxid(zxid: bigint, what: string): void {
  if (typeof zxid !== 'bigint' || zxid < 0n || zxid > MAX_ZXID) {
    throw new StorageError('invalid', `${what}: ${String(zxid)} is not a zxid`);
  }
}

/** The first row zxid that does not come after `last`, or null (executor-side check). */
export function firstNotAfter(rows: readonly { zxid: bigint }[], last: bigint): bigint | null {
  for (const r of rows) {
    if (r.zxid <= last) return r.zxid;
    last = r.zxid;
  }
  return null;
}
