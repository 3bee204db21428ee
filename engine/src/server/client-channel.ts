/**
 * What the server needs from one client connection's transport, so the request
 * processing can be driven by a socket (connection.ts) or by a test double.
 */
import type { OutputBuffer } from './output-buffer.js';

/** Why reading from a connection is paused; it resumes only when no reason is left. */
export const enum PauseReason {
  /** A ConnectRequest is being processed (wire-protocol.md §4.2 step 6). */
  Handshake = 1,
  /** Too much unsent output (the client does not read its replies). */
  Output = 2,
  /** Too many requests waiting for replies on this connection. */
  Backlog = 4,
}

export interface ClientChannel {
  /** `/127.0.0.1:52318`, as ZooKeeper prints a client address. */
  readonly remote: string;
  /** The client's IP address (the `ip` auth id, maxClientCnxns). */
  readonly remoteIp: string;
  /** Frames waiting to be written. */
  readonly out: OutputBuffer;
  readonly isClosed: boolean;
  /** Writes the buffered frames soon (batched with everything else produced this turn). */
  flushSoon(): void;
  /** Flushes what is buffered, then closes. Idempotent. */
  close(reason: string): void;
  pause(reason: PauseReason): void;
  resume(reason: PauseReason): void;
  /** NIO-style interest ops for `cons`: 1 reading, 4 writing pending, 0 paused. */
  interestOps(): number;
}

/** The server side of a connection: frames in, close notification. */
export interface ChannelHandler {
  frame(frame: Buffer): void;
  closed(): void;
}
