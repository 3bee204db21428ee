/**
 * ZooKeeper's error codes (KeeperException.Code, wire-protocol.md §7): the one table
 * every part of ZooLab uses. Never make up a code elsewhere.
 */
export const Err = {
  Ok: 0,
  SystemError: -1,
  RuntimeInconsistency: -2,
  DataInconsistency: -3,
  ConnectionLoss: -4,
  MarshallingError: -5,
  Unimplemented: -6,
  OperationTimeout: -7,
  BadArguments: -8,
  UnknownSession: -12,
  NewConfigNoQuorum: -13,
  ReconfigInProgress: -14,
  APIError: -100,
  NoNode: -101,
  NoAuth: -102,
  BadVersion: -103,
  NoChildrenForEphemerals: -108,
  NodeExists: -110,
  NotEmpty: -111,
  SessionExpired: -112,
  InvalidCallback: -113,
  InvalidACL: -114,
  AuthFailed: -115,
  SessionMoved: -118,
  NotReadOnly: -119,
  EphemeralOnLocalSession: -120,
  NoWatcher: -121,
  RequestTimeout: -122,
  ReconfigDisabled: -123,
  SessionClosedRequireSaslAuth: -124,
  QuotaExceeded: -125,
  ThrottledOp: -127,
} as const;
export type ErrName = keyof typeof Err;
export type ErrCode = (typeof Err)[ErrName];

const names = new Map<number, ErrName>(Object.entries(Err).map(([k, v]) => [v, k as ErrName]));

/** The code's name (`NoNode`), or `Unknown(<code>)`. */
export function errName(code: number): string {
  return names.get(code) ?? `Unknown(${code})`;
}

/**
 * The human text zkCli prints for a code (KeeperException.getCodeMessage), used by the
 * shell and by error messages: e.g. "KeeperErrorCode = NoNode for /a".
 */
const MESSAGES: Partial<Record<ErrName, string>> = {
  Ok: 'ok',
  SystemError: 'SystemError',
  RuntimeInconsistency: 'RuntimeInconsistency',
  DataInconsistency: 'DataInconsistency',
  ConnectionLoss: 'ConnectionLoss',
  MarshallingError: 'MarshallingError',
  Unimplemented: 'Unimplemented',
  OperationTimeout: 'OperationTimeout',
  BadArguments: 'BadArguments',
  UnknownSession: 'Unknown session',
  NewConfigNoQuorum: 'NewConfigNoQuorum',
  ReconfigInProgress: 'ReconfigInProgress',
  APIError: 'APIError',
  NoNode: 'NoNode',
  NoAuth: 'NoAuth',
  BadVersion: 'BadVersion',
  NoChildrenForEphemerals: 'NoChildrenForEphemerals',
  NodeExists: 'NodeExists',
  NotEmpty: 'Directory not empty',
  SessionExpired: 'Session expired',
  InvalidCallback: 'Invalid callback',
  InvalidACL: 'InvalidACL',
  AuthFailed: 'AuthFailed',
  SessionMoved: 'Session moved',
  NotReadOnly: 'Not a read-only call',
  EphemeralOnLocalSession: 'Ephemeral node on local session',
  NoWatcher: 'No such watcher',
  RequestTimeout: 'Request timeout',
  ReconfigDisabled: 'Reconfig is disabled',
  SessionClosedRequireSaslAuth: 'Session closed because client failed to authenticate',
  QuotaExceeded: 'Quota has exceeded',
  ThrottledOp: 'Op throttled due to high load',
};

export function errMessage(code: number): string {
  const name = names.get(code);
  return name ? (MESSAGES[name] ?? name) : `Unknown error ${code}`;
}

/** The "KeeperErrorCode = NoNode for /a" text of a KeeperException. */
export function keeperErrorText(code: number, path?: string): string {
  return `KeeperErrorCode = ${errMessage(code)}${path !== undefined ? ` for ${path}` : ''}`;
}
