/**
 * The TxnLog / StableState / Snapshots facades, written once over a small backend that
 * either store provides (a queue of StoreOps plus durable reads). The SQLite and memory
 * stores differ only in their backends, so the caller-facing rules (validation, what a
 * read may see, how snapshots are streamed) cannot drift apart.
 */
import { zxidLabel } from '../jute/zxid.js';
import type { TxnEntry } from '../tree/txn.js';
import { checkRow, crc32Of, toLogRows } from './checksum.js';
import type {
  EpochName,
  PurgeResult,
  RawLogRow,
  SnapshotData,
  SnapshotInfo,
  SnapshotMeta,
  Snapshots,
  StableState,
  TxnLog,
} from './contracts.js';
import { StorageError } from './errors.js';
import type { StoreOp, StoreState } from './ops.js';
import { streamSnapshot, type StreamOptions } from './snapshot-stream.js';
import { validateEntries, validateEpoch, validateZxid } from './validate.js';

export interface StoreBackend {
  /** Queues an op; resolves when it is durable (with a purge result for purges). */
  submit(op: StoreOp): Promise<PurgeResult | undefined>;
  /** Durable state (what the getters report). */
  state(): StoreState;
  /** Durable rows in (after, upTo], ascending, unverified. */
  readRows(after: bigint, upTo: bigint): RawLogRow[];
  latestSnapshot(): SnapshotInfo | null;
  listSnapshots(): SnapshotMeta[];
  readonly streamOptions: StreamOptions;
}

export interface Facades {
  log: TxnLog;
  stable: StableState;
  snapshots: Snapshots;
  appendAndSetCurrentEpoch(entries: readonly TxnEntry[], currentEpoch: number): Promise<void>;
  installSnapshot(zxid: bigint, bytes: Buffer): Promise<void>;
}

/** Runs `fn`, turning a thrown validation error into a rejected promise (nothing is queued). */
function rejecting<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return fn();
  } catch (e) {
    return Promise.reject(e);
  }
}

export function createFacades(backend: StoreBackend): Facades {
  let nextToken = 1;

  const append = (entries: readonly TxnEntry[], currentEpoch: number | null): Promise<void> =>
    rejecting(async () => {
      validateEntries(entries);
      if (currentEpoch !== null) validateEpoch(currentEpoch);
      if (entries.length === 0 && currentEpoch === null) return;
      await backend.submit({ kind: 'append', rows: toLogRows(entries), currentEpoch });
    });

  const setEpoch = (name: EpochName, value: number): Promise<void> =>
    rejecting(async () => {
      validateEpoch(value);
      await backend.submit({ kind: 'setEpoch', name, value });
    });

  const log: TxnLog = {
    append: (entries) => append(entries, null),
    read(after, upTo) {
      const last = backend.state().lastZxid;
      const end = upTo === undefined || upTo > last ? last : upTo;
      if (end <= after) return [];
      return backend.readRows(after, end).map((row) => {
        const check = checkRow(row);
        if (!check.ok) throw new StorageError('corrupt', `log entry ${zxidLabel(row.zxid)} is damaged: ${check.problem}`);
        return check.entry;
      });
    },
    truncateAfter: (zxid) =>
      rejecting(async () => {
        validateZxid(zxid, 'truncateAfter');
        await backend.submit({ kind: 'truncate', after: zxid });
      }),
    lastZxid: () => backend.state().lastZxid,
    firstZxid: () => backend.state().firstZxid,
  };

  const stable: StableState = {
    acceptedEpoch: () => backend.state().acceptedEpoch,
    currentEpoch: () => backend.state().currentEpoch,
    setAcceptedEpoch: (epoch) => setEpoch('acceptedEpoch', epoch),
    setCurrentEpoch: (epoch) => setEpoch('currentEpoch', epoch),
  };

  const snapshots: Snapshots = {
    write: (zxid: bigint, data: SnapshotData) =>
      rejecting(() => {
        validateZxid(zxid, 'snapshot zxid');
        return streamSnapshot((op) => backend.submit(op), nextToken++, zxid, data, backend.streamOptions);
      }),
    latest: () => backend.latestSnapshot(),
    list: () => backend.listSnapshots(),
    purge: (retain) =>
      rejecting(async () => {
        if (!Number.isFinite(retain)) throw new StorageError('invalid', `purge: retain ${retain} is not a number`);
        const result = await backend.submit({ kind: 'purge', retain });
        if (!result) throw new StorageError('io', 'purge finished without a result');
        return result;
      }),
  };

  const installSnapshot = (zxid: bigint, bytes: Buffer): Promise<void> =>
    rejecting(async () => {
      validateZxid(zxid, 'installSnapshot zxid');
      if (!Buffer.isBuffer(bytes)) throw new StorageError('invalid', 'installSnapshot takes the whole snapshot as one Buffer');
      await backend.submit({ kind: 'snapshotInstall', zxid, bytes, crc: crc32Of(bytes) });
    });

  return { log, stable, snapshots, appendAndSetCurrentEpoch: append, installSnapshot };
}
