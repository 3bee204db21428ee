/**
 * A KeeperException raised while preparing a request: prep turns it into an ErrorTxn
 * carrying `code` (a failed write still consumes a zxid, wire-protocol.md §5).
 */
import { errName } from '../../jute/index.js';

export class PrepError extends Error {
  constructor(
    readonly code: number,
    readonly path?: string,
  ) {
    super(`${errName(code)}${path !== undefined ? ` for ${path}` : ''}`);
    this.name = 'PrepError';
  }
}

/** Throws PrepError(code) unless `ok`. */
export function ensure(ok: boolean, code: number, path?: string): asserts ok {
  if (!ok) throw new PrepError(code, path);
}
