/**
 * The LabApi over the lab's WebSocket bridge (`zk-lab serve`, engine/src/lab/web-bridge.ts):
 * JSON frames `invoke`/`result` and `subscribe`/`event` (api.ts `BridgeClientMessage`,
 * `BridgeServerMessage`). Subscriptions are reference counted per event name, so the
 * server only sends what some store listens to. When the socket closes every pending
 * command fails with code `disconnected` and `lab.closed` is delivered locally.
 *
 * The socket constructor is injected: the browser's WebSocket in the app, `ws` in tests.
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
  LabInfo,
} from '../../../engine/src/lab/api.js';

/** The subset of a WebSocket used here (the browser's and `ws` both fit). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface SocketHandlers {
  message(data: string): void;
  close(code: number, reason: string): void;
}

/** Opens a socket to `url` and wires its text messages and its close to `handlers`. */
export type SocketFactory = (url: string, handlers: SocketHandlers) => SocketLike;

export interface WebSocketLab extends LabApi {
  /** The lab the server announced in its hello frame. */
  readonly hello: LabInfo | null;
  close(): void;
}

const OPEN = 1;

/** Connects and resolves after the server's hello; rejects with a LabError shape if it cannot. */
export function connectWebSocketLab(url: string, createSocket: SocketFactory, timeoutMs = 10_000): Promise<WebSocketLab> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(url, {
      message: (data) => onMessage(data),
      close: (code, reason) => onClose(code, reason),
    });
    const pending = new Map<number, { ok: (v: unknown) => void; fail: (e: unknown) => void }>();
    const listeners = new Map<EventName, Set<(p: unknown) => void>>();
    let nextId = 1;
    let closed = false;
    let hello: LabInfo | null = null;
    let settled = false;

    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      socket.close();
      reject({ code: 'timeout', message: `the lab at ${redact(url)} did not answer within ${timeoutMs} ms; is zk-lab serve still running?` });
    }, timeoutMs);

    const send = (m: BridgeClientMessage) => {
      if (socket.readyState === OPEN) socket.send(JSON.stringify(m));
    };

    const deliver = (name: EventName, payload: unknown) => {
      for (const l of [...(listeners.get(name) ?? [])]) {
        try {
          l(payload);
        } catch (e) {
          // One broken listener must not starve the others.
          console.error(`listener for ${name} failed`, e);
        }
      }
    };

    const api: WebSocketLab = {
      get hello() {
        return hello;
      },
      invoke<K extends CommandName>(name: K, arg: CommandRequest<K>): Promise<CommandResponse<K>> {
        if (closed) return Promise.reject({ code: 'disconnected', message: `cannot run ${name}: the connection to the lab is closed; reload the page once zk-lab serve runs again` });
        const id = nextId++;
        return new Promise((ok, fail) => {
          pending.set(id, { ok: ok as (v: unknown) => void, fail });
          send({ t: 'invoke', id, name, arg });
        });
      },
      on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
        let set = listeners.get(event);
        if (!set) {
          listeners.set(event, (set = new Set()));
          // lab.closed is produced locally too, but the server also sends it on `down`.
          send({ t: 'subscribe', events: [event] });
        }
        const l = listener as (p: unknown) => void;
        set.add(l);
        return () => {
          const s = listeners.get(event);
          if (!s || !s.delete(l)) return;
          if (s.size === 0) {
            listeners.delete(event);
            send({ t: 'unsubscribe', events: [event] });
          }
        };
      },
      close() {
        socket.close(1000, 'closed by the UI');
      },
    };

    function onMessage(data: string): void {
      let m: BridgeServerMessage;
      try {
        m = JSON.parse(data) as BridgeServerMessage;
      } catch {
        return;
      }
      switch (m.t) {
        case 'hello':
          hello = m.lab;
          // Re-subscribe what listeners registered before the socket opened.
          if (listeners.size > 0) send({ t: 'subscribe', events: [...listeners.keys()] });
          if (!settled) {
            settled = true;
            clearTimeout(timer);
            resolve(api);
          }
          return;
        case 'result': {
          const p = pending.get(m.id);
          if (!p) return;
          pending.delete(m.id);
          if (m.ok) p.ok(m.value);
          else p.fail(m.error);
          return;
        }
        case 'event':
          deliver(m.name, m.payload);
          return;
      }
    }
    function onClose(code: number, why: string): void {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      const reason = code === 1000 ? 'the connection to the lab was closed' : `the connection to the lab was lost (${code}${why ? ` ${why}` : ''})`;
      for (const p of pending.values()) p.fail({ code: 'disconnected', message: `${reason}; the command's outcome is unknown` });
      pending.clear();
      if (!settled) {
        settled = true;
        reject({ code: 'unreachable', message: `could not reach the lab at ${redact(url)}: ${reason}. Check that zk-lab serve is running and the URL's token is current.` });
        return;
      }
      deliver('lab.closed', { reason });
    }
  });
}

/** The URL without its access token, for messages. */
function redact(url: string): string {
  return url.replace(/token=[^&]+/, 'token=…');
}
