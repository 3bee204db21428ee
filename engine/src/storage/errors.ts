/**
 * Why a store refused or stopped. One error class with a machine-readable `kind`, so
 * callers (the member, the lab's import) can branch without parsing messages.
 */
export type StorageErrorKind =
  /** Not a ZooLab store, a newer schema, or files laid out for another dataDir/dataLogDir. */
  | 'format'
  /** Data that fails its checksum or breaks zxid continuity where it cannot be a torn tail. */
  | 'corrupt'
  /** A caller broke the contract (zxids not increasing, epoch out of range, ...). Nothing was written. */
  | 'invalid'
  /** The disk or SQLite failed; durability of pending writes is unknown. */
  | 'io'
  /** The store was closed (or failed earlier). */
  | 'closed'
  /** A snapshot write was abandoned because the log was truncated below its zxid. */
  | 'abandoned';

export class StorageError extends Error {
  override readonly name = 'StorageError';
  constructor(
    readonly kind: StorageErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isStorageError(e: unknown, kind?: StorageErrorKind): e is StorageError {
  return e instanceof StorageError && (kind === undefined || e.kind === kind);
}
