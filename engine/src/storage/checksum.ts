/**
 * CRC32 (IEEE, the zlib one) for log rows and snapshots. node:zlib has it natively since
 * Node 20.15 / 22.2 (package.json requires ≥ 20.19). It detects every single-bit flip and
 * every burst up to 32 bits; it is not a defence against deliberate tampering.
 */
import { crc32 } from 'node:zlib';
import { JuteReader, JuteWriter, hex } from '../jute/index.js';
import { encodeTxnEntry, readTxnEntry, writeTxnEntry, type TxnEntry } from '../tree/txn.js';
import type { RawLogRow } from './contracts.js';

/** CRC32 of `bytes`, continuing from `previous` (for data that arrives in pieces). */
export function crc32Of(bytes: Uint8Array, previous = 0): number {
  return crc32(bytes, previous) >>> 0;
}

/** Encodes an entry as a log row (on the member's main thread, before it goes to the writer). */
export function toLogRow(entry: TxnEntry): RawLogRow {
  const bytes = encodeTxnEntry(entry);
  return { zxid: entry.zxid, bytes, crc: crc32Of(bytes) };
}

/**
 * Encodes entries as log rows into ONE buffer (each row a view of it): one allocation per
 * append instead of two per entry. The rows are copied on their way to the writer.
 */
export function toLogRows(entries: readonly TxnEntry[]): RawLogRow[] {
  const w = new JuteWriter(Math.max(256, entries.length * 192));
  const ends: number[] = [];
  for (const e of entries) {
    writeTxnEntry(w, e);
    ends.push(w.offset);
  }
  const all = w.toBuffer();
  let start = 0;
  return entries.map((e, i) => {
    const bytes = all.subarray(start, ends[i]);
    start = ends[i]!;
    return { zxid: e.zxid, bytes, crc: crc32Of(bytes) };
  });
}

export type RowCheck = { ok: true; entry: TxnEntry } | { ok: false; problem: string };

/**
 * Verifies a stored row: checksum, then a full decode with no bytes left over, then the
 * decoded zxid against the row's key. Never throws.
 */
export function checkRow(row: RawLogRow): RowCheck {
  if (crc32Of(row.bytes) !== row.crc) return { ok: false, problem: 'checksum mismatch' };
  try {
    const r = new JuteReader(row.bytes, 0, row.bytes.length, 0x7fffffff);
    const entry = readTxnEntry(r);
    if (r.remaining() !== 0) return { ok: false, problem: `${r.remaining()} stray bytes after the entry` };
    if (entry.zxid !== row.zxid) return { ok: false, problem: `entry says zxid ${hex(entry.zxid)}, row key says ${hex(row.zxid)}` };
    return { ok: true, entry };
  } catch (e) {
    return { ok: false, problem: `undecodable entry (${(e as Error).message})` };
  }
}
