/**
 * Command failures as zkCli reports them: one line on stderr and an exit code
 * (CliException: 1, CommandNotFoundException: 127). `cliErrorFor` turns a ZooKeeper error
 * into CliWrapperException's wording (`Node does not exist: /x`).
 */
import { Err, keeperErrorText } from '../jute/error-codes.js';

/** The exit code zkCli returns after a failed command (ExitCode / CliException). */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_COMMAND_NOT_FOUND = 127;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_FAILED,
    /** The ZooKeeper code when a server (or client-side) KeeperException caused it. */
    readonly keeperCode?: number,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** What the shell needs of a ZooKeeper error: the client's ZkError has these fields. */
export interface KeeperErrorLike {
  code: number;
  path?: string | null;
}

export function isKeeperError(e: unknown): e is KeeperErrorLike {
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'number';
}

/** `KeeperException#getMessage`: `KeeperErrorCode = NoNode for /a` (no ` for` without a path). */
export function keeperMessage(e: KeeperErrorLike): string {
  return keeperErrorText(e.code, e.path ? e.path : undefined);
}

/** The texts of CliWrapperException for the codes it names; Java prints `null` for no path. */
const WRAPPED: Partial<Record<number, (path: string) => string>> = {
  [Err.NoNode]: (p) => `Node does not exist: ${p}`,
  [Err.NoChildrenForEphemerals]: (p) => `Ephemerals cannot have children: ${p}`,
  [Err.NodeExists]: (p) => `Node already exists: ${p}`,
  [Err.NotEmpty]: (p) => `Node not empty: ${p}`,
  [Err.NotReadOnly]: (p) => `Not a read-only call: ${p}`,
  [Err.InvalidACL]: (p) => `Acl is not valid : ${p}`,
  [Err.NoAuth]: (p) => `Insufficient permission : ${p}`,
  [Err.BadArguments]: (p) => `Arguments are not valid : ${p}`,
  [Err.BadVersion]: (p) => `version No is not valid : ${p}`,
  [Err.ReconfigInProgress]: () => 'Another reconfiguration is in progress -- concurrent reconfigs not supported (yet)',
  [Err.NewConfigNoQuorum]: () =>
    'No quorum of new config is connected and up-to-date with the leader of last commmitted config - try invoking reconfiguration after new servers are connected and synced',
  [Err.QuotaExceeded]: (p) => `Quota has exceeded : ${p}`,
};

/** CliWrapperException: a ZooKeeper error as zkCli words it; anything else by its message. */
export function cliErrorFor(e: unknown): CliError {
  if (e instanceof CliError) return e;
  if (isKeeperError(e)) {
    const wrap = WRAPPED[e.code];
    return new CliError(wrap ? wrap(e.path ? e.path : 'null') : keeperMessage(e), EXIT_FAILED, e.code);
  }
  return new CliError(e instanceof Error ? e.message : String(e));
}
