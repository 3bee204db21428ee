/**
 * The ConnectRequest decision, pure (wire-protocol.md §4). The first frame on a
 * connection is always read as a ConnectRequest (§1); what happens next depends only on
 * its fields and on a few facts about the member, so the whole state machine is testable
 * without sockets:
 *
 *   undecodable frame               → refuse (close, no reply)
 *   lastZxidSeen > our last zxid    → refuse (the client is ahead; §4.2 step 1) — skipped only
 *                                     with the instructor bug switch staleReads (docs/teaching.md)
 *   read-only member, client not RO → refuse (§4.2 step 2, §13.5)
 *   sessionId == 0                  → create a session (createSession txn first, §4.2 step 4)
 *   sessionId != 0                  → resume it (validate, renegotiate timeout, §4.2 step 5)
 *
 * The timeout is negotiated in both cases (§4.2 step 3). A failed resume is answered with
 * `EXPIRED_RESPONSE` and then closed.
 */
import { ConnectRequest } from '../jute/records.js';
import { ProtocolError } from '../jute/errors.js';

export interface HandshakeContext {
  /** The member's last processed (applied) zxid. */
  lastZxid: bigint;
  /** Whether the member is serving in read-only mode. */
  readOnly: boolean;
  /** Clamps a requested timeout to [minSessionTimeout, maxSessionTimeout]. */
  negotiateTimeout(requested: number): number;
  /** jute.maxbuffer, the cap on the password buffer. */
  maxBuffer: number;
  /**
   * Instructor bug switch staleReads (docs/teaching.md): accept a client that has seen a
   * newer zxid than ours, so it can read into its own past. Never set in a real ensemble.
   */
  staleReadsBug?: boolean;
}

interface Accepted {
  /** The negotiated session timeout (ms). */
  timeout: number;
  /** No trailing readOnly byte in the request: reply without one too (§4.1). */
  oldClient: boolean;
  /** The client accepts a read-only server. */
  readOnlyClient: boolean;
  lastZxidSeen: bigint;
}

export type HandshakeDecision =
  | { action: 'refuse'; reason: string }
  | ({ action: 'create' } & Accepted)
  | ({ action: 'resume'; sessionId: bigint; passwd: Buffer } & Accepted);

export function decideHandshake(frame: Buffer, ctx: HandshakeContext): HandshakeDecision {
  let req;
  try {
    req = ConnectRequest.decode(frame, ctx.maxBuffer);
  } catch (e) {
    if (e instanceof ProtocolError) return { action: 'refuse', reason: `malformed ConnectRequest: ${e.message}` };
    throw e;
  }
  if (req.lastZxidSeen > ctx.lastZxid && !ctx.staleReadsBug) {
    return {
      action: 'refuse',
      reason: `client has seen zxid 0x${req.lastZxidSeen.toString(16)} but our last zxid is 0x${ctx.lastZxid.toString(16)}`,
    };
  }
  const readOnlyClient = req.readOnly === true;
  if (ctx.readOnly && !readOnlyClient) {
    return { action: 'refuse', reason: 'not a read-only client while this member is read-only' };
  }
  const accepted: Accepted = {
    timeout: ctx.negotiateTimeout(req.timeOut),
    oldClient: req.readOnly === undefined,
    readOnlyClient,
    lastZxidSeen: req.lastZxidSeen,
  };
  if (req.sessionId === 0n) return { action: 'create', ...accepted };
  return { action: 'resume', sessionId: req.sessionId, passwd: req.passwd ?? Buffer.alloc(0), ...accepted };
}

/** What a client gets for an unknown, expired, closing or wrongly-authenticated session (§4.2 step 5). */
export const EXPIRED_RESPONSE = Object.freeze({
  timeOut: 0,
  sessionId: 0n,
  passwd: Buffer.alloc(16),
  readOnly: false,
});
