/**
 * Errors the client raises. A server (or client-side, §7) error code becomes a ZkError
 * carrying the number, ZooKeeper's name for it and the path, with the message Java's
 * KeeperException prints ("KeeperErrorCode = NoNode for /a"), so the shell can show it as
 * zkCli does. Invalid arguments caught before anything is sent (Java's
 * IllegalArgumentException) are a separate class, with PathUtils' exact wording.
 */
import { Err, errName, keeperErrorText, type ErrName } from '../jute/error-codes.js';
import type { OpResult } from './types.js';

export class ZkError extends Error {
  /** ZooKeeper's code name, e.g. 'NoNode' (or 'Unknown(-999)'). */
  readonly codeName: string;

  constructor(
    /** The numeric code (KeeperException.Code), e.g. -101. */
    readonly code: number,
    /** The client-side path the request named, if any. */
    readonly path?: string,
  ) {
    super(keeperErrorText(code, path));
    this.name = 'ZkError';
    this.codeName = errName(code);
  }

  /** True when `e` is a ZkError, and of the named code if one is given. */
  static is(e: unknown, codeName?: ErrName): e is ZkError {
    return e instanceof ZkError && (codeName === undefined || e.code === Err[codeName]);
  }
}

/** A failed multi: the code is the failing op's, `results` has every op's outcome (§14.2). */
export class ZkMultiError extends ZkError {
  constructor(
    code: number,
    path: string | undefined,
    readonly results: OpResult[],
    /** Index of the op that failed. */
    readonly failedIndex: number,
  ) {
    super(code, path);
    this.name = 'ZkMultiError';
  }
}

/** An argument refused before sending (Java's IllegalArgumentException). */
export class ZkArgumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZkArgumentError';
  }
}

/** True for errors after which retrying the same request on the same session may work. */
export function isRetryable(e: unknown): boolean {
  return e instanceof ZkError && (e.code === Err.ConnectionLoss || e.code === Err.OperationTimeout);
}
