/**
 * Where a member's files live (docs/storage.md "Files").
 *
 * - dataLogDir = dataDir (the default): ONE file, `zoolab.db`, holding the log, the
 *   epochs and the snapshots.
 * - dataLogDir ≠ dataDir (ZooKeeper's advice: the log on its own fast disk):
 *   `<dataLogDir>/zoolab-txnlog.db` holds the log AND the epochs, and
 *   `<dataDir>/zoolab-snapshots.db` the snapshots.
 *
 * The epochs live with the log, not with the snapshots as ZooKeeper's epoch files do,
 * because ZAB sync must append txns and set currentEpoch in one atomic step
 * (ZOOKEEPER-2354) — and SQLite in WAL mode commits atomically only within one file.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { StorageError } from './errors.js';

export type FileRole = 'combined' | 'txnlog' | 'snapshots';

export interface StorePaths {
  split: boolean;
  /** The file holding the log and the epochs. */
  logFile: string;
  /** The file holding the snapshots (the same path when not split). */
  snapshotFile: string;
  logRole: FileRole;
  snapshotRole: FileRole;
}

export const COMBINED_FILE = 'zoolab.db';
export const LOG_FILE = 'zoolab-txnlog.db';
export const SNAPSHOT_FILE = 'zoolab-snapshots.db';

export function storePaths(dataDir: string, dataLogDir: string = dataDir): StorePaths {
  const data = resolve(dataDir);
  const log = resolve(dataLogDir);
  if (data === log) {
    const file = join(data, COMBINED_FILE);
    return { split: false, logFile: file, snapshotFile: file, logRole: 'combined', snapshotRole: 'combined' };
  }
  return {
    split: true,
    logFile: join(log, LOG_FILE),
    snapshotFile: join(data, SNAPSHOT_FILE),
    logRole: 'txnlog',
    snapshotRole: 'snapshots',
  };
}

/**
 * Refuses a layout change between runs (dataLogDir added or removed): opening would
 * start an empty history beside the real one.
 */
export function checkLayout(dataDir: string, dataLogDir: string = dataDir): void {
  const paths = storePaths(dataDir, dataLogDir);
  const data = resolve(dataDir);
  const log = resolve(dataLogDir);
  if (!paths.split) {
    for (const other of [LOG_FILE, SNAPSHOT_FILE]) {
      if (existsSync(join(data, other))) {
        throw new StorageError(
          'format',
          `${join(data, other)} exists: this data was written with a separate dataLogDir; configure the same dataLogDir again`,
        );
      }
    }
    return;
  }
  for (const dir of [data, log]) {
    if (existsSync(join(dir, COMBINED_FILE))) {
      throw new StorageError(
        'format',
        `${join(dir, COMBINED_FILE)} exists: this data was written with dataLogDir = dataDir; remove the separate dataLogDir setting`,
      );
    }
  }
}
