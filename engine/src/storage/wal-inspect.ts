/**
 * Reads a SQLite -wal file the way SQLite's recovery does (walIndexRecover), before
 * SQLite opens it, to REPORT what SQLite would silently drop:
 *
 * - a torn tail: a partial last frame, or frames of a transaction that never got its
 *   commit frame (kill -9 mid-write). Nothing acknowledged is lost: an append resolves
 *   only after its commit frame was written and fsynced. Reported as a warning.
 * - a damaged frame (checksum mismatch) followed by more committed transactions: SQLite
 *   would stop at the damage and drop those commits, i.e. acknowledged writes. Refused
 *   unless the operator accepts the loss.
 *
 * Format (sqlite.org/fileformat2.html, "WAL file format"): a 32-byte header (magic,
 * version, page size, checkpoint seq, salt-1, salt-2, checksum-1, checksum-2), then
 * frames of a 24-byte header (page number, db size after commit or 0, salt-1, salt-2,
 * checksum-1, checksum-2) + one page. Checksums chain from the header through every
 * frame; the magic's low bit gives the checksum word order. Frames whose salt differs
 * from the header's are left over from before a WAL reset: normal, ignored.
 * Pure over the bytes.
 */
const HEADER = 32;
const FRAME_HEADER = 24;
const MAGIC_LE = 0x377f0682;
const MAGIC_BE = 0x377f0683;

export interface WalScan {
  /** False when the header itself is unreadable: SQLite then ignores the whole file. */
  headerValid: boolean;
  pageSize: number;
  /** Frames SQLite will use (through the last commit of the unbroken valid chain). */
  usedFrames: number;
  usedCommits: number;
  /** Valid frames after the last commit: a transaction that never committed. */
  uncommittedFrames: number;
  /** Bytes at the end too short to be a frame. */
  partialBytes: number;
  /** Index of the first current-generation frame whose checksum fails, or null. */
  damagedFrame: number | null;
  /** Commit frames of the current generation after the damage: committed txns SQLite would drop. */
  commitsAfterDamage: number;
  /** Frames from before the last WAL reset (other salt). */
  staleFrames: number;
}

function checksum(buf: Buffer, start: number, end: number, bigEndian: boolean, s0: number, s1: number): [number, number] {
  for (let i = start; i < end; i += 8) {
    const x0 = bigEndian ? buf.readUInt32BE(i) : buf.readUInt32LE(i);
    const x1 = bigEndian ? buf.readUInt32BE(i + 4) : buf.readUInt32LE(i + 4);
    s0 = (s0 + x0 + s1) >>> 0;
    s1 = (s1 + x1 + s0) >>> 0;
  }
  return [s0, s1];
}

const EMPTY: WalScan = {
  headerValid: true,
  pageSize: 0,
  usedFrames: 0,
  usedCommits: 0,
  uncommittedFrames: 0,
  partialBytes: 0,
  damagedFrame: null,
  commitsAfterDamage: 0,
  staleFrames: 0,
};

export function scanWal(wal: Buffer): WalScan {
  if (wal.length < HEADER) return { ...EMPTY, partialBytes: wal.length };
  const magic = wal.readUInt32BE(0);
  const pageSize = wal.readUInt32BE(8);
  const validPageSize = pageSize >= 512 && pageSize <= 65536 && (pageSize & (pageSize - 1)) === 0;
  const bigEndian = magic === MAGIC_BE;
  const frameSize = FRAME_HEADER + (validPageSize ? pageSize : 4096);
  const salt1 = wal.readUInt32BE(16);
  const salt2 = wal.readUInt32BE(20);
  const [h0, h1] = checksum(wal, 0, 24, bigEndian, 0, 0);
  const headerValid =
    (magic === MAGIC_LE || magic === MAGIC_BE) && validPageSize && h0 === wal.readUInt32BE(24) && h1 === wal.readUInt32BE(28);

  const frames = Math.floor((wal.length - HEADER) / frameSize);
  const scan: WalScan = { ...EMPTY, headerValid, pageSize, partialBytes: (wal.length - HEADER) % frameSize };
  // `seed` chains from the previous frame's STORED checksum, so a frame after a damaged
  // one can still be recognized as a well-formed frame of this generation.
  let seed: [number, number] = [wal.readUInt32BE(24), wal.readUInt32BE(28)];
  let chainIntact = headerValid;
  let validSinceCommit = 0;
  for (let f = 0; f < frames; f++) {
    const at = HEADER + f * frameSize;
    const current = wal.readUInt32BE(at + 8) === salt1 && wal.readUInt32BE(at + 12) === salt2;
    if (!current) {
      scan.staleFrames++;
      chainIntact = false;
      continue;
    }
    let sum = checksum(wal, at, at + 8, bigEndian, seed[0], seed[1]);
    sum = checksum(wal, at + FRAME_HEADER, at + frameSize, bigEndian, sum[0], sum[1]);
    const stored: [number, number] = [wal.readUInt32BE(at + 16), wal.readUInt32BE(at + 20)];
    const ok = sum[0] === stored[0] && sum[1] === stored[1] && wal.readUInt32BE(at) !== 0;
    const commit = wal.readUInt32BE(at + 4) !== 0;
    seed = stored;
    if (chainIntact && ok) {
      validSinceCommit++;
      if (commit) {
        scan.usedFrames += validSinceCommit;
        scan.usedCommits++;
        validSinceCommit = 0;
      }
      continue;
    }
    if (!ok && scan.damagedFrame === null && chainIntact) scan.damagedFrame = f;
    chainIntact = false;
    if (ok && commit && (scan.damagedFrame !== null || !headerValid)) scan.commitsAfterDamage++;
  }
  scan.uncommittedFrames = validSinceCommit;
  return scan;
}

/** True when SQLite would drop committed (acknowledged) transactions. */
export function walLosesCommits(scan: WalScan): boolean {
  return scan.commitsAfterDamage > 0;
}

/** One line for the operator, or null when the WAL is clean. */
export function describeWal(file: string, scan: WalScan): { level: 'warn' | 'error'; message: string } | null {
  if (!scan.headerValid && scan.commitsAfterDamage > 0) {
    return { level: 'error', message: `${file}: WAL header is damaged; SQLite would ignore ${scan.commitsAfterDamage} committed transactions in it` };
  }
  if (scan.damagedFrame !== null) {
    const lost = scan.commitsAfterDamage;
    return {
      level: lost > 0 ? 'error' : 'warn',
      message:
        lost > 0
          ? `${file}: WAL frame ${scan.damagedFrame} fails its checksum and ${lost} committed transactions follow it; SQLite would drop them`
          : `${file}: WAL frame ${scan.damagedFrame} fails its checksum in the last, uncommitted transaction; it is ignored (torn tail)`,
    };
  }
  if (scan.uncommittedFrames > 0 || scan.partialBytes > 0) {
    return {
      level: 'warn',
      message: `${file}: WAL ends with an unfinished transaction (${scan.uncommittedFrames} frames${scan.partialBytes ? ` + ${scan.partialBytes} bytes of a partial frame` : ''}); it was never acknowledged and is ignored (torn tail)`,
    };
  }
  return null;
}
