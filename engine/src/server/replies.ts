/**
 * Encoders for what the server sends: reply headers, error replies (exactly 16 bytes:
 * a header and no body, wire-protocol.md §5), watch notifications (xid -1, zxid -1 in
 * 3.8, §5 and §19) and the ConnectResponse (§4.3).
 */
import { ConnectResponse } from '../jute/records.js';
import { Xid } from '../jute/opcodes.js';
import { KeeperState } from '../jute/constants.js';
import type { OutputBuffer } from './output-buffer.js';
import type { JuteWriter } from '../jute/writer.js';

/**
 * Starts a reply frame with its ReplyHeader{xid, zxid, err}; the caller writes the body
 * (if any) and calls `out.end()`.
 */
export function beginReply(out: OutputBuffer, xid: number, zxid: bigint, err: number): JuteWriter {
  const w = out.begin();
  w.int(xid).long(zxid).int(err);
  return w;
}

/** A header-only reply: every error, and successes without a body (delete, ping, setWatches…). */
export function writeHeaderOnly(out: OutputBuffer, xid: number, zxid: bigint, err: number): void {
  beginReply(out, xid, zxid, err);
  out.end();
}

/** 3.8 sends notifications with zxid -1 ([3.9+] would send the firing zxid). */
export const NOTIFICATION_ZXID = -1n;

export function writeNotification(out: OutputBuffer, type: number, path: string): void {
  const w = out.begin();
  w.int(Xid.notification).long(NOTIFICATION_ZXID).int(0);
  // Server-sent events always carry SyncConnected (§12.3).
  w.int(type).int(KeeperState.SyncConnected).ustring(path);
  out.end();
}

/**
 * The ConnectResponse. `oldClient` (no readOnly byte in its request, §4.1) gets a reply
 * without the trailing readOnly byte.
 */
export function writeConnectResponse(
  out: OutputBuffer,
  r: { timeOut: number; sessionId: bigint; passwd: Buffer; readOnly: boolean },
  oldClient: boolean,
): void {
  const w = out.begin();
  ConnectResponse.write(w, {
    protocolVersion: 0,
    timeOut: r.timeOut,
    sessionId: r.sessionId,
    passwd: r.passwd,
    readOnly: oldClient ? undefined : r.readOnly,
  });
  out.end();
}

