/**
 * The body of a forwarded createSession request. The member holding the client's
 * connection generates the session id and password (wire-protocol.md §13.1); the leader
 * needs both plus the negotiated timeout to prepare the createSession txn.
 */
import { JuteReader, JuteWriter, OpCode } from '../jute/index.js';
import type { ClientRequest } from './contracts.js';

export function createSessionRequest(sessionId: bigint, timeoutMs: number, passwd: Buffer): ClientRequest {
  const w = new JuteWriter(32);
  w.int(timeoutMs).buffer(passwd);
  return { sessionId, cxid: 0, op: OpCode.createSession, body: Buffer.from(w.toBuffer()), authIds: [] };
}

export function decodeCreateSession(body: Buffer): { timeoutMs: number; passwd: Buffer } {
  const r = new JuteReader(body, 0, body.length, body.length + 4);
  r.context('CreateSessionRequest', 'timeout');
  const timeoutMs = r.int();
  const passwd = r.buffer() ?? Buffer.alloc(0);
  return { timeoutMs, passwd };
}
