/**
 * A KeeperException raised while preparing a request: prep turns it into an ErrorTxn
 * carrying `code` (a failed write still consumes a zxid, wire-protocol.md §5).
 */
import { errName } from '../../jute/index.js';

export class PrepError extends Error {
  readonly code: number;
  readonly path: string | undefined;

  constructor(code: number, path?: string) {
    // Prep throws these as ordinary outcomes (NodeExists, NoNode, BadVersion...) and always
    // catches them: a stack trace would be the costliest part and nobody reads it.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(`${errName(code)}${path !== undefined ? ` for ${path}` : ''}`);
    Error.stackTraceLimit = limit;
    this.name = 'PrepError';
    this.code = code;
    this.path = path;
  }
}

/** Throws PrepError(code) unless `ok`. */
export function ensure(ok: boolean, code: number, path?: string): asserts ok {
  if (!ok) throw new PrepError(code, path);
}
