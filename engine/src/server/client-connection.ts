/**
 * The server's state for one client connection: where it is in its life, its session,
 * its auth ids, its pending requests and its statistics. The connection is also the
 * identity the watch tables key on.
 *
 *   new ──ConnectRequest──► handshaking ──session ready──► open ──► closed
 *    │                          │ (reading paused, later frames held)  ▲
 *    └── refused / bad frame ───┴──────────────────────────────────────┘
 */
import type { Id } from '../jute/records.js';
import type { TxnEntry } from '../tree/txn.js';
import type { ApplyResult } from '../tree/types.js';
import type { ChannelHandler, ClientChannel } from './client-channel.js';
import { RequestQueue } from './request-queue.js';
import { ConnectionStats } from './server-stats.js';

export type ConnectionState = 'new' | 'handshaking' | 'open' | 'closed';

/** How an ordered request ended: its applied txn, or a released sync. */
export type OrderedOutcome = { entry: TxnEntry; applied: ApplyResult } | { syncPath: string };

export interface ConnectionEvents {
  frame(conn: ClientConnection, frame: Buffer): void;
  closed(conn: ClientConnection): void;
}

export class ClientConnection implements ChannelHandler {
  state: ConnectionState = 'new';
  sessionId = 0n;
  /** Negotiated timeout (ms). */
  timeout = 0;
  /** The session password (16 bytes) once known. */
  passwd: Buffer = Buffer.alloc(0);
  /** Wall-clock ms when the session was established on this connection. */
  established = 0;
  /** No readOnly byte in its ConnectRequest (§4.1). */
  oldClient = false;
  readOnlyClient = false;
  /** Every connection carries `ip:<address>` (§15.2). */
  readonly authIds: Id[];
  readonly queue = new RequestQueue<OrderedOutcome>();
  readonly stats = new ConnectionStats();
  /** Frames that arrived behind the ConnectRequest, processed after the handshake (§4.2 step 6). */
  held: Buffer[] = [];
  /** The client asked to close its session; nothing after it is processed. */
  closing = false;

  constructor(
    readonly channel: ClientChannel,
    private readonly events: ConnectionEvents,
  ) {
    this.authIds = [{ scheme: 'ip', id: channel.remoteIp }];
  }

  /** The watcher identity for the watch tables. */
  get watcher(): ClientConnection {
    return this;
  }

  frame(frame: Buffer): void {
    this.events.frame(this, frame);
  }

  closed(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.events.closed(this);
  }
}
