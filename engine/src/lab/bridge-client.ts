/**
 * LabApi over the WebSocket bridge, for the renderer running in a browser (and for Node
 * tools, given a WebSocket class such as `ws`). No Node imports: the renderer bundles it.
 *
 *   const lab = await connectLabBridge(`ws://${location.host}/api?token=${token}`);
 *   const status = await lab.invoke('lab.status', {});
 *   const off = lab.on('lab.event', (e) => …);
 *
 * Subscriptions are made lazily (first listener of an event) and dropped with the last.
 * When the socket closes, pending calls reject with code `closed` and `lab.closed` fires.
 */
import type {
  BridgeClientMessage,
  BridgeServerMessage,
  CommandName,
  CommandRequest,
  CommandResponse,
  EventName,
  EventPayload,
  LabApi,
  LabError,
  LabInfo,
} from './api.js';

/** The part of the browser's WebSocket this client uses (the `ws` package matches it). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}
export type WebSocketClass = new (url: string) => WebSocketLike;

export interface LabBridgeConnection extends LabApi {
  /** The lab as the server described it when the socket opened. */
  readonly hello: LabInfo | null;
  close(): void;
}

/** A rejected command: the bridge's `{code, message}` as an Error. */
export class LabBridgeError extends Error implements LabError {
  override name = 'LabBridgeError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const OPEN = 1;

export function connectLabBridge(url: string, WebSocketImpl?: WebSocketClass): Promise<LabBridgeConnection> {
  const Impl = WebSocketImpl ?? (globalThis as { WebSocket?: WebSocketClass }).WebSocket;
  if (!Impl) return Promise.reject(new LabBridgeError('unsupported', 'no WebSocket implementation available'));
  const socket = new Impl(url);
  return new Promise((resolve, reject) => {
    let connection: Connection | null = null;
    socket.onerror = () => {
      if (!connection) reject(new LabBridgeError('refused', `cannot connect to ${url.replace(/token=[^&]+/, 'token=…')} (wrong token, origin or address?)`));
    };
    socket.onclose = () => {
      if (!connection) reject(new LabBridgeError('refused', 'the lab closed the connection'));
      else connection.closed();
    };
    socket.onmessage = (ev) => {
      const message = JSON.parse(String(ev.data)) as BridgeServerMessage;
      if (!connection) {
        if (message.t === 'hello') resolve((connection = new Connection(socket, message.lab)));
        return;
      }
      connection.receive(message);
    };
  });
}

class Connection implements LabBridgeConnection {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  private isClosed = false;

  constructor(
    private readonly socket: WebSocketLike,
    readonly hello: LabInfo | null,
  ) {}

  invoke<K extends CommandName>(name: K, arg: CommandRequest<K>): Promise<CommandResponse<K>> {
    if (this.isClosed || this.socket.readyState !== OPEN) return Promise.reject(new LabBridgeError('closed', 'the connection to the lab is closed'));
    const id = this.nextId++;
    return new Promise<CommandResponse<K>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.send({ t: 'invoke', id, name, arg });
    });
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      this.listeners.set(event, (set = new Set()));
      if (event !== 'lab.closed') this.send({ t: 'subscribe', events: [event] });
    }
    const l = listener as (payload: unknown) => void;
    set.add(l);
    return () => {
      if (!set!.delete(l) || set!.size > 0) return;
      this.listeners.delete(event);
      if (event !== 'lab.closed' && !this.isClosed) this.send({ t: 'unsubscribe', events: [event] });
    };
  }

  close(): void {
    this.socket.close();
  }

  receive(message: BridgeServerMessage): void {
    if (message.t === 'result') {
      const p = this.pending.get(message.id);
      if (!p) return;
      this.pending.delete(message.id);
      if (message.ok) p.resolve(message.value);
      else p.reject(new LabBridgeError(message.error.code, message.error.message));
    } else if (message.t === 'event') {
      for (const l of [...(this.listeners.get(message.name) ?? [])]) l(message.payload);
    }
  }

  closed(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const p of this.pending.values()) p.reject(new LabBridgeError('closed', 'the connection to the lab was lost'));
    this.pending.clear();
    for (const l of [...(this.listeners.get('lab.closed') ?? [])]) l({ reason: 'the connection to the lab was lost' });
  }

  private send(message: BridgeClientMessage): void {
    if (this.socket.readyState === OPEN) this.socket.send(JSON.stringify(message));
  }
}
